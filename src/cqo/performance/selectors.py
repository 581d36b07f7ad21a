# mypy: disable-error-code="union-attr"
"""Reads of the performance app: objectives with their actuals and lights (§7.1.2), rounds and
scores (§6 g)). A computed actual comes from the metric registry (``cqo.core.metrics``); a
period or month without data is *missing* (None) and never scored as a figure."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone

from cqo.core.metrics import Direction, metric_compute, metric_get
from cqo.organisation.quality_record import quality_record

from .models import Appraisal, AppraisalRound, Objective, ObjectiveActual, SubjectKind

GREEN, AMBER, RED, MISSING = "green", "amber", "red", "missing"
TWO = Decimal("0.01")


def objectives_visible(user: Any) -> QuerySet[Objective]:
    if not user.has_perm("performance.view_objective"):
        return Objective.objects.none()
    return Objective.objects.select_related("unit", "owner", "parent")


def rounds_visible(user: Any) -> QuerySet[AppraisalRound]:
    if not user.has_perm("performance.view_appraisalround"):
        return AppraisalRound.objects.none()
    return AppraisalRound.objects.select_related("created_by", "reviewed_by", "signed_by")


def appraisals_of(user: Any) -> QuerySet[Appraisal]:
    """The signed appraisals of the user, and of the user's unit (the "my appraisal" page)."""
    person = getattr(user, "person", None)
    from django.db.models import Q

    mine = Q(person=user)
    if person is not None and person.unit_id is not None:
        mine |= Q(unit_id=person.unit_id)
    return (
        Appraisal.objects.filter(mine, round__status="signed", round__voided_at__isnull=True)
        .select_related("round", "unit", "person")
        .prefetch_related("appeals")
    )


def light(direction: str, target: Decimal, tolerance: Decimal, value: Decimal | None) -> str:
    """Green when the target is met, amber within the tolerance of it, red beyond; missing
    without a value."""
    if value is None:
        return MISSING
    gap = value - target if direction == Direction.HIGHER else target - value
    if gap >= 0:
        return GREEN
    if -gap <= tolerance:
        return AMBER
    return RED


def months_of(first: datetime.date, last: datetime.date) -> list[datetime.date]:
    found, day = [], first.replace(day=1)
    while day <= last:
        found.append(day)
        day = (day + datetime.timedelta(days=32)).replace(day=1)
    return found


def _month_end(month: datetime.date) -> datetime.date:
    return (month + datetime.timedelta(days=32)).replace(day=1) - datetime.timedelta(days=1)


@dataclass
class Point:
    first: datetime.date
    last: datetime.date
    value: Decimal | None
    basis: str = ""
    light: str = MISSING
    evidence: ObjectiveActual | None = None


def _entered(objective: Objective) -> dict[datetime.date, ObjectiveActual]:
    return {
        a.month: a
        for a in ObjectiveActual.objects.filter(objective=objective, voided_at__isnull=True)
    }


def _basis(value: Any) -> str:
    if value is None:
        return ""
    if value.denominator is not None:
        return f"{value.numerator.normalize():f} / {value.denominator.normalize():f}"
    return f"{value.numerator.normalize():f}"


def actual_over(
    objective: Objective,
    first: datetime.date,
    last: datetime.date,
    entered: dict[datetime.date, ObjectiveActual] | None = None,
) -> Point:
    """The objective's actual from ``first`` to ``last``: computed from the registry, or for an
    entered measure the latest month entered within the span."""
    if objective.computed:
        if metric_get(objective.metric) is None:
            return Point(first, last, None)
        found = metric_compute(objective.metric, first=first, last=last, unit_id=objective.unit_id)
        value = found.value.value if found.value is not None else None
        point = Point(first, last, value, _basis(found.value))
    else:
        entered = _entered(objective) if entered is None else entered
        months = [m for m in months_of(first, last) if m in entered]
        actual = entered[months[-1]] if months else None
        point = Point(first, last, actual.value if actual else None, evidence=actual)
    point.light = light(objective.direction, objective.target, objective.tolerance, point.value)
    return point


def objective_status(objective: Objective, *, today: datetime.date | None = None) -> dict[str, Any]:
    """The period's actual so far, its light and the monthly trend."""
    today = today or timezone.localdate()
    end = min(objective.last, today)
    entered = None if objective.computed else _entered(objective)
    if end < objective.first:
        overall = Point(objective.first, objective.last, None)
        months: list[Point] = []
    else:
        overall = actual_over(objective, objective.first, end, entered)
        months = [
            actual_over(objective, max(m, objective.first), min(_month_end(m), end), entered)
            for m in months_of(objective.first, end)
        ]
    metric = metric_get(objective.metric) if objective.computed else None
    return {
        "objective": objective,
        "overall": overall,
        "months": months,
        "metric": metric,
        "scope_unit": objective.unit if metric is not None and metric.by_unit else None,
        "measure": str(metric.label) if metric else objective.measure_name,
        "measure_unit": str(metric.unit) if metric else objective.measure_unit,
        "clause": metric.clause if metric else "§7.1.2",
    }


def trend_option(status: dict[str, Any], *, target_label: str, actual_label: str) -> dict[str, Any]:
    """The ECharts option of an objective's monthly trend: the actual (gaps where missing) and
    the target line."""
    months = status["months"]
    target = float(status["objective"].target)
    return {
        "tooltip": {"trigger": "axis"},
        "legend": {"data": [actual_label, target_label]},
        "xAxis": {"type": "category", "data": [p.first.strftime("%Y-%m") for p in months]},
        "yAxis": {"type": "value", "name": status["measure_unit"]},
        "series": [
            {"name": actual_label, "type": "line", "connectNulls": False,
             "data": [None if p.value is None else float(p.value) for p in months]},
            {"name": target_label, "type": "line", "lineStyle": {"type": "dashed"},
             "symbol": "none", "data": [target for _p in months]},
        ],
    }  # fmt: skip


# --- appraisal --------------------------------------------------------------------------------


def score_compute(found: AppraisalRound, *, unit: Any = None, person: Any = None) -> dict[str, Any]:
    """One subject's score: Σ weight × points of its objectives' lights ÷ Σ weight, less the
    deductions of its quality record's penalties (capped), plus the credits of its rewards for
    improvement results (capped). A missing actual scores no points and is marked missing."""
    weights = [
        w for w in found.weights.select_related("objective")
        if (found.subject_kind == SubjectKind.UNIT and w.objective.unit_id == getattr(unit, "pk", None))
        or (found.subject_kind == SubjectKind.PERSON and w.objective.owner_id == getattr(person, "pk", None))
    ]  # fmt: skip
    points = {GREEN: found.points_green, AMBER: found.points_amber, RED: found.points_red,
              MISSING: Decimal(0)}  # fmt: skip
    rows, total_weight, weighted = [], Decimal(0), Decimal(0)
    for w in weights:
        o = w.objective
        first, last = max(o.first, found.first), min(o.last, found.last)
        point = actual_over(o, first, last)
        earned = points[point.light]
        total_weight += w.weight
        weighted += w.weight * earned
        rows.append({
            "objective": o.number, "title": o.title, "weight": str(w.weight),
            "target": str(o.target.normalize()), "actual": None if point.value is None else str(point.value),
            "basis": point.basis, "light": point.light, "points": str(earned),
        })  # fmt: skip
    objective_points = (weighted / total_weight).quantize(TWO) if total_weight else Decimal("0.00")
    # The quality record names people by their person record (organisation.Person).
    entries: list[Any] = []
    if person is not None:
        record_of = getattr(person, "person", None)
        if record_of is not None:
            entries = quality_record(person=record_of, first=found.first, last=found.last)
    else:
        entries = quality_record(unit=unit, first=found.first, last=found.last)
    penalties = [e for e in entries if e.kind == "penalty"]
    deductions = min(found.deduction_cap, found.deduction_per_penalty * len(penalties)).quantize(
        TWO
    )
    rewards = [e for e in entries if e.kind == "reward"]
    credits = min(found.credit_cap, found.credit_per_reward * len(rewards)).quantize(TWO)
    score = max(Decimal("0.00"), objective_points - deductions + credits).quantize(TWO)
    return {
        "objective_points": objective_points,
        "deductions": deductions,
        "credits": credits,
        "score": score,
        "breakdown": {
            "objectives": rows,
            "penalties": [{"key": f"{e.source}:{e.key}", "date": e.date.isoformat(),
                           "title": e.title, "clause": e.clause} for e in penalties],
            "credits": [{"key": f"{e.source}:{e.key}", "date": e.date.isoformat(),
                         "title": e.title, "clause": e.clause} for e in rewards],
        },
    }  # fmt: skip


def scores_digest(found: AppraisalRound) -> list[dict[str, Any]]:
    return [
        {"unit": a.unit.code if a.unit_id else None,
         "person": a.person.get_username() if a.person_id else None,
         "score": str(a.score), "objective_points": str(a.objective_points),
         "deductions": str(a.deductions), "credits": str(a.credits)}
        for a in found.appraisals.select_related("unit", "person").order_by("id")
    ]  # fmt: skip


def appraisal_rows(found: AppraisalRound) -> list[Appraisal]:
    return list(found.appraisals.select_related("unit", "person", "person__person"))
