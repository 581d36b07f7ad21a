"""Every URL of the project, as every role and as an anonymous visitor, against a written matrix.

The matrix (who may GET each URL, who may write through it) is in ``matrix.py`` and the apps'
``tests/matrix.py``. The URLs are discovered (``cqo.testing.matrix.routes``), not listed: each
becomes its own test here, so a new view fails until the matrix says who may see it, and
pytest-xdist spreads the walk over its workers. The world the walk runs in (one member per role,
an object of every kind a URL names) is built once per module and worker
(``cqo.testing.matrix.module_world``); each test runs in a savepoint inside it, so nothing one
test does reaches the next.

Per URL, three tests:
- a GET as every identity answers the status the matrix names (a page sends an anonymous
  visitor to sign in, with ``next``); on an HTML page, every POST form (and htmx POST) each
  reader meets carries a CSRF token, and a POST there without one, as that reader, gets the
  form-expired page and writes nothing (the CSRF walk: done on the GETs made here, so each page
  is rendered once per identity, not once for the matrix and again for the walk);
- a POST (pages) or each write method (API) as every role that may not write is refused with 403
  (or 405 for a page that takes no POST), writes no audit event and changes no table's row count
  (so a write that forgot its audit event is caught too);
- an anonymous POST is refused.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from cqo.audit.models import AuditEvent
from cqo.testing.matrix import ANONYMOUS, WHO, Route, World, module_world, routes, url_for

from .matrix import (
    API_WRITERS,
    EXPECTED,
    PUBLIC_WRITES,
    expected,
    fingerprint,
    forms_refused_without_a_token,
    is_page,
    kwargs_for,
    post_forms,
    world_build,
)

ROUTES = routes()


def _route_id(route: Route) -> str:
    # DRF's format-suffix patterns share their view's name; the suffix keeps test ids unique.
    return (route.name or route.pattern) + (".format" if "format" in route.kwargs else "")


NAMED = [pytest.param(route, id=_route_id(route)) for route in ROUTES if route.name]


@pytest.fixture(scope="module")
def world(django_db_setup: Any, django_db_blocker: Any) -> Iterator[World]:
    with module_world(django_db_blocker, world_build) as built:
        yield built


def _declared(route: Route) -> None:
    if route.name not in EXPECTED:
        pytest.fail(
            f"{route.name} ({route.pattern}) is not in the permission matrix; say who may see it "
            "in EXPECTED (tests/security/matrix.py, or the app's own tests/matrix.py)"
        )


# --- the matrix itself --------------------------------------------------------------------------


def test_every_url_of_the_project_is_in_the_matrix() -> None:
    names = {r.name for r in ROUTES}
    unnamed = [r.pattern for r in ROUTES if not r.name]
    assert not unnamed, f"URL patterns without a name cannot be declared: {unnamed}"
    missing = sorted(names - set(EXPECTED))
    assert not missing, (
        "These URLs are not in the permission matrix; say who may see them in EXPECTED "
        "(tests/security/matrix.py, or the app's own tests/matrix.py): "
        f"{missing}"
    )
    stale = sorted(set(EXPECTED) - names)
    assert not stale, f"EXPECTED names URLs that no longer exist: {stale}"


def test_every_entry_says_something_for_every_role() -> None:
    for name, row in EXPECTED.items():
        unknown = set(row) - set(WHO) - {"*"}
        assert not unknown, f"{name}: unknown roles {unknown}"
        for who in WHO:
            assert expected(name, who) in {200, 302, 403, 404, 405}, (name, who)


def test_the_walk_has_a_test_for_every_url_pattern() -> None:
    # The parametrised tests below are made from the same discovery as the check above.
    assert len(NAMED) == len([r for r in ROUTES if r.name]) > 100


# --- per URL ------------------------------------------------------------------------------------


@pytest.mark.parametrize("route", NAMED)
def test_get_as_every_role_matches_the_matrix_and_every_form_needs_its_token(
    world: World, db: Any, route: Route
) -> None:
    _declared(route)
    url = url_for(route, kwargs_for(route, world))
    problems: list[str] = []
    forms: dict[tuple[str, str], str] = {}  # (who, form action): the page it is on
    for who in WHO:
        want = expected(route.name, who)
        try:
            response = world.client(who).get(url)
        except Exception as exc:  # a crash is a finding, not the end of the walk
            problems.append(f"{who:<18} GET {url}: raised {exc!r}")
            continue
        if response.status_code != want:
            problems.append(f"{who:<18} GET {url}: {response.status_code}, expected {want}")
        elif (
            who == ANONYMOUS
            and want == 302
            and not route.is_api
            and route.name not in {"organisation:index"}
        ):
            location = response["Location"]
            if not location.startswith("/accounts/login/?next="):
                problems.append(f"anonymous GET {url}: redirected to {location}, not sign-in")
        if (
            is_page(route)
            and response.status_code == 200
            and "text/html" in response.get("Content-Type", "")
        ):
            for action, has_token in post_forms(response.content.decode(), url):
                if not has_token:
                    problems.append(f"{who}: a POST form on {url} (to {action}) has no CSRF token")
                forms.setdefault((who, action), url)
    problems += forms_refused_without_a_token(world, forms)
    assert not problems, "\n" + "\n".join(problems)


WRITE_METHODS = ("POST", "PUT", "PATCH", "DELETE")


def _send(world: World, who: str, method: str, url: str, api: bool) -> Any:
    client = world.client(who)
    if api:
        return client.generic(method, url, data="{}", content_type="application/json")
    return client.post(url, {"reason": "matrix", "name": "矩阵", "code": "MX"})


def _refused_writers(route: Route) -> tuple[list[str], list[str]]:
    """(methods, identities) to send that must be refused on this URL."""
    if route.is_api:
        methods = sorted(route.methods() & set(WRITE_METHODS))
        if not methods:
            return [], []
        if route.name not in API_WRITERS:
            pytest.fail(f"{route.name} takes {methods}: declare its writers in API_WRITERS")
        if route.name == "api:token":
            return methods, []  # obtaining and revoking tokens are tested in cqo.api.tests
        return methods, [who for who in WHO if who not in API_WRITERS[route.name]]
    return ["POST"], [who for who in WHO if expected(route.name, who) == 403]


@pytest.mark.parametrize("route", NAMED)
def test_a_role_that_may_not_write_is_refused_and_nothing_changes(
    world: World, db: Any, route: Route
) -> None:
    _declared(route)
    methods, refused = _refused_writers(route)
    if not refused:
        return  # nobody is refused here: nothing to send (the GET test still covers the URL)
    url = url_for(route, kwargs_for(route, world))
    problems: list[str] = []
    before = fingerprint()
    for who in refused:
        for method in methods:
            count = AuditEvent.objects.count()
            try:
                response = _send(world, who, method, url, route.is_api)
            except Exception as exc:
                problems.append(f"{who:<18} {method} {url}: raised {exc!r}")
                continue
            # A page that takes no POST at all (a list, a detail) answers 405: also a refusal.
            refusals = {403} if route.is_api else {403, 405}
            if response.status_code not in refusals:
                problems.append(f"{who:<18} {method} {url}: {response.status_code}, not 403")
            if AuditEvent.objects.count() != count:
                problems.append(f"{who:<18} {method} {url}: wrote an audit event")
    after = fingerprint()
    changed = {k: (before[k], after[k]) for k in before if before[k] != after[k]}
    assert not changed, f"refused requests to {url} changed tables: {changed}"
    assert not problems, "\n" + "\n".join(problems)


@pytest.mark.parametrize("route", NAMED)
def test_anonymous_writes_are_refused_everywhere(world: World, db: Any, route: Route) -> None:
    _declared(route)
    if route.name in {"accounts:login", "api:token"}:
        return  # signing in and asking for a token are what anonymous visitors do
    url = url_for(route, kwargs_for(route, world))
    count = AuditEvent.objects.count()
    response = _send(world, ANONYMOUS, "POST", url, route.is_api)
    # Pages send a visitor to sign in; a POST there is refused the same way.
    allowed = {302, 403, 405} if expected(route.name, ANONYMOUS) == 302 else {403, 405}
    if route.name in PUBLIC_WRITES:
        allowed = {200, 400, 403, 405}  # the form refuses the matrix's fields and writes nothing
    if route.name == "accounts:logout":
        allowed = {302}  # signing out nobody is harmless
    assert response.status_code in allowed, f"anonymous POST {url}: {response.status_code}"
    assert AuditEvent.objects.count() == count
