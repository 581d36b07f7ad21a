"""Every change to the CQO post: appointment (§3.1, §4.1), qualification (§5.1), competence
(§5.2, §5.3) and the charter (§4.2).

Each service: permission first, then validation (``ValidationError`` naming the field, in the
user's language), then the change and its audit event, in one transaction; a refused change
leaves nothing behind. An appointment takes effect only through the principal's e-signature, and
every appointment service re-runs the qualification check, so a blocked candidate cannot be
appointed by any door (page, API, import, job).

The organisation's posts follow the appointment: signing assigns the person to the enterprise's
CQO post, and to its quality-safety-director post when ``also_quality_safety_director`` is set
(one person may hold both, §3.1); a handover, a renewal that drops the flag, a removal and (by the
daily job) a term that ran out end those assignments, all through the organisation services in
the same transaction, each audited. Only posts that already exist are used: an enterprise with no
CQO or quality-safety-director post gets none created, and the step is skipped for it.

A charter version is approved and published only while its content still matches what
``charter_generate`` would build from today's data; otherwise the service refuses (§4.2).
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Mapping
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from cqo.accounts.models import User
from cqo.audit.services import (
    SignatureError,
    SignedMeaning,
    audit_record,
    audited_change,
    record_void,
    signature_sign,
    snapshot,
)
from cqo.core.clauses import clause, clauses
from cqo.core.permissions import require
from cqo.core.texts import stored
from cqo.core.uploads import upload_check
from cqo.organisation import roles as R
from cqo.organisation.models import (
    SINGLE_HOLDER_KINDS,
    EducationLevel,
    Enterprise,
    Person,
    Post,
    PostAssignment,
    PostKind,
    TitleLevel,
)
from cqo.organisation.rules import has_role, user_person

from .models import (
    Appointment,
    AppointmentKind,
    AppointmentOrigin,
    AppointmentStatus,
    AssessmentStatus,
    CompetenceArea,
    CompetenceAssessment,
    CompetenceScore,
    DevelopmentAction,
    Disqualification,
    DisqualificationDeclaration,
    EndKind,
    EvidenceDocument,
    EvidenceKind,
    LedFunction,
    PostForm,
    QualificationPolicy,
    QualificationRuleSet,
)
from .qualification import QualificationReport, qualification_check, rule_set_for
from .signals import appointment_changed

CLAUSE_APPOINT = clause("§3.1")
CLAUSE_POST = clauses("§3.1", "§4.1")
CLAUSE_CHARTER = clause("§4.2")
CLAUSE_QUALIFICATION = clause("§5.1")
CLAUSE_DISQUALIFICATION = clause("§5.1.4")
CLAUSE_COMPETENCE = clauses("§5.2", "§5.3")


_principal_role = has_role(R.PRINCIPAL)


# --- helpers --------------------------------------------------------------------------------


def _require_principal_signer(actor: User, clause: str) -> None:
    """Only someone who holds the principal role signs for the principal (not even a superuser)."""
    if actor is None or not actor.is_active or not _principal_role(actor):
        raise PermissionDenied(
            _(
                "Only the legal representative or principal person in charge may sign this "
                "(%(clause)s)."
            )
            % {"clause": clause}
        )


def _sign(
    *,
    actor: User,
    password: str | None,
    obj: Any,
    content: dict[str, Any],
    signed: SignedMeaning,
) -> Any:
    if not password:
        raise ValidationError({"password": _("Enter your password to sign.")})
    try:
        return signature_sign(
            user=actor,
            password=password,
            obj=obj,
            content=content,
            meaning=signed.text,
            clause=signed.clause,
        )
    except SignatureError as exc:
        raise ValidationError({"password": exc.messages}) from exc


def _actor_person(actor: User, field: str = "principal") -> Person:
    person = user_person(actor)
    if person is None:
        raise ValidationError(
            {
                field: _(
                    "Your account is not linked to a person of the enterprise; ask the "
                    "administrator to link it."
                )
            }
        )
    return person


def _enterprise_lock(enterprise: Enterprise) -> Enterprise:
    # One row lock per enterprise serialises appointments, so two overlapping ones cannot both pass.
    return Enterprise.objects.select_for_update().get(pk=enterprise.pk)


def _fmt_span(start: datetime.date, end: datetime.date | None) -> str:
    return f"{start} – {end}" if end else _("%(start)s, open-ended") % {"start": start}


def _overlap_refuse(
    enterprise: Enterprise,
    start: datetime.date,
    end: datetime.date | None,
    *,
    exclude: Iterable[int] = (),
) -> None:
    excluded = {pk for pk in exclude if pk}
    for other in Appointment.objects.live().filter(enterprise=enterprise).select_related("person"):
        if other.pk in excluded:
            continue
        other_end = other.last_day
        if other_end is not None and other_end < other.effective_from:
            continue  # ended before it began: it never occupied the post
        if (other_end is None or start <= other_end) and (
            end is None or end >= other.effective_from
        ):
            raise ValidationError(
                {
                    "effective_from": _(
                        "%(clause)s The enterprise has one CQO post and one holder at a time: "
                        "%(number)s (%(person)s, %(state)s) covers %(span)s. End, hand over or "
                        "withdraw it first, or choose dates that do not overlap."
                    )
                    % {
                        "clause": CLAUSE_POST,
                        "number": other.number,
                        "person": other.person,
                        "state": other.get_status_display(),
                        "span": _fmt_span(other.effective_from, other_end),
                    }
                }
            )


def _qualification_refuse(
    person: Person, *, on: datetime.date | None = None
) -> QualificationReport:
    report = qualification_check(person, on=on)
    if report.blocked:
        raise ValidationError(
            {
                "person": _("%(person)s cannot be appointed CQO: %(reasons)s")
                % {"person": person, "reasons": report.block_message()}
            }
        )
    return report


def _terms_clean(
    *,
    person: Person | None,
    enterprise: Enterprise,
    kind: str,
    effective_from: datetime.date | None,
    effective_to: datetime.date | None,
    post_form: str,
    holder_position: str,
    functions: Iterable[str],
) -> list[str]:
    errors: dict[str, str] = {}
    if person is None:
        errors["person"] = _("Choose the person to appoint.")
    elif person.unit.enterprise_id != enterprise.pk:
        errors["person"] = _("%(person)s does not belong to this enterprise.") % {"person": person}
    if kind not in AppointmentKind.values:
        errors["kind"] = _("Choose appointment or authorisation.")
    if effective_from is None:
        errors["effective_from"] = _("Give the day the appointment takes effect.")
    elif effective_to is not None and effective_to < effective_from:
        errors["effective_to"] = _("The end of the term cannot be before its start.")
    if post_form not in PostForm.values:
        errors["post_form"] = _("Choose the form of the post (§4.1).")
    elif post_form == PostForm.CONCURRENT and not (holder_position or "").strip():
        errors["holder_position"] = _(
            "§4.1: a post held concurrently needs the holder's senior position (deputy head or "
            "above)."
        )
    codes = list(dict.fromkeys(functions or []))
    unknown = [c for c in codes if c not in LedFunction.values]
    if unknown:
        errors["functions"] = _("Unknown function: %(code)s.") % {"code": ", ".join(unknown)}
    elif not codes:
        errors["functions"] = _("§4.1: choose the functions the CQO leads directly.")
    if errors:
        raise ValidationError(errors)
    return [c for c in LedFunction.values if c in codes]


def _principal_check(enterprise: Enterprise, principal: Person, person: Person | None) -> None:
    allowed = {pk for pk in (enterprise.principal_id, enterprise.legal_representative_id) if pk}
    if allowed and principal.pk not in allowed:
        raise ValidationError(
            {
                "principal": _(
                    "§3.1: the CQO is appointed by the legal representative or principal person in "
                    "charge recorded for the enterprise; %(person)s is neither."
                )
                % {"person": principal}
            }
        )
    if person is not None and person.pk == principal.pk:
        raise ValidationError({"person": _("The principal cannot appoint themself as CQO.")})


def _next_number(enterprise: Enterprise, day: datetime.date) -> str:
    prefix = f"CQO-{day.year}-"
    taken = Appointment.objects.filter(number__startswith=prefix).count()
    n = taken + 1
    while Appointment.objects.filter(number=f"{prefix}{n:03d}").exists():
        n += 1
    return f"{prefix}{n:03d}"


def appointment_content(appointment: Appointment) -> dict[str, Any]:
    """What the principal signs: the terms of the appointment, not the bookkeeping around it."""
    return {
        "number": appointment.number,
        "enterprise": appointment.enterprise.credit_code,
        "person": {"id": appointment.person_id, "name": appointment.person.name},
        "principal": {"id": appointment.principal_id, "name": appointment.principal.name},
        "kind": appointment.kind,
        "effective_from": appointment.effective_from.isoformat(),
        "effective_to": appointment.effective_to.isoformat() if appointment.effective_to else None,
        "post_form": appointment.post_form,
        "holder_position": appointment.holder_position,
        "functions": list(appointment.functions),
        "also_quality_safety_director": appointment.also_quality_safety_director,
        "origin": appointment.origin,
        "predecessor": appointment.predecessor.number if appointment.predecessor else None,
    }


def _declarations_apply(
    actor: User, person: Person, declarations: Mapping[str, bool] | None
) -> None:
    if declarations:
        disqualification_declare(actor=actor, person=person, answers=declarations)


def _draft_create(
    *,
    actor: User,
    person: Person,
    origin: str,
    predecessor: Appointment | None,
    kind: str,
    effective_from: datetime.date | None,
    effective_to: datetime.date | None,
    post_form: str,
    holder_position: str,
    functions: Iterable[str],
    also_quality_safety_director: bool,
    note: str,
    declarations: Mapping[str, bool] | None,
    password: str | None,
) -> Appointment:
    principal = _actor_person(actor)
    enterprise = _enterprise_lock(principal.unit.enterprise)
    codes = _terms_clean(
        person=person,
        enterprise=enterprise,
        kind=kind,
        effective_from=effective_from,
        effective_to=effective_to,
        post_form=post_form,
        holder_position=holder_position,
        functions=functions,
    )
    assert effective_from is not None
    _principal_check(enterprise, principal, person)
    _declarations_apply(actor, person, declarations)
    report = _qualification_refuse(person)
    _overlap_refuse(
        enterprise, effective_from, effective_to, exclude=[predecessor.pk if predecessor else 0]
    )
    appointment = Appointment(
        enterprise=enterprise,
        number=_next_number(enterprise, timezone.localdate()),
        person=person,
        principal=principal,
        kind=kind,
        effective_from=effective_from,
        effective_to=effective_to,
        post_form=post_form,
        holder_position=(holder_position or "").strip(),
        functions=codes,
        also_quality_safety_director=bool(also_quality_safety_director),
        origin=origin,
        predecessor=predecessor,
        note=(note or "").strip(),
        rule_set=report.rule_set,
        created_by=actor,
    )
    appointment.full_clean(exclude=["signature", "end_signature", "created_by"])
    appointment.save()
    audit_record(
        actor=actor,
        action=f"post.appointment.{origin}",
        obj=appointment,
        after={**snapshot(appointment), "qualification": report.outcome},
        clause=CLAUSE_POST,
    )
    if password is not None:
        return appointment_sign(actor=actor, appointment=appointment, password=password)
    return appointment


# --- appointment ----------------------------------------------------------------------------


@transaction.atomic
def appointment_create(
    *,
    actor: User,
    person: Person,
    effective_from: datetime.date | None,
    effective_to: datetime.date | None = None,
    kind: str = AppointmentKind.APPOINTMENT,
    post_form: str = PostForm.DEDICATED,
    holder_position: str = "",
    functions: Iterable[str] = tuple(LedFunction.values),
    also_quality_safety_director: bool = False,
    note: str = "",
    declarations: Mapping[str, bool] | None = None,
    password: str | None = None,
) -> Appointment:
    """Draft an appointment (§3.1, §4.1); with ``password`` the principal signs it at once."""
    require(actor, "post.add_appointment", clause=CLAUSE_APPOINT)
    return _draft_create(
        actor=actor,
        person=person,
        origin=AppointmentOrigin.NEW,
        predecessor=None,
        kind=kind,
        effective_from=effective_from,
        effective_to=effective_to,
        post_form=post_form,
        holder_position=holder_position,
        functions=functions,
        also_quality_safety_director=also_quality_safety_director,
        note=note,
        declarations=declarations,
        password=password,
    )


def _predecessor_check(
    appointment: Appointment, effective_from: datetime.date | None
) -> Appointment:
    locked = (
        Appointment.objects.select_for_update(of=("self",))
        .select_related("person")
        .get(pk=appointment.pk)
    )
    if locked.voided_at is not None or locked.status != AppointmentStatus.SIGNED:
        raise ValidationError(
            _("Only a signed appointment that has not ended can be renewed or handed over.")
        )
    last = locked.last_day
    if last is not None and last < timezone.localdate():
        raise ValidationError(
            _("%(number)s ended on %(date)s; make a new appointment instead.")
            % {"number": locked.number, "date": last}
        )
    if effective_from is not None and effective_from <= locked.effective_from:
        raise ValidationError(
            {
                "effective_from": _(
                    "The new term must start after %(date)s, when %(number)s started."
                )
                % {"date": locked.effective_from, "number": locked.number}
            }
        )
    return locked


@transaction.atomic
def appointment_renew(
    *,
    actor: User,
    appointment: Appointment,
    effective_to: datetime.date | None,
    effective_from: datetime.date | None = None,
    note: str = "",
    password: str | None = None,
    **changes: Any,
) -> Appointment:
    """A new term for the same CQO, following on from the current one (ended when signed)."""
    require(actor, "post.renew_appointment", appointment, clause=CLAUSE_APPOINT)
    allowed = {
        "kind",
        "post_form",
        "holder_position",
        "functions",
        "also_quality_safety_director",
        "declarations",
    }
    unknown = set(changes) - allowed
    if unknown:
        raise TypeError(f"unexpected fields: {', '.join(sorted(unknown))}")
    if effective_from is None and appointment.last_day is not None:
        effective_from = appointment.last_day + datetime.timedelta(days=1)
    old = _predecessor_check(appointment, effective_from)
    return _draft_create(
        actor=actor,
        person=old.person,
        origin=AppointmentOrigin.RENEWAL,
        predecessor=old,
        kind=changes.get("kind", old.kind),
        effective_from=effective_from,
        effective_to=effective_to,
        post_form=changes.get("post_form", old.post_form),
        holder_position=changes.get("holder_position", old.holder_position),
        functions=changes.get("functions", old.functions),
        also_quality_safety_director=changes.get(
            "also_quality_safety_director", old.also_quality_safety_director
        ),
        note=note,
        declarations=changes.get("declarations"),
        password=password,
    )


@transaction.atomic
def appointment_handover(
    *,
    actor: User,
    appointment: Appointment,
    person: Person,
    effective_from: datetime.date | None,
    effective_to: datetime.date | None = None,
    kind: str = AppointmentKind.APPOINTMENT,
    post_form: str = PostForm.DEDICATED,
    holder_position: str = "",
    functions: Iterable[str] = tuple(LedFunction.values),
    also_quality_safety_director: bool = False,
    note: str = "",
    declarations: Mapping[str, bool] | None = None,
    password: str | None = None,
) -> Appointment:
    """Hand the post to another person; once signed, the old term ends the day before."""
    require(actor, "post.handover_appointment", appointment, clause=CLAUSE_APPOINT)
    old = _predecessor_check(appointment, effective_from)
    if person is not None and person.pk == old.person_id:
        raise ValidationError(
            {"person": _("A handover is to another person; to extend the same CQO, renew.")}
        )
    return _draft_create(
        actor=actor,
        person=person,
        origin=AppointmentOrigin.HANDOVER,
        predecessor=old,
        kind=kind,
        effective_from=effective_from,
        effective_to=effective_to,
        post_form=post_form,
        holder_position=holder_position,
        functions=functions,
        also_quality_safety_director=also_quality_safety_director,
        note=note,
        declarations=declarations,
        password=password,
    )


# --- the meaning of each signed act: one function, used by the page and the service ---------


def appointment_sign_meaning(appointment: Appointment) -> SignedMeaning:
    if appointment.kind == AppointmentKind.AUTHORISATION:
        return SignedMeaning(_("Authorised as CQO by the principal under §3.1"), CLAUSE_APPOINT)
    return SignedMeaning(_("Appointed as CQO by the principal under §3.1"), CLAUSE_APPOINT)


def appointment_remove_meaning(appointment: Appointment) -> SignedMeaning:
    return SignedMeaning(_("Removed from the CQO post by the principal under §3.1"), CLAUSE_APPOINT)


@transaction.atomic
def appointment_sign(*, actor: User, appointment: Appointment, password: str | None) -> Appointment:
    """The principal's e-signature puts the appointment in force (never before the signing day).

    A renewal or handover ends the appointment it follows in the same transaction.
    """
    require(actor, "post.sign_appointment", appointment, clause=CLAUSE_APPOINT)
    _require_principal_signer(actor, CLAUSE_APPOINT)
    enterprise = _enterprise_lock(appointment.enterprise)
    locked = (
        Appointment.objects.select_for_update(of=("self",))
        .select_related("person", "principal", "predecessor")
        .get(pk=appointment.pk)
    )
    if locked.voided_at is not None:
        raise ValidationError(_("This draft was withdrawn; it can no longer be signed."))
    if locked.status != AppointmentStatus.DRAFT:
        raise ValidationError(_("%(number)s is already signed.") % {"number": locked.number})
    signer = _actor_person(actor)
    if signer.pk != locked.principal_id:
        raise PermissionDenied(
            _("Only %(principal)s, the appointing principal on this draft, may sign it (§3.1).")
            % {"principal": locked.principal}
        )
    before = snapshot(locked)
    today = timezone.localdate()
    reason = ""
    if locked.effective_from < today:
        # An appointment cannot be in force before the principal has signed it.
        reason = _("The start moved from %(old)s to %(new)s, the signing day.") % {
            "old": locked.effective_from,
            "new": today,
        }
        locked.effective_from = today
        if locked.effective_to is not None and locked.effective_to < today:
            raise ValidationError(
                {
                    "effective_to": _(
                        "The term ended on %(date)s, before today's signature; draft a new "
                        "appointment."
                    )
                    % {"date": locked.effective_to}
                }
            )
    report = _qualification_refuse(locked.person)
    _overlap_refuse(
        enterprise,
        locked.effective_from,
        locked.effective_to,
        exclude=[locked.pk, locked.predecessor_id or 0],
    )
    signature = _sign(
        actor=actor,
        password=password,
        obj=locked,
        content=appointment_content(locked),
        signed=appointment_sign_meaning(locked),
    )
    locked.status = AppointmentStatus.SIGNED
    locked.signed_at = signature.signed_at
    locked.signature = signature
    locked.rule_set = report.rule_set
    locked.qualification = report.as_dict()
    locked.save()
    audit_record(
        actor=actor,
        action="post.appointment.sign",
        obj=locked,
        before=before,
        after=snapshot(locked),
        reason=reason,
        clause=CLAUSE_POST,
    )
    if locked.predecessor_id:
        _predecessor_end(actor, locked)
    _posts_take_up(actor, locked)
    # A renewal continues the post: the charter (above this app) keeps today's published version
    # current while it still says what the data says; a new CQO (appointment or handover) puts
    # it out of date at once, ahead of the change.
    appointment_changed.send(
        sender=Appointment,
        reason=stored(gettext_noop("CQO appointment %(number)s was signed."), number=locked.number),
        actor=actor,
        continues_post=locked.origin == AppointmentOrigin.RENEWAL,
    )
    return locked


# --- the organisation's CQO and quality-safety-director posts ---------------------------------


def _appointment_posts(appointment: Appointment, *, qsd: bool | None = None) -> list[Post]:
    """The enterprise's CQO post, and its quality-safety-director post when the appointment says
    the CQO holds it too (§3.1). Posts are never created here: an enterprise without them simply
    has nothing to assign."""
    with_qsd = appointment.also_quality_safety_director if qsd is None else qsd
    kinds = [PostKind.CQO] + ([PostKind.QUALITY_SAFETY_DIRECTOR] if with_qsd else [])
    posts: list[Post] = []
    for kind in kinds:
        post = (
            Post.objects.filter(enterprise_id=appointment.enterprise_id, kind=kind)
            .filter(voided_at__isnull=True)
            .order_by("code", "pk")
            .first()
        )
        if post is not None:
            posts.append(post)
    return posts


def _posts_release(
    actor: User | None,
    *,
    person: Person,
    posts: Iterable[Post],
    last_day: datetime.date,
    reason: str,
) -> None:
    """End ``person``'s open assignments to ``posts`` on ``last_day`` (organisation services, so
    each end is audited in this transaction)."""
    from cqo.organisation.services import post_assignment_end

    for post in posts:
        open_ = PostAssignment.objects.filter(post=post, person=person, end_date__isnull=True)
        for assignment in open_:
            post_assignment_end(
                actor=actor,
                assignment=assignment,
                end_date=max(last_day, assignment.start_date),
                reason=reason,
            )


def _posts_take_up(actor: User, appointment: Appointment) -> None:
    """Assign the appointed person to the CQO post (and the QSD post when flagged) from the first
    day of the appointment; anyone else holding a one-holder post then is ended the day before."""
    from cqo.organisation.services import post_assign

    start = appointment.effective_from
    reason = _("The CQO post passed to %(person)s under %(number)s (§3.1).") % {
        "person": appointment.person,
        "number": appointment.number,
    }
    for post in _appointment_posts(appointment):
        if post.single_holder or post.kind in SINGLE_HOLDER_KINDS:
            others = (
                PostAssignment.objects.filter(post=post, start_date__lt=start)
                .exclude(person=appointment.person)
                .filter(Q(end_date__isnull=True) | Q(end_date__gte=start))
            )
            for other in others:
                if other.end_date is None:
                    _posts_release(
                        actor,
                        person=other.person,
                        posts=[post],
                        last_day=start - datetime.timedelta(days=1),
                        reason=reason,
                    )
        held = PostAssignment.objects.filter(
            post=post, person=appointment.person, start_date__lte=start, end_date__isnull=True
        ).exists()
        if held:
            continue
        post_assign(
            actor=actor,
            post=post,
            person=appointment.person,
            start_date=start,
            note=_("CQO appointment %(number)s") % {"number": appointment.number},
        )


@transaction.atomic
def appointment_posts_expire(*, on: datetime.date | None = None) -> list[str]:
    """For the daily job: a signed term that ran out, and was neither renewed nor handed over,
    ends its holder's CQO (and quality-safety-director) post assignments on its last day.

    The job has no user of its own; the end is recorded in the name of the enterprise's
    principal, whose signature set that term. Where no active principal user holds the
    assignment authority the assignment is left open and the appointment is named in the result.
    Returns the numbers of the appointments dealt with (or skipped, suffixed ``:skipped``).
    """
    day = on or timezone.localdate()
    done: list[str] = []
    lapsed = (
        Appointment.objects.filter(
            voided_at__isnull=True,
            status=AppointmentStatus.SIGNED,
            effective_to__lt=day,
            ended_on__isnull=True,
        )
        .select_related("person", "enterprise__principal__user")
        .order_by("effective_to", "pk")
    )
    for appointment in lapsed:
        assert appointment.effective_to is not None
        if Appointment.objects.in_force(day).filter(person=appointment.person_id).exists():
            continue
        posts = [
            p
            for p in _appointment_posts(appointment)
            if PostAssignment.objects.filter(
                post=p, person=appointment.person, end_date__isnull=True
            ).exists()
        ]
        if not posts:
            continue
        principal = appointment.enterprise.principal
        actor = principal.user if principal is not None else None
        try:
            _posts_release(
                actor,
                person=appointment.person,
                posts=posts,
                last_day=appointment.effective_to,
                reason=_("The term of CQO appointment %(number)s ended on %(date)s.")
                % {"number": appointment.number, "date": appointment.effective_to},
            )
        except PermissionDenied:
            done.append(f"{appointment.number}:skipped")
            continue
        done.append(appointment.number)
    return done


def _predecessor_end(actor: User, successor: Appointment) -> None:
    assert successor.predecessor_id is not None
    old = Appointment.objects.select_for_update().get(pk=successor.predecessor_id)
    last = successor.effective_from - datetime.timedelta(days=1)
    before = snapshot(old)
    if old.last_day is None or old.last_day >= successor.effective_from:
        old.ended_on = last
    old.status = AppointmentStatus.ENDED
    if successor.origin == AppointmentOrigin.HANDOVER:
        old.end_kind = EndKind.HANDED_OVER
        old.end_reason = _("Handed over to %(person)s under %(number)s.") % {
            "person": successor.person,
            "number": successor.number,
        }
    else:
        old.end_kind = EndKind.RENEWED
        old.end_reason = _("Renewed by %(number)s.") % {"number": successor.number}
    old.save()
    if old.person_id != successor.person_id:
        _posts_release(
            actor,
            person=old.person,
            posts=_appointment_posts(old),
            last_day=last,
            reason=old.end_reason,
        )
    elif old.also_quality_safety_director and not successor.also_quality_safety_director:
        _posts_release(
            actor,
            person=old.person,
            posts=[p for p in _appointment_posts(old, qsd=True) if p.kind != PostKind.CQO],
            last_day=last,
            reason=old.end_reason,
        )
    # A renewal continues the same person in the post: the old term is closed off for the
    # record, but nothing ended, so no end event (§3.1).
    renewal = successor.origin == AppointmentOrigin.RENEWAL and old.person_id == successor.person_id
    audit_record(
        actor=actor,
        action="post.appointment.continue" if renewal else "post.appointment.end",
        obj=old,
        before=before,
        after=snapshot(old),
        reason=old.end_reason,
        clause=CLAUSE_POST,
    )


@transaction.atomic
def appointment_remove(
    *,
    actor: User,
    appointment: Appointment,
    reason: str,
    password: str | None,
    last_day: datetime.date | None = None,
) -> Appointment:
    """The principal removes the CQO, with a reason and an e-signature (§3.1)."""
    require(actor, "post.remove_appointment", appointment, clause=CLAUSE_APPOINT)
    _require_principal_signer(actor, CLAUSE_APPOINT)
    _enterprise_lock(appointment.enterprise)
    locked = (
        Appointment.objects.select_for_update(of=("self",))
        .select_related("person")
        .get(pk=appointment.pk)
    )
    if locked.voided_at is not None or locked.status != AppointmentStatus.SIGNED:
        raise ValidationError(_("Only a signed appointment that has not ended can be removed."))
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Give the reason for the removal.")})
    today = timezone.localdate()
    last_day = last_day or today
    if last_day < today:
        raise ValidationError(
            {
                "last_day": _(
                    "A removal cannot take effect in the past; the earliest last day is today."
                )
            }
        )
    if locked.last_day is not None and last_day > locked.last_day:
        raise ValidationError(
            {"last_day": _("The term already ends on %(date)s.") % {"date": locked.last_day}}
        )
    content = {
        "number": locked.number,
        "person": locked.person.name,
        "last_day": last_day.isoformat(),
        "reason": reason,
    }
    signature = _sign(
        actor=actor,
        password=password,
        obj=locked,
        content=content,
        signed=appointment_remove_meaning(locked),
    )
    before = snapshot(locked)
    locked.status = AppointmentStatus.ENDED
    locked.ended_on = last_day
    locked.end_kind = EndKind.REMOVED
    locked.end_reason = reason
    locked.end_signature = signature
    locked.save()
    audit_record(
        actor=actor,
        action="post.appointment.remove",
        obj=locked,
        before=before,
        after=snapshot(locked),
        reason=reason,
        clause=CLAUSE_POST,
    )
    _posts_release(
        actor,
        person=locked.person,
        posts=_appointment_posts(locked),
        last_day=last_day,
        reason=reason,
    )
    appointment_changed.send(
        sender=Appointment,
        reason=stored(
            gettext_noop("CQO appointment %(number)s was ended by removal."), number=locked.number
        ),
        actor=actor,
    )
    return locked


@transaction.atomic
def appointment_withdraw(*, actor: User, appointment: Appointment, reason: str) -> Appointment:
    """Withdraw a draft the principal will not sign; signed appointments are removed instead."""
    require(actor, "post.withdraw_appointment", appointment, clause=CLAUSE_APPOINT)
    if appointment.status != AppointmentStatus.DRAFT:
        raise ValidationError(_("Only a draft can be withdrawn; a signed appointment is removed."))
    voided = record_void(
        actor=actor,
        record=appointment,
        reason=reason,
        perm="post.withdraw_appointment",
        clause=CLAUSE_APPOINT,
    )
    assert isinstance(voided, Appointment)
    return voided


# --- qualification --------------------------------------------------------------------------


@transaction.atomic
def disqualification_declare(
    *, actor: User, person: Person, answers: Mapping[str, bool], note: str = ""
) -> list[DisqualificationDeclaration]:
    """The principal declares, condition by condition, whether §5.1.4 applies to ``person``."""
    require(actor, "post.declare_disqualification", person, clause=CLAUSE_DISQUALIFICATION)
    unknown = set(answers) - set(Disqualification.values)
    if unknown:
        raise ValidationError(
            {
                "declarations": _("Unknown condition: %(code)s.")
                % {"code": ", ".join(sorted(unknown))}
            }
        )
    bad = [k for k, v in answers.items() if not isinstance(v, bool)]
    if bad:
        raise ValidationError({"declarations": _("Answer yes or no for each condition.")})
    if not answers:
        raise ValidationError({"declarations": _("Answer at least one condition.")})
    now = timezone.now()
    rows = [
        DisqualificationDeclaration.objects.create(
            person=person,
            condition=code,
            applies=answers[code],
            note=(note or "").strip(),
            declared_by=actor,
            declared_at=now,
        )
        for code in Disqualification.values
        if code in answers
    ]
    audit_record(
        actor=actor,
        action="post.disqualification.declare",
        obj=person,
        after={"declarations": {r.condition: r.applies for r in rows}, "note": note},
        clause=CLAUSE_DISQUALIFICATION,
    )
    return rows


@transaction.atomic
def evidence_add(
    *,
    actor: User,
    person: Person,
    kind: str,
    title: str,
    file: Any = None,
    issuer: str = "",
    number: str = "",
    issued_on: datetime.date | None = None,
    expires_on: datetime.date | None = None,
    education: str = "",
    title_level: str = "",
    quality_years: int | None = None,
    note: str = "",
) -> EvidenceDocument:
    """Put a diploma, certificate or letter on file for the qualification check (§5.1.2, §5.1.3)."""
    require(actor, "post.add_evidencedocument", person, clause=CLAUSE_QUALIFICATION)
    errors: dict[str, str] = {}
    if kind not in EvidenceKind.values:
        errors["kind"] = _("Choose the kind of document.")
    if education and education not in EducationLevel.values:
        errors["education"] = _("Choose an education level.")
    elif education and kind != EvidenceKind.DIPLOMA:
        errors["education"] = _("Only a diploma shows an education level.")
    if title_level and title_level not in TitleLevel.values:
        errors["title_level"] = _("Choose a title level.")
    elif title_level and kind != EvidenceKind.TITLE_CERTIFICATE:
        errors["title_level"] = _("Only a title certificate shows a title level.")
    if quality_years is not None and kind != EvidenceKind.WORK_RECORD:
        errors["quality_years"] = _("Only a record of quality work shows years of quality work.")
    elif quality_years is not None and not 0 <= quality_years <= 80:
        errors["quality_years"] = _("Give the years as a whole number from 0 to 80.")
    if errors:
        raise ValidationError(errors)
    upload_check(file, field="file")
    doc = EvidenceDocument(
        person=person,
        kind=kind,
        title=(title or "").strip(),
        issuer=(issuer or "").strip(),
        number=(number or "").strip(),
        issued_on=issued_on,
        expires_on=expires_on,
        education=education,
        title_level=title_level,
        quality_years=quality_years,
        note=(note or "").strip(),
        uploaded_by=actor,
    )
    if file is not None:
        doc.file = file
    doc.full_clean(exclude=["uploaded_by", "file"])
    doc.save()
    audit_record(
        actor=actor,
        action="post.evidence.add",
        obj=doc,
        after=snapshot(doc),
        clause="§5.1.3"
        if kind in (EvidenceKind.TRAINING_CERTIFICATE, EvidenceKind.AUTHORISATION_LETTER)
        else "§5.1.2",
    )
    return doc


@transaction.atomic
def evidence_void(*, actor: User, evidence: EvidenceDocument, reason: str) -> EvidenceDocument:
    voided = record_void(
        actor=actor,
        record=evidence,
        reason=reason,
        perm="post.void_evidencedocument",
        clause=CLAUSE_QUALIFICATION,
    )
    assert isinstance(voided, EvidenceDocument)
    return voided


@transaction.atomic
def qualification_policy_set(
    *, actor: User, enterprise: Enterprise, rule_set: QualificationRuleSet
) -> QualificationPolicy:
    """Choose the qualification rule set the enterprise applies (default DB50/T 1696)."""
    require(actor, "post.change_qualificationpolicy", enterprise, clause=CLAUSE_QUALIFICATION)
    if rule_set is None or not rule_set.rules.exists():
        raise ValidationError({"rule_set": _("Choose a rule set that has at least one row.")})
    policy = QualificationPolicy.objects.select_for_update().filter(enterprise=enterprise).first()
    before = snapshot(policy) if policy else None
    if policy is None:
        policy = QualificationPolicy(enterprise=enterprise, rule_set=rule_set)
    else:
        policy.rule_set = rule_set
    policy.save()
    audit_record(
        actor=actor,
        action="post.qualification.policy",
        obj=policy,
        before=before,
        after={**snapshot(policy), "rule_set_code": rule_set.code},
        clause=CLAUSE_QUALIFICATION,
    )
    return policy


def qualification_rule_set_current(enterprise: Enterprise | None) -> QualificationRuleSet:
    return rule_set_for(enterprise)


# --- competence -----------------------------------------------------------------------------


@transaction.atomic
def assessment_create(
    *, actor: User, person: Person, assessed_on: datetime.date | None = None, summary: str = ""
) -> CompetenceAssessment:
    """Open a knowledge and ability assessment (§5.2, §5.3), one row per area to score."""
    require(actor, "post.add_competenceassessment", person, clause=CLAUSE_COMPETENCE)
    if not person.is_active:
        raise ValidationError(
            {"person": _("%(person)s has left the enterprise.") % {"person": person}}
        )
    day = assessed_on or timezone.localdate()
    if day > timezone.localdate():
        raise ValidationError({"assessed_on": _("An assessment cannot be dated in the future.")})
    if CompetenceAssessment.objects.filter(person=person, status=AssessmentStatus.OPEN).exists():
        raise ValidationError(
            {
                "person": _("%(person)s already has an open assessment; complete it first.")
                % {"person": person}
            }
        )
    assessment = CompetenceAssessment.objects.create(
        person=person, assessed_on=day, summary=(summary or "").strip(), created_by=actor
    )
    CompetenceScore.objects.bulk_create(
        [CompetenceScore(assessment=assessment, area=code) for code in CompetenceArea.values]
    )
    audit_record(
        actor=actor,
        action="post.competence.create",
        obj=assessment,
        after=snapshot(assessment),
        clause=CLAUSE_COMPETENCE,
    )
    return assessment


def _score_side(actor: User, assessment: CompetenceAssessment) -> str:
    me = user_person(actor)
    if me is not None and me.pk == assessment.person_id:
        return "self"
    if _principal_role(actor):
        return "principal"
    raise PermissionDenied(
        _("Only the person assessed and the principal score an assessment (%(clause)s).")
        % {"clause": CLAUSE_COMPETENCE}
    )


@transaction.atomic
def assessment_score(
    *,
    actor: User,
    assessment: CompetenceAssessment,
    scores: Mapping[str, Any],
    comments: Mapping[str, str] | None = None,
) -> CompetenceAssessment:
    """Scores 1–5 per area: the person assessed fills the self column, the principal theirs."""
    require(actor, "post.score_competenceassessment", assessment, clause=CLAUSE_COMPETENCE)
    side = _score_side(actor, assessment)
    locked = CompetenceAssessment.objects.select_for_update().get(pk=assessment.pk)
    if locked.status != AssessmentStatus.OPEN:
        raise ValidationError(_("This assessment is completed; open a new one."))
    errors: dict[str, str] = {}
    clean: dict[str, int] = {}
    for area, raw in scores.items():
        if area not in CompetenceArea.values:
            errors["scores"] = _("Unknown area: %(area)s.") % {"area": area}
            continue
        if raw in (None, ""):
            continue
        try:
            value = int(raw)
        except (TypeError, ValueError):
            value = 0
        if isinstance(raw, bool) or value < 1 or value > 5 or str(value) != str(raw).strip():
            errors[area] = _("%(area)s: a score is a whole number from 1 to 5.") % {
                "area": dict(CompetenceArea.choices)[area]
            }
            continue
        clean[area] = value
    if errors:
        raise ValidationError(errors)
    if not clean:
        raise ValidationError({"scores": _("Give at least one score.")})
    field = "self_score" if side == "self" else "principal_score"
    before = {s.area: getattr(s, field) for s in locked.scores.all()}
    for score in locked.scores.select_for_update().filter(area__in=list(clean)):
        setattr(score, field, clean[score.area])
        if comments and comments.get(score.area):
            score.comment = str(comments[score.area]).strip()
        score.save()
    audit_record(
        actor=actor,
        action=f"post.competence.score_{side}",
        obj=locked,
        before={field: before},
        after={field: {**before, **clean}},
        clause=CLAUSE_COMPETENCE,
    )
    return locked


@transaction.atomic
def assessment_action_add(
    *,
    actor: User,
    assessment: CompetenceAssessment,
    action: str,
    due_on: datetime.date | None,
    area: str = "",
) -> DevelopmentAction:
    """Add an action to the development plan that follows the assessment."""
    require(actor, "post.change_competenceassessment", assessment, clause=CLAUSE_COMPETENCE)
    errors: dict[str, str] = {}
    if not (action or "").strip():
        errors["action"] = _("Describe the action.")
    if due_on is None:
        errors["due_on"] = _("Give the due date.")
    if area and area not in CompetenceArea.values:
        errors["area"] = _("Choose an area.")
    if errors:
        raise ValidationError(errors)
    row = DevelopmentAction.objects.create(
        assessment=assessment,
        action=action.strip(),
        due_on=due_on,
        area=area,  # type: ignore[misc]
    )
    audit_record(
        actor=actor,
        action="post.competence.action_add",
        obj=row,
        after=snapshot(row),
        clause=CLAUSE_COMPETENCE,
    )
    return row


@transaction.atomic
def assessment_action_done(
    *, actor: User, action: DevelopmentAction, done_on: datetime.date | None = None
) -> DevelopmentAction:
    require(actor, "post.change_competenceassessment", action.assessment, clause=CLAUSE_COMPETENCE)
    with audited_change(
        actor=actor, obj=action, action="post.competence.action_done", clause=CLAUSE_COMPETENCE
    ) as locked:
        if locked.done_on is not None:
            raise ValidationError(_("This action is already done."))
        day = done_on or timezone.localdate()
        if day > timezone.localdate():
            raise ValidationError({"done_on": _("An action cannot be done in the future.")})
        locked.done_on = day
    return locked


@transaction.atomic
def assessment_complete(
    *, actor: User, assessment: CompetenceAssessment, summary: str = ""
) -> CompetenceAssessment:
    """The principal closes the assessment once both columns are scored for every area."""
    require(actor, "post.complete_competenceassessment", assessment, clause=CLAUSE_COMPETENCE)
    locked = CompetenceAssessment.objects.select_for_update().get(pk=assessment.pk)
    if locked.status != AssessmentStatus.OPEN:
        raise ValidationError(_("This assessment is already completed."))
    missing = [
        str(dict(CompetenceArea.choices)[s.area])
        for s in locked.scores.all()
        if s.self_score is None or s.principal_score is None
    ]
    if missing:
        raise ValidationError(
            {
                "scores": _("Both the self and the principal's score are needed for: %(areas)s.")
                % {"areas": "; ".join(missing)}
            }
        )
    before = snapshot(locked)
    locked.status = AssessmentStatus.COMPLETED
    locked.completed_at = timezone.now()
    if summary:
        locked.summary = summary.strip()
    locked.save()
    audit_record(
        actor=actor,
        action="post.competence.complete",
        obj=locked,
        before=before,
        after=snapshot(locked),
        clause=CLAUSE_COMPETENCE,
    )
    return locked
