"""Switching between normal, tightened and reduced inspection per stream of lots (GB/T 2828.1
clause 9, identical to ISO 2859-1:1999 clause 9), and discontinuation.

A stream is supplier × item at the incoming gate, work centre × item in process, item at the
outgoing gate. Its ``machine`` holds ``cqo.methods.sampling.SwitchingRules.snapshot()``; each
decided lot is fed to the restored machine, the new snapshot saved, and a transition written as
a ``SwitchingEvent`` and an audit event naming the rule that fired.

The rules used (ISO 2859-1:1999 / GB/T 2828.1-2012, 9.3), as the methods library implements
them and as checked against the text available to us:

* 9.3.1 normal → tightened: 2 lots out of 5 or fewer consecutive lots not accepted on original
  inspection;
* 9.3.2 tightened → normal: 5 consecutive lots accepted on original inspection under tightened;
* 9.3.3 normal → reduced: the switching score (9.3.3.2: start at 0; Ac 0 or 1: +2 for an
  accepted lot, else reset; Ac ≥ 2: +3 when the lot would have been accepted at the AQL one
  step tighter, else reset) has reached 30, production is at a steady rate, and the
  responsible authority considers reduced inspection desirable (here: the CQO or a delegate of
  §6 e) approved it for the stream, and Table 2-C has been imported from the enterprise's own
  copy of the standard);
* 9.3.4 reduced → normal: a lot not accepted, production irregular or delayed, or other
  conditions that warrant it;
* 9.4 discontinuation: 5 lots in total not accepted while on tightened inspection; acceptance
  inspection resumes, on tightened, only when the responsible authority is satisfied that the
  supplier has corrected the process (``stream_resume``).

Which class governs a lot: the lot is accepted only when every defect class is accepted; the
switching score is fed the class that governs, the strictest class sampled under GB/T 2828.1
(CR, then MA, then MI, see ``governing_sampling``): the standard applies the switching rules per
class of nonconformity, and one stream per supplier × item keeps the strictest.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from cqo.accounts.models import User
from cqo.audit.services import audit_record, snapshot
from cqo.core.clauses import clause
from cqo.core.permissions import require
from cqo.core.texts import encode, stored
from cqo.masterdata.models import DefectClass, Gate, Item, Supplier, WorkCentre
from cqo.methods.errors import MethodsInputError
from cqo.methods.sampling import InspectionState, PlanTable, SwitchingRules, plan_table_from_rows

from .models import (
    InspectionLot,
    LotSampling,
    ReducedTable,
    SamplingMethod,
    Severity,
    SwitchingEvent,
    SwitchingStream,
)

CLAUSE_GATE = clause("§6 e)")

# Strictest first: the class whose plan governs the stream's switching.
CLASS_ORDER = (DefectClass.CR, DefectClass.MA, DefectClass.MI)

RULE_LABELS = {
    "normal_to_tightened": "GB/T 2828.1 9.3.1",
    "tightened_to_normal": "GB/T 2828.1 9.3.2",
    "normal_to_reduced": "GB/T 2828.1 9.3.3",
    "reduced_to_normal": "GB/T 2828.1 9.3.4",
    "tightened_to_discontinued": "GB/T 2828.1 9.4",
    "discontinued_to_tightened": "GB/T 2828.1 9.4",
}


# What the event says, stored as a message id so each reader sees it in their language.
RULE_TEXT = {
    "normal_to_tightened": gettext_noop(
        "2 of 5 or fewer consecutive lots were not accepted on original inspection: switch to "
        "tightened inspection (GB/T 2828.1 9.3.1)."
    ),
    "tightened_to_normal": gettext_noop(
        "5 consecutive lots were accepted under tightened inspection: switch to normal "
        "inspection (GB/T 2828.1 9.3.2)."
    ),
    "normal_to_reduced": gettext_noop(
        "Switching score %(score)s reached 30 with steady production, Table 2-C imported and "
        "the responsible authority's approval: switch to reduced inspection (GB/T 2828.1 9.3.3)."
    ),
    "reduced_to_normal": gettext_noop(
        "A lot was not accepted, or production became irregular, under reduced inspection: "
        "switch to normal inspection (GB/T 2828.1 9.3.4)."
    ),
    "tightened_to_discontinued": gettext_noop(
        "5 lots were not accepted under tightened inspection: acceptance inspection is "
        "discontinued until the supplier has corrected the process (GB/T 2828.1 9.4)."
    ),
    "discontinued_to_tightened": gettext_noop(
        "The responsible authority restored inspection after corrective action: resume on "
        "tightened inspection (GB/T 2828.1 9.4)."
    ),
    "reduced_withdrawn": gettext_noop(
        "The responsible authority withdrew reduced inspection: switch to normal inspection "
        "(GB/T 2828.1 9.3.4)."
    ),
}


def rule_text(rule: str, **params: Any) -> str:
    """The stored form of a rule's explanation (``stored_text`` shows it translated)."""
    msgid = RULE_TEXT.get(rule)
    return str(encode(stored(msgid, **params))) if msgid else rule


def stream_key(
    *, gate: str, supplier: Supplier | None = None, work_centre: WorkCentre | None = None
) -> tuple[Supplier | None, WorkCentre | None]:
    """What a stream is kept per at each gate: the supplier at IQC, the line at IPQC, neither at
    OQC (the item alone)."""
    if gate == Gate.IQC:
        return supplier, None
    if gate == Gate.IPQC:
        return None, work_centre
    return None, None


def stream_for(
    *,
    gate: str,
    item: Item,
    supplier: Supplier | None = None,
    work_centre: WorkCentre | None = None,
) -> SwitchingStream:
    """The stream a lot belongs to, created (normal inspection) the first time it is asked for."""
    if gate not in Gate.values:
        raise ValidationError({"gate": _("Choose the incoming, in-process or outgoing gate.")})
    sup, wc = stream_key(gate=gate, supplier=supplier, work_centre=work_centre)
    lookup = {"gate": gate, "item": item, "supplier": sup, "work_centre": wc}
    found = SwitchingStream.objects.filter(**lookup).first()
    if found is not None:
        return found
    try:
        with transaction.atomic():
            return SwitchingStream.objects.create(
                **lookup, state=Severity.NORMAL, machine=SwitchingRules().snapshot()
            )
    except IntegrityError:
        # Another receipt created it in between.
        return SwitchingStream.objects.get(**lookup)


def reduced_table_active() -> PlanTable | None:
    """Table 2-C as imported by the CQO, or None: reduced inspection is offered only with it."""
    table = ReducedTable.objects.filter(active=True, voided_at__isnull=True).first()
    if table is None:
        return None
    try:
        return plan_table_from_rows(table.rows, name="GB/T 2828.1 Table 2-C (imported)")
    except MethodsInputError:
        return None


def governing_sampling(inspection_lot: InspectionLot) -> LotSampling | None:
    """The defect class whose plan feeds the switching: the strictest class sampled under
    GB/T 2828.1 (CR, then MA, then MI). None when no class is (fixed n or 100 % only): the
    switching rules apply to the standard's plans alone."""
    rows = {
        s.defect_class: s
        for s in inspection_lot.samplings.all()
        if s.voided_at is None and s.method == SamplingMethod.GBT2828
    }
    for code in CLASS_ORDER:
        if code in rows:
            return rows[code]
    return None


def _machine(stream: SwitchingStream) -> SwitchingRules:
    machine = SwitchingRules.restore(stream.machine or {})
    # Approval and the table may change between lots; the stream's current word counts.
    machine.reduced_approved = bool(stream.reduced_approved) and reduced_table_active() is not None
    return machine


def _event(
    *,
    actor: User | None,
    stream: SwitchingStream,
    inspection_lot: InspectionLot | None,
    from_state: str,
    to_state: str,
    rule: str,
    before: dict[str, Any],
    score: int = 0,
    reason: str = "",
) -> SwitchingEvent:
    event = SwitchingEvent.objects.create(
        stream=stream,
        inspection_lot=inspection_lot,
        from_state=from_state,
        to_state=to_state,
        rule=rule,
        message=rule_text(rule, score=score),
        actor=actor,
    )
    audit_record(
        actor=actor,
        action="inspection.stream.switch",
        obj=stream,
        before=before,
        after={**snapshot(stream), "rule": rule, "rule_clause": RULE_LABELS.get(rule, "")},
        reason=reason or rule_text(rule, score=score),
        clause=CLAUSE_GATE,
    )
    return event


def stream_record(
    *,
    actor: User,
    stream: SwitchingStream,
    inspection_lot: InspectionLot,
    accepted: bool,
    nonconforming: int,
    ac: int,
    re: int,
    production_steady: bool = True,
) -> SwitchingEvent | None:
    """Feed a decided lot to its stream (called by the usage decision, inside its transaction).

    ``accepted`` is the lot's outcome on original inspection (every class accepted);
    ``nonconforming``, ``ac`` and ``re`` are those of the governing class
    (``governing_sampling``). Returns the transition it caused, if any.

    Not fed: a lot drawn under another severity than the stream's present one (the stream has
    switched since the draw, and the standard counts lots under the regime they were inspected
    with), a lot with no GB/T 2828.1 class, and any lot while the stream is discontinued.
    """
    with transaction.atomic():
        locked = SwitchingStream.objects.select_for_update().get(pk=stream.pk)
        if locked.state == Severity.DISCONTINUED or inspection_lot.severity != locked.state:
            return None
        if governing_sampling(inspection_lot) is None:
            return None
        machine = _machine(locked)
        before = snapshot(locked)
        score_before = machine.score
        try:
            step = machine.record(
                ac=ac,
                re=re,
                nonconforming=nonconforming,
                production_steady=production_steady,
            )
        except MethodsInputError:
            # Ac of a plan outside the normal series (a table imported with other values): the
            # score cannot be fed the count, the outcome still counts.
            step = machine.record(
                ac=min(int(ac), 1), accepted=bool(accepted), production_steady=production_steady
            )
        locked.machine = machine.snapshot()
        locked.state = str(machine.state)
        locked.save(update_fields=["machine", "state", "updated_at"])
        stream.machine, stream.state = locked.machine, locked.state
        if not step.switched:
            return None
        return _event(
            actor=actor,
            stream=locked,
            inspection_lot=inspection_lot,
            from_state=str(step.inspection),
            to_state=str(step.state),
            rule=step.reason or "",
            before=before,
            # The score that fired the switch (the machine starts reduced inspection at 0).
            score=score_before + (3 if int(ac) >= 2 else 2),
        )


@transaction.atomic
def stream_resume(*, actor: User, stream: SwitchingStream, reason: str) -> SwitchingEvent:
    """The CQO (or a delegate of §6 e)) restores acceptance inspection after discontinuation,
    once satisfied the supplier has corrected the process: it resumes on tightened (9.4)."""
    require(actor, "inspection.resume_switchingstream", stream, clause=CLAUSE_GATE)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError(
            {"reason": _("Say what the supplier corrected before inspection resumes.")}
        )
    locked = SwitchingStream.objects.select_for_update().get(pk=stream.pk)
    if locked.state != Severity.DISCONTINUED:
        raise ValidationError({"state": _("Only a discontinued stream can be resumed.")})
    before = snapshot(locked)
    machine = _machine(locked)
    if machine.state is not InspectionState.DISCONTINUED:
        machine.state = InspectionState.DISCONTINUED
    step = machine.resume()
    locked.machine = machine.snapshot()
    locked.state = str(machine.state)
    locked.save(update_fields=["machine", "state", "updated_at"])
    return _event(
        actor=actor,
        stream=locked,
        inspection_lot=None,
        from_state=Severity.DISCONTINUED,
        to_state=locked.state,
        rule=step.reason or "discontinued_to_tightened",
        before=before,
        reason=reason,
    )


@transaction.atomic
def stream_reduced_approve(
    *, actor: User, stream: SwitchingStream, reason: str, approved: bool = True
) -> SwitchingStream:
    """The responsible authority's word that reduced inspection is desirable for this stream
    (9.3.3 c)): the CQO or a delegate of §6 e). It needs Table 2-C imported first. With
    ``approved=False`` the approval is withdrawn; a stream on reduced goes back to normal."""
    require(actor, "inspection.approve_reduced_switchingstream", stream, clause=CLAUSE_GATE)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Give the reason for this decision.")})
    if approved and reduced_table_active() is None:
        raise ValidationError(
            {
                "reduced_table": _(
                    "Reduced inspection needs Table 2-C of GB/T 2828.1 from the enterprise's "
                    "own licensed copy: the CQO imports it first."
                )
            }
        )
    locked = SwitchingStream.objects.select_for_update().get(pk=stream.pk)
    if locked.state == Severity.DISCONTINUED and approved:
        raise ValidationError(
            {"state": _("Inspection of this stream is discontinued; resume it first.")}
        )
    before = snapshot(locked)
    locked.reduced_approved = bool(approved)
    fields = ["reduced_approved", "updated_at"]
    left_reduced = not approved and locked.state == Severity.REDUCED
    if left_reduced:
        machine = SwitchingRules.restore(locked.machine or {})
        machine.reduced_approved = False
        # 9.3.4 d): other conditions warrant a return to normal inspection.
        machine._enter(InspectionState.NORMAL)
        locked.machine = machine.snapshot()
        locked.state = Severity.NORMAL
        fields += ["machine", "state"]
    locked.save(update_fields=fields)
    audit_record(
        actor=actor,
        action="inspection.stream.reduced_approve"
        if approved
        else "inspection.stream.reduced_withdraw",
        obj=locked,
        before=before,
        after=snapshot(locked),
        reason=reason,
        clause=CLAUSE_GATE,
    )
    if left_reduced:
        SwitchingEvent.objects.create(
            stream=locked,
            from_state=Severity.REDUCED,
            to_state=Severity.NORMAL,
            rule="reduced_to_normal",
            message=rule_text("reduced_withdrawn"),
            actor=actor,
        )
    return locked


# --- Table 2-C ----------------------------------------------------------------------------------


@transaction.atomic
def reduced_table_import(*, actor: User, file: Any, source: str) -> ReducedTable:
    """Import Table 2-C (single sampling, reduced inspection) from the enterprise's own licensed
    copy of GB/T 2828.1: a CSV or an Excel sheet with the columns code, aql, n, ac, re, one row
    per code letter and AQL, arrows resolved. Every row is checked (a bad one is named); the
    file's SHA-256 is kept, and the new table replaces the one in use."""
    require(actor, "inspection.add_reducedtable", clause=CLAUSE_GATE)
    source = (source or "").strip()
    if not source:
        raise ValidationError(
            {"source": _("Say where the table comes from (edition and copy of the standard).")}
        )
    from cqo.core.uploads import file_sha256, max_bytes
    from cqo.methods.io import read_text

    size = getattr(file, "size", None)
    if file is None or (size is not None and size > max_bytes()):
        raise ValidationError({"file": _("Choose a CSV or Excel file within the size limit.")})
    raw = file.read()
    file.seek(0)
    try:
        if raw[:4] == b"PK\x03\x04":
            from .transfer_plans import Column, workbook_rows

            cols = tuple(Column(k, k) for k in ("code", "aql", "n", "ac", "re"))
            rows = [cells for _row, cells in workbook_rows(file, cols)]
        else:
            text = raw.decode("utf-8-sig")
            table = read_text(text)
            header = [h.strip().lower() for h in table.header]
            rows = [
                {h: table.cells[orig][i] for h, orig in zip(header, table.header, strict=True)}
                for i in range(table.n_rows)
            ]
        checked = plan_table_from_rows(rows, name="Table 2-C")
    except UnicodeDecodeError:
        raise ValidationError({"file": _("Save the CSV as UTF-8.")}) from None
    except MethodsInputError as exc:
        raise ValidationError(
            {"file": _("The table was not imported: %(error)s") % {"error": exc}}
        ) from None
    stored_rows = [
        {"code": code, "aql": aql, "n": cell.n, "ac": cell.ac, "re": cell.re}
        for (code, aql), cell in sorted(checked.cells.items())
    ]
    ReducedTable.objects.filter(active=True).update(active=False)
    table_row = ReducedTable.objects.create(
        rows=stored_rows, sha256=file_sha256(file), source=source[:200], imported_by=actor
    )
    audit_record(
        actor=actor,
        action="inspection.reducedtable.import",
        obj=table_row,
        after={"sha256": table_row.sha256, "source": table_row.source, "cells": len(stored_rows)},
        clause=CLAUSE_GATE,
    )
    return table_row


def reduced_table_in_use() -> ReducedTable | None:
    return (
        ReducedTable.objects.filter(active=True, voided_at__isnull=True)
        .select_related("imported_by")
        .first()
    )


def reduced_tables() -> list[ReducedTable]:
    return list(ReducedTable.objects.select_related("imported_by").order_by("-imported_at")[:20])
