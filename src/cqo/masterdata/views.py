"""Pages of the master data: a list, a detail page with its history, and create, edit and void
forms for each kind of record; the lots are read here (their stock status changes at the gate).
Every page is thin: the permission check, a form that parses, the service that decides."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db import models
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import get_script_prefix, reverse
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from cqo.accounts.actors import actor_of
from cqo.authorities.views import _veto_context
from cqo.core.exceptions import ConflictError
from cqo.core.views import GET_POST, check, errors_apply, refusal_show

from . import forms as F
from . import selectors as sel
from . import services as S
from . import transfer as T
from .models import (
    ApprovedSupplier,
    Characteristic,
    Customer,
    Instrument,
    Item,
    Lot,
    Operation,
    Supplier,
    SupplierStatus,
    WorkCentre,
)
from .views_genealogy import lot_genealogy_context

PAGE_SIZE = 50
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@dataclass(frozen=True)
class Kind:
    """One kind of master-data record as the pages show it."""

    key: str  # URL names: <key>_list, <key>_detail, <key>_create, <key>_edit, <key>_void
    model: type[models.Model]
    title: Promise | str
    sheet: str  # the transfer sheet: its columns make the list
    form: type[forms.ModelForm] | None
    filter_form: type[forms.Form]
    rows: Callable[..., Any]
    create: Callable[..., Any] | None = None
    update: Callable[..., Any] | None = None
    void: Callable[..., Any] | None = None
    parent: str = ""  # created from the page of an item
    filters: tuple[str, ...] = ()
    clause: str = S.CLAUSE_GATE
    facts: tuple[str, ...] = field(default_factory=tuple)

    @property
    def name(self) -> str:
        return self.model._meta.model_name  # type: ignore[return-value]

    def perm(self, verb: str) -> str:
        return f"masterdata.{verb}_{self.name}"


KINDS: dict[str, Kind] = {
    k.key: k
    for k in (
        Kind(
            "item", Item, T._plural(Item), "items", F.ItemForm, F.ItemFilterForm,
            sel.items_visible,
            create=lambda actor, d, parent: S.item_create(actor=actor, **d),
            update=lambda actor, obj, d: S.item_update(actor=actor, item=obj, **d),
            void=S.item_void, filters=("kind",),
        ),
        Kind(
            "characteristic", Characteristic, T._plural(Characteristic),
            "characteristics", F.CharacteristicForm, F.CharacteristicFilterForm,
            sel.characteristics_visible,
            create=lambda actor, d, parent: S.characteristic_create(actor=actor, item=parent, **d),
            update=lambda actor, obj, d: S.characteristic_update(
                actor=actor, characteristic=obj, **d
            ),
            void=S.characteristic_void, parent="item", filters=("special",),
        ),
        Kind(
            "supplier", Supplier, T._plural(Supplier), "suppliers", F.SupplierForm,
            F.SupplierFilterForm, sel.suppliers_visible,
            create=lambda actor, d, parent: S.supplier_create(actor=actor, **d),
            update=lambda actor, obj, d: S.supplier_update(actor=actor, supplier=obj, **d),
            void=S.supplier_void, filters=("status",),
        ),
        Kind(
            "asl", ApprovedSupplier, T._plural(ApprovedSupplier), "asl",
            F.ApprovedSupplierForm, F.SearchForm, sel.approved_suppliers_visible,
            create=lambda actor, d, parent: S.approved_supplier_add(actor=actor, item=parent, **d),
            void=lambda *, actor, obj, reason: S.approved_supplier_remove(
                actor=actor, approved=obj, reason=reason
            ),
            parent="item",
        ),
        Kind(
            "customer", Customer, T._plural(Customer), "customers", F.CustomerForm,
            F.SearchForm, sel.customers_visible,
            create=lambda actor, d, parent: S.customer_create(actor=actor, **d),
            update=lambda actor, obj, d: S.customer_update(actor=actor, customer=obj, **d),
            void=S.customer_void,
        ),
        Kind(
            "workcentre", WorkCentre, T._plural(WorkCentre), "work-centres",
            F.WorkCentreForm, F.SearchForm, sel.work_centres_visible,
            create=lambda actor, d, parent: S.work_centre_create(actor=actor, **d),
            update=lambda actor, obj, d: S.work_centre_update(actor=actor, work_centre=obj, **d),
            void=S.work_centre_void,
        ),
        Kind(
            "operation", Operation, T._plural(Operation), "operations", F.OperationForm,
            F.SearchForm, sel.operations_visible,
            create=lambda actor, d, parent: S.operation_create(actor=actor, item=parent, **d),
            update=lambda actor, obj, d: S.operation_update(actor=actor, operation=obj, **d),
            void=S.operation_void, parent="item",
        ),
        Kind(
            "instrument", Instrument, T._plural(Instrument), "instruments",
            F.InstrumentForm, F.InstrumentFilterForm, sel.instruments_visible,
            create=lambda actor, d, parent: S.instrument_create(actor=actor, **d),
            update=lambda actor, obj, d: S.instrument_update(actor=actor, instrument=obj, **d),
            void=S.instrument_void, filters=("status",), clause=S.CLAUSE_METROLOGY,
        ),
        Kind(
            "lot", Lot, T._plural(Lot), "lots", None, F.LotFilterForm, sel.lots_visible,
            void=S.lot_void,
        ),
    )
}  # fmt: skip

# The lists in the order the index and the sub-navigation show them.
ORDER = ("item", "characteristic", "supplier", "asl", "customer", "workcentre", "operation",
         "instrument", "lot")  # fmt: skip


def _kind(key: str) -> Kind:
    try:
        return KINDS[key]
    except KeyError:
        raise Http404 from None


_NAV_URLS: dict[str, list[tuple[str, str]]] = {}


def _nav_urls() -> list[tuple[str, str]]:
    """The sub-navigation's addresses, reversed once per process (a dozen ``reverse`` calls were
    ~0.3 ms of every master-data page; the URL configuration does not change while it runs, and
    the script prefix is the key for a server mounted elsewhere)."""
    prefix = get_script_prefix()
    urls = _NAV_URLS.get(prefix)
    if urls is None:
        urls = _NAV_URLS[prefix] = [
            *((key, reverse(f"masterdata:{key}_list")) for key in ORDER),
            ("genealogy", reverse("masterdata:genealogy_trace")),
        ]
    return urls


def _nav(request: HttpRequest, current: str) -> list[dict[str, Any]]:
    return [
        {
            "key": key,
            "title": _("Lot genealogy") if key == "genealogy" else KINDS[key].title,
            "url": url,
            "current": key == current,
        }
        for key, url in _nav_urls()
    ]


def _visible(kind: Kind, user: Any, *, include_voided: bool = True) -> Any:
    if kind.key == "lot":
        return sel.lots_visible(user, include_voided=include_voided)
    return kind.rows(user, include_voided=include_voided)


def _object(request: HttpRequest, kind: Kind, pk: int) -> Any:
    obj = get_object_or_404(_visible(kind, request.user), pk=pk)
    check(request, kind.perm("view"), obj)
    return obj


# --- index and lists ------------------------------------------------------------------------


@login_required
@require_GET
def index(request: HttpRequest) -> HttpResponse:
    check(request, "masterdata.view_item")
    lists = []
    for key in ORDER:
        kind = KINDS[key]
        lists.append(
            {
                "kind": kind,
                "url": reverse(f"masterdata:{key}_list"),
                "count": kind.model._default_manager.filter(voided_at__isnull=True).count(),  # type: ignore[attr-defined]
            }
        )
    return render(request, "masterdata/index.html", {"lists": lists, "nav": _nav(request, "")})


def _filters(kind: Kind, form: forms.Form) -> dict[str, Any]:
    if not form.is_valid():
        return {}
    data = {k: v for k, v in form.cleaned_data.items() if v not in (None, "")}
    if kind.key == "lot":
        return {k: v for k, v in data.items() if k != "include_voided"}
    if data.get("include_voided") is False:
        data.pop("include_voided")
    return data


def entity_list(request: HttpRequest, key: str) -> HttpResponse:
    kind = _kind(key)
    check(request, kind.perm("view"))
    form = kind.filter_form(request.GET or None)
    rows = kind.rows(request.user, **_filters(kind, form))
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    sheet = T.SHEETS[kind.sheet]
    columns = list(sheet.columns)
    table = [{"obj": obj, "cells": [T._cell(c, obj) for c in columns]} for obj in page.object_list]
    query = request.GET.copy()
    query.pop("page", None)
    may_import = (
        kind.sheet in T.IMPORTABLE
        and request.user.has_perm("masterdata.import_masterdata")
        and request.user.has_perm(kind.perm("add"))
    )
    return render(
        request,
        "masterdata/list.html",
        {
            "kind": kind,
            "form": form,
            "page": page,
            "table": table,
            "headers": [c.label for c in columns],
            "query": query.urlencode(),
            "nav": _nav(request, kind.key),
            "may_add": kind.create is not None
            and not kind.parent
            and request.user.has_perm(kind.perm("add")),
            "may_import": may_import,
            "sheet": kind.sheet,
            "has_detail": kind.key != "asl",
        },
    )


def _list_view(key: str) -> Callable[[HttpRequest], HttpResponse]:
    @login_required
    @require_GET
    def view(request: HttpRequest) -> HttpResponse:
        return entity_list(request, key)

    view.__name__ = f"{key}_list"
    return view


# --- detail pages -----------------------------------------------------------------------------


def _facts(obj: Any, kind: Kind) -> list[tuple[str, Any]]:
    sheet = T.SHEETS[kind.sheet]
    return [(str(c.label), T._cell(c, obj)) for c in sheet.columns]


def _detail_context(request: HttpRequest, kind: Kind, obj: Any) -> dict[str, Any]:
    return {
        "kind": kind,
        "obj": obj,
        "facts": _facts(obj, kind),
        "history": sel.history_rows(obj),
        "nav": _nav(request, kind.key),
        "may_edit": kind.update is not None
        and not obj.is_voided
        and request.user.has_perm(kind.perm("change"), obj),
        "may_void": kind.void is not None
        and not obj.is_voided
        and request.user.has_perm(kind.perm("void"), obj),
    }


def entity_detail(request: HttpRequest, key: str, pk: int) -> HttpResponse:
    kind = _kind(key)
    obj = _object(request, kind, pk)
    return render(request, "masterdata/detail.html", _detail_context(request, kind, obj))


def _detail_view(key: str) -> Callable[..., HttpResponse]:
    @login_required
    @require_GET
    def view(request: HttpRequest, pk: int) -> HttpResponse:
        return entity_detail(request, key, pk)

    view.__name__ = f"{key}_detail"
    return view


@login_required
@require_GET
def item_detail(request: HttpRequest, pk: int) -> HttpResponse:
    kind = KINDS["item"]
    item = _object(request, kind, pk)
    user = request.user
    context = _detail_context(request, kind, item)
    context.update(
        {
            "characteristics": sel.characteristics_visible(user, item=item),
            "approved": sel.approved_suppliers_visible(user, item=item),
            "operations": sel.operations_visible(user, item=item),
            "lots": sel.lots_visible(user, item=item)[:10],
            "may_add_characteristic": user.has_perm("masterdata.add_characteristic"),
            "may_add_asl": user.has_perm("masterdata.add_approvedsupplier"),
            "may_void_asl": user.has_perm("masterdata.void_approvedsupplier"),
            "may_add_operation": user.has_perm("masterdata.add_operation"),
        }
    )
    return render(request, "masterdata/item_detail.html", context)


@login_required
@require_GET
def supplier_detail(request: HttpRequest, pk: int) -> HttpResponse:
    kind = KINDS["supplier"]
    supplier = _object(request, kind, pk)
    user = request.user
    context = _detail_context(request, kind, supplier)
    context.update(
        {
            "approved": sel.approved_suppliers_visible(user, supplier=supplier),
            "lots": sel.lots_visible(user, supplier=supplier)[:10],
            "blocked": S.supplier_blocked_message(supplier),
            "may_approve": supplier.status == SupplierStatus.CANDIDATE
            and not supplier.is_voided
            and user.has_perm("masterdata.approve_supplier", supplier),
            "may_set_status": supplier.status != SupplierStatus.CANDIDATE
            and not supplier.is_voided
            and user.has_perm("masterdata.set_status_supplier", supplier),
            "approve_form": F.ApproveForm(prefix="approve"),
            "status_form": F.StatusForm(prefix="status"),
            **_veto_context(request, supplier),
        }
    )
    return render(request, "masterdata/supplier_detail.html", context)


@login_required
@require_GET
def lot_detail(request: HttpRequest, pk: int) -> HttpResponse:
    kind = KINDS["lot"]
    lot = _object(request, kind, pk)
    context = _detail_context(request, kind, lot)
    context.update(
        {
            "holds": sel.lot_holds(request.user, lot),
            "lot_extra": [
                (_("Work centre"), lot.work_centre or "—"),
                (_("Operation"), lot.operation or "—"),
                (_("Recorded"), f"{timezone.localtime(lot.created_at):%Y-%m-%d %H:%M}"),
            ],
            **_veto_context(request, lot),
            **lot_genealogy_context(request, lot),
        }
    )
    return render(request, "masterdata/lot_detail.html", context)


# --- create, edit, void -----------------------------------------------------------------------


def _parent(request: HttpRequest, kind: Kind, pk: int | None) -> Any:
    if not kind.parent:
        return None
    return _object(request, KINDS[kind.parent], pk) if pk is not None else None


def entity_create(request: HttpRequest, key: str, pk: int | None = None) -> HttpResponseBase:
    kind = _kind(key)
    parent = _parent(request, kind, pk)
    check(request, kind.perm("add"))
    assert kind.form is not None and kind.create is not None
    form = kind.form(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            obj = kind.create(actor_of(request), dict(form.cleaned_data), parent)
        except ValidationError as exc:
            errors_apply(form, exc)
        except PermissionDenied as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("The record was saved."))
            if parent is not None:
                return redirect(f"masterdata:{kind.parent}_detail", pk=parent.pk)
            return redirect(f"masterdata:{kind.key}_detail", pk=obj.pk)
    cancel = (
        reverse(f"masterdata:{kind.parent}_detail", args=[parent.pk])
        if parent is not None
        else reverse(f"masterdata:{kind.key}_list")
    )
    return render(
        request,
        "masterdata/form.html",
        {"kind": kind, "form": form, "parent": parent, "cancel_url": cancel, "obj": None},
    )


def entity_edit(request: HttpRequest, key: str, pk: int) -> HttpResponseBase:
    kind = _kind(key)
    obj = _object(request, kind, pk)
    check(request, kind.perm("change"), obj)
    assert kind.form is not None and kind.update is not None
    form = kind.form(request.POST or None, instance=obj)
    if request.method == "POST" and form.is_valid():
        changed = {k: form.cleaned_data[k] for k in form.changed_data}
        reason = (request.POST.get("reason") or "").strip()
        try:
            if changed:
                kind.update(actor_of(request), obj, {**changed, "reason": reason})
        except ValidationError as exc:
            errors_apply(form, exc)
        except PermissionDenied as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(
                request, _("The record was saved.") if changed else _("Nothing was changed.")
            )
            return redirect(_detail_url(kind, obj))
    return render(
        request,
        "masterdata/form.html",
        {
            "kind": kind,
            "form": form,
            "obj": obj,
            "with_reason": True,
            "cancel_url": _detail_url(kind, obj),
        },
    )


def _detail_url(kind: Kind, obj: Any) -> str:
    if kind.key == "asl":
        return reverse("masterdata:item_detail", args=[obj.item_id])
    return reverse(f"masterdata:{kind.key}_detail", args=[obj.pk])


def entity_void(request: HttpRequest, key: str, pk: int) -> HttpResponseBase:
    kind = _kind(key)
    obj = _object(request, kind, pk)
    check(request, kind.perm("void"), obj)
    assert kind.void is not None
    form = F.VoidForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            kind.void(actor=actor_of(request), obj=obj, reason=form.cleaned_data["reason"])
        except ValidationError as exc:
            errors_apply(form, exc)
        except PermissionDenied as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("The record was voided; it is kept with the reason."))
            return redirect(_detail_url(kind, obj))
    return render(
        request,
        "masterdata/void.html",
        {"kind": kind, "form": form, "obj": obj, "cancel_url": _detail_url(kind, obj)},
    )


def _form_view(fn: Callable[..., HttpResponseBase], key: str, name: str) -> Callable[..., Any]:
    @login_required
    @GET_POST
    def view(request: HttpRequest, **kwargs: Any) -> HttpResponseBase:
        return fn(request, key, **kwargs)

    view.__name__ = f"{key}_{name}"
    return view


# --- supplier approval and status (§6 e), §6 i)) --------------------------------------------


@login_required
@require_POST
def supplier_approve(request: HttpRequest, pk: int) -> HttpResponseBase:
    supplier = _object(request, KINDS["supplier"], pk)
    check(request, "masterdata.approve_supplier", supplier)
    form = F.ApproveForm(request.POST, prefix="approve")
    if not form.is_valid():
        messages.error(request, _("Say on what grounds the supplier is approved."))
    else:
        try:
            S.supplier_approve(actor=actor_of(request), supplier=supplier, **form.cleaned_data)
        except (ValidationError, PermissionDenied, ConflictError) as exc:
            refusal_show(request, exc)
        else:
            messages.success(request, _("The supplier was approved."))
    return redirect("masterdata:supplier_detail", pk=supplier.pk)


@login_required
@require_POST
def supplier_status(request: HttpRequest, pk: int) -> HttpResponseBase:
    supplier = _object(request, KINDS["supplier"], pk)
    check(request, "masterdata.set_status_supplier", supplier)
    form = F.StatusForm(request.POST, prefix="status")
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, str(error))
    else:
        try:
            S.supplier_status_set(actor=actor_of(request), supplier=supplier, **form.cleaned_data)
        except (ValidationError, PermissionDenied, ConflictError) as exc:
            refusal_show(request, exc)
        else:
            messages.success(request, _("The supplier's status was changed."))
    return redirect("masterdata:supplier_detail", pk=supplier.pk)


# --- Excel: export, template, import ------------------------------------------------------


def _sheet(key: str) -> T.Sheet:
    try:
        return T.SHEETS[key]
    except KeyError:
        raise Http404 from None


def _xlsx(content: bytes, name: str) -> HttpResponse:
    response = HttpResponse(content, content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    response["X-Content-Type-Options"] = "nosniff"
    return response


@login_required
@require_GET
def sheet_export(request: HttpRequest, sheet: str) -> HttpResponse:
    found = _sheet(sheet)
    check(request, f"masterdata.view_{found.model._meta.model_name}")
    rows = found.rows(request.user)
    day = timezone.localdate()
    return _xlsx(T.export_xlsx(found, rows.iterator(chunk_size=2000)), f"{sheet}-{day}.xlsx")


@login_required
@require_GET
def sheet_template(request: HttpRequest, sheet: str) -> HttpResponse:
    found = _sheet(sheet)
    if sheet not in T.IMPORTABLE:
        raise Http404
    check(request, f"masterdata.view_{found.model._meta.model_name}")
    return _xlsx(T.template_xlsx(found), f"{sheet}-template.xlsx")


@login_required
@GET_POST
def sheet_import(request: HttpRequest, sheet: str) -> HttpResponseBase:
    found = _sheet(sheet)
    if sheet not in T.IMPORTABLE:
        raise Http404
    check(request, "masterdata.import_masterdata")
    check(request, found.perm_add)
    check(request, found.perm_change)
    form = F.ImportForm(request.POST or None, request.FILES or None)
    result = None
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            result = T.import_xlsx(
                actor=actor_of(request), sheet=found, file=upload, file_name=upload.name[:100]
            )
        except PermissionDenied as exc:
            form.add_error(None, str(exc))
        else:
            if result.ok:
                messages.success(
                    request,
                    _("Imported: %(created)d created, %(updated)d updated, %(unchanged)d "
                      "unchanged.")
                    % {"created": result.created, "updated": result.updated,
                       "unchanged": result.unchanged},
                )  # fmt: skip
    kind = next(k for k in KINDS.values() if k.sheet == sheet)
    return render(
        request,
        "masterdata/import.html",
        {
            "sheet": found,
            "sheet_key": sheet,
            "kind": kind,
            "form": form,
            "result": result,
            "nav": _nav(request, kind.key),
        },
    )
