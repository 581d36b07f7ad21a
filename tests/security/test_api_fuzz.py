"""Every operation of the API, fuzzed by schemathesis in-process, must answer without a server error
and with a body its own schema describes (issue 8 §4).

The schema is generated from the code (drf-spectacular), so an operation added tomorrow is fuzzed
tomorrow without a line here. Each operation gets a few valid and a few invalid requests as each
of three callers: the system administrator (the organisation's writer), the CQO (the authorities'
writer) and an anonymous visitor. Requests go to the WSGI application in this process, inside the
test's transaction, so the world of the permission matrix is there to hit and nothing outlives
the test. Half of the requests for an operation with an ``id`` in its path name an object that
exists, so the fuzz reaches past the 404.

The run is sized for the CI budget: ``CQO_FUZZ_EXAMPLES`` examples per operation, mode and caller
(default 2; about a minute per database). ``CQO_FUZZ_EXAMPLES=25`` runs a longer sweep by hand.
Failures are collected rather than raised at the first one, so one run names every operation
that fails, with the request to reproduce it.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import pytest
import schemathesis
from django.core.cache import cache
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from django.middleware.csrf import get_token
from django.test import RequestFactory
from drf_spectacular.generators import SchemaGenerator
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.errors import Unsatisfiable
from schemathesis.core.failures import FailureGroup
from schemathesis.generation import GenerationMode
from schemathesis.specs.openapi.checks import response_schema_conformance

from cqo.testing.matrix import ANONYMOUS, World
from cqo.wsgi import application

from .matrix import world_build

EXAMPLES = int(os.environ.get("CQO_FUZZ_EXAMPLES", "2"))
CALLERS = ("admin", "cqo", ANONYMOUS)


@dataclass
class Tally:
    cases: int = 0
    server_errors: int = 0
    failures: list[str] = field(default_factory=list)


def _raw_schema() -> dict[str, Any]:
    return SchemaGenerator().get_schema(request=None, public=True)


def _session_for(user: Any) -> tuple[dict[str, str], dict[str, str]]:
    """Cookies and headers of a signed-in browser session, CSRF token included, so unsafe methods
    get past the CSRF check and reach the code under test."""
    from django.test import Client

    client = Client()
    client.force_login(user)
    request = RequestFactory().get("/")
    token = get_token(request)
    cookies = {"sessionid": client.cookies["sessionid"].value, "csrftoken": token}
    return cookies, {"X-CSRFToken": token}


def _object_ids(world: World) -> list[int]:
    return sorted({obj.pk for obj in world.objects.values() if hasattr(obj, "pk")})


def _fuzz(world: World, who: str) -> Tally:
    schema = schemathesis.openapi.from_dict(_raw_schema())
    cookies: dict[str, str] = {}
    headers: dict[str, str] = {}
    if who != ANONYMOUS:
        cookies, headers = _session_for(world.users[who])
    ids = _object_ids(world)
    tally = Tally()
    for result in schema.get_all_operations():
        operation = result.ok()
        for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):
            _operation_fuzz(operation, mode, who, ids, cookies, headers, tally)
    return tally


def _operation_fuzz(
    operation: Any,
    mode: GenerationMode,
    who: str,
    ids: list[int],
    cookies: dict[str, str],
    headers: dict[str, str],
    tally: Tally,
) -> None:
    strategy = st.tuples(operation.as_strategy(generation_mode=mode), st.sampled_from([None, *ids]))

    @settings(
        max_examples=EXAMPLES,
        deadline=None,
        database=None,
        derandomize=True,
        suppress_health_check=list(HealthCheck),
        phases=[p for p in settings.default.phases if p.name != "shrink"],
    )
    @given(drawn=strategy)
    def run(drawn: tuple[Any, int | None]) -> None:
        case, known = drawn
        if known is not None and "id" in (case.path_parameters or {}):
            case.path_parameters["id"] = known
        cache.clear()  # the API's rate limit is not what is under test
        response = case.call(app=application, headers=headers, cookies=cookies)
        tally.cases += 1
        label = f"{who} {operation.label}"
        if response.status_code >= 500:
            tally.server_errors += 1
            tally.failures.append(f"{label}: {response.status_code}\n    {case.as_curl_command()}")
            return
        if mode is GenerationMode.POSITIVE and response.status_code < 300:
            try:
                case.validate_response(response, checks=[response_schema_conformance])
            except FailureGroup as exc:
                tally.failures.append(f"{label}: {exc.exceptions[0].title}\n    {exc}")

    try:
        run()
    except Unsatisfiable:
        # An operation with nothing to get wrong (no parameters, no body) has no invalid requests.
        assert mode is GenerationMode.NEGATIVE


@pytest.fixture
def world(db: Any) -> Iterator[World]:
    cache.clear()
    # A world per test (not per module): the fuzz's writes as the admin do change it.
    built = world_build()
    # As Django's test client does: the start and end of a request must not close the
    # connection that holds the test's transaction.
    for signal in (request_started, request_finished):
        signal.disconnect(close_old_connections)
    try:
        yield built
    finally:
        for signal in (request_started, request_finished):
            signal.connect(close_old_connections)
        cache.clear()


@pytest.mark.parametrize("who", CALLERS)
def test_no_api_operation_answers_a_server_error_or_breaks_its_schema(
    world: World, who: str
) -> None:
    tally = _fuzz(world, who)
    print(f"\nfuzz as {who}: {tally.cases} cases, {tally.server_errors} server errors")
    assert tally.cases > 0
    assert tally.failures == [], "\n".join(dict.fromkeys(tally.failures))
