"""Pages of the inspection app: lots part (the lot list, the lot page's shell, receipts)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import URLPattern, path
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET

from cqo.accounts.actors import actor_of
from cqo.core.views import GET_POST, check, errors_apply
from cqo.masterdata.models import Gate, Item, Supplier

from . import selectors_lots as sel
from . import services_lots as services
from .models import InspectionStatus, UsageDecision


def _int(value: str | None) -> int | None:
    text = (value or "").strip()
    return int(text) if text.isascii() and text.isdigit() and len(text) < 12 else None


@login_required
@require_GET
def lot_list(request: HttpRequest) -> HttpResponseBase:
    check(request, "inspection.view_inspectionlot")
    params = request.GET
    status = params.get("status", "")
    status = status if status in InspectionStatus.values else ""
    gate = params.get("gate", "")
    gate = gate if gate in Gate.values else ""
    decision = params.get("decision", "")
    decision = decision if decision in UsageDecision.values else ""
    supplier = _int(params.get("supplier"))
    qs = sel.lots_filtered(
        request.user, status=status, gate=gate, supplier=supplier, decision=decision
    )
    page = sel.lots_page(qs, after=params.get("after", ""))
    query = {k: v for k, v in params.items() if k != "after" and v}
    return render(
        request,
        "inspection/lots/lot_list.html",
        {
            "page": page,
            "status": status,
            "gate": gate,
            "decision": decision,
            "supplier": supplier,
            "statuses": InspectionStatus.choices,
            "gates": Gate.choices,
            "decisions": UsageDecision.choices,
            "suppliers": Supplier.objects.filter(voided_at__isnull=True).only("id", "code", "name"),
            "query": query,
            "may_receive": request.user.has_perm("inspection.add_inspectionlot"),
        },
    )


@login_required
@require_GET
def lot_detail(request: HttpRequest, pk: int) -> HttpResponseBase:
    check(request, "inspection.view_inspectionlot")
    ilot = sel.lot_detail(request.user, pk)
    if ilot is None:
        raise Http404
    return render(
        request,
        "inspection/lots/lot_detail.html",
        {
            "ilot": ilot,
            "lot": ilot.lot,
            "samplings": [s for s in ilot.samplings.all() if s.voided_at is None],
        },
    )


class ReceiptForm(forms.Form):
    item = forms.ModelChoiceField(
        label=capfirst(gettext_lazy("item")), queryset=Item.objects.none()
    )
    supplier = forms.ModelChoiceField(
        label=gettext_lazy("Supplier"), queryset=Supplier.objects.none()
    )
    supplier_batch = forms.CharField(label=gettext_lazy("Supplier batch"), max_length=60)
    quantity = forms.DecimalField(label=gettext_lazy("Quantity"), max_digits=14, decimal_places=3)
    arrived_on = forms.DateField(
        label=gettext_lazy("Date received"), widget=forms.DateInput(attrs={"type": "date"})
    )
    order_number = forms.CharField(
        label=gettext_lazy("Order number"), max_length=60, required=False
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["item"].queryset = Item.objects.filter(voided_at__isnull=True)  # type: ignore[attr-defined]
        self.fields["supplier"].queryset = Supplier.objects.filter(voided_at__isnull=True)  # type: ignore[attr-defined]
        if not self.is_bound:
            self.initial.setdefault("arrived_on", timezone.localdate())


@login_required
@GET_POST
def receipt_new(request: HttpRequest) -> HttpResponseBase:
    """The fast receipt form: a lot in, its inspection lot drawn, the next receipt at once."""
    check(request, "inspection.add_inspectionlot")
    form = ReceiptForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            ilot = services.receipt_create(actor=actor_of(request), **form.cleaned_data)
        except ValidationError as exc:
            errors_apply(form, exc)
        except PermissionDenied as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(
                request,
                _("Received: inspection lot %(number)s drawn (%(severity)s inspection).")
                % {"number": ilot.number, "severity": ilot.get_severity_display()},
            )
            if "another" in request.POST:
                return redirect("inspection:receipt_new")
            return redirect("inspection:lot_detail", pk=ilot.pk)
    return render(request, "inspection/lots/receipt_new.html", {"form": form})


urlpatterns: list[URLPattern] = [
    path("lots/", lot_list, name="lot_list"),
    path("lots/<int:pk>/", lot_detail, name="lot_detail"),
    path("receipts/new/", receipt_new, name="receipt_new"),
]
