"""Reads of the inspection plans, scoped to the user."""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet

from cqo.masterdata.models import Item, Supplier

from .models import InspectionPlan, PlanStatus


def plan_in_force(
    *, item: Item, gate: str, supplier: Supplier | None = None
) -> InspectionPlan | None:
    """The approved plan for item × gate: the supplier's own when there is one, else the plan for
    every supplier."""
    plans = list(
        InspectionPlan.objects.filter(
            item=item, gate=gate, status=PlanStatus.APPROVED, voided_at__isnull=True
        )
        .filter(
            Q(supplier__isnull=True) | Q(supplier=supplier)
            if supplier
            else Q(supplier__isnull=True)
        )
        .order_by("-version")
    )
    own = [p for p in plans if supplier is not None and p.supplier_id == supplier.pk]
    if own:
        return own[0]
    general = [p for p in plans if p.supplier_id is None]
    return general[0] if general else None


def plans_visible(user: Any) -> QuerySet[InspectionPlan]:
    if user is None or not user.has_perm("inspection.view_inspectionplan"):
        return InspectionPlan.objects.none()
    return InspectionPlan.objects.filter(voided_at__isnull=True).select_related(
        "item", "supplier", "owner", "approved_by"
    )


def plans_filtered(
    user: Any, *, gate: str = "", status: str = "", query: str = ""
) -> QuerySet[InspectionPlan]:
    qs = plans_visible(user)
    if gate:
        qs = qs.filter(gate=gate)
    if status:
        qs = qs.filter(status=status)
    if query:
        qs = qs.filter(Q(item__part_number__icontains=query) | Q(item__name__icontains=query))
    return qs.order_by("item__part_number", "gate", "supplier_id", "-version")


def plan_samplings(plan: InspectionPlan) -> list[Any]:
    return list(plan.samplings.filter(voided_at__isnull=True).order_by("defect_class"))


def plan_characteristics(plan: InspectionPlan) -> list[Any]:
    return list(
        plan.characteristics.filter(voided_at__isnull=True)
        .select_related("characteristic")
        .order_by("sequence", "id")
    )


def plan_versions(plan: InspectionPlan) -> list[InspectionPlan]:
    return list(
        InspectionPlan.objects.filter(item_id=plan.item_id, gate=plan.gate, supplier=plan.supplier)
        .select_related("approved_by")
        .order_by("-version")
    )
