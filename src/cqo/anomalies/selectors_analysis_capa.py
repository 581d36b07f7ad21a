"""Analysis of corrective actions (§7.1.4): ageing of the open CAPAs, the overdue ones, closure
time and the repeats counted after closure. One grouped query per figure, as for the NCRs."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Q
from django.utils import timezone

from cqo.methods import ageing

from .models import Capa, CapaRepeat, CapaStatus
from .selectors_analysis import (
    PERM,
    Ageing,
    DaysBetween,
    _bucket_filters,
    _start_of,
    age_labels,
    may_view,
    period_start,
)

OPEN_CAPA = tuple(s for s in CapaStatus.values if s != CapaStatus.CLOSED)

__all__ = ["PERM", "CapaFigures", "capa_ageing", "capa_figures", "status_label"]


def capas(user: Any) -> Any:
    if not may_view(user):
        return Capa.objects.none()
    return Capa.objects.filter(voided_at__isnull=True).order_by()


def capa_ageing(user: Any, *, now: datetime.datetime | None = None) -> Ageing:
    """The open CAPAs by status and age bucket (days since raised): one grouped query."""
    filters = _bucket_filters(now or timezone.now())
    aggregates = {f"b{i}": Count("id", filter=f) for i, f in enumerate(filters)}
    rows = capas(user).filter(status__in=OPEN_CAPA).values("status").annotate(**aggregates)
    found = {str(r["status"]): [int(r[f"b{i}"]) for i in range(len(filters))] for r in rows}
    return Ageing(
        labels=age_labels(), by_status={str(s): found[s] for s in OPEN_CAPA if s in found}
    )


@dataclass
class CapaFigures:
    raised: int
    closed: int
    eight_d: int
    overdue: int
    closure: ageing.DurationSummary
    repeats: int


def capa_figures(user: Any, *, months: int = 12, today: datetime.date | None = None) -> CapaFigures:
    today = today or timezone.localdate()
    start = period_start(months, today=today)
    qs = capas(user)
    counts = qs.aggregate(
        raised=Count("id", filter=Q(raised_at__gte=_start_of(start))),
        eight_d=Count("id", filter=Q(raised_at__gte=_start_of(start), is_8d=True)),
        overdue=Count("id", filter=Q(status__in=OPEN_CAPA, due_on__lt=today)),
    )
    days = [
        max(0.0, float(d))
        for d in qs.filter(status=CapaStatus.CLOSED, closed_at__gte=_start_of(start)).values_list(
            DaysBetween("raised_at", "closed_at"), flat=True
        )
        if d is not None
    ]
    repeats = (
        CapaRepeat.objects.filter(voided_at__isnull=True, detected_at__gte=_start_of(start)).count()
        if may_view(user)
        else 0
    )
    return CapaFigures(
        raised=counts["raised"] or 0,
        closed=len(days),
        eight_d=counts["eight_d"] or 0,
        overdue=counts["overdue"] or 0,
        closure=ageing.duration_summary(days),
        repeats=repeats,
    )


def status_label(status: str) -> str:
    return str(CapaStatus(status).label) if status in CapaStatus.values else status
