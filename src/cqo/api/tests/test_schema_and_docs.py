from __future__ import annotations

import io
import re
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from rest_framework.test import APIClient

from cqo.api.docs import DOCS_POLICY


def test_the_schema_generates_and_validates_without_errors_or_warnings(
    db: Any, tmp_path: Path
) -> None:
    out, err = io.StringIO(), io.StringIO()
    target = tmp_path / "schema.yml"
    call_command(
        "spectacular", "--validate", "--fail-on-warn", "--file", str(target),
        stdout=out, stderr=err,
    )  # fmt: skip
    assert err.getvalue() == ""
    schema = target.read_text()
    paths = ("/api/v1/me/", "/api/v1/auth/token/", "/api/v1/audit/events/", "/api/v1/org/units/")
    for path in paths:
        assert f"  {path}:" in schema
    assert "tokenAuth" in schema and "cookieAuth" in schema


def test_the_schema_is_served_to_signed_in_users_only(api: Any) -> None:
    assert APIClient().get("/api/schema/").status_code == 403
    client, _user = api("employee")
    response = client.get("/api/schema/", headers={"accept": "application/vnd.oai.openapi+json"})
    assert response.status_code == 200
    assert response.json()["info"]["title"] == "CQO platform API"


@pytest.mark.parametrize("path", ["/api/docs/", "/api/redoc/"])
def test_the_docs_pages_send_anonymous_visitors_to_sign_in(db: Any, path: str) -> None:
    response = APIClient().get(path)
    assert response.status_code == 302
    assert response["Location"] == f"/accounts/login/?next={path}"


@pytest.mark.parametrize("path", ["/api/docs/", "/api/redoc/"])
def test_the_docs_pages_load_nothing_from_outside(api: Any, path: str) -> None:
    client, _user = api("employee")
    response = client.get(path)
    assert response.status_code == 200
    html = response.content.decode()
    # Every script, style, icon and font is one of our static files.
    refs = re.findall(r'(?:src|href)="([^"]*)"', html)
    assert refs and all(ref.startswith("/static/") for ref in refs), refs
    assert "sidecar" in html
    # No address outside this server anywhere in the page (links, fonts, validator, CDN).
    assert re.findall(r"https?://|//[a-z0-9-]+\.[a-z]", html) == []
    assert response["Content-Security-Policy"] == DOCS_POLICY
    assert "https:" not in DOCS_POLICY and "*" not in DOCS_POLICY


def test_swagger_ui_does_not_ask_the_online_validator(api: Any) -> None:
    client, _user = api("employee")
    html = client.get("/api/docs/").content.decode()
    assert '"validatorUrl": null' in html
