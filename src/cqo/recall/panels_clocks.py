"""The CQO's workbench panel of recall clocks due soon or overdue (§7.2.1.4)."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cqo.core.links import url_or_empty
from cqo.workbench.panels import Panel, PanelItem, PanelItems, cqo_in_office, panel_register

from . import selectors_clocks as sel
from .services_clocks import CLAUSE

LIMIT = 5


def clocks_due_soon(user: Any) -> PanelItems:
    rows = sel.clocks_due(user)
    items = [
        PanelItem(
            title=f"{r.clock.case.number} · {r.title}",
            url=url_or_empty("recall:case_clocks", r.clock.case_id),
            meta=(
                _("Overdue since %(due)s") % {"due": r.clock.due_on.isoformat()}
                if r.overdue
                else _("Due on %(due)s") % {"due": r.clock.due_on.isoformat()}
            )
            + ("" if r.clock.verified else " · " + _("Unverified deadline")),
            clause=CLAUSE,
            tone=r.tone,
        )
        for r in rows[:LIMIT]
    ]
    return PanelItems(items, total=len(rows) if len(rows) > LIMIT else None)


def register() -> None:
    panel_register(
        Panel(
            "recall_clocks_due", gettext_lazy("Recall clocks due soon or overdue"), CLAUSE,
            gettext_lazy("No recall clock is due soon."),
            items=clocks_due_soon, audience=cqo_in_office, order=14,
            more_url_name="recall:clocks_due",
        )
    )  # fmt: skip
