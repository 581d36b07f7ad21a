from __future__ import annotations

from typing import Any

from rest_framework.test import APIClient


def test_me_gives_the_name_roles_and_language_in_chinese_by_default(api: Any) -> None:
    client, user = api("cqo", "auditor", display_name="王质量", display_name_en="Wang Zhiliang")
    data = client.get("/api/v1/me/").json()
    assert data["id"] == user.pk and data["username"] == user.username
    assert data["name"] == "王质量"
    assert data["language"] == "zh-hans"
    assert data["roles"] == [
        {"code": "cqo", "label": "首席质量官"},
        {"code": "auditor", "label": "审核员（只读）"},
    ]
    assert data["must_change_password"] is False


def test_me_answers_in_english_by_header_or_parameter(api: Any) -> None:
    client, _user = api("cqo", display_name="王质量", display_name_en="Wang Zhiliang")
    for response in (
        client.get("/api/v1/me/", headers={"accept-language": "en"}),
        client.get("/api/v1/me/?lang=en"),
        client.get("/api/v1/me/?lang=EN"),
    ):
        data = response.json()
        assert data["language"] == "en"
        assert data["name"] == "Wang Zhiliang"
        assert data["roles"] == [{"code": "cqo", "label": "Chief Quality Officer"}]


def test_an_unknown_lang_parameter_is_ignored(api: Any) -> None:
    client, _user = api("employee")
    assert client.get("/api/v1/me/?lang=xx").json()["language"] == "zh-hans"


def test_me_needs_a_signed_in_user_and_says_so_in_the_users_language(db: Any) -> None:
    response = APIClient().get("/api/v1/me/")
    assert response.status_code == 403
    assert response.json()["detail"] == "身份认证信息未提供。"
    english = APIClient().get("/api/v1/me/?lang=en").json()["detail"]
    assert english == "Authentication credentials were not provided."


def test_the_root_lists_the_endpoints(api: Any) -> None:
    client, _user = api("cqo")
    links = client.get("/api/v1/").json()
    for key, path in {
        "me": "/api/v1/me/",
        "auth_token": "/api/v1/auth/token/",
        "organisation": "/api/v1/org/",
        "post": "/api/v1/post/",
        "authorities": "/api/v1/authorities/",
        "audit_events": "/api/v1/audit/events/",
        "audit_signatures": "/api/v1/audit/signatures/",
        "schema": "/api/schema/",
        "docs": "/api/docs/",
        "redoc": "/api/redoc/",
    }.items():
        assert links[key] == f"http://testserver{path}"
        assert client.get(path).status_code in (200, 405), key


def test_api_slash_leads_to_version_one(db: Any) -> None:
    response = APIClient().get("/api/")
    assert response.status_code == 302 and response["Location"] == "/api/v1/"
