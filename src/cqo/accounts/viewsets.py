"""The one base for the product's API viewsets: every write goes through a service.

``ServiceViewSet`` asks ``ObjectPermission`` (the same ``rules`` as the pages) for the endpoint,
and gives actions two helpers:

- ``self.target(perm, clause)``: the record the URL names, checked for ``perm`` before the body
  is read, so a refused request is a 403 with the clause whatever it carries, and nothing is
  parsed or written;
- ``self.body(SerializerClass)``: the request body, validated, as a dict for the service.

A refusal by a service keeps its shape through ``cqo.api.exceptions``: ``ValidationError`` 400 by
field, ``PermissionDenied`` 403 with the clause, ``ConflictError`` (a one-vote veto) 409.

It lives in ``accounts`` (next to ``actors.actor_of``, which gives ``actor``) and its permission
class in ``core.api_permissions``, not in the ``api`` app: ``organisation`` uses it and sits below
``api`` in the layers (decision 0005).
"""

from __future__ import annotations

from typing import Any

from django.shortcuts import get_object_or_404
from rest_framework import viewsets

from cqo.core.api_permissions import ObjectPermission
from cqo.core.permissions import require

from .actors import actor_of
from .models import User


class ServiceViewSet(viewsets.GenericViewSet):
    permission_classes = [ObjectPermission]
    required_perms: dict[str, str] = {}

    @property
    def actor(self) -> User:
        """The signed-in caller, as services take it (``ObjectPermission`` has let in no other)."""
        return actor_of(self.request)

    def target(self, perm: str = "", clause: str = "") -> Any:
        queryset: Any = type(self).queryset
        obj = get_object_or_404(queryset.model._base_manager.all(), pk=self.kwargs["pk"])
        if perm:
            require(self.request.user, perm, obj, clause=clause)
        return obj

    def body(self, serializer_class: Any) -> dict[str, Any]:
        serializer = serializer_class(data=self.request.data)
        serializer.is_valid(raise_exception=True)
        return dict(serializer.validated_data)
