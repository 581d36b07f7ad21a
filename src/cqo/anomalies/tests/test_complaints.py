"""Customer complaints (§6 c)): deadlines from the customer's policy, the NCR each one opens,
the steps to closure, the refusals, and the escalation of an overdue response to the CQO."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone, translation

from cqo.anomalies import services_complaints as S
from cqo.anomalies.models_complaints import Complaint, ComplaintStatus
from cqo.anomalies.panels_complaints import overdue_complaint_items
from cqo.anomalies.selectors_complaints import complaint_deadlines, complaints_filtered
from cqo.anomalies.tasks_complaints import complaints_escalate
from cqo.audit.models import AuditEvent
from cqo.notifications.models import Notification
from cqo.testing.complaints import complaint_world, policy

pytestmark = pytest.mark.django_db
HOUR = datetime.timedelta(hours=1)


@pytest.fixture
def w(org: Any) -> Any:
    return complaint_world(created_by=org.engineer)


def _record(org: Any, w: Any, **extra: Any) -> Complaint:
    fields: dict[str, Any] = {
        "customer": w.customer, "item": w.item, "lot": w.lot,
        "description": "客户装配时发现孔径偏大", "quantity": "12", "claim_amount": "3500.50",
    }  # fmt: skip
    fields.update(extra)
    return S.complaint_record(actor=org.engineer, **fields)


def test_a_complaint_takes_its_deadlines_from_its_customers_policy(org: Any, w: Any) -> None:
    policy(w.customer, hours=12, days=10)
    policy(None, hours=48, days=30)
    received = timezone.now() - 2 * HOUR
    complaint = _record(org, w, received_at=received)
    assert complaint.containment_due == received + 12 * HOUR
    assert complaint.eightd_due == received + datetime.timedelta(days=10)
    assert complaint.number.startswith(f"CC-{timezone.localdate(received):%Y}-")
    assert complaint.claim_amount == Decimal("3500.50")


def test_a_customer_without_a_policy_gets_the_default_and_without_one_24_hours_and_14_days(
    org: Any, w: Any
) -> None:
    received = timezone.now()
    first = _record(org, w, received_at=received)
    assert first.containment_due == received + 24 * HOUR
    assert first.eightd_due == received + datetime.timedelta(days=14)
    S.complaint_policy_set(actor=org.cqo, customer=None, containment_hours=8, eightd_days=7)
    second = _record(org, w, received_at=received)
    assert second.containment_due == received + 8 * HOUR
    first.refresh_from_db()
    assert first.containment_due == received + 24 * HOUR  # a promise made stays made


def test_recording_a_complaint_opens_its_ncr_with_the_complaint_as_source(org: Any, w: Any) -> None:
    complaint = _record(org, w)
    anomaly = complaint.anomaly
    assert anomaly is not None
    assert anomaly.source == "complaint"
    assert anomaly.source_ref == complaint.number
    assert Complaint.objects.get(pk=complaint.pk).anomaly_id == anomaly.pk
    assert AuditEvent.objects.filter(action="anomalies.complaint.record").count() == 1


def test_a_critical_defect_asks_for_an_8d_report_where_the_policy_asks_none(
    org: Any, w: Any
) -> None:
    policy(w.customer, hours=24, days=20, always=False)
    minor = _record(org, w, defect_class="MI")
    critical = _record(org, w, defect_class="CR")
    assert (minor.eightd_required, minor.eightd_due) == (False, None)
    assert critical.eightd_required and critical.eightd_due is not None


@pytest.mark.parametrize(
    ("extra", "field"),
    [
        ({"claim_amount": "-1"}, "claim_amount"),
        ({"claim_amount": "10.005"}, "claim_amount"),
        ({"claim_amount": "abc"}, "claim_amount"),
        ({"quantity": "-3"}, "quantity"),
        ({"description": "  "}, "description"),
        ({"received_at": "future"}, "received_at"),
        ({"lot": "other"}, "lot"),
        ({"lot": "voided"}, "lot"),
    ],
)
def test_it_refuses_bad_input_naming_the_field_and_the_clause(
    org: Any, w: Any, extra: dict[str, Any], field: str
) -> None:
    from cqo.testing.masterdata import LotFactory

    if extra.get("received_at") == "future":
        extra = {"received_at": timezone.now() + datetime.timedelta(days=1)}
    if extra.get("lot") == "other":
        extra = {"lot": LotFactory(created_by=org.engineer)}
    if extra.get("lot") == "voided":
        w.lot.voided_at = timezone.now()
        w.lot.save()
        extra = {"lot": w.lot}
    with translation.override("zh-hans"), pytest.raises(ValidationError) as caught:
        _record(org, w, **extra)
    assert field in caught.value.message_dict
    message = " ".join(caught.value.message_dict[field])
    if field not in ("claim_amount", "quantity") or "abc" not in str(extra):
        assert "§6 c)" in message
    assert Complaint.objects.count() == 0


def test_an_inspector_may_not_record_a_complaint(org: Any, w: Any) -> None:
    with pytest.raises(PermissionDenied):
        S.complaint_record(
            actor=org.inspector, customer=w.customer, item=w.item, description="外观划伤"
        )


def test_a_complaint_goes_from_received_to_closed_by_someone_else(org: Any, w: Any) -> None:
    complaint = _record(org, w)
    with pytest.raises(ValidationError) as early:
        S.complaint_close(actor=org.deputy, complaint=complaint, outcome="客户认可")
    assert "status" in early.value.message_dict
    complaint = S.complaint_contain(actor=org.engineer, complaint=complaint, note="库存冻结、挑选")
    assert complaint.status == ComplaintStatus.CONTAINED
    with pytest.raises(ValidationError) as no_8d:
        S.complaint_close(actor=org.deputy, complaint=complaint, outcome="客户认可")
    assert "8D" in " ".join(no_8d.value.message_dict["status"])
    complaint = S.complaint_eightd_submit(actor=org.engineer, complaint=complaint, note="邮件提交")
    with pytest.raises(PermissionDenied):
        S.complaint_close(actor=org.engineer, complaint=complaint, outcome="客户认可")
    complaint = S.complaint_close(actor=org.deputy, complaint=complaint, outcome="客户认可")
    assert complaint.status == ComplaintStatus.CLOSED
    assert complaint.closed_by == org.deputy
    assert [d.state for d in complaint_deadlines(complaint)] == ["done", "done"]
    with pytest.raises(ValidationError):
        S.complaint_reject(actor=org.engineer, complaint=complaint, reason="晚了")


def test_a_rejection_needs_its_reason_and_ends_the_complaint(org: Any, w: Any) -> None:
    complaint = _record(org, w)
    with pytest.raises(ValidationError) as caught:
        S.complaint_reject(actor=org.engineer, complaint=complaint, reason=" ")
    assert "reason" in caught.value.message_dict
    complaint = S.complaint_withdraw(actor=org.engineer, complaint=complaint, reason="客户撤回")
    assert (complaint.status, complaint.outcome) == (ComplaintStatus.WITHDRAWN, "客户撤回")
    assert [d.state for d in complaint_deadlines(complaint)] == ["none", "none"]


def test_an_overdue_response_is_escalated_to_the_cqo_once_a_day(org: Any, w: Any) -> None:
    late = _record(org, w, received_at=timezone.now() - 30 * HOUR)
    _record(org, w)  # received now: nothing is due yet
    with translation.override("en"):
        assert [c.pk for c in complaints_filtered(org.cqo, due="overdue")] == [late.pk]
        first = complaints_escalate()
        again = complaints_escalate()
    assert (first["overdue"], first["escalated"]) == (1, 1)
    assert again["escalated"] == 0
    notes = Notification.objects.filter(url=late.get_absolute_url())
    assert {n.recipient for n in notes} == {org.cqo, org.engineer}
    assert late.number in notes.first().message_en  # type: ignore[union-attr]
    panel = overdue_complaint_items(org.cqo)
    assert [i.title.split(" · ")[0] for i in panel.items] == [late.number]
    S.complaint_contain(actor=org.engineer, complaint=late, note="已遏制")
    assert complaints_escalate(now=timezone.now() + 2 * HOUR)["overdue"] == 0


def test_a_policy_is_set_by_the_cqo_not_by_an_engineer_and_refuses_zero_hours(
    org: Any, w: Any
) -> None:
    with pytest.raises(PermissionDenied):
        S.complaint_policy_set(
            actor=org.engineer, customer=w.customer, containment_hours=24, eightd_days=14
        )
    with pytest.raises(ValidationError) as caught:
        S.complaint_policy_set(
            actor=org.cqo, customer=w.customer, containment_hours=0, eightd_days=14
        )
    assert "containment_hours" in caught.value.message_dict
    first = S.complaint_policy_set(
        actor=org.cqo, customer=w.customer, containment_hours=12, eightd_days=14
    )
    second = S.complaint_policy_set(
        actor=org.deputy, customer=w.customer, containment_hours=6, eightd_days=14
    )
    assert first.pk == second.pk and second.containment_hours == 6
