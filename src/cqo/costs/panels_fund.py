"""The quality budget's panel (§6 f)): lines of this year's approved budget whose actual cost and
commitments have reached the alert level."""

from __future__ import annotations

from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from cqo.core.clauses import clause
from cqo.core.links import url_or_empty
from cqo.workbench.panels import PanelItem, PanelItems

from . import selectors_fund as sel

CLAUSE = clause("§6 f)")
LIMIT = 5


def budget_alert_items(user: Any) -> PanelItems:
    rows = sel.budget_alert_rows(user, year=timezone.localdate().year)
    rows.sort(key=lambda r: -(r.percent or 0))
    items = [
        PanelItem(
            title=f"{row.line.unit.name} · {row.item_label}",
            url=url_or_empty("costs:budget_detail", row.line.budget_id),
            meta=_("%(percent)s%% of %(amount)s yuan used")
            % {"percent": row.percent, "amount": f"{row.amount:,.2f}"},
            clause=CLAUSE,
            tone="danger" if (row.percent or 0) >= 100 else "warning",
        )
        for row in rows[:LIMIT]
    ]
    return PanelItems(items, total=len(rows) if len(rows) > LIMIT else None)
