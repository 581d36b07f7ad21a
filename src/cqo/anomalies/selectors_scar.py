"""Every read of the SCAR part: the engineer's list and page, the NCR page's section, the link's
look-up for the supplier, and the SCAR part of the supplier score (``masterdata.scores``)."""

from __future__ import annotations

import datetime
from typing import Any

from django.db.models import Count, Q, QuerySet, Sum
from django.utils import timezone

from . import link_scar
from .models_scar import SCAR_AWAITING_SUPPLIER, SCAR_OPEN, Scar, ScarAnswer, ScarStatus

VIEW = "anomalies.view_scar"
FILTERS = ("open", "overdue", "answered", "accepted", "all")


def scars_visible(user: Any) -> QuerySet[Scar]:
    if user is None or not user.has_perm(VIEW):
        return Scar.objects.none()
    return Scar.objects.filter(voided_at__isnull=True).select_related(
        "anomaly", "supplier", "lot", "owner"
    )


def scar_list(
    user: Any, *, state: str = "open", supplier: int | None = None, q: str = ""
) -> QuerySet[Scar]:
    qs = scars_visible(user)
    today = timezone.localdate()
    if state == "open":
        qs = qs.filter(status__in=SCAR_OPEN)
    elif state == "overdue":
        qs = qs.filter(status__in=SCAR_AWAITING_SUPPLIER, due_on__lt=today)
    elif state == "answered":
        qs = qs.filter(status=ScarStatus.ANSWERED)
    elif state == "accepted":
        qs = qs.filter(status=ScarStatus.ACCEPTED)
    if supplier:
        qs = qs.filter(supplier_id=supplier)
    q = (q or "").strip()[:60]
    if q:
        qs = qs.filter(
            Q(number__icontains=q)
            | Q(anomaly__number__icontains=q)
            | Q(supplier__code__icontains=q)
            | Q(supplier__name__icontains=q)
        )
    return qs.order_by("-issued_at", "-id")


def answers_of(scar: Scar) -> list[ScarAnswer]:
    return list(
        ScarAnswer.objects.filter(scar=scar, voided_at__isnull=True)
        .select_related("reviewed_by")
        .order_by("-submitted_at", "-id")
    )


def scars_of_anomaly(user: Any, anomaly: Any) -> list[Scar]:
    return list(scars_visible(user).filter(anomaly=anomaly).order_by("-issued_at", "-id"))


def scar_by_link(pk: Any, token: str, *, now: datetime.datetime | None = None) -> Scar | None:
    """The SCAR the link names, when the token is that SCAR's and its link is live; else None
    (whatever the reason: the caller answers one 404 for all of them)."""
    try:
        pk = int(pk)
    except (TypeError, ValueError):
        return None
    scar = Scar.objects.select_related("anomaly", "supplier", "lot", "lot__item").filter(pk=pk)
    found = scar.first()
    if found is None or not link_scar.token_matches(token, found.token_hash):
        return None
    if not link_scar.link_live(found, now=now):
        return None
    return found


def last_returned(scar: Scar) -> ScarAnswer | None:
    """The answer the engineer last returned, with its note (shown to the supplier)."""
    if scar.status != ScarStatus.RETURNED:
        return None
    return (
        ScarAnswer.objects.filter(scar=scar, voided_at__isnull=True, outcome="returned")
        .order_by("-reviewed_at", "-id")
        .first()
    )


def link_state(scar: Scar, *, now: datetime.datetime | None = None) -> str:
    """What the engineer's page says of the link: live, expired, revoked, closed."""
    now = now or timezone.now()
    if scar.link_revoked_at is not None:
        return "revoked"
    if scar.status not in SCAR_AWAITING_SUPPLIER or scar.voided_at is not None:
        return "closed"
    if scar.link_expires_at <= now:
        return "expired"
    return "live"


# --- the supplier score's SCAR part (masterdata.scores) ---------------------------------------


def supplier_scar_figures(
    supplier_ids: list[int],
    since: datetime.datetime | None,
    until: datetime.datetime | None,
) -> dict[int, dict[str, int]]:
    """Per supplier: SCARs open now; of those issued in the period, how many; answers after the
    due date, and requests never answered still past it; answers returned. One query."""
    today = timezone.localdate()
    period = Q()
    if since is not None:
        period &= Q(issued_at__gte=since)
    if until is not None:
        period &= Q(issued_at__lt=until)
    rows = (
        Scar.objects.filter(voided_at__isnull=True, supplier_id__in=supplier_ids)
        .order_by()
        .values("supplier_id")
        .annotate(
            open=Count("pk", filter=Q(status__in=SCAR_OPEN)),
            issued=Count("pk", filter=period),
            late=Sum("answers_late", filter=period),
            overdue=Count("pk", filter=period & Q(status=ScarStatus.ISSUED, due_on__lt=today)),
            returned=Sum("answers_returned", filter=period),
        )
    )
    return {
        row["supplier_id"]: {
            "open": row["open"] or 0,
            "issued": row["issued"] or 0,
            "late": (row["late"] or 0) + (row["overdue"] or 0),
            "returned": row["returned"] or 0,
        }
        for row in rows
    }
