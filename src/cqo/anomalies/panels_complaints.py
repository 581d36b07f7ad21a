"""The workbench panel "Overdue complaint responses" (§6 c)): open complaints past their
containment or 8D deadline, the longest overdue first."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from cqo.core.clauses import clause
from cqo.workbench.panels import PanelItem, PanelItems

from .selectors_complaints import complaint_next_deadline, complaints_overdue_visible

SHOWN = 6


def overdue_complaint_items(user: Any) -> PanelItems:
    now = timezone.now()
    qs = complaints_overdue_visible(user, now=now)
    total = qs.count()
    items = []
    for complaint in qs[:SHOWN]:
        deadline = complaint_next_deadline(complaint, now=now)
        what = _("8D report") if deadline and deadline.key == "8d" else _("containment")
        items.append(
            PanelItem(
                title=f"{complaint.number} · {complaint.customer.name}",
                url=reverse("anomalies:complaint_detail", args=[complaint.pk]),
                meta=f"{complaint.item.part_number} · {what}",
                when=deadline.due if deadline else complaint.received_at,
                clause=clause("§6 c)"),
                tone="danger",
            )
        )
    return PanelItems(items, total)
