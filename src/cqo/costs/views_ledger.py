"""The ledger part's pages (§7.1.5, §7.2.3.7): the cost report with its charts and drill-down,
the lines, entry and reversal, imports with their progress, the monthly close, finance's
figures, the chart of cost items. Thin: parse a form, call the service, render."""

from __future__ import annotations

import datetime
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import URLPattern, URLResolver, path, reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from cqo.accounts.actors import actor_of
from cqo.core.costs import CostCategory, cost_sources
from cqo.core.views import GET_POST, check, errors_apply, refusal_show

from . import forms_ledger as F
from . import selectors_ledger as sel
from . import services_ledger as S
from .models_ledger import (
    BaseKind,
    ChartItem,
    FinanceKeeper,
    JobKind,
    JobStatus,
    LedgerJob,
    LedgerLine,
    LineOrigin,
)

READ = "costs.view_ledgerline"
PAGE_SIZE = 50
EXPORT_LIMIT = 50_000


def _day(value: str | None) -> datetime.date | None:
    try:
        return datetime.date.fromisoformat(value) if value else None
    except ValueError:
        return None


def _int(value: str | None) -> int | None:
    try:
        number = int(value) if value else None
    except ValueError:
        return None
    return number if number is not None and 0 < number < 2**63 else None


def _period(request: HttpRequest) -> tuple[datetime.date, datetime.date]:
    """``?year=`` or ``?first=&last=``; this year to date by default."""
    today = timezone.localdate()
    year = _int(request.GET.get("year"))
    if year and 2000 <= year <= today.year:
        first = datetime.date(year, 1, 1)
        return first, min(datetime.date(year, 12, 31), today)
    first = _day(request.GET.get("first")) or today.replace(month=1, day=1)
    last = min(_day(request.GET.get("last")) or today, today)
    if first > last or (last - first).days > 3700:
        return today.replace(month=1, day=1), today
    return first, last


def _drill(first: datetime.date, last: datetime.date, **params: Any) -> str:
    query = {"first": first.isoformat(), "last": last.isoformat(),
             **{k: v for k, v in params.items() if v not in (None, "")}}  # fmt: skip
    return reverse("costs:ledger_lines") + "?" + urlencode(query)


def _charts(data: dict[str, Any]) -> dict[str, Any]:
    """ECharts options (drawn by workbench/charts.js, no inline script)."""
    labels = {c.value: str(c.label) for c in CostCategory}
    months = [m.strftime("%Y-%m") for m in data["months"]]
    trend = {
        "tooltip": {"trigger": "axis"},
        "legend": {"top": 0},
        "grid": {"left": 60, "right": 20, "top": 40, "bottom": 30},
        "xAxis": {"type": "category", "data": months},
        "yAxis": {"type": "value", "name": _("yuan")},
        "series": [
            {
                "name": labels[c],
                "type": "bar",
                "stack": "cost",
                "data": [str(r["cells"][n]) for r in data["month_rows"]],
            }
            for n, c in enumerate(sel.CATEGORY_ORDER)
        ],
    }
    structure = {
        "tooltip": {"trigger": "item"},
        "series": [{
            "type": "pie", "radius": ["35%", "65%"],
            "data": [{"name": labels[c], "value": str(data["by_category"][c])}
                     for c in sel.CATEGORY_ORDER if data["by_category"][c]],
        }],
    }  # fmt: skip
    pareto_rows = data["pareto"][:15]
    pareto = {
        "tooltip": {"trigger": "axis"},
        "grid": {"left": 60, "right": 50, "top": 30, "bottom": 90},
        "xAxis": {"type": "category", "data": [r["label"] for r in pareto_rows],
                  "axisLabel": {"rotate": 30}},
        "yAxis": [{"type": "value", "name": _("yuan")},
                  {"type": "value", "max": 100, "name": "%"}],
        "series": [
            {"name": _("Failure cost"), "type": "bar", "data": [str(r["total"]) for r in pareto_rows]},
            {"name": _("Cumulative share"), "type": "line", "yAxisIndex": 1,
             "data": [str(r["cumulative"]) for r in pareto_rows]},
        ],
    }  # fmt: skip
    return {"trend": trend, "structure": structure, "pareto": pareto}


@login_required
def ledger_report(request: HttpRequest) -> HttpResponse:
    check(request, READ)
    first, last = _period(request)
    data = sel.report(first=first, last=last)
    categories = [(c, str(CostCategory(c).label)) for c in sel.CATEGORY_ORDER]
    for row in data["month_rows"]:
        m = row["month"]
        m_last = min(sel.month_last(m), last)
        m_first = max(m, first)
        row["pairs"] = [
            (cell, _drill(m_first, m_last, category=c))
            for cell, c in zip(row["cells"], sel.CATEGORY_ORDER, strict=True)
        ]
        row["link"] = _drill(m_first, m_last)
    for group, key in (("by_item", "item_code"), ("by_unit", "unit"), ("by_product", "product"),
                       ("pareto", "item_code")):  # fmt: skip
        for r in data[group]:
            r["link"] = _drill(first, last, **{key: r.get("code") if key == "item_code"
                                                else r.get("id")})  # fmt: skip
    category_totals = [
        (label, data["by_category"][c], _drill(first, last, category=c)) for c, label in categories
    ]
    today = timezone.localdate()
    return render(
        request,
        "costs/ledger_report.html",
        {
            "data": data,
            "first": first,
            "last": last,
            "categories": categories,
            "category_totals": category_totals,
            "kinds": BaseKind.choices,
            "ratios": [(value, label, data["ratios"][value]) for value, label in BaseKind.choices],
            "charts": _charts(data),
            "years": list(range(today.year, today.year - 6, -1)),
            "may_add": request.user.has_perm("costs.add_ledgerline"),
        },
    )


@login_required
def ledger_report_pdf(request: HttpRequest) -> HttpResponse:
    """The report of the period on the page, printed as a PDF in the reader's language (or
    ``?language=zh-hans|en``)."""
    from .reports_ledger import ledger_report_pdf as render

    check(request, READ)
    first, last = _period(request)
    language = request.GET.get("language") or request.LANGUAGE_CODE
    language = "en" if language.startswith("en") else "zh-hans"
    response = HttpResponse(render(first=first, last=last, language=language),
                            content_type="application/pdf")  # fmt: skip
    response["Content-Disposition"] = (
        f'inline; filename="quality-cost-{first:%Y%m%d}-{last:%Y%m%d}.pdf"'
    )
    return response


@login_required
def ledger_lines(request: HttpRequest) -> HttpResponse:
    check(request, READ)
    filters, qs = _lines_query(request)
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    labels = sel.chart_labels()
    for line in page:
        line.item_label = labels.get(line.item_code, line.item_code)  # type: ignore[attr-defined]
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "costs/ledger_lines.html",
        {
            "page": page,
            "filters": filters,
            "query": query.urlencode(),
            "categories": CostCategory.choices,
            "origins": LineOrigin.choices,
            "chart": sel.chart(),
            "sources": cost_sources(),
            "may_add": request.user.has_perm("costs.add_ledgerline"),
        },
    )


def _lines_query(request: HttpRequest) -> tuple[dict[str, Any], Any]:
    g = request.GET
    filters: dict[str, Any] = {
        "first": _day(g.get("first")),
        "last": _day(g.get("last")),
        "category": g.get("category", "")[:20],
        "item_code": g.get("item_code", "")[:30],
        "unit_id": _int(g.get("unit")),
        "product_id": _int(g.get("product")),
        "source": g.get("source", "")[:40],
        "origin": g.get("origin", "")[:20],
    }
    return filters, sel.lines_filtered(**filters)


@login_required
def ledger_lines_export(request: HttpRequest) -> HttpResponseBase:
    """The lines the list shows (same filters) as a workbook, formula-safe; a selection above
    ``EXPORT_LIMIT`` lines is refused (narrow the period)."""
    from cqo.core.exports import sheet_append, workbook_new, xlsx_bytes

    check(request, READ)
    _filters, qs = _lines_query(request)
    if qs.count() > EXPORT_LIMIT:
        messages.error(request, _("More than %(n)s lines: narrow the period or the filters.")
                       % {"n": EXPORT_LIMIT})  # fmt: skip
        return redirect(reverse("costs:ledger_lines") + "?" + request.GET.urlencode())
    labels = sel.chart_labels()
    wb = workbook_new()
    ws = wb.active
    assert ws is not None
    sheet_append(ws, [
        _("Date"), _("Cost item"), _("Category"), _("Amount (yuan)"), _("Unit"),
        _("Part number"), _("Origin"), _("Source"), _("Source record"), _("Note"),
        _("Reverses line"),
    ])  # fmt: skip
    for line in qs.select_related("unit", "product").iterator(chunk_size=2000):
        sheet_append(ws, [
            line.date, labels.get(line.item_code, line.item_code), line.get_category_display(),
            line.amount, str(line.unit.name if line.unit else ""),
            line.product.part_number if line.product else "", line.get_origin_display(),
            line.source, line.source_record, line.note, line.reverses_id or "",
        ])  # fmt: skip
    response = HttpResponse(
        xlsx_bytes(wb),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = 'attachment; filename="quality-cost-lines.xlsx"'
    return response


@login_required
@GET_POST
def ledger_line_add(request: HttpRequest) -> HttpResponseBase:
    check(request, "costs.add_ledgerline")
    form = F.LineForm(request.POST or None, initial={"date": timezone.localdate().isoformat()})
    if request.method == "POST" and form.is_valid():
        try:
            line = S.ledger_line_add(actor=actor_of(request), **form.cleaned_data)
        except ValidationError as exc:
            errors_apply(form, exc)
        except PermissionDenied as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("The line was entered."))
            return redirect("costs:ledger_line_detail", pk=line.pk)
    return render(request, "costs/ledger_line_add.html", {"form": form})


@login_required
@GET_POST
def ledger_line_detail(request: HttpRequest, pk: int) -> HttpResponseBase:
    check(request, READ)
    line = get_object_or_404(
        LedgerLine.objects.select_related(
            "unit", "product", "supplier", "customer", "reverses", "job", "created_by"
        ),
        pk=pk,
    )
    form = F.ReverseForm(request.POST or None)
    if request.method == "POST":
        check(request, "costs.add_ledgerline")
        if form.is_valid():
            try:
                reversal = S.ledger_line_reverse(
                    actor=actor_of(request), line=line, reason=form.cleaned_data["reason"],
                    date=form.cleaned_data["date"] or None,
                )  # fmt: skip
            except ValidationError as exc:
                errors_apply(form, exc)
            except PermissionDenied as exc:
                form.add_error(None, str(exc))
            else:
                messages.success(request, _("The line was reversed."))
                return redirect("costs:ledger_line_detail", pk=reversal.pk)
    done = LedgerLine.objects.filter(reverses=line).first()
    return render(
        request,
        "costs/ledger_line_detail.html",
        {
            "line": line,
            "item_label": sel.chart_labels().get(line.item_code, line.item_code),
            "reversal": done,
            "form": form,
            "closed": sel.month_is_closed(line.date),
            "may_reverse": request.user.has_perm("costs.add_ledgerline")
            and done is None
            and line.origin != LineOrigin.REVERSAL,
        },
    )


@login_required
@GET_POST
def ledger_import(request: HttpRequest) -> HttpResponseBase:
    kind = request.GET.get("kind") or request.POST.get("kind") or JobKind.LINES
    kind = kind if kind in (JobKind.LINES, JobKind.FIGURES) else JobKind.LINES
    check(request, "costs.add_basefigure" if kind == JobKind.FIGURES else "costs.add_ledgerline")
    form = F.ImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            job = S.import_start(actor=actor_of(request), kind=kind, file_name=upload.name,
                                 content=upload.read())  # fmt: skip
        except ValidationError as exc:
            errors_apply(form, exc)
        except PermissionDenied as exc:
            form.add_error(None, str(exc))
        else:
            return redirect("costs:ledger_job", pk=job.pk)
    columns = S.LINE_COLUMNS if kind == JobKind.LINES else S.FIGURE_COLUMNS
    labels = S._column_labels()
    return render(
        request,
        "costs/ledger_import.html",
        {"form": form, "kind": kind, "columns": [labels[c] for c in columns],
         "is_figures": kind == JobKind.FIGURES},
    )  # fmt: skip


@login_required
def ledger_job(request: HttpRequest, pk: int) -> HttpResponse:
    check(request, READ)
    job = get_object_or_404(LedgerJob.objects.defer("content").select_related("created_by"),
                            pk=pk)  # fmt: skip
    running = job.status in (JobStatus.QUEUED, JobStatus.RUNNING)
    response = render(request, "costs/ledger_job.html", {"job": job, "running": running})
    if running:
        response["Refresh"] = "2"
    return response


@login_required
@require_POST
def ledger_sync(request: HttpRequest) -> HttpResponseBase:
    check(request, "costs.add_ledgerline")
    form = F.PeriodForm(request.POST)
    today = timezone.localdate()
    first = today.replace(month=1, day=1)
    last = today
    if form.is_valid():
        first = form.cleaned_data["first"] or first
        last = form.cleaned_data["last"] or last
    try:
        job = S.sync_start(actor=actor_of(request), first=first, last=last)
    except (ValidationError, PermissionDenied) as exc:
        refusal_show(request, exc)
        return redirect("costs:ledger_lines")
    return redirect("costs:ledger_job", pk=job.pk)


@login_required
@GET_POST
def ledger_months(request: HttpRequest) -> HttpResponseBase:
    from .models_ledger import MonthClose

    check(request, READ)
    form = F.MonthForm(request.POST or None)
    if request.method == "POST":
        check(request, "costs.close_month")
        if form.is_valid():
            try:
                closed = S.month_close(actor=actor_of(request), month=form.cleaned_data["month"])
            except ValidationError as exc:
                errors_apply(form, exc)
            except PermissionDenied as exc:
                form.add_error(None, str(exc))
            else:
                messages.success(request, _("The month %(month)s is closed.")
                                 % {"month": f"{closed.month:%Y-%m}"})  # fmt: skip
                return redirect("costs:ledger_months")
    return render(
        request,
        "costs/ledger_months.html",
        {
            "form": form,
            "months": MonthClose.objects.select_related("closed_by"),
            "may_close": request.user.has_perm("costs.close_month"),
        },
    )


@login_required
@GET_POST
def ledger_figures(request: HttpRequest) -> HttpResponseBase:
    check(request, READ)
    form = F.FigureForm(request.POST or None)
    if request.method == "POST":
        check(request, "costs.add_basefigure")
        if form.is_valid():
            try:
                S.base_figure_set(actor=actor_of(request), **form.cleaned_data)
            except ValidationError as exc:
                errors_apply(form, exc)
            except PermissionDenied as exc:
                form.add_error(None, str(exc))
            else:
                messages.success(request, _("The figure was entered."))
                return redirect("costs:ledger_figures")
    today = timezone.localdate()
    year = _int(request.GET.get("year")) or today.year
    year = year if 2000 <= year <= today.year else today.year
    first = datetime.date(year, 1, 1)
    last = datetime.date(year, 12, 31)
    figures = sel.base_figures(first, last)
    rows = [
        {"month": m, "figures": [figures.get((m, k)) for k in BaseKind.values]}
        for m in sel.months_between(first, min(last, today))
    ]
    return render(
        request,
        "costs/ledger_figures.html",
        {
            "form": form,
            "rows": rows,
            "kinds": BaseKind.choices,
            "year": year,
            "years": list(range(today.year, today.year - 6, -1)),
            "keepers": sel.keepers_current(),
            "keeper_form": F.KeeperForm(),
            "may_enter": request.user.has_perm("costs.add_basefigure"),
            "may_name": request.user.has_perm("costs.change_financekeeper"),
        },
    )


@login_required
@require_POST
def ledger_keepers(request: HttpRequest) -> HttpResponseBase:
    check(request, "costs.change_financekeeper")
    actor = actor_of(request)
    remove = _int(request.POST.get("remove"))
    try:
        if remove:
            keeper = get_object_or_404(FinanceKeeper, pk=remove)
            S.finance_keeper_remove(actor=actor, keeper=keeper,
                                    reason=request.POST.get("reason", "")[:300])  # fmt: skip
            messages.success(request, _("The finance keeper was removed."))
        else:
            form = F.KeeperForm(request.POST)
            if not form.is_valid():
                raise ValidationError({"user": _("Choose an active user.")})
            S.finance_keeper_name(actor=actor, user=form.cleaned_data["user"])
            messages.success(request, _("The finance keeper was named."))
    except (ValidationError, PermissionDenied) as exc:
        refusal_show(request, exc)
    return redirect("costs:ledger_figures")


@login_required
@GET_POST
def ledger_chart(request: HttpRequest) -> HttpResponseBase:
    check(request, READ)
    form = F.ChartItemForm(request.POST or None)
    if request.method == "POST":
        check(request, "costs.change_chartitem")
        if form.is_valid():
            try:
                S.chart_item_add(actor=actor_of(request), **form.cleaned_data)
            except ValidationError as exc:
                errors_apply(form, exc)
            except PermissionDenied as exc:
                form.add_error(None, str(exc))
            else:
                messages.success(request, _("The cost item was added."))
                return redirect("costs:ledger_chart")
    groups = []
    entries = sel.chart()
    for value, label in CostCategory.choices:
        groups.append((value, label, [e for e in entries if e.category == value]))
    return render(
        request,
        "costs/ledger_chart.html",
        {
            "form": form,
            "groups": groups,
            "void_form": F.ReasonForm(),
            "may_change": request.user.has_perm("costs.change_chartitem"),
        },
    )


@login_required
@require_POST
def ledger_chart_void(request: HttpRequest, pk: int) -> HttpResponseBase:
    check(request, "costs.change_chartitem")
    item = get_object_or_404(ChartItem, pk=pk)
    try:
        S.chart_item_void(actor=actor_of(request), item=item,
                          reason=request.POST.get("reason", "")[:300])  # fmt: skip
    except (ValidationError, PermissionDenied) as exc:
        refusal_show(request, exc)
    else:
        messages.success(request, _("The cost item was voided."))
    return redirect("costs:ledger_chart")


urlpatterns: list[URLPattern | URLResolver] = [
    path("", ledger_report, name="ledger_report"),
    path("report/pdf/", ledger_report_pdf, name="ledger_report_pdf"),
    path("lines/", ledger_lines, name="ledger_lines"),
    path("lines/export/", ledger_lines_export, name="ledger_lines_export"),
    path("lines/new/", ledger_line_add, name="ledger_line_add"),
    path("lines/<int:pk>/", ledger_line_detail, name="ledger_line_detail"),
    path("import/", ledger_import, name="ledger_import"),
    path("jobs/<int:pk>/", ledger_job, name="ledger_job"),
    path("sync/", ledger_sync, name="ledger_sync"),
    path("months/", ledger_months, name="ledger_months"),
    path("figures/", ledger_figures, name="ledger_figures"),
    path("keepers/", ledger_keepers, name="ledger_keepers"),
    path("chart/", ledger_chart, name="ledger_chart"),
    path("chart/<int:pk>/void/", ledger_chart_void, name="ledger_chart_void"),
]
