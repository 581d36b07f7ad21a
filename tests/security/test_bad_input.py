"""Bad input gets a clear 400 (a JSON one on the API), never a 500 (issue 8 §4).

Each case here answered a server error, or an HTML page to an API client, before the fix; the
fuzz in ``test_api_fuzz.py`` keeps looking for new ones.
"""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import Client
from django.urls import NoReverseMatch, reverse

from cqo.testing.factories import member
from cqo.testing.matrix import routes


@pytest.fixture
def cqo_client(db: Any) -> Client:
    client = Client(raise_request_exception=False)
    client.force_login(member(["cqo", "admin"], username="bad-input"))
    return client


def _api_object_routes(*, digits_only: bool = False) -> list[str]:
    """Every API path with an object id in it, the id spelled ``abc``. ``digits_only``: the
    paths whose pattern admits only digits (a lot looked up by id where the gate also looks
    lots up by number), spelled with ``abc`` all the same: no view sees them."""
    found = []
    for route in routes():
        if route.is_api and "pk" in route.kwargs and set(route.kwargs) == {"pk"}:
            try:
                path = reverse(route.name, kwargs={"pk": "abc"})
            except NoReverseMatch:
                if digits_only:
                    found.append(
                        reverse(route.name, kwargs={"pk": 4711}).replace("/4711/", "/abc/")
                    )
                continue
            if not digits_only:
                found.append(path)
    return sorted(found)


def _is_json(response: Any) -> bool:
    return response["Content-Type"].startswith("application/json")


def test_every_api_object_route_answers_400_in_json_to_an_id_that_is_not_a_number(
    cqo_client: Client,
) -> None:
    paths = _api_object_routes()
    assert "/api/v1/authorities/vetoes/abc/lift/" in paths and len(paths) > 20
    wrong = {}
    for path in paths:
        for method in ("get", "post"):
            response = getattr(cqo_client, method)(path, data={}, content_type="application/json")
            if response.status_code != 400 or not _is_json(response):
                wrong[f"{method.upper()} {path}"] = response.status_code
            elif "id" not in response.json():
                wrong[f"{method.upper()} {path}"] = response.json()
    assert wrong == {}


def test_an_api_route_that_takes_only_digits_answers_404_to_a_word(
    cqo_client: Client,
) -> None:
    paths = _api_object_routes(digits_only=True)
    assert "/api/v1/inspection/lots/abc/attachments/" in paths
    wrong = {}
    for path in paths:
        response = cqo_client.get(path)
        # No pattern matches, so no view runs: the URL resolver's 404, never a 500.
        if response.status_code != 404:
            wrong[path] = response.status_code
    assert wrong == {}


@pytest.mark.parametrize("param", ["limit", "offset"])
@pytest.mark.parametrize("value", ["9223372036854775808", "-1", "ten"])
def test_a_page_size_or_offset_out_of_range_is_a_400_naming_it(
    cqo_client: Client, param: str, value: str
) -> None:
    response = cqo_client.get("/api/v1/org/people/", {param: value, "lang": "en"})
    assert response.status_code == 400
    assert "whole number" in response.json()[param][0]


def test_a_sensible_page_size_still_pages(cqo_client: Client) -> None:
    response = cqo_client.get("/api/v1/org/people/", {"limit": "1", "offset": "0"})
    assert response.status_code == 200
    assert len(response.json()["results"]) == 1


def test_a_nul_byte_in_an_api_filter_is_a_400_in_json(cqo_client: Client) -> None:
    response = cqo_client.get("/api/v1/org/people/", {"q": "a\x00b", "lang": "en"})
    assert response.status_code == 400
    assert "NUL" in response.json()["detail"][0]


@pytest.mark.parametrize("path", ["/org/people/", "/audit/"])
def test_a_nul_byte_in_a_page_filter_is_a_400_page(cqo_client: Client, path: str) -> None:
    response = cqo_client.get(path, {"q": "a\x00b"})
    assert response.status_code == 400
    assert response["Content-Type"].startswith("text/html")


def _deep(levels: int) -> str:
    return "[" * levels + "]" * levels


def test_json_nested_100000_deep_is_a_400_in_json(cqo_client: Client) -> None:
    response = cqo_client.post(
        "/api/v1/authorities/decisions/", _deep(100_000), content_type="application/json"
    )
    assert response.status_code == 400
    assert _is_json(response)


def test_json_nested_100000_deep_is_a_400_on_the_token_route_too(db: Any) -> None:
    response = Client(raise_request_exception=False).post(
        "/api/v1/auth/token/", _deep(100_000), content_type="application/json"
    )
    assert response.status_code == 400
    assert _is_json(response)


def test_a_10_mb_json_body_is_refused_in_json(cqo_client: Client) -> None:
    body = json.dumps({"title": "x" * (10 * 1024 * 1024), "kind": "other"})
    response = cqo_client.post(
        "/api/v1/authorities/decisions/?lang=en", body, content_type="application/json"
    )
    assert response.status_code == 413
    assert _is_json(response)
    assert "larger than" in response.json()["detail"][0]


def test_an_id_filter_beyond_64_bits_is_a_400(cqo_client: Client) -> None:
    response = cqo_client.get("/api/v1/org/assignments/", {"post": "9" * 25})
    assert response.status_code == 400
    assert "post" in response.json()


def test_an_object_id_beyond_64_bits_is_a_400(cqo_client: Client) -> None:
    response = cqo_client.get(f"/api/v1/org/people/{'9' * 25}/")
    assert response.status_code == 400
    assert "id" in response.json()
