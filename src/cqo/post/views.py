"""The post's pages: thin views that check the object permission, parse, call a service, render.

Every view answers 403 when the user lacks the permission on the object; the service checks
again, since it is the gate for the API and jobs too.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from cqo.accounts.actors import actor_of
from cqo.audit.forms import SignatureForm
from cqo.audit.selectors import signatures_with_status
from cqo.core.uploads import file_response
from cqo.core.views import GET_POST, can, check
from cqo.organisation.models import Person
from cqo.organisation.rules import user_person
from cqo.organisation.selectors import enterprise_current

from . import documents
from . import selectors as sel
from . import services as S
from .forms import (
    ActionForm,
    AppointmentForm,
    AssessmentForm,
    DeclarationForm,
    EvidenceForm,
    PolicyForm,
    ReasonForm,
    RemoveForm,
    RenewForm,
    ScoreForm,
    errors_apply,
)
from .models import (
    Appointment,
    AssessmentStatus,
    CompetenceArea,
    CompetenceAssessment,
    DevelopmentAction,
    EvidenceDocument,
    QualificationPolicy,
)
from .qualification import declarations_latest, qualification_check, rule_set_for

_check = check
_can = can


def _lang() -> str:
    return "en" if (get_language() or "").startswith("en") else "zh-hans"


def _pdf(data: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(data, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    return response


def _service_error(request: HttpRequest, exc: ValidationError) -> None:
    for message in exc.messages:
        messages.error(request, message)


_LOOK_UP: Any = object()


def _current_visible(request: HttpRequest, current: Any = _LOOK_UP) -> Appointment | None:
    """The appointment in force (``current`` if already looked up), only for those who may read
    it: holding the ``cqo`` role is not enough, the account must be the one in office (or the
    principal, or an auditor)."""
    if current is _LOOK_UP:
        current = sel.cqo_current()
    if current is not None and request.user.has_perm("post.view_appointment", current):
        return current
    return None


def _base(request: HttpRequest, **extra: Any) -> dict[str, Any]:
    if "current" not in extra:
        extra["current"] = _current_visible(request)
    return extra


@login_required
@require_GET
def index(request: HttpRequest) -> HttpResponse:
    if request.user.has_perm("post.view_appointment"):
        return redirect("post:appointment_list")
    return redirect("charter:charter_list")


# --- appointments ---------------------------------------------------------------------------


@login_required
@require_GET
def appointment_list(request: HttpRequest) -> HttpResponse:
    _check(request, "post.view_appointment")
    appointments = sel.appointments_visible(request.user).order_by("-effective_from", "-id")
    return render(
        request,
        "post/appointment_list.html",
        _base(
            request,
            appointments=appointments,
            today=timezone.localdate(),
            can=_can(request, "post.add_appointment", "post.export_appointment"),
        ),
    )


def _appointment(request: HttpRequest, pk: int, perm: str = "post.view_appointment") -> Appointment:
    appointment = get_object_or_404(
        Appointment.objects.select_related(
            "person", "principal", "enterprise", "predecessor", "signature"
        ),
        pk=pk,
    )
    _check(request, perm, appointment)
    return appointment


def _detail_context(request: HttpRequest, appointment: Appointment, **extra: Any) -> dict[str, Any]:
    signatures = signatures_with_status(obj=appointment)
    report = qualification_check(appointment.person) if appointment.is_draft else None
    sign_form = extra.pop("sign_form", None)
    if (
        sign_form is None
        and appointment.is_draft
        and request.user.has_perm("post.sign_appointment", appointment)
    ):
        sign_form = SignatureForm(
            user=request.user, signed=S.appointment_sign_meaning(appointment), prefix="sig"
        )
    return _base(
        request,
        appointment=appointment,
        report=report,
        signatures=signatures,
        sign_form=sign_form,
        successors=appointment.successors.filter(voided_at__isnull=True),
        today=timezone.localdate(),
        can=_can(
            request,
            "post.sign_appointment",
            "post.renew_appointment",
            "post.handover_appointment",
            "post.remove_appointment",
            "post.withdraw_appointment",
            "post.export_appointment",
            "post.view_qualification",
            obj=appointment,
        ),
        **extra,
    )


@login_required
@require_GET
def appointment_detail(request: HttpRequest, pk: int) -> HttpResponse:
    appointment = _appointment(request, pk)
    return render(request, "post/appointment_detail.html", _detail_context(request, appointment))


def _appointment_form_view(
    request: HttpRequest,
    *,
    title: str,
    perm: str,
    appointment: Appointment | None,
    call: Any,
    exclude_person: Any = None,
) -> HttpResponseBase:
    enterprise = enterprise_current(request.user)
    initial: dict[str, Any] = {"effective_from": timezone.localdate()}
    if request.GET.get("person", "").isdigit():
        initial["person"] = int(request.GET["person"])
    form = AppointmentForm(
        request.POST or None, enterprise=enterprise, exclude_person=exclude_person, initial=initial
    )
    report = None
    if request.method == "POST" and form.is_valid():
        kwargs = form.service_kwargs()
        try:
            created = call(**kwargs)
        except ValidationError as exc:
            errors_apply(form, exc)
            # The refused call kept nothing, so the report previews the answers just given.
            report = qualification_check(kwargs["person"], declared=kwargs["declarations"])
        else:
            messages.success(
                request,
                _(
                    "Draft %(number)s saved. Check the qualification report and sign to put it in "
                    "force."
                )
                % {"number": created.number},
            )
            return redirect("post:appointment_detail", created.pk)
    elif request.method == "POST" and form.cleaned_data.get("person") is not None:
        report = qualification_check(form.cleaned_data["person"], declared=form.declarations())
    return render(
        request,
        "post/appointment_form.html",
        _base(request, form=form, report=report, title=title, appointment=appointment),
    )


@login_required
@GET_POST
def appointment_new(request: HttpRequest) -> HttpResponseBase:
    _check(request, "post.add_appointment")
    return _appointment_form_view(
        request,
        title=_("New CQO appointment"),
        perm="post.add_appointment",
        appointment=None,
        call=lambda **kw: S.appointment_create(actor=actor_of(request), **kw),
    )


@login_required
@GET_POST
def appointment_handover(request: HttpRequest, pk: int) -> HttpResponseBase:
    appointment = _appointment(request, pk, "post.handover_appointment")
    return _appointment_form_view(
        request,
        title=_("Hand over the CQO post"),
        perm="post.handover_appointment",
        appointment=appointment,
        exclude_person=appointment.person,
        call=lambda **kw: S.appointment_handover(
            actor=actor_of(request), appointment=appointment, **kw
        ),
    )


@login_required
@GET_POST
def appointment_renew(request: HttpRequest, pk: int) -> HttpResponseBase:
    appointment = _appointment(request, pk, "post.renew_appointment")
    form = RenewForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            created = S.appointment_renew(
                actor=actor_of(request),
                appointment=appointment,
                effective_from=form.cleaned_data.get("effective_from"),
                effective_to=form.cleaned_data.get("effective_to"),
                note=form.cleaned_data.get("note", ""),
            )
        except ValidationError as exc:
            errors_apply(form, exc)
        else:
            messages.success(
                request,
                _("Renewal %(number)s drafted; sign it to put it in force.")
                % {"number": created.number},
            )
            return redirect("post:appointment_detail", created.pk)
    return render(
        request, "post/appointment_renew.html", _base(request, form=form, appointment=appointment)
    )


@login_required
@require_POST
def appointment_sign(request: HttpRequest, pk: int) -> HttpResponseBase:
    appointment = _appointment(request, pk, "post.sign_appointment")
    form = SignatureForm(
        request.POST,
        user=request.user,
        signed=S.appointment_sign_meaning(appointment),
        prefix="sig",
    )
    if form.is_valid():
        try:
            S.appointment_sign(
                actor=actor_of(request),
                appointment=appointment,
                password=form.cleaned_data["password"],
            )
        except ValidationError as exc:
            errors_apply(form, exc)
        except PermissionDenied as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(
                request,
                _("Signed: %(number)s is in force from its start date.")
                % {"number": appointment.number},
            )
            return redirect("post:appointment_detail", appointment.pk)
    return render(
        request,
        "post/appointment_detail.html",
        _detail_context(request, appointment, sign_form=form),
        status=400,
    )


@login_required
@GET_POST
def appointment_remove(request: HttpRequest, pk: int) -> HttpResponseBase:
    appointment = _appointment(request, pk, "post.remove_appointment")
    form = RemoveForm(request.POST or None, initial={"last_day": timezone.localdate()})
    sign_form = SignatureForm(
        request.POST or None,
        user=request.user,
        signed=S.appointment_remove_meaning(appointment),
        prefix="sig",
    )
    if request.method == "POST" and form.is_valid() and sign_form.is_valid():
        try:
            S.appointment_remove(
                actor=actor_of(request),
                appointment=appointment,
                reason=form.cleaned_data["reason"],
                last_day=form.cleaned_data["last_day"],
                password=sign_form.cleaned_data["password"],
            )
        except ValidationError as exc:
            errors_apply(form, exc)
        except PermissionDenied as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(
                request, _("%(number)s was ended by removal.") % {"number": appointment.number}
            )
            return redirect("post:appointment_detail", appointment.pk)
    return render(
        request,
        "post/appointment_remove.html",
        _base(request, form=form, sign_form=sign_form, appointment=appointment),
    )


@login_required
@GET_POST
def appointment_withdraw(request: HttpRequest, pk: int) -> HttpResponseBase:
    appointment = _appointment(request, pk, "post.withdraw_appointment")
    form = ReasonForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            S.appointment_withdraw(
                actor=actor_of(request), appointment=appointment, reason=form.cleaned_data["reason"]
            )
        except ValidationError as exc:
            errors_apply(form, exc)
        else:
            messages.success(
                request, _("The draft %(number)s was withdrawn.") % {"number": appointment.number}
            )
            return redirect("post:appointment_list")
    return render(
        request,
        "post/appointment_withdraw.html",
        _base(request, form=form, appointment=appointment),
    )


@login_required
@require_GET
def appointment_letter_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    appointment = _appointment(request, pk, "post.export_appointment")
    return _pdf(
        documents.letter_pdf(appointment, language=_lang()), f"{appointment.number}-letter.pdf"
    )


@login_required
@require_GET
def appointment_filing_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    appointment = _appointment(request, pk, "post.export_appointment")
    return _pdf(
        documents.filing_pdf(appointment, language=_lang()), f"{appointment.number}-filing.pdf"
    )


XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@login_required
@require_GET
def appointment_filing_xlsx(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    _check(request, "post.export_appointment")
    if pk is not None:
        rows = [_appointment(request, pk, "post.export_appointment")]
        name = f"{rows[0].number}-filing.xlsx"
    else:
        rows = [
            a
            for a in sel.appointments_visible(request.user)
            .filter(signed_at__isnull=False, voided_at__isnull=True)
            .select_related("signature")
            .order_by("effective_from", "id")
            if request.user.has_perm("post.export_appointment", a)
        ]
        name = "cqo-filing.xlsx"
    response = HttpResponse(documents.filing_xlsx(rows, language=_lang()), content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


# --- qualification --------------------------------------------------------------------------


def _person(request: HttpRequest, pk: int, perm: str) -> Person:
    person = get_object_or_404(
        Person.objects.select_related("unit", "unit__enterprise", "user"), pk=pk
    )
    _check(request, perm, person)
    return person


@login_required
@require_GET
def qualification_index(request: HttpRequest) -> HttpResponseBase:
    _check(request, "post.view_qualification")
    people: QuerySet[Person] = sel.people_visible_for_qualification(request.user)
    if people.count() == 1 and not request.GET.get("q"):
        return redirect("post:qualification", people.get().pk)
    query = (request.GET.get("q") or "").strip()
    if query:
        people = people.filter(name__icontains=query) | people.filter(employee_no__icontains=query)
    candidates = people.filter(user__groups__name="cqo").distinct()
    enterprise = enterprise_current(request.user)
    policy_form = None
    if enterprise is not None and request.user.has_perm(
        "post.change_qualificationpolicy", enterprise
    ):
        policy_form = PolicyForm(initial={"rule_set": rule_set_for(enterprise)})
    return render(
        request,
        "post/qualification_index.html",
        _base(
            request,
            people=people[:50] if query else [],
            candidates=candidates,
            query=query,
            rule_set=rule_set_for(enterprise),
            policy_form=policy_form,
        ),
    )


@login_required
@require_POST
def qualification_policy(request: HttpRequest) -> HttpResponseBase:
    enterprise = enterprise_current(request.user)
    if enterprise is None:
        raise Http404(_("No enterprise has been set up yet."))
    _check(request, "post.change_qualificationpolicy", enterprise)
    form = PolicyForm(request.POST)
    if form.is_valid():
        try:
            S.qualification_policy_set(
                actor=actor_of(request),
                enterprise=enterprise,
                rule_set=form.cleaned_data["rule_set"],
            )
        except ValidationError as exc:
            _service_error(request, exc)
        else:
            messages.success(request, _("The qualification rule set was changed."))
    return redirect("post:qualification_index")


def _qualification_context(request: HttpRequest, person: Person, **extra: Any) -> dict[str, Any]:
    declaration_form = extra.pop("declaration_form", None)
    if declaration_form is None and request.user.has_perm("post.declare_disqualification", person):
        latest = declarations_latest(person)
        declaration_form = DeclarationForm(
            initial={f"decl_{k}": ("yes" if v.applies else "no") for k, v in latest.items()}
        )
    return _base(
        request,
        person=person,
        report=qualification_check(person),
        evidence=sel.evidence_for(person),
        declarations=declarations_latest(person),
        declaration_form=declaration_form,
        policy=QualificationPolicy.objects.filter(enterprise=person.unit.enterprise).first(),
        can=_can(
            request,
            "post.add_evidencedocument",
            "post.void_evidencedocument",
            "post.declare_disqualification",
            "post.add_appointment",
            obj=person,
        ),
        **extra,
    )


@login_required
@require_GET
def qualification_report(request: HttpRequest, pk: int) -> HttpResponse:
    person = _person(request, pk, "post.view_qualification")
    return render(
        request, "post/qualification_report.html", _qualification_context(request, person)
    )


@login_required
@require_GET
def qualification_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    person = _person(request, pk, "post.view_qualification")
    return _pdf(
        documents.qualification_pdf(person, language=_lang()),
        f"qualification-{person.employee_no}.pdf",
    )


@login_required
@require_POST
def qualification_declare(request: HttpRequest, pk: int) -> HttpResponseBase:
    person = _person(request, pk, "post.declare_disqualification")
    form = DeclarationForm(request.POST)
    if form.is_valid():
        try:
            S.disqualification_declare(
                actor=actor_of(request),
                person=person,
                answers=form.declarations(),
                note=form.cleaned_data.get("note", ""),
            )
        except ValidationError as exc:
            errors_apply(form, exc)
        else:
            messages.success(request, _("The declarations were recorded."))
            return redirect("post:qualification", person.pk)
    return render(
        request,
        "post/qualification_report.html",
        _qualification_context(request, person, declaration_form=form),
        status=400,
    )


@login_required
@GET_POST
def evidence_new(request: HttpRequest, pk: int) -> HttpResponseBase:
    person = _person(request, pk, "post.add_evidencedocument")
    form = EvidenceForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        try:
            S.evidence_add(actor=actor_of(request), person=person, **data)
        except ValidationError as exc:
            errors_apply(form, exc)
        else:
            messages.success(request, _("The document was put on file."))
            return redirect("post:qualification", person.pk)
    return render(request, "post/evidence_form.html", _base(request, form=form, person=person))


def _evidence(request: HttpRequest, pk: int, perm: str) -> EvidenceDocument:
    doc = get_object_or_404(EvidenceDocument.objects.select_related("person"), pk=pk)
    _check(request, perm, doc)
    return doc


@login_required
@require_GET
def evidence_file(request: HttpRequest, pk: int) -> HttpResponseBase:
    doc = _evidence(request, pk, "post.view_evidencedocument")
    if not doc.file:
        raise Http404(_("No file was uploaded for this document."))
    return file_response(doc.file)


@login_required
@GET_POST
def evidence_void(request: HttpRequest, pk: int) -> HttpResponseBase:
    doc = _evidence(request, pk, "post.void_evidencedocument")
    form = ReasonForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            S.evidence_void(
                actor=actor_of(request), evidence=doc, reason=form.cleaned_data["reason"]
            )
        except ValidationError as exc:
            errors_apply(form, exc)
        else:
            messages.success(request, _("The document was voided."))
            return redirect("post:qualification", doc.person_id)
    return render(request, "post/evidence_void.html", _base(request, form=form, doc=doc))


# --- competence -----------------------------------------------------------------------------


@login_required
@GET_POST
def competence_list(request: HttpRequest) -> HttpResponseBase:
    _check(request, "post.view_competenceassessment")
    assessments = sel.assessments_visible(request.user)
    people = sel.people_visible_for_qualification(request.user).filter(status="active")
    current = sel.cqo_current()
    initial: dict[str, Any] = {"assessed_on": timezone.localdate()}
    if current is not None:
        initial["person"] = current.person
    form = None
    if request.user.has_perm("post.add_competenceassessment"):
        form = AssessmentForm(request.POST or None, people=people, initial=initial)
    if request.method == "POST":
        if form is None:
            raise PermissionDenied(_("You do not have permission to do this."))
        if form.is_valid():
            person = form.cleaned_data["person"]
            _check(request, "post.add_competenceassessment", person)
            try:
                created = S.assessment_create(
                    actor=actor_of(request),
                    person=person,
                    assessed_on=form.cleaned_data["assessed_on"],
                    summary=form.cleaned_data.get("summary", ""),
                )
            except ValidationError as exc:
                errors_apply(form, exc)
            else:
                return redirect("post:competence_detail", created.pk)
    visible = _current_visible(request, current)
    return render(
        request,
        "post/competence_list.html",
        _base(
            request,
            assessments=assessments,
            form=form,
            current=visible,
            # What the CQO in office owes is theirs to see, and the principal's and auditor's.
            due=sel.competence_due() if visible is not None else [],
        ),
    )


def _assessment(
    request: HttpRequest, pk: int, perm: str = "post.view_competenceassessment"
) -> CompetenceAssessment:
    assessment = get_object_or_404(CompetenceAssessment.objects.select_related("person"), pk=pk)
    _check(request, perm, assessment)
    return assessment


def _score_side(request: HttpRequest, assessment: CompetenceAssessment) -> str:
    me = user_person(request.user)
    if me is not None and me.pk == assessment.person_id:
        return "self"
    if request.user.has_perm("post.complete_competenceassessment", assessment):
        return "principal"
    return ""


def _competence_context(
    request: HttpRequest, assessment: CompetenceAssessment, **extra: Any
) -> dict[str, Any]:
    side = _score_side(request, assessment)
    scores = list(assessment.scores.all())
    field = "self_score" if side == "self" else "principal_score"
    score_form = extra.pop("score_form", None)
    if score_form is None and side and assessment.status == AssessmentStatus.OPEN:
        score_form = ScoreForm(initial_scores={s.area: getattr(s, field) for s in scores})
    action_form = extra.pop("action_form", None)
    if action_form is None and request.user.has_perm(
        "post.change_competenceassessment", assessment
    ):
        action_form = ActionForm()
    labels = dict(CompetenceArea.choices)
    return _base(
        request,
        assessment=assessment,
        scores=[{"row": s, "label": labels[s.area]} for s in scores],
        actions=assessment.actions.all(),
        side=side,
        score_form=score_form,
        action_form=action_form,
        today=timezone.localdate(),
        can=_can(
            request,
            "post.change_competenceassessment",
            "post.complete_competenceassessment",
            obj=assessment,
        ),
        **extra,
    )


@login_required
@require_GET
def competence_detail(request: HttpRequest, pk: int) -> HttpResponse:
    assessment = _assessment(request, pk)
    return render(request, "post/competence_detail.html", _competence_context(request, assessment))


@login_required
@require_POST
def competence_score(request: HttpRequest, pk: int) -> HttpResponseBase:
    assessment = _assessment(request, pk, "post.score_competenceassessment")
    form = ScoreForm(request.POST)
    if form.is_valid():
        try:
            S.assessment_score(actor=actor_of(request), assessment=assessment, scores=form.scores())
        except ValidationError as exc:
            errors_apply(form, exc)
        else:
            messages.success(request, _("The scores were saved."))
            return redirect("post:competence_detail", assessment.pk)
    return render(
        request,
        "post/competence_detail.html",
        _competence_context(request, assessment, score_form=form),
        status=400,
    )


@login_required
@require_POST
def competence_action(request: HttpRequest, pk: int) -> HttpResponseBase:
    assessment = _assessment(request, pk, "post.change_competenceassessment")
    form = ActionForm(request.POST)
    if form.is_valid():
        try:
            S.assessment_action_add(
                actor=actor_of(request), assessment=assessment, **form.cleaned_data
            )
        except ValidationError as exc:
            errors_apply(form, exc)
        else:
            messages.success(request, _("The action was added to the development plan."))
            return redirect("post:competence_detail", assessment.pk)
    return render(
        request,
        "post/competence_detail.html",
        _competence_context(request, assessment, action_form=form),
        status=400,
    )


@login_required
@require_POST
def competence_action_done(request: HttpRequest, pk: int) -> HttpResponseBase:
    action = get_object_or_404(
        DevelopmentAction.objects.select_related("assessment", "assessment__person"), pk=pk
    )
    _check(request, "post.change_competenceassessment", action.assessment)
    try:
        S.assessment_action_done(actor=actor_of(request), action=action)
    except ValidationError as exc:
        _service_error(request, exc)
    return redirect("post:competence_detail", action.assessment_id)


@login_required
@require_POST
def competence_complete(request: HttpRequest, pk: int) -> HttpResponseBase:
    assessment = _assessment(request, pk, "post.complete_competenceassessment")
    try:
        S.assessment_complete(actor=actor_of(request), assessment=assessment)
    except ValidationError as exc:
        _service_error(request, exc)
    else:
        messages.success(request, _("The assessment was completed."))
    return redirect("post:competence_detail", assessment.pk)
