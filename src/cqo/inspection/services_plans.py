"""Inspection plans per item × gate (× supplier): drafted and edited by quality engineers,
versioned, approved through the approval inbox by the CQO or a delegate (§6 c)), and used at the
gates only once in force (§6 e)). Approving a version supersedes the one in force."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from cqo.accounts.models import User
from cqo.audit.services import audit_record, snapshot
from cqo.authorities.models import ApprovalRequest, ApprovalStatus
from cqo.authorities.services import approval_request_raise
from cqo.core.clauses import clause
from cqo.core.permissions import require
from cqo.core.texts import encode, stored
from cqo.masterdata.models import Characteristic, DefectClass, Gate, Item, Supplier
from cqo.methods.errors import MethodsInputError
from cqo.methods.sampling import AQLS, LEVELS, normalize_aql, normalize_level

from .models import (
    InspectionPlan,
    PlanCharacteristic,
    PlanSampling,
    PlanStatus,
    SamplingMethod,
)

CLAUSE_GATE = clause("§6 e)")
CLAUSE_APPROVAL = clause("§6 c)")
KIND_INSPECTION_PLAN = "inspection_plan"
EDITABLE = (PlanStatus.DRAFT, PlanStatus.RETURNED)


def REMOVED() -> str:
    return str(encode(stored(gettext_noop("Removed from the draft plan."))))


def _editable(plan: InspectionPlan) -> None:
    if plan.voided_at is not None:
        raise ValidationError({"plan": _("This plan was voided.")})
    if plan.status not in EDITABLE:
        raise ValidationError(
            {"status": _("A plan is edited while it is a draft or has been returned.")}
        )


def _gate(gate: str) -> str:
    if gate not in Gate.values:
        raise ValidationError({"gate": _("Choose the incoming, in-process or outgoing gate.")})
    return gate


def _versions(item: Item, gate: str, supplier: Supplier | None) -> Any:
    return InspectionPlan.objects.filter(item=item, gate=gate, supplier=supplier)


def _ipqc(
    gate: str, first_article: bool, patrol_interval_minutes: Any, last_piece: bool
) -> tuple[bool, int | None, bool]:
    if gate != Gate.IPQC and (first_article or patrol_interval_minutes or last_piece):
        raise ValidationError(
            {
                "gate": _(
                    "First article, patrol and last piece are in-process inspections: choose "
                    "the in-process gate."
                )
            }
        )
    minutes: int | None = None
    if patrol_interval_minutes not in (None, ""):
        try:
            minutes = int(patrol_interval_minutes)
        except (TypeError, ValueError):
            minutes = -1
        if not 1 <= minutes <= 24 * 60:
            raise ValidationError(
                {"patrol_interval_minutes": _("Give the patrol interval in minutes, 1 to 1440.")}
            )
    return bool(first_article), minutes, bool(last_piece)


@transaction.atomic
def plan_create(
    *,
    actor: User,
    item: Item,
    gate: str,
    supplier: Supplier | None = None,
    note: str = "",
    first_article: bool = False,
    patrol_interval_minutes: Any = None,
    last_piece: bool = False,
) -> InspectionPlan:
    """Draft the first version of a plan for item × gate (× supplier). A plan that already has
    versions gets a new one from ``plan_version_new``."""
    require(actor, "inspection.add_inspectionplan", clause=CLAUSE_GATE)
    if item is None or item.voided_at is not None:
        raise ValidationError({"item": _("Choose an item in use.")})
    _gate(gate)
    if supplier is not None and gate != Gate.IQC:
        raise ValidationError(
            {"supplier": _("A plan for one supplier is kept at the incoming gate only.")}
        )
    if _versions(item, gate, supplier).exists():
        raise ValidationError(
            {"item": _("This item already has a plan at this gate: draft a new version of it.")}
        )
    fa, minutes, lp = _ipqc(gate, first_article, patrol_interval_minutes, last_piece)
    plan = InspectionPlan(
        item=item, gate=gate, supplier=supplier, version=1, note=(note or "").strip(),
        first_article=fa, patrol_interval_minutes=minutes, last_piece=lp, owner=actor,
    )  # fmt: skip
    plan.full_clean()
    plan.save()
    audit_record(
        actor=actor, action="inspection.plan.create", obj=plan, after=snapshot(plan),
        clause=CLAUSE_GATE,
    )  # fmt: skip
    return plan


@transaction.atomic
def plan_update(
    *,
    actor: User,
    plan: InspectionPlan,
    note: str = "",
    first_article: bool = False,
    patrol_interval_minutes: Any = None,
    last_piece: bool = False,
) -> InspectionPlan:
    require(actor, "inspection.change_inspectionplan", plan, clause=CLAUSE_GATE)
    locked = InspectionPlan.objects.select_for_update().get(pk=plan.pk)
    _editable(locked)
    fa, minutes, lp = _ipqc(locked.gate, first_article, patrol_interval_minutes, last_piece)
    before = snapshot(locked)
    locked.note = (note or "").strip()
    locked.first_article, locked.patrol_interval_minutes, locked.last_piece = fa, minutes, lp
    locked.save(update_fields=["note", "first_article", "patrol_interval_minutes", "last_piece"])
    audit_record(
        actor=actor, action="inspection.plan.update", obj=locked, before=before,
        after=snapshot(locked), clause=CLAUSE_GATE,
    )  # fmt: skip
    return locked


def sampling_check(
    *,
    method: str,
    level: Any = "",
    aql: Any = "",
    fixed_n: Any = None,
    fixed_ac: Any = None,
) -> dict[str, Any]:
    """The sampling of a class as it will be stored, or a ValidationError naming the field:
    a GB/T 2828.1 level and AQL must be in the standard's tables."""
    if method == SamplingMethod.GBT2828:
        try:
            lvl = normalize_level(str(level or ""))
        except MethodsInputError:
            raise ValidationError(
                {
                    "level": _(
                        "The inspection level “%(level)s” is not in GB/T 2828.1 Table 1 "
                        "(levels: %(levels)s)."
                    )
                    % {"level": level, "levels": ", ".join(LEVELS)}
                }
            ) from None
        try:
            aql_text = normalize_aql(aql)
        except MethodsInputError:
            raise ValidationError(
                {
                    "aql": _(
                        "AQL “%(aql)s” is not in the tables of GB/T 2828.1 (preferred AQLs: "
                        "%(aqls)s)."
                    )
                    % {"aql": aql, "aqls": ", ".join(AQLS)}
                }
            ) from None
        return {"level": lvl, "aql": aql_text, "fixed_n": None, "fixed_ac": None}
    if method == SamplingMethod.FIXED:
        try:
            n = int(fixed_n)
        except (TypeError, ValueError):
            n = 0
        if n < 1:
            raise ValidationError(
                {"fixed_n": _("Give the sample size as a whole number, 1 or more.")}
            )
        try:
            ac = int(fixed_ac if fixed_ac not in (None, "") else 0)
        except (TypeError, ValueError):
            ac = -1
        if not 0 <= ac < n:
            raise ValidationError(
                {
                    "fixed_ac": _(
                        "The acceptance number must be a whole number from 0 to one less than "
                        "the sample size."
                    )
                }
            )
        return {"level": "", "aql": "", "fixed_n": n, "fixed_ac": ac}
    if method == SamplingMethod.FULL:
        return {"level": "", "aql": "", "fixed_n": None, "fixed_ac": None}
    raise ValidationError({"method": _("Choose how this class is sampled.")})


@transaction.atomic
def plan_sampling_set(
    *,
    actor: User,
    plan: InspectionPlan,
    defect_class: str,
    method: str,
    level: Any = "",
    aql: Any = "",
    fixed_n: Any = None,
    fixed_ac: Any = None,
) -> PlanSampling:
    """Set how the plan samples one defect class (CR, MA, MI)."""
    require(actor, "inspection.change_inspectionplan", plan, clause=CLAUSE_GATE)
    locked = InspectionPlan.objects.select_for_update().get(pk=plan.pk)
    _editable(locked)
    if defect_class not in DefectClass.values:
        raise ValidationError({"defect_class": _("Choose the defect class CR, MA or MI.")})
    values = sampling_check(method=method, level=level, aql=aql, fixed_n=fixed_n, fixed_ac=fixed_ac)
    row = PlanSampling.objects.filter(plan=locked, defect_class=defect_class).first()
    before = snapshot(row) if row is not None else None
    if row is None:
        row = PlanSampling(plan=locked, defect_class=defect_class)
    row.method = method
    for key, value in values.items():
        setattr(row, key, value if value is not None else (None if key.startswith("fixed") else ""))
    row.voided_at, row.voided_by, row.void_reason = None, None, ""
    row.full_clean()
    row.save()
    audit_record(
        actor=actor, action="inspection.plan.update", obj=locked, before=before,
        after={"sampling": snapshot(row)}, clause=CLAUSE_GATE,
    )  # fmt: skip
    return row


@transaction.atomic
def plan_sampling_remove(*, actor: User, plan: InspectionPlan, defect_class: str) -> None:
    require(actor, "inspection.change_inspectionplan", plan, clause=CLAUSE_GATE)
    locked = InspectionPlan.objects.select_for_update().get(pk=plan.pk)
    _editable(locked)
    row = PlanSampling.objects.filter(
        plan=locked, defect_class=defect_class, voided_at__isnull=True
    ).first()
    if row is None:
        raise ValidationError({"defect_class": _("The plan does not sample this class.")})
    before = snapshot(row)
    row.voided_at, row.voided_by = timezone.now(), actor
    row.void_reason = REMOVED()
    row.save(update_fields=["voided_at", "voided_by", "void_reason"])
    audit_record(
        actor=actor, action="inspection.plan.update", obj=locked, before={"sampling": before},
        after={"sampling": snapshot(row)}, clause=CLAUSE_GATE,
    )  # fmt: skip


@transaction.atomic
def plan_characteristics_set(
    *, actor: User, plan: InspectionPlan, characteristics: Iterable[Characteristic]
) -> list[PlanCharacteristic]:
    """The characteristics the plan checks, in order, chosen from the item's characteristics."""
    require(actor, "inspection.change_inspectionplan", plan, clause=CLAUSE_GATE)
    locked = InspectionPlan.objects.select_for_update().get(pk=plan.pk)
    _editable(locked)
    chosen = list(dict.fromkeys(characteristics))
    for ch in chosen:
        if ch.item_id != locked.item_id or ch.voided_at is not None:
            raise ValidationError(
                {
                    "characteristics": _("“%(ch)s” is not a characteristic of this item in use.")
                    % {"ch": ch}
                }
            )
    rows = {r.characteristic_id: r for r in PlanCharacteristic.objects.filter(plan=locked)}
    before = sorted(r.characteristic_id for r in rows.values() if r.voided_at is None)
    now = timezone.now()
    kept: list[PlanCharacteristic] = []
    for i, ch in enumerate(chosen):
        row = rows.pop(ch.pk, None) or PlanCharacteristic(plan=locked, characteristic=ch)
        row.sequence = (i + 1) * 10
        row.voided_at, row.voided_by, row.void_reason = None, None, ""
        row.save()
        kept.append(row)
    for row in rows.values():
        if row.voided_at is None:
            row.voided_at, row.voided_by = now, actor
            row.void_reason = REMOVED()
            row.save(update_fields=["voided_at", "voided_by", "void_reason"])
    audit_record(
        actor=actor, action="inspection.plan.update", obj=locked,
        before={"characteristics": before},
        after={"characteristics": [r.characteristic_id for r in kept]}, clause=CLAUSE_GATE,
    )  # fmt: skip
    return kept


def plan_problems(plan: InspectionPlan) -> dict[str, str]:
    """What keeps a plan from being sent for approval, by field."""
    problems: dict[str, str] = {}
    chars = list(
        PlanCharacteristic.objects.filter(plan=plan, voided_at__isnull=True).select_related(
            "characteristic"
        )
    )
    if not chars:
        problems["characteristics"] = _("Choose at least one characteristic to check.")
    classes = set(
        PlanSampling.objects.filter(plan=plan, voided_at__isnull=True).values_list(
            "defect_class", flat=True
        )
    )
    if not classes:
        problems["samplings"] = _("Say how at least one defect class is sampled.")
    else:
        unsampled = sorted({c.characteristic.defect_class for c in chars} - classes)
        if unsampled:
            problems["samplings"] = _(
                "The plan checks characteristics of class %(classes)s but does not say how that "
                "class is sampled."
            ) % {"classes": ", ".join(unsampled)}
    return problems


@transaction.atomic
def plan_submit(
    *, actor: User, plan: InspectionPlan, due: datetime.date | None = None
) -> ApprovalRequest:
    """Send the draft for approval (§6 c)); approval puts it in force at its gate (§6 e))."""
    require(actor, "inspection.submit_inspectionplan", plan, clause=CLAUSE_GATE)
    locked = InspectionPlan.objects.select_for_update().get(pk=plan.pk)
    _editable(locked)
    problems = plan_problems(locked)
    if problems:
        raise ValidationError(problems)
    _status(actor, locked, PlanStatus.SUBMITTED)
    return approval_request_raise(
        actor=actor,
        subject=locked,
        kind=KIND_INSPECTION_PLAN,
        authority="c",
        due=due,
        summary=_("Approve the inspection plan v%(version)s of %(item)s at the %(gate)s gate.")
        % {"version": locked.version, "item": locked.item, "gate": locked.get_gate_display()},
    )


def _status(
    actor: User | None, plan: InspectionPlan, status: str, *, reason: str = ""
) -> InspectionPlan:
    before = snapshot(plan)
    plan.status = status
    fields = ["status"]
    if status == PlanStatus.APPROVED:
        plan.approved_by, plan.approved_at = actor, timezone.now()
        fields += ["approved_by", "approved_at"]
    plan.save(update_fields=fields)
    audit_record(
        actor=actor,
        action=f"inspection.plan.{status}",
        obj=plan,
        before=before,
        after=snapshot(plan),
        reason=reason,
        clause=CLAUSE_APPROVAL if status != PlanStatus.SUPERSEDED else CLAUSE_GATE,
    )
    return plan


def plan_approval_decided(*, actor: User, request: ApprovalRequest, subject: Any) -> None:
    """The ``inspection_plan`` kind's handler: approval puts the version in force and supersedes
    the one that was; rejection returns it to its author."""
    plan = InspectionPlan.objects.select_for_update().get(pk=subject.pk)
    if plan.status != PlanStatus.SUBMITTED:
        return
    if request.status != ApprovalStatus.APPROVED:
        _status(actor, plan, PlanStatus.RETURNED, reason=request.decision_reason)
        return
    for old in (
        _versions(plan.item, plan.gate, plan.supplier)
        .select_for_update()
        .filter(status=PlanStatus.APPROVED)
        .exclude(pk=plan.pk)
    ):
        _status(actor, old, PlanStatus.SUPERSEDED, reason=f"v{plan.version}")
    _status(actor, plan, PlanStatus.APPROVED, reason=request.decision_reason)


def plan_approval_withdrawn(*, actor: User, request: ApprovalRequest, subject: Any) -> None:
    plan = InspectionPlan.objects.select_for_update().get(pk=subject.pk)
    if plan.status == PlanStatus.SUBMITTED:
        _status(actor, plan, PlanStatus.RETURNED, reason=request.decision_reason)


@transaction.atomic
def plan_version_new(*, actor: User, plan: InspectionPlan) -> InspectionPlan:
    """A new draft version, a copy of this one (its sampling and characteristics)."""
    require(actor, "inspection.add_inspectionplan", clause=CLAUSE_GATE)
    versions = _versions(plan.item, plan.gate, plan.supplier).select_for_update()
    open_version = versions.filter(
        status__in=(*EDITABLE, PlanStatus.SUBMITTED), voided_at__isnull=True
    ).first()
    if open_version is not None:
        raise ValidationError(
            {
                "version": _(
                    "Version %(v)s of this plan is still being drafted or approved: finish it "
                    "first."
                )
                % {"v": open_version.version}
            }
        )
    number = (versions.aggregate(m=Max("version"))["m"] or 0) + 1
    copy = InspectionPlan(
        item=plan.item, gate=plan.gate, supplier=plan.supplier, version=number,
        first_article=plan.first_article, patrol_interval_minutes=plan.patrol_interval_minutes,
        last_piece=plan.last_piece, note=plan.note, owner=actor,
    )  # fmt: skip
    copy.save()
    PlanSampling.objects.bulk_create(
        [
            PlanSampling(
                plan=copy,
                defect_class=s.defect_class,
                method=s.method,
                level=s.level,
                aql=s.aql,
                fixed_n=s.fixed_n,
                fixed_ac=s.fixed_ac,
            )
            for s in plan.samplings.filter(voided_at__isnull=True)
        ]
    )
    PlanCharacteristic.objects.bulk_create(
        [
            PlanCharacteristic(
                plan=copy, characteristic_id=c.characteristic_id, sequence=c.sequence
            )
            for c in plan.characteristics.filter(voided_at__isnull=True)
        ]
    )
    audit_record(
        actor=actor, action="inspection.plan.version", obj=copy,
        after={**snapshot(copy), "copied_from": plan.pk}, clause=CLAUSE_GATE,
    )  # fmt: skip
    return copy
