"""The permission matrix: who may GET each URL of the project, and who may write through it.

The walk covers every URL pattern that ``get_resolver()`` knows, except the prefixes listed in
``cqo.testing.matrix.EXCLUDED_PREFIXES`` (admin, the language switch, static files). A URL that is not in
``EXPECTED`` fails the test: every new view must say here who may see it. An entry maps who
(a role code, ``anonymous``, or ``*`` for everyone else) to the status of a GET.

Reading the statuses: pages send an anonymous visitor to sign in (302, checked to go to the
sign-in page with ``next``) and answer 403 to a signed-in user without the permission; the API
answers 403 to both (DRF with session authentication first sends no 401 challenge). 405 means
the URL takes no GET (a POST-only action), 302 for a signed-in user a redirect by design.

An app may keep its own rows next to its code, in ``cqo/<app>/tests/matrix.py``: ``EXPECTED``,
``API_WRITERS``, ``OBJECT_FOR_PK``, ``KWARGS`` (URL name → function of the world giving the
URL's arguments) and ``build(world)``, which adds the app's objects to ``world.objects``. They
are merged into the tables below (a name may be declared once only).

The tests that walk it are in ``test_permission_matrix.py`` (one test per URL, over a world built
once per module: ``cqo.testing.matrix``); its GET walk also checks every POST form a page shows
(``post_forms``, ``forms_refused_without_a_token``: the CSRF walk, done on the same responses so
that each page is rendered once per identity); ``test_csrf.py`` reads the same tables.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from importlib import import_module
from typing import Any

from django.apps import apps
from django.db import connection

from cqo.testing.matrix import ANONYMOUS, ROLES, Route, World, build_world

AUDIT_READERS = ("cqo", "deputy", "auditor", "admin")


def page(**who: int) -> dict[str, int]:
    """A page every signed-in member may open, unless ``who`` says otherwise."""
    return {ANONYMOUS: 302, "*": 200, **who}


def page_for(*roles: str, others: int = 403) -> dict[str, int]:
    return {ANONYMOUS: 302, "*": others, **dict.fromkeys(roles, 200)}


def api(**who: int) -> dict[str, int]:
    return {ANONYMOUS: 403, "*": 200, **who}


def api_for(*roles: str) -> dict[str, int]:
    return {ANONYMOUS: 403, "*": 403, **dict.fromkeys(roles, 200)}


# A POST-only API action: the shared ObjectPermission (cqo.api) reads a GET there as a read of the
# model, which every member may do, so the method is what refuses it (405), as in post and
# authorities; the anonymous caller is refused first (403).
API_POST_ONLY = {ANONYMOUS: 403, "*": 405}

EXPECTED: dict[str, dict[str, int]] = {
    # --- accounts -------------------------------------------------------------------------
    "accounts:login": {ANONYMOUS: 200, "*": 302},  # signed in: on to the workbench
    "accounts:logout": {"*": 405},  # POST only
    "accounts:password_change": page(),
    "accounts:password_change_done": page(),
    "accounts:tokens": page(),  # each user's own API tokens
    "accounts:token_revoke": {ANONYMOUS: 302, "*": 405},  # POST only
    "accounts:locks": page_for("admin"),  # sign-in locks: the administrator sees and clears
    "accounts:lock_clear": {ANONYMOUS: 302, "*": 405},  # POST only
    # --- workbench ------------------------------------------------------------------------
    "workbench:dashboard": page(),
    # --- audit (CQO, deputy, auditor, admin) ----------------------------------------------
    "audit:event_list": page_for(*AUDIT_READERS),
    "audit:chain_verify": {ANONYMOUS: 302, "*": 405},  # POST only, checked in the POST test
    "audit:story": page_for(*AUDIT_READERS),
    # --- organisation pages (organisation/rules.py) ---------------------------------------
    "organisation:index": {ANONYMOUS: 302, "*": 302},  # on to the enterprise page
    "organisation:enterprise": page(),
    "organisation:enterprise_edit": page_for("admin"),
    "organisation:unit_tree": page(),
    "organisation:unit_create": page_for("admin"),
    "organisation:unit_detail": page(),
    "organisation:unit_children": page(),
    "organisation:unit_edit": page_for("admin"),
    "organisation:unit_move": page_for("admin"),
    "organisation:unit_void": page_for("admin"),
    "organisation:person_list": page(),
    "organisation:person_create": page_for("admin"),
    "organisation:person_detail": page(),
    "organisation:person_edit": page_for("admin"),
    "organisation:person_leave": page_for("admin"),
    "organisation:person_roles": page_for("admin"),
    "organisation:person_account": page_for("admin"),
    "organisation:post_list": page(),
    "organisation:post_create": page_for("admin", "cqo"),
    "organisation:post_detail": page(),
    "organisation:post_edit": page_for("admin", "cqo"),
    # An ordinary post in the quality unit: the admin, or the head of that unit.
    "organisation:post_assign": page_for("admin", "department_head"),
    "organisation:post_void": page_for("admin"),
    "organisation:assignment_end": page_for("admin", "department_head"),
    "organisation:authority_changes": page_for("admin", "principal", "auditor"),
    "organisation:authority_change_act": {ANONYMOUS: 302, "*": 405},  # POST only
    # --- API shell ------------------------------------------------------------------------
    "api:index": {"*": 302},  # /api/ → /api/v1/
    "api:root": api(),
    "api:token": {ANONYMOUS: 403, "*": 405},  # POST to obtain, DELETE to revoke
    "api:tokens": api(),  # each caller's own tokens
    "api:token_detail": {ANONYMOUS: 403, "*": 405},  # DELETE to revoke one's own
    "api:me": api(),
    "api:schema": api(),
    "api:docs": page(),
    "api:redoc": page(),
    "api:audit-event-list": api_for(*AUDIT_READERS),
    "api:audit-event-detail": api_for(*AUDIT_READERS),
    "api:audit-signature-list": api_for(*AUDIT_READERS),
    "api:audit-signature-detail": api_for(*AUDIT_READERS),
    # --- organisation API (every member reads; writes as the pages) ------------------------
    "api:org:api-root": api(),
    "api:org:org-enterprise-list": api(),
    "api:org:org-enterprise-detail": api(),
    "api:org:org-unit-list": api(),
    "api:org:org-unit-detail": api(),
    "api:org:org-unit-move": API_POST_ONLY,
    "api:org:org-unit-void": API_POST_ONLY,
    "api:org:org-person-list": api(),
    "api:org:org-person-detail": api(),
    "api:org:org-person-leave": API_POST_ONLY,
    "api:org:org-person-roles": API_POST_ONLY,
    "api:org:org-post-list": api(),
    "api:org:org-post-detail": api(),
    "api:org:org-post-assign": API_POST_ONLY,
    "api:org:org-post-void": API_POST_ONLY,
    "api:org:org-assignment-list": api(),
    "api:org:org-assignment-detail": api(),
    "api:org:org-assignment-end": API_POST_ONLY,
    "api:org:org-authority-change-list": api_for("admin", "principal", "auditor"),
    "api:org:org-authority-change-detail": api_for("admin", "principal", "auditor"),
    # POST-only, on a model only these read: 405 for them, 403 for everyone else.
    "api:org:org-authority-change-confirm": {
        ANONYMOUS: 403,
        "*": 403,
        **dict.fromkeys(("admin", "principal", "auditor"), 405),
    },
    "api:org:org-authority-change-withdraw": {
        ANONYMOUS: 403,
        "*": 403,
        **dict.fromkeys(("admin", "principal", "auditor"), 405),
    },
}

# Who may write through each API endpoint that takes a write method, in this test's world
# (an ordinary post in the quality unit, headed by the department head). Everyone else must be
# refused with 403 and nothing written.
API_WRITERS: dict[str, tuple[str, ...]] = {
    "api:token": ROLES,  # anyone may ask for a token or revoke their own
    "api:token_detail": ROLES,  # a token id names only the caller's own tokens
    "api:org:org-enterprise-list": ("admin",),
    "api:org:org-enterprise-detail": ("admin",),
    "api:org:org-unit-list": ("admin",),
    "api:org:org-unit-detail": ("admin",),
    "api:org:org-unit-move": ("admin",),
    "api:org:org-unit-void": ("admin",),
    "api:org:org-person-list": ("admin",),
    "api:org:org-person-detail": ("admin",),
    "api:org:org-person-leave": ("admin",),
    "api:org:org-person-roles": ("admin",),
    "api:org:org-post-list": ("admin", "cqo"),
    "api:org:org-post-detail": ("admin", "cqo"),
    "api:org:org-post-assign": ("admin", "department_head"),
    "api:org:org-post-void": ("admin",),
    "api:org:org-assignment-end": ("admin", "department_head"),
    "api:org:org-authority-change-list": ("admin", "principal"),
    "api:org:org-authority-change-confirm": ("admin", "principal"),
    "api:org:org-authority-change-withdraw": ("admin", "principal"),
}

# Which object of the world fills a URL's ``pk``, by the start of the URL's name.
OBJECT_FOR_PK = {
    "organisation:unit_": "unit",
    "organisation:person_": "person",
    "organisation:post_": "post",
    "organisation:assignment_": "assignment",
    "api:org:org-enterprise-": "enterprise",
    "api:org:org-unit-": "unit",
    "api:org:org-person-": "person",
    "api:org:org-post-": "post",
    "api:org:org-assignment-": "assignment",
    "api:org:org-authority-change-": "authority_change",
    "api:audit-event-": "event",
    "api:audit-signature-": "signature",
}


KWARGS: dict[str, Callable[[World], dict[str, Any]]] = {
    # A token id of nobody's: the route answers 404 after the method and sign-in checks.
    "api:token_detail": lambda world: {"token_id": "0" * 16},
    # No lock in this world: a GET is refused (405) before the lock is looked up.
    "accounts:lock_clear": lambda world: {"pk": 1},
    "accounts:token_revoke": lambda world: {"token_id": "0" * 16},
    "organisation:authority_change_act": lambda world: {
        "pk": world.objects["authority_change"].pk,
        "step": "confirm",
    },
}
# Pages an anonymous visitor may write through, with why: the app tables' ``PUBLIC_WRITES``
# (the supplier's answer behind its SCAR link). A POST there must still write nothing when it
# carries no valid form, and never answer a server error.
PUBLIC_WRITES: dict[str, str] = {}
BUILDERS: list[Callable[[World], None]] = []


def _merge_app_rows() -> None:
    for config in apps.get_app_configs():
        if not config.name.startswith("cqo."):
            continue
        name = f"{config.name}.tests.matrix"
        try:
            module = import_module(name)
        except ModuleNotFoundError as exc:
            if exc.name in {name, f"{config.name}.tests"}:
                continue
            raise
        for table_name, table in (
            ("EXPECTED", EXPECTED), ("API_WRITERS", API_WRITERS),
            ("OBJECT_FOR_PK", OBJECT_FOR_PK), ("KWARGS", KWARGS),
            ("PUBLIC_WRITES", PUBLIC_WRITES),
        ):  # fmt: skip
            rows = getattr(module, table_name, {})
            twice = set(rows) & set(table)
            assert not twice, f"{name}.{table_name} declares again: {sorted(twice)}"
            table.update(rows)  # type: ignore[attr-defined]
        if hasattr(module, "build"):
            BUILDERS.append(module.build)


_merge_app_rows()


def kwargs_for(route: Route, world: World) -> dict[str, Any]:
    if route.name in KWARGS:
        return KWARGS[route.name](world)
    values: dict[str, Any] = {}
    for name in route.kwargs:
        if name == "format":
            values[name] = "json"
        elif name == "pk":
            prefixes = [p for p in OBJECT_FOR_PK if route.name.startswith(p)]
            if not prefixes:
                raise LookupError(f"{route.name}: say in OBJECT_FOR_PK which object fills pk")
            values[name] = world.objects[OBJECT_FOR_PK[max(prefixes, key=len)]].pk
        elif route.name == "audit:story" and name in ("object_type", "object_id"):
            unit = world.objects["unit"]
            values[name] = unit._meta.label_lower if name == "object_type" else str(unit.pk)
        else:
            raise LookupError(f"{route.name}: no value for the URL argument {name!r}")
    return values


def expected(name: str, who: str) -> int:
    row = EXPECTED[name]
    return row.get(who, row.get("*", -1))


def world_build() -> World:
    """The base world (``cqo.testing.matrix.build_world``) and every app's additions."""
    built = build_world()
    for build in BUILDERS:
        build(built)
    return built


def _tables() -> list[str]:
    models = [
        m
        for m in apps.get_models(include_auto_created=True)
        if m._meta.app_label in {"auth", "knox", "accounts", "audit"}
        or m.__module__.startswith("cqo.")
    ]
    return sorted({m._meta.db_table for m in models if m._meta.managed or m._meta.auto_created})


def fingerprint() -> dict[str, int]:
    """The row count of every table of ours, Django's auth and the audit trail, in one query
    (the matrix takes it around every refused write)."""
    tables = _tables()
    qn = connection.ops.quote_name
    # The names come from Django's model registry, quoted by the backend: no input reaches them.
    sql = "SELECT " + ", ".join(f"(SELECT COUNT(*) FROM {qn(t)})" for t in tables)  # noqa: S608
    with connection.cursor() as cur:
        cur.execute(sql)
        row = cur.fetchone()
    return dict(zip(tables, row, strict=True))


# --- CSRF: the forms a page shows -----------------------------------------------------------

FORM = re.compile(r"<form\b([^>]*)>(.*?)</form>", re.S | re.I)
HX_POST = re.compile(r'\bhx-post="([^"]+)"')


def is_page(route: Route) -> bool:
    """An HTML page of the UI (the API's two documentation pages included): its forms are walked."""
    return not route.is_api or route.name in {"api:docs", "api:redoc"}


def post_forms(html: str, page_url: str) -> list[tuple[str, bool]]:
    """(action, has a CSRF token) for each POST form and each htmx POST on the page."""
    found = []
    for attrs, body in FORM.findall(html):
        if not re.search(r'method="post"', attrs, re.I):
            continue
        action = re.search(r'action="([^"]*)"', attrs)
        target = action.group(1) if action and action.group(1) else page_url
        found.append((target.replace("&amp;", "&"), "csrfmiddlewaretoken" in body))
    # htmx requests send the token from the page's meta tag (cqo.js), not from a form field.
    has_meta = 'name="csrf-token"' in html
    found += [(url.replace("&amp;", "&"), has_meta) for url in HX_POST.findall(html)]
    return found


def forms_refused_without_a_token(world: World, forms: dict[tuple[str, str], str]) -> list[str]:
    """POST to every ``(who, form action)`` without a CSRF token, as that user: each must answer
    the form-expired page (403) and nothing may be written (no audit event, no row anywhere).
    Returns the problems found."""
    from cqo.audit.models import AuditEvent

    problems: list[str] = []
    before = fingerprint()
    events = AuditEvent.objects.count()
    for (who, action), page_url in sorted(forms.items()):
        client = world.client(who, enforce_csrf_checks=True)
        response = client.post(action, {"reason": "csrf", "name": "无令牌", "code": "NO-CSRF"})
        html = response.content.decode()
        if response.status_code != 403 or "表单已失效" not in html:
            problems.append(
                f"{who}: POST {action} (form on {page_url}) without a token: "
                f"{response.status_code}, not the form-expired page"
            )
    if AuditEvent.objects.count() != events:
        problems.append(f"POSTs without a token wrote {AuditEvent.objects.count() - events} events")
    after = fingerprint()
    changed = {k: (before[k], after[k]) for k in before if before[k] != after[k]}
    if changed:
        problems.append(f"POSTs without a token changed tables: {changed}")
    return problems
