"""Reads of the review board and the costs, scoped to the reader (every member reads them)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.db.models import QuerySet, Sum

from .models import CostEntry, Disposition, ReviewOpinion


def _reader(user: Any, perm: str) -> bool:
    return bool(user is not None and user.is_authenticated and user.has_perm(perm))


def opinions_visible(user: Any) -> QuerySet[ReviewOpinion]:
    if not _reader(user, "anomalies.view_reviewopinion"):
        return ReviewOpinion.objects.none()
    return ReviewOpinion.objects.select_related("member", "anomaly")


def opinions_of(user: Any, anomaly: Any) -> QuerySet[ReviewOpinion]:
    return opinions_visible(user).filter(anomaly=anomaly, voided_at__isnull=True)


def dispositions_visible(user: Any) -> QuerySet[Disposition]:
    if not _reader(user, "anomalies.view_disposition"):
        return Disposition.objects.none()
    return Disposition.objects.select_related("anomaly", "lot", "raised_by", "approval")


def dispositions_of(user: Any, anomaly: Any) -> QuerySet[Disposition]:
    return dispositions_visible(user).filter(anomaly=anomaly).order_by("raised_at", "pk")


def costs_visible(user: Any) -> QuerySet[CostEntry]:
    if not _reader(user, "anomalies.view_costentry"):
        return CostEntry.objects.none()
    return CostEntry.objects.select_related("created_by", "disposition")


def costs_of(user: Any, record_type: str, record_id: Any) -> QuerySet[CostEntry]:
    return costs_visible(user).filter(record_type=record_type, record_id=record_id)


def costs_total(entries: QuerySet[CostEntry]) -> Decimal:
    total = entries.filter(voided_at__isnull=True).aggregate(t=Sum("amount"))["t"]
    return Decimal(total or 0)
