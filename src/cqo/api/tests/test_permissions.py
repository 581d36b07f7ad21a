from __future__ import annotations

from typing import Any

import pytest
from rest_framework.test import APIRequestFactory

from cqo.core.api_permissions import ObjectPermission, required_perm
from cqo.organisation.models import Unit


class _View:
    queryset = Unit.objects.none()

    def __init__(self, action: str | None = None, **perms: str) -> None:
        self.action = action
        if perms:
            self.required_perms = perms


class _User:
    is_authenticated = True
    is_active = True

    def __init__(self, allowed: set[tuple[str, Any]]) -> None:
        self.allowed = allowed
        self.asked: list[tuple[str, Any]] = []

    def has_perm(self, perm: str, obj: Any = None) -> bool:
        self.asked.append((perm, obj))
        return (perm, obj) in self.allowed


def _request(method: str, user: Any = None) -> Any:
    request = getattr(APIRequestFactory(), method.lower())("/")
    request.user = user
    return request


@pytest.mark.parametrize(
    ("method", "action", "perm"),
    [
        ("GET", "list", "organisation.view_unit"),
        ("GET", "retrieve", "organisation.view_unit"),
        ("HEAD", "retrieve", "organisation.view_unit"),
        ("OPTIONS", "metadata", "organisation.view_unit"),
        ("POST", "create", "organisation.add_unit"),
        ("PUT", "update", "organisation.change_unit"),
        ("PATCH", "partial_update", "organisation.change_unit"),
        ("DELETE", "destroy", "organisation.delete_unit"),
    ],
)
def test_the_method_gives_the_verb_on_the_views_model(method: str, action: str, perm: str) -> None:
    assert required_perm(_request(method), _View(action)) == perm


def test_a_custom_action_nobody_listed_is_refused() -> None:
    assert required_perm(_request("POST"), _View("move")) is None


def test_a_view_names_the_permission_per_action_or_per_method() -> None:
    view = _View("move", move="organisation.move_unit")
    assert required_perm(_request("POST"), view) == "organisation.move_unit"
    by_method = _View(None, POST="organisation.void_unit")
    assert required_perm(_request("POST"), by_method) == "organisation.void_unit"


def test_has_permission_asks_the_model_level_rule_and_refuses_anonymous() -> None:
    user = _User({("organisation.view_unit", None)})
    assert ObjectPermission().has_permission(_request("GET", user), _View("list"))
    assert not ObjectPermission().has_permission(_request("POST", user), _View("create"))
    assert user.asked == [("organisation.view_unit", None), ("organisation.add_unit", None)]

    class Anonymous:
        is_authenticated = False

    assert not ObjectPermission().has_permission(_request("GET", Anonymous()), _View("list"))


def test_has_object_permission_asks_the_rule_with_the_object() -> None:
    unit = Unit(pk=5)
    user = _User({("organisation.change_unit", unit)})
    permission = ObjectPermission()
    assert permission.has_object_permission(_request("PATCH", user), _View("partial_update"), unit)
    other = Unit(pk=6)
    assert not permission.has_object_permission(
        _request("PATCH", user), _View("partial_update"), other
    )
    assert user.asked[-1] == ("organisation.change_unit", other)
