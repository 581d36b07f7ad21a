"""Pages of the inspection app: lots part (the lot list, the lot page's shell, receipts)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
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
from . import switching, transfer_lots
from .models import InspectionStatus, Severity, UsageDecision


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
        label=gettext_lazy("Date received"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
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


class ReceiptImportForm(forms.Form):
    file = forms.FileField(label=gettext_lazy("Excel file (.xlsx)"))


@login_required
@GET_POST
def receipt_import(request: HttpRequest) -> HttpResponseBase:
    """Receipts in bulk from Excel, all or nothing."""
    check(request, "inspection.add_inspectionlot")
    form = ReceiptImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            lots = transfer_lots.receipts_import(
                actor=actor_of(request), file=form.cleaned_data["file"]
            )
        except ValidationError as exc:
            errors_apply(form, exc)
        except PermissionDenied as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(
                request,
                _("%(n)d lots were received and their inspection lots drawn.") % {"n": len(lots)},
            )
            return redirect("inspection:lot_list")
    return render(
        request,
        "inspection/lots/receipt_import.html",
        {"form": form, "columns": transfer_lots.COLUMNS},
    )


# --- switching streams (GB/T 2828.1 clause 9) ----------------------------------------------------


class ReasonForm(forms.Form):
    reason = forms.CharField(label=gettext_lazy("Reason"), widget=forms.Textarea(attrs={"rows": 2}))


class ReducedTableForm(forms.Form):
    file = forms.FileField(label=gettext_lazy("Table 2-C (CSV or Excel: code, aql, n, ac, re)"))
    source = forms.CharField(
        label=gettext_lazy("Source of the table"),
        max_length=200,
        help_text=gettext_lazy("The edition and copy of GB/T 2828.1 the table was taken from."),
    )


@login_required
@require_GET
def stream_list(request: HttpRequest) -> HttpResponseBase:
    check(request, "inspection.view_switchingstream")
    state = request.GET.get("state", "")
    state = state if state in Severity.values else ""
    gate = request.GET.get("gate", "")
    gate = gate if gate in Gate.values else ""
    streams = sel.streams_filtered(request.user, state=state, gate=gate)
    page = Paginator(streams, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "inspection/streams/stream_list.html",
        {
            "page": page,
            "state": state,
            "gate": gate,
            "states": Severity.choices,
            "gates": Gate.choices,
            "table": switching.reduced_table_in_use(),
            "may_import": request.user.has_perm("inspection.add_reducedtable"),
        },
    )


@login_required
@GET_POST
def stream_detail(request: HttpRequest, pk: int) -> HttpResponseBase:
    check(request, "inspection.view_switchingstream")
    stream = sel.streams_visible(request.user).filter(pk=pk).first()
    if stream is None:
        raise Http404
    action = request.POST.get("action", "") if request.method == "POST" else ""
    form = ReasonForm(request.POST if action else None)
    if request.method == "POST":
        check(request, "inspection.resume_switchingstream" if action == "resume"
              else "inspection.approve_reduced_switchingstream", stream)  # fmt: skip
        if form.is_valid():
            reason = form.cleaned_data["reason"]
            actor = actor_of(request)
            try:
                if action == "resume":
                    switching.stream_resume(actor=actor, stream=stream, reason=reason)
                    done = _("Inspection was restored, on tightened inspection.")
                elif action in ("reduced_approve", "reduced_withdraw"):
                    switching.stream_reduced_approve(
                        actor=actor, stream=stream, reason=reason,
                        approved=action == "reduced_approve",
                    )  # fmt: skip
                    done = _("The decision on reduced inspection was recorded.")
                else:
                    raise ValidationError({"reason": _("Choose an action.")})
            except ValidationError as exc:
                errors_apply(form, exc)
            except PermissionDenied as exc:
                form.add_error(None, str(exc))
            else:
                messages.success(request, done)
                return redirect("inspection:stream_detail", pk=stream.pk)
    return render(
        request,
        "inspection/streams/stream_detail.html",
        {
            "stream": stream,
            "events": sel.stream_events(stream),
            "lots": sel.stream_lots(stream),
            "form": form,
            "action": action,
            "may_resume": request.user.has_perm("inspection.resume_switchingstream", stream),
            "may_reduce": request.user.has_perm(
                "inspection.approve_reduced_switchingstream", stream
            ),
            "table": switching.reduced_table_in_use(),
        },
    )


@login_required
@GET_POST
def reduced_table(request: HttpRequest) -> HttpResponseBase:
    """Table 2-C import: the CQO only; the shipped tables are 2-A and 2-B."""
    check(request, "inspection.add_reducedtable")
    form = ReducedTableForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            table = switching.reduced_table_import(actor=actor_of(request), **form.cleaned_data)
        except ValidationError as exc:
            errors_apply(form, exc)
        except PermissionDenied as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(
                request,
                _("Table 2-C was imported (%(n)d plans, SHA-256 %(sha)s).")
                % {"n": len(table.rows), "sha": table.sha256[:12]},
            )
            return redirect("inspection:stream_list")
    return render(
        request,
        "inspection/streams/reduced_table.html",
        {"form": form, "tables": switching.reduced_tables()},
    )


urlpatterns: list[URLPattern] = [
    path("streams/", stream_list, name="stream_list"),
    path("streams/<int:pk>/", stream_detail, name="stream_detail"),
    path("streams/table-2c/", reduced_table, name="reduced_table"),
    path("lots/", lot_list, name="lot_list"),
    path("lots/<int:pk>/", lot_detail, name="lot_detail"),
    path("receipts/new/", receipt_new, name="receipt_new"),
    path("receipts/import/", receipt_import, name="receipt_import"),
]
