"""The CQO's workbench panels of nonconformances (§6 c), §7.1.4): the NCR Pareto by defect and
the ageing of the open NCRs. Each asks one grouped query, whatever the number of NCRs."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cqo.core.clauses import clause
from cqo.core.links import url_or_empty
from cqo.workbench.panels import Panel, PanelItem, PanelItems, cqo_in_office, panel_register

from . import documents_analysis as documents
from . import selectors_analysis as sel

LIMIT = 6
PARETO_MONTHS = 3
WATCHERS = frozenset({"cqo", "deputy", "quality_engineer"})
TONES = ("", "", "warning", "danger")


def _url(name: str, **params: Any) -> str:
    base = url_or_empty(name)
    return f"{base}?{urlencode(params)}" if base and params else base


def ncr_pareto(user: Any) -> PanelItems:
    """The defects of the last three months' NCRs, largest first, as a Pareto."""
    data = sel.pareto_by(user, by="defect", months=PARETO_MONTHS)
    if data.result is None:
        return PanelItems(())
    items = [
        PanelItem(
            title=p.category,
            url=_url("anomalies:analysis", months=PARETO_MONTHS, by="defect"),
            meta=_("%(count)s NCRs · %(percent).1f %% · cumulative %(cumulative).1f %%")
            % {
                "count": int(p.count),
                "percent": p.percent,
                "cumulative": p.cumulative_percent,
            },
            clause=clause("§7.1.4"),
            tone="danger" if p.cumulative_percent <= 80 else "",
        )
        for p in data.result.items[:LIMIT]
    ]
    chart = documents.pareto_chart(data, top=10)
    chart["grid"] = {"left": 40, "right": 40, "top": 20, "bottom": 70}
    return PanelItems(items, total=len(data.result.items), chart=chart)


def ncr_ageing(user: Any) -> PanelItems:
    """The open NCRs by age: a line per bucket, the oldest first, with the statuses."""
    data = sel.ncr_ageing(user)
    if not data.total:
        return PanelItems(())
    items = []
    for i in reversed(range(len(data.labels))):
        n = data.totals[i]
        if not n:
            continue
        items.append(
            PanelItem(
                title=_("%(age)s: %(n)s open NCRs") % {"age": data.labels[i], "n": n},
                url=_url("anomalies:analysis_ageing", age=i),
                meta=" · ".join(
                    f"{documents.status_label(s)} {counts[i]}"
                    for s, counts in data.by_status.items()
                    if counts[i]
                ),
                clause=clause("§6 c)"),
                tone=TONES[i] if i < len(TONES) else "danger",
            )
        )
    chart = documents.ageing_chart(data)
    chart["legend"] = {"top": 0, "type": "scroll"}
    return PanelItems(items, chart=chart)


def register() -> None:
    panels = [
        Panel(
            "ncr_pareto", gettext_lazy("NCR Pareto by defect (3 months)"), clause("§7.1.4"),
            gettext_lazy("No nonconformance was found in the last three months."),
            items=ncr_pareto, roles=WATCHERS, audience=cqo_in_office, perm=sel.PERM, order=66,
            more_url_name="anomalies:analysis",
        ),
        Panel(
            "ncr_ageing", gettext_lazy("Open NCRs by age"), clause("§6 c)"),
            gettext_lazy("No NCR is open."),
            items=ncr_ageing, roles=WATCHERS, audience=cqo_in_office, perm=sel.PERM, order=67,
            more_url_name="anomalies:analysis_ageing",
        ),
    ]  # fmt: skip
    for panel in panels:
        panel_register(panel)
