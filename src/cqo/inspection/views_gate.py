"""Pages of the gate (§6 e)): a lot's release and holds, the lots on hold, and shipments (OQC)
with their release, which the CQO may veto (§6 i))."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import URLPattern, path, reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from cqo.accounts.actors import actor_of
from cqo.authorities.views import _veto_context
from cqo.core.views import GET_POST, can, check, errors_apply, refusal_show
from cqo.masterdata import stock
from cqo.masterdata.models import Customer, Lot, Shipment, ShipmentStatus

from . import selectors_gate as sel

# --- forms ----------------------------------------------------------------------------------------


class ReleaseForm(forms.Form):
    reason = forms.CharField(
        label=gettext_lazy("Note"), required=False, max_length=2000,
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )  # fmt: skip


class HoldForm(forms.Form):
    reason = forms.CharField(label=gettext_lazy("Reason for the hold"), max_length=2000)
    clause = forms.ChoiceField(
        label=gettext_lazy("Clause"),
        choices=[("§6 e)", "§6 e)"), ("§6 c)", "§6 c)"), ("§6 d)", "§6 d)"),
                 ("§7.2.1.3", "§7.2.1.3"), ("§7.2.1.4", "§7.2.1.4")],
        initial="§6 e)",
    )  # fmt: skip


class LiftForm(forms.Form):
    reason = forms.CharField(label=gettext_lazy("Reason for lifting"), max_length=2000)


class ShipmentForm(forms.Form):
    customer = forms.ModelChoiceField(
        label=gettext_lazy("Customer"), queryset=Customer.objects.none()
    )
    planned_on = forms.DateField(
        label=gettext_lazy("Planned shipping date"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    order_number = forms.CharField(
        label=gettext_lazy("Order number"), max_length=60, required=False
    )
    number = forms.CharField(
        label=gettext_lazy("Shipment number"), max_length=60, required=False,
        help_text=gettext_lazy("Left blank, the next number of the planned day is given."),
    )  # fmt: skip

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["customer"].queryset = Customer.objects.filter(voided_at__isnull=True)  # type: ignore[attr-defined]
        if not self.is_bound:
            self.initial.setdefault("planned_on", timezone.localdate())


class LineForm(forms.Form):
    lot = forms.CharField(label=gettext_lazy("Lot number"), max_length=60)
    quantity = forms.DecimalField(
        label=gettext_lazy("Quantity"), max_digits=14, decimal_places=3, min_value=0
    )


# --- helpers --------------------------------------------------------------------------------------


def _lot(request: HttpRequest, pk: int) -> Lot:
    check(request, "masterdata.view_lot")
    lot = sel.lots_visible(request.user).filter(pk=pk).first()
    if lot is None:
        raise Http404
    return lot


def _shipment(request: HttpRequest, pk: int) -> Shipment:
    check(request, "masterdata.view_shipment")
    shipment = sel.shipments_visible(request.user).filter(pk=pk).first()
    if shipment is None:
        raise Http404
    return shipment


def _back(request: HttpRequest, fallback: str) -> HttpResponseBase:
    """Back to the page the form was on (the inspection lot's page), else ``fallback``."""
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return redirect(target)
    return redirect(fallback)


def _form_errors(request: HttpRequest, form: forms.Form) -> None:
    for field, errors in form.errors.items():
        label = form.fields[field].label if field in form.fields else ""
        for error in errors:
            messages.error(request, f"{label}: {error}" if label else str(error))


def gate_context(request: HttpRequest, lot: Lot) -> dict[str, Any]:
    """What ``inspection/gate/_gate_panel.html`` shows: the status, why it may not be released,
    the holds and the forms the user may use."""
    status = stock.lot_release_status(lot)
    holds = list(stock.holds_open(lot).select_related("placed_by"))
    for hold in holds:
        hold.is_veto = hold.source.startswith(stock.VETO_SOURCE)  # type: ignore[attr-defined]
    perms = can(
        request, "masterdata.release_lot", "masterdata.add_lothold", "masterdata.lift_lothold",
        obj=lot,
    )  # fmt: skip
    return {
        "gate_lot": lot,
        "gate": status,
        "gate_holds": holds,
        "gate_warnings": stock.release_warnings(lot),
        "gate_may": perms,
        "gate_release_form": ReleaseForm(prefix="release"),
        "gate_hold_form": HoldForm(prefix="hold"),
        "gate_next": request.get_full_path(),
    }


# --- a lot at the gate ----------------------------------------------------------------------------


@login_required
def lot_gate(request: HttpRequest, pk: int) -> HttpResponseBase:
    lot = _lot(request, pk)
    return render(
        request,
        "inspection/gate/lot_gate.html",
        {"lot": lot, **gate_context(request, lot), **_veto_context(request, lot)},
    )


@login_required
@require_POST
def lot_release(request: HttpRequest, pk: int) -> HttpResponseBase:
    lot = _lot(request, pk)
    check(request, "masterdata.release_lot", lot)
    back = reverse("inspection:lot_gate", args=[lot.pk])
    form = ReleaseForm(request.POST, prefix="release")
    if not form.is_valid():
        _form_errors(request, form)
        return _back(request, back)
    try:
        stock.lot_release(actor=actor_of(request), lot=lot, reason=form.cleaned_data["reason"])
    except (PermissionDenied, ValidationError) as exc:
        refusal_show(request, exc)
    else:
        messages.success(request, _("Lot %(lot)s was released.") % {"lot": lot.number})
        for warning in stock.release_warnings(lot)[-1:]:
            messages.warning(request, warning["text"])
    return _back(request, back)


@login_required
@require_POST
def lot_hold_place(request: HttpRequest, pk: int) -> HttpResponseBase:
    lot = _lot(request, pk)
    check(request, "masterdata.add_lothold", lot)
    back = reverse("inspection:lot_gate", args=[lot.pk])
    form = HoldForm(request.POST, prefix="hold")
    if not form.is_valid():
        _form_errors(request, form)
        return _back(request, back)
    try:
        stock.lot_hold_place(actor=actor_of(request), lot=lot, **form.cleaned_data)
    except (PermissionDenied, ValidationError) as exc:
        refusal_show(request, exc)
    else:
        messages.success(request, _("Lot %(lot)s is held.") % {"lot": lot.number})
    return _back(request, back)


@login_required
@require_POST
def hold_lift(request: HttpRequest, pk: int) -> HttpResponseBase:
    check(request, "masterdata.view_lothold")
    hold = sel.holds_visible(request.user).filter(pk=pk).first()
    if hold is None:
        raise Http404
    check(request, "masterdata.lift_lothold", hold)
    back = reverse("inspection:lot_gate", args=[hold.lot_id])
    form = LiftForm(request.POST)
    if not form.is_valid():
        _form_errors(request, form)
        return _back(request, back)
    try:
        stock.lot_hold_lift(actor=actor_of(request), hold=hold, reason=form.cleaned_data["reason"])
    except (PermissionDenied, ValidationError) as exc:
        refusal_show(request, exc)
    else:
        messages.success(request, _("The hold was lifted."))
    return _back(request, back)


@login_required
def hold_list(request: HttpRequest) -> HttpResponseBase:
    """The lots on hold, oldest hold first: what the gate is keeping back, and why."""
    check(request, "masterdata.view_lothold")
    holds = list(sel.holds_open(request.user).order_by("placed_at", "id")[:500])
    return render(
        request,
        "inspection/gate/hold_list.html",
        {
            "holds": holds,
            "may_lift": request.user.has_perm("masterdata.lift_lothold"),
            "lift_form": LiftForm(),
            "today": timezone.localdate(),
        },
    )


# --- shipments ------------------------------------------------------------------------------------


@login_required
def shipment_list(request: HttpRequest) -> HttpResponseBase:
    check(request, "masterdata.view_shipment")
    status = request.GET.get("status", "")
    return render(
        request,
        "inspection/gate/shipment_list.html",
        {
            "shipments": sel.shipments_visible(request.user, status=status)[:300],
            "statuses": ShipmentStatus.choices,
            "status": status,
            "may_add": request.user.has_perm("masterdata.add_shipment"),
        },
    )


@login_required
@GET_POST
def shipment_create(request: HttpRequest) -> HttpResponseBase:
    check(request, "masterdata.add_shipment")
    form = ShipmentForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            shipment = stock.shipment_create(actor=actor_of(request), **form.cleaned_data)
        except ValidationError as exc:
            errors_apply(form, exc)
        except PermissionDenied as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("Shipment %(n)s was created; add its lots.")
                             % {"n": shipment.number})  # fmt: skip
            return redirect("inspection:shipment_detail", pk=shipment.pk)
    return render(request, "inspection/gate/shipment_create.html", {"form": form})


@login_required
@GET_POST
def shipment_detail(request: HttpRequest, pk: int) -> HttpResponseBase:
    """A shipment, its lots and whether it may go; adding a lot is the form on this page."""
    shipment = _shipment(request, pk)
    may = can(
        request, "masterdata.change_shipment", "masterdata.release_shipment",
        "masterdata.ship_shipment", obj=shipment,
    )  # fmt: skip
    line_form = LineForm(request.POST or None)
    if request.method == "POST":
        check(request, "masterdata.change_shipment", shipment)
        if line_form.is_valid():
            lot = sel.lot_by_key(request.user, line_form.cleaned_data["lot"])
            if lot is None:
                line_form.add_error("lot", _("No lot has this number."))
            else:
                try:
                    stock.shipment_line_add(
                        actor=actor_of(request), shipment=shipment, lot=lot,
                        quantity=line_form.cleaned_data["quantity"],
                    )  # fmt: skip
                except ValidationError as exc:
                    errors_apply(line_form, exc)
                except PermissionDenied as exc:
                    line_form.add_error(None, str(exc))
                else:
                    messages.success(request, _("Lot %(lot)s was added.") % {"lot": lot.number})
                    return redirect("inspection:shipment_detail", pk=shipment.pk)
    return render(
        request,
        "inspection/gate/shipment_detail.html",
        {
            "shipment": shipment,
            "lines": list(stock.shipment_lines(shipment)),
            "release": stock.shipment_release_status(shipment),
            "may": may,
            "line_form": line_form,
            "release_form": ReleaseForm(prefix="release"),
            "is_draft": shipment.status == ShipmentStatus.DRAFT,
            "is_released": shipment.status == ShipmentStatus.RELEASED,
            **_veto_context(request, shipment),
        },
    )


@login_required
@require_POST
def shipment_release(request: HttpRequest, pk: int) -> HttpResponseBase:
    shipment = _shipment(request, pk)
    check(request, "masterdata.release_shipment", shipment)
    form = ReleaseForm(request.POST, prefix="release")
    reason = form.cleaned_data["reason"] if form.is_valid() else ""
    try:
        stock.shipment_release(actor=actor_of(request), shipment=shipment, reason=reason)
    except (PermissionDenied, ValidationError) as exc:
        refusal_show(request, exc)
    else:
        messages.success(request, _("Shipment %(n)s was released.") % {"n": shipment.number})
    return redirect("inspection:shipment_detail", pk=shipment.pk)


@login_required
@require_POST
def shipment_ship(request: HttpRequest, pk: int) -> HttpResponseBase:
    shipment = _shipment(request, pk)
    check(request, "masterdata.ship_shipment", shipment)
    try:
        stock.shipment_ship(actor=actor_of(request), shipment=shipment)
    except (PermissionDenied, ValidationError) as exc:
        refusal_show(request, exc)
    else:
        messages.success(request, _("Shipment %(n)s was shipped.") % {"n": shipment.number})
    return redirect("inspection:shipment_detail", pk=shipment.pk)


urlpatterns: list[URLPattern] = [
    path("gate/lots/<int:pk>/", lot_gate, name="lot_gate"),
    path("gate/lots/<int:pk>/release/", lot_release, name="lot_release"),
    path("gate/lots/<int:pk>/hold/", lot_hold_place, name="lot_hold_place"),
    path("gate/holds/", hold_list, name="hold_list"),
    path("gate/holds/<int:pk>/lift/", hold_lift, name="hold_lift"),
    path("gate/shipments/", shipment_list, name="shipment_list"),
    path("gate/shipments/new/", shipment_create, name="shipment_create"),
    path("gate/shipments/<int:pk>/", shipment_detail, name="shipment_detail"),
    path("gate/shipments/<int:pk>/release/", shipment_release, name="shipment_release"),
    path("gate/shipments/<int:pk>/ship/", shipment_ship, name="shipment_ship"),
]
