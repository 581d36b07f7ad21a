"""Who may do what with the organisation's records.

Groups carry no static permissions: every permission, model-level (``obj`` is None) and per
object, is a predicate here, so this docstring and the code below are the whole matrix.

=====================================  =====================================================
permission                             who holds it
=====================================  =====================================================
view_enterprise, view_unit,            every member: an active account with a role or a
view_person, view_post,                person record (auditors included)
view_postassignment
add_enterprise, change_enterprise      admin
add_unit, change_unit, move_unit,      admin
void_unit
add_person, change_person,             admin
leave_person, set_person_roles,
add_person_account
add_post, change_post                  admin, cqo (posts' quality responsibilities, §7.1.6)
void_post                              admin
assign_post (on a post),               - CQO and quality-safety-director posts: principal
end_postassignment (on an                (appointment, §3.1)
assignment, by its post)               - quality-safety officers, key posts (§7.2.1.3): admin,
                                         cqo, or a department head whose subtree holds the post
                                       - other posts: admin, or that department head
view_authoritychange                   admin, principal, auditor
propose/confirm/withdraw_              admin, principal; the service says who confirms: the
authoritychange                          current principal, else a second administrator
                                         independent of the proposer (decision 0006)
delete_* (any)                         nobody: records are voided or ended, never deleted
=====================================  =====================================================

The auditor role is read-only by construction: it appears only in the view rules. Superusers
pass every check (Django's ``User.has_perm``), which is why ``createadmin`` is the only way to
make one. With ``obj`` None, the object-dependent rules answer "could this user do it to some
object", which is what a page needs to decide whether to show a button.
"""

from __future__ import annotations

from typing import Any

import rules

from cqo.core import request_cache
from cqo.core.predicates import in_group, is_active_user, user_groups

from . import roles as R


def user_roles(user: Any) -> frozenset[str]:
    """The user's role codes: their groups (read once per request, ``core.predicates``) that
    are roles."""
    return user_groups(user) & _ROLES


_ROLES = frozenset(R.ROLES)


def user_person(user: Any) -> Any:
    if user is None or not getattr(user, "is_authenticated", False):
        return None
    from .models import Person

    return request_cache.remember(
        ("organisation.person", user.pk),
        lambda: Person.objects.select_related("unit").filter(user=user).first(),
    )


def user_cache_clear(user: Any) -> None:
    """Forget what this request remembered after roles, a person or a unit head change (services
    call this). The user is named for the callers' sake: everything in the scope goes."""
    request_cache.forget()


has_role = in_group


@rules.predicate
def has_any_role(user: Any) -> bool:
    return bool(user_roles(user))


@rules.predicate
def has_person(user: Any) -> bool:
    return user_person(user) is not None


is_member = is_active_user & (has_any_role | has_person)
is_admin = is_active_user & (rules.is_superuser | has_role(R.ADMIN))
is_principal = is_active_user & has_role(R.PRINCIPAL)
is_cqo = is_active_user & has_role(R.CQO)
is_department_head = is_active_user & has_role(R.DEPARTMENT_HEAD)


def _target_unit(obj: Any) -> Any:
    from .models import Person, Post, PostAssignment, Unit

    if isinstance(obj, Unit):
        return obj
    if isinstance(obj, Person | Post):
        return obj.unit
    if isinstance(obj, PostAssignment):
        return obj.post.unit
    return None


def headed_paths(user: Any) -> list[str]:
    """The tree paths of the active units this user's person heads (read once per request)."""

    def compute() -> list[str]:
        from .models import Unit

        person = user_person(user)
        if person is None:
            return []
        return list(Unit.objects.active().filter(head=person).values_list("path", flat=True))

    return request_cache.remember(("organisation.headed_paths", user.pk), compute)


@rules.predicate
def is_own_unit(user: Any, obj: Any) -> bool:
    person = user_person(user)
    unit = _target_unit(obj)
    return person is not None and unit is not None and person.unit_id == unit.pk


@rules.predicate
def in_own_subtree(user: Any, obj: Any) -> bool:
    """The object's unit lies in a unit this user heads, or below one."""
    unit = _target_unit(obj)
    if unit is None:
        return False
    return any(unit.path.startswith(p) for p in headed_paths(user))


def _post_of(obj: Any) -> Any:
    from .models import Post, PostAssignment

    if isinstance(obj, Post):
        return obj
    if isinstance(obj, PostAssignment):
        return obj.post
    return None


@rules.predicate
def may_assign(user: Any, obj: Any) -> bool:
    from .models import PostKind

    if not is_active_user(user):
        return False
    post = _post_of(obj)
    if post is None:
        return bool(
            is_admin(user) or is_principal(user) or is_cqo(user) or is_department_head(user)
        )
    if post.kind in (PostKind.CQO, PostKind.QUALITY_SAFETY_DIRECTOR):
        return bool(is_principal(user))
    head_here = bool(is_department_head(user) and in_own_subtree(user, post))
    if post.kind in (PostKind.QUALITY_SAFETY_OFFICER, PostKind.KEY_POST):
        return bool(is_admin(user) or is_cqo(user) or head_here)
    return bool(is_admin(user) or head_here)


_VIEW = ("enterprise", "unit", "person", "post", "postassignment")
for _model in _VIEW:
    rules.add_perm(f"organisation.view_{_model}", is_member)
    rules.add_perm(f"organisation.delete_{_model}", rules.always_deny)

rules.add_perm("organisation.add_enterprise", is_admin)
rules.add_perm("organisation.change_enterprise", is_admin)

rules.add_perm("organisation.add_unit", is_admin)
rules.add_perm("organisation.change_unit", is_admin)
rules.add_perm("organisation.move_unit", is_admin)
rules.add_perm("organisation.void_unit", is_admin)

rules.add_perm("organisation.add_person", is_admin)
rules.add_perm("organisation.change_person", is_admin)
rules.add_perm("organisation.leave_person", is_admin)
rules.add_perm("organisation.set_person_roles", is_admin)
rules.add_perm("organisation.add_person_account", is_admin)

rules.add_perm("organisation.add_post", is_admin | is_cqo)
rules.add_perm("organisation.change_post", is_admin | is_cqo)
rules.add_perm("organisation.void_post", is_admin)
rules.add_perm("organisation.assign_post", may_assign)
rules.add_perm("organisation.add_postassignment", may_assign)
rules.add_perm("organisation.end_postassignment", may_assign)
rules.add_perm("organisation.change_postassignment", rules.always_deny)

# Authority changes (decision 0006): an administrator or the principal proposes; the service
# decides who confirms (the current principal, else a second independent administrator).
_authority_people = is_admin | is_principal
rules.add_perm("organisation.view_authoritychange", _authority_people | has_role(R.AUDITOR))
rules.add_perm("organisation.propose_authoritychange", _authority_people)
rules.add_perm("organisation.confirm_authoritychange", _authority_people)
rules.add_perm("organisation.withdraw_authoritychange", _authority_people)
rules.add_perm("organisation.delete_authoritychange", rules.always_deny)
rules.add_perm("organisation.change_authoritychange", rules.always_deny)
