from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from cqo.authorities import services as S
from cqo.authorities.models import Veto
from cqo.decisions import services as DS
from cqo.decisions.models import BusinessDecision
from cqo.plans import services as PS
from cqo.testing.world import PASSWORD, Org, days, today

pytestmark = pytest.mark.django_db


def _client(user: Any, language: str = "en") -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE=language)
    client.force_login(user)
    return client


@pytest.fixture
def data(org: Org) -> dict[str, Any]:
    S.delegation_create(
        actor=org.cqo, authority="c", delegate=org.deputy.person, units=[org.inspection],
        start_date=today(), end_date=days(10),
    )  # fmt: skip
    decision = DS.decision_create(actor=org.head, kind="product_launch", title="新卡钳上市")
    decision = DS.decision_submit(actor=org.head, decision=decision)
    request = S.approval_request_raise(
        actor=org.inspector, subject=decision, kind="concession", unit=org.inspection,
        summary="让步接收", due=days(2),
    )  # fmt: skip
    proposal = DS.proposal_submit(actor=org.cqo, title="增加检验员", body="……")
    plan = PS.plan_create(actor=org.cqo, title="2026 年质量计划", year=today().year)
    PS.plan_item_add(
        actor=org.cqo, plan=plan, title="项目一", owner=org.deputy.person, due_date=days(30)
    )
    return {"decision": decision, "request": request, "proposal": proposal, "plan": plan}


PAGES = [
    ("authorities:approval_list", None),
    ("authorities:approval_detail", "request"),
    ("authorities:delegation_list", None),
    ("plans:strategy_list", None),
    ("plans:plan_detail", "plan"),
    ("decisions:proposal_list", None),
    ("decisions:proposal_detail", "proposal"),
    ("decisions:decision_list", None),
    ("decisions:decision_detail", "decision"),
    ("authorities:veto_list", None),
    ("notifications:notification_list", None),
]


@pytest.mark.parametrize(("name", "key"), PAGES)
@pytest.mark.parametrize("who", ["cqo", "principal", "auditor"])
@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_every_page_opens_for_the_cqo_principal_and_auditor(
    org: Org, data: dict, name: str, key: str | None, who: str, language: str
) -> None:
    url = reverse(name, args=[data[key].pk] if key else None)
    response = _client(getattr(org, who), language).get(url)
    assert response.status_code == 200, (url, response.status_code)


def test_an_account_without_a_role_may_not_open_the_approvals(org: Org, data: dict) -> None:
    from cqo.testing.factories import UserFactory

    client = _client(UserFactory())
    assert (
        client.get(reverse("authorities:approval_detail", args=[data["request"].pk])).status_code
        == 403
    )
    assert client.get(reverse("decisions:decision_list")).status_code == 403


def test_the_inbox_shows_the_request_to_the_delegate_with_its_ageing(org: Org, data: dict) -> None:
    page = _client(org.deputy).get(reverse("authorities:approval_list")).content.decode()
    assert "让步接收" in page and "Approvals awaiting me" in page


def test_the_cqo_approves_through_the_page_with_an_e_signature(org: Org, data: dict) -> None:
    url = reverse("authorities:approval_detail", args=[data["request"].pk])
    client = _client(org.cqo)
    response = client.post(
        url,
        {"decision": "approve", "reason": "可接受", "sig-password": PASSWORD, "sig-confirm": "on"},
    )
    assert response.status_code == 302
    data["request"].refresh_from_db()
    assert data["request"].status == "approved"
    assert "Approved as CQO under §6 c)" in client.get(url).content.decode()


def test_a_wrong_password_on_the_page_signs_and_decides_nothing(org: Org, data: dict) -> None:
    url = reverse("authorities:approval_detail", args=[data["request"].pk])
    response = _client(org.cqo).post(
        url, {"decision": "approve", "reason": "x", "sig-password": "nope", "sig-confirm": "on"}
    )
    assert response.status_code == 200
    data["request"].refresh_from_db()
    assert data["request"].status == "pending"


def test_the_veto_flow_through_the_pages(org: Org, data: dict) -> None:
    decision: BusinessDecision = data["decision"]
    detail = reverse("decisions:decision_detail", args=[decision.pk])
    cqo, principal = _client(org.cqo), _client(org.principal, "zh-hans")
    response = cqo.post(
        reverse("authorities:veto_impose", args=["decisions.businessdecision", decision.pk]),
        {"veto-reason": "验证未完成", "vsig-password": PASSWORD, "vsig-confirm": "on"},
    )
    assert response.status_code == 302
    veto = Veto.objects.get()
    page = principal.post(
        reverse("decisions:decision_step", args=[decision.pk, "approve"]), follow=True
    ).content.decode()
    assert "该决策已被质量安全一票否决（§6 i)）" in page
    decision.refresh_from_db()
    assert decision.status == "submitted"
    # the principal sees no lift form, and a forged post is refused
    assert "lift-form" not in principal.get(detail).content.decode()
    principal.post(
        reverse("authorities:veto_lift", args=[veto.pk]),
        {"lift-reason": "x", "lsig-password": PASSWORD, "lsig-confirm": "on"},
    )
    veto.refresh_from_db()
    assert veto.is_active
    cqo.post(
        reverse("authorities:veto_lift", args=[veto.pk]),
        {"lift-reason": "验证已完成", "lsig-password": PASSWORD, "lsig-confirm": "on"},
    )
    veto.refresh_from_db()
    assert not veto.is_active
    principal.post(reverse("decisions:decision_step", args=[decision.pk, "approve"]))
    decision.refresh_from_db()
    assert decision.status == "approved"


def test_a_delegation_wider_than_ones_own_is_refused_on_the_page(org: Org, data: dict) -> None:
    response = _client(org.deputy).post(
        reverse("authorities:delegation_list"),
        {
            "authority": "c", "delegate": org.engineer.person.pk, "units": [org.qm.pk],
            "start_date": today().isoformat(), "end_date": days(5).isoformat(),
        },
    )  # fmt: skip
    assert response.status_code == 200
    assert "§6 c)" in response.content.decode()


def test_the_principal_answers_a_proposal_on_the_page(org: Org, data: dict) -> None:
    proposal = data["proposal"]
    client = _client(org.principal)
    url = reverse("decisions:proposal_detail", args=[proposal.pk])
    response = client.post(url, {"answer": "reject", "reason": ""})
    assert response.status_code == 200  # a rejection needs a reason
    client.post(url, {"answer": "defer", "deferred_until": days(7).isoformat()})
    proposal.refresh_from_db()
    assert proposal.status == "deferred"


def test_the_dashboard_shows_the_authorities_panels(org: Org, data: dict) -> None:
    cqo_page = _client(org.cqo).get(reverse("workbench:dashboard")).content.decode()
    assert "让步接收" in cqo_page and "增加检验员" in cqo_page
    principal_page = _client(org.principal).get(reverse("workbench:dashboard")).content.decode()
    assert "增加检验员" in principal_page
    S.veto_impose(actor=org.cqo, subject=data["decision"], reason="验证未完成", password=PASSWORD)
    assert (
        "新卡钳上市" in _client(org.principal).get(reverse("workbench:dashboard")).content.decode()
    )


def test_an_inspector_lists_only_the_requests_they_raised(org: Org, data: dict) -> None:
    from cqo.organisation import roles as R
    from cqo.testing.factories import member

    mine = _client(org.inspector).get(reverse("authorities:approval_list")).content.decode()
    assert "让步接收" in mine
    other = member([R.INSPECTOR], unit=org.inspection, username="inspector2")
    client = _client(other)
    assert "让步接收" not in client.get(reverse("authorities:approval_list")).content.decode()
    detail = reverse("authorities:approval_detail", args=[data["request"].pk])
    assert client.get(detail).status_code == 403
