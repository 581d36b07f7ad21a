"""The fund part's pages: the quality budget (§6 f)) and the special quality fund (§8.1). Thin:
parse, call the service, render. Deciding a spending or a budget happens in the authorities'
approval inbox, with the e-signature; the veto through the authorities' veto section."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import URLPattern, URLResolver, path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from cqo.accounts.actors import actor_of
from cqo.authorities.selectors import approvals_for_subject
from cqo.authorities.views import _veto_context
from cqo.core.uploads import file_response
from cqo.core.views import GET_POST, can, check, errors_apply, refusal_show, run_service

from . import forms_fund as F
from . import selectors_fund as sel
from . import services_fund as S
from . import services_fund_report as SR
from .models_fund import (
    BudgetStatus,
    FundPayment,
    FundReportJob,
    ReportFormat,
    ReportJobStatus,
    SpendingStatus,
)


@login_required
@GET_POST
def budget_list(request: HttpRequest) -> HttpResponse:
    check(request, "costs.view_qualitybudget")
    form = F.BudgetForm()
    if request.method == "POST":
        check(request, "costs.add_qualitybudget")
        form = F.BudgetForm(request.POST)
        if form.is_valid():
            try:
                budget = S.budget_create(actor=actor_of(request), **form.cleaned_data)
            except ValidationError as exc:
                errors_apply(form, exc)
            else:
                messages.success(request, _("The budget was started; add its lines."))
                return redirect(budget.get_absolute_url())
    return render(request, "costs/fund_budget_list.html", {
        "budgets": list(sel.budgets_visible(request.user)),
        "form": form if request.user.has_perm("costs.add_qualitybudget") else None,
    })  # fmt: skip


@login_required
@GET_POST
def budget_detail(request: HttpRequest, pk: int) -> HttpResponse:
    check(request, "costs.view_qualitybudget")
    budget = get_object_or_404(sel.budgets_visible(request.user), pk=pk)
    check(request, "costs.view_qualitybudget", budget)
    form = F.BudgetLineForm()
    if request.method == "POST":
        check(request, "costs.change_qualitybudget", budget)
        form = F.BudgetLineForm(request.POST)
        if form.is_valid():
            try:
                S.budget_line_set(actor=actor_of(request), budget=budget, **form.cleaned_data)
            except ValidationError as exc:
                errors_apply(form, exc)
            else:
                messages.success(request, _("The budget line was saved."))
                return redirect(budget.get_absolute_url())
    editable = budget.voided_at is None and budget.status in (
        BudgetStatus.DRAFT, BudgetStatus.RETURNED
    )  # fmt: skip
    perms = can(request, "costs.change_qualitybudget", "costs.submit_qualitybudget", obj=budget)
    return render(request, "costs/fund_budget_detail.html", {
        "budget": budget,
        "figures": sel.budget_figures(budget),
        "approvals": list(approvals_for_subject(budget)),
        "form": form if editable and perms["change_qualitybudget"] else None,
        "may_submit": editable and perms["submit_qualitybudget"],
    })  # fmt: skip


@login_required
@require_POST
def budget_submit(request: HttpRequest, pk: int) -> HttpResponse:
    check(request, "costs.submit_qualitybudget")
    budget = get_object_or_404(sel.budgets_visible(request.user), pk=pk)
    check(request, "costs.submit_qualitybudget", budget)
    run_service(
        request,
        lambda: S.budget_submit(actor=actor_of(request), budget=budget),
        _("The budget was sent to the principal for approval."),
    )
    return redirect(budget.get_absolute_url())


@login_required
@GET_POST
def fund_list(request: HttpRequest) -> HttpResponse:
    check(request, "costs.view_fund")
    form = F.FundForm()
    if request.method == "POST":
        check(request, "costs.add_fund")
        form = F.FundForm(request.POST)
        if form.is_valid():
            try:
                fund = S.fund_create(actor=actor_of(request), **form.cleaned_data)
            except ValidationError as exc:
                errors_apply(form, exc)
            else:
                messages.success(request, _("The fund was set up; add its purposes."))
                return redirect(fund.get_absolute_url())
    funds = list(sel.funds_visible(request.user))
    return render(request, "costs/fund_list.html", {
        "funds": [(f, sel.fund_balances(f)) for f in funds[:10]],
        "form": form if request.user.has_perm("costs.add_fund") else None,
    })  # fmt: skip


@login_required
@GET_POST
def fund_detail(request: HttpRequest, pk: int) -> HttpResponse:
    fund = get_object_or_404(sel.funds_visible(request.user), pk=pk)
    check(request, "costs.view_fund", fund)
    form = F.PurposeForm()
    if request.method == "POST":
        check(request, "costs.change_fund", fund)
        form = F.PurposeForm(request.POST)
        if form.is_valid():
            try:
                S.fund_purpose_add(actor=actor_of(request), fund=fund, **form.cleaned_data)
            except ValidationError as exc:
                errors_apply(form, exc)
            else:
                messages.success(request, _("The purpose was added."))
                return redirect(fund.get_absolute_url())
    return render(request, "costs/fund_detail.html", {
        "fund": fund,
        "balances": sel.fund_balances(fund),
        "spendings": sel.fund_spendings(fund),
        "refused": sel.refused_applications(fund),
        "report_jobs": sel.fund_report_jobs_visible(request.user).filter(fund=fund)[:10],
        "form": form if fund.voided_at is None
        and request.user.has_perm("costs.change_fund", fund) else None,
        "may_apply": fund.voided_at is None and request.user.has_perm("costs.add_fundspending"),
    })  # fmt: skip


@login_required
@require_POST
def fund_report(request: HttpRequest, pk: int) -> HttpResponseBase:
    """Ask for the year-end fund report (PDF, or Excel with ``format=xlsx``): it is built in the
    job queue; the job's page shows the progress and then offers the file (§8.1)."""
    fund = get_object_or_404(sel.funds_visible(request.user), pk=pk)
    check(request, "costs.view_fund", fund)
    try:
        job = SR.fund_report_request(
            actor=actor_of(request), fund=fund, format=request.POST.get("format", "pdf"),
            language=request.LANGUAGE_CODE,
        )  # fmt: skip
    except (ValidationError, PermissionDenied) as exc:
        refusal_show(request, exc)
        return redirect(fund.get_absolute_url())
    return redirect(job.get_absolute_url())


def _report_job(request: HttpRequest, pk: int) -> FundReportJob:
    job = get_object_or_404(sel.fund_report_jobs_visible(request.user), pk=pk)
    check(request, "costs.view_fund", job.fund)
    return job


@login_required
@require_GET
def fund_report_job(request: HttpRequest, pk: int) -> HttpResponse:
    """The report job's page: its progress while it runs (polled by htmx, or the refresh link
    without JavaScript), then the file with its size and SHA-256, or why it failed."""
    job = _report_job(request, pk)
    if request.headers.get("HX-Request") == "true":
        return render(request, "costs/_fund_report_job_status.html", {"job": job})
    return render(request, "costs/fund_report_job.html", {"job": job})


@login_required
@require_GET
def fund_report_file(request: HttpRequest, pk: int) -> HttpResponse:
    """The kept file of a finished report job, as it was built."""
    job = _report_job(request, pk)
    if job.status != ReportJobStatus.DONE:
        raise Http404(_("The report is not ready."))
    response = HttpResponse(sel.fund_report_file(job), content_type=job.content_type)
    disposition = "attachment" if job.format == ReportFormat.XLSX else "inline"
    response["Content-Disposition"] = f'{disposition}; filename="{job.download_name}"'
    response["X-Content-SHA256"] = job.sha256
    return response


@login_required
@require_GET
def spending_list(request: HttpRequest) -> HttpResponse:
    check(request, "costs.view_fundspending")
    status = request.GET.get("status", "")
    qs = sel.spendings_visible(request.user, status=status)
    page = Paginator(qs, 50).get_page(request.GET.get("page"))
    return render(request, "costs/fund_spending_list.html", {
        "page": page, "status": status, "statuses": SpendingStatus.choices,
        "funds": list(sel.funds_visible(request.user).filter(voided_at__isnull=True)[:3]),
        "may_apply": request.user.has_perm("costs.add_fundspending"),
    })  # fmt: skip


@login_required
@GET_POST
def spending_new(request: HttpRequest, pk: int) -> HttpResponse:
    fund = get_object_or_404(sel.funds_visible(request.user), pk=pk)
    check(request, "costs.add_fundspending")
    form = F.SpendingForm(fund=fund, user=request.user)
    if request.method == "POST":
        form = F.SpendingForm(request.POST, fund=fund, user=request.user)
        if form.is_valid():
            try:
                spending = S.fund_spending_apply(
                    actor=actor_of(request), fund=fund, **form.cleaned_data
                )
            except ValidationError as exc:
                errors_apply(form, exc)
            else:
                messages.success(request, _("The application was sent for approval."))
                return redirect(spending.get_absolute_url())
    return render(request, "costs/fund_spending_new.html", {
        "fund": fund, "form": form, "balances": sel.fund_balances(fund),
    })  # fmt: skip


@login_required
@require_GET
def spending_detail(request: HttpRequest, pk: int) -> HttpResponse:
    spending = get_object_or_404(sel.spendings_visible(request.user), pk=pk)
    check(request, "costs.view_fundspending", spending)
    veto = _veto_context(request, spending)
    payments = sel.payments_of(spending)
    paid = sum((p.amount for p in payments if p.voided_at is None), S.CENT * 0)
    return render(request, "costs/fund_spending_detail.html", {
        "spending": spending,
        "approvals": list(approvals_for_subject(spending)),
        "payments": payments,
        "paid": paid,
        "left": spending.amount - paid,
        "pay_form": F.PaymentForm()
        if spending.status == SpendingStatus.APPROVED and spending.voided_at is None
        and veto["veto"] is None and request.user.has_perm("costs.pay_fundspending", spending)
        else None,
        **veto,
    })  # fmt: skip


@login_required
@require_POST
def spending_pay(request: HttpRequest, pk: int) -> HttpResponse:
    spending = get_object_or_404(sel.spendings_visible(request.user), pk=pk)
    check(request, "costs.pay_fundspending", spending)
    form = F.PaymentForm(request.POST, request.FILES)
    if form.is_valid():
        run_service(
            request,
            lambda: S.fund_payment_record(
                actor=actor_of(request), spending=spending, **form.cleaned_data
            ),
            _("The payment was recorded with its voucher."),
        )
    else:
        for field, errors in form.errors.items():
            label = form.fields[field].label if field in form.fields else ""
            for error in errors:
                messages.error(request, f"{label}: {error}" if label else str(error))
    return redirect(spending.get_absolute_url())


@login_required
@require_GET
def payment_voucher(request: HttpRequest, pk: int) -> Any:
    payment = get_object_or_404(FundPayment.objects.select_related("spending"), pk=pk)
    check(request, "costs.view_fundpayment", payment)
    return file_response(payment.voucher)


urlpatterns: list[URLPattern | URLResolver] = [
    path("budgets/", budget_list, name="budget_list"),
    path("budgets/<int:pk>/", budget_detail, name="budget_detail"),
    path("budgets/<int:pk>/submit/", budget_submit, name="budget_submit"),
    path("fund/", fund_list, name="fund_list"),
    path("fund/<int:pk>/", fund_detail, name="fund_detail"),
    path("fund/<int:pk>/report/", fund_report, name="fund_report"),
    path("fund/reports/<int:pk>/", fund_report_job, name="fund_report_job"),
    path("fund/reports/<int:pk>/file/", fund_report_file, name="fund_report_file"),
    path("fund/<int:pk>/apply/", spending_new, name="spending_new"),
    path("spendings/", spending_list, name="spending_list"),
    path("spendings/<int:pk>/", spending_detail, name="spending_detail"),
    path("spendings/<int:pk>/pay/", spending_pay, name="spending_pay"),
    path("payments/<int:pk>/voucher/", payment_voucher, name="payment_voucher"),
]
