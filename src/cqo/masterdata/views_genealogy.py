"""Pages of the lot genealogy (§7.2.3.2): the trace (forward and backward, as a graph and a
table, exportable), the Excel import of a feed, and the link entered on a lot's page."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from html import escape
from typing import Any

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Sum
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.template.defaultfilters import floatformat
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import get_format, localize
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET

from cqo.accounts.actors import actor_of
from cqo.core.exports import sheet_append, workbook_new, xlsx_bytes
from cqo.core.form_renderer import FAST_RENDERER
from cqo.core.views import GET_POST, check, errors_apply

from . import genealogy as G
from .forms import VoidForm
from .genealogy_feeds import (
    SERIAL_MAX,
    FeedRefused,
    genealogy_feed_post,
    genealogy_feed_xlsx,
    genealogy_template_xlsx,
    mass_balance_exceeded,
)
from .models import FeedSource, Lot, LotOrigin, SerialNumber, Shipment, StockStatus
from .serials import serial_number_record, serial_number_void

PAGE_SIZE = 50
SERIAL_PAGE = 50
STARTS = ("batch", "lot", "shipment", "serial")
GRAPH_LIMIT = 150
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class TraceForm(forms.Form):
    # Its inputs written without Django's widget templates (~2.5 ms of every trace page).
    default_renderer = FAST_RENDERER

    direction = forms.ChoiceField(
        label=gettext_lazy("Direction"),
        choices=[
            ("forward", gettext_lazy("Forward: where did it go?")),
            ("backward", gettext_lazy("Backward: what is it made of?")),
        ],
        initial="forward",
        widget=forms.RadioSelect,
    )
    batch = forms.CharField(label=gettext_lazy("supplier batch"), max_length=60, required=False)
    lot = forms.CharField(label=gettext_lazy("lot number"), max_length=60, required=False)
    shipment = forms.CharField(label=gettext_lazy("shipment number"), max_length=60, required=False)
    serial = forms.CharField(label=gettext_lazy("serial number"), max_length=80, required=False)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        given = [k for k in STARTS if (data.get(k) or "").strip()]
        if len(given) != 1:
            raise ValidationError(
                _(
                    "Give one starting point: a supplier batch, a lot number, a shipment number "
                    "or a serial number."
                )
            )
        return data


@dataclass
class TraceResult:
    direction: str
    starts: list[int]
    ids: list[int]
    start_label: str = ""
    problems: list[str] = field(default_factory=list)


def _resolve(data: dict[str, Any]) -> tuple[list[int], str]:
    batch = (data.get("batch") or "").strip()
    lot = (data.get("lot") or "").strip()
    shipment = (data.get("shipment") or "").strip()
    serial = (data.get("serial") or "").strip()
    if batch:
        return list(G.lots_of_supplier_batch(batch).values_list("pk", flat=True)), batch
    if lot:
        return list(Lot.objects.filter(number=lot).values_list("pk", flat=True)), lot
    if serial:
        return G.lots_of_serial(serial), serial
    found = Shipment.objects.filter(number=shipment, voided_at__isnull=True).first()
    return (G.lots_of_shipment(found.pk) if found else []), shipment


def trace_of(data: dict[str, Any]) -> TraceResult:
    """The trace a valid ``TraceForm`` (or API query) asks for."""
    direction = data.get("direction") or "forward"
    batch = (data.get("batch") or "").strip()
    if batch:
        # The starting lots and the trace in one query (the recall's usual question).
        ids, starts = G.trace_from_batch(
            "backward" if direction == "backward" else "forward", batch
        )
        return TraceResult(direction, starts, sorted(ids), batch)
    starts, label = _resolve(data)
    if direction == "backward":
        ids = sorted(G.trace_backward(starts))
    else:
        ids = sorted(G.trace_forward(starts))
    return TraceResult(direction, starts, ids, label)


# The live shipment lines of some lots as rows, in the customers' order (see ``_customers``).
_LINES = G.Prepared(
    lambda lots: G.shipment_lines_in(lots).values_list(
        "lot_id", "shipment_id", "shipment__customer_id", "shipment__customer__code",
        "shipment__customer__name", "quantity",
    )
)  # fmt: skip
# The customers holding some lots: shipments, lots and quantity each (a wide trace's table).
_CUSTOMERS = G.Prepared(
    lambda lots: (
        G.shipment_lines_in(lots)
        .order_by()
        .values("shipment__customer__code", "shipment__customer__name")
        .annotate(
            shipments=Count("shipment", distinct=True),
            lots=Count("lot", distinct=True),
            quantity=Sum("quantity"),
        )
        .order_by("shipment__customer__code")[:500]
    ),
    as_dicts=True,
)
# How many live serial numbers the lots' units carry.
_SERIALS = G.Prepared(lambda lots: G.serials_in(lots).order_by().values_list("pk"), count=True)
# The lots' columns the table and the graph show.
_DETAILS = G.Prepared(
    lambda lots: Lot.objects.filter(pk__in=lots)
    .order_by()
    .values_list(
        "pk", "number", "item__part_number", "item__name", "origin", "supplier__code",
        "supplier_batch", "arrived_on", "quantity", "stock_status",
    )
)  # fmt: skip


def _lines_of(ids: list[int]) -> list[tuple[Any, ...]]:
    return _LINES.rows(ids)


def _customers(lines: list[tuple[Any, ...]]) -> list[dict[str, Any]]:
    """The customers' table (shipments, lots and quantity per customer) from all the trace's
    lines, as the grouped query gives it: a trace drawn whole has few (49 at the median, 181 at
    most over 150 sampled pages of the 10M-link genealogy), which are read once for the table
    and the graph. The lines come in the customers' order (the database's collation), kept."""
    by: dict[tuple[Any, Any], tuple[set[int], set[int], list[Decimal]]] = {}
    for lot_id, shipment_id, _customer, code, name, quantity in lines:
        shipments, lots, quantities = by.setdefault((code, name), (set(), set(), []))
        shipments.add(shipment_id)
        lots.add(lot_id)
        quantities.append(quantity)
    return [
        {
            "shipment__customer__code": code,
            "shipment__customer__name": name,
            "shipments": len(shipments),
            "lots": len(lots),
            "quantity": sum(quantities, Decimal(0)),
        }
        for (code, name), (shipments, lots, quantities) in list(by.items())[:500]
    ]


def _graph(
    result: TraceResult,
    details: dict[int, tuple[Any, ...]] | None = None,
    lines: list[tuple[Any, ...]] | None = None,
) -> dict[str, Any]:
    """The ECharts option of the trace's first levels, laid out left (made first) to right.

    Read as plain rows, not models: a graph of 150 lots and their customers' shipment lines
    built ~700 model instances (lot, item, line, shipment, customer each), most of one page's
    CPU; the nodes need four columns. ``details`` and ``lines``: the lots' rows
    (``_lot_details``) and their shipment lines (``_lines_of``) when the page has read them all
    already."""
    level, edges = G.trace_levels(
        result.direction,  # type: ignore[arg-type]
        result.starts,
        limit=GRAPH_LIMIT,
        trace=result.ids,
    )
    if details is None:
        details = _lot_details(list(level))
    lots = {pk: (row[1], row[2], row[8], row[4]) for pk in level if (row := details.get(pk))}
    sign = 1 if result.direction == "forward" else -1
    rows: dict[int, int] = {}
    nodes = []
    categories = [
        {"name": str(LotOrigin.RECEIPT.label)},
        {"name": str(LotOrigin.PRODUCTION.label)},
        {"name": _("Customer")},
    ]
    for pk, depth in sorted(level.items(), key=lambda kv: (kv[1], kv[0])):
        found = lots.get(pk)
        if found is None:
            continue
        number, part, quantity, origin = found
        column = depth * sign
        rows[column] = rows.get(column, 0) + 1
        nodes.append(
            {
                "id": str(pk),
                "name": number,
                "value": f"{part} · {quantity.normalize():f}",
                "x": column * 220,
                "y": rows[column] * 40,
                "category": 0 if origin == LotOrigin.RECEIPT else 1,
                "symbolSize": 18 if depth == 0 else 12,
            }
        )
    links = [{"source": str(e.consumed_id), "target": str(e.produced_id)} for e in edges]
    if result.direction == "forward" and len(level) < GRAPH_LIMIT:
        deepest = max(level.values(), default=0) + 1
        drawn: set[str] = set()
        if lines is None:
            lines = _lines_of(list(level))[:GRAPH_LIMIT]
        for lot_id, _shipment, customer_id, code, name, _quantity in lines[:GRAPH_LIMIT]:
            key = f"c{customer_id}"
            if key not in drawn:
                drawn.add(key)
                rows[deepest] = rows.get(deepest, 0) + 1
                nodes.append(
                    {
                        "id": key, "name": code, "value": name,
                        "x": deepest * 220, "y": rows[deepest] * 40, "category": 2,
                        "symbolSize": 14, "symbol": "diamond",
                    }
                )  # fmt: skip
            links.append({"source": str(lot_id), "target": key})
    return {
        "tooltip": {},
        "legend": [{"data": [c["name"] for c in categories]}],
        "animation": False,
        "series": [
            {
                "type": "graph",
                "layout": "none",
                "roam": True,
                "label": {"show": True, "position": "bottom", "fontSize": 10},
                "edgeSymbol": ["none", "arrow"],
                "categories": categories,
                "data": nodes,
                "links": links,
            }
        ],
    }


_SENTINEL = 987654321987


def _lot_details(ids: list[int]) -> dict[int, tuple[Any, ...]]:
    """The lots' columns the table and the graph show, by id, in one query."""
    return {row[0]: row for row in _DETAILS.rows(ids)}


def _rows(
    page_ids: list[int], details: dict[int, tuple[Any, ...]] | None = None
) -> list[dict[str, Any]]:
    """The table's page of lots as display values, in trace order.

    Read as plain rows and formatted here once: 50 lots as models with their item and supplier,
    each cell resolved, reversed and filtered by the template, were a third of one page's CPU
    (profiled on the 1M-link genealogy). The cells are what the filters would show.
    ``details``: the lots' rows when the page has read them already (``_lot_details``)."""
    origins = {value: str(label) for value, label in LotOrigin.choices}
    statuses = {value: str(label) for value, label in StockStatus.choices}
    # One reverse a page: the lots' URLs differ only by their id.
    url = reverse("masterdata:lot_detail", args=[_SENTINEL])
    found = details if details is not None else _lot_details(page_ids)
    separator = str(get_format("DECIMAL_SEPARATOR"))
    rows = []
    for pk in page_ids:
        if pk not in found:
            continue
        _pk, number, part, name, origin, supplier, batch, day, quantity, status = found[pk]
        rows.append(
            {
                "pk": pk,
                "url": url.replace(str(_SENTINEL), str(pk)),
                "number": number,
                "item": f"{part} {name}",
                "origin": origins.get(origin, origin),
                "supplier": supplier or "",
                "batch": batch,
                "day": day.isoformat() if day else "",
                "quantity": _quantity(quantity, separator),
                "status": statuses.get(status, status),
            }
        )
    return rows


# The two long tables' rows as HTML, built here: through the template engine a cell cost ~25 µs
# (lookup, localisation, escaping per node) and Django's ``floatformat`` ~14 µs, and a wide
# forward trace lists up to 500 customers (5 ms a page). ``html.escape`` is what Django's
# ``escape`` applies, and ``_quantity`` and ``_count`` give what ``floatformat:"-3"`` and the
# template's localisation give (``test_the_trace_tables_format_numbers_as_the_template_does``),
# so the page is the same byte for byte.
def _count(value: int) -> str:
    return str(localize(value) if settings.USE_THOUSAND_SEPARATOR else value)


_MILLI = Decimal("0.001")


def _quantity(value: Decimal | None, decimal_separator: str) -> str:
    """``floatformat(value, "-3")`` for a decimal: whole numbers without decimals, others with
    three, half up."""
    if value is None or settings.USE_THOUSAND_SEPARATOR or not isinstance(value, Decimal):
        return str(floatformat(value, "-3"))
    if value == int(value):
        return str(int(value))
    rounded = value.quantize(_MILLI, ROUND_HALF_UP)
    text = f"{abs(rounded) if not rounded else rounded:f}"
    return text.replace(".", decimal_separator) if decimal_separator != "." else text


def _customer_rows(customers: list[dict[str, Any]]) -> SafeString:
    separator = str(get_format("DECIMAL_SEPARATOR"))
    return mark_safe(  # noqa: S308 - every value is escaped or a formatted number
        "".join(
            f"<tr><td>{escape(str(c['shipment__customer__code']))} "
            f"{escape(str(c['shipment__customer__name']))}</td><td>{_count(c['shipments'])}</td>"
            f"<td>{_count(c['lots'])}</td><td>{_quantity(c['quantity'], separator)}</td></tr>"
            for c in customers
        )
    )


def _lot_rows(rows: list[dict[str, Any]]) -> SafeString:
    return mark_safe(  # noqa: S308 - every value is escaped
        "".join(
            f'<tr><td><a href="{escape(r["url"])}">{escape(r["number"])}</a></td>'
            f"<td>{escape(r['item'])}</td><td>{escape(r['origin'])}</td>"
            f"<td>{escape(r['supplier']) + ' · ' if r['supplier'] else ''}"
            f"{escape(r['batch'] or '—')}</td><td>{escape(r['day'])}</td>"
            f"<td>{escape(r['quantity'])}</td><td>{escape(r['status'])}</td></tr>"
            for r in rows
        )
    )


def _nav(request: HttpRequest) -> list[dict[str, Any]]:
    from .views import _nav as nav  # the pages' sub-navigation (views imports this module)

    return nav(request, "genealogy")


def _page_number(request: HttpRequest, count: int) -> tuple[int, int]:
    pages = max(1, (count + PAGE_SIZE - 1) // PAGE_SIZE)
    try:
        page = int(request.GET.get("page", "1"))
    except ValueError:
        page = 1
    return min(max(page, 1), pages), pages


@login_required
@require_GET
def trace(request: HttpRequest) -> HttpResponse:
    """One screen for both directions: from a supplier batch, a lot or a shipment."""
    check(request, "masterdata.view_lotlink")
    form = TraceForm(request.GET if request.GET else None)
    context: dict[str, Any] = {"form": form, "nav": _nav(request)}
    if form.is_bound and form.is_valid():
        result = trace_of(form.cleaned_data)
        page, pages = _page_number(request, len(result.ids))
        page_ids = result.ids[(page - 1) * PAGE_SIZE : page * PAGE_SIZE]
        customers: list[Any] = []
        batches: list[Any] = []
        serials: list[Any] = []
        serial_count = 0
        # A trace smaller than the graph's limit is drawn whole: its lots, and forward its
        # shipment lines, are read once for the graph and the tables (two queries, not four).
        whole = 0 < len(result.ids) < GRAPH_LIMIT
        lines: list[tuple[Any, ...]] | None = None
        if result.ids and result.direction == "forward":
            # The units a recall recovers: how many, and the first of them (the export has all).
            serial_count = _SERIALS.count(result.ids)
            serials = list(G.serials_of(result.ids)[:SERIAL_PAGE]) if serial_count else []
        if whole and result.direction == "forward":
            lines = _lines_of(result.ids)
            customers = _customers(lines)
        elif result.ids and result.direction == "forward":
            customers = _CUSTOMERS.rows(result.ids)
        elif result.ids:
            batches = list(
                G.trace_lots("backward", result.starts)
                .filter(origin=LotOrigin.RECEIPT)
                .select_related("item", "supplier")
                .order_by("supplier__code", "supplier_batch")[:500]
            )
        query = request.GET.copy()
        query.pop("page", None)
        details = _lot_details(result.ids) if whole else None
        rows = _rows(page_ids, details)
        context.update(
            {
                "result": result,
                "count": len(result.ids),
                "rows": rows,
                "rows_html": _lot_rows(rows),
                "customers_html": _customer_rows(customers),
                "page": page,
                "pages": pages,
                "previous": page - 1 if page > 1 else None,
                "next": page + 1 if page < pages else None,
                "query": query.urlencode(),
                "customers": customers,
                "batches": batches,
                "serials": serials,
                "serial_count": serial_count,
                "graph": _graph(result, details, lines) if result.ids else None,
                "graph_limit": GRAPH_LIMIT,
            }
        )
    return render(request, "masterdata/genealogy_trace.html", context)


@login_required
@require_GET
def trace_export(request: HttpRequest) -> HttpResponseBase:
    """The whole trace as a workbook: the lots, and the shipments (forward) or supplier
    batches (backward). Text that looks like a formula stays text (``cqo.core.exports``)."""
    check(request, "masterdata.view_lotlink")
    form = TraceForm(request.GET)
    if not form.is_valid():
        messages.error(
            request,
            " ".join(str(e) for e in form.errors.get("__all__", []))
            or _("Check the starting point."),
        )
        return redirect("masterdata:genealogy_trace")
    result = trace_of(form.cleaned_data)
    wb = workbook_new()
    ws = wb.active
    ws.title = _("Lots")
    sheet_append(
        ws,
        [_("lot number"), _("item"), _("origin"), _("supplier"), _("supplier batch"), _("date"),
         _("quantity"), _("stock status")],
    )  # fmt: skip
    for start in range(0, len(result.ids), 2000):
        chunk = result.ids[start : start + 2000]
        for lot in (
            Lot.objects.filter(pk__in=chunk).select_related("item", "supplier").order_by("pk")
        ):
            sheet_append(
                ws,
                [lot.number, str(lot.item), lot.get_origin_display(),
                 lot.supplier.code if lot.supplier else "", lot.supplier_batch, lot.arrived_on,
                 lot.quantity, lot.get_stock_status_display()],
            )  # fmt: skip
    if result.direction == "forward":
        ws2 = wb.create_sheet(_("Shipments"))
        sheet_append(
            ws2,
            [_("shipment number"), _("customer"), _("planned shipping date"), _("lot number"),
             _("quantity")],
        )  # fmt: skip
        for line in G.shipment_lines_of(result.ids).iterator(chunk_size=2000):
            sheet_append(
                ws2,
                [line.shipment.number, str(line.shipment.customer), line.shipment.planned_on,
                 line.lot.number, line.quantity],
            )  # fmt: skip
        ws3 = wb.create_sheet(_("Serial numbers"))
        sheet_append(ws3, [_("serial number"), _("item"), _("lot number")])
        for unit in G.serials_of(result.ids).iterator(chunk_size=2000):
            sheet_append(ws3, [unit.serial, unit.item.part_number, unit.lot.number])
    response = HttpResponse(xlsx_bytes(wb), content_type=XLSX)
    day = timezone.localdate()
    response["Content-Disposition"] = f'attachment; filename="trace-{result.direction}-{day}.xlsx"'
    response["X-Content-Type-Options"] = "nosniff"
    return response


class LinkForm(forms.Form):
    consumed = forms.CharField(label=gettext_lazy("consumed lot"), max_length=60)
    quantity = forms.DecimalField(
        label=gettext_lazy("quantity consumed"),
        max_digits=14,
        decimal_places=3,
        min_value=Decimal("0.001"),
    )


@login_required
@GET_POST
def lot_link_create(request: HttpRequest, pk: int) -> HttpResponseBase:
    """On a production lot's page: record a lot it was made from (a feed of one link)."""
    lot = get_object_or_404(Lot, pk=pk)
    check(request, "masterdata.add_genealogyfeed")
    form = LinkForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            genealogy_feed_post(
                actor=actor_of(request),
                rows=[
                    {
                        "consumed": form.cleaned_data["consumed"],
                        "produced": lot.number,
                        "quantity": form.cleaned_data["quantity"],
                    }
                ],
                source=FeedSource.ENTRY,
                reference=lot.number,
            )
        except FeedRefused as exc:
            form.add_error(None, str(exc.messages[0]).split("：", 1)[-1].split(": ", 1)[-1])
        except ValidationError as exc:
            errors_apply(form, exc)
        except PermissionDenied as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("The link was recorded."))
            return redirect("masterdata:lot_detail", pk=lot.pk)
    return render(
        request,
        "masterdata/genealogy_link_form.html",
        {
            "form": form,
            "title": _("Made from: %(lot)s") % {"lot": lot.number},
            "cancel": reverse("masterdata:lot_detail", args=[lot.pk]),
            "nav": _nav(request),
        },
    )


class FeedImportForm(forms.Form):
    file = forms.FileField(label=gettext_lazy("Excel workbook (.xlsx)"))


@login_required
@GET_POST
def genealogy_import(request: HttpRequest) -> HttpResponse:
    """A feed from Excel: all or nothing, the first bad row named."""
    check(request, "masterdata.add_genealogyfeed")
    form = FeedImportForm(request.POST or None, request.FILES or None)
    imported = None
    problem = ""
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            rows, serials = genealogy_feed_xlsx(upload)
            imported = genealogy_feed_post(
                actor=actor_of(request),
                rows=rows,
                serials=serials,
                source=FeedSource.EXCEL,
                reference=str(upload.name)[:100],
                first_row=2,
                serial_first_row=2,
            )
        except ValidationError as exc:
            problem = " ".join(exc.messages)
        except PermissionDenied as exc:
            problem = str(exc)
    return render(
        request,
        "masterdata/genealogy_import.html",
        {"form": form, "imported": imported, "problem": problem, "nav": _nav(request)},
    )


@login_required
@require_GET
def genealogy_template(request: HttpRequest) -> HttpResponse:
    check(request, "masterdata.view_lotlink")
    response = HttpResponse(genealogy_template_xlsx(), content_type=XLSX)
    response["Content-Disposition"] = 'attachment; filename="genealogy-template.xlsx"'
    response["X-Content-Type-Options"] = "nosniff"
    return response


def lot_genealogy_context(request: HttpRequest, lot: Lot) -> dict[str, Any]:
    """The lot page's genealogy section: what it was made from and what was made from it."""
    made_from = list(
        lot.links_up.filter(voided_at__isnull=True).select_related("consumed", "consumed__item")[
            :50
        ]
    )
    used_in = list(
        lot.links_down.filter(voided_at__isnull=True).select_related("produced", "produced__item")[
            :50
        ]
    )
    over = mass_balance_exceeded([lot.pk])
    units = lot.serials.filter(voided_at__isnull=True).order_by("serial", "id")
    serial_count = units.count()
    return {
        "serial_count": serial_count,
        "serials": list(units[:SERIAL_PAGE]) if serial_count else [],
        "can_add_serial": request.user.has_perm("masterdata.add_serialnumber", lot)
        and lot.voided_at is None,
        "can_void_serial": request.user.has_perm("masterdata.void_serialnumber"),
        "over_consumed": over[0] if over else None,
        "made_from": made_from,
        "used_in": used_in,
        "can_link": request.user.has_perm("masterdata.add_genealogyfeed")
        and lot.origin == LotOrigin.PRODUCTION
        and lot.voided_at is None,
    }


class SerialForm(forms.Form):
    serial = forms.CharField(label=gettext_lazy("serial number"), max_length=SERIAL_MAX)


@login_required
@GET_POST
def lot_serial_create(request: HttpRequest, pk: int) -> HttpResponseBase:
    """On a lot's page: give one of its units a serial number (by hand; feeds bring many)."""
    lot = get_object_or_404(Lot, pk=pk)
    check(request, "masterdata.add_serialnumber")
    form = SerialForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            serial_number_record(
                actor=actor_of(request), lot=lot, serial=form.cleaned_data["serial"]
            )
        except ValidationError as exc:
            errors_apply(form, exc)
        except PermissionDenied as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("The serial number was recorded."))
            return redirect("masterdata:lot_detail", pk=lot.pk)
    return render(
        request,
        "masterdata/serial_form.html",
        {
            "form": form,
            "title": _("Serial number of a unit of %(lot)s") % {"lot": lot.number},
            "cancel": reverse("masterdata:lot_detail", args=[lot.pk]),
            "nav": _nav(request),
        },
    )


@login_required
@GET_POST
def serial_void(request: HttpRequest, pk: int) -> HttpResponseBase:
    """Void a serial number recorded in error, with a reason."""
    record = get_object_or_404(SerialNumber.objects.select_related("lot"), pk=pk)
    check(request, "masterdata.void_serialnumber")
    form = VoidForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            serial_number_void(
                actor=actor_of(request), record=record, reason=form.cleaned_data["reason"]
            )
        except ValidationError as exc:
            errors_apply(form, exc)
        except PermissionDenied as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("The record was voided; it is kept with the reason."))
            return redirect("masterdata:lot_detail", pk=record.lot_id)
    return render(
        request,
        "masterdata/void.html",
        {
            "form": form,
            "obj": record,
            "cancel_url": reverse("masterdata:lot_detail", args=[record.lot_id]),
            "nav": _nav(request),
        },
    )
