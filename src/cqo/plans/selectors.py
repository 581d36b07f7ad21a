"""Reads of the strategy and plans, scoped to the user."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from .models import QualityPlan, QualityStrategy

# --- strategy and plans ----------------------------------------------------------------


def strategies_visible(user: Any) -> QuerySet[QualityStrategy]:
    if user is None or not user.has_perm("plans.view_qualitystrategy"):
        return QualityStrategy.objects.none()
    return QualityStrategy.objects.filter(voided_at__isnull=True).select_related("owner")


def plans_visible(user: Any, *, strategy: QualityStrategy | None = None) -> QuerySet[QualityPlan]:
    if user is None or not user.has_perm("plans.view_qualityplan"):
        return QualityPlan.objects.none()
    qs = (
        QualityPlan.objects.filter(voided_at__isnull=True)
        .select_related("strategy", "unit", "owner")
        .prefetch_related("items")
    )
    return qs.filter(strategy=strategy) if strategy is not None else qs
