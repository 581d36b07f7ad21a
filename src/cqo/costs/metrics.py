"""The costs app's measure in the metric registry (``cqo.core.metrics``, §7.1.2, §7.1.5).

Quality cost per 100 yuan of sales revenue: the ledger's total over the period (every line,
reversals included) per 100 yuan of finance's sales figures of the same months — only when
every month of the period has its figure (the ledger report's rule); otherwise missing, never a
ratio over an assumed base. By unit it would divide a unit's cost by the enterprise's sales, so
it is registered for the enterprise only.
"""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.db.models import Count, Sum

from cqo.core.metrics import MetricValue, ratio


def quality_cost_ratio(
    first: datetime.date, last: datetime.date, unit_id: int | None = None
) -> MetricValue | None:
    from .models_ledger import BaseKind, LedgerLine
    from .selectors_ledger import base_figures, in_period, months_between

    months = months_between(first, last)
    figures = base_figures(first, last)
    values = [figures.get((m, BaseKind.SALES)) for m in months]
    if not months or not all(values):
        return None
    base = sum((f.amount for f in values if f is not None), Decimal(0))
    if not base:
        return None
    lines = in_period(LedgerLine.objects.all(), first, last).order_by()
    row = lines.aggregate(total=Sum("amount"), n=Count("id"))
    total = Decimal(row["total"] or 0)
    return MetricValue(value=ratio(total, base), numerator=total, denominator=base, count=row["n"])


def register(app_label: str) -> None:
    from django.utils.translation import gettext_lazy as _

    from cqo.core.clauses import clause
    from cqo.core.metrics import Direction, metric_register

    metric_register(
        key="costs.quality_cost_ratio", label=_("Quality cost per 100 yuan of sales"),
        unit=_("yuan per 100 yuan"), direction=Direction.LOWER, clause=clause("§7.1.5"),
        compute=quality_cost_ratio, app=app_label,
        description=_("The ledger's quality cost over the period per 100 yuan of finance's "
                      "sales revenue of the same months; missing while a month has no figure."),
    )  # fmt: skip
