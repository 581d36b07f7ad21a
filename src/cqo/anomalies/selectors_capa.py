"""Reads of corrective and preventive action (§7.1.4): the list with its ageing, one CAPA with
its 8D sections, the evidence of effectiveness proposed from the data (the item's next lots and
any repeat of the defect), the CAPAs of an NCR and what keeps the NCR open."""

from __future__ import annotations

import dataclasses
import datetime
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from cqo.masterdata.models import Lot, StockStatus

from .models_capa import (
    ActionKind,
    ActionStatus,
    Capa,
    CapaStatus,
    EffectivenessBasis,
    FishboneCategory,
)
from .services_capa import CLAUSE_CAPA

PAGE_SIZE = 50
# Ageing buckets of an open CAPA, in days since it was raised.
AGE_BUCKETS = ((30, "0–30"), (60, "31–60"), (90, "61–90"), (None, "> 90"))


def capas_visible(user: Any) -> QuerySet[Capa]:
    """Every member reads the CAPAs (corrective action is everyone's business); voided ones
    stay out of the lists."""
    if not user.has_perm("anomalies.view_capa"):
        return Capa.objects.none()
    return Capa.objects.filter(voided_at__isnull=True).select_related("owner", "item", "anomaly")


def age_bucket(days: int) -> str:
    for limit, label in AGE_BUCKETS:
        if limit is None or days <= limit:
            return label
    return AGE_BUCKETS[-1][1]


def capa_list(
    user: Any, *, status: str = "", eight_d: str = "", overdue: bool = False, q: str = ""
) -> QuerySet[Capa]:
    qs = (
        capas_visible(user)
        .annotate(
            open_actions=Count(
                "actions",
                filter=Q(actions__voided_at__isnull=True, actions__status=ActionStatus.OPEN),
            ),
            repeat_count=Count("repeats", filter=Q(repeats__voided_at__isnull=True)),
        )
        .order_by("-raised_at", "-id")
    )
    if status == "open":
        qs = qs.exclude(status=CapaStatus.CLOSED)
    elif status in CapaStatus.values:
        qs = qs.filter(status=status)
    if eight_d == "1":
        qs = qs.filter(is_8d=True)
    if overdue:
        qs = qs.exclude(status=CapaStatus.CLOSED).filter(due_on__lt=timezone.localdate())
    if q:
        qs = qs.filter(Q(number__icontains=q) | Q(title__icontains=q))
    return qs


def with_age(capas: Any, today: datetime.date | None = None) -> list[Any]:
    """Each CAPA with ``age_days`` (to closure, or to today) and its ageing bucket."""
    today = today or timezone.localdate()
    out = []
    for capa in capas:
        end = timezone.localtime(capa.closed_at).date() if capa.closed_at else today
        capa.age_days = (end - timezone.localtime(capa.raised_at).date()).days
        capa.age_bucket = age_bucket(capa.age_days) if not capa.closed_at else ""
        capa.overdue = bool(capa.due_on and not capa.closed_at and capa.due_on < today)
        out.append(capa)
    return out


def ageing_counts(user: Any) -> list[dict[str, Any]]:
    """Open CAPAs per ageing bucket, for the list's heading."""
    today = timezone.localdate()
    counts = dict.fromkeys((label for _limit, label in AGE_BUCKETS), 0)
    raised = (
        capas_visible(user).exclude(status=CapaStatus.CLOSED).values_list("raised_at", flat=True)
    )
    for at in raised:
        counts[age_bucket((today - timezone.localtime(at).date()).days)] += 1
    return [{"label": label, "count": n} for label, n in counts.items()]


def capa_detail(user: Any, pk: int) -> Capa:
    return (
        capas_visible(user)
        .select_related(
            "raised_by",
            "root_cause_verified_by",
            "effectiveness_checked_by",
            "closed_by",
            "effectiveness_signature",
            "closure_signature",
        )
        .get(pk=pk)
    )


def capa_parts(capa: Capa) -> dict[str, Any]:
    """The 8D's repeated parts, voided rows left out."""
    actions = list(capa.actions.filter(voided_at__isnull=True).select_related("owner"))
    causes = list(capa.causes.filter(voided_at__isnull=True))
    fishbone = [
        {"key": key, "label": label, "causes": [c for c in causes if c.category == key]}
        for key, label in FishboneCategory.choices
    ]
    return {
        "members": list(capa.members.filter(voided_at__isnull=True).select_related("user")),
        "chains": list(capa.why_chains.filter(voided_at__isnull=True)),
        "fishbone": fishbone,
        "causes": causes,
        "containment_actions": [a for a in actions if a.kind == ActionKind.CONTAINMENT],
        "permanent_actions": [a for a in actions if a.kind == ActionKind.PERMANENT],
        "preventive_actions": [a for a in actions if a.kind == ActionKind.PREVENTIVE],
        "actions": actions,
        "repeats": list(capa.repeats.filter(voided_at__isnull=True).select_related("anomaly")),
    }


@dataclasses.dataclass
class Evidence:
    """Evidence of effectiveness proposed from the data; the checker judges and writes it."""

    basis: str
    lots_seen: int = 0
    lots_accepted: int = 0
    lots_rejected: int = 0
    lot_numbers: list[str] = dataclasses.field(default_factory=list)
    repeats: int = 0
    days_passed: int = 0
    ready: bool = False
    text: str = ""


def _repeat_count(capa: Capa, since: datetime.datetime) -> int:
    """NCRs raised since ``since`` on the CAPA's item with its defect code (its own excluded)."""
    from .models import AnomalyDefect

    if not capa.item_id or not capa.defect_code:
        return 0
    rows = AnomalyDefect.objects.filter(
        voided_at__isnull=True,
        defect__code=capa.defect_code,
        anomaly__item_id=capa.item_id,
        anomaly__voided_at__isnull=True,
        anomaly__raised_at__gte=since,
    )
    if capa.anomaly_id is not None:
        rows = rows.exclude(anomaly_id=capa.anomaly_id)
    return rows.values("anomaly_id").distinct().count()


def effectiveness_evidence(capa: Capa, now: datetime.datetime | None = None) -> Evidence:
    """The next N lots of the item made or received after the actions were done, how many were
    accepted (released, or conditionally under a concession) or rejected, and how many NCRs
    repeated the defect; ready when the watch is over and nothing went wrong."""
    now = now or timezone.now()
    evidence = Evidence(basis=capa.effectiveness_basis)
    since = capa.actions_done_at
    if since is None:
        evidence.text = _("The watch starts when every permanent action is done.")
        return evidence
    evidence.days_passed = (now - since).days
    evidence.repeats = _repeat_count(capa, since)
    lots: list[Any] = []
    if capa.item_id:
        lots = list(
            Lot.objects.filter(item_id=capa.item_id, voided_at__isnull=True, created_at__gt=since)
            .order_by("created_at", "pk")
            .values("number", "stock_status")[: capa.effectiveness_lots]
        )
    accepted = {StockStatus.RELEASED, StockStatus.CONDITIONAL}
    evidence.lots_seen = len(lots)
    evidence.lots_accepted = sum(1 for lot in lots if lot["stock_status"] in accepted)
    evidence.lots_rejected = sum(
        1 for lot in lots if lot["stock_status"] in (StockStatus.REJECTED, StockStatus.HELD)
    )
    evidence.lot_numbers = [lot["number"] for lot in lots]
    if capa.effectiveness_basis == EffectivenessBasis.LOTS:
        watched = evidence.lots_accepted >= capa.effectiveness_lots
    else:
        watched = evidence.days_passed >= capa.effectiveness_days
    evidence.ready = watched and evidence.repeats == 0 and evidence.lots_rejected == 0
    parts = [
        _("%(accepted)d of the next %(wanted)d lots of the item accepted (%(seen)d seen, "
          "%(rejected)d rejected or held)")
        % {"accepted": evidence.lots_accepted, "wanted": capa.effectiveness_lots,
           "seen": evidence.lots_seen, "rejected": evidence.lots_rejected},
        _("%(n)d days since the actions were done") % {"n": evidence.days_passed},
        _("%(n)d repeats of defect %(code)s") % {"n": evidence.repeats,
                                                "code": capa.defect_code or "—"},
    ]  # fmt: skip
    if evidence.lot_numbers:
        parts.append(_("lots: %(lots)s") % {"lots": ", ".join(evidence.lot_numbers)})
    evidence.text = "; ".join(parts) + "."
    return evidence


def capas_of_anomaly(anomaly: Any) -> list[Capa]:
    return list(
        Capa.objects.filter(anomaly=anomaly, voided_at__isnull=True).select_related("owner")
    )


def closure_obstacles(anomaly: Any) -> list[str]:
    """The NCR closes only when every CAPA linked to it is closed, its effectiveness found by
    another person."""
    open_ones = (
        Capa.objects.filter(anomaly=anomaly, voided_at__isnull=True)
        .exclude(status=CapaStatus.CLOSED)
        .values_list("number", flat=True)
    )
    return [
        _("Corrective action %(number)s is not closed: its actions and an effectiveness check "
          "by another person come first (%(clause)s).")
        % {"number": number, "clause": CLAUSE_CAPA}
        for number in open_ones
    ]  # fmt: skip


def repeat_rate(user: Any) -> dict[str, int]:
    """Closed CAPAs and how many of them saw their defect again (for the analysis part)."""
    qs = capas_visible(user).filter(closed_at__isnull=False)
    return {
        "closed": qs.count(),
        "repeated": qs.filter(repeats__voided_at__isnull=True).distinct().count(),
    }
