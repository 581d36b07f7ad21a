"""The API's permission class: the same ``rules`` permissions as the web pages, per object.

``ObjectPermission`` turns a request into a permission name and asks ``has_perm(perm)`` for the
endpoint and ``has_perm(perm, obj)`` for each object the view touches (``get_object``):

- a view may name the permission per action or per HTTP method in ``required_perms``
  (``{"list": "organisation.view_unit", "move": "organisation.move_unit", "POST": ...}``);
- otherwise the method gives the verb on the view's model: GET/HEAD/OPTIONS ``view_``, POST
  ``add_``, PUT/PATCH ``change_``, DELETE ``delete_`` (``<app>.<verb>_<model>``);
- a custom action (``@action``) nobody listed is refused rather than left open.

List endpoints filter through the app's selectors: the endpoint check only says "may this user
list such things at all"; which rows they see is the selector's business.
"""

from __future__ import annotations

from typing import Any

from rest_framework.permissions import BasePermission
from rest_framework.request import Request

METHOD_VERBS = {
    "GET": "view",
    "HEAD": "view",
    "OPTIONS": "view",
    "POST": "add",
    "PUT": "change",
    "PATCH": "change",
    "DELETE": "delete",
}
# The actions a ModelViewSet derives from the method; any other action must be listed.
STANDARD_ACTIONS = {
    None,
    "",
    "list",
    "retrieve",
    "create",
    "update",
    "partial_update",
    "destroy",
    "metadata",
}


def _model_of(view: Any) -> Any:
    model = getattr(view, "perm_model", None)
    if model is not None:
        return model
    queryset = getattr(view, "queryset", None)
    return getattr(queryset, "model", None)


def required_perm(request: Request, view: Any) -> str | None:
    """The permission this request needs, or None when nothing grants it."""
    perms: dict[str, str] = getattr(view, "required_perms", None) or {}
    action = getattr(view, "action", None)
    if action and action in perms:
        return perms[action]
    method = (request.method or "").upper()
    if method in perms:
        return perms[method]
    if action not in STANDARD_ACTIONS:
        return None
    verb = METHOD_VERBS.get(method)
    model = _model_of(view)
    if verb is None or model is None:
        return None
    return f"{model._meta.app_label}.{verb}_{model._meta.model_name}"


class ObjectPermission(BasePermission):
    def has_permission(self, request: Request, view: Any) -> bool:
        user = request.user
        if not (user and user.is_authenticated and user.is_active):
            return False
        perm = required_perm(request, view)
        return perm is not None and user.has_perm(perm)

    def has_object_permission(self, request: Request, view: Any, obj: Any) -> bool:
        perm = required_perm(request, view)
        return perm is not None and request.user.has_perm(perm, obj)
