"""The signed-in user as the ``actor`` services expect (``actor: User``).

Pages behind ``login_required`` and API views behind ``ObjectPermission`` only ever see a signed-in
user, but ``request.user`` is typed as "a user or an anonymous one"; ``actor_of`` says which,
once, and refuses the anonymous case rather than letting a service meet it.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from .models import User


def actor_of(request: Any) -> User:
    user = getattr(request, "user", None)
    if not isinstance(user, User) or not user.is_authenticated:
        raise PermissionDenied(_("Sign in first."))
    return user
