"""Rewards and penalties (§7.2.4.2): rules with their basis voided never deleted; decisions
raised with the evidence and decided by the CQO, never by the person concerned nor the raiser; a
decided reward paid from the fund's improvement-rewards purpose (or refused by it, saying why);
a decided penalty on the person's quality record; the pages and the API."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation

from cqo.audit.models import AuditEvent
from cqo.core.models import ProtectedRecordError
from cqo.costs import selectors_fund
from cqo.costs import services_rewards as S
from cqo.costs.models import (
    DecisionStatus,
    PurposeKind,
    RewardDecision,
    RewardKind,
    RewardRule,
    SpendingStatus,
)
from cqo.organisation.quality_record import quality_record
from cqo.testing.fund import decide, fund_with_purposes, voucher
from cqo.testing.world import Org, today


@pytest.fixture
def org(db: Any) -> Org:
    return Org()


def _rule(org: Org, kind: str = RewardKind.REWARD, **fields: Any) -> RewardRule:
    fields.setdefault("code", "JL-01" if kind == RewardKind.REWARD else "CF-01")
    fields.setdefault("title", "QC 成果奖" if kind == RewardKind.REWARD else "记录不实")
    fields.setdefault("basis", "企业质量激励办法第 5 条")
    fields.setdefault("amount_min", "100")
    fields.setdefault("amount_max", "50000")
    return S.reward_rule_create(actor=org.cqo, kind=kind, active_from=today(), **fields)


def _raise(org: Org, rule: RewardRule, amount: str = "5000", **fields: Any) -> RewardDecision:
    if "person" not in fields and "unit" not in fields:
        fields["unit"] = org.production
    fields.setdefault("source_ref", "QC 成果评审 2026-03")
    return S.reward_decision_raise(actor=org.head, rule=rule, amount=amount, reason="成果显著",
                                   **fields)  # fmt: skip


def _rewards(fund: Any) -> Any:
    return next(r for r in selectors_fund.fund_balances(fund).rows
                if r.purpose.kind == PurposeKind.REWARDS)  # fmt: skip


def test_a_rule_is_voided_with_a_reason_and_never_deleted(org: Org) -> None:
    rule = _rule(org)
    with pytest.raises(ProtectedRecordError):
        rule.delete()
    with pytest.raises(ValidationError) as refused:
        S.reward_rule_void(actor=org.cqo, rule=rule, reason=" ")
    assert "reason" in refused.value.message_dict
    S.reward_rule_void(actor=org.cqo, rule=rule, reason="办法修订")
    rule.refresh_from_db()
    assert rule.voided_at is not None and rule.void_reason == "办法修订"
    event = AuditEvent.objects.filter(action="costs.rewardrule.void").get()
    assert event.clause == "§7.2.4.2"
    with pytest.raises(ValidationError) as refused:
        _raise(org, rule)
    assert "rule" in refused.value.message_dict
    with pytest.raises(PermissionDenied):
        S.reward_rule_create(actor=org.head, code="X", kind="reward", title="x", basis="x",
                             amount_max="10", active_from=today())  # fmt: skip


def test_the_person_concerned_cannot_decide_their_own_reward(org: Org) -> None:
    decision = _raise(org, _rule(org), person=org.cqo.person)
    with pytest.raises(PermissionDenied) as refused:
        S.reward_decision_decide(actor=org.cqo, decision=decision, approve=True)
    assert "§7.2.4.2" in str(refused.value)
    decision.refresh_from_db()
    assert decision.status == DecisionStatus.PROPOSED and decision.decided_by is None


def test_whoever_raised_a_decision_cannot_decide_it(org: Org) -> None:
    decision = S.reward_decision_raise(actor=org.cqo, rule=_rule(org), unit=org.production,
                                       amount="500", reason="x", source_ref="y")  # fmt: skip
    with pytest.raises(PermissionDenied):
        S.reward_decision_decide(actor=org.cqo, decision=decision, approve=True)


def test_a_decision_needs_evidence_and_an_amount_within_the_rule(org: Org) -> None:
    rule = _rule(org)
    with pytest.raises(ValidationError) as refused:
        _raise(org, rule, source_ref="")
    assert "evidence" in refused.value.message_dict
    with pytest.raises(ValidationError) as refused:
        _raise(org, rule, amount="99999")
    assert "§7.2.4.2" in refused.value.message_dict["amount"][0]
    with pytest.raises(ValidationError) as refused:
        _raise(org, rule, amount="abc")
    assert "amount" in refused.value.message_dict
    bad = SimpleUploadedFile("x.pdf", b"MZ\x90\x00 not a pdf", content_type="application/pdf")
    with pytest.raises(ValidationError) as refused:
        _raise(org, rule, source_ref="", evidence=bad)
    assert "evidence" in refused.value.message_dict
    decision = _raise(org, rule, source_ref="", evidence=voucher("evidence.pdf"))
    assert decision.evidence and len(decision.evidence_sha256) == 64


def test_a_decided_reward_is_paid_from_the_fund_and_moves_the_purposes_balance(org: Org) -> None:
    fund, _purposes = fund_with_purposes(org)
    decision = _raise(org, _rule(org), amount="5000")
    decision = S.reward_decision_decide(actor=org.cqo, decision=decision, approve=True)
    assert decision.status == DecisionStatus.DECIDED and decision.fund_refusal == ""
    spending = decision.spending
    assert spending is not None and spending.purpose.kind == PurposeKind.REWARDS
    assert spending.amount == Decimal("5000.00") and spending.unit == org.production
    assert _rewards(fund).available == Decimal("25000.00")
    spending = decide(org.principal, spending)  # raised by the CQO: the principal decides
    assert spending.status == SpendingStatus.APPROVED
    row = _rewards(fund)
    assert (row.balance, row.approved) == (Decimal("25000.00"), Decimal("5000.00"))


def test_an_over_balance_reward_is_refused_by_the_fund_naming_the_field_and_clause(
    org: Org,
) -> None:
    fund, _purposes = fund_with_purposes(org)
    decision = _raise(org, _rule(org), amount="30000.01")
    with translation.override("en"):
        decision = S.reward_decision_decide(actor=org.cqo, decision=decision, approve=True)
    assert decision.status == DecisionStatus.DECIDED and decision.spending is None
    assert decision.fund_refusal.startswith("Amount:") and "§8.1" in decision.fund_refusal
    assert _rewards(fund).available == Decimal("30000.00")
    assert AuditEvent.objects.filter(action="costs.rewarddecision.fund").exists()


def test_a_decided_penalty_appears_on_the_persons_quality_record(org: Org) -> None:
    rule = _rule(org, RewardKind.PENALTY)
    decision = _raise(org, rule, amount="500", person=org.inspector.person)
    assert quality_record(person=org.inspector.person) == []
    S.reward_decision_decide(actor=org.cqo, decision=decision, approve=True)
    [entry] = quality_record(person=org.inspector.person)
    assert (entry.kind, entry.clause, entry.amount) == ("penalty", "§7.2.4.2", Decimal("500.00"))
    rejected = _raise(org, rule, amount="300", person=org.engineer.person)
    S.reward_decision_decide(actor=org.cqo, decision=rejected, approve=False, note="证据不足")
    assert quality_record(person=org.engineer.person) == []


def test_a_decided_reward_appears_on_the_record_for_the_appraisal_to_credit(org: Org) -> None:
    decision = _raise(org, _rule(org), amount="800", person=org.inspector.person)
    S.reward_decision_decide(actor=org.cqo, decision=decision, approve=True)
    [entry] = quality_record(person=org.inspector.person)
    assert (entry.kind, entry.clause) == ("reward", "§7.2.4.2")
    assert decision.number in entry.title


def test_the_pages_show_and_raise_decisions_in_chinese(org: Org, client: Any) -> None:
    rule = _rule(org)
    client.force_login(org.head)
    with translation.override("zh-hans"):
        response = client.post(reverse("costs:reward_decision_new"), {
            "rule": rule.pk, "unit": org.production.pk, "amount": "abc", "reason": "成果",
            "source_ref": "评审"}, HTTP_ACCEPT_LANGUAGE="zh-hans")  # fmt: skip
        assert response.status_code == 200 and "§7.2.4.2" in response.content.decode()
        response = client.post(reverse("costs:reward_decision_new"), {
            "rule": rule.pk, "unit": org.production.pk, "amount": "800", "reason": "成果",
            "source_ref": "评审"})  # fmt: skip
    decision = RewardDecision.objects.get()
    assert response.status_code == 302 and response["Location"] == decision.get_absolute_url()
    response = client.get(reverse("costs:reward_decision_list") + "?kind=reward")
    assert decision.number in response.content.decode()
    client.force_login(org.cqo)
    response = client.post(reverse("costs:reward_decision_decide", args=[decision.pk]),
                           {"approve": "on"})  # fmt: skip
    decision.refresh_from_db()
    assert decision.status == DecisionStatus.DECIDED
    page = client.get(decision.get_absolute_url()).content.decode()
    assert "fund-refusal" in page  # no fund this year: the refusal shows


def test_the_api_sets_a_rule_raises_and_decides(org: Org) -> None:
    from rest_framework.test import APIClient

    api = APIClient()
    api.force_authenticate(org.cqo)
    response = api.post("/api/v1/costs/rewards/rules/", {
        "code": "JL-9", "kind": "reward", "title": "奖", "basis": "办法", "amount_max": "100.00",
        "active_from": today().isoformat()}, format="json")  # fmt: skip
    assert response.status_code == 201, response.content
    rule = response.json()["id"]
    api.force_authenticate(org.head)
    response = api.post("/api/v1/costs/rewards/decisions/", {
        "rule": rule, "unit": org.production.pk, "amount": "50.00", "reason": "x",
        "source_ref": "y"}, format="json")  # fmt: skip
    assert response.status_code == 201, response.content
    pk = response.json()["id"]
    response = api.post(f"/api/v1/costs/rewards/decisions/{pk}/decide/", {"approve": True},
                        format="json")  # fmt: skip
    assert response.status_code == 403
    api.force_authenticate(org.cqo)
    response = api.post(f"/api/v1/costs/rewards/decisions/{pk}/decide/", {"approve": True},
                        format="json")  # fmt: skip
    assert response.status_code == 200 and response.json()["status"] == "decided"


def test_its_raiser_withdraws_a_decision_awaiting_the_cqo_with_a_reason(org: Org) -> None:
    decision = _raise(org, _rule(org, RewardKind.PENALTY), amount="500",
                      person=org.inspector.person)  # fmt: skip
    with pytest.raises(ProtectedRecordError):
        decision.delete()
    with pytest.raises(ValidationError) as refused:
        S.reward_decision_void(actor=org.head, decision=decision, reason=" ")
    assert "reason" in refused.value.message_dict
    with pytest.raises(PermissionDenied):  # not the raiser, not the CQO
        S.reward_decision_void(actor=org.engineer, decision=decision, reason="x")
    decision = S.reward_decision_void(actor=org.head, decision=decision, reason="记错了人")
    assert decision.voided_at is not None and decision.void_reason == "记错了人"
    event = AuditEvent.objects.get(action="costs.rewarddecision.void")
    assert (event.clause, event.reason) == ("§7.2.4.2", "记错了人")
    with pytest.raises(ValidationError):
        S.reward_decision_void(actor=org.cqo, decision=decision, reason="again")
    with pytest.raises(ValidationError):  # a voided decision is not decided any more
        S.reward_decision_decide(actor=org.cqo, decision=decision, approve=True)


def test_a_voided_penalty_leaves_the_quality_record_and_only_the_cqo_voids_it_once_decided(
    org: Org,
) -> None:
    decision = _raise(org, _rule(org, RewardKind.PENALTY), amount="500",
                      person=org.inspector.person)  # fmt: skip
    S.reward_decision_decide(actor=org.cqo, decision=decision, approve=True)
    assert len(quality_record(person=org.inspector.person)) == 1
    # decided: the raiser may no longer withdraw it, even holding a copy from before
    with pytest.raises(PermissionDenied):
        S.reward_decision_void(actor=org.head, decision=decision, reason="撤回")
    S.reward_decision_void(actor=org.cqo, decision=decision, reason="复核后撤销")
    assert quality_record(person=org.inspector.person) == []


def test_a_reward_whose_spending_stands_in_the_fund_is_voided_only_once_the_fund_settles_it(
    org: Org,
) -> None:
    fund, _purposes = fund_with_purposes(org)
    decision = S.reward_decision_decide(actor=org.cqo, decision=_raise(org, _rule(org)),
                                        approve=True)  # fmt: skip
    spending = decision.spending
    assert spending is not None and spending.status == SpendingStatus.SUBMITTED
    with translation.override("en"), pytest.raises(ValidationError) as refused:
        S.reward_decision_void(actor=org.cqo, decision=decision, reason="重复")
    message = refused.value.message_dict["decision"][0]
    assert spending.number in message and "§8.1" in message
    decide(org.principal, spending, "reject", "已另行奖励")
    decision = S.reward_decision_void(actor=org.cqo, decision=decision, reason="重复")
    assert decision.voided_at is not None
    assert _rewards(fund).available == Decimal("30000.00")


def test_a_reward_the_fund_refused_is_sent_again_once_the_fund_can_take_it(org: Org) -> None:
    decision = S.reward_decision_decide(actor=org.cqo, decision=_raise(org, _rule(org)),
                                        approve=True)  # fmt: skip
    assert decision.spending is None and decision.fund_refusal  # no fund this year
    with pytest.raises(ValidationError):  # a decision still awaiting the CQO is not paid
        S.reward_decision_pay(actor=org.cqo, decision=_raise(org, _rule(org, code="JL-02")))
    with pytest.raises(PermissionDenied):
        S.reward_decision_pay(actor=org.head, decision=decision)
    decision = S.reward_decision_pay(actor=org.cqo, decision=decision)  # still no fund
    assert decision.spending is None and decision.fund_refusal
    fund, _purposes = fund_with_purposes(org)
    decision = S.reward_decision_pay(actor=org.cqo, decision=decision)
    assert decision.spending is not None and decision.fund_refusal == ""
    assert decision.spending.amount == Decimal("5000.00")
    assert _rewards(fund).available == Decimal("25000.00")
    with pytest.raises(ValidationError):  # its spending now stands in the fund
        S.reward_decision_pay(actor=org.cqo, decision=decision)
    assert AuditEvent.objects.filter(action="costs.rewarddecision.fund").count() == 3


def test_the_cqo_voids_and_sends_again_from_the_decisions_page(org: Org, client: Any) -> None:
    decision = S.reward_decision_decide(actor=org.cqo, decision=_raise(org, _rule(org)),
                                        approve=True)  # fmt: skip
    client.force_login(org.cqo)
    page = client.get(decision.get_absolute_url()).content.decode()
    assert 'id="pay-form"' in page and 'id="void-form"' in page
    fund_with_purposes(org)
    response = client.post(reverse("costs:reward_decision_pay", args=[decision.pk]))
    assert response.status_code == 302
    decision.refresh_from_db()
    assert decision.spending is not None
    page = client.get(decision.get_absolute_url()).content.decode()
    assert 'id="pay-form"' not in page
    client.force_login(org.head)  # the raiser: decided, so no void form for them
    assert 'id="void-form"' not in client.get(decision.get_absolute_url()).content.decode()
    response = client.post(reverse("costs:reward_decision_void", args=[decision.pk]),
                           {"reason": "x"})  # fmt: skip
    assert response.status_code == 403
    client.force_login(org.cqo)
    with translation.override("zh-hans"):
        response = client.post(reverse("costs:reward_decision_void", args=[decision.pk]),
                               {"reason": "重复"}, HTTP_ACCEPT_LANGUAGE="zh-hans")  # fmt: skip
    assert response.status_code == 302
    decision.refresh_from_db()
    assert decision.voided_at is None  # its spending awaits the principal: refused, shown
    page = client.get(decision.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert "§8.1" in page.content.decode()


def test_the_api_voids_a_decision_and_sends_a_refused_reward_again(org: Org) -> None:
    from rest_framework.test import APIClient

    decision = S.reward_decision_decide(actor=org.cqo, decision=_raise(org, _rule(org)),
                                        approve=True)  # fmt: skip
    api = APIClient()
    api.force_authenticate(org.cqo)
    base = f"/api/v1/costs/rewards/decisions/{decision.pk}"
    fund_with_purposes(org)
    response = api.post(f"{base}/pay/", {}, format="json")
    assert response.status_code == 200, response.content
    assert response.json()["spending"] is not None
    response = api.post(f"{base}/void/", {"reason": ""}, format="json")
    assert response.status_code == 400 and "reason" in response.json()
    api.force_authenticate(org.head)
    response = api.post(f"{base}/void/", {"reason": "x"}, format="json")
    assert response.status_code == 403


def test_the_page_refuses_to_void_without_a_reason_naming_the_clause(org: Org, client: Any) -> None:
    decision = _raise(org, _rule(org))
    client.force_login(org.head)  # its raiser, while it awaits the CQO
    response = client.post(reverse("costs:reward_decision_void", args=[decision.pk]),
                           {"reason": "  "}, follow=True)  # fmt: skip
    decision.refresh_from_db()
    assert decision.voided_at is None
    assert "请填写作废原因（§7.2.4.2）" in response.content.decode()
    assert not AuditEvent.objects.filter(action="costs.rewarddecision.void").exists()
