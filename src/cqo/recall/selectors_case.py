"""Reads of recall cases (§7.2.1.4), scoped to the user: every member reads them."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.db.models import Count, Q, QuerySet, Sum

from .models_case import CaseStatus, RecallCase, RecallLot, RecallReport, RecallTarget

PERM_VIEW = "recall.view_recallcase"


def cases_visible(user: Any, *, status: str = "") -> QuerySet[RecallCase]:
    if not user.has_perm(PERM_VIEW):
        return RecallCase.objects.none()
    qs = RecallCase.objects.filter(voided_at__isnull=True).select_related("item", "created_by")
    if status in CaseStatus.values:
        qs = qs.filter(status=status)
    return qs.annotate(lot_count=Count("lots", distinct=True)).order_by("-opened_at", "-id")


def case_lots(case: RecallCase) -> QuerySet[RecallLot]:
    return (
        RecallLot.objects.filter(case=case)
        .select_related("lot", "lot__item")
        .order_by("lot__number")
    )


def case_lot_summary(case: RecallCase) -> dict[str, Any]:
    found = RecallLot.objects.filter(case=case).aggregate(
        count=Count("id"), quantity=Sum("quantity"), shipped=Sum("shipped"),
        still_held=Count("id", filter=Q(lot__stock_status="held")),
    )  # fmt: skip
    return {k: (v if v is not None else Decimal("0")) for k, v in found.items()}


def case_targets(case: RecallCase) -> QuerySet[RecallTarget]:
    return RecallTarget.objects.filter(case=case, voided_at__isnull=True).select_related("customer")


def case_reports(case: RecallCase) -> QuerySet[RecallReport]:
    return RecallReport.objects.filter(case=case, voided_at__isnull=True).select_related("filed_by")


def rate(part: Decimal, whole: Decimal) -> Decimal | None:
    return (part / whole * 100).quantize(Decimal("0.1")) if whole else None
