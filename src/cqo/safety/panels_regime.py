"""The CQO's workbench panel of the regime part: the daily, weekly and monthly records that are
missing and overdue (§7.2.1.2), and the rectification tasks past their deadline."""

from __future__ import annotations

from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cqo.authorities.rules import is_current_cqo
from cqo.core.clauses import clause
from cqo.core.links import url_or_empty
from cqo.workbench.panels import Panel, PanelItem, PanelItems, panel_register

from . import selectors_regime as sel

CLAUSE = clause("§7.2.1.2")
LIMIT = 6


def regime_gaps(user: Any) -> PanelItems:
    found = sel.gaps()
    overview = url_or_empty("safety:regime")
    items = [
        PanelItem(title=_("No daily control record for %(day)s") % {"day": d.isoformat()},
                  url=overview, clause=CLAUSE, tone="danger")
        for d in reversed(found.days)
    ] + [
        PanelItem(title=_("No weekly check report for the week from %(day)s")
                  % {"day": m.isoformat()}, url=overview, clause=CLAUSE, tone="danger")
        for m in reversed(found.weeks)
    ] + [
        PanelItem(title=_("No monthly dispatch meeting recorded for %(month)s")
                  % {"month": m.strftime("%Y-%m")}, url=overview,
                  clause=clause("§7.2.1"), tone="danger")
        for m in reversed(found.months)
    ]  # fmt: skip
    overdue = list(sel.tasks_open_overdue(timezone.localdate()).order_by("deadline", "id")[:LIMIT])
    items += [
        PanelItem(title=f"{t.number} {t.problem[:60]}", url=url_or_empty("safety:regime_task", t.pk),
                  meta=_("Overdue") + " " + t.deadline.isoformat(), clause=CLAUSE, tone="warning")
        for t in overdue
    ]  # fmt: skip
    return PanelItems(items[:LIMIT], total=len(items) if len(items) > LIMIT else None)


def register() -> None:
    panel_register(
        Panel(
            "safety_regime_gaps", gettext_lazy("Missing quality-safety records"), CLAUSE,
            gettext_lazy("Every daily, weekly and monthly record is in."),
            items=regime_gaps, audience=is_current_cqo, order=27, more_url_name="safety:regime",
        )
    )  # fmt: skip
