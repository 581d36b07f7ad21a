"""Dashboard panels of incidents (§6 d)): the open incidents for whoever investigates (the CQO
in office or a delegate of §6 d)), overdue onward reports first; the penalties awaiting a
decision for the principal and the CQO, whichever the rules name."""

from __future__ import annotations

from typing import Any

from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cqo.authorities.panels import LIMIT, cqo_or_delegate_of
from cqo.core.clauses import clause
from cqo.core.links import url_or_empty
from cqo.workbench.panels import Panel, PanelItem, PanelItems, panel_register

from . import selectors as sel
from .models import IncidentStatus

CLAUSE = clause("§6 d)")


def incidents_open(user: Any) -> PanelItems:
    # Not yet reported onward first (on every database), then by the clock.
    qs = (
        sel.incidents_visible(user)
        .exclude(status=IncidentStatus.CLOSED)
        .order_by(F("reported_onward_at").asc(nulls_first=True), "report_due_at", "id")
    )
    rows = list(qs[:LIMIT])
    now = timezone.now()
    items = [
        PanelItem(
            title=f"{i.number} {i.title}",
            url=url_or_empty("incidents:incident_detail", i.pk),
            meta=_("Report overdue") if i.report_overdue(now) else i.get_status_display(),
            when=i.occurred_at,
            clause=CLAUSE,
            tone="danger" if i.report_overdue(now) else "warning" if i.level != "general" else "",
        )
        for i in rows
    ]
    return PanelItems(items, total=qs.count() if len(rows) == LIMIT else None)


def penalties_to_decide(user: Any) -> PanelItems:
    rows = sel.penalties_to_decide(user)
    items = [
        PanelItem(
            title=f"{p.number} {p.person or p.unit}",
            url=url_or_empty("incidents:penalty_detail", p.pk),
            meta=p.get_measure_display(),
            when=p.heard_at,
            clause=CLAUSE,
            tone="warning",
        )
        for p in rows[:LIMIT]
    ]
    return PanelItems(items, total=len(rows) if len(rows) > LIMIT else None)


def register() -> None:
    panel_register(
        Panel(
            "incidents_open", gettext_lazy("Open quality incidents"), CLAUSE,
            gettext_lazy("No quality incident is open."),
            items=incidents_open, audience=cqo_or_delegate_of("d"), order=25,
            more_url_name="incidents:incident_list",
        )
    )  # fmt: skip
    panel_register(
        Panel(
            "penalties_to_decide", gettext_lazy("Penalties awaiting your decision"), CLAUSE,
            gettext_lazy("No penalty is waiting for your decision."),
            items=penalties_to_decide, roles=frozenset({"principal", "cqo"}), order=16,
            more_url_name="incidents:penalty_list",
        )
    )  # fmt: skip
