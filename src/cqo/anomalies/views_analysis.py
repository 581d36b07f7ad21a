"""Pages of the anomalies app: analysis part — the analysis of nonconformances (Pareto, ageing,
trend, closure time, repeats) and the open NCRs by age, each with its Excel export."""

from __future__ import annotations

from collections.abc import Mapping
from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import URLPattern, path
from django.utils import timezone, translation
from django.views.decorators.http import require_GET

from cqo.core.links import url_or_empty
from cqo.core.views import check

from . import documents_analysis as documents
from . import selectors_analysis as sel
from . import selectors_analysis_capa as capa_sel

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
PAGE_SIZE = 50
# The open NCRs' export is a working list; beyond this it is a database extract, not a sheet.
EXPORT_LIMIT = 50_000


def _months(request: HttpRequest) -> int:
    try:
        months = int(request.GET.get("months", sel.MONTHS))
    except ValueError:
        return sel.MONTHS
    return months if months in sel.PERIODS else sel.MONTHS


def _choice(request: HttpRequest, name: str, choices: Mapping[str, object], default: str) -> str:
    value = request.GET.get(name, default)
    return value if value in choices else default


def _bucket(request: HttpRequest) -> int | None:
    raw = request.GET.get("age", "")
    return int(raw) if raw.isdigit() and int(raw) <= len(sel.AGE_EDGES) else None


def _language() -> str:
    return "en" if (translation.get_language() or "").startswith("en") else "zh-hans"


def _download(data: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(data, content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def _stamp() -> str:
    return timezone.localdate().strftime("%Y%m%d")


@login_required
@require_GET
def analysis(request: HttpRequest) -> HttpResponse:
    check(request, sel.PERM)
    months = _months(request)
    by = _choice(request, "by", sel.DIMENSIONS, "defect")
    measure = _choice(request, "measure", sel.MEASURES, "count")
    data = sel.pareto_by(request.user, by=by, measure=measure, months=months)
    ageing = sel.ncr_ageing(request.user)
    trend = sel.trend(request.user, months=months)
    capa_ageing = capa_sel.capa_ageing(request.user)
    tabs = [
        {
            "key": key,
            "label": label,
            "url": "?" + urlencode({"months": months, "by": key, "measure": measure}),
        }
        for key, label in sel.DIMENSIONS.items()
    ]
    return render(
        request,
        "anomalies/analysis/analysis.html",
        {
            "months": months,
            "periods": sel.PERIODS,
            "by": by,
            "by_label": sel.DIMENSIONS[by],
            "measure": measure,
            "measures": sel.MEASURES,
            "measure_label": sel.MEASURES[measure],
            "tabs": tabs,
            "pareto": data,
            "pareto_chart": documents.pareto_chart(data),
            "ageing": ageing,
            "ageing_rows": [
                (documents.status_label(s), counts, sum(counts))
                for s, counts in ageing.by_status.items()
            ],
            "ageing_heads": [
                (label, f"{url_or_empty('anomalies:analysis_ageing')}?age={i}")
                for i, label in enumerate(ageing.labels)
            ],
            "ageing_chart": documents.ageing_chart(ageing),
            "trend": trend,
            "trend_chart": documents.trend_chart(trend),
            "capa": capa_sel.capa_figures(request.user, months=months),
            "capa_ageing": capa_ageing,
            "capa_rows": [
                (capa_sel.status_label(s), counts, sum(counts))
                for s, counts in capa_ageing.by_status.items()
            ],
            "definitions": sel.DEFINITIONS,
            "window": sel.REPEAT_WINDOW_DAYS,
            "query": urlencode({"months": months, "measure": measure}),
        },
    )


@login_required
@require_GET
def analysis_xlsx(request: HttpRequest) -> HttpResponse:
    check(request, sel.PERM)
    months = _months(request)
    measure = _choice(request, "measure", sel.MEASURES, "count")
    data = documents.analysis_xlsx(
        paretos=[
            sel.pareto_by(request.user, by=by, measure=measure, months=months)
            for by in sel.DIMENSIONS
        ],
        ageing=sel.ncr_ageing(request.user),
        trend=sel.trend(request.user, months=months),
        months=months,
        language=_language(),
    )
    return _download(data, f"ncr-analysis-{_stamp()}.xlsx")


@login_required
@require_GET
def ageing_list(request: HttpRequest) -> HttpResponse:
    """The open NCRs oldest first, by age bucket and status: who has to move what."""
    check(request, sel.PERM)
    bucket = _bucket(request)
    status = _choice(request, "status", dict.fromkeys(sel.OPEN_STATUSES), "")
    now = timezone.now()
    page = Paginator(sel.open_ncrs(request.user, bucket=bucket, status=status, now=now), PAGE_SIZE)
    current = page.get_page(request.GET.get("page"))
    rows = [
        {
            "ncr": a,
            "days": sel.days_open(a.raised_at, now=now),
            "bucket": sel.bucket_of(a.raised_at, now=now),
            "url": url_or_empty("anomalies:ncr_detail", a.pk),
        }
        for a in current.object_list
    ]
    labels = sel.age_labels()
    return render(
        request,
        "anomalies/analysis/ageing.html",
        {
            "page": current,
            "rows": rows,
            "bucket": bucket,
            "buckets": list(enumerate(labels)),
            "status": status,
            "statuses": [(s, documents.status_label(s)) for s in sel.OPEN_STATUSES],
            "last_bucket": len(labels) - 1,
            "query": urlencode(
                {
                    k: v
                    for k, v in (("age", "" if bucket is None else bucket), ("status", status))
                    if v != ""
                }
            ),
        },
    )


@login_required
@require_GET
def ageing_xlsx(request: HttpRequest) -> HttpResponse:
    check(request, sel.PERM)
    bucket = _bucket(request)
    status = _choice(request, "status", dict.fromkeys(sel.OPEN_STATUSES), "")
    rows = sel.open_ncrs(request.user, bucket=bucket, status=status)[:EXPORT_LIMIT]
    data = documents.open_ncrs_xlsx(rows, language=_language())
    return _download(data, f"open-ncrs-{_stamp()}.xlsx")


urlpatterns: list[URLPattern] = [
    path("analysis/", analysis, name="analysis"),
    path("analysis/export.xlsx", analysis_xlsx, name="analysis_xlsx"),
    path("analysis/ageing/", ageing_list, name="analysis_ageing"),
    path("analysis/ageing/export.xlsx", ageing_xlsx, name="analysis_ageing_xlsx"),
]
