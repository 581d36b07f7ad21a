"""A DRF permission class that asks the same rules as the web pages: ``has_perm(perm, obj)``.

A view names the permission per action in ``required_perms``; the check runs without an object
for the endpoint (list, create) and again with the object for anything that touches one. Kept
here until the api app offers a shared one.
"""

from __future__ import annotations

from typing import Any

from rest_framework.permissions import BasePermission
from rest_framework.request import Request


class ObjectPermission(BasePermission):
    def _perm(self, view: Any) -> str | None:
        perms: dict[str, str] = getattr(view, "required_perms", {})
        action = getattr(view, "action", None) or ""
        # An action nobody listed is refused rather than left open.
        return perms.get(action)

    def has_permission(self, request: Request, view: Any) -> bool:
        user = request.user
        if not (user and user.is_authenticated and user.is_active):
            return False
        perm = self._perm(view)
        return perm is not None and user.has_perm(perm)

    def has_object_permission(self, request: Request, view: Any, obj: Any) -> bool:
        perm = self._perm(view)
        return perm is not None and request.user.has_perm(perm, obj)
