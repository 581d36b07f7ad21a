"""Reads of the organisation, scoped to what the user may see.

Every member may see the whole organisation (see ``rules``); anyone else sees nothing, so each
selector starts from an empty queryset for them rather than trusting the caller to check.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Prefetch, Q, QuerySet

from . import roles as R
from .models import Enterprise, Person, PersonStatus, Post, PostAssignment, Unit
from .rules import is_member


def _may_view(user: Any) -> bool:
    return bool(is_member(user))


def enterprise_current(user: Any = None) -> Enterprise | None:
    """The installation's enterprise (normally the only one); None if none or not visible."""
    if user is not None and not _may_view(user):
        return None
    return (
        Enterprise.objects.select_related("legal_representative", "principal")
        .order_by("id")
        .first()
    )


def units_visible(user: Any, *, include_voided: bool = False) -> QuerySet[Unit]:
    if not _may_view(user):
        return Unit.objects.none()
    qs = Unit.objects.select_related("head", "parent", "enterprise")
    return qs if include_voided else qs.filter(voided_at__isnull=True)


def unit_subtree(
    unit: Unit, *, include_self: bool = True, include_voided: bool = False
) -> QuerySet[Unit]:
    qs = Unit.objects.subtree_of(unit, include_self=include_self)
    return qs if include_voided else qs.filter(voided_at__isnull=True)


@dataclass
class UnitNode:
    unit: Unit
    children: list[UnitNode] = field(default_factory=list)
    people_count: int = 0

    @property
    def subtree_size(self) -> int:
        return 1 + sum(child.subtree_size for child in self.children)


def unit_tree(
    user: Any, *, root: Unit | None = None, include_voided: bool = False
) -> list[UnitNode]:
    """The unit tree as nested nodes, from one query (plus one for head counts)."""
    qs = units_visible(user, include_voided=include_voided).annotate(
        people_count=Count("people", filter=Q(people__status=PersonStatus.ACTIVE))
    )
    if root is not None:
        qs = qs.filter(path__startswith=root.path)
    nodes = {u.pk: UnitNode(unit=u, people_count=u.people_count) for u in qs}  # type: ignore[attr-defined]
    roots: list[UnitNode] = []
    for node in nodes.values():
        parent = nodes.get(node.unit.parent_id) if node.unit.parent_id else None
        if parent is None or (root is not None and node.unit.pk == root.pk):
            roots.append(node)
        else:
            parent.children.append(node)

    def order(items: list[UnitNode]) -> None:
        items.sort(key=lambda n: (n.unit.sort_order, n.unit.code))
        for item in items:
            order(item.children)

    order(roots)
    return roots


def unit_children(user: Any, unit: Unit) -> QuerySet[Unit]:
    return (
        units_visible(user)
        .filter(parent=unit)
        .annotate(child_count=Count("children", filter=Q(children__voided_at__isnull=True)))
        .order_by("sort_order", "code")
    )


def people_visible(
    user: Any,
    *,
    q: str = "",
    unit: Unit | None = None,
    subtree: bool = True,
    include_left: bool = False,
) -> QuerySet[Person]:
    if not _may_view(user):
        return Person.objects.none()
    qs = Person.objects.select_related("unit", "user")
    if not include_left:
        qs = qs.filter(status=PersonStatus.ACTIVE)
    if unit is not None:
        qs = qs.filter(unit__path__startswith=unit.path) if subtree else qs.filter(unit=unit)
    q = (q or "").strip()
    if q:
        qs = qs.filter(
            Q(name__icontains=q)
            | Q(name_en__icontains=q)
            | Q(employee_no__icontains=q)
            | Q(job_title__icontains=q)
            | Q(job_title_en__icontains=q)
            | Q(user__username__icontains=q)
        )
    return qs.order_by("employee_no")


def person_roles(person: Person) -> list[str]:
    if person.user_id is None:
        return []
    assert person.user is not None
    return sorted(person.user.groups.filter(name__in=R.ROLES).values_list("name", flat=True))


def posts_visible(
    user: Any, *, unit: Unit | None = None, kind: str = "", include_voided: bool = False
) -> QuerySet[Post]:
    if not _may_view(user):
        return Post.objects.none()
    qs = Post.objects.select_related("unit", "enterprise")
    if not include_voided:
        qs = qs.filter(voided_at__isnull=True)
    if unit is not None:
        qs = qs.filter(unit__path__startswith=unit.path)
    if kind:
        qs = qs.filter(kind=kind)
    current = PostAssignment.objects.current().select_related("person")
    return qs.prefetch_related(
        Prefetch("assignments", queryset=current, to_attr="current_assignments")
    )


def assignments_visible(user: Any) -> QuerySet[PostAssignment]:
    if not _may_view(user):
        return PostAssignment.objects.none()
    return PostAssignment.objects.select_related("person", "post", "post__unit")


def post_assignments(user: Any, post: Post) -> QuerySet[PostAssignment]:
    return assignments_visible(user).filter(post=post).order_by("-start_date", "-id")


def person_assignments(user: Any, person: Person) -> QuerySet[PostAssignment]:
    return assignments_visible(user).filter(person=person).order_by("-start_date", "-id")


def post_holders(post: Post, on: Any = None) -> list[Person]:
    """Who holds ``post`` on a day (today by default)."""
    return [
        a.person
        for a in PostAssignment.objects.current(on).filter(post=post).select_related("person")
    ]
