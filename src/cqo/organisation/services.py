"""Every change to the enterprise, its units, people and posts.

Each service: permission first (``require``), then validation (``ValidationError`` naming the
field, in the user's language), then the change and its audit event, in one transaction, so a
refused change leaves nothing behind.
"""

from __future__ import annotations

import datetime
import itertools
from collections.abc import Iterable
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from cqo.accounts.models import User
from cqo.audit.models import AuditEvent
from cqo.audit.services import (
    SignatureError,
    actor_name,
    audit_record,
    audited_change,
    object_ref,
    record_void,
    signature_sign,
    snapshot,
)
from cqo.core.clauses import clause
from cqo.core.permissions import require
from cqo.core.texts import stored

from . import roles as R
from .models import (
    SINGLE_HOLDER_KINDS,
    AuthorityChange,
    AuthorityChangeKind,
    AuthorityChangeMode,
    AuthorityChangeStatus,
    Enterprise,
    Person,
    PersonStatus,
    Post,
    PostAssignment,
    PostKind,
    Unit,
)
from .rules import is_admin, user_cache_clear
from .validators import normalise_credit_code

CLAUSE_ENTERPRISE = clause("§3.1")
CLAUSE_UNIT = clause("§4.1")
CLAUSE_PERSON = clause("§5.1")
CLAUSE_ROLES = clause("§4.2")

ENTERPRISE_FIELDS = frozenset(
    {
        "name", "name_en", "credit_code", "size_class", "industry_code", "industry_name",
        "region_code", "region_name", "address", "address_en", "legal_representative", "principal",
    }
)  # fmt: skip
UNIT_FIELDS = frozenset({"kind", "code", "name", "name_en", "head", "sort_order"})
PERSON_FIELDS = frozenset(
    {
        "name", "name_en", "unit", "job_title", "job_title_en", "education", "title_level",
        "quality_years", "email", "phone",
    }
)  # fmt: skip
# Who appoints the CQO (§3.1): changed only by a signed authority change (decision 0006).
AUTHORITY_FIELDS = frozenset({"legal_representative", "principal"})
POST_FIELDS = frozenset(
    {"code", "name", "name_en", "kind", "single_holder", "responsibilities", "responsibilities_en"}
)


def post_clause(post: Post) -> str:
    """The clause a post's records serve: the CQO post's placement, key posts, or posts at large."""
    if post.kind == PostKind.CQO:
        return "§4.1"
    if post.kind == PostKind.KEY_POST:
        return "§7.2.1.3"
    return "§7.1.6"


def assignment_clause(post: Post) -> str:
    if post.kind == PostKind.CQO:
        return "§3.1"
    return post_clause(post)


def _only(fields: dict[str, Any], allowed: frozenset[str]) -> None:
    unknown = set(fields) - allowed
    if unknown:
        raise TypeError(f"unexpected fields: {', '.join(sorted(unknown))}")


def _full_clean(instance: Any, exclude: Iterable[str] = ()) -> None:
    instance.full_clean(exclude=list(exclude))


def _check_person_in(enterprise: Enterprise, person: Person | None, field: str) -> None:
    if person is None:
        return
    if person.unit.enterprise_id != enterprise.pk:
        raise ValidationError(
            {field: _("%(person)s does not belong to this enterprise.") % {"person": person}}
        )
    if not person.is_active:
        raise ValidationError(
            {field: _("%(person)s has left the enterprise.") % {"person": person}}
        )


# --- enterprise ---------------------------------------------------------------------------


@transaction.atomic
def enterprise_create(
    *, actor: User, name: str, credit_code: str, size_class: str, **fields: Any
) -> Enterprise:
    require(actor, "organisation.add_enterprise", clause=CLAUSE_ENTERPRISE)
    _only(fields, ENTERPRISE_FIELDS - {"legal_representative", "principal"})
    enterprise = Enterprise(
        name=(name or "").strip(),
        credit_code=normalise_credit_code(credit_code),
        size_class=size_class,
        **fields,
    )
    _full_clean(enterprise)
    enterprise.save()
    audit_record(
        actor=actor,
        action="organisation.enterprise.create",
        obj=enterprise,
        after=snapshot(enterprise),
        clause=CLAUSE_ENTERPRISE,
    )
    return enterprise


@transaction.atomic
def enterprise_update(
    *, actor: User, enterprise: Enterprise, reason: str = "", **fields: Any
) -> Enterprise:
    require(actor, "organisation.change_enterprise", enterprise, clause=CLAUSE_ENTERPRISE)
    _only(fields, ENTERPRISE_FIELDS)
    with audited_change(
        actor=actor,
        obj=enterprise,
        action="organisation.enterprise.update",
        clause=CLAUSE_ENTERPRISE,
        reason=reason,
    ) as locked:
        for field in AUTHORITY_FIELDS & set(fields):
            current = getattr(locked, f"{field}_id")
            wanted = fields.pop(field)
            if (wanted.pk if wanted is not None else None) != current:
                raise ValidationError({field: _authority_field_message()})
        if "credit_code" in fields:
            fields["credit_code"] = normalise_credit_code(fields["credit_code"])
        for key, value in fields.items():
            setattr(locked, key, value)
        _check_person_in(locked, locked.legal_representative, "legal_representative")
        _check_person_in(locked, locked.principal, "principal")
        _full_clean(locked)
    return locked


# --- units --------------------------------------------------------------------------------


def _check_unit_head(unit: Unit, head: Person | None) -> None:
    if head is not None:
        _check_person_in(unit.enterprise, head, "head")


@transaction.atomic
def unit_create(
    *,
    actor: User,
    enterprise: Enterprise,
    kind: str,
    code: str,
    name: str,
    parent: Unit | None = None,
    name_en: str = "",
    head: Person | None = None,
    sort_order: int = 0,
) -> Unit:
    require(actor, "organisation.add_unit", parent, clause=CLAUSE_UNIT)
    if parent is not None:
        if parent.enterprise_id != enterprise.pk:
            raise ValidationError({"parent": _("The parent unit belongs to another enterprise.")})
        if parent.is_voided:
            raise ValidationError({"parent": _("The parent unit has been voided.")})
    unit = Unit(
        enterprise=enterprise,
        parent=parent,
        kind=kind,
        code=(code or "").strip(),
        name=(name or "").strip(),
        name_en=(name_en or "").strip(),
        head=head,
        sort_order=sort_order,
    )
    _check_unit_head(unit, head)
    _full_clean(unit, exclude=["path", "depth"])
    unit.save()
    audit_record(
        actor=actor,
        action="organisation.unit.create",
        obj=unit,
        after=snapshot(unit),
        clause=CLAUSE_UNIT,
    )
    return unit


@transaction.atomic
def unit_update(*, actor: User, unit: Unit, reason: str = "", **fields: Any) -> Unit:
    require(actor, "organisation.change_unit", unit, clause=CLAUSE_UNIT)
    _only(fields, UNIT_FIELDS)
    with audited_change(
        actor=actor, obj=unit, action="organisation.unit.update", clause=CLAUSE_UNIT, reason=reason
    ) as locked:
        if locked.is_voided:
            raise ValidationError(_("This unit has been voided; it can no longer be changed."))
        for key, value in fields.items():
            setattr(locked, key, value.strip() if isinstance(value, str) else value)
        _check_unit_head(locked, locked.head)
        _full_clean(locked, exclude=["path", "depth"])
    return locked


@transaction.atomic
def unit_move(*, actor: User, unit: Unit, new_parent: Unit | None, reason: str = "") -> Unit:
    """Put ``unit`` (and its whole subtree) under ``new_parent``; None makes it a root."""
    require(actor, "organisation.move_unit", unit, clause=CLAUSE_UNIT)
    locked = Unit.objects.select_for_update().get(pk=unit.pk)
    if locked.is_voided:
        raise ValidationError(_("This unit has been voided; it can no longer be changed."))
    if new_parent is not None:
        new_parent = Unit.objects.select_for_update().get(pk=new_parent.pk)
        if new_parent.pk == locked.pk:
            raise ValidationError({"parent": _("A unit cannot be placed under itself.")})
        if new_parent.path.startswith(locked.path):
            raise ValidationError(
                {
                    "parent": _(
                        "%(target)s lies inside %(unit)s; moving %(unit)s under it would make a "
                        "loop in the unit tree."
                    )
                    % {"target": new_parent, "unit": locked}
                }
            )
        if new_parent.enterprise_id != locked.enterprise_id:
            raise ValidationError({"parent": _("The parent unit belongs to another enterprise.")})
        if new_parent.is_voided:
            raise ValidationError({"parent": _("The parent unit has been voided.")})
    if (new_parent.pk if new_parent else None) == locked.parent_id:
        raise ValidationError({"parent": _("The unit is already there.")})
    before = snapshot(locked)
    old_path = locked.path
    locked.parent = new_parent
    locked.save()
    new_path = locked.path
    moved = list(Unit.objects.filter(path__startswith=old_path).exclude(pk=locked.pk))
    for node in moved:
        node.path = new_path + node.path[len(old_path) :]
        node.depth = node.path.count("/") - 2
    Unit.objects.bulk_update(moved, ["path", "depth"], batch_size=500)
    audit_record(
        actor=actor,
        action="organisation.unit.move",
        obj=locked,
        before=before,
        after=snapshot(locked),
        reason=reason,
        clause=CLAUSE_UNIT,
    )
    return locked


@transaction.atomic
def unit_void(*, actor: User, unit: Unit, reason: str) -> Unit:
    require(actor, "organisation.void_unit", unit, clause=CLAUSE_UNIT)
    children = Unit.objects.active().filter(parent=unit).count()
    people = Person.objects.active().filter(unit=unit).count()
    posts = Post.objects.active().filter(unit=unit).count()
    if children or people or posts:
        raise ValidationError(
            _(
                "This unit still has %(children)d active sub-units, %(people)d people and "
                "%(posts)d posts; move or void them first."
            )
            % {"children": children, "people": people, "posts": posts}
        )
    voided = record_void(
        actor=actor, record=unit, reason=reason, perm="organisation.void_unit", clause=CLAUSE_UNIT
    )
    assert isinstance(voided, Unit)
    return voided


# --- people and accounts ------------------------------------------------------------------


def _roles_clean(roles: Iterable[str]) -> list[str]:
    codes = sorted(set(roles))
    unknown = [c for c in codes if c not in R.ROLES]
    if unknown:
        raise ValidationError(
            {"roles": _("Unknown role: %(role)s.") % {"role": ", ".join(unknown)}}
        )
    return codes


def _account_check(username: str, password: str, person_hint: dict[str, str]) -> str:
    User = get_user_model()
    username = (username or "").strip()
    if not username:
        raise ValidationError({"username": _("Give an account name.")})
    try:
        User._meta.get_field("username").run_validators(username)
    except ValidationError as exc:
        raise ValidationError({"username": exc.messages}) from exc
    if User.objects.filter(username__iexact=username).exists():
        raise ValidationError(
            {
                "username": _("The account name “%(username)s” is already taken; choose another.")
                % {"username": username}
            }
        )
    if not password:
        raise ValidationError({"password": _("Give an initial password for the account.")})
    try:
        validate_password(password, user=User(username=username, **person_hint))
    except ValidationError as exc:
        raise ValidationError({"password": exc.messages}) from exc
    return username


def _roles_apply(user: Any, codes: list[str]) -> None:
    groups = R.roles_ensure()
    wanted = [g for g in groups if g.name in codes]
    # Only role groups are ours to set; any other group the account is in stays.
    user.groups.remove(*[g for g in groups if g.name not in codes])
    user.groups.add(*wanted)
    user_cache_clear(user)


def _account_create(
    *,
    actor: User,
    person: Person,
    username: str,
    password: str,
    roles: list[str],
    must_change_password: bool,
) -> Any:
    User = get_user_model()
    user = User(
        username=username,
        display_name=person.name,
        display_name_en=person.name_en,
        email=person.email,
        must_change_password=must_change_password,
    )
    user.set_password(password)
    user.save()
    _roles_apply(user, roles)
    audit_record(
        actor=actor,
        action="accounts.user.create",
        obj=user,
        after={
            **snapshot(
                user, ["username", "display_name", "email", "is_active", "must_change_password"]
            ),
            "roles": roles,
        },
        clause=CLAUSE_ROLES,
    )
    return user


@transaction.atomic
def person_create(
    *,
    actor: User,
    unit: Unit,
    employee_no: str,
    name: str,
    username: str = "",
    password: str = "",
    roles: Iterable[str] = (),
    must_change_password: bool = True,
    **fields: Any,
) -> Person:
    """Record a person; with ``username`` also open an account for them with ``roles``."""
    require(actor, "organisation.add_person", unit, clause=CLAUSE_PERSON)
    _only(fields, PERSON_FIELDS - {"unit"})
    codes = _roles_clean(roles)
    _authority_roles_refuse([], codes)
    if unit.is_voided:
        raise ValidationError({"unit": _("This unit has been voided.")})
    person = Person(
        unit=unit, employee_no=(employee_no or "").strip(), name=(name or "").strip(), **fields
    )
    _full_clean(person, exclude=["user"])
    if username or password or codes:
        username = _account_check(
            username, password, {"display_name": person.name, "email": person.email}
        )
    person.save()
    if username:
        person.user = _account_create(
            actor=actor,
            person=person,
            username=username,
            password=password,
            roles=codes,
            must_change_password=must_change_password,
        )
        person.save(update_fields=["user", "updated_at"])
    # After the account is linked: the event must hold the row as it is left, or the record
    # check (``cqo audit verify``) sees a link made without an event.
    audit_record(
        actor=actor,
        action="organisation.person.create",
        obj=person,
        after=snapshot(person),
        clause=CLAUSE_PERSON,
    )
    return person


@transaction.atomic
def person_account_create(
    *,
    actor: User,
    person: Person,
    username: str,
    password: str,
    roles: Iterable[str] = (),
    must_change_password: bool = True,
) -> Any:
    require(actor, "organisation.add_person_account", person, clause=CLAUSE_ROLES)
    locked = Person.objects.select_for_update().get(pk=person.pk)
    if locked.user_id is not None:
        raise ValidationError(
            {"username": _("%(person)s already has an account.") % {"person": locked}}
        )
    if not locked.is_active:
        raise ValidationError(_("%(person)s has left the enterprise.") % {"person": locked})
    codes = _roles_clean(roles)
    _authority_roles_refuse([], codes)
    username = _account_check(
        username, password, {"display_name": locked.name, "email": locked.email}
    )
    user = _account_create(
        actor=actor,
        person=locked,
        username=username,
        password=password,
        roles=codes,
        must_change_password=must_change_password,
    )
    before = snapshot(locked)
    locked.user = user
    locked.save(update_fields=["user", "updated_at"])
    audit_record(
        actor=actor,
        action="organisation.person.account",
        obj=locked,
        before=before,
        after=snapshot(locked),
        clause=CLAUSE_ROLES,
    )
    return user


@transaction.atomic
def person_update(*, actor: User, person: Person, reason: str = "", **fields: Any) -> Person:
    require(actor, "organisation.change_person", person, clause=CLAUSE_PERSON)
    _only(fields, PERSON_FIELDS)
    with audited_change(
        actor=actor,
        obj=person,
        action="organisation.person.update",
        clause=CLAUSE_PERSON,
        reason=reason,
    ) as locked:
        if not locked.is_active:
            raise ValidationError(
                _("%(person)s has left the enterprise; the record is kept as it was.")
                % {"person": locked}
            )
        if "unit" in fields and fields["unit"] is not None and fields["unit"].is_voided:
            raise ValidationError({"unit": _("This unit has been voided.")})
        for key, value in fields.items():
            setattr(locked, key, value.strip() if isinstance(value, str) else value)
        _full_clean(locked, exclude=["user"])
    if locked.user_id is not None and {"name", "name_en", "email"} & set(fields):
        user = locked.user
        assert user is not None
        user.display_name, user.display_name_en, user.email = (
            locked.name,
            locked.name_en,
            locked.email,
        )
        user.save(update_fields=["display_name", "display_name_en", "email"])
    return locked


@transaction.atomic
def person_leave(
    *, actor: User, person: Person, left_on: datetime.date, reason: str = ""
) -> Person:
    """Record that a person left: the account is switched off and open posts end that day."""
    require(actor, "organisation.leave_person", person, clause=CLAUSE_PERSON)
    locked = Person.objects.select_for_update().get(pk=person.pk)
    if not locked.is_active:
        raise ValidationError(_("%(person)s has already left.") % {"person": locked})
    if left_on is None:
        raise ValidationError({"left_on": _("Give the date the person left.")})
    if actor is not None and locked.user_id == actor.pk:
        raise ValidationError(_("You cannot record your own leaving; ask another administrator."))
    open_assignments = list(
        PostAssignment.objects.select_related("post").filter(person=locked, end_date__isnull=True)
    )
    late = [a for a in open_assignments if a.start_date > left_on]
    if late:
        raise ValidationError(
            {
                "left_on": _(
                    "%(person)s starts on post %(post)s only on %(date)s, after this date."
                )
                % {"person": locked, "post": late[0].post, "date": late[0].start_date}
            }
        )
    before = snapshot(locked)
    locked.status = PersonStatus.LEFT
    locked.left_on = left_on
    locked.save()
    audit_record(
        actor=actor,
        action="organisation.person.leave",
        obj=locked,
        before=before,
        after=snapshot(locked),
        reason=reason,
        clause=CLAUSE_PERSON,
    )
    if locked.user is not None and locked.user.is_active:
        user = locked.user
        user.is_active = False
        user.save(update_fields=["is_active"])
        audit_record(
            actor=actor,
            action="accounts.user.deactivate",
            obj=user,
            before={"is_active": True},
            after={"is_active": False},
            reason=reason,
            clause=CLAUSE_ROLES,
        )
    for assignment in open_assignments:
        a_before = snapshot(assignment)
        assignment.end_date = left_on
        assignment.end_reason = reason or _("The holder left the enterprise.")
        assignment.save(update_fields=["end_date", "end_reason"])
        audit_record(
            actor=actor,
            action="organisation.postassignment.end",
            obj=assignment,
            before=a_before,
            after=snapshot(assignment),
            reason=assignment.end_reason,
            clause=assignment_clause(assignment.post),
        )
    for unit in Unit.objects.select_for_update().filter(head=locked):
        u_before = snapshot(unit)
        unit.head = None
        unit.save(update_fields=["head"])
        audit_record(
            actor=actor,
            action="organisation.unit.update",
            obj=unit,
            before=u_before,
            after=snapshot(unit),
            reason=stored(gettext_noop("The head left the enterprise.")),
            clause=CLAUSE_UNIT,
        )
    return locked


@transaction.atomic
def person_roles_set(
    *, actor: User, person: Person, roles: Iterable[str], reason: str = ""
) -> list[str]:
    require(actor, "organisation.set_person_roles", person, clause=CLAUSE_ROLES)
    codes = _roles_clean(roles)
    locked = Person.objects.select_for_update().get(pk=person.pk)
    user = locked.user
    if user is None:
        raise ValidationError(
            {"roles": _("%(person)s has no account; open one first.") % {"person": locked}}
        )
    if not locked.is_active:
        raise ValidationError(_("%(person)s has left the enterprise.") % {"person": locked})
    if (
        actor is not None
        and user.pk == actor.pk
        and R.ADMIN not in codes
        and R.ADMIN in account_roles(user)
    ):
        raise ValidationError({"roles": _("You cannot take the administrator role from yourself.")})
    before = account_roles(user)
    if actor is not None and user.pk == actor.pk and set(codes) - set(before):
        raise ValidationError(
            {"roles": _("Nobody grants a role to themself; ask another administrator.")}
        )
    _authority_roles_refuse(before, codes)
    _roles_apply(user, codes)
    if actor is not None and actor.pk == user.pk:
        user_cache_clear(actor)
    audit_record(
        actor=actor,
        action="accounts.user.roles",
        obj=user,
        before={"roles": before},
        after={"roles": codes},
        reason=reason,
        clause=CLAUSE_ROLES,
    )
    return codes


def account_roles(user: Any) -> list[str]:
    return sorted(user.groups.filter(name__in=R.ROLES).values_list("name", flat=True))


def _authority_field_message() -> str:
    return _(
        "Who is the enterprise's principal or legal representative changes only by an authority "
        "change the current principal signs, or two administrators where there is none (§3.1)."
    )


def _authority_roles_refuse(before: Iterable[str], after: Iterable[str]) -> None:
    """An administrator alone sets every role but those that carry authority (decision 0006)."""
    touched = sorted((set(before) ^ set(after)) & R.AUTHORITY_ROLES)
    if touched:
        raise ValidationError(
            {
                "roles": _(
                    "The roles %(roles)s carry authority under the standard: they change only by "
                    "an authority change the current principal signs, or two administrators "
                    "where there is none (§3.1, §4.2)."
                )
                % {"roles": "、".join(R.role_label(code) for code in touched)}
            }
        )


# --- posts --------------------------------------------------------------------------------


@transaction.atomic
def post_create(
    *,
    actor: User,
    unit: Unit,
    code: str,
    name: str,
    kind: str = PostKind.OTHER,
    single_holder: bool | None = None,
    name_en: str = "",
    responsibilities: str = "",
    responsibilities_en: str = "",
) -> Post:
    require(actor, "organisation.add_post", unit, clause="§7.1.6")
    if unit.is_voided:
        raise ValidationError({"unit": _("This unit has been voided.")})
    post = Post(
        enterprise=unit.enterprise,
        unit=unit,
        code=(code or "").strip(),
        name=(name or "").strip(),
        name_en=(name_en or "").strip(),
        kind=kind,
        # The CQO and the quality-safety director are one person at a time, whatever was asked.
        single_holder=kind in SINGLE_HOLDER_KINDS or bool(single_holder),
        responsibilities=responsibilities.strip(),
        responsibilities_en=responsibilities_en.strip(),
    )
    _full_clean(post)
    post.save()
    audit_record(
        actor=actor,
        action="organisation.post.create",
        obj=post,
        after=snapshot(post),
        clause=post_clause(post),
    )
    return post


@transaction.atomic
def post_update(*, actor: User, post: Post, reason: str = "", **fields: Any) -> Post:
    require(actor, "organisation.change_post", post, clause=post_clause(post))
    _only(fields, POST_FIELDS)
    locked = Post.objects.select_for_update().get(pk=post.pk)
    if locked.is_voided:
        raise ValidationError(_("This post has been voided; it can no longer be changed."))
    before = snapshot(locked)
    for key, value in fields.items():
        setattr(locked, key, value.strip() if isinstance(value, str) else value)
    if locked.kind in SINGLE_HOLDER_KINDS:
        locked.single_holder = True
    _full_clean(locked)
    if locked.single_holder and not before["single_holder"]:
        _overlaps_refuse_existing(locked)
    locked.save()
    audit_record(
        actor=actor,
        action="organisation.post.update",
        obj=locked,
        before=before,
        after=snapshot(locked),
        reason=reason,
        clause=post_clause(locked),
    )
    return locked


def _overlaps_refuse_existing(post: Post) -> None:
    spans = list(post.assignments.order_by("start_date").values_list("start_date", "end_date"))
    for (_s1, e1), (s2, _e2) in itertools.pairwise(spans):
        if e1 is None or e1 >= s2:
            raise ValidationError(
                {"single_holder": _("This post already has assignments that overlap in time.")}
            )


@transaction.atomic
def post_void(*, actor: User, post: Post, reason: str) -> Post:
    require(actor, "organisation.void_post", post, clause=post_clause(post))
    today = timezone.localdate()
    if post.assignments.filter(Q(end_date__isnull=True) | Q(end_date__gte=today)).exists():
        raise ValidationError(_("Someone still holds this post; end the assignment first."))
    voided = record_void(
        actor=actor,
        record=post,
        reason=reason,
        perm="organisation.void_post",
        clause=post_clause(post),
    )
    assert isinstance(voided, Post)
    return voided


def _fmt_span(start: datetime.date, end: datetime.date | None) -> str:
    return f"{start} – {end}" if end else _("%(start)s, still open") % {"start": start}


@transaction.atomic
def post_assign(
    *,
    actor: User,
    post: Post,
    person: Person,
    start_date: datetime.date,
    end_date: datetime.date | None = None,
    note: str = "",
) -> PostAssignment:
    require(actor, "organisation.assign_post", post, clause=assignment_clause(post))
    # Locking the post serialises assignments to it, so two overlapping ones cannot both pass.
    locked = Post.objects.select_for_update().get(pk=post.pk)
    if locked.is_voided:
        raise ValidationError({"post": _("This post has been voided.")})
    if not person.is_active:
        raise ValidationError(
            {"person": _("%(person)s has left the enterprise.") % {"person": person}}
        )
    if person.unit.enterprise_id != locked.enterprise_id:
        raise ValidationError(
            {"person": _("%(person)s does not belong to this enterprise.") % {"person": person}}
        )
    if start_date is None:
        raise ValidationError({"start_date": _("Give the start date.")})
    if end_date is not None and end_date < start_date:
        raise ValidationError({"end_date": _("The end date cannot be before the start date.")})
    overlapping = PostAssignment.objects.select_related("person").filter(post=locked)
    overlapping = overlapping.filter(Q(end_date__isnull=True) | Q(end_date__gte=start_date))
    if end_date is not None:
        overlapping = overlapping.filter(start_date__lte=end_date)
    same_person = overlapping.filter(person=person).first()
    if same_person is not None:
        raise ValidationError(
            {
                "start_date": _("%(person)s already holds this post for %(span)s.")
                % {
                    "person": person,
                    "span": _fmt_span(same_person.start_date, same_person.end_date),
                }
            }
        )
    if locked.single_holder:
        other = overlapping.first()
        if other is not None:
            raise ValidationError(
                {
                    "start_date": _(
                        "This post has one holder at a time, and %(holder)s holds it for %(span)s; "
                        "end that assignment first."
                    )
                    % {"holder": other.person, "span": _fmt_span(other.start_date, other.end_date)}
                }
            )
    assignment = PostAssignment(
        person=person,
        post=locked,
        start_date=start_date,
        end_date=end_date,
        note=(note or "").strip(),
    )
    _full_clean(assignment)
    assignment.save()
    audit_record(
        actor=actor,
        action="organisation.postassignment.create",
        obj=assignment,
        after=snapshot(assignment),
        clause=assignment_clause(locked),
    )
    return assignment


@transaction.atomic
def post_assignment_end(
    *,
    actor: User | None,
    assignment: PostAssignment,
    end_date: datetime.date | None = None,
    reason: str = "",
) -> PostAssignment:
    require(
        actor,
        "organisation.end_postassignment",
        assignment,
        clause=assignment_clause(assignment.post),
    )
    locked = PostAssignment.objects.select_for_update().select_related("post").get(pk=assignment.pk)
    end_date = end_date or timezone.localdate()
    if locked.end_date is not None:
        raise ValidationError(
            _("This assignment already ended on %(date)s.") % {"date": locked.end_date}
        )
    if end_date < locked.start_date:
        raise ValidationError(
            {
                "end_date": _("The end date cannot be before the start date (%(date)s).")
                % {"date": locked.start_date}
            }
        )
    before = snapshot(locked)
    locked.end_date = end_date
    locked.end_reason = (reason or "").strip()
    locked.save(update_fields=["end_date", "end_reason"])
    audit_record(
        actor=actor,
        action="organisation.postassignment.end",
        obj=locked,
        before=before,
        after=snapshot(locked),
        reason=locked.end_reason,
        clause=assignment_clause(locked.post),
    )
    return locked


# --- authority changes (decision 0006) ------------------------------------------------------

CLAUSE_AUTHORITY = "§3.1, §4.2"


def principal_user_current(enterprise: Enterprise) -> Any:
    """The account of the enterprise's principal while it can sign: the person recorded as
    principal is active and their account is active and holds the principal role. None otherwise
    (no principal recorded, or the principal left): then two administrators act instead."""
    person = enterprise.principal
    if person is None or not person.is_active or person.user is None:
        return None
    user = person.user
    if not user.is_active or not user.groups.filter(name=R.PRINCIPAL).exists():
        return None
    return user


def _name(user: Any) -> str:
    return actor_name(user)


def _admin_role_granted_by(user: Any, granter: Any) -> bool:
    """Whether ``granter`` ever gave ``user`` the administrator role (by the audit trail)."""
    object_type, object_id, _repr = object_ref(user)
    events = AuditEvent.objects.filter(
        action__in=("accounts.user.create", "accounts.user.roles"),
        object_type=object_type,
        object_id=object_id,
        actor=granter,
    ).values_list("after", flat=True)
    return any(R.ADMIN in ((after or {}).get("roles") or []) for after in events)


def _self_refuse(actor: Any, person: Person) -> None:
    if actor is not None and person.user_id is not None and person.user_id == actor.pk:
        raise ValidationError(
            {
                "person": _(
                    "Nobody changes their own authority or makes themself principal; another "
                    "person must propose it."
                )
            }
        )


def authority_change_content(change: Any) -> dict[str, Any]:
    """What the confirming signer signs: who, what, and who proposed it."""
    return {
        "id": change.pk,
        "enterprise": change.enterprise.credit_code,
        "kind": change.kind,
        "person": {"id": change.person_id, "name": change.person.name},
        "roles_before": list(change.roles_before),
        "roles": list(change.roles),
        "reason": change.reason,
        "proposed_by": _name(change.proposed_by),
    }


@transaction.atomic
def authority_change_propose(
    *,
    actor: User,
    kind: str,
    person: Person,
    roles: Iterable[str] = (),
    reason: str,
    password: str | None = None,
) -> Any:
    """Propose a change of authority (decision 0006). The current principal who proposes with
    their password signs it at once; anything else waits for ``authority_change_confirm``."""
    require(actor, "organisation.propose_authoritychange", clause=CLAUSE_AUTHORITY)
    if kind not in AuthorityChangeKind.values:
        raise ValidationError({"kind": _("Choose what the change is about from the list.")})
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Give the reason for the change.")})
    enterprise = Enterprise.objects.select_for_update().get(pk=person.unit.enterprise_id)
    _check_person_in(enterprise, person, "person")
    _self_refuse(actor, person)
    codes: list[str] = []
    before: list[str] = []
    if kind == AuthorityChangeKind.ROLES:
        if person.user is None:
            raise ValidationError(
                {"person": _("%(person)s has no account; open one first.") % {"person": person}}
            )
        codes = _roles_clean(roles)
        before = account_roles(person.user)
        if not (set(before) ^ set(codes)) & R.AUTHORITY_ROLES:
            raise ValidationError(
                {"roles": _("This changes no role that carries authority; set the roles directly.")}
            )
    elif getattr(enterprise, f"{kind}_id") == person.pk:
        raise ValidationError(
            {"person": _("%(person)s already holds this place.") % {"person": person}}
        )
    change = AuthorityChange(
        enterprise=enterprise,
        kind=kind,
        person=person,
        roles=codes,
        roles_before=before,
        reason=reason,
        proposed_by=actor,
    )
    change.full_clean(exclude=["signature", "confirmed_by"])
    change.save()
    audit_record(
        actor=actor,
        action="organisation.authority.propose",
        obj=change,
        after={**snapshot(change), "proposed_by": _name(actor), "person_name": person.name},
        reason=reason,
        clause=CLAUSE_AUTHORITY,
    )
    if password is not None:
        return authority_change_confirm(actor=actor, change=change, password=password)
    return change


def _confirmer_check(actor: Any, change: Any) -> str:
    """Who may confirm: the current principal; where there is none, an administrator who is not
    the proposer and whose administrator role neither gave to the other. Returns the mode."""
    _self_refuse(actor, change.person)
    principal = principal_user_current(change.enterprise)
    if principal is not None:
        if actor is None or actor.pk != principal.pk:
            raise PermissionDenied(
                _("Only %(principal)s, the enterprise's principal, may confirm this (§3.1).")
                % {"principal": _name(principal)}
            )
        return AuthorityChangeMode.PRINCIPAL
    if actor is None or not is_admin(actor):
        raise PermissionDenied(
            _("The enterprise has no principal who can sign; two administrators confirm instead.")
        )
    proposer = change.proposed_by
    if actor.pk == proposer.pk:
        raise PermissionDenied(
            _("A second administrator must confirm this; you proposed it (decision 0006).")
        )
    if _admin_role_granted_by(actor, proposer) or _admin_role_granted_by(proposer, actor):
        raise PermissionDenied(
            _(
                "One of you gave the other the administrator role, so you are not two "
                "independent administrators; another administrator must confirm."
            )
        )
    return AuthorityChangeMode.TWO_ADMINS


@transaction.atomic
def authority_change_confirm(*, actor: User, change: Any, password: str) -> Any:
    """Sign a proposed authority change and apply it, in one transaction; the audit events name
    both the proposer and the signer."""
    require(actor, "organisation.confirm_authoritychange", change, clause=CLAUSE_AUTHORITY)
    locked = (
        AuthorityChange.objects.select_for_update()
        .select_related("enterprise", "person", "proposed_by")
        .get(pk=change.pk)
    )
    if locked.status != AuthorityChangeStatus.PENDING:
        raise ValidationError(
            {"status": _("This change is “%(status)s”; only a change awaiting confirmation can be "
                         "confirmed.") % {"status": locked.get_status_display()}}
        )  # fmt: skip
    mode = _confirmer_check(actor, locked)
    person = Person.objects.select_for_update().get(pk=locked.person_id)
    if not person.is_active:
        raise ValidationError(
            {"person": _("%(person)s has left the enterprise.") % {"person": person}}
        )
    user = person.user
    if locked.kind == AuthorityChangeKind.ROLES:
        if user is None or account_roles(user) != sorted(locked.roles_before):
            raise ValidationError(
                {"roles": _("The account's roles changed since this was proposed; propose again.")}
            )
    if not password:
        raise ValidationError({"password": _("Enter your password to sign.")})
    try:
        signature = signature_sign(
            user=actor,
            password=password,
            obj=locked,
            content=authority_change_content(locked),
            meaning=_("Confirmed a change of authority under §3.1 and §4.2"),
            clause=CLAUSE_AUTHORITY,
        )
    except SignatureError as exc:
        raise ValidationError({"password": exc.messages}) from exc
    names = {
        "proposed_by": _name(locked.proposed_by),
        "confirmed_by": _name(actor),
        "mode": mode,
        "change": locked.pk,
    }
    if locked.kind == AuthorityChangeKind.ROLES:
        assert user is not None
        _roles_apply(user, list(locked.roles))
        audit_record(
            actor=actor,
            action="accounts.user.roles",
            obj=user,
            before={"roles": list(locked.roles_before)},
            after={"roles": list(locked.roles), **names},
            reason=locked.reason,
            clause=CLAUSE_AUTHORITY,
        )
    else:
        enterprise = Enterprise.objects.select_for_update().get(pk=locked.enterprise_id)
        e_before = snapshot(enterprise)
        setattr(enterprise, locked.kind, person)
        enterprise.save()
        audit_record(
            actor=actor,
            action="organisation.enterprise.update",
            obj=enterprise,
            before=e_before,
            after={**snapshot(enterprise), **names},
            reason=locked.reason,
            clause=CLAUSE_ENTERPRISE,
        )
        held = account_roles(user) if user is not None else []
        if (
            locked.kind == AuthorityChangeKind.PRINCIPAL
            and user is not None
            and (R.PRINCIPAL not in held)
        ):
            # The new principal signs as principal from now on (§3.1): the role comes with the
            # place, in the same signed act.
            _roles_apply(user, [*held, R.PRINCIPAL])
            audit_record(
                actor=actor,
                action="accounts.user.roles",
                obj=user,
                before={"roles": held},
                after={"roles": sorted([*held, R.PRINCIPAL]), **names},
                reason=locked.reason,
                clause=CLAUSE_AUTHORITY,
            )
    before = snapshot(locked)
    locked.status = AuthorityChangeStatus.APPLIED
    locked.confirmed_by = actor
    locked.confirmed_at = timezone.now()
    locked.mode = mode
    locked.signature = signature
    locked.save()
    audit_record(
        actor=actor,
        action="organisation.authority.confirm",
        obj=locked,
        before=before,
        after={**snapshot(locked), **names, "person_name": person.name},
        reason=locked.reason,
        clause=CLAUSE_AUTHORITY,
    )
    if actor is not None and user is not None and actor.pk == user.pk:
        user_cache_clear(actor)
    return locked


@transaction.atomic
def authority_change_withdraw(*, actor: User, change: Any, reason: str) -> Any:
    """The proposer withdraws a change, or anyone who may confirm it turns it down."""
    require(actor, "organisation.withdraw_authoritychange", change, clause=CLAUSE_AUTHORITY)
    locked = AuthorityChange.objects.select_for_update().get(pk=change.pk)
    if locked.status != AuthorityChangeStatus.PENDING:
        raise ValidationError(
            {"status": _("Only a change awaiting confirmation can be withdrawn.")}
        )
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Give the reason for withdrawing the change.")})
    before = snapshot(locked)
    locked.status = AuthorityChangeStatus.WITHDRAWN
    locked.withdrawn_reason = reason
    locked.save()
    audit_record(
        actor=actor,
        action="organisation.authority.withdraw",
        obj=locked,
        before=before,
        after={**snapshot(locked), "proposed_by": _name(locked.proposed_by),
               "withdrawn_by": _name(actor)},
        reason=reason,
        clause=CLAUSE_AUTHORITY,
    )  # fmt: skip
    return locked
