"""Reads of incidents and penalties, scoped to the user, and the penalties' entries on the
quality record (``cqo.organisation.quality_record``)."""

from __future__ import annotations

import datetime
from collections.abc import Iterator
from decimal import Decimal
from typing import Any

from django.db.models import Prefetch, Q, QuerySet, Sum

from .models import (
    Incident,
    IncidentCost,
    Penalty,
    PenaltyDecision,
    PenaltyStatus,
    Verdict,
)


def incidents_visible(
    user: Any, *, status: str = "", level: str = "", year: int | None = None
) -> QuerySet[Incident]:
    if user is None or not user.has_perm("incidents.view_incident"):
        return Incident.objects.none()
    qs = Incident.objects.filter(voided_at__isnull=True).select_related("unit", "lead", "item")
    if status:
        qs = qs.filter(status=status)
    if level:
        qs = qs.filter(level=level)
    if year:
        qs = qs.filter(occurred_at__year=year)
    return qs.order_by("-occurred_at", "-id")


def _with_decisions(qs: QuerySet[Penalty]) -> QuerySet[Penalty]:
    return qs.select_related(
        "incident", "person", "unit", "unit__head", "proposed_by"
    ).prefetch_related(
        Prefetch("decisions", queryset=PenaltyDecision.objects.select_related("decided_by"))
    )


def penalties_visible(
    user: Any, *, status: str = "", incident: Incident | None = None
) -> QuerySet[Penalty]:
    """Everyone who may read penalties at large sees all; anyone else only their own (their
    person's, or their unit's when they head it)."""
    if user is None or not getattr(user, "is_authenticated", False):
        return Penalty.objects.none()
    qs = Penalty.objects.filter(voided_at__isnull=True)
    if not user.has_perm("incidents.view_penalty"):
        qs = qs.filter(Q(person__user=user) | Q(unit__head__user=user))
    if status:
        qs = qs.filter(status=status)
    if incident is not None:
        qs = qs.filter(incident=incident)
    return _with_decisions(qs).order_by("-proposed_at", "-id")


def penalties_to_decide(user: Any) -> list[Penalty]:
    """Heard penalties this user may decide."""
    qs = (
        Penalty.objects.filter(voided_at__isnull=True, status=PenaltyStatus.HEARD)
        .select_related("person", "unit")
        .order_by("heard_at", "id")
    )
    return [p for p in qs if user.has_perm("incidents.decide_penalty", p)]


def incident_costs(incident: Incident) -> tuple[list[IncidentCost], Decimal]:
    rows = list(
        incident.costs.filter(voided_at__isnull=True).select_related("recorded_by").order_by(
            "incurred_on", "id"
        )
    )  # fmt: skip
    return rows, sum((r.amount for r in rows), Decimal("0"))


def incident_cost_total(incident_ids: list[int]) -> dict[int, Decimal]:
    rows = (
        IncidentCost.objects.filter(voided_at__isnull=True, incident_id__in=incident_ids)
        .values("incident_id").annotate(total=Sum("amount"))
    )  # fmt: skip
    return {r["incident_id"]: r["total"] for r in rows}


def quality_record_entries(
    *,
    person: Any = None,
    unit: Any = None,
    first: datetime.date | None = None,
    last: datetime.date | None = None,
) -> Iterator[Any]:
    """The quality-record source: each decided penalty whose standing decision imposes it, on
    the person or the unit it names (a revision replaces the entry; a dismissal leaves none)."""
    from django.urls import reverse
    from django.utils.translation import gettext as _

    from cqo.core.clauses import clause
    from cqo.organisation.quality_record import QualityRecordEntry

    qs = Penalty.objects.filter(voided_at__isnull=True, status=PenaltyStatus.DECIDED)
    qs = qs.filter(person=person) if person is not None else qs.filter(unit=unit)
    for penalty in _with_decisions(qs).order_by("id"):
        decision = penalty.current_decision
        if decision is None or decision.verdict != Verdict.IMPOSE:
            continue
        day = decision.decided_at.date()
        if (first and day < first) or (last and day > last):
            continue
        yield QualityRecordEntry(
            source="incidents",
            key=f"penalty:{penalty.pk}",
            date=day,
            kind="penalty",
            title=_("Penalty %(number)s for incident %(incident)s")
            % {"number": penalty.number, "incident": penalty.incident.title},
            measure=str(dict(decision._meta.get_field("measure").flatchoices).get(
                decision.measure, decision.measure)),
            clause=clause("§6 d)"),
            amount=decision.amount,
            url=reverse("incidents:penalty_detail", args=[penalty.pk]),
            person_id=penalty.person_id,
            unit_id=penalty.unit_id,
        )  # fmt: skip
