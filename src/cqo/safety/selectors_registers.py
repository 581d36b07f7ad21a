"""The registers part's reads. ``controls_for_records`` is what the regime part (daily control,
weekly check) reads from the risk-control list in force; the registers part owns its body."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, F, Q, QuerySet

from .models_registers import (
    ControlList,
    ImpactReview,
    PostAcknowledgement,
    Requirement,
    RequirementSource,
    Risk,
    responsibilities_digest,
)


@dataclass(frozen=True)
class ControlItem:
    """One control of the risk-control list in force. ``key`` is stable across versions of the
    list (the regime part stores it with a snapshot of ``code`` and ``text``); ``frequency`` is
    ``"daily"``, ``"weekly"`` or ``"monthly"``; ``owner_user_id`` the officer who records it."""

    key: str
    code: str
    text: str
    frequency: str
    risk_code: str = ""
    unit_id: int | None = None
    owner_user_id: int | None = None


def control_list_in_force(on: datetime.date) -> ControlList | None:
    """The latest version in force on ``on`` (the highest version whose date has come)."""
    return ControlList.objects.filter(effective_on__lte=on).order_by("-version").first()


def controls_for_records(*, on: datetime.date, frequency: str = "daily") -> list[ControlItem]:
    """The controls of the list in force on ``on`` with this frequency (empty until the
    registers part publishes a list), in the list's order. A control without its own recorder
    is recorded by the risk's owner."""
    published = control_list_in_force(on)
    if published is None:
        return []
    items: list[ControlItem] = []
    for row in published.rows:
        for control in row.get("controls", []):
            if control.get("frequency") != frequency:
                continue
            items.append(
                ControlItem(
                    key=str(control["key"]),
                    code=str(control["code"]),
                    text=str(control["text"]),
                    frequency=str(control["frequency"]),
                    risk_code=str(row.get("risk_code", "")),
                    unit_id=row.get("unit_id"),
                    owner_user_id=control.get("owner_user_id") or row.get("owner_id"),
                )
            )
    return items


def _may(user: Any, perm: str) -> bool:
    return (
        user is not None and bool(getattr(user, "is_authenticated", False)) and user.has_perm(perm)
    )


def sources_visible(user: Any, *, kind: str = "") -> QuerySet[RequirementSource]:
    if not _may(user, "safety.view_requirementsource"):
        return RequirementSource.objects.none()
    qs = (
        RequirementSource.objects.filter(voided_at__isnull=True)
        .select_related("owner")
        .annotate(
            live_requirements=Count("requirements", filter=Q(requirements__voided_at__isnull=True)),
            open_reviews=Count(
                "reviews",
                filter=Q(reviews__closed_at__isnull=True, reviews__voided_at__isnull=True),
            ),
        )
    )
    if kind:
        qs = qs.filter(kind=kind)
    return qs.order_by("kind", "code", "id")


def requirements_visible(
    user: Any, *, family: str = "", source: RequirementSource | None = None, due_by: Any = None
) -> QuerySet[Requirement]:
    if not _may(user, "safety.view_requirement"):
        return Requirement.objects.none()
    qs = Requirement.objects.filter(voided_at__isnull=True).select_related("source", "owner")
    if family:
        qs = qs.filter(family=family)
    if source is not None:
        qs = qs.filter(source=source)
    if due_by is not None:
        qs = qs.filter(review_on__lte=due_by)
    return qs.order_by("family", "source__code", "source_clause", "id")


def requirement_families(user: Any) -> list[str]:
    return sorted(set(requirements_visible(user).values_list("family", flat=True)))


def reviews_visible(user: Any, *, open_only: bool = False) -> QuerySet[ImpactReview]:
    if not _may(user, "safety.view_impactreview"):
        return ImpactReview.objects.none()
    qs = ImpactReview.objects.filter(voided_at__isnull=True).select_related(
        "source", "owner", "closed_by"
    )
    if open_only:
        qs = qs.filter(closed_at__isnull=True)
    return qs.order_by(F("closed_at").asc(nulls_first=True), "due_on", "id")


def risks_visible(user: Any, *, family: str = "", level: str = "") -> QuerySet[Risk]:
    if not _may(user, "safety.view_risk"):
        return Risk.objects.none()
    qs = Risk.objects.filter(voided_at__isnull=True).select_related("owner", "item", "unit")
    if family:
        qs = qs.filter(family=family)
    return qs.order_by("code")


def risk_families(user: Any) -> list[str]:
    return sorted(set(risks_visible(user).values_list("family", flat=True)))


def control_lists_visible(user: Any) -> QuerySet[ControlList]:
    if not _may(user, "safety.view_controllist"):
        return ControlList.objects.none()
    return ControlList.objects.select_related("published_by").order_by("-version")


def acknowledgements_of(post_ids: list[int]) -> QuerySet[PostAcknowledgement]:
    return PostAcknowledgement.objects.filter(post_id__in=post_ids, voided_at__isnull=True)


@dataclass
class HolderState:
    person: Any
    acknowledged_at: Any = None  # of the responsibilities as written now; None: not yet


@dataclass
class KeyPostState:
    """A key post (§7.2.1.3) today: are its responsibilities written, is it held, has every
    holder acknowledged the responsibilities as they stand now."""

    post: Any
    written: bool
    holders: list[HolderState]

    @property
    def vacant(self) -> bool:
        return not self.holders

    @property
    def acknowledged(self) -> bool:
        return bool(self.holders) and all(h.acknowledged_at for h in self.holders)

    @property
    def in_order(self) -> bool:
        return self.written and self.acknowledged


def key_posts(user: Any, *, on: datetime.date | None = None) -> list[KeyPostState]:
    """Every live key post with its holders today and their acknowledgements (three queries)."""
    if not _may(user, "organisation.view_post"):
        return []
    from django.utils import timezone

    from cqo.organisation.models import Post, PostAssignment, PostKind

    day = on or timezone.localdate()
    posts = list(
        Post.objects.filter(kind=PostKind.KEY_POST, voided_at__isnull=True)
        .select_related("unit")
        .order_by("code")
    )
    if not posts:
        return []
    ids = [p.pk for p in posts]
    holders: dict[int, list[Any]] = {pk: [] for pk in ids}
    for assignment in (
        PostAssignment.objects.current(day).filter(post_id__in=ids).select_related("person")
    ):
        holders[assignment.post_id].append(assignment.person)
    acks: dict[tuple[int, int, str], Any] = {}
    for ack in acknowledgements_of(ids).order_by("acknowledged_at"):
        acks[(ack.post_id, ack.person_id, ack.digest)] = ack.acknowledged_at
    out = []
    for post in posts:
        digest = responsibilities_digest(post.responsibilities)
        out.append(
            KeyPostState(
                post=post,
                written=bool((post.responsibilities or "").strip()),
                holders=[
                    HolderState(person, acks.get((post.pk, person.pk, digest)))
                    for person in holders[post.pk]
                ],
            )
        )
    return out


def key_posts_wanting(user: Any) -> list[KeyPostState]:
    """The key posts not in order: vacant, responsibilities unwritten or unacknowledged."""
    return [state for state in key_posts(user) if not state.in_order]
