"""Pages of customer complaints (§6 c)): the list with what is due and overdue, recording a
complaint (which opens its NCR), the complaint's page with its deadlines and steps, the response
policies per customer, and the Excel export."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import URLPattern, path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET

from cqo.accounts.actors import actor_of
from cqo.core.links import url_or_empty
from cqo.core.views import GET_POST, check, errors_apply, refusal_show
from cqo.masterdata import events
from cqo.masterdata.models import Customer, DefectClass, Item, Lot

from . import selectors_complaints as sel
from . import services_complaints as services
from . import transfer_complaints, views_mrb
from .models_complaints import OPEN_STATUSES, Complaint, ComplaintStatus

DATETIME_FORMAT = "%Y-%m-%dT%H:%M"


class ComplaintForm(forms.Form):
    customer = forms.ModelChoiceField(
        label=gettext_lazy("Customer"), queryset=Customer.objects.none()
    )
    item = forms.ModelChoiceField(label=gettext_lazy("Product"), queryset=Item.objects.none())
    lot_number = forms.CharField(label=gettext_lazy("Lot number"), required=False, max_length=60)
    serial = forms.CharField(label=gettext_lazy("Serial number"), required=False, max_length=80)
    customer_ref = forms.CharField(
        label=gettext_lazy("Customer's reference"), required=False, max_length=80
    )
    description = forms.CharField(
        label=gettext_lazy("Description"), widget=forms.Textarea(attrs={"rows": 4}),
        max_length=4000,
    )  # fmt: skip
    defect_class = forms.ChoiceField(
        label=gettext_lazy("Defect class"),
        choices=[("", "—"), *DefectClass.choices],
        required=False,
        help_text=gettext_lazy("A critical (CR) defect always asks for an 8D report."),
    )
    quantity = forms.DecimalField(
        label=gettext_lazy("Quantity concerned"), required=False, min_value=0, decimal_places=3,
        max_digits=14,
    )  # fmt: skip
    claim_amount = forms.DecimalField(
        label=gettext_lazy("Claim amount (yuan)"), required=False, min_value=0,
        decimal_places=2, max_digits=14,
    )  # fmt: skip
    received_at = forms.DateTimeField(
        label=gettext_lazy("Received at"),
        required=False,
        input_formats=[DATETIME_FORMAT, "%Y-%m-%d %H:%M", "%Y-%m-%d %H:%M:%S"],
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format=DATETIME_FORMAT),
        help_text=gettext_lazy("Empty: now. The deadlines run from this moment."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["customer"].queryset = Customer.objects.filter(  # type: ignore[attr-defined]
            voided_at__isnull=True
        ).order_by("code")
        self.fields["item"].queryset = Item.objects.filter(  # type: ignore[attr-defined]
            voided_at__isnull=True
        ).order_by("part_number")

    def clean_lot_number(self) -> Lot | None:
        number = (self.cleaned_data.get("lot_number") or "").strip()
        if not number:
            return None
        lot = Lot.objects.filter(number=number).first()
        if lot is None:
            raise ValidationError(_("No lot has this number."))
        return lot


class NoteForm(forms.Form):
    note = forms.CharField(
        label=gettext_lazy("Note"), widget=forms.Textarea(attrs={"rows": 2}), max_length=4000
    )


class PolicyForm(forms.Form):
    customer = forms.ModelChoiceField(
        label=gettext_lazy("Customer"),
        queryset=Customer.objects.none(),
        required=False,
        help_text=gettext_lazy("Leave empty for the default that applies to every other customer."),
    )
    containment_hours = forms.IntegerField(
        label=gettext_lazy("Containment within (hours)"), min_value=1, max_value=720, initial=24
    )
    eightd_days = forms.IntegerField(
        label=gettext_lazy("8D report within (days)"), min_value=1, max_value=365, initial=14
    )
    eightd_always = forms.BooleanField(
        label=gettext_lazy("8D report for every complaint"), required=False, initial=True,
        help_text=gettext_lazy("Otherwise an 8D report is asked only for a critical (CR) defect."),
    )  # fmt: skip
    note = forms.CharField(label=gettext_lazy("Note"), required=False, max_length=200)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["customer"].queryset = Customer.objects.filter(  # type: ignore[attr-defined]
            voided_at__isnull=True
        ).order_by("code")


def _customer_param(request: HttpRequest) -> int | None:
    value = request.GET.get("customer", "")
    return int(value) if value.isdigit() and len(value) < 10 else None


@login_required
@require_GET
def complaint_list(request: HttpRequest) -> HttpResponse:
    check(request, sel.PERM_VIEW)
    status = request.GET.get("status", "")
    status = status if status in ComplaintStatus.values else ""
    due = request.GET.get("due", "")
    due = due if due in sel.DUE_FILTERS else ""
    customer = _customer_param(request)
    query = (request.GET.get("q") or "").strip()[:60]
    now = timezone.now()
    qs = sel.complaints_filtered(
        request.user, status=status, due=due, customer=customer, query=query, now=now
    )
    page = Paginator(qs, 50).get_page(request.GET.get("page"))
    rows = [(c, sel.complaint_next_deadline(c, now=now)) for c in page.object_list]
    return render(
        request,
        "anomalies/complaints/complaint_list.html",
        {
            "page": page,
            "rows": rows,
            "status": status,
            "due": due,
            "customer": customer,
            "q": query,
            "statuses": ComplaintStatus.choices,
            "dues": [
                ("overdue", _("Overdue")),
                ("due_soon", _("Due within 48 hours")),
                ("open", _("Open")),
            ],
            "customers": Customer.objects.filter(voided_at__isnull=True).order_by("code"),
            "overdue_count": sel.complaints_overdue_visible(request.user, now=now).count(),
            "may_add": request.user.has_perm(services.PERM_ADD),
            "query_string": request.GET.urlencode(),
        },
    )


@login_required
@GET_POST
def complaint_new(request: HttpRequest) -> HttpResponseBase:
    check(request, services.PERM_ADD)
    form = ComplaintForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        data["lot"] = data.pop("lot_number")
        try:
            complaint = services.complaint_record(actor=actor_of(request), **data)
        except ValidationError as exc:
            errors_apply(form, exc)
        except PermissionDenied as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(
                request,
                _("Complaint %(number)s was recorded and its nonconformance report opened.")
                % {"number": complaint.number},
            )
            return redirect("anomalies:complaint_detail", pk=complaint.pk)
    return render(request, "anomalies/complaints/complaint_new.html", {"form": form})


def _complaint(request: HttpRequest, pk: int) -> Complaint:
    complaint = sel.complaints_visible(request.user).filter(pk=pk).first()
    if complaint is None:
        raise Http404
    return complaint


STEPS: dict[str, tuple[Any, str, Any]] = {
    "contain": (services.complaint_contain, "note", gettext_lazy("The containment was recorded.")),
    "eightd": (
        services.complaint_eightd_submit,
        "note",
        gettext_lazy("The 8D report was recorded as submitted."),
    ),
    "close": (services.complaint_close, "outcome", gettext_lazy("The complaint was closed.")),
    "reject": (services.complaint_reject, "reason", gettext_lazy("The complaint was rejected.")),
    "withdraw": (
        services.complaint_withdraw,
        "reason",
        gettext_lazy("The complaint was withdrawn."),
    ),
    "void": (services.complaint_void, "reason", gettext_lazy("The complaint was voided.")),
}


PERM_RECALL = "recall.add_recallcase"


def _recall_request(request: HttpRequest, complaint: Complaint) -> HttpResponseBase:
    """Ask for a recall of the complaint's product (§7.2.1.4) through the master-data event,
    without importing the recall domain; go to the case it answers with."""
    check(request, PERM_RECALL)
    try:
        with transaction.atomic():
            answers = events.recall_requested.send(
                sender=Complaint, actor=actor_of(request), source="complaint",
                source_ref=complaint.number, source_url=complaint.get_absolute_url(),
                title=_("Recall on complaint %(number)s") % {"number": complaint.number},
                description=complaint.description, item=complaint.item,
                lots=[complaint.lot] if complaint.lot_id else [],
                signal_on=timezone.localdate(complaint.received_at),
            )  # fmt: skip
    except (ValidationError, PermissionDenied) as exc:
        refusal_show(request, exc)
        return redirect("anomalies:complaint_detail", pk=complaint.pk)
    cases: list[Any] = [case for _receiver, case in answers if getattr(case, "number", None)]
    if not cases:
        messages.error(request, _("No recall domain answered."))
        return redirect("anomalies:complaint_detail", pk=complaint.pk)
    messages.success(request, _("Recall case %(number)s is open.") % {"number": cases[0].number})
    return redirect(cases[0].get_absolute_url())


@login_required
@GET_POST
def complaint_detail(request: HttpRequest, pk: int) -> HttpResponseBase:
    check(request, sel.PERM_VIEW)
    complaint = _complaint(request, pk)
    if request.method == "POST" and request.POST.get("action") == "recall":
        return _recall_request(request, complaint)
    if request.method == "POST":
        check(request, services.PERM_CHANGE, complaint)
        step = STEPS.get(request.POST.get("action", ""))
        form = NoteForm(request.POST)
        if step is None:
            messages.error(request, _("Choose a step."))
        elif not form.is_valid():
            for errors in form.errors.values():
                for error in errors:
                    messages.error(request, str(error))
        else:
            service, keyword, done = step
            try:
                service(actor=actor_of(request), complaint=complaint,
                        **{keyword: form.cleaned_data["note"]})  # fmt: skip
            except (ValidationError, PermissionDenied) as exc:
                refusal_show(request, exc)
            else:
                messages.success(request, str(done))
                if request.POST.get("action") == "void":
                    return redirect("anomalies:complaint_list")
        return redirect("anomalies:complaint_detail", pk=complaint.pk)
    may_change = request.user.has_perm(services.PERM_CHANGE, complaint)
    is_open = complaint.status in OPEN_STATUSES
    return render(
        request,
        "anomalies/complaints/complaint_detail.html",
        {
            "complaint": complaint,
            "deadlines": sel.complaint_deadlines(complaint),
            "ncr_url": url_or_empty("anomalies:ncr_detail", complaint.anomaly_id)
            if complaint.anomaly_id
            else "",
            "may_contain": may_change and complaint.status == ComplaintStatus.RECEIVED,
            "may_eightd": may_change
            and complaint.status == ComplaintStatus.CONTAINED
            and complaint.eightd_required,
            "may_close": may_change
            and request.user.has_perm(services.PERM_CLOSE, complaint)
            and complaint.status in (ComplaintStatus.CONTAINED, ComplaintStatus.EIGHTD_SUBMITTED),
            "may_end": may_change and is_open,
            "may_void": request.user.has_perm(services.PERM_VOID, complaint),
            # The recall domain answers ``masterdata.events.recall_requested`` (§7.2.1.4).
            "may_recall": request.user.has_perm(PERM_RECALL),
            **(views_mrb.cost_section_context(request, complaint) or {}),
        },
    )


@login_required
@require_GET
def complaint_export(request: HttpRequest) -> HttpResponse:
    check(request, sel.PERM_VIEW)
    status = request.GET.get("status", "")
    due = request.GET.get("due", "")
    data = transfer_complaints.complaints_export(
        request.user,
        status=status if status in ComplaintStatus.values else "",
        due=due if due in sel.DUE_FILTERS else "",
        customer=_customer_param(request),
        query=(request.GET.get("q") or "").strip()[:60],
    )
    response = HttpResponse(
        data, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    response["Content-Disposition"] = (
        f'attachment; filename="complaints-{timezone.localdate():%Y%m%d}.xlsx"'
    )
    return response


@login_required
@GET_POST
def policy_list(request: HttpRequest) -> HttpResponseBase:
    check(request, "anomalies.view_complaintpolicy")
    may_set = request.user.has_perm(services.PERM_POLICY)
    form = PolicyForm(request.POST or None)
    if request.method == "POST":
        check(request, services.PERM_POLICY)
        if request.POST.get("action") == "void":
            raw = str(request.POST.get("policy", ""))
            policy = (
                sel.policies_visible(request.user).filter(pk=int(raw)).first()
                if raw.isdigit() and len(raw) < 10
                else None
            )
            if policy is None:
                raise Http404
            try:
                services.complaint_policy_void(
                    actor=actor_of(request), policy=policy, reason=request.POST.get("reason", "")
                )
            except (ValidationError, PermissionDenied) as exc:
                refusal_show(request, exc)
            else:
                messages.success(request, _("The policy was retired."))
            return redirect("anomalies:complaint_policy_list")
        if form.is_valid():
            try:
                services.complaint_policy_set(actor=actor_of(request), **form.cleaned_data)
            except ValidationError as exc:
                errors_apply(form, exc)
            except PermissionDenied as exc:
                form.add_error(None, str(exc))
            else:
                messages.success(request, _("The response policy was saved."))
                return redirect("anomalies:complaint_policy_list")
    default = sel.policy_for(None)
    return render(
        request,
        "anomalies/complaints/policy_list.html",
        {
            "policies": list(sel.policies_visible(request.user)),
            "default": default,
            "default_is_built_in": default.pk is None,
            "form": form if may_set else None,
        },
    )


urlpatterns: list[URLPattern] = [
    path("complaints/", complaint_list, name="complaint_list"),
    path("complaints/new/", complaint_new, name="complaint_new"),
    path("complaints/export/", complaint_export, name="complaint_export"),
    path("complaints/policies/", policy_list, name="complaint_policy_list"),
    path("complaints/<int:pk>/", complaint_detail, name="complaint_detail"),
]


def ncr_section_context(request: HttpRequest, anomaly: Any) -> dict[str, Any] | None:
    """The NCR page's section (``sections.section_register``): the complaint that opened the
    NCR, with its response deadlines; nothing when there is none or the reader may not see it."""
    complaints = sel.complaints_of_anomaly(request.user, anomaly)
    if not complaints:
        return None
    return {
        "complaint_rows": [
            {"complaint": c, "deadlines": sel.complaint_deadlines(c)} for c in complaints
        ]
    }
