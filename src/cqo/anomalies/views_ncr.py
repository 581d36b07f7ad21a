"""Pages of the NCR core (§6 c)): the list (filters, keyset pages, Excel), the phone-friendly
form with photos, the NCR's page with its containment and the sections the other parts add, and
the defect catalogue (list, add, import)."""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import URLPattern, path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from cqo.accounts.actors import actor_of
from cqo.core.uploads import file_response
from cqo.core.views import GET_POST, check, errors_apply, refusal_show
from cqo.masterdata.models import Customer, DefectClass, Item, Lot, Shipment, Supplier

from . import selectors_ncr as sel
from . import services_defects, transfer_ncr
from . import services_ncr as services
from .models_ncr import AnomalySource, AnomalyStatus, DefectCode, FoundAt
from .sections import sections_render_list

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DEFECT_ROWS = 3


def _int(value: str | None) -> int | None:
    text = (value or "").strip()
    return int(text) if text.isascii() and text.isdigit() and len(text) < 12 else None


def _filters(request: HttpRequest) -> dict[str, Any]:
    params = request.GET
    status = params.get("status", "")
    status = status if status in AnomalyStatus.values or status == sel.OPEN_ANY else ""
    age = params.get("age", "")
    source = params.get("source", "")
    return {
        "status": status,
        "item": _int(params.get("item")),
        "supplier": _int(params.get("supplier")),
        "age": age if age in sel.AGES else "",
        "source": source if source in AnomalySource.values else "",
    }


@login_required
@require_GET
def ncr_list(request: HttpRequest) -> HttpResponseBase:
    check(request, "anomalies.view_anomaly")
    chosen = _filters(request)
    qs = sel.anomalies_filtered(request.user, **chosen)
    page = sel.anomalies_page(qs, after=request.GET.get("after", ""))
    count, more = sel.count_capped(qs)
    now = timezone.now()
    for row in page.rows:
        row.days_open = ((row.closed_at or now) - row.raised_at).days  # type: ignore[attr-defined]
    query = {k: v for k, v in request.GET.items() if k != "after" and v}
    return render(
        request,
        "anomalies/ncr/ncr_list.html",
        {
            "page": page,
            "count": count,
            "more": more,
            **chosen,
            "statuses": [(sel.OPEN_ANY, _("Not closed")), *AnomalyStatus.choices],
            "sources": AnomalySource.choices,
            "ages": [(key, label) for key, (label, _low, _high) in sel.AGES.items()],
            "items": Item.objects.filter(voided_at__isnull=True).only("id", "part_number", "name"),
            "suppliers": Supplier.objects.filter(voided_at__isnull=True).only("id", "code", "name"),
            "query": query,
            "may_raise": request.user.has_perm("anomalies.add_anomaly"),
        },
    )


@login_required
@require_GET
def ncr_export(request: HttpRequest) -> HttpResponseBase:
    check(request, "anomalies.export_anomaly")
    qs = sel.list_rows(sel.anomalies_filtered(request.user, **_filters(request)))
    data = transfer_ncr.ncr_list_xlsx(qs[: transfer_ncr.EXPORT_LIMIT].iterator(chunk_size=2000))
    response = HttpResponse(data, content_type=XLSX)
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    response["Content-Disposition"] = f'attachment; filename="ncrs-{stamp}.xlsx"'
    return response


# --- raising an NCR (a phone form with photos) ---------------------------------------------------


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultiplePhotoField(forms.FileField):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault(
            "widget",
            MultipleFileInput(
                attrs={"accept": "image/*,application/pdf", "capture": "environment"}
            ),
        )
        super().__init__(*args, **kwargs)

    def clean(self, data: Any, initial: Any = None) -> Any:
        single = super().clean
        if isinstance(data, (list, tuple)):
            return [single(d, initial) for d in data if d]
        return [single(data, initial)] if data else []


class NcrForm(forms.Form):
    title = forms.CharField(label=gettext_lazy("What is wrong"), max_length=200)
    item = forms.ModelChoiceField(
        label=gettext_lazy("Item"), queryset=Item.objects.none(), required=False
    )
    lot_numbers = forms.CharField(
        label=gettext_lazy("Lot numbers"),
        required=False,
        max_length=600,
        help_text=gettext_lazy("Separate several lots with commas or spaces."),
    )
    quantity = forms.DecimalField(
        label=gettext_lazy("Nonconforming quantity"),
        required=False,
        max_digits=14,
        decimal_places=3,
        min_value=Decimal(0),
        help_text=gettext_lazy("Leave empty to take the whole quantity of the lots."),
    )
    found_at = forms.ChoiceField(label=gettext_lazy("Where found"), choices=FoundAt.choices)
    found_on = forms.DateField(
        label=gettext_lazy("Found on"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    description = forms.CharField(
        label=gettext_lazy("Description"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    photos = MultiplePhotoField(label=gettext_lazy("Photos"), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["item"].queryset = Item.objects.filter(voided_at__isnull=True)  # type: ignore[attr-defined]
        codes = DefectCode.objects.filter(voided_at__isnull=True).order_by("family", "code")
        for n in range(1, DEFECT_ROWS + 1):
            self.fields[f"defect_{n}"] = forms.ModelChoiceField(
                label=_("Defect %(n)d") % {"n": n}, queryset=codes, required=False
            )
            self.fields[f"defect_{n}_quantity"] = forms.DecimalField(
                label=_("Quantity with defect %(n)d") % {"n": n},
                required=False,
                max_digits=14,
                decimal_places=3,
                min_value=Decimal(0),
            )
        if not self.is_bound:
            self.initial.setdefault("found_on", timezone.localdate())

    def clean_lot_numbers(self) -> list[Lot]:
        numbers = [n for n in re.split(r"[\s,，;；]+", self.cleaned_data["lot_numbers"]) if n]
        if len(numbers) > 50:
            raise forms.ValidationError(_("At most %(n)d lots at once.") % {"n": 50})
        found = {lot.number: lot for lot in Lot.objects.filter(number__in=numbers)}
        missing = [n for n in numbers if n not in found]
        if missing:
            raise forms.ValidationError(_("No lot with number “%(v)s”.") % {"v": missing[0][:60]})
        return [found[n] for n in dict.fromkeys(numbers)]

    def defect_lines(self) -> list[services.DefectLine]:
        lines = []
        for n in range(1, DEFECT_ROWS + 1):
            defect = self.cleaned_data.get(f"defect_{n}")
            if defect is not None:
                quantity = self.cleaned_data.get(f"defect_{n}_quantity") or Decimal(0)
                lines.append(services.DefectLine(defect=defect, quantity=quantity))
        return lines


# A service's field → the form's field it is shown on.
FIELD_OF = {"lots": "lot_numbers", "defects": "defect_1"}


def _errors_apply(form: forms.Form, exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        exc = ValidationError({FIELD_OF.get(k, k): v for k, v in exc.error_dict.items()})
    errors_apply(form, exc)


@login_required
@GET_POST
def ncr_new(request: HttpRequest) -> HttpResponseBase:
    check(request, "anomalies.add_anomaly")
    form = NcrForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            ncr = services.anomaly_raise(
                actor=actor_of(request),
                title=data["title"],
                description=data["description"],
                item=data["item"],
                found_at=data["found_at"],
                found_on=data["found_on"],
                quantity=data["quantity"],
                lots=[services.LotLine(lot=lot) for lot in data["lot_numbers"]],
                defects=form.defect_lines(),
                photos=data["photos"],
            )
        except ValidationError as exc:
            _errors_apply(form, exc)
        except PermissionDenied as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("NCR %(number)s was raised.") % {"number": ncr.number})
            return redirect("anomalies:ncr_detail", pk=ncr.pk)
    return render(request, "anomalies/ncr/ncr_form.html", {"form": form})


# --- the NCR's page ------------------------------------------------------------------------------


class ReasonForm(forms.Form):
    reason = forms.CharField(label=gettext_lazy("Reason"), widget=forms.Textarea(attrs={"rows": 2}))


def _detail_context(request: HttpRequest, ncr: Any) -> dict[str, Any]:
    user = request.user
    lots = sel.anomaly_lots(ncr)
    return {
        "ncr": ncr,
        "lots": lots,
        "held": [row for row in lots if row.hold_id and row.hold and row.hold.lifted_at is None],
        "defects": sel.anomaly_defects(ncr),
        "photos": sel.anomaly_photos(ncr),
        "notices": sel.anomaly_notices(ncr),
        "shipped": sel.shipped_lines(ncr),
        "sections": sections_render_list(request, ncr),
        "obstacles": services.closure_obstacles(ncr) if ncr.is_open else [],
        "next_statuses": [
            (s, AnomalyStatus(s).label)
            for s in services.TRANSITIONS.get(AnomalyStatus(ncr.status), ())
        ],
        "may_contain": ncr.is_open and user.has_perm("anomalies.contain_anomaly", ncr),
        "may_change": ncr.is_open and user.has_perm("anomalies.change_anomaly", ncr),
        "may_close": ncr.is_open and user.has_perm("anomalies.close_anomaly", ncr),
        "may_void": ncr.is_open and user.has_perm("anomalies.void_anomaly", ncr),
    }


@login_required
@require_GET
def ncr_detail(request: HttpRequest, pk: int) -> HttpResponseBase:
    check(request, "anomalies.view_anomaly")
    ncr = sel.anomaly_detail(request.user, pk)
    if ncr is None:
        raise Http404
    return render(request, "anomalies/ncr/ncr_detail.html", _detail_context(request, ncr))


def _decimal(value: Any) -> Any:
    return (value or "").strip() if isinstance(value, str) else value


def _act(request: HttpRequest, ncr: Any, action: str) -> str:
    """Run one action of the NCR's page; answers the message shown when it went through."""
    post = request.POST
    actor = actor_of(request)
    if action == "contain":
        held = services.containment_hold(actor=actor, anomaly=ncr, reason=post.get("reason", ""))
        return _("%(n)d lots held.") % {"n": len(held)}
    if action == "lift":
        row = _row(ncr, post.get("row"))
        services.containment_lift(actor=actor, anomaly_lot=row, reason=post.get("reason", ""))
        return _("The hold on lot %(lot)s was lifted.") % {"lot": row.lot.number}
    if action == "sort":
        row = _row(ncr, post.get("row"))
        services.sorting_record(
            actor=actor, anomaly_lot=row, sorted_quantity=_decimal(post.get("sorted_quantity")),
            bad_quantity=_decimal(post.get("bad_quantity")), note=post.get("note", ""),
        )  # fmt: skip
        return _("Sorting of lot %(lot)s recorded.") % {"lot": row.lot.number}
    if action == "lot_add":
        number = (post.get("lot_number") or "").strip()[:60]
        lot = Lot.objects.filter(number=number).first()
        if lot is None:
            raise ValidationError({"lot": _("No lot with number “%(v)s”.") % {"v": number}})
        services.anomaly_lot_add(
            actor=actor, anomaly=ncr, lot=lot, quantity=_decimal(post.get("quantity"))
        )
        return _("Lot %(lot)s added.") % {"lot": lot.number}
    if action == "notify":
        shipment = (
            Shipment.objects.select_related("customer")
            .filter(pk=_int(post.get("shipment")) or 0)
            .first()
        )
        customer = Customer.objects.filter(pk=_int(post.get("customer")) or 0).first() or (
            shipment.customer if shipment is not None else None
        )
        if customer is None:
            raise ValidationError({"customer": _("Choose a customer.")})
        services.customer_notify(
            actor=actor, anomaly=ncr, customer=customer, shipment=shipment,
            note=post.get("note", ""),
        )  # fmt: skip
        return _("Customer %(customer)s notified.") % {"customer": customer.code}
    if action == "status":
        services.anomaly_status_set(
            actor=actor, anomaly=ncr, status=post.get("status", ""), reason=post.get("reason", "")
        )
        return _("Status changed.")
    if action == "assign":
        from cqo.accounts.models import User

        owner = User.objects.filter(pk=_int(post.get("owner")) or 0, is_active=True).first()
        services.anomaly_assign(actor=actor, anomaly=ncr, owner=owner)
        return _("Quality engineer named.")
    if action == "photo":
        files = request.FILES.getlist("photos")
        if not files:
            raise ValidationError({"photos": _("Choose a photo.")})
        services.anomaly_photos_add(actor=actor, anomaly=ncr, photos=files)
        return _("%(n)d photos added.") % {"n": len(files)}
    if action == "close":
        services.anomaly_close(actor=actor, anomaly=ncr, note=post.get("note", ""))
        return _("NCR %(number)s was closed.") % {"number": ncr.number}
    if action == "void":
        services.anomaly_void(actor=actor, anomaly=ncr, reason=post.get("reason", ""))
        return _("NCR %(number)s was voided.") % {"number": ncr.number}
    raise ValidationError({"action": _("Choose an action.")})


def _row(ncr: Any, value: Any) -> Any:
    row = next((r for r in sel.anomaly_lots(ncr) if r.pk == _int(value)), None)
    if row is None:
        raise ValidationError({"lot": _("This lot is not on the NCR.")})
    return row


@login_required
@require_POST
def ncr_act(request: HttpRequest, pk: int) -> HttpResponseBase:
    """The buttons of the NCR's page; each service checks its own permission and refuses with
    the field and the clause."""
    check(request, "anomalies.view_anomaly")
    ncr = sel.anomaly_detail(request.user, pk)
    if ncr is None:
        raise Http404
    try:
        done = _act(request, ncr, request.POST.get("action", ""))
    except (PermissionDenied, ValidationError) as exc:
        refusal_show(request, exc)
    else:
        messages.success(request, done)
    return redirect("anomalies:ncr_detail", pk=ncr.pk)


@login_required
@require_GET
def ncr_photo(request: HttpRequest, pk: int) -> HttpResponseBase:
    check(request, "anomalies.view_anomalyphoto")
    photo = sel.photo_of(request.user, pk)
    if photo is None:
        raise Http404
    return file_response(photo.file, filename=photo.name, allowed=services.PHOTO_KINDS)


# --- the defect catalogue -------------------------------------------------------------------------


class DefectCodeForm(forms.Form):
    family = forms.CharField(label=gettext_lazy("Item family"), max_length=60)
    code = forms.CharField(label=gettext_lazy("Defect code"), max_length=30)
    name = forms.CharField(label=gettext_lazy("Name"), max_length=200)
    name_en = forms.CharField(label=gettext_lazy("Name (English)"), max_length=200, required=False)
    defect_class = forms.ChoiceField(
        label=gettext_lazy("Defect class"), choices=DefectClass.choices
    )
    description = forms.CharField(
        label=gettext_lazy("Description"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class ImportForm(forms.Form):
    file = forms.FileField(label=gettext_lazy("Excel file (.xlsx)"))


@login_required
@require_GET
def defect_list(request: HttpRequest) -> HttpResponseBase:
    check(request, "anomalies.view_defectcode")
    family = (request.GET.get("family") or "").strip()[:60]
    q = (request.GET.get("q") or "").strip()[:60]
    codes = sel.defect_codes_filtered(request.user, family=family, q=q)
    page = Paginator(codes, 100).get_page(request.GET.get("page"))
    return render(
        request,
        "anomalies/ncr/defect_list.html",
        {
            "page": page,
            "family": family,
            "q": q,
            "families": sel.defect_families(request.user),
            "may_add": request.user.has_perm("anomalies.add_defectcode"),
        },
    )


@login_required
@GET_POST
def defect_new(request: HttpRequest) -> HttpResponseBase:
    check(request, "anomalies.add_defectcode")
    form = DefectCodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            code = services_defects.defect_code_create(actor=actor_of(request), **form.cleaned_data)
        except ValidationError as exc:
            errors_apply(form, exc)
        except PermissionDenied as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("Defect code %(code)s added.") % {"code": code.code})
            return redirect("anomalies:defect_list")
    return render(request, "anomalies/ncr/defect_form.html", {"form": form})


@login_required
@GET_POST
def defect_import(request: HttpRequest) -> HttpResponseBase:
    check(request, "anomalies.import_defectcode")
    form = ImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        file = form.cleaned_data["file"]
        try:
            added, updated = services_defects.defect_codes_import(
                actor=actor_of(request),
                rows=transfer_ncr.defect_rows(file),
                file_name=str(getattr(file, "name", "")),
            )
        except ValidationError as exc:
            errors_apply(form, exc)
        except PermissionDenied as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(
                request,
                _("%(added)d defect codes added, %(updated)d changed.")
                % {"added": added, "updated": updated},
            )
            return redirect("anomalies:defect_list")
    return render(
        request,
        "anomalies/ncr/defect_import.html",
        {"form": form, "columns": transfer_ncr.DEFECT_COLUMNS},
    )


@login_required
@require_GET
def defect_template(request: HttpRequest) -> HttpResponseBase:
    check(request, "anomalies.import_defectcode")
    response = HttpResponse(transfer_ncr.defect_template_xlsx(), content_type=XLSX)
    response["Content-Disposition"] = 'attachment; filename="defect-codes.xlsx"'
    return response


urlpatterns: list[URLPattern] = [
    path("ncrs/", ncr_list, name="ncr_list"),
    path("ncrs/export.xlsx", ncr_export, name="ncr_export"),
    path("ncrs/new/", ncr_new, name="ncr_new"),
    path("ncrs/<int:pk>/", ncr_detail, name="ncr_detail"),
    path("ncrs/<int:pk>/act/", ncr_act, name="ncr_act"),
    path("ncrs/photos/<int:pk>/", ncr_photo, name="ncr_photo"),
    path("defects/", defect_list, name="defect_list"),
    path("defects/new/", defect_new, name="defect_new"),
    path("defects/import/", defect_import, name="defect_import"),
    path("defects/template.xlsx", defect_template, name="defect_template"),
]
