"""A signature's status is checked where it is shown (issue 7 §3.8): the approval page, the
decision page (its veto) and the record's story say the same, by the same function."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from cqo.authorities import services as S
from cqo.authorities.models import ApprovalRequest, Veto
from cqo.decisions import services as DS
from cqo.testing.world import PASSWORD, Org

pytestmark = pytest.mark.django_db


def _page(user: Any, url: str) -> str:
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(user)
    return client.get(url).content.decode()


def _story(org: Org, obj: Any) -> str:
    return _page(
        org.auditor,
        reverse("audit:story", args=[obj._meta.label_lower, str(obj.pk)]),
    )


def _signatures_part(html: str) -> str:
    return html.split('<div class="signatures">', 1)[1].split("</div>", 1)[0]


def test_the_approval_page_checks_the_decision_signature_against_the_request(org: Org) -> None:
    decision = DS.decision_create(actor=org.head, kind="other", title="来料让步")
    request = S.approval_request_raise(
        actor=org.inspector, subject=decision, kind="concession", summary="让步接收"
    )
    S.approval_decide(
        actor=org.cqo, request=request, decision="approve", reason="可接受", password=PASSWORD
    )
    url = reverse("authorities:approval_detail", args=[request.pk])
    page = _signatures_part(_page(org.cqo, url))
    assert ">Matches<" in page and "Not checked here" not in page
    ApprovalRequest.objects.filter(pk=request.pk).update(decision_reason="改过的理由")
    page = _signatures_part(_page(org.cqo, url))
    assert "Changed since signing" in page
    assert "Changed since signing" in _signatures_part(_story(org, request))


def test_the_decision_page_and_the_story_check_the_veto_signature_alike(org: Org) -> None:
    decision = DS.decision_create(actor=org.head, kind="other", title="新产品上市")
    S.veto_impose(actor=org.cqo, subject=decision, reason="验证未完成", password=PASSWORD)
    url = reverse("decisions:decision_detail", args=[decision.pk])
    page, story = _signatures_part(_page(org.cqo, url)), _signatures_part(_story(org, decision))
    assert ">Matches<" in page and "Not checked here" not in page
    assert ">Matches<" in story and "Not checked here" not in story
    Veto.objects.filter(pk=Veto.objects.get().pk).update(reason="另一个理由")
    assert "Changed since signing" in _signatures_part(_page(org.cqo, url))
    assert "Changed since signing" in _signatures_part(_story(org, decision))


def test_a_lifted_veto_s_two_signatures_still_match_after_the_decision_moves_on(org: Org) -> None:
    decision = DS.decision_create(actor=org.head, kind="other", title="新产品上市")
    veto = S.veto_impose(actor=org.cqo, subject=decision, reason="验证未完成", password=PASSWORD)
    S.veto_lift(actor=org.cqo, veto=veto, reason="验证已完成", password=PASSWORD)
    DS.decision_submit(actor=org.head, decision=decision)
    page = _signatures_part(
        _page(org.cqo, reverse("decisions:decision_detail", args=[decision.pk]))
    )
    assert page.count(">Matches<") == 2 and "Changed since signing" not in page
