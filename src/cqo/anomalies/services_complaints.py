"""Customer complaints (§6 c)): recorded by quality engineers, the CQO or the deputy; each one
opens a nonconformance report (the NCR part's ``anomaly_raise`` with source "complaint"), whose
review, dispositions and CAPA / 8D the other parts keep. The complaint itself keeps what the
customer was promised: containment by ``containment_due``, the 8D report by ``eightd_due``,
from the customer's response policy; the daily reminder escalates a missed deadline to the CQO.

received → contained → 8D report submitted → closed; rejected or withdrawn (with the reason)
from any open state. Closing confirms the customer accepted the response, so it is done by
someone other than the complaint's owner and its recorder.
"""

from __future__ import annotations

import datetime
import uuid
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from cqo.accounts.models import User
from cqo.audit.services import audit_record, audited_change, record_void, snapshot
from cqo.core.clauses import clause
from cqo.core.permissions import require
from cqo.core.sod import sod_check
from cqo.masterdata.models import Customer, DefectClass, Item, Lot

from .models_complaints import (
    OPEN_STATUSES,
    Complaint,
    ComplaintPolicy,
    ComplaintStatus,
)
from .selectors_complaints import policy_for

CLAUSE = clause("§6 c)")
PERM_ADD = "anomalies.add_complaint"
PERM_CHANGE = "anomalies.change_complaint"
PERM_CLOSE = "anomalies.close_complaint"
PERM_VOID = "anomalies.void_complaint"
PERM_POLICY = "anomalies.change_complaintpolicy"
MAX_AMOUNT = Decimal("999999999999.99")
MAX_QUANTITY = Decimal("99999999999.999")
# A complaint "received" a little ahead of the server's clock is a clock skew, not the future.
CLOCK_SKEW = datetime.timedelta(minutes=5)


def _text(value: Any, field: str, message: str, *, limit: int = 4000) -> str:
    text = str(value or "").strip()
    if not text:
        raise ValidationError({field: message})
    if len(text) > limit:
        raise ValidationError(
            {field: _("At most %(n)d characters (%(clause)s).") % {"n": limit, "clause": CLAUSE}}
        )
    return text


def _decimal(value: Any, field: str, *, places: int, top: Decimal) -> Decimal:
    if value in (None, ""):
        return Decimal("0")
    try:
        number = Decimal(str(value).strip().replace(",", ""))
    except (InvalidOperation, ValueError):
        number = Decimal("NaN")
    if not number.is_finite() or number < 0 or number > top:
        raise ValidationError(
            {
                field: _("Give a number from 0 to %(top)s (%(clause)s).")
                % {"top": top, "clause": CLAUSE}
            }
        )
    quantum = Decimal(1).scaleb(-places)
    if number != number.quantize(quantum):
        raise ValidationError(
            {
                field: _("Give at most %(n)d decimal places (%(clause)s).")
                % {"n": places, "clause": CLAUSE}
            }
        )
    return number.quantize(quantum)


def _open(complaint: Complaint) -> None:
    if complaint.voided_at is not None:
        raise ValidationError({"complaint": _("This complaint was voided.")})
    if complaint.status not in OPEN_STATUSES:
        raise ValidationError(
            {
                "status": _("This complaint is %(status)s: it takes no further step (%(clause)s).")
                % {"status": complaint.get_status_display(), "clause": CLAUSE}
            }
        )


# --- policies -------------------------------------------------------------------------------


def _whole(value: Any, field: str, low: int, high: int, message: str) -> int:
    try:
        number = int(str(value).strip())
    except (TypeError, ValueError):
        number = low - 1
    if not low <= number <= high:
        raise ValidationError({field: message})
    return number


@transaction.atomic
def complaint_policy_set(
    *,
    actor: User,
    customer: Customer | None,
    containment_hours: Any,
    eightd_days: Any,
    eightd_always: bool = True,
    note: str = "",
) -> ComplaintPolicy:
    """Agree the response deadlines with ``customer`` (None: the default for every customer
    without a policy). Complaints already received keep the deadlines they were given."""
    require(actor, PERM_POLICY, clause=CLAUSE)
    if customer is not None and customer.voided_at is not None:
        raise ValidationError({"customer": _("Choose a customer in use.")})
    hours = _whole(
        containment_hours, "containment_hours", 1, 24 * 30,
        _("Give the containment deadline in hours, 1 to 720 (%(clause)s).") % {"clause": CLAUSE},
    )  # fmt: skip
    days = _whole(
        eightd_days, "eightd_days", 1, 365,
        _("Give the 8D deadline in days, 1 to 365 (%(clause)s).") % {"clause": CLAUSE},
    )  # fmt: skip
    note = str(note or "").strip()[:200]
    current = (
        ComplaintPolicy.objects.select_for_update()
        .filter(customer=customer, voided_at__isnull=True)
        # Not the model's ordering by customer code: PostgreSQL locks no row of an outer join.
        .order_by("pk")
        .first()
    )
    if current is None:
        policy = ComplaintPolicy(
            customer=customer, containment_hours=hours, eightd_days=days,
            eightd_always=bool(eightd_always), note=note,
        )  # fmt: skip
        policy.save()
        audit_record(
            actor=actor, action="anomalies.complaintpolicy.create", obj=policy,
            after=snapshot(policy), clause=CLAUSE,
        )  # fmt: skip
        return policy
    with audited_change(
        actor=actor, obj=current, action="anomalies.complaintpolicy.update", clause=CLAUSE
    ) as locked:
        locked.containment_hours = hours
        locked.eightd_days = days
        locked.eightd_always = bool(eightd_always)
        locked.note = note
    return locked


def complaint_policy_void(*, actor: User, policy: ComplaintPolicy, reason: str) -> Any:
    """Retire a customer's policy: its later complaints fall back to the default."""
    return record_void(actor=actor, record=policy, reason=reason, perm=PERM_POLICY, clause=CLAUSE)


# --- the complaint --------------------------------------------------------------------------


def _ncr_open(*, actor: User, complaint: Complaint) -> Any:
    """Open the complaint's nonconformance report through the NCR part's service for records of
    other parts (source "complaint", once per complaint number); the CAPA / 8D is kept on it."""
    from .services_ncr import LotLine, anomaly_requested_receiver

    quantity = complaint.quantity if complaint.quantity > 0 else None
    return anomaly_requested_receiver(
        None,
        actor=actor,
        source="complaint",
        source_ref=complaint.number,
        source_url=complaint.get_absolute_url(),
        title=_("Customer complaint %(number)s from %(customer)s")
        % {"number": complaint.number, "customer": complaint.customer.name},
        description=complaint.description,
        item=complaint.item,
        customer=complaint.customer,
        lots=[LotLine(lot=complaint.lot, quantity=quantity)] if complaint.lot else [],
        quantity=quantity,
        defect_class=complaint.defect_class or None,
        found_at="customer",
        found_on=timezone.localdate(complaint.received_at),
        owner=complaint.owner,
    )


@transaction.atomic
def complaint_record(
    *,
    actor: User,
    customer: Customer | None,
    item: Item | None,
    description: str,
    lot: Lot | None = None,
    serial: str = "",
    customer_ref: str = "",
    defect_class: str = "",
    quantity: Any = None,
    claim_amount: Any = None,
    received_at: datetime.datetime | None = None,
    owner: User | None = None,
) -> Complaint:
    """Record a customer complaint, give it its deadlines from the customer's policy and open
    its nonconformance report."""
    require(actor, PERM_ADD, clause=CLAUSE)
    if customer is None or customer.voided_at is not None:
        raise ValidationError(
            {"customer": _("Choose a customer in use (%(clause)s).") % {"clause": CLAUSE}}
        )
    if item is None or item.voided_at is not None:
        raise ValidationError(
            {"item": _("Choose a product in use (%(clause)s).") % {"clause": CLAUSE}}
        )
    if lot is not None:
        if lot.voided_at is not None:
            raise ValidationError(
                {"lot": _("This lot was voided: an anomaly on a voided lot is refused (%(clause)s).")
                 % {"clause": CLAUSE}}
            )  # fmt: skip
        if lot.item_id != item.pk:
            raise ValidationError(
                {"lot": _("Lot %(lot)s is not a lot of this product (%(clause)s).")
                 % {"lot": lot.number, "clause": CLAUSE}}
            )  # fmt: skip
    serial = str(serial or "").strip()[:80]
    description = _text(
        description, "description",
        _("Describe what the customer reports (%(clause)s).") % {"clause": CLAUSE},
    )  # fmt: skip
    if defect_class and defect_class not in DefectClass.values:
        raise ValidationError({"defect_class": _("Choose CR, MA or MI, or leave it empty.")})
    qty = _decimal(quantity, "quantity", places=3, top=MAX_QUANTITY)
    amount = _decimal(claim_amount, "claim_amount", places=2, top=MAX_AMOUNT)
    now = timezone.now()
    received = received_at or now
    if received > now + CLOCK_SKEW:
        raise ValidationError(
            {"received_at": _("A complaint cannot be received in the future (%(clause)s).")
             % {"clause": CLAUSE}}
        )  # fmt: skip
    owner = owner or actor
    if not owner.is_active or not owner.has_perm(PERM_CHANGE):
        raise ValidationError(
            {"owner": _("The owner must be someone who may handle complaints (%(clause)s).")
             % {"clause": CLAUSE}}
        )  # fmt: skip
    policy = policy_for(customer)
    eightd_required = policy.eightd_always or defect_class == DefectClass.CR
    complaint = Complaint(
        number=f"TMP-{uuid.uuid4().hex[:24]}",
        customer=customer, item=item, lot=lot, serial=serial,
        customer_ref=str(customer_ref or "").strip()[:80], description=description,
        defect_class=defect_class or "", quantity=qty, claim_amount=amount,
        received_at=received,
        containment_due=received + datetime.timedelta(hours=policy.containment_hours),
        eightd_required=eightd_required,
        eightd_due=received + datetime.timedelta(days=policy.eightd_days) if eightd_required else None,
        owner=owner, raised_by=actor,
    )  # fmt: skip
    complaint.save()
    complaint.number = f"CC-{timezone.localdate(received):%Y}-{complaint.pk:06d}"
    Complaint.objects.filter(pk=complaint.pk).update(number=complaint.number)
    complaint.anomaly = _ncr_open(actor=actor, complaint=complaint)
    Complaint.objects.filter(pk=complaint.pk).update(anomaly=complaint.anomaly)
    audit_record(
        actor=actor, action="anomalies.complaint.record", obj=complaint,
        after=snapshot(complaint), clause=CLAUSE,
    )  # fmt: skip
    return complaint


def complaint_contain(
    *, actor: User, complaint: Complaint, note: str, at: datetime.datetime | None = None
) -> Complaint:
    """Record the containment the customer was told about (stock sorted, shipments stopped,
    replacement sent)."""
    require(actor, PERM_CHANGE, complaint, clause=CLAUSE)
    text = _text(
        note, "containment_note",
        _("Say what was done to contain the problem (%(clause)s).") % {"clause": CLAUSE},
    )  # fmt: skip
    with audited_change(
        actor=actor, obj=complaint, action="anomalies.complaint.contain", clause=CLAUSE
    ) as locked:
        _open(locked)
        if locked.status != ComplaintStatus.RECEIVED:
            raise ValidationError(
                {"status": _("The containment of this complaint was already recorded (%(clause)s).")
                 % {"clause": CLAUSE}}
            )  # fmt: skip
        when = at or timezone.now()
        if when < locked.received_at or when > timezone.now() + CLOCK_SKEW:
            raise ValidationError(
                {"contained_at": _("Contained between the complaint's receipt and now (%(clause)s).")
                 % {"clause": CLAUSE}}
            )  # fmt: skip
        locked.status = ComplaintStatus.CONTAINED
        locked.contained_at = when
        locked.containment_note = text
    return locked


def complaint_eightd_submit(
    *, actor: User, complaint: Complaint, note: str, at: datetime.datetime | None = None
) -> Complaint:
    """Record that the 8D report went to the customer (the report itself is the CAPA's, linked
    through the nonconformance report)."""
    require(actor, PERM_CHANGE, complaint, clause=CLAUSE)
    text = _text(
        note, "eightd_note",
        _("Say what was sent to the customer and how (%(clause)s).") % {"clause": CLAUSE},
    )  # fmt: skip
    with audited_change(
        actor=actor, obj=complaint, action="anomalies.complaint.eightd", clause=CLAUSE
    ) as locked:
        _open(locked)
        if locked.status != ComplaintStatus.CONTAINED:
            raise ValidationError(
                {"status": _("Record the containment before the 8D report (%(clause)s).")
                 % {"clause": CLAUSE}}
            )  # fmt: skip
        when = at or timezone.now()
        if locked.contained_at and when < locked.contained_at:
            raise ValidationError(
                {"eightd_submitted_at": _("The 8D report follows the containment (%(clause)s).")
                 % {"clause": CLAUSE}}
            )  # fmt: skip
        locked.status = ComplaintStatus.EIGHTD_SUBMITTED
        locked.eightd_submitted_at = when
        locked.eightd_note = text
    return locked


def complaint_close(*, actor: User, complaint: Complaint, outcome: str) -> Complaint:
    """Close a complaint the customer accepted the response to: contained, and its 8D report
    submitted when one was due. Someone other than its owner and recorder confirms it."""
    require(actor, PERM_CLOSE, complaint, clause=CLAUSE)
    sod_check(
        actor=actor, raised_by=complaint.raised_by, subject_people=[complaint.owner], clause=CLAUSE
    )
    text = _text(
        outcome, "outcome",
        _("Say how the customer accepted the response (%(clause)s).") % {"clause": CLAUSE},
    )  # fmt: skip
    with audited_change(
        actor=actor, obj=complaint, action="anomalies.complaint.close", clause=CLAUSE
    ) as locked:
        _open(locked)
        if locked.status == ComplaintStatus.RECEIVED:
            raise ValidationError(
                {"status": _("A complaint closes only once its containment is recorded (%(clause)s).")
                 % {"clause": CLAUSE}}
            )  # fmt: skip
        if locked.eightd_required and locked.status != ComplaintStatus.EIGHTD_SUBMITTED:
            raise ValidationError(
                {"status": _("This complaint closes only once its 8D report is submitted (%(clause)s).")
                 % {"clause": CLAUSE}}
            )  # fmt: skip
        locked.status = ComplaintStatus.CLOSED
        locked.closed_at = timezone.now()
        locked.closed_by = actor
        locked.outcome = text
    return locked


def _end(actor: User, complaint: Complaint, reason: str, status: str, action: str) -> Complaint:
    require(actor, PERM_CHANGE, complaint, clause=CLAUSE)
    text = _text(
        reason, "reason", _("Give the reason (%(clause)s).") % {"clause": CLAUSE}, limit=2000
    )
    with audited_change(
        actor=actor, obj=complaint, action=action, clause=CLAUSE, reason=text
    ) as locked:
        _open(locked)
        locked.status = status
        locked.closed_at = timezone.now()
        locked.closed_by = actor
        locked.outcome = text
    return locked


def complaint_reject(*, actor: User, complaint: Complaint, reason: str) -> Complaint:
    """The complaint is not justified (the product met the agreed requirement, misuse…)."""
    return _end(actor, complaint, reason, ComplaintStatus.REJECTED, "anomalies.complaint.reject")


def complaint_withdraw(*, actor: User, complaint: Complaint, reason: str) -> Complaint:
    """The customer withdrew the complaint."""
    return _end(actor, complaint, reason, ComplaintStatus.WITHDRAWN, "anomalies.complaint.withdraw")


def complaint_void(*, actor: User, complaint: Complaint, reason: str) -> Any:
    """A complaint recorded in error is voided with the reason, never deleted."""
    return record_void(actor=actor, record=complaint, reason=reason, perm=PERM_VOID, clause=CLAUSE)
