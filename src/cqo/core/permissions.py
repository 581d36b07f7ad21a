"""One way to ask "may this user do this to that object?", for services, views and the API."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _


def require(user: Any, perm: str, obj: Any = None, *, clause: str = "") -> None:
    """Raise PermissionDenied (with a message in the user's language) unless ``user`` has ``perm``.

    Services call this first, so that the web, the API, imports and jobs all meet the same check.
    ``user`` may be None for system jobs, which pass only through ``system_actor``.
    """
    if user is None or not getattr(user, "is_active", False) or not user.has_perm(perm, obj):
        if clause:
            raise PermissionDenied(
                _("You do not hold the authority for this (%(clause)s).") % {"clause": clause}
            )
        raise PermissionDenied(_("You do not have permission to do this."))
