"""The costs app's parts of the CQO's report to the decision layer (§7.1.6), registered in
``cqo.core.report_sections``: the quality cost of the period (totals, structure P : A : F, ratios
per 100 yuan of finance's figures, the failure Pareto) and the year's budget and special fund.
Figures come from the ledger and the fund as they are; a ratio without finance's figure is
missing, never zero."""

from __future__ import annotations

import datetime
from typing import Any

from django.utils.translation import gettext as _

from cqo.core.costs import CostCategory
from cqo.core.report_sections import Chart, Figure, SectionContent, Table

from . import selectors_fund as fund_sel
from . import selectors_ledger as sel
from .models_fund import BudgetStatus, Fund, QualityBudget
from .models_ledger import BaseKind


def _yuan() -> str:
    return _("yuan")


def quality_cost_section(
    first: datetime.date, last: datetime.date, language: str
) -> SectionContent:
    data = sel.report(first=first, last=last)
    if not data["count"]:
        return SectionContent.no_data(_("The quality-cost ledger has no line in this period."))
    labels = {c.value: str(c.label) for c in CostCategory}
    structure = data["structure"]
    figures = [
        Figure(_("Total quality cost"), data["total"], _yuan()),
        Figure(_("Cost lines"), data["count"]),
        Figure(_("Prevention share of operating quality cost"), structure["prevention"], "%"),
        Figure(_("Appraisal share of operating quality cost"), structure["appraisal"], "%"),
        Figure(_("Failure share of operating quality cost"), structure["failure"], "%"),
    ]
    for kind in BaseKind:
        figures.append(
            Figure(_("Quality cost per 100 yuan of %(base)s") % {"base": str(kind.label).lower()},
                   data["ratios"][kind.value], _yuan(),
                   "" if data["ratios"][kind.value] is not None
                   else _("finance's figure missing for a month of the period"))
        )  # fmt: skip
    months = [m.strftime("%Y-%m") for m in data["months"]]
    by_month = Table(
        columns=[_("Month"), *labels.values(), _("Total")],
        rows=[[row["month"].strftime("%Y-%m"), *row["cells"], row["total"]]
              for row in data["month_rows"]],
        title=_("Quality cost by month and category"),
    )  # fmt: skip
    by_category = Table(
        columns=[_("Category"), _("Amount")],
        rows=[[labels[c], data["by_category"][c]] for c in sel.CATEGORY_ORDER],
        title=_("Quality cost by category"),
    )
    by_item = Table(
        columns=[_("Cost item"), _("Category"), _("Amount")],
        rows=[[r["label"], labels.get(r["category"], r["category"]), r["total"]]
              for r in data["by_item"][:15]],
        title=_("Largest cost items"),
    )  # fmt: skip
    by_unit = Table(
        columns=[_("Unit"), _("Amount")],
        rows=[[r["label"] or "—", r["total"]] for r in data["by_unit"][:10]],
        title=_("Quality cost by unit"),
    )
    ratio_rows = [
        [row["month"].strftime("%Y-%m"), row["total"],
         *(row["ratios"][k] for k in BaseKind.values)]
        for row in data["month_rows"]
    ]  # fmt: skip
    ratios = Table(
        columns=[_("Month"), _("Total"), *(str(k.label) for k in BaseKind)],
        rows=ratio_rows,
        title=_("Quality cost per 100 yuan of finance's figures, by month"),
    )
    charts = [
        Chart(kind="stacked_bar", title=_("Quality cost by month and category"), labels=months,
              series=[(labels[c], [row["cells"][i] for row in data["month_rows"]])
                      for i, c in enumerate(sel.CATEGORY_ORDER)], unit=_yuan()),
        Chart(kind="pie", title=_("Structure of the quality cost"),
              labels=[labels[c] for c in sel.CATEGORY_ORDER],
              series=[(_("Amount"), [data["by_category"][c] for c in sel.CATEGORY_ORDER])]),
    ]  # fmt: skip
    tables = [by_category, by_month, ratios, by_item, by_unit]
    if data["pareto"]:
        pareto = data["pareto"][:12]
        charts.append(Chart(kind="pareto", title=_("Failure cost Pareto"),
                            labels=[r["label"] for r in pareto],
                            series=[(_("Amount"), [r["total"] for r in pareto])],
                            unit=_yuan()))  # fmt: skip
        tables.append(Table(
            columns=[_("Cost item"), _("Amount"), _("Cumulative %")],
            rows=[[r["label"], r["total"], r["cumulative"]] for r in pareto],
            title=_("Failure cost Pareto"),
        ))  # fmt: skip
    return SectionContent(figures=figures, tables=tables, charts=charts)


def budget_fund_section(first: datetime.date, last: datetime.date, language: str) -> SectionContent:
    year = last.year
    budget = QualityBudget.objects.active().filter(year=year).order_by("-id").first()
    fund = Fund.objects.active().filter(year=year).order_by("-id").first()
    if budget is None and fund is None:
        return SectionContent.no_data(
            _("No quality budget and no special quality fund for %(year)s.") % {"year": year}
        )
    figures: list[Figure] = []
    tables: list[Table] = []
    charts: list[Chart] = []
    notes: list[str] = []
    if budget is None:
        notes.append(_("No quality budget for %(year)s.") % {"year": year})
    else:
        bf = fund_sel.budget_figures(budget)
        figures += [
            Figure(_("Quality budget status"), str(BudgetStatus(budget.status).label)),
            Figure(_("Quality budget"), bf.total, _yuan()),
            Figure(_("Committed (approved fund spendings not yet paid)"), bf.commitment, _yuan()),
            Figure(_("Actual cost against the budget lines"), bf.actual, _yuan()),
            Figure(_("Budget lines past the alert level"), bf.alerts),
        ]
        if not bf.approved:
            notes.append(_("The budget is not approved by the principal: it is not counted as "
                           "approved (§6 f))."))  # fmt: skip
        tables.append(Table(
            columns=[_("Unit"), _("Cost item"), _("Budget"), _("Committed"), _("Actual"),
                     _("Used %")],
            rows=[[r.line.unit.name, r.item_label, r.amount, r.commitment, r.actual, r.percent]
                  for r in bf.rows],
            title=_("Quality budget %(year)s against commitments and actuals") % {"year": year},
        ))  # fmt: skip
    if fund is None:
        notes.append(_("No special quality fund for %(year)s.") % {"year": year})
    else:
        fb = fund_sel.fund_balances(fund)
        figures += [
            Figure(_("Special quality fund"), fund.amount, _yuan()),
            Figure(_("Paid from the fund"), fb.paid, _yuan()),
            Figure(_("Approved, not yet paid"), fb.approved, _yuan()),
            Figure(_("Balance of the purposes"), fb.balance, _yuan()),
            Figure(_("Applications refused"), len(fund_sel.refused_applications(fund))),
        ]
        rows: list[list[Any]] = [[r.purpose.title, r.allocation, r.approved, r.paid, r.pending, r.balance]
                for r in fb.rows]  # fmt: skip
        tables.append(Table(
            columns=[_("Purpose"), _("Allocation"), _("Approved"), _("Paid"), _("Pending"),
                     _("Balance")],
            rows=rows, title=_("Special quality fund %(year)s by purpose") % {"year": year},
        ))  # fmt: skip
        if fb.rows:
            charts.append(Chart(
                kind="bar", title=_("Special quality fund by purpose"),
                labels=[r.purpose.title for r in fb.rows],
                series=[(_("Allocation"), [r.allocation for r in fb.rows]),
                        (_("Paid"), [r.paid for r in fb.rows])], unit=_yuan(),
            ))  # fmt: skip
    notes.append(_("Budget and fund are annual: figures are for %(year)s as they stand at "
                   "generation.") % {"year": year})  # fmt: skip
    return SectionContent(figures=figures, tables=tables, charts=charts, notes=notes)
