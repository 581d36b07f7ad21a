"""The CQO's reports to the decision layer (§7.1.6): the list with the request form, a report's
page (progress while it is generated, then the PDF, its hash and the integrity check, the CQO's
signature and the principal's acknowledgement), the PDF itself."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from cqo.accounts.actors import actor_of
from cqo.audit.forms import SignatureForm
from cqo.audit.selectors import signatures_with_status
from cqo.core.views import GET_POST, can, check, errors_apply, run_service

from . import selectors as sel
from . import services as S
from .forms import AcknowledgeNoteForm, ReportRequestForm, VoidForm
from .models import CqoReport, ReportKind, ReportStatus

READ = "reports.view_cqoreport"


def _report(request: HttpRequest, pk: int) -> CqoReport:
    check(request, READ)
    return get_object_or_404(sel.reports_visible(request.user), pk=pk)


@login_required
@GET_POST
def report_list(request: HttpRequest) -> HttpResponseBase:
    check(request, READ)
    may_add = request.user.has_perm("reports.add_cqoreport")
    today = timezone.localdate()
    year, part = S.report_period_default(ReportKind.QUARTERLY, today)
    initial = {"kind": ReportKind.QUARTERLY, "year": year, "part": part,
               "language": "zh-hans" if request.LANGUAGE_CODE.startswith("zh") else "en"}  # fmt: skip
    form = ReportRequestForm(request.POST or None, initial=initial) if may_add else None
    if request.method == "POST":
        check(request, "reports.add_cqoreport")
        assert form is not None
        if form.is_valid():
            data = form.cleaned_data
            try:
                report = S.report_request(
                    actor=actor_of(request), kind=data["kind"], year=data["year"],
                    part=data["part"], language=data["language"],
                )  # fmt: skip
            except ValidationError as exc:
                errors_apply(form, exc)
            except PermissionDenied as exc:
                form.add_error(None, str(exc))
            else:
                return redirect("reports:report_detail", pk=report.pk)
    reports = sel.reports_visible(request.user)
    return render(request, "reports/report_list.html", {"form": form, "reports": reports[:200]})


@login_required
@require_GET
def report_detail(request: HttpRequest, pk: int) -> HttpResponse:
    report = _report(request, pk)
    response = render(request, "reports/report_detail.html", _detail_context(request, report))
    if report.running:
        response["Refresh"] = "2"
    return response


def _detail_context(request: HttpRequest, report: CqoReport, **extra: Any) -> dict[str, Any]:
    perms = can(request, "reports.sign_cqoreport", "reports.acknowledge_cqoreport",
                "reports.void_cqoreport", obj=report)  # fmt: skip
    context: dict[str, Any] = {
        "report": report,
        "integrity": sel.report_integrity(report),
        "signatures": signatures_with_status(obj=report),
        "can": perms,
        "void_form": VoidForm(prefix="void"),
    }
    if report.status == ReportStatus.DRAFT and perms["sign_cqoreport"] and not report.is_voided:
        context["sign_form"] = SignatureForm(
            user=request.user, signed=S.report_sign_meaning(report), prefix="sig"
        )
    if report.status == ReportStatus.SIGNED and perms["acknowledge_cqoreport"]:
        context["ack_form"] = SignatureForm(
            user=request.user, signed=S.report_acknowledge_meaning(report), prefix="ack"
        )
        context["note_form"] = AcknowledgeNoteForm(prefix="note")
    context.update(extra)
    return context


@login_required
@require_GET
def report_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    report = _report(request, pk)
    if report.status in (ReportStatus.QUEUED, ReportStatus.FAILED):
        raise Http404(_("The report has no PDF yet."))
    data = CqoReport.objects.filter(pk=report.pk).values_list("pdf", flat=True).get()
    response = HttpResponse(bytes(data), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{report.number}.pdf"'
    response["X-Content-SHA256"] = report.sha256
    return response


@login_required
@require_POST
def report_sign(request: HttpRequest, pk: int) -> HttpResponseBase:
    report = _report(request, pk)
    check(request, "reports.sign_cqoreport", report)
    form = SignatureForm(request.POST, user=request.user, signed=S.report_sign_meaning(report),
                         prefix="sig")  # fmt: skip
    if not form.is_valid():
        return render(request, "reports/report_detail.html",
                      _detail_context(request, report, sign_form=form), status=400)  # fmt: skip
    run_service(
        request,
        lambda: S.report_sign(
            actor=actor_of(request), report=report, password=form.cleaned_data["password"]
        ),
        _("The report is signed; it awaits the principal's acknowledgement (§7.1.6)."),
    )
    return redirect(report)


@login_required
@require_POST
def report_acknowledge(request: HttpRequest, pk: int) -> HttpResponseBase:
    report = _report(request, pk)
    check(request, "reports.acknowledge_cqoreport", report)
    form = SignatureForm(request.POST, user=request.user,
                         signed=S.report_acknowledge_meaning(report), prefix="ack")  # fmt: skip
    note = AcknowledgeNoteForm(request.POST, prefix="note")
    if not (form.is_valid() and note.is_valid()):
        return render(request, "reports/report_detail.html",
                      _detail_context(request, report, ack_form=form, note_form=note),
                      status=400)  # fmt: skip
    run_service(
        request,
        lambda: S.report_acknowledge(
            actor=actor_of(request),
            report=report,
            password=form.cleaned_data["password"],
            note=note.cleaned_data["note"],
        ),
        _("The report is acknowledged and archived with its hash (§7.1.6)."),
    )
    return redirect(report)


@login_required
@require_POST
def report_void(request: HttpRequest, pk: int) -> HttpResponseBase:
    report = _report(request, pk)
    check(request, "reports.void_cqoreport", report)
    form = VoidForm(request.POST, prefix="void")
    if not form.is_valid():
        messages.error(request, _("Give the reason for voiding (§7.1.6)."))
        return redirect(report)
    run_service(
        request,
        lambda: S.report_void(
            actor=actor_of(request), report=report, reason=form.cleaned_data["reason"]
        ),
        _("The report is voided."),
    )
    return redirect(report)


urlpatterns = [
    path("", report_list, name="report_list"),
    path("<int:pk>/", report_detail, name="report_detail"),
    path("<int:pk>/pdf/", report_pdf, name="report_pdf"),
    path("<int:pk>/sign/", report_sign, name="report_sign"),
    path("<int:pk>/acknowledge/", report_acknowledge, name="report_acknowledge"),
    path("<int:pk>/void/", report_void, name="report_void"),
]
