"""Issue 7 §3.9 and §3.10: a page offers an action only to whoever may take it (the rule the
service checks), says why an action is unavailable when a veto blocks it, and keeps the veto
form behind one button for holders of §6 i)."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from cqo.authorities import services as S
from cqo.authorities.models import Delegation
from cqo.decisions import services as DS
from cqo.plans import services as PS
from cqo.testing.world import PASSWORD, Org, days, today

pytestmark = pytest.mark.django_db


def _client(user: Any, language: str = "en") -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE=language)
    client.force_login(user)
    return client


def _submitted_decision(org: Org) -> Any:
    decision = DS.decision_create(actor=org.head, kind="product_launch", title="新卡钳上市")
    return DS.decision_submit(actor=org.head, decision=decision)


def _veto(org: Org, subject: Any) -> Any:
    return S.veto_impose(actor=org.cqo, subject=subject, reason="验证未完成", password=PASSWORD)


def test_a_vetoed_decision_offers_no_approve_button_and_says_why(org: Org) -> None:
    decision = _submitted_decision(org)
    url = reverse("decisions:decision_detail", args=[decision.pk])
    assert 'value="approve"' in _client(org.principal).get(url).content.decode()
    _veto(org, decision)
    page = _client(org.principal).get(url).content.decode()
    assert 'value="approve"' not in page
    assert "Approval is unavailable: a one-vote veto (§6 i)) holds this record" in page


def test_a_vetoed_approval_request_may_only_be_rejected(org: Org) -> None:
    decision = _submitted_decision(org)
    request = S.approval_request_raise(
        actor=org.inspector, subject=decision, kind="concession", unit=org.inspection,
        summary="让步接收", due=days(2),
    )  # fmt: skip
    _veto(org, request)
    page = _client(org.cqo).get(reverse("authorities:approval_detail", args=[request.pk]))
    html = page.content.decode()
    assert 'value="reject"' in html and 'value="approve"' not in html
    assert "Approval is unavailable: a one-vote veto (§6 i)) holds this record" in html


def _delegation(org: Org) -> Delegation:
    return S.delegation_create(
        actor=org.cqo, authority="c", delegate=org.deputy.person, units=[org.inspection],
        start_date=today(), end_date=days(10),
    )  # fmt: skip


def test_the_read_only_auditor_sees_no_revoke_button_the_cqo_does(org: Org) -> None:
    _delegation(org)
    url = reverse("authorities:delegation_list")
    assert "delegation_revoke" not in url
    auditor_page = _client(org.auditor).get(url).content.decode()
    cqo_page = _client(org.cqo).get(url).content.decode()
    assert "/revoke/" not in auditor_page
    assert "/revoke/" in cqo_page


def test_a_refused_revocation_cites_the_delegation_rule_not_the_delegated_authority(
    org: Org,
) -> None:
    delegation = _delegation(org)
    auditor = _client(org.auditor)
    response = auditor.post(
        reverse("authorities:delegation_revoke", args=[delegation.pk]), {"reason": "x"}, follow=True
    )
    delegation.refresh_from_db()
    assert delegation.revoked_at is None
    text = response.content.decode()
    refusal = " ".join(re.findall(r'class="message error"[^>]*>(.*?)</p>', text, re.S))
    assert "§6 c)" not in refusal
    assert "Only the person who made the delegation or the CQO in office may revoke it" in refusal


def test_the_veto_form_sits_behind_one_button_for_holders_of_6_i_only(org: Org) -> None:
    plan = PS.plan_create(actor=org.cqo, title="2026 年质量计划", year=today().year)
    url = reverse("plans:plan_detail", args=[plan.pk])
    page = _client(org.cqo).get(url).content.decode()
    section = re.search(r'<section class="card veto-section".*?</section>', page, re.S)
    assert section is not None
    # the password field is inside a closed disclosure, opened by its one button
    disclosure = re.search(r"<details class=\"veto-disclosure\">(.*?)</details>", section[0], re.S)
    assert disclosure is not None and 'type="password"' in disclosure[1]
    assert 'type="password"' not in section[0].replace(disclosure[0], "")
    for who in ("auditor", "principal", "head"):
        other = _client(getattr(org, who)).get(url)
        assert "veto-section" not in other.content.decode(), who


def test_the_veto_banner_does_not_double_the_reasons_full_stop(org: Org) -> None:
    decision = _submitted_decision(org)
    S.veto_impose(actor=org.cqo, subject=decision, reason="存在制动失效的质量安全风险。",
                  password=PASSWORD)  # fmt: skip
    page = _client(org.cqo, "zh-hans").get(reverse("decisions:decision_detail", args=[decision.pk]))
    banner = re.search(r'class="message error veto-banner".*?</p>', page.content.decode(), re.S)
    assert banner is not None
    text = re.sub(r"<[^>]+>", "", banner[0])
    assert "。." not in text and "风险。. " not in text
    assert not re.search(r"[\u4e00-\u9fff][.:] ", text), text


def test_a_vetoed_plan_offers_no_submit_button_and_says_why(org: Org) -> None:
    plan = PS.plan_create(actor=org.cqo, title="2026 年质量计划", year=today().year)
    url = reverse("plans:plan_detail", args=[plan.pk])
    assert "Submit the plan" in _client(org.cqo).get(url).content.decode()
    _veto(org, plan)
    page = _client(org.cqo).get(url).content.decode()
    assert "Submit the plan" not in page
    assert "Going forward is unavailable: a one-vote veto (§6 i)) holds this record" in page
