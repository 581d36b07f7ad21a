from __future__ import annotations

from .models import Charter, CharterStatus


def charter_published() -> Charter | None:
    return Charter.objects.filter(status=CharterStatus.PUBLISHED).order_by("-version").first()


def charter_pending() -> Charter | None:
    """The newest version waiting for the principal: a draft to approve, or one to publish."""
    return (
        Charter.objects.filter(status__in=[CharterStatus.DRAFT, CharterStatus.APPROVED])
        .order_by("-version")
        .first()
    )


def charter_veto_delegable() -> bool:
    """Whether the published charter lets the CQO delegate the veto (§6 i)); no without one."""
    charter = charter_published()
    return bool(charter is not None and charter.veto_delegable)
