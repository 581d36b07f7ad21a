"""The permission matrix's world: every URL pattern of the project, one member per role and an
object of every kind a URL names, built once per test module.

``routes()`` walks ``get_resolver()`` recursively, so a new view is found without being listed
anywhere. Only these prefixes are left out, each for a reason; everything else, pages and API
alike, must appear in the permission matrix (``tests/security/test_permission_matrix.py``):
"""

from __future__ import annotations

import contextlib
import datetime
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

ROLES = (
    "principal", "cqo", "deputy", "quality_engineer", "inspector", "metrology_officer",
    "department_head", "employee", "auditor", "admin",
)  # fmt: skip
ANONYMOUS = "anonymous"
WHO = (*ROLES, ANONYMOUS)

EXCLUDED_PREFIXES = {
    # Django's admin has its own staff sign-in, and our models' admins are read-only
    # (cqo.core.admin.ReadOnlyAdmin): every write goes through a service.
    "admin/": "Django admin",
    # The language switch: open to everyone on purpose (the sign-in page has it).
    "i18n/": "language switch",
    # Static files (served by a URL pattern only when DEBUG is on); the API docs' assets
    # (Swagger UI, ReDoc from drf-spectacular-sidecar) are static files too.
    "static/": "static files and the schema-doc assets",
}


@dataclass(frozen=True)
class Route:
    name: str  # namespaced: "api:org:org-unit-detail"
    pattern: str  # readable: "api/v1/org/^units/(?P<pk>[^/.]+)/$"
    kwargs: tuple[str, ...]
    callback: Any = field(compare=False, hash=False)

    @property
    def is_api(self) -> bool:
        return self.name.startswith("api:")

    def methods(self) -> set[str]:
        """The HTTP methods a DRF view or viewset answers (empty for other views)."""
        actions = getattr(self.callback, "actions", None)
        if actions:
            return {m.upper() for m in actions}
        cls = getattr(self.callback, "cls", None)
        if cls is None:
            return set()
        return {m.upper() for m in cls.http_method_names if hasattr(cls, m) and m != "options"}


def _pattern_kwargs(pattern: Any) -> set[str]:
    # Route and regex patterns alike compile to a regex whose named groups are the arguments.
    return set(pattern.regex.groupindex)


def _excluded(top: str) -> bool:
    plain = top.lstrip("^")
    return any(plain.startswith(prefix) for prefix in EXCLUDED_PREFIXES)


def routes() -> list[Route]:
    found: list[Route] = []

    def walk(resolver: URLResolver, namespace: str, prefix: str, kwargs: set[str]) -> None:
        for entry in resolver.url_patterns:
            text = str(entry.pattern)
            if not prefix and _excluded(text):
                continue
            if isinstance(entry, URLResolver):
                ns = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
                walk(entry, ns, prefix + text, kwargs | _pattern_kwargs(entry.pattern))
            elif isinstance(entry, URLPattern):
                name = f"{namespace}{entry.name}" if entry.name else ""
                found.append(
                    Route(
                        name=name,
                        pattern=prefix + text,
                        kwargs=tuple(sorted(kwargs | _pattern_kwargs(entry.pattern))),
                        callback=entry.callback,
                    )
                )

    walk(get_resolver(), "", "", set())
    return found


# --- the world the walk runs in ---------------------------------------------------------------


@dataclass
class World:
    users: dict[str, Any]
    objects: dict[str, Any]
    clients: dict[str, Client] = field(default_factory=dict)

    def client(self, who: str, **kwargs: Any) -> Client:
        if kwargs or who not in self.clients:
            client = Client(**kwargs)
            if who != ANONYMOUS:
                client.force_login(self.users[who])
            if kwargs:
                return client
            self.clients[who] = client
        return self.clients[who]

    @property
    def enterprise(self) -> Any:
        return self.objects["enterprise"]

    @property
    def principal(self) -> Any:
        return self.users["principal"]

    def sign_in_everyone(self) -> None:
        """A client per identity, signed in now: in a world shared by a module, a session made
        inside one test would be rolled back with it, and the next test would be anonymous."""
        for who in WHO:
            self.client(who)


def build_world() -> World:
    """Objects of every kind a URL names, and one member per role with a person record.

    The department head heads the quality unit, where the post and its assignment live, so the
    rules that depend on the unit tree have something to say.
    """
    from cqo.audit.services import audit_record
    from cqo.organisation.models import PostKind, UnitKind
    from cqo.testing.factories import (
        EnterpriseFactory,
        PersonFactory,
        PostAssignmentFactory,
        PostFactory,
        UnitFactory,
        member,
    )

    # factory_boy's calls are typed as returning the factory; they return the model instance.
    enterprise: Any = EnterpriseFactory()
    root: Any = UnitFactory(enterprise=enterprise, kind=UnitKind.COMPANY, code="ROOT", name="公司")
    quality: Any = UnitFactory(parent=root, code="QM", name="质量管理部")
    users = {
        role: member([role], unit=quality if role == "department_head" else root,
                     username=f"matrix-{role}")
        for role in ROLES
    }  # fmt: skip
    head = users["department_head"].person
    quality.head = head
    quality.save(update_fields=["head"])
    post = PostFactory(unit=quality, kind=PostKind.OTHER, code="QM-ENG", name="质量工程师岗")
    worker: Any = PersonFactory(unit=quality, name="王五", name_en="Wang Wu")
    assignment = PostAssignmentFactory(
        post=post, person=worker, start_date=datetime.date(2025, 1, 1)
    )
    event = audit_record(
        actor=users["admin"], action="organisation.unit.create", obj=quality,
        after={"name": quality.name}, clause="§4.1",
    )  # fmt: skip
    from cqo.organisation.services import authority_change_propose

    authority_change = authority_change_propose(
        actor=users["admin"], kind="legal_representative", person=worker, reason="matrix"
    )
    objects: dict[str, Any] = {
        "authority_change": authority_change,
        "enterprise": enterprise,
        "root": root,
        "unit": quality,
        "person": worker,
        "post": post,
        "assignment": assignment,
        "event": event,
    }
    objects.update(_signature(users["cqo"], quality))
    return World(users=users, objects=objects)


def _signature(user: Any, unit: Any) -> dict[str, Any]:
    from cqo.audit.services import signature_sign
    from cqo.testing.factories import TEST_PASSWORD

    signature = signature_sign(
        user=user, password=TEST_PASSWORD, obj=unit, content={"name": unit.name},
        meaning="Approved as CQO", clause="§6 c)",
    )  # fmt: skip
    return {"signature": signature}


def url_for(route: Route, kwargs: dict[str, Any]) -> str:
    return reverse(route.name, kwargs=kwargs)


def readable(route: Route) -> str:
    return re.sub(r"\s+", " ", route.pattern)


@contextlib.contextmanager
def module_world(django_db_blocker: Any, build: Callable[[], World]) -> Iterator[World]:
    """Build a world once for a whole test module, inside a transaction that is rolled back when
    the module is done.

    Each test still asks for ``db``: pytest-django's per-test transaction then nests inside this
    one as a savepoint, so whatever a test writes (a refused write that got through) is undone
    before the next test, while the world stays. Works the same on SQLite and PostgreSQL. The
    audit trail's triggers are whatever the database has when the module starts; the project's
    ``_audit_triggers`` fixture restores them per test on SQLite, as for any other test.
    """
    from django.core.cache import cache
    from django.db import transaction

    with django_db_blocker.unblock():
        cache.clear()
        outer = transaction.atomic()
        # Lets pytest-django's per-test block, and any durable block inside it, nest here as
        # they would in a TestCase class.
        outer._from_testcase = True  # type: ignore[attr-defined]
        outer.__enter__()
        try:
            world = build()
            world.sign_in_everyone()
        except BaseException:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)
            raise
    try:
        yield world
    finally:
        with django_db_blocker.unblock():
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)
            cache.clear()
