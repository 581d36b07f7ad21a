"""The review board (§6 c)): opinions, dispositions per quantity, the CQO's approval of those the
policy sends her, the veto of a disposition (§6 i)), and the costs dispositions leave (§7.1.5)."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import translation

from cqo.anomalies import services_costs as C
from cqo.anomalies import services_mrb as S
from cqo.anomalies.models import AnomalyStatus, CostEntry, DispositionStatus, ReviewPolicy
from cqo.audit.models import AuditEvent, Signature
from cqo.authorities.models import ApprovalStatus
from cqo.authorities.services import approval_decide, veto_impose
from cqo.authorities.vetoable import VetoActiveError
from cqo.core.costs import cost_lines
from cqo.masterdata.models import DefectClass, StockStatus
from cqo.testing.mrb import rejected_ncr
from cqo.testing.world import PASSWORD, Org, days, today


def _approve(org: Org, disposition: Any, *, who: Any = None) -> Any:
    disposition.refresh_from_db()
    return approval_decide(
        actor=who or org.cqo, request=disposition.approval, decision="approve",
        reason="风险可控", password=PASSWORD,
    )  # fmt: skip


def test_a_scrap_below_the_thresholds_is_decided_by_the_board_and_dispositions_the_ncr(
    org: Org,
) -> None:
    ncr = rejected_ncr(org.engineer, quantity="40")
    d = S.disposition_propose(
        actor=org.engineer, anomaly=ncr, kind="scrap", quantity="40", reason="裂纹无法返工",
        unit_cost="12.50",
    )  # fmt: skip
    assert d.status == DispositionStatus.DECIDED and not d.needs_approval
    assert d.cost == Decimal("500.00") and d.approval is None
    ncr.refresh_from_db()
    assert ncr.status == AnomalyStatus.DISPOSITIONED
    assert AuditEvent.objects.filter(action="anomalies.disposition.create").count() == 1


def test_it_refuses_a_disposition_above_the_quantity_left_naming_the_field_and_clause(
    org: Org,
) -> None:
    ncr = rejected_ncr(org.engineer, quantity="100")
    S.disposition_propose(
        actor=org.engineer, anomaly=ncr, kind="rework", quantity="70", reason="返工"
    )
    with translation.override("en"), pytest.raises(ValidationError) as exc:
        S.disposition_propose(
            actor=org.engineer, anomaly=ncr, kind="scrap", quantity="31", reason="报废"
        )
    message = exc.value.message_dict["quantity"][0]
    assert "at most 30 remains" in message and "§6 c)" in message
    with translation.override("zh-hans"), pytest.raises(ValidationError) as exc:
        S.disposition_propose(
            actor=org.engineer, anomaly=ncr, kind="scrap", quantity="31", reason="报废"
        )
    assert "§6 c)" in exc.value.message_dict["quantity"][0]
    # the last 30 still fit
    S.disposition_propose(
        actor=org.engineer, anomaly=ncr, kind="scrap", quantity="30", reason="报废"
    )
    assert S.quantity_left(ncr) == 0


def test_a_concession_goes_to_the_cqo_whose_signed_approval_releases_the_lot_conditionally(
    org: Org,
) -> None:
    ncr = rejected_ncr(org.engineer, quantity="500")
    lot = S.anomaly_lots(ncr)[0]
    d = S.disposition_propose(
        actor=org.engineer, anomaly=ncr, kind="concession", quantity="200",
        reason="孔径超上限 0.02 mm，装配验证不影响功能", conditions="仅用于本月订单",
    )  # fmt: skip
    assert d.status == DispositionStatus.SUBMITTED and d.lot == lot
    assert d.approval.kind == "ncr_disposition" and d.approval.authority == "c"
    assert "a concession" in d.approval_grounds or "让步" in d.approval_grounds
    lot.refresh_from_db()
    assert lot.stock_status == StockStatus.REJECTED
    request = _approve(org, d)
    assert request.status == ApprovalStatus.APPROVED
    d.refresh_from_db()
    lot.refresh_from_db()
    assert d.status == DispositionStatus.DECIDED and d.lot_released
    assert lot.stock_status == StockStatus.CONDITIONAL
    noted = AuditEvent.objects.get(action="anomalies.disposition.lot_release_quantity")
    assert noted.after["quantity"] == "200.000" and noted.after["lot"] == lot.number
    # the approver signed the request, and with it what the disposition says (the NCR's lots)
    signed = Signature.objects.get(object_type="authorities.approvalrequest",
                                   object_id=str(request.pk))  # fmt: skip
    assert signed.signer_id == org.cqo.pk
    assert S.disposition_content(d)["lots"] == [lot.number]


def test_a_concession_without_conditions_is_refused(org: Org) -> None:
    ncr = rejected_ncr(org.engineer)
    with pytest.raises(ValidationError) as exc:
        S.disposition_propose(
            actor=org.engineer, anomaly=ncr, kind="concession", quantity="5", reason="x"
        )
    assert "conditions" in exc.value.message_dict


def test_whoever_proposed_a_disposition_cannot_approve_it(org: Org) -> None:
    ncr = rejected_ncr(org.engineer, defect_class=DefectClass.CR)
    d = S.disposition_propose(
        actor=org.cqo, anomaly=ncr, kind="scrap", quantity="10", reason="CR 缺陷报废"
    )
    assert d.status == DispositionStatus.SUBMITTED
    with pytest.raises(PermissionDenied):
        _approve(org, d, who=org.cqo)
    # the CQO's own request goes to the principal
    _approve(org, d, who=org.principal)
    d.refresh_from_db()
    assert d.status == DispositionStatus.DECIDED


def test_any_disposition_of_a_critical_defect_needs_approval(org: Org) -> None:
    ncr = rejected_ncr(org.engineer, defect_class=DefectClass.CR, quantity="3")
    d = S.disposition_propose(
        actor=org.engineer, anomaly=ncr, kind="return_to_supplier", quantity="3", reason="退货"
    )
    assert d.needs_approval and d.status == DispositionStatus.SUBMITTED
    ncr.refresh_from_db()
    assert ncr.status == AnomalyStatus.REVIEW  # not dispositioned while the CQO has it


def test_the_cqo_sets_the_thresholds_and_a_costly_disposition_then_needs_approval(
    org: Org,
) -> None:
    with pytest.raises(PermissionDenied):
        S.review_policy_update(
            actor=org.engineer, cost_threshold="100", quantity_threshold="", reason="x"
        )
    with pytest.raises(ValidationError) as exc:
        S.review_policy_update(
            actor=org.cqo, cost_threshold="100", quantity_threshold="", reason=" "
        )
    assert "reason" in exc.value.message_dict
    S.review_policy_update(
        actor=org.cqo, cost_threshold="1000", quantity_threshold="50", reason="年度评审"
    )
    assert ReviewPolicy.objects.count() == 1
    assert AuditEvent.objects.filter(action="anomalies.reviewpolicy.update").exists()
    ncr = rejected_ncr(org.engineer, quantity="100")
    cheap = S.disposition_propose(
        actor=org.engineer, anomaly=ncr, kind="rework", quantity="10", reason="返工",
        hours="2", hourly_rate="60",
    )  # fmt: skip
    assert cheap.status == DispositionStatus.DECIDED
    costly = S.disposition_propose(
        actor=org.engineer, anomaly=ncr, kind="rework", quantity="20", reason="返工",
        hours="20", hourly_rate="60",
    )  # fmt: skip
    assert costly.status == DispositionStatus.SUBMITTED and "1000" in costly.approval_grounds
    many = S.disposition_propose(
        actor=org.engineer, anomaly=ncr, kind="use_as_is", quantity="50", reason="外观"
    )
    assert many.status == DispositionStatus.SUBMITTED


def test_a_vetoed_disposition_is_neither_approved_nor_marked_done(org: Org) -> None:
    ncr = rejected_ncr(org.engineer, defect_class=DefectClass.CR, quantity="10")
    d = S.disposition_propose(
        actor=org.engineer, anomaly=ncr, kind="use_as_is", quantity="10", reason="特采"
    )
    veto_impose(actor=org.cqo, subject=d, reason="安全件不得特采", password=PASSWORD)
    with pytest.raises(VetoActiveError):
        _approve(org, d, who=org.cqo)
    d.refresh_from_db()
    assert d.status == DispositionStatus.SUBMITTED
    ncr2 = rejected_ncr(org.engineer, quantity="10")
    decided = S.disposition_propose(
        actor=org.engineer, anomaly=ncr2, kind="scrap", quantity="10", reason="报废"
    )
    veto_impose(actor=org.cqo, subject=decided, reason="需复检", password=PASSWORD)
    with pytest.raises(VetoActiveError):
        S.disposition_complete(actor=org.engineer, disposition=decided)


def test_marking_scrap_and_rework_done_writes_cost_lines_of_the_cost_chart(org: Org) -> None:
    ncr = rejected_ncr(org.engineer, quantity="100")
    scrap = S.disposition_propose(
        actor=org.engineer, anomaly=ncr, kind="scrap", quantity="30", reason="报废",
        unit_cost="8.5",
    )  # fmt: skip
    rework = S.disposition_propose(
        actor=org.engineer, anomaly=ncr, kind="rework", quantity="70", reason="返工",
        hours="6", hourly_rate="45",
    )  # fmt: skip
    S.disposition_complete(actor=org.head, disposition=scrap, note="已报废")
    S.disposition_complete(actor=org.engineer, disposition=rework)
    entries = {e.item_code: e for e in CostEntry.objects.filter(record_id=ncr.pk)}
    assert entries["i_scrap"].amount == Decimal("255.00")
    assert entries["i_rework"].amount == Decimal("270.00")
    assert entries["i_rework"].quantity == Decimal("6.000")
    lines = [x for x in cost_lines(days(-1), today()) if x.source == "anomalies"]
    assert {x.item_code for x in lines} == {"i_scrap", "i_rework"}
    assert all(x.item_id == ncr.item_id and x.supplier_id == ncr.supplier_id for x in lines)
    assert all(x.category == "internal" for x in lines)
    assert S.closure_obstacles(ncr) == []
    with pytest.raises(ValidationError):
        S.disposition_complete(actor=org.engineer, disposition=scrap)


def test_a_cost_by_hand_is_quantity_times_rate_or_an_amount_and_is_voided_with_a_reason(
    org: Org,
) -> None:
    ncr = rejected_ncr(org.engineer)
    sorting = C.cost_entry_add(
        actor=org.engineer, record=ncr, item_code="i_nonconformity", quantity="12",
        rate="35", note="挑选 12 工时",
    )  # fmt: skip
    assert sorting.amount == Decimal("420.00") and sorting.record_type == "anomalies.anomaly"
    freight = C.cost_entry_add(
        actor=org.engineer, record=ncr, item_code="e_returns", amount="180",
        incurred_on=today() - datetime.timedelta(days=2),
    )  # fmt: skip
    assert freight.amount == Decimal("180.00")
    with pytest.raises(ValidationError) as exc:
        C.cost_entry_add(actor=org.engineer, record=ncr, item_code="i_scrap", quantity="3")
    assert "rate" in exc.value.message_dict
    with pytest.raises(ValidationError) as exc:
        C.cost_entry_add(actor=org.engineer, record=ncr, item_code="nope", amount="1")
    assert "item_code" in exc.value.message_dict
    with pytest.raises(ValidationError) as exc:
        C.cost_entry_add(
            actor=org.engineer, record=ncr, item_code="i_scrap", amount="1", incurred_on=days(3)
        )
    assert "incurred_on" in exc.value.message_dict
    with pytest.raises(PermissionDenied):
        C.cost_entry_add(actor=org.auditor, record=ncr, item_code="i_scrap", amount="1")
    C.cost_entry_void(actor=org.engineer, entry=freight, reason="重复录入")
    keys = {x.key for x in cost_lines(days(-5), today()) if x.source == "anomalies"}
    assert keys == {f"cost-{sorting.pk}"}


def test_closure_waits_for_the_whole_quantity_and_every_disposition_done(org: Org) -> None:
    ncr = rejected_ncr(org.engineer, quantity="100")
    with translation.override("en"):
        assert "0 of the nonconforming quantity 100" in S.closure_obstacles(ncr)[0]
    d = S.disposition_propose(
        actor=org.engineer, anomaly=ncr, kind="return_to_supplier", quantity="100",
        reason="退供方",
    )  # fmt: skip
    with translation.override("en"):
        found = S.closure_obstacles(ncr)
    assert len(found) == 1 and "not yet done" in found[0] and "§6 c)" in found[0]
    S.disposition_complete(actor=org.engineer, disposition=d)
    assert S.closure_obstacles(ncr) == []


def test_voiding_a_decided_disposition_frees_its_quantity_and_reopens_the_review(
    org: Org,
) -> None:
    ncr = rejected_ncr(org.engineer, quantity="10")
    d = S.disposition_propose(
        actor=org.engineer, anomaly=ncr, kind="scrap", quantity="10", reason="报废"
    )
    ncr.refresh_from_db()
    assert ncr.status == AnomalyStatus.DISPOSITIONED
    with pytest.raises(ValidationError):
        S.disposition_void(actor=org.engineer, disposition=d, reason=" ")
    S.disposition_void(actor=org.engineer, disposition=d, reason="录错")
    ncr.refresh_from_db()
    assert ncr.status == AnomalyStatus.REVIEW and S.quantity_left(ncr) == 10


def test_a_board_member_records_an_opinion_and_an_auditor_may_not(org: Org) -> None:
    ncr = rejected_ncr(org.engineer)
    opinion = S.opinion_record(
        actor=org.head, anomaly=ncr, text="建议返工后全检", stance="conditions",
        recommendation="rework", role="生产部",
    )  # fmt: skip
    assert opinion.member == org.head
    ncr.refresh_from_db()
    assert ncr.status == AnomalyStatus.REVIEW
    with pytest.raises(PermissionDenied):
        S.opinion_record(actor=org.auditor, anomaly=ncr, text="x")
    with pytest.raises(ValidationError) as exc:
        S.opinion_record(actor=org.inspector, anomaly=ncr, text="x", recommendation="burn")
    assert "recommendation" in exc.value.message_dict
