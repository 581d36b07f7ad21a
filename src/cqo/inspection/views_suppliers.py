"""Pages of the inspection app: suppliers part — supplier quality (ranking, scorecard, exports)
and the queue of lots to inspect (the inspector's home, linked from the workbench)."""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import URLPattern, path
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from cqo.core.links import url_or_empty
from cqo.core.views import check
from cqo.masterdata.models import Gate
from cqo.masterdata.scores import supplier_score_parts

from . import documents_suppliers as documents
from . import selectors_suppliers as sel

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
QUEUE_PAGE_SIZE = 50


def _months(request: HttpRequest) -> int:
    try:
        months = int(request.GET.get("months", sel.MONTHS))
    except ValueError:
        return sel.MONTHS
    return months if months in sel.PERIODS else sel.MONTHS


def _language() -> str:
    return "en" if (translation.get_language() or "").startswith("en") else "zh-hans"


def _download(data: bytes, content_type: str, filename: str) -> HttpResponse:
    response = HttpResponse(data, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def _stamp() -> str:
    return timezone.localdate().strftime("%Y%m%d")


def _columns(months: int, sort_key: str, descending: bool) -> list[dict[str, str]]:
    """The ranking's sortable headers: a click sorts by the column, a second click reverses."""
    labels = {
        "code": _("Supplier"),
        "lots": _("Number of lots"),
        "acceptance": _("Acceptance rate"),
        "rejected": _("Lots rejected"),
        "conditional": _("Lots under concession"),
        "ppm": _("Sample PPM"),
        "rejected_ppm": _("Rejected-quantity PPM"),
        "lead": _("Lead time median"),
        "lead_p90": _("Lead time P90"),
        "switching": _("Switching state"),
    }
    columns = []
    for key, label in labels.items():
        current = key == sort_key
        flip = "-" if current and not descending else ""
        columns.append(
            {
                "key": key,
                "label": label,
                "url": "?" + urlencode({"months": months, "sort": flip + key}),
                "aria": ("descending" if descending else "ascending") if current else "",
            }
        )
    return columns


@login_required
@require_GET
def supplier_ranking(request: HttpRequest) -> HttpResponse:
    check(request, sel.PERM)
    months = _months(request)
    sort_key, descending = sel.sort_parse(request.GET.get("sort", ""))
    sort = ("-" if descending else "") + sort_key
    rows = sel.supplier_ranking(request.user, months=months, sort=sort)
    return render(
        request,
        "inspection/suppliers/ranking.html",
        {
            "rows": rows,
            "months": months,
            "periods": sel.PERIODS,
            "sort": sort,
            "sort_key": sort_key,
            "descending": descending,
            "columns": _columns(months, sort_key, descending),
            "definitions": sel.DEFINITIONS,
            "score_parts": supplier_score_parts(),
        },
    )


@login_required
@require_GET
def supplier_ranking_xlsx(request: HttpRequest) -> HttpResponse:
    check(request, sel.PERM)
    months = _months(request)
    rows = sel.supplier_ranking(request.user, months=months, sort=request.GET.get("sort", ""))
    data = documents.ranking_xlsx(rows, months=months, language=_language())
    return _download(data, XLSX, f"supplier-quality-{_stamp()}.xlsx")


def _scorecard(request: HttpRequest, pk: int) -> tuple[sel.Scorecard, list[sel.ItemRow], int]:
    check(request, sel.PERM)
    supplier = get_object_or_404(sel.suppliers_visible(request.user), pk=pk)
    months = _months(request)
    card = sel.supplier_scorecard(request.user, supplier, months=months)
    items = sel.supplier_items(request.user, supplier, months=months, streams=card.streams)
    return card, items, months


@login_required
@require_GET
def supplier_detail(request: HttpRequest, pk: int) -> HttpResponse:
    card, items, months = _scorecard(request, pk)
    chart = documents.scorecard_chart(card)
    return render(
        request,
        "inspection/suppliers/detail.html",
        {
            "card": card,
            "supplier": card.supplier,
            "items": items,
            "months": months,
            "periods": sel.PERIODS,
            "chart": chart,
            "definitions": sel.DEFINITIONS,
        },
    )


@login_required
@require_GET
def supplier_scorecard_xlsx(request: HttpRequest, pk: int) -> HttpResponse:
    card, items, months = _scorecard(request, pk)
    data = documents.scorecard_xlsx(card, items, months=months, language=_language())
    return _download(data, XLSX, f"scorecard-{card.supplier.code}-{_stamp()}.xlsx")


@login_required
@require_GET
def supplier_scorecard_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    card, items, months = _scorecard(request, pk)
    data = documents.scorecard_pdf(card, items, months=months, language=_language())
    return _download(data, "application/pdf", f"scorecard-{card.supplier.code}-{_stamp()}.pdf")


@login_required
@require_GET
def queue(request: HttpRequest) -> HttpResponse:
    """Lots to inspect, oldest first, by gate and age: the inspector's working list."""
    check(request, "inspection.view_inspectionlot")
    gate = request.GET.get("gate", "")
    gate = gate if gate in Gate.values else ""
    age = request.GET.get("age", "")
    age = age if age in sel.AGE_BUCKETS else ""
    page = Paginator(sel.inspection_queue(request.user, gate=gate, age=age), QUEUE_PAGE_SIZE)
    current = page.get_page(request.GET.get("page"))
    now = timezone.now()
    rows = [
        {
            "ilot": il,
            "bucket": sel.age_bucket(il.created_at, now=now),
            "days": max(0, (now - il.created_at).days),
            # The lot page is the lots part's; until it is routed the number stays plain text.
            "url": url_or_empty("inspection:lot_detail", il.pk),
        }
        for il in current.object_list
    ]
    return render(
        request,
        "inspection/suppliers/queue.html",
        {
            "page": current,
            "rows": rows,
            "gate": gate,
            "gates": Gate.choices,
            "age": age,
            "ages": list(sel.AGE_LABELS.items()),
            "tones": sel.AGE_TONES,
        },
    )


urlpatterns: list[URLPattern] = [
    path("queue/", queue, name="queue"),
    path("suppliers/", supplier_ranking, name="supplier_ranking"),
    path("suppliers/export.xlsx", supplier_ranking_xlsx, name="supplier_ranking_xlsx"),
    path("suppliers/<int:pk>/", supplier_detail, name="supplier_detail"),
    path(
        "suppliers/<int:pk>/scorecard.xlsx", supplier_scorecard_xlsx, name="supplier_scorecard_xlsx"
    ),
    path("suppliers/<int:pk>/scorecard.pdf", supplier_scorecard_pdf, name="supplier_scorecard_pdf"),
]
