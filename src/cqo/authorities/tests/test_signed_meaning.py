"""One source for the meaning of an e-signature: the approver, the vetoing CQO and a delegate sign
the meaning the page showed them (approval, veto, lift)."""

from __future__ import annotations

import html
import re
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from cqo.audit.models import Signature
from cqo.authorities import services as S
from cqo.decisions import services as DS
from cqo.testing.world import PASSWORD, Org, days, today

pytestmark = pytest.mark.django_db
SHOWN = re.compile(r'<p class="sign-meaning"[^>]*><strong>(.*?)</strong>', re.S)


def _client(user: Any, language: str = "en") -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE=language)
    client.force_login(user)
    return client


def _shown(page: str, nth: int = 0) -> str:
    found = SHOWN.findall(page)
    assert len(found) > nth, "the page shows no signature meaning"
    return html.unescape(found[nth])


def _last_signature() -> str:
    sig = Signature.objects.order_by("id").last()
    assert sig is not None
    return sig.meaning


def _request(org: Org) -> Any:
    decision = DS.decision_create(
        actor=org.engineer, kind="other", title="让步", unit=org.inspection
    )
    return S.approval_request_raise(
        actor=org.inspector, subject=decision, kind="concession", unit=org.inspection,
        summary="让步接收",
    )  # fmt: skip


@pytest.mark.parametrize("language", ["en", "zh-hans"])
def test_the_approver_signs_the_meaning_the_page_showed(org: Org, language: str) -> None:
    request = _request(org)
    client = _client(org.cqo, language)
    url = reverse("authorities:approval_detail", args=[request.pk])
    shown = _shown(client.get(url).content.decode())
    client.post(
        url,
        {"decision": "approve", "reason": "可控", "sig-password": PASSWORD, "sig-confirm": "on"},
    )
    assert _last_signature() == shown


def test_a_delegate_signs_as_delegate_as_the_page_said(org: Org) -> None:
    S.delegation_create(
        actor=org.cqo, authority="c", delegate=org.deputy.person, units=[org.inspection],
        start_date=today(), end_date=days(30),
    )  # fmt: skip
    request = _request(org)
    client = _client(org.deputy)
    url = reverse("authorities:approval_detail", args=[request.pk])
    shown = _shown(client.get(url).content.decode())
    assert shown == "Approved as delegate of the CQO under §6 c)"
    client.post(
        url,
        {"decision": "approve", "reason": "可控", "sig-password": PASSWORD, "sig-confirm": "on"},
    )
    assert _last_signature() == shown


def test_the_cqo_signs_the_veto_and_the_lift_with_the_meanings_the_page_showed(org: Org) -> None:
    decision = DS.decision_create(actor=org.head, kind="other", title="新卡钳上市")
    client = _client(org.cqo)
    page = reverse("decisions:decision_detail", args=[decision.pk])
    shown = _shown(client.get(page).content.decode())
    client.post(
        reverse("authorities:veto_impose", args=["decisions.businessdecision", decision.pk]),
        {"veto-reason": "验证未完成", "vsig-password": PASSWORD, "vsig-confirm": "on"},
    )
    assert _last_signature() == shown == "Vetoed as CQO under §6 i)"
    shown_lift = _shown(client.get(page).content.decode())
    veto = decision.veto_active
    client.post(
        reverse("authorities:veto_lift", args=[veto.pk]),
        {"lift-reason": "复审通过", "lsig-password": PASSWORD, "lsig-confirm": "on"},
    )
    assert _last_signature() == shown_lift == "Veto lifted as CQO under §6 i)"
