"""The workbench panels of the inspection gates (§6 e)): what waits at the gates, what was turned
back, how the gates accept over the year, which defects come first, and which suppliers are on
tightened or discontinued inspection. (The SPC alarms panel is the SPC part's.)

Registered from ``registrations.register_suppliers``. Each panel asks one query (and one count
when its list is full), whatever the number of lots: the dashboard runs every visible panel on
every view after a write.
"""

from __future__ import annotations

from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cqo.core.links import url_or_empty
from cqo.masterdata.models import Gate
from cqo.methods.pareto import pareto
from cqo.workbench.panels import Panel, PanelItem, PanelItems, panel_register

from . import selectors_suppliers as sel

LIMIT = 6
QUEUE_LIMIT = 8
# Quality people who watch the gates; the inspector has the queue itself.
WATCHERS = frozenset({"cqo", "deputy", "quality_engineer"})
GATE_KEEPERS = WATCHERS | {"inspector"}
CLAUSE = "§6 e)"


def _gate_label(gate: str) -> str:
    return str(Gate(gate).label) if gate in Gate.values else gate


def _days(when: Any) -> int:
    return max(0, (timezone.now() - when).days)


def lots_to_inspect(user: Any) -> PanelItems:
    """The inspector's queue: lots awaiting or in inspection, oldest first."""
    qs = sel.inspection_queue(user)
    rows = list(qs[:QUEUE_LIMIT])
    now = timezone.now()
    items = [
        PanelItem(
            title=f"{il.number} · {il.item.part_number} {il.item.name}",
            url=url_or_empty("inspection:lot_detail", il.pk),
            meta=" · ".join(
                part
                for part in (
                    _gate_label(il.gate),
                    il.supplier.code if il.supplier else "",
                    str(il.get_status_display()),
                    _("waiting %(days)s days") % {"days": _days(il.created_at)},
                )
                if part
            ),
            when=il.created_at,
            clause=CLAUSE,
            tone=sel.AGE_TONES[sel.age_bucket(il.created_at, now=now)],
        )
        for il in rows
    ]
    return PanelItems(items, total=qs.count() if len(rows) == QUEUE_LIMIT else None)


def lots_awaiting_by_age(user: Any) -> PanelItems:
    """How long lots have waited at the gates: three buckets, the oldest first."""
    counts = sel.queue_age_counts(user)
    items = []
    for bucket in sel.AGE_BUCKETS:
        by_gate = counts.get(bucket, {})
        total = sum(by_gate.values())
        if not total:
            continue
        items.append(
            PanelItem(
                title=_("%(age)s: %(n)s lots") % {"age": sel.AGE_LABELS[bucket], "n": total},
                url=_queue_url(age=bucket),
                meta=" · ".join(f"{_gate_label(gate)} {n}" for gate, n in by_gate.items() if n),
                clause=CLAUSE,
                tone=sel.AGE_TONES[bucket],
            )
        )
    return PanelItems(items)


def _queue_url(**params: str) -> str:
    from urllib.parse import urlencode

    base = url_or_empty("inspection:queue")
    return f"{base}?{urlencode(params)}" if base and params else base


def lots_rejected(user: Any) -> PanelItems:
    qs = sel.rejected_undisposed(user)
    rows = list(qs[:LIMIT])
    items = [
        PanelItem(
            title=f"{il.number} · {il.item.part_number} {il.item.name}",
            url=url_or_empty("inspection:lot_detail", il.pk),
            meta=" · ".join(
                part
                for part in (
                    _gate_label(il.gate),
                    il.supplier.code if il.supplier else "",
                    _("%(n)s nonconforming") % {"n": il.nonconforming},
                )
                if part
            ),
            when=il.decided_at,
            clause=CLAUSE,
            tone="danger",
        )
        for il in rows
    ]
    return PanelItems(items, total=qs.count() if len(rows) == LIMIT else None)


def acceptance_by_gate(user: Any) -> PanelItems:
    """The acceptance rate of each gate over twelve months: a line per gate, and the year's
    rate per gate as items."""
    data = sel.acceptance_by_gate_month(user)
    if not data:
        return PanelItems(())
    months = sel.month_starts()
    items = []
    series = []
    for gate in Gate.values:
        by_month = data.get(gate)
        if not by_month:
            continue
        accepted = sum(a for a, _d in by_month.values())
        decided = sum(d for _a, d in by_month.values())
        rate = accepted * 100.0 / decided if decided else None
        items.append(
            PanelItem(
                title=f"{_gate_label(gate)}: {rate:.1f} %"
                if rate is not None
                else _gate_label(gate),
                meta=_("%(accepted)s of %(decided)s lots accepted in 12 months")
                % {"accepted": accepted, "decided": decided},
                clause=CLAUSE,
                tone="ok" if rate is not None and rate >= 95 else "warning",
            )
        )
        series.append(
            {
                "name": _gate_label(gate),
                "type": "line",
                "connectNulls": False,
                "data": [
                    round(by_month[m][0] * 100.0 / by_month[m][1], 1)
                    if m in by_month and by_month[m][1]
                    else None
                    for m in months
                ],
            }
        )
    chart = {
        "tooltip": {"trigger": "axis"},
        "legend": {"top": 0},
        "grid": {"left": 40, "right": 10, "top": 30, "bottom": 30},
        "xAxis": {"type": "category", "data": [m.strftime("%Y-%m") for m in months]},
        "yAxis": {"type": "value", "max": 100, "name": "%"},
        "series": series,
    }
    return PanelItems(items, chart=chart if series else None)


def top_defects(user: Any) -> PanelItems:
    """A Pareto of the nonconforming results of the last 90 days (``cqo.methods.pareto``)."""
    counts = sel.nonconforming_counts(user)
    if not counts:
        return PanelItems(())
    result = pareto([c for c, _n in counts], [n for _c, n in counts])
    shown = result.items[:LIMIT]
    items = [
        PanelItem(
            title=p.category,
            meta=_("%(count)s results · %(percent).1f %% · cumulative %(cumulative).1f %%")
            % {
                "count": int(p.count),
                "percent": p.percent,
                "cumulative": p.cumulative_percent,
            },
            clause="§7.2.3.2",
            tone="danger" if p.cumulative_percent <= 80 else "",
        )
        for p in shown
    ]
    top = result.items[:10]
    chart = {
        "tooltip": {"trigger": "axis"},
        "grid": {"left": 40, "right": 40, "top": 20, "bottom": 60},
        "xAxis": {
            "type": "category",
            "data": [p.category for p in top],
            "axisLabel": {"interval": 0, "rotate": 30},
        },
        "yAxis": [{"type": "value"}, {"type": "value", "max": 100, "name": "%"}],
        "series": [
            {
                "name": _("Nonconforming results"),
                "type": "bar",
                "data": [int(p.count) for p in top],
            },
            {
                "name": _("Cumulative %"),
                "type": "line",
                "yAxisIndex": 1,
                "data": [round(p.cumulative_percent, 1) for p in top],
            },
        ],
    }
    return PanelItems(items, total=len(result.items), chart=chart)


def suppliers_on_watch(user: Any) -> PanelItems:
    qs = sel.streams_on_watch(user)
    rows = list(qs[:LIMIT])
    items = [
        PanelItem(
            title=f"{s.supplier} · {s.item.part_number}",
            url=url_or_empty("inspection:supplier_detail", s.supplier_id),
            meta=str(s.get_state_display()),
            when=s.updated_at,
            clause=CLAUSE,
            tone="danger" if s.state == "discontinued" else "warning",
        )
        for s in rows
    ]
    return PanelItems(items, total=qs.count() if len(rows) == LIMIT else None)


def register() -> None:
    panels = [
        # Replaces the workbench's placeholder of the same key: the inspector's home.
        Panel(
            "lots_to_inspect", gettext_lazy("Lots to inspect"), CLAUSE,
            gettext_lazy("No lot is waiting for inspection. New receipts, production lots and "
                         "shipments to inspect appear here, oldest first."),
            items=lots_to_inspect, roles=frozenset({"inspector"}), order=5,
            more_url_name="inspection:queue",
        ),
        Panel(
            "lots_awaiting_age", gettext_lazy("Lots awaiting inspection by age"), CLAUSE,
            gettext_lazy("No lot is waiting at the gates."),
            items=lots_awaiting_by_age, roles=WATCHERS, order=61,
            more_url_name="inspection:queue",
        ),
        Panel(
            "lots_rejected", gettext_lazy("Rejected lots awaiting disposition"), CLAUSE,
            gettext_lazy("No rejected lot is waiting for a disposition."),
            items=lots_rejected, roles=WATCHERS, order=62,
        ),
        Panel(
            "acceptance_by_gate", gettext_lazy("Acceptance rate by gate and month"), CLAUSE,
            gettext_lazy("Once lots are decided, each gate's monthly acceptance rate appears "
                         "here."),
            items=acceptance_by_gate, roles=WATCHERS, order=63,
            more_url_name="inspection:supplier_ranking",
        ),
        Panel(
            "top_defects", gettext_lazy("Top defects (90 days)"), "§7.2.3.2",
            gettext_lazy("No nonconforming result in the last 90 days."),
            items=top_defects, roles=WATCHERS, order=64,
        ),
        Panel(
            "suppliers_on_watch", gettext_lazy("Suppliers on tightened or discontinued inspection"),
            CLAUSE,
            gettext_lazy("Every supplier is inspected under normal or reduced inspection."),
            items=suppliers_on_watch, roles=GATE_KEEPERS, order=65,
            more_url_name="inspection:supplier_ranking",
        ),
    ]  # fmt: skip
    for panel in panels:
        panel_register(panel)
