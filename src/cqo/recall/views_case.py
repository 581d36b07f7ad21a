"""The recall case pages (§7.2.1.4). Thin: parse a form, call the service, render; the service
decides. The plan, the notice and the reports print as PDF (``documents_case``)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.template import TemplateDoesNotExist
from django.template.loader import get_template
from django.urls import URLPattern, URLResolver, path
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from cqo.accounts.actors import actor_of
from cqo.core.views import GET_POST, check, errors_apply, refusal_show

from . import documents_case
from . import forms_case as F
from . import selectors_case as sel
from . import services_case as S
from .models_case import CaseStatus, RecallCase, RecallReport, RecallTarget

PAGE_SIZE = 50
CLOCKS_TEMPLATE = "recall/clocks_section.html"


def _lang() -> str:
    return "en" if (get_language() or "").startswith("en") else "zh-hans"


def _pdf(data: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(data, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    return response


@login_required
@require_GET
def case_list(request: HttpRequest) -> HttpResponse:
    check(request, S.PERM_VIEW)
    status = request.GET.get("status", "")
    status = status if status in CaseStatus.values else ""
    page = Paginator(sel.cases_visible(request.user, status=status), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "recall/case_list.html",
        {
            "page": page,
            "status": status,
            "statuses": CaseStatus.choices,
            "may_open": request.user.has_perm(S.PERM_OPEN),
        },
    )


@login_required
@GET_POST
def case_new(request: HttpRequest) -> HttpResponseBase:
    check(request, S.PERM_OPEN)
    form = F.OpenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            case = S.case_open(actor=actor_of(request), **form.cleaned_data)
        except ValidationError as exc:
            errors_apply(form, exc)
        except PermissionDenied as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(
                request, _("Recall case %(number)s is open.") % {"number": case.number}
            )
            return redirect("recall:case_detail", pk=case.pk)
    return render(request, "recall/case_new.html", {"form": form})


def _case(pk: int) -> RecallCase:
    return get_object_or_404(
        RecallCase.objects.select_related(
            "item", "created_by", "decision_proposed_by", "decision_agreed_by", "stopped_by",
            "closed_by",
        ),
        pk=pk, voided_at__isnull=True,
    )  # fmt: skip


def _forms(request: HttpRequest, case: RecallCase) -> dict[str, Any]:
    """The forms this user may use on this case now, by action."""
    user = request.user
    leads = user.has_perm(S.PERM_LEAD, case)
    st = case.status
    found: dict[str, Any] = {}
    if leads and st in (CaseStatus.SIGNAL, CaseStatus.INVESTIGATING):
        found["investigate"] = F.NoteForm()
        found["defect"] = F.DefectForm()
    if leads and st in (CaseStatus.SIGNAL, CaseStatus.INVESTIGATING, CaseStatus.CONFIRMED,
                        CaseStatus.DECISION, CaseStatus.DECIDED):  # fmt: skip
        found["scope"] = F.ScopeForm(
            initial={"lot_numbers": "\n".join(case.start_lots.values_list("number", flat=True))}
        )
    if leads and st == CaseStatus.CONFIRMED:
        found["propose"] = F.DecisionForm()
    if st == CaseStatus.DECISION and user.has_perm(S.PERM_AGREE, case):
        found["agree"] = F.AgreeForm()
    if leads and st == CaseStatus.DECIDED:
        found["stop"] = True
    if leads and st == CaseStatus.STOPPED:
        found["plan"] = F.PlanForm(initial={"contact": str(case.contact or "")})
    if leads and st == CaseStatus.PLANNED:
        found["notice"] = F.NoticeForm()
    if leads and st in (CaseStatus.CONFIRMED, CaseStatus.DECISION, CaseStatus.DECIDED,
                        CaseStatus.STOPPED, CaseStatus.PLANNED, CaseStatus.NOTIFIED):  # fmt: skip
        found["report"] = F.ReportForm(
            initial={"kind": "final" if st == CaseStatus.NOTIFIED else "regulator"}
        )
    if leads and st in (CaseStatus.STOPPED, CaseStatus.PLANNED, CaseStatus.NOTIFIED):
        found["progress"] = True
    if leads and st == CaseStatus.NOTIFIED:
        found["close"] = F.CloseForm()
    if leads and case.stopped_at is not None and sel.case_lot_summary(case)["still_held"]:
        found["lift"] = F.ReasonForm()
    if user.has_perm(S.PERM_VOID, case) and case.stopped_at is None and case.is_open:
        found["void"] = F.ReasonForm()
    return found


def _clocks_template() -> str:
    try:
        get_template(CLOCKS_TEMPLATE)
    except TemplateDoesNotExist:
        return ""
    return CLOCKS_TEMPLATE


def _context(request: HttpRequest, case: RecallCase) -> dict[str, Any]:
    totals = S.case_totals(case)
    lots = sel.case_lots(case)
    return {
        "case": case,
        "start_lots": case.start_lots.select_related("item").order_by("number"),
        "lots": lots[:200],
        "lot_summary": sel.case_lot_summary(case),
        "targets": sel.case_targets(case),
        "reports": sel.case_reports(case),
        "totals": totals,
        "rate_planned": sel.rate(totals["recovered"], totals["planned"]),
        "rate_sold": sel.rate(totals["recovered"], totals["sold"]),
        "forms": _forms(request, case),
        "channels": F.Channel.choices,
        "clocks_template": _clocks_template(),
    }


@login_required
@require_GET
def case_detail(request: HttpRequest, pk: int) -> HttpResponse:
    case = _case(pk)
    check(request, S.PERM_VIEW, case)
    return render(request, "recall/case_detail.html", _context(request, case))


def _target(case: RecallCase, data: dict[str, Any]) -> RecallTarget:
    target = RecallTarget.objects.filter(case=case, pk=data.pop("target")).first()
    if target is None:
        raise ValidationError({"target": _("Choose a customer of this recall.")})
    return target


def _acts(request: HttpRequest, case: RecallCase) -> dict[str, tuple[Any, Callable[..., Any], str]]:
    actor = actor_of(request)
    return {
        "investigate": (F.NoteForm, lambda d: S.case_investigate(actor=actor, case=case, **d),
                        _("The investigation was recorded.")),
        "scope": (F.ScopeForm, lambda d: S.case_scope_set(actor=actor, case=case, **d),
                  _("The suspect lots were named.")),
        "defect": (F.DefectForm, lambda d: S.case_defect_decide(actor=actor, case=case, **d),
                   _("The conclusion on the defect was recorded.")),
        "propose": (F.DecisionForm, lambda d: S.case_decision_propose(actor=actor, case=case,
                                                                      **d),
                    _("The decision was proposed to the principal.")),
        "agree": (F.AgreeForm, lambda d: S.case_decision_agree(actor=actor, case=case, **d),
                  _("The principal's answer was recorded.")),
        "stop": (None, lambda d: S.case_stop(actor=actor, case=case),
                 _("The affected lots are held and their shipment is refused.")),
        "plan": (F.PlanForm, lambda d: S.case_plan_file(actor=actor, case=case, **d),
                 _("The recall plan was filed.")),
        "notice": (F.NoticeForm, lambda d: S.case_notice_publish(actor=actor, case=case, **d),
                   _("The public notice was recorded.")),
        "report": (F.ReportForm, lambda d: S.report_file(actor=actor, case=case, **d),
                   _("The report was filed.")),
        "progress": (F.ProgressForm, lambda d: S.progress_record(
            actor=actor, target=_target(case, d), **d), _("The recovered units were recorded.")),
        "target": (F.TargetForm, lambda d: S.target_update(
            actor=actor, target=_target(case, d), **d), _("The recall target was corrected.")),
        "close": (F.CloseForm, lambda d: S.case_close(actor=actor, case=case, **d),
                  _("The recall case has ended.")),
        "lift": (F.ReasonForm, lambda d: S.case_holds_lift(actor=actor, case=case, **d),
                 _("The recall's holds were lifted.")),
        "void": (F.ReasonForm, lambda d: S.case_void(actor=actor, case=case, **d),
                 _("The recall case was voided.")),
    }  # fmt: skip


def _post(
    request: HttpRequest, form_class: Any, call: Callable[[dict[str, Any]], Any], done: str
) -> tuple[bool, forms.Form | None]:
    form = form_class(request.POST) if form_class is not None else None
    if form is not None and not form.is_valid():
        return False, form
    try:
        call(dict(form.cleaned_data) if form is not None else {})
    except ValidationError as exc:
        if form is None:
            refusal_show(request, exc)
        else:
            errors_apply(form, exc)
            if not form.errors:
                refusal_show(request, exc)
        return False, form
    except PermissionDenied as exc:
        refusal_show(request, exc)
        return False, form
    messages.success(request, done)
    return True, form


@login_required
@require_POST
def case_act(request: HttpRequest, pk: int, act: str) -> HttpResponseBase:
    case = _case(pk)
    check(request, S.PERM_VIEW, case)
    acts = _acts(request, case)
    if act not in acts:
        raise Http404
    ok, form = _post(request, *acts[act])
    if ok:
        if act == "void":
            return redirect("recall:case_list")
        return redirect("recall:case_detail", pk=case.pk)
    if form is None:
        return redirect("recall:case_detail", pk=case.pk)
    context = _context(request, _case(pk))
    if act in context["forms"] or act in ("progress", "target"):
        context["forms"][act] = form
    context["open_form"] = act
    return render(request, "recall/case_detail.html", context, status=400)


@login_required
@require_GET
def case_plan_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    case = _case(pk)
    check(request, S.PERM_VIEW, case)
    return _pdf(documents_case.plan_pdf(case, language=_lang()), f"{case.number}-plan.pdf")


@login_required
@require_GET
def case_notice_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    case = _case(pk)
    check(request, S.PERM_VIEW, case)
    return _pdf(documents_case.notice_pdf(case, language=_lang()), f"{case.number}-notice.pdf")


@login_required
@require_GET
def report_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    report = get_object_or_404(
        RecallReport.objects.select_related("case"), pk=pk, voided_at__isnull=True,
        case__voided_at__isnull=True,
    )  # fmt: skip
    check(request, S.PERM_VIEW, report.case)
    return _pdf(documents_case.report_pdf(report, language=_lang()),
                f"{report.case.number}-{report.kind}-{report.pk}.pdf")  # fmt: skip


urlpatterns: list[URLPattern | URLResolver] = [
    path("", case_list, name="case_list"),
    path("new/", case_new, name="case_new"),
    path("reports/<int:pk>/pdf/", report_pdf, name="report_pdf"),
    path("<int:pk>/", case_detail, name="case_detail"),
    path("<int:pk>/plan.pdf", case_plan_pdf, name="case_plan_pdf"),
    path("<int:pk>/notice.pdf", case_notice_pdf, name="case_notice_pdf"),
    path("<int:pk>/<slug:act>/", case_act, name="case_act"),
]
