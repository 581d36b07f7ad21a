"""Every change to a recall case (§7.2.1.4): keyword-only, the actor's permission first, each
refusal naming the field and the clause, the change and its audit event in one transaction.

The CQO leads the case; the principal agrees to the decision (never the one who proposed it).
The stop holds every lot the forward trace reaches from the suspect lots, in one audited batch
(``cqo.masterdata.holds_bulk``), and the gate then refuses their shipment (§6 e)). Each case
event tells the regulator's clocks (``services_clocks.clocks_on_event``)."""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Iterable
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from cqo.audit.services import audit_record, audited_change, record_void, snapshot
from cqo.core.bulk import bulk_rows_create
from cqo.core.clauses import clause
from cqo.core.numbering import number_next
from cqo.core.permissions import require
from cqo.core.sod import sod_check
from cqo.masterdata.holds_bulk import lots_hold_lift_many, lots_hold_many
from cqo.masterdata.models import Item, Lot

from . import services_clocks, trace_case
from .models_case import (
    CaseStatus,
    Channel,
    CloseKind,
    DecisionKind,
    RecallCase,
    RecallLot,
    RecallProgress,
    RecallReport,
    RecallTarget,
    Remedy,
    ReportKind,
    SignalKind,
)

CLAUSE_RECALL = clause("§7.2.1.4")
CLAUSE_GATE = clause("§6 e)")

PERM_VIEW = "recall.view_recallcase"
PERM_OPEN = "recall.add_recallcase"
PERM_LEAD = "recall.lead_recallcase"
PERM_AGREE = "recall.agree_recallcase"
PERM_VOID = "recall.void_recallcase"

ZERO = Decimal("0")


def _with(message: str, code: str = CLAUSE_RECALL) -> str:
    return f"{message} ({code})"


def _qty(value: Decimal) -> str:
    """A quantity as people write it: 600, 12.5 (never 6E+2)."""
    return format(value.normalize(), "f")


def _blank(value: Any) -> str:
    return (value or "").strip() if isinstance(value, str) else ""


def _required(value: Any, field: str, message: str) -> str:
    text = _blank(value)
    if not text:
        raise ValidationError({field: _with(message)})
    return text


def _status_in(case: RecallCase, field: str, *statuses: str) -> None:
    if case.voided_at is not None:
        raise ValidationError({field: _with(_("This recall case was voided."))})
    if case.status not in statuses:
        raise ValidationError(
            {field: _with(_("Not at this step: the case is “%(status)s”.")
                          % {"status": CaseStatus(case.status).label})}
        )  # fmt: skip


def _clock(actor: Any, case: RecallCase, event: str, on: datetime.date | None = None) -> None:
    services_clocks.clocks_on_event(actor=actor, case=case, event=event,
                                    on=on or timezone.localdate())  # fmt: skip


def _quantity(value: Any, field: str, *, zero: bool = False) -> Decimal:
    try:
        amount = Decimal(str(value).strip())
    except (InvalidOperation, ValueError, TypeError):
        raise ValidationError({field: _with(_("Give the quantity as a number."))}) from None
    if not amount.is_finite() or amount < 0 or (amount == 0 and not zero):
        raise ValidationError({field: _with(_("The quantity must be greater than zero."))})
    if amount != amount.quantize(Decimal("0.001")) or amount >= Decimal("1e11"):
        raise ValidationError({field: _with(_("Give the quantity with at most three decimals."))})
    return amount


def _lots_named(numbers: Iterable[Any]) -> list[Lot]:
    wanted = [str(n).strip() for n in numbers if str(n).strip()]
    found = {lot.number: lot for lot in Lot.objects.filter(number__in=wanted)}
    for number in wanted:
        lot = found.get(number)
        if lot is None:
            raise ValidationError(
                {"lots": _with(_("Lot %(lot)s does not exist.") % {"lot": number})}
            )
        if lot.voided_at is not None:
            raise ValidationError({"lots": _with(_("Lot %(lot)s was voided.") % {"lot": number})})
    return [found[n] for n in dict.fromkeys(wanted)]


# --- opening --------------------------------------------------------------------------------


@transaction.atomic
def case_open(
    *,
    actor: Any,
    title: str,
    signal_kind: str,
    signal_ref: str = "",
    signal_url: str = "",
    signal_on: datetime.date | None = None,
    description: str = "",
    item: Item | None = None,
    lots: Iterable[Lot] = (),
    lot_numbers: Iterable[str] = (),
    serious_harm: bool = False,
) -> RecallCase:
    """The CQO opens a recall case on a signal (a complaint, an incident, an NCR, a
    regulator's notice); the regulator's clocks start from the day it was received."""
    require(actor, PERM_OPEN, clause=CLAUSE_RECALL)
    title = _required(title, "title", _("Give the case a title."))[:200]
    if signal_kind not in SignalKind.values:
        raise ValidationError({"signal_kind": _with(_("Choose where the signal came from."))})
    on = signal_on or timezone.localdate()
    if on > timezone.localdate():
        raise ValidationError({"signal_on": _with(_("The signal cannot come from the future."))})
    suspects = list(lots) + _lots_named(lot_numbers)
    for lot in suspects:
        if lot.voided_at is not None:
            raise ValidationError({"lots": _with(_("Lot %(lot)s was voided.") % {"lot": lot})})
    year = timezone.localdate().year
    case = RecallCase.objects.create(
        number=number_next(RecallCase, f"RC-{year}-", 3),
        title=title,
        status=CaseStatus.SIGNAL,
        created_by=actor,
        signal_kind=signal_kind,
        signal_ref=_blank(signal_ref)[:80],
        signal_url=_blank(signal_url)[:200],
        signal_on=on,
        description=_blank(description),
        item=item if item is not None else (suspects[0].item if suspects else None),
        serious_harm=bool(serious_harm),
    )
    if suspects:
        case.start_lots.set(suspects)
    audit_record(
        actor=actor, action="recall.case.open", obj=case,
        after={**snapshot(case), "start_lots": [lot.number for lot in suspects]},
        clause=CLAUSE_RECALL,
    )  # fmt: skip
    _clock(actor, case, "signal_received", on)
    return case


def recall_requested_receiver(
    sender: Any,
    *,
    actor: Any = None,
    source: str = "other",
    source_ref: str = "",
    title: str = "",
    description: str = "",
    source_url: str = "",
    item: Any = None,
    lots: Iterable[Any] = (),
    signal_on: datetime.date | None = None,
    **kwargs: Any,
) -> RecallCase:
    """Another domain asks for a recall (``masterdata.events.recall_requested``): answered with
    the open case of the same signal, or a new one opened by ``actor``. ``signal_on`` is the day
    the signal reached the enterprise (a complaint's day of receipt): the regulator's clocks run
    from it, not from the day the case was opened."""
    if actor is None:
        raise PermissionDenied(_("You do not have permission to do this."))
    require(actor, PERM_OPEN, clause=CLAUSE_RECALL)
    kind = source if source in SignalKind.values else SignalKind.OTHER
    ref = _blank(source_ref)[:80]
    if ref:
        found = RecallCase.objects.filter(
            signal_kind=kind, signal_ref=ref, voided_at__isnull=True,
            status__in=[s.value for s in CaseStatus if s.value not in (
                CaseStatus.CLOSED, CaseStatus.ACTIVE_STOPPED, CaseStatus.NO_DEFECT)],
        ).first()  # fmt: skip
        if found is not None:
            return found
    return case_open(
        actor=actor, title=title, signal_kind=kind, signal_ref=ref, signal_url=source_url,
        description=description, item=item, lots=[lot for lot in lots if lot is not None],
        signal_on=signal_on if isinstance(signal_on, datetime.date) else None,
    )  # fmt: skip


# --- investigation and the defect -------------------------------------------------------------


def case_investigate(*, actor: Any, case: RecallCase, note: str) -> RecallCase:
    """Record what the investigation found so far (the first note opens the investigation)."""
    require(actor, PERM_LEAD, case, clause=CLAUSE_RECALL)
    text = _required(note, "note", _("Say what the investigation found."))
    with audited_change(
        actor=actor, obj=case, action="recall.case.investigate", clause=CLAUSE_RECALL,
        update_fields=["status", "investigation", "investigation_started_at"],
    ) as locked:  # fmt: skip
        _status_in(locked, "note", CaseStatus.SIGNAL, CaseStatus.INVESTIGATING)
        stamp = timezone.localtime().strftime("%Y-%m-%d %H:%M")
        locked.investigation = (locked.investigation + "\n" if locked.investigation else "") + (
            f"[{stamp}] {text}"
        )
        if locked.status == CaseStatus.SIGNAL:
            locked.status = CaseStatus.INVESTIGATING
            locked.investigation_started_at = timezone.now()
    return locked


@transaction.atomic
def case_scope_set(*, actor: Any, case: RecallCase, lot_numbers: Iterable[str]) -> RecallCase:
    """Name the suspect lots the forward trace starts from; open until the stop."""
    require(actor, PERM_LEAD, case, clause=CLAUSE_RECALL)
    lots = _lots_named(lot_numbers)
    if not lots:
        raise ValidationError({"lots": _with(_("Name at least one lot to hold."))})
    locked = RecallCase.objects.select_for_update().get(pk=case.pk)
    _status_in(locked, "lots", CaseStatus.SIGNAL, CaseStatus.INVESTIGATING,
               CaseStatus.CONFIRMED, CaseStatus.DECISION, CaseStatus.DECIDED)  # fmt: skip
    before = [lot.number for lot in locked.start_lots.order_by("number")]
    locked.start_lots.set(lots)
    if locked.item_id is None:
        locked.item = lots[0].item
        locked.save(update_fields=["item"])
    audit_record(
        actor=actor, action="recall.case.scope", obj=locked, before={"start_lots": before},
        after={"start_lots": [lot.number for lot in lots]}, clause=CLAUSE_RECALL,
    )  # fmt: skip
    return locked


def case_defect_decide(
    *, actor: Any, case: RecallCase, confirmed: bool, defect: str, consequences: str = ""
) -> RecallCase:
    """The investigation's conclusion: a defect confirmed (the decision comes next), or none
    (the case closes)."""
    require(actor, PERM_LEAD, case, clause=CLAUSE_RECALL)
    text = _required(defect, "defect", _("Describe the defect, or why there is none."))
    with transaction.atomic():
        with audited_change(
            actor=actor, obj=case, action="recall.case.defect", clause=CLAUSE_RECALL,
            update_fields=["status", "defect_confirmed", "defect_description", "consequences",
                           "defect_decided_at", "closed_at", "closed_by"],
        ) as locked:  # fmt: skip
            _status_in(locked, "defect", CaseStatus.SIGNAL, CaseStatus.INVESTIGATING)
            locked.defect_confirmed = bool(confirmed)
            locked.defect_description = text
            locked.consequences = _blank(consequences)
            locked.defect_decided_at = timezone.now()
            if confirmed:
                locked.status = CaseStatus.CONFIRMED
            else:
                locked.status = CaseStatus.NO_DEFECT
                locked.closed_at = timezone.now()
                locked.closed_by = actor
        if confirmed:
            _clock(actor, locked, "defect_confirmed")
    return locked


# --- the decision (the CQO proposes, the principal agrees) ------------------------------------


def case_decision_propose(*, actor: Any, case: RecallCase, kind: str, reasons: str) -> RecallCase:
    require(actor, PERM_LEAD, case, clause=CLAUSE_RECALL)
    if kind not in DecisionKind.values:
        raise ValidationError({"kind": _with(_("Choose a voluntary or an ordered recall."))})
    text = _required(reasons, "reasons", _("Give the reasons for the decision."))
    with audited_change(
        actor=actor, obj=case, action="recall.decision.propose", clause=CLAUSE_RECALL,
        update_fields=["status", "decision_kind", "decision_reasons", "decision_proposed_by",
                       "decision_proposed_at"],
    ) as locked:  # fmt: skip
        _status_in(locked, "kind", CaseStatus.CONFIRMED)
        locked.decision_kind = kind
        locked.decision_reasons = text
        locked.decision_proposed_by = actor
        locked.decision_proposed_at = timezone.now()
        locked.status = CaseStatus.DECISION
    return locked


def case_decision_agree(*, actor: Any, case: RecallCase, agree: bool, note: str = "") -> RecallCase:
    """The principal agrees to the CQO's proposal (the recall is decided) or sends it back with
    a note. Never by the one who proposed it."""
    require(actor, PERM_AGREE, case, clause=CLAUSE_RECALL)
    text = _blank(note)
    if not agree and not text:
        raise ValidationError({"note": _with(_("Say why the proposal goes back."))})
    with transaction.atomic():
        with audited_change(
            actor=actor, obj=case,
            action="recall.decision.agree" if agree else "recall.decision.return",
            clause=CLAUSE_RECALL, reason=text,
            update_fields=["status", "decision_agreed_by", "decision_agreed_at"],
        ) as locked:  # fmt: skip
            _status_in(locked, "note", CaseStatus.DECISION)
            sod_check(actor=actor, raised_by=locked.decision_proposed_by_id, clause=CLAUSE_RECALL)
            if agree:
                locked.decision_agreed_by = actor
                locked.decision_agreed_at = timezone.now()
                locked.status = CaseStatus.DECIDED
            else:
                locked.status = CaseStatus.CONFIRMED
        if agree:
            _clock(actor, locked, "decision_made")
    return locked


# --- the stop -------------------------------------------------------------------------------


@transaction.atomic
def case_stop(*, actor: Any, case: RecallCase) -> RecallCase:
    """Stop: every lot the forward trace reaches from the suspect lots is held at the gate (one
    audited batch) so that no shipment of it is released, and the plan's scope per customer is
    drawn from the shipments that carried them."""
    require(actor, PERM_LEAD, case, clause=CLAUSE_RECALL)
    locked = RecallCase.objects.select_for_update().get(pk=case.pk)
    _status_in(locked, "status", CaseStatus.DECIDED)
    starts = list(locked.start_lots.values_list("pk", flat=True))
    if not starts:
        raise ValidationError({"lots": _with(_("Name the suspect lots before the stop."))})
    affected = trace_case.lots_forward(starts)
    before = snapshot(locked)
    held = lots_hold_many(
        actor=actor, lot_ids=affected, source=locked.source, clause=CLAUSE_RECALL,
        reason=_("Recall %(number)s: %(title)s") % {"number": locked.number,
                                                    "title": locked.title},
        record=locked,
    )  # fmt: skip
    shipped: dict[int, Decimal] = defaultdict(lambda: ZERO)
    per_customer: dict[int, Decimal] = defaultdict(lambda: ZERO)
    for lot_id, customer_id, quantity in trace_case.shipment_lines(affected).values_list(
        "lot_id", "shipment__customer_id", "quantity"
    ):
        shipped[lot_id] += quantity
        per_customer[customer_id] += quantity
    now = timezone.now()
    quantities: dict[int, Decimal] = {}
    for start in range(0, len(affected), 2000):
        part = affected[start : start + 2000]
        quantities.update(Lot.objects.filter(pk__in=part).values_list("pk", "quantity"))
    batch = bulk_rows_create(
        RecallLot,
        [
            RecallLot(case=locked, lot_id=lot_id, quantity=quantities[lot_id],
                      shipped=shipped[lot_id], added_at=now)
            for lot_id in affected
        ],
    )  # fmt: skip
    for customer_id, quantity in sorted(per_customer.items()):
        RecallTarget.objects.create(
            case=locked, customer_id=customer_id, channel=Channel.DIRECT,
            planned=quantity, sold=quantity,
        )  # fmt: skip
    locked.status = CaseStatus.STOPPED
    locked.stopped_at = now
    locked.stopped_by = actor
    locked.save(update_fields=["status", "stopped_at", "stopped_by"])
    audit_record(
        actor=actor, action="recall.case.stop", obj=locked, before=before,
        after={**snapshot(locked), "bulk": batch.summary(), "holds_placed": held,
               "customers": len(per_customer)},
        clause=CLAUSE_RECALL,
    )  # fmt: skip
    return locked


@transaction.atomic
def case_holds_lift(*, actor: Any, case: RecallCase, reason: str) -> int:
    """The CQO lifts the case's holds with a reason (the lots go back to the status underneath
    unless another hold stays). Only the CQO: held lots are never released otherwise."""
    require(actor, PERM_LEAD, case, clause=CLAUSE_RECALL)
    text = _required(reason, "reason", _("Say why the hold is lifted."))
    if case.stopped_at is None:
        raise ValidationError({"reason": _with(_("The case has not held any lot."))})
    return lots_hold_lift_many(actor=actor, source=case.source, reason=text, record=case)


# --- plan, notice, reports ------------------------------------------------------------------


def case_plan_file(
    *,
    actor: Any,
    case: RecallCase,
    remedy: str,
    measures: str,
    start: datetime.date,
    end: datetime.date,
    contact: str,
    filed_on: datetime.date | None = None,
) -> RecallCase:
    """File the recall plan (scope from the stop; remedy; timetable; contact) with the
    regulator; the notice clock starts."""
    require(actor, PERM_LEAD, case, clause=CLAUSE_RECALL)
    errors: dict[str, str] = {}
    if remedy not in Remedy.values:
        errors["remedy"] = _with(_("Choose the remedy: repair, replace, refund or warnings."))
    if not _blank(measures):
        errors["measures"] = _with(_("Say what will be done, by whom and how."))
    if not _blank(contact):
        errors["contact"] = _with(_("Name the recall contact."))
    if start is None or end is None or end < start:
        errors["end"] = _with(_("The recall must end on or after its start."))
    on = filed_on or timezone.localdate()
    if on > timezone.localdate():
        errors["filed_on"] = _with(_("The plan cannot be filed in the future."))
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        with audited_change(
            actor=actor, obj=case, action="recall.plan.file", clause=CLAUSE_RECALL,
            update_fields=["status", "remedy", "plan_measures", "plan_start", "plan_end",
                           "contact", "plan_filed_at"],
        ) as locked:  # fmt: skip
            _status_in(locked, "remedy", CaseStatus.STOPPED)
            locked.remedy = remedy
            locked.plan_measures = _blank(measures)
            locked.plan_start = start
            locked.plan_end = end
            locked.contact = _blank(contact)[:200]
            locked.plan_filed_at = timezone.now()
            locked.status = CaseStatus.PLANNED
        _clock(actor, locked, "plan_filed", on)
    return locked


def case_notice_publish(
    *,
    actor: Any,
    case: RecallCase,
    text: str,
    channels: str,
    published_on: datetime.date | None = None,
) -> RecallCase:
    require(actor, PERM_LEAD, case, clause=CLAUSE_RECALL)
    body = _required(text, "text", _("Write the public notice."))
    where = _required(channels, "channels", _("Say where the notice was published."))
    on = published_on or timezone.localdate()
    if on > timezone.localdate():
        raise ValidationError({"published_on": _with(_("The notice cannot be published in the "
                                                       "future."))})  # fmt: skip
    with transaction.atomic():
        with audited_change(
            actor=actor, obj=case, action="recall.notice.publish", clause=CLAUSE_RECALL,
            update_fields=["status", "notice_text", "notice_channels", "notice_published_at"],
        ) as locked:  # fmt: skip
            _status_in(locked, "text", CaseStatus.PLANNED)
            locked.notice_text = body
            locked.notice_channels = where[:200]
            locked.notice_published_at = timezone.now()
            locked.status = CaseStatus.NOTIFIED
        _clock(actor, locked, "notice_published", on)
    return locked


def case_totals(case: RecallCase) -> dict[str, Decimal]:
    found = RecallTarget.objects.filter(case=case, voided_at__isnull=True).aggregate(
        planned=Sum("planned"), sold=Sum("sold"), recovered=Sum("recovered")
    )
    planned = found["planned"] or ZERO
    recovered = found["recovered"] or ZERO
    return {
        "planned": planned,
        "sold": found["sold"] or ZERO,
        "recovered": recovered,
        "outstanding": max(planned - recovered, ZERO),
    }


@transaction.atomic
def report_file(
    *,
    actor: Any,
    case: RecallCase,
    kind: str,
    text: str,
    reference: str = "",
    filed_on: datetime.date | None = None,
) -> RecallReport:
    """The report to the regulator (from the decision on), an interim summary or the final
    report (once the notice is out), with the figures as they stand."""
    require(actor, PERM_LEAD, case, clause=CLAUSE_RECALL)
    if kind not in ReportKind.values:
        raise ValidationError({"kind": _with(_("Choose the kind of report."))})
    body = _required(text, "text", _("Write the report."))
    on = filed_on or timezone.localdate()
    if on > timezone.localdate():
        raise ValidationError({"filed_on": _with(_("A report cannot be filed in the future."))})
    locked = RecallCase.objects.select_for_update().get(pk=case.pk)
    if kind == ReportKind.REGULATOR:
        _status_in(locked, "kind", CaseStatus.CONFIRMED, CaseStatus.DECISION,
                   CaseStatus.DECIDED, CaseStatus.STOPPED, CaseStatus.PLANNED,
                   CaseStatus.NOTIFIED)  # fmt: skip
    else:
        _status_in(locked, "kind", CaseStatus.NOTIFIED)
    totals = case_totals(locked)
    report = RecallReport.objects.create(
        case=locked, kind=kind, text=body, reference=_blank(reference)[:80], filed_on=on,
        filed_by=actor, planned=totals["planned"], recovered=totals["recovered"],
    )  # fmt: skip
    audit_record(
        actor=actor, action="recall.report.file", obj=locked,
        after={"report": snapshot(report)}, clause=CLAUSE_RECALL,
    )  # fmt: skip
    if kind == ReportKind.FINAL:
        _clock(actor, locked, "summary_filed", on)
    return report


# --- execution ------------------------------------------------------------------------------


def target_update(
    *, actor: Any, target: RecallTarget, channel: str, region: str = "", sold: Any = None
) -> RecallTarget:
    """Correct a target's channel, region and quantity sold on (what the customer passed on)."""
    require(actor, PERM_LEAD, target.case, clause=CLAUSE_RECALL)
    if channel not in Channel.values:
        raise ValidationError({"channel": _with(_("Choose a channel."))})
    amount = _quantity(sold, "sold", zero=True) if sold not in (None, "") else None
    with audited_change(
        actor=actor, obj=target, action="recall.target.update", clause=CLAUSE_RECALL,
        update_fields=["channel", "region", "sold"],
    ) as locked:  # fmt: skip
        if not locked.case.is_open:
            raise ValidationError({"channel": _with(_("The recall case is closed."))})
        locked.channel = channel
        locked.region = _blank(region)[:80]
        if amount is not None:
            locked.sold = amount
    return locked


@transaction.atomic
def progress_record(
    *, actor: Any, target: RecallTarget, quantity: Any, on: datetime.date | None = None,
    note: str = "",
) -> RecallProgress:  # fmt: skip
    """Units recovered from one customer and channel: no more than it has outstanding."""
    require(actor, PERM_LEAD, target.case, clause=CLAUSE_RECALL)
    amount = _quantity(quantity, "quantity")
    day = on or timezone.localdate()
    if day > timezone.localdate():
        raise ValidationError({"on": _with(_("Units cannot be recovered in the future."))})
    locked = RecallTarget.objects.select_for_update().select_related("case").get(pk=target.pk)
    if locked.voided_at is not None:
        raise ValidationError({"quantity": _with(_("This target was voided."))})
    if locked.case.status not in (CaseStatus.STOPPED, CaseStatus.PLANNED, CaseStatus.NOTIFIED):
        raise ValidationError({"quantity": _with(_("Units are recorded from the stop until the "
                                                   "case ends."))})  # fmt: skip
    if amount > locked.outstanding:
        raise ValidationError(
            {"quantity": _with(_("%(asked)s is more than the %(left)s still outstanding.")
                               % {"asked": _qty(amount),
                                  "left": _qty(locked.outstanding)})}
        )  # fmt: skip
    before = snapshot(locked)
    entry = RecallProgress.objects.create(
        target=locked, on=day, quantity=amount, note=_blank(note)[:300], recorded_by=actor
    )
    locked.recovered += amount
    locked.save(update_fields=["recovered"])
    audit_record(
        actor=actor, action="recall.progress.record", obj=locked, before=before,
        after={**snapshot(locked), "entry": snapshot(entry)}, clause=CLAUSE_RECALL,
    )  # fmt: skip
    return entry


# --- the end --------------------------------------------------------------------------------


def case_close(*, actor: Any, case: RecallCase, kind: str, reasons: str = "") -> RecallCase:
    """Close the recall once every planned unit is back, or record that the active recall
    stopped, with reasons, while units are still out. Both need the final report."""
    require(actor, PERM_LEAD, case, clause=CLAUSE_RECALL)
    if kind not in CloseKind.values:
        raise ValidationError({"kind": _with(_("Choose how the recall ends."))})
    text = _blank(reasons)
    with transaction.atomic():
        with audited_change(
            actor=actor, obj=case, action=f"recall.case.{kind}", clause=CLAUSE_RECALL,
            reason=text, update_fields=["status", "close_kind", "close_reasons", "closed_at",
                                        "closed_by"],
        ) as locked:  # fmt: skip
            _status_in(locked, "kind", CaseStatus.NOTIFIED)
            if not RecallReport.objects.filter(
                case=locked, kind=ReportKind.FINAL, voided_at__isnull=True
            ).exists():
                raise ValidationError({"kind": _with(_("File the final recall report first."))})
            outstanding = case_totals(locked)["outstanding"]
            if kind == CloseKind.CLOSED and outstanding > 0:
                raise ValidationError(
                    {"kind": _with(_("%(left)s units are still outstanding: the recall cannot "
                                     "close; record “active recall stopped” with reasons.")
                                   % {"left": _qty(outstanding)})}
                )  # fmt: skip
            if kind == CloseKind.ACTIVE_STOPPED and not text:
                raise ValidationError(
                    {"reasons": _with(_("Give the reasons the active recall stops."))}
                )
            locked.close_kind = kind
            locked.close_reasons = text
            locked.closed_at = timezone.now()
            locked.closed_by = actor
            locked.status = (
                CaseStatus.CLOSED if kind == CloseKind.CLOSED else CaseStatus.ACTIVE_STOPPED
            )
        _clock(actor, locked, "closed")
    return locked


def case_void(*, actor: Any, case: RecallCase, reason: str) -> Any:
    """Void a case opened by mistake; a case that has held lots is ended, not voided."""
    if case.stopped_at is not None:
        raise ValidationError({"reason": _with(_("A case that held lots is ended, not voided."))})
    return record_void(actor=actor, record=case, reason=reason, perm=PERM_VOID,
                       clause=CLAUSE_RECALL)  # fmt: skip
