"""Inspection lots (检验批): drawn from a lot at a gate under the plan in force and the switching
state of the lot's stream, with the sampling kept as it was at the draw (§6 e), GB/T 2828.1).

``inspection_lot_create`` and ``receipt_create`` are the interface the other parts and the API
use; the lot itself is made by ``cqo.masterdata`` (``lot_create``).
"""

from __future__ import annotations

import datetime
import math
import uuid
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from cqo.accounts.models import User
from cqo.audit.services import audit_record, snapshot
from cqo.core.clauses import clause
from cqo.core.permissions import require
from cqo.masterdata.models import Gate, Item, Lot, LotOrigin, Operation, Shipment, Supplier
from cqo.masterdata.services import lot_create
from cqo.methods.errors import MethodsInputError
from cqo.methods.sampling import sampling_plan

from .models import (
    InspectionKind,
    InspectionLot,
    InspectionPlan,
    LotSampling,
    PlanStatus,
    SamplingMethod,
    Severity,
)
from .selectors_plans import plan_in_force
from .switching import reduced_table_active, stream_for

CLAUSE_GATE = clause("§6 e)")


def _discontinued(item: Item) -> str:
    return _(
        "Inspection of %(item)s from this stream is discontinued after repeated rejection under "
        "tightened inspection (GB/T 2828.1 9.4): new lots are refused until the CQO restores "
        "inspection (§6 e))."
    ) % {"item": item}


# --- the draw -----------------------------------------------------------------------------------


def lot_size_of(quantity: Decimal) -> int:
    """The lot size N for Table 1: the quantity in whole units (a part unit counts as one)."""
    return max(1, math.ceil(quantity))


def draw(
    *, plan: InspectionPlan, lot_size: int, severity: str, kind: str = InspectionKind.LOT
) -> list[dict[str, Any]]:
    """The sampling of each defect class for a lot of ``lot_size`` under ``severity``, as the
    rows of ``LotSampling`` (without the lot). GB/T 2828.1 classes come from
    ``cqo.methods.sampling.sampling_plan`` unchanged; a first article or a last piece is one
    unit, accepted with none nonconforming."""
    rows: list[dict[str, Any]] = []
    reduced = reduced_table_active() if severity == Severity.REDUCED else None
    if severity == Severity.REDUCED and reduced is None:
        # Table 2-C withdrawn since the switch: reduced inspection is not offered without it.
        severity = Severity.NORMAL
    for sampling in plan.samplings.filter(voided_at__isnull=True).order_by("defect_class"):
        row: dict[str, Any] = {
            "defect_class": sampling.defect_class,
            "method": sampling.method,
            "level": sampling.level,
            "aql": sampling.aql,
            "severity": severity,
            "code_letter": "",
        }
        if kind in (InspectionKind.FIRST_ARTICLE, InspectionKind.LAST_PIECE):
            row.update(n=1, ac=0, re=1, inspect_all=lot_size <= 1, method=SamplingMethod.FIXED)
        elif sampling.method == SamplingMethod.GBT2828:
            if lot_size < 2:
                row.update(n=lot_size, ac=0, re=1, inspect_all=True)
            else:
                try:
                    sp = sampling_plan(
                        lot_size, sampling.level, sampling.aql, severity, reduced_table=reduced
                    )
                except MethodsInputError as exc:
                    raise ValidationError(
                        {
                            "plan": _(
                                "The plan's sampling of class %(cls)s cannot be drawn: %(error)s"
                            )
                            % {"cls": sampling.defect_class, "error": exc}
                        }
                    ) from None
                row.update(
                    code_letter=sp.code, n=sp.n, ac=sp.ac, re=sp.re, inspect_all=sp.inspect_all
                )
        elif sampling.method == SamplingMethod.FIXED:
            n = int(sampling.fixed_n or 1)
            ac = int(sampling.fixed_ac or 0)
            row.update(n=min(n, lot_size), ac=ac, re=ac + 1, inspect_all=n >= lot_size)
        else:
            row.update(n=lot_size, ac=0, re=1, inspect_all=True)
        rows.append(row)
    return rows


@transaction.atomic
def inspection_lot_create(
    *,
    actor: User,
    lot: Lot,
    gate: str,
    kind: str = InspectionKind.LOT,
    plan: InspectionPlan | None = None,
) -> InspectionLot:
    """Draw an inspection lot from ``lot`` at ``gate`` (§6 e)): the plan in force for item × gate
    (× supplier), the stream's severity, and per defect class the code letter, n, Ac and Re,
    kept on the lot. Refused when no plan is in force or the stream is discontinued."""
    require(actor, "inspection.add_inspectionlot", clause=CLAUSE_GATE)
    if gate not in Gate.values:
        raise ValidationError({"gate": _("Choose the incoming, in-process or outgoing gate.")})
    if kind not in InspectionKind.values:
        raise ValidationError({"kind": _("Choose a kind of inspection from the list.")})
    if kind != InspectionKind.LOT and gate != Gate.IPQC:
        raise ValidationError(
            {"kind": _("First article, patrol and last piece are in-process inspections.")}
        )
    if lot.voided_at is not None:
        raise ValidationError({"lot": _("This lot was voided.")})
    item = lot.item
    supplier = lot.supplier if gate == Gate.IQC else None
    if plan is None:
        plan = plan_in_force(item=item, gate=gate, supplier=supplier)
        if plan is None:
            raise ValidationError(
                {
                    "plan": _(
                        "No inspection plan is in force for %(item)s at the %(gate)s gate: a plan "
                        "must be approved first (§6 e))."
                    )
                    % {"item": item, "gate": Gate(gate).label}
                }
            )
    elif (
        plan.status != PlanStatus.APPROVED
        or plan.voided_at is not None
        or plan.item_id != item.pk
        or plan.gate != gate
    ):
        raise ValidationError({"plan": _("Choose the approved plan of this item at this gate.")})
    stream = None
    severity: str = Severity.NORMAL
    if kind == InspectionKind.LOT:
        stream = stream_for(
            gate=gate, item=item, supplier=lot.supplier, work_centre=lot.work_centre
        )
        if stream.state == Severity.DISCONTINUED:
            raise ValidationError({"supplier": _discontinued(item)})
        severity = stream.state
    rows = draw(plan=plan, lot_size=lot_size_of(lot.quantity), severity=severity, kind=kind)
    if not rows:
        raise ValidationError({"plan": _("The plan samples no defect class.")})
    now = timezone.now()
    ilot = InspectionLot(
        number=f"TMP-{uuid.uuid4().hex}",
        lot=lot,
        gate=gate,
        kind=kind,
        plan=plan,
        stream=stream,
        severity=rows[0]["severity"],
        item=item,
        supplier=lot.supplier,
        lot_size=lot.quantity,
        created_by=actor,
        created_at=now,
    )
    ilot.save()
    ilot.number = f"{gate.upper()}-{now:%Y%m%d}-{ilot.pk:06d}"
    InspectionLot.objects.filter(pk=ilot.pk).update(number=ilot.number)
    LotSampling.objects.bulk_create([LotSampling(inspection_lot=ilot, **row) for row in rows])
    audit_record(
        actor=actor,
        action="inspection.lot.create",
        obj=ilot,
        after={
            **snapshot(ilot),
            "samplings": [
                {k: row[k] for k in ("defect_class", "code_letter", "n", "ac", "re")}
                for row in rows
            ],
        },
        clause=CLAUSE_GATE,
    )
    return ilot


@transaction.atomic
def receipt_create(
    *,
    actor: User,
    item: Item,
    supplier: Supplier,
    supplier_batch: str,
    quantity: Any,
    arrived_on: datetime.date,
    order_number: str = "",
) -> InspectionLot:
    """A receipt at the incoming gate: the lot (master data) and its inspection lot, in one
    transaction: a refusal of either writes nothing."""
    require(actor, "inspection.add_inspectionlot", clause=CLAUSE_GATE)
    if supplier is None:
        raise ValidationError({"supplier": _("Choose the supplier that delivered the lot.")})
    stream = stream_for(gate=Gate.IQC, item=item, supplier=supplier)
    if stream.state == Severity.DISCONTINUED:
        raise ValidationError({"supplier": _discontinued(item)})
    lot = lot_create(
        actor=actor,
        item=item,
        quantity=quantity,
        origin=LotOrigin.RECEIPT,
        arrived_on=arrived_on,
        supplier=supplier,
        supplier_batch=supplier_batch,
        order_number=order_number,
    )
    return inspection_lot_create(actor=actor, lot=lot, gate=Gate.IQC)


@transaction.atomic
def production_inspection_create(
    *,
    actor: User,
    operation: Operation,
    quantity: Any,
    made_on: datetime.date,
    kind: str = InspectionKind.LOT,
    order_number: str = "",
) -> InspectionLot:
    """In-process inspection (IPQC) of what an operation made: the production lot (master data)
    and its inspection lot, kept in the stream of the operation's work centre × item. Kinds:
    lot, first article (首件), patrol (巡检), last piece (末件)."""
    require(actor, "inspection.add_inspectionlot", clause=CLAUSE_GATE)
    if operation is None or operation.voided_at is not None:
        raise ValidationError({"operation": _("Choose an operation in use.")})
    if kind == InspectionKind.LOT:
        stream = stream_for(gate=Gate.IPQC, item=operation.item, work_centre=operation.work_centre)
        if stream.state == Severity.DISCONTINUED:
            raise ValidationError({"operation": _discontinued(operation.item)})
    lot = lot_create(
        actor=actor, item=operation.item, quantity=quantity, origin=LotOrigin.PRODUCTION,
        arrived_on=made_on, order_number=order_number, operation=operation,
        work_centre=operation.work_centre,
    )  # fmt: skip
    return inspection_lot_create(actor=actor, lot=lot, gate=Gate.IPQC, kind=kind)


@transaction.atomic
def shipment_inspection_create(*, actor: User, shipment: Shipment) -> list[InspectionLot]:
    """Outgoing inspection (OQC) of a shipment: an inspection lot for each of its lots that has
    none open or accepted at the outgoing gate yet, in the item's stream."""
    require(actor, "inspection.add_inspectionlot", clause=CLAUSE_GATE)
    if shipment.voided_at is not None:
        raise ValidationError({"shipment": _("This shipment was voided.")})
    lots = [
        line.lot
        for line in shipment.lines.filter(voided_at__isnull=True).select_related("lot__item")
    ]
    if not lots:
        raise ValidationError({"shipment": _("The shipment has no lots to inspect.")})
    done = set(
        InspectionLot.objects.filter(lot__in=lots, gate=Gate.OQC, voided_at__isnull=True)
        .exclude(decision="reject")
        .values_list("lot_id", flat=True)
    )
    return [
        inspection_lot_create(actor=actor, lot=lot, gate=Gate.OQC)
        for lot in dict.fromkeys(lots)
        if lot.pk not in done
    ]
