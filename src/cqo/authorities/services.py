"""Every change to the authorities' records: delegations, approvals, strategy and plans,
proposals, business decisions and vetoes.

Each service: the permission first (``require``, citing the clause of §6 it serves), then
validation (``ValidationError`` naming the field, in the user's language), then the change and its
audit event in one transaction, so a refused change leaves nothing behind; notifications are
written in the same transaction and their e-mails leave on commit.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterable
from decimal import Decimal, InvalidOperation
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from cqo.accounts.models import User
from cqo.audit.services import (
    SignedMeaning,
    audit_record,
    audited_change,
    signature_sign,
    snapshot,
)
from cqo.core.clauses import clause
from cqo.core.links import url_or_empty
from cqo.core.permissions import require
from cqo.core.sod import people_of, sod_check
from cqo.core.texts import stored
from cqo.core.uploads import file_sha256, upload_check
from cqo.notifications.services import notifications_resolve, notify, reminder_claim
from cqo.organisation.models import Person, Unit

from . import engine
from .catalogue import BY_CODE, VETO, is_exercised
from .kinds import APPROVAL_KINDS, approval_kind
from .models import (
    ApprovalAttachment,
    ApprovalRequest,
    ApprovalStatus,
    Delegation,
    Veto,
)
from .signals import delegation_changed
from .vetoable import (
    VETO_CLAUSE,
    VetoActiveError,
    flow_for,
    veto_active_for,
    veto_lifting,
    veto_refuse_if_active,
)

CLAUSE_DELEGATION = clause("§6")
CLAUSE_STRATEGY = clause("§6 a)")
CLAUSE_PROPOSAL = clause("§6 b)")
CLAUSE_APPROVAL = clause("§6 c)")
CLAUSE_DECISION = clause("§6 b)")


def _url(name: str, *args: Any) -> str:
    return url_or_empty(name, *args)


def _reason(reason: str | None, field: str = "reason", *, message: str = "") -> str:
    text = (reason or "").strip()
    if not text:
        raise ValidationError({field: message or _("Give a reason.")})
    return text


def _date(value: Any) -> str:
    return formats.date_format(value, "Y-m-d") if value else ""


def _user_person(user: Any) -> Person | None:
    return Person.objects.filter(user=user).first() if user is not None else None


def _charter_outdated(reason: str, actor: User | None = None) -> None:
    """Tell the charter (§4.2, above this app) the delegations in force changed."""
    delegation_changed.send(sender=Delegation, reason=reason, actor=actor)


def _unit_check(unit: Unit | None, field: str = "unit") -> None:
    if unit is not None and unit.voided_at is not None:
        raise ValidationError({field: _("The unit %(unit)s has been voided.") % {"unit": unit}})


def _cqo_users(on: datetime.date | None = None) -> list[Any]:
    user = engine.current_cqo_user(on=on)
    return [user] if user is not None else []


def authority_holders(code: str, unit: Any = None, *, on: datetime.date | None = None) -> list[Any]:
    """Who holds ``code`` over ``unit``: the CQO and the delegates in force that cover it."""
    users = _cqo_users(on)
    for d in (
        Delegation.objects.in_force(on)
        .filter(authority=code)
        .select_related("delegate__user", "delegator")
        .prefetch_related("units")
    ):
        user = d.delegate.user
        if (
            user is not None
            and user not in users
            and engine.covers(d, unit)
            and engine.delegation_valid(d, on=on)
        ):
            users.append(user)
    return users


def _meaning(verb: str, capacity: str, clause: str) -> str:
    """The text an e-signature states, e.g. "Approved as CQO under §6 c)". Reached through the
    act's meaning function (``approval_decide_meaning``, ``veto_impose_meaning``,
    ``veto_lift_meaning``), which the pages call too."""
    texts = {
        ("approve", "cqo"): _("Approved as CQO under %(clause)s"),
        ("approve", "delegate"): _("Approved as delegate of the CQO under %(clause)s"),
        ("reject", "cqo"): _("Rejected as CQO under %(clause)s"),
        ("reject", "delegate"): _("Rejected as delegate of the CQO under %(clause)s"),
        ("approve", "principal"): _("Approved as principal under %(clause)s"),
        ("reject", "principal"): _("Rejected as principal under %(clause)s"),
        ("veto", "cqo"): _("Vetoed as CQO under %(clause)s"),
        ("veto", "delegate"): _("Vetoed as delegate of the CQO under %(clause)s"),
        ("lift", "cqo"): _("Veto lifted as CQO under %(clause)s"),
        ("lift", "delegate"): _("Veto lifted as delegate of the CQO under %(clause)s"),
    }
    return texts[(verb, capacity or "cqo")] % {"clause": clause}


def _capacity(actor: User, code: str, obj: Any) -> str:
    return engine.capacity(actor, code, unit=engine.unit_of(obj)) or "cqo"


def approval_decide_meaning(
    *, actor: User, request: ApprovalRequest, decision: str
) -> SignedMeaning:
    """What deciding ``request`` means when ``actor`` signs it (as CQO or as a delegate)."""
    verb = decision if decision in ("approve", "reject") else "approve"
    clause = request.clause
    return SignedMeaning(_meaning(verb, approval_capacity(actor, request), clause), clause)


def veto_impose_meaning(*, actor: User, subject: Any) -> SignedMeaning:
    return SignedMeaning(
        _meaning("veto", _capacity(actor, VETO, subject), VETO_CLAUSE), VETO_CLAUSE
    )


def veto_lift_meaning(*, actor: User, subject: Any) -> SignedMeaning:
    return SignedMeaning(
        _meaning("lift", _capacity(actor, VETO, subject), VETO_CLAUSE), VETO_CLAUSE
    )


def _refuse_lapsed(actor: User, code: str, unit: Any) -> None:
    """A clear refusal for someone whose delegation has ended, rather than a bare "no"."""
    if engine.holds(actor, code, unit=unit):
        return
    lapsed = engine.lapsed_delegation(actor, code, unit=unit)
    clause = BY_CODE[code].clause
    if lapsed is None:
        return
    if lapsed.revoked_at is not None:
        raise PermissionDenied(
            _("Your delegation of %(clause)s was revoked on %(date)s; you no longer hold this "
              "authority.")
            % {"clause": clause, "date": _date(timezone.localtime(lapsed.revoked_at).date())}
        )  # fmt: skip
    if lapsed.end_date < timezone.localdate():
        raise PermissionDenied(
            _("Your delegation of %(clause)s expired on %(date)s; you no longer hold this "
              "authority.")
            % {"clause": clause, "date": _date(lapsed.end_date)}
        )  # fmt: skip
    if lapsed.start_date > timezone.localdate():
        raise PermissionDenied(
            _("Your delegation of %(clause)s starts on %(date)s; you do not hold this authority "
              "yet.")
            % {"clause": clause, "date": _date(lapsed.start_date)}
        )  # fmt: skip
    raise PermissionDenied(
        _("Your delegation of %(clause)s is no longer backed by the authority of the person who "
          "delegated it; you no longer hold this authority.")
        % {"clause": clause}
    )  # fmt: skip


# --- delegation -------------------------------------------------------------------------


def _delegation_snapshot(d: Delegation) -> dict[str, Any]:
    return {**snapshot(d), "units": sorted(d.units.values_list("pk", flat=True))}


def _check_within_own_authority(
    actor: User, code: str, units: list[Unit], start: datetime.date, end: datetime.date
) -> Delegation | None:
    """Refuse a delegation wider than the delegator's own authority; return the delegator's
    delegation it is made under (None when the CQO delegates directly)."""
    clause = BY_CODE[code].clause
    term = engine.cqo_term(actor, on=start)
    if term is not None:
        if start < term.start:
            raise ValidationError(
                {"start_date": _("The delegation would start before your appointment as CQO "
                                 "(%(date)s).") % {"date": _date(term.start)}}
            )  # fmt: skip
        if term.end is not None and end > term.end:
            raise ValidationError(
                {"end_date": _("The delegation would run beyond your own appointment as CQO, "
                               "which ends on %(date)s.") % {"date": _date(term.end)}}
            )  # fmt: skip
        return None
    own = [
        d
        for d in Delegation.objects.filter(
            authority=code, delegate__user=actor, revoked_at__isnull=True, voided_at__isnull=True
        ).prefetch_related("units")
        if engine.delegation_valid(d, on=start) or engine.delegation_valid(d)
    ]
    if not own:
        raise ValidationError(
            {"authority": _("You do not hold %(clause)s, so you cannot delegate it.")
             % {"clause": clause}}
        )  # fmt: skip
    uncovered = [u for u in units if not any(engine.covers(d, u) for d in own)]
    if uncovered:
        raise ValidationError(
            {"units": _("Your own delegation of %(clause)s does not cover %(units)s; you cannot "
                        "delegate more than you hold.")
             % {"clause": clause, "units": ", ".join(str(u) for u in uncovered)}}
        )  # fmt: skip
    backing = [d for d in own if all(engine.covers(d, u) for u in units)]
    within = [d for d in backing if d.start_date <= start and d.end_date >= end]
    if not within:
        latest = max(d.end_date for d in backing) if backing else max(d.end_date for d in own)
        raise ValidationError(
            {"end_date": _("Your own delegation of %(clause)s ends on %(date)s; you cannot "
                           "delegate it beyond that.") % {"clause": clause, "date": _date(latest)}}
        )  # fmt: skip
    return within[0]


@transaction.atomic
def delegation_create(
    *,
    actor: User,
    authority: str,
    delegate: Person,
    units: Iterable[Unit],
    start_date: datetime.date,
    end_date: datetime.date,
    scope_note: str = "",
) -> Delegation:
    """Delegate one authority (§6) to a named person for named units and a period."""
    clause = BY_CODE[authority].clause if authority in BY_CODE else CLAUSE_DELEGATION
    require(actor, "authorities.add_delegation", clause=clause)
    if authority not in BY_CODE:
        raise ValidationError({"authority": _("Choose one of the authorities a) to i) of §6.")})
    if not is_exercised(authority):
        raise ValidationError(
            {"authority": _("No module of the platform exercises %(clause)s (%(label)s) yet, so "
                            "a delegation of it would hand over nothing; delegate it once that "
                            "module is installed.")
             % {"clause": BY_CODE[authority].clause, "label": BY_CODE[authority].label}}
        )  # fmt: skip
    if authority == VETO and not engine.veto_delegable():
        raise ValidationError(
            {"authority": _("The one-vote veto (§6 i)) cannot be delegated: the published "
                            "charter does not allow it.")}
        )  # fmt: skip
    unit_list = list(units or [])
    if not unit_list:
        raise ValidationError({"units": _("Name at least one unit the delegation covers.")})
    for unit in unit_list:
        _unit_check(unit, "units")
    if delegate is None or not delegate.is_active:
        raise ValidationError({"delegate": _("Choose a person who is still with the enterprise.")})
    if delegate.user is None or not delegate.user.is_active:
        raise ValidationError(
            {"delegate": _("%(person)s has no active account, so could not use the authority.")
             % {"person": delegate}}
        )  # fmt: skip
    if delegate.user_id == actor.pk:
        raise ValidationError({"delegate": _("You cannot delegate an authority to yourself.")})
    if not start_date or not end_date:
        raise ValidationError({"end_date": _("A delegation needs a start and an end date.")})
    if end_date < start_date:
        raise ValidationError({"end_date": _("A delegation cannot end before it starts.")})
    if start_date < timezone.localdate():
        raise ValidationError(
            {"start_date": _("A delegation cannot start in the past: authority is not granted "
                             "after the fact.")}
        )  # fmt: skip
    source = _check_within_own_authority(actor, authority, unit_list, start_date, end_date)
    delegation = Delegation(
        authority=authority,
        delegator=actor,
        delegate=delegate,
        start_date=start_date,
        end_date=end_date,
        scope_note=(scope_note or "").strip(),
        source=source,
    )
    delegation.full_clean(exclude=["units"])
    delegation.save()
    delegation.units.set(unit_list)
    audit_record(
        actor=actor,
        action="authorities.delegation.create",
        obj=delegation,
        after=_delegation_snapshot(delegation),
        clause=clause,
    )
    notify(
        [delegate.user],
        lambda: _("%(actor)s delegated %(clause)s to you from %(start)s to %(end)s.")
        % {"actor": actor.get_full_name() or actor.get_username(), "clause": clause,
           "start": _date(start_date), "end": _date(end_date)},
        url=_url("authorities:delegation_list"),
        clause=clause,
    )  # fmt: skip
    _charter_outdated(
        reason=stored(
            gettext_noop("Delegation of %(clause)s to %(person)s created."),
            clause=clause,
            person=delegate,
        ),
        actor=actor,
    )
    return delegation


@transaction.atomic
def delegation_revoke(*, actor: User, delegation: Delegation, reason: str) -> Delegation:
    clause = delegation.clause
    if (
        actor is None
        or not actor.is_active
        or not actor.has_perm("authorities.revoke_delegation", delegation)
    ):
        # Revoking is not an exercise of the delegated authority: only the delegator and the
        # CQO in office may do it, whoever holds that authority.
        raise PermissionDenied(
            _(
                "Only the person who made the delegation or the CQO in office may revoke it "
                "(%(clause)s)."
            )
            % {"clause": CLAUSE_DELEGATION}
        )
    reason = _reason(reason, message=_("Give a reason for revoking the delegation."))
    locked = Delegation.objects.select_for_update().get(pk=delegation.pk)
    if locked.revoked_at is not None:
        raise ValidationError(_("This delegation has already been revoked."))
    before = _delegation_snapshot(locked)
    locked.revoked_at = timezone.now()
    locked.revoked_by = actor
    locked.revoke_reason = reason
    locked.save(update_fields=["revoked_at", "revoked_by", "revoke_reason"])
    audit_record(
        actor=actor,
        action="authorities.delegation.revoke",
        obj=locked,
        before=before,
        after=_delegation_snapshot(locked),
        reason=reason,
        clause=clause,
    )
    notify(
        [locked.delegate.user],
        lambda: (
            _("Your delegation of %(clause)s was revoked: %(reason)s")
            % {"clause": clause, "reason": reason}
        ),
        url=_url("authorities:delegation_list"),
        clause=clause,
    )
    _charter_outdated(
        reason=stored(
            gettext_noop("Delegation of %(clause)s to %(person)s revoked."),
            clause=clause,
            person=locked.delegate,
        ),
        actor=actor,
    )
    return locked


# --- approvals (§6 c)) -------------------------------------------------------------------


def approval_content(request: ApprovalRequest) -> dict[str, Any]:
    """What an approver signs: the request as decided, and what its kind says about the subject
    (``signed_content`` of the kind, when it has one). Recomputed to check a signature still
    matches the record."""
    content: dict[str, Any] = {
        "request": request.pk,
        "subject_type": request.content_type.model if request.content_type is not None else "",
        "subject_id": request.object_id,
        "kind": request.kind,
        "authority": request.authority,
        "summary": request.summary,
        "amount": str(request.amount) if request.amount is not None else None,
        "unit": request.unit_id,
        "status": request.status,
        "reason": request.decision_reason,
    }
    spec = APPROVAL_KINDS.get(request.kind)
    if spec is not None and spec.signed_content is not None and request.subject is not None:
        content["subject_content"] = spec.signed_content(request.subject)
    return content


def _amount(value: Any) -> Decimal | None:
    if value in (None, ""):
        return None
    try:
        amount = Decimal(str(value))
    except (InvalidOperation, ValueError):
        raise ValidationError({"amount": _("Give the amount as a number of yuan.")}) from None
    if amount < 0 or not amount.is_finite():
        raise ValidationError({"amount": _("The amount cannot be negative.")})
    return amount


def approval_subject_readable(actor: Any, subject: models.Model) -> bool:
    """Whether ``actor`` may read ``subject``: a request names its record and shows its text, so
    nobody raises one about a record they could not open."""
    meta = subject._meta
    return bool(actor.has_perm(f"{meta.app_label}.view_{meta.model_name}", subject))


def _attachments_check(files: list[Any]) -> list[tuple[Any, str]]:
    """Each file checked by its content and size (``cqo.core.uploads``) before anything is
    written; returns each with the media type found."""
    if len(files) > MAX_ATTACHMENTS:
        raise ValidationError(
            {"attachments": _("Attach at most %(n)d files.") % {"n": MAX_ATTACHMENTS}}
        )
    checked = []
    for f in files:
        kind = upload_check(f, field="attachments")
        if kind is not None:
            checked.append((f, kind.content_type))
    return checked


def _attachments_save(
    actor: Any, request: ApprovalRequest, checked: list[tuple[Any, str]]
) -> list[ApprovalAttachment]:
    saved = []
    for file, media_type in checked:
        attachment = ApprovalAttachment(
            request=request,
            name=(getattr(file, "name", "") or "file").rsplit("/", 1)[-1][:200],
            content_type=media_type,
            size=file.size,
            sha256=file_sha256(file),
            uploaded_by=actor,
        )
        attachment.file.save(attachment.name, file, save=False)
        attachment.save()
        saved.append(attachment)
    return saved


MAX_ATTACHMENTS = 10


@transaction.atomic
def approval_request_raise(
    *,
    actor: User,
    subject: models.Model | None = None,
    kind: str,
    authority: str = "c",
    unit: Unit | None = None,
    amount: Any = None,
    due: datetime.date | None = None,
    summary: str,
    attachments: Iterable[Any] = (),
) -> ApprovalRequest:
    """Put a request before whoever may decide it (``approval_deciders``), with a due date and
    the documents that back it. ``subject`` is the record to approve, if there is one: a
    concession or a spending may stand on its own, with its evidence attached."""
    clause = BY_CODE[authority].clause if authority in BY_CODE else CLAUSE_APPROVAL
    require(actor, "authorities.add_approvalrequest", clause=clause)
    if authority not in BY_CODE:
        raise ValidationError({"authority": _("Choose one of the authorities a) to i) of §6.")})
    spec = approval_kind(kind)
    if subject is not None and (
        getattr(subject, "pk", None) is None or not approval_subject_readable(actor, subject)
    ):
        raise ValidationError({"subject": _("No such record to approve.")})
    if subject is not None and subject._meta.label_lower not in spec.subject_models:
        raise ValidationError(
            {"subject": _("A request of this kind cannot be about this kind of record.")}
        )
    if subject is None and spec.raised_from_subject:
        raise ValidationError(
            {"subject": _("Send a request of this kind from the page of its record.")}
        )
    checked = _attachments_check(list(attachments or ()))
    summary = (summary or "").strip()
    if not summary:
        raise ValidationError({"summary": _("Say in a sentence what is to be approved.")})
    if due is not None and due < timezone.localdate():
        raise ValidationError({"due_date": _("The due date cannot be in the past.")})
    _unit_check(unit)
    money = _amount(amount)
    ct = None
    if subject is not None:
        veto_refuse_if_active(subject)
        ct = ContentType.objects.get_for_model(subject, for_concrete_model=False)
        if ApprovalRequest.objects.filter(
            content_type=ct,
            object_id=str(subject.pk),
            kind=kind,
            status=ApprovalStatus.PENDING,
            voided_at__isnull=True,
        ).exists():
            raise ValidationError(
                {"subject": _("This record already has an approval request awaiting a decision.")}
            )
    request = ApprovalRequest(
        content_type=ct,
        object_id=str(subject.pk) if subject is not None else "",
        subject_repr=(str(subject) if subject is not None else summary)[:300],
        kind=kind,
        authority=authority,
        summary=summary,
        unit=unit,
        amount=money,
        due_date=due,
        raised_by=actor,
        raised_at=timezone.now(),
    )
    request.full_clean()
    request.save()
    saved = _attachments_save(actor, request, checked)
    audit_record(
        actor=actor,
        action="authorities.approval.raise",
        obj=request,
        after={
            **snapshot(request),
            "attachments": [{"name": a.name, "sha256": a.sha256, "size": a.size} for a in saved],
        },
        clause=clause,
    )
    notify(
        approval_deciders(request),
        lambda: (
            _("Awaiting your approval (%(clause)s): %(kind)s — %(subject)s")
            % {
                "clause": clause,
                "kind": request.get_kind_display(),
                "subject": request.subject_repr,
            }
        ),
        url=_url("authorities:approval_detail", request.pk),
        clause=clause,
    )
    return request


def approval_subject_people(request: ApprovalRequest) -> set[Any]:
    """Whom the request's record comes from or is about: none of them may decide it."""
    return people_of(request.subject) if request.content_type_id else set()


def approval_raised_by_cqo(request: ApprovalRequest) -> bool:
    """The CQO in office raised it: no holder of her authority may judge her own request, so it
    goes to the principal (segregation of duties)."""
    return engine.is_current_cqo(request.raised_by)


def approval_deciders(request: ApprovalRequest, *, on: datetime.date | None = None) -> list[Any]:
    """Who may decide ``request``: the principal when the CQO raised it, otherwise whoever holds
    its authority for its unit; never its raiser nor anyone it is about."""
    if approval_raised_by_cqo(request):
        principal = _principal_user()
        users = [principal] if principal is not None and principal.is_active else []
    else:
        unit = request.unit if request.unit_id is not None else engine.WHOLE_ENTERPRISE
        users = authority_holders(request.authority, unit, on=on)
    barred = {request.raised_by_id, *approval_subject_people(request)}
    return [u for u in users if u.pk not in barred]


def approval_capacity(actor: Any, request: ApprovalRequest) -> str:
    """How a decider's signature describes them: principal, CQO or delegate of the CQO."""
    if approval_raised_by_cqo(request):
        return "principal"
    return engine.capacity(actor, request.authority, unit=engine.unit_of(request)) or "cqo"


def approval_decide_precheck(*, actor: User, request: ApprovalRequest) -> None:
    """Refuse, with the clause and the reason, someone who may not decide ``request``."""
    sod_check(
        actor=actor,
        raised_by=request.raised_by_id,
        subject_people=approval_subject_people(request),
        clause=request.clause,
    )
    if not approval_raised_by_cqo(request):
        _refuse_lapsed(actor, request.authority, engine.unit_of(request))
    require(actor, "authorities.decide_approvalrequest", request, clause=request.clause)


@transaction.atomic
def approval_decide(
    *, actor: User, request: ApprovalRequest, decision: str, reason: str, password: str
) -> ApprovalRequest:
    """Approve or reject with a reason and an e-signature ("approved as CQO under §6 c)")."""
    clause = request.clause
    approval_decide_precheck(actor=actor, request=request)
    if decision not in ("approve", "reject"):
        raise ValidationError({"decision": _("Choose to approve or to reject.")})
    reason = _reason(
        reason, message=_("Give a reason for your decision; it is kept with the signature.")
    )
    locked = ApprovalRequest.objects.select_for_update().get(pk=request.pk)
    if locked.voided_at is not None or locked.status != ApprovalStatus.PENDING:
        raise ValidationError(
            {"status": _("This request is no longer awaiting a decision (%(status)s).")
             % {"status": locked.get_status_display()}}
        )  # fmt: skip
    if decision == "approve":
        veto_refuse_if_active(locked)
        veto_refuse_if_active(locked.subject)
    before = snapshot(locked)
    signed = approval_decide_meaning(actor=actor, request=locked, decision=decision)
    meaning = signed.text
    locked.status = ApprovalStatus.APPROVED if decision == "approve" else ApprovalStatus.REJECTED
    locked.decided_by = actor
    locked.decided_at = timezone.now()
    locked.decision_reason = reason
    locked.decided_as = meaning[:200]
    signature_sign(
        user=actor,
        password=password,
        obj=locked,
        content=approval_content(locked),
        meaning=signed.text,
        clause=signed.clause,
    )
    locked.save()
    audit_record(
        actor=actor,
        action=f"authorities.approval.{decision}",
        obj=locked,
        before=before,
        after=snapshot(locked),
        reason=reason,
        clause=clause,
    )
    spec = APPROVAL_KINDS.get(locked.kind)
    subject = locked.subject
    if subject is not None and spec is not None and spec.on_decided is not None:
        spec.on_decided(actor=actor, request=locked, subject=subject)
    notifications_resolve(url=_url("authorities:approval_detail", locked.pk))
    notify(
        [locked.raised_by],
        lambda: (
            _("Approved (%(clause)s): %(subject)s") if decision == "approve"
            else _("Rejected (%(clause)s): %(subject)s")
        ) % {"clause": clause, "subject": locked.subject_repr},
        url=_url("authorities:approval_detail", locked.pk),
        clause=clause,
    )  # fmt: skip
    return locked


@transaction.atomic
def approval_withdraw(*, actor: User, request: ApprovalRequest, reason: str) -> ApprovalRequest:
    clause = request.clause
    require(actor, "authorities.withdraw_approvalrequest", request, clause=clause)
    reason = _reason(reason, message=_("Give a reason for withdrawing the request."))
    with audited_change(
        actor=actor,
        obj=request,
        action="authorities.approval.withdraw",
        clause=clause,
        reason=reason,
        update_fields=["status", "decision_reason"],
    ) as locked:
        if locked.status != ApprovalStatus.PENDING:
            raise ValidationError(
                {"status": _("Only a request awaiting a decision can be withdrawn.")}
            )
        locked.status = ApprovalStatus.WITHDRAWN
        locked.decision_reason = reason
    notifications_resolve(url=_url("authorities:approval_detail", locked.pk))
    spec = APPROVAL_KINDS.get(locked.kind)
    subject = locked.subject
    if subject is not None and spec is not None and spec.on_withdrawn is not None:
        spec.on_withdrawn(actor=actor, request=locked, subject=subject)
    return locked


def approvals_remind_after_days() -> int:
    """How many calendar days a request with no due date may wait before its deciders are
    reminded (``CQO_APPROVAL_REMIND_AFTER_DAYS``, default 3). Calendar, not working days: the
    enterprise's working calendar (holidays, make-up days) is not in the system."""
    from django.conf import settings

    return max(1, int(getattr(settings, "CQO_APPROVAL_REMIND_AFTER_DAYS", 3)))


def approvals_remind_due(*, now: datetime.datetime | None = None) -> int:
    """Remind whoever may decide each pending request (the CQO in office and the delegates
    covering its unit), at most once a day each: a request past its due date, and one with no due
    date that has waited ``approvals_remind_after_days()`` days or more. In-app and e-mail, as
    every notification. Returns how many requests were reminded."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    waited = approvals_remind_after_days()
    due = ApprovalRequest.objects.filter(
        status=ApprovalStatus.PENDING, voided_at__isnull=True
    ).filter(
        models.Q(due_date__lt=today)
        | models.Q(due_date__isnull=True, raised_at__lte=now - datetime.timedelta(days=waited))
    )
    count = 0
    for request in due.select_related("unit").order_by("raised_at", "id"):
        with transaction.atomic():
            # Claim today's reminder first: a second run (or a second worker) finds it taken.
            if not reminder_claim(f"authorities.approval:{request.pk}", on=today):
                continue
            if request.due_date is not None:
                days = (today - request.due_date).days

                def text(r: ApprovalRequest = request, d: int = days) -> str:
                    return _("Overdue by %(days)s day(s) (%(clause)s): %(kind)s — %(subject)s") % {
                        "days": d, "clause": r.clause, "kind": r.get_kind_display(),
                        "subject": r.subject_repr,
                    }  # fmt: skip

            else:
                days = max(0, (now - request.raised_at).days)

                def text(r: ApprovalRequest = request, d: int = days) -> str:
                    return _(
                        "Waiting %(days)s day(s) for a decision (%(clause)s): %(kind)s — "
                        "%(subject)s"
                    ) % {
                        "days": d, "clause": r.clause, "kind": r.get_kind_display(),
                        "subject": r.subject_repr,
                    }  # fmt: skip

            notify(
                approval_deciders(request, on=today),
                text,
                url=_url("authorities:approval_detail", request.pk),
                clause=request.clause,
            )  # fmt: skip
        count += 1
    return count


# The name the daily job used before requests without a due date were reminded too.
approvals_remind_overdue = approvals_remind_due


def _principal_user() -> Any:
    from cqo.organisation.models import Enterprise

    enterprise = Enterprise.objects.select_related("principal__user").order_by("id").first()
    if enterprise is None or enterprise.principal is None:
        return None
    return enterprise.principal.user


# --- the one-vote veto (§6 i)) -----------------------------------------------------------


def veto_content(
    subject: Any, *, action: str, reason: str, subject_repr: str | None = None, status: Any = ""
) -> dict[str, Any]:
    """What a veto or its lifting signs. ``subject_repr`` is the veto's own record of the
    subject's name (a name may read differently in another language), ``status`` the subject's
    status when it was vetoed, for a subject that has moved on since."""
    flow = flow_for(subject)
    return {
        "action": action,
        "subject_type": subject._meta.label_lower,
        "subject_id": str(subject.pk),
        "subject": subject_repr if subject_repr is not None else str(subject)[:300],
        "status": status
        if status != ""
        else (getattr(subject, flow.field) if flow is not None else None),
        "reason": reason,
    }


def veto_signed_content(subject: Any, event: Any) -> dict[str, Any] | None:
    """The content a veto's (or a lifting's) signature stands for, rebuilt from the veto row and
    the subject as they are now, for ``audit.selectors.signature_status``. ``event`` is the
    ``authorities.veto.impose`` or ``.lift`` event that followed the signature."""
    from cqo.audit.models import AuditEvent

    imposing = event.action == "authorities.veto.impose"
    veto_pk = ((event.after if imposing else event.before) or {}).get("veto")
    veto = Veto.objects.filter(pk=veto_pk).first() if veto_pk else None
    if veto is None:
        return None
    impose = event if imposing else next(
        (
            e for e in AuditEvent.objects.filter(
                object_type=event.object_type, object_id=event.object_id,
                action="authorities.veto.impose", seq__lt=event.seq,
            ).order_by("-seq")
            if (e.after or {}).get("veto") == veto.pk
        ),
        None,
    )  # fmt: skip
    # While the veto holds, the subject cannot move: its status now is the one signed. Once
    # lifted it may go on, and the status recorded when it was vetoed is the one to compare.
    status: Any = "" if veto.is_active else (impose.after or {}).get("status") if impose else ""
    return veto_content(
        subject,
        action="veto" if imposing else "lift",
        reason=veto.reason if imposing else veto.lift_reason,
        subject_repr=veto.subject_repr,
        status=status,
    )


def _veto_notify(subject: Any, text: Callable[[], str]) -> None:
    people = [
        getattr(subject, name, None) for name in ("created_by", "raised_by", "owner", "addressee")
    ]
    notify(
        [p for p in people if p is not None and hasattr(p, "is_active")] + [_principal_user()],
        text,
        url=_url("authorities:veto_list"),
        clause=VETO_CLAUSE,
    )


@transaction.atomic
def veto_impose(*, actor: User, subject: models.Model, reason: str, password: str) -> Veto:
    """The CQO holds a decision with a one-vote veto on quality safety (§6 i))."""
    require(actor, "authorities.veto", subject, clause=VETO_CLAUSE)
    flow = flow_for(subject)
    if flow is None:
        raise ValidationError(
            {"subject": _("This kind of record is not a decision that can be vetoed.")}
        )
    reason = _reason(reason, message=_("Give the quality-safety reason for the veto (§6 i))."))
    locked = type(subject)._base_manager.select_for_update().get(pk=subject.pk)
    if veto_active_for(locked) is not None:
        raise ValidationError({"subject": _("This decision is already vetoed.")})
    status = getattr(locked, flow.field)
    if flow.is_final(status):
        raise ValidationError(
            {"subject": _("A decision that is “%(status)s” has nowhere further to go; there is "
                          "nothing to veto.") % {"status": _status_label(locked, flow.field)}}
        )  # fmt: skip
    capacity = engine.capacity(actor, "i", unit=engine.unit_of(locked)) or "cqo"
    signature_sign(
        user=actor,
        password=password,
        obj=locked,
        content=veto_content(locked, action="veto", reason=reason),
        meaning=veto_impose_meaning(actor=actor, subject=locked).text,
        clause=VETO_CLAUSE,
    )
    veto = Veto.objects.create(
        content_type=ContentType.objects.get_for_model(locked, for_concrete_model=False),
        object_id=str(locked.pk),
        subject_repr=str(locked)[:300],
        reason=reason,
        vetoed_by=actor,
        vetoed_at=timezone.now(),
        capacity=capacity,
    )
    audit_record(
        actor=actor,
        action="authorities.veto.impose",
        obj=locked,
        # The veto's own row rides along (as in ``veto_lift``), so ``cqo audit verify`` can tell
        # a veto lifted behind the trail's back.
        after={"veto": veto.pk, **snapshot(veto), "status": status, "capacity": capacity},
        reason=reason,
        clause=VETO_CLAUSE,
    )
    _veto_notify(
        locked,
        lambda: (
            _("Vetoed by the CQO (§6 i)): %(subject)s — %(reason)s")
            % {"subject": veto.subject_repr, "reason": reason}
        ),
    )
    return veto


def _status_label(obj: Any, field: str) -> str:
    display = getattr(obj, f"get_{field}_display", None)
    return str(display()) if display is not None else str(getattr(obj, field))


@transaction.atomic
def veto_lift(*, actor: User, veto: Veto, reason: str, password: str) -> Veto:
    """Only the CQO in office lifts a veto, with a reason and an e-signature: not a delegate, even
    one holding §6 i) under a charter that allows delegating it."""
    if (
        actor is not None
        and getattr(actor, "is_active", False)
        and not engine.is_current_cqo(actor)
    ):
        raise PermissionDenied(_("Only the CQO in office may lift a one-vote veto (§6 i))."))
    require(actor, "authorities.lift_veto", veto, clause=VETO_CLAUSE)
    reason = _reason(reason, message=_("Give the reason for lifting the veto (§6 i))."))
    locked = Veto.objects.select_for_update().get(pk=veto.pk)
    if locked.lifted_at is not None:
        raise ValidationError(_("This veto has already been lifted."))
    subject = locked.subject
    if subject is None:
        raise ValidationError(_("The vetoed decision no longer exists."))
    before = snapshot(locked)
    signature_sign(
        user=actor,
        password=password,
        obj=subject,
        content=veto_content(
            subject, action="lift", reason=reason, subject_repr=locked.subject_repr
        ),
        meaning=veto_lift_meaning(actor=actor, subject=subject).text,
        clause=VETO_CLAUSE,
    )
    locked.lifted_at = timezone.now()
    locked.lifted_by = actor
    locked.lift_reason = reason
    with veto_lifting(locked.pk):
        locked.save(update_fields=["lifted_at", "lifted_by", "lift_reason"])
    audit_record(
        actor=actor,
        action="authorities.veto.lift",
        obj=subject,
        before={"veto": locked.pk, **before},
        after={"veto": locked.pk, **snapshot(locked)},
        reason=reason,
        clause=VETO_CLAUSE,
    )
    _veto_notify(
        subject,
        lambda: (
            _("Veto lifted by the CQO (§6 i)): %(subject)s — %(reason)s")
            % {"subject": locked.subject_repr, "reason": reason}
        ),
    )
    return locked


__all__ = [
    "VetoActiveError",
    "approval_decide",
    "approval_request_raise",
    "delegation_create",
    "delegation_revoke",
    "veto_impose",
    "veto_lift",
]
