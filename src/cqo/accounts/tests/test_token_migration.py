"""The move to hashed API tokens keeps existing clients working and leaves no key readable."""

from __future__ import annotations

import importlib
from typing import Any

from django.apps import apps
from django.db import connection
from rest_framework.test import APIClient

from cqo.testing.factories import UserFactory

migration = importlib.import_module("cqo.accounts.migrations.0002_api_tokens_hashed")
OLD_KEY = "0123456789abcdef0123456789abcdef01234567"


class _Editor:
    connection = connection

    def execute(self, sql: str) -> None:
        with connection.cursor() as cur:
            cur.execute(sql)


def test_an_old_plain_token_is_carried_over_as_a_hash_and_the_old_table_dropped(db: Any) -> None:
    user = UserFactory(username="client")
    with connection.cursor() as cur:
        cur.execute(
            "CREATE TABLE authtoken_token (key varchar(40) PRIMARY KEY, "
            "created timestamp with time zone NOT NULL, user_id bigint NOT NULL)"
            if connection.vendor == "postgresql"
            else "CREATE TABLE authtoken_token (key varchar(40) PRIMARY KEY, "
            "created datetime NOT NULL, user_id bigint NOT NULL)"
        )
        cur.execute(
            "INSERT INTO authtoken_token (key, created, user_id) VALUES (%s, %s, %s)",
            [OLD_KEY, "2026-01-02 03:04:05+00:00", user.pk],
        )
    migration.carry_over(apps, _Editor())
    assert "authtoken_token" not in connection.introspection.table_names()
    token = apps.get_model("knox", "AuthToken").objects.get(user=user)
    assert OLD_KEY not in (token.digest, token.token_key) and token.expiry is not None
    me = APIClient(headers={"authorization": f"Token {OLD_KEY}"}).get("/api/v1/me/")
    assert me.status_code == 200 and me.json()["username"] == "client"


def test_nothing_happens_where_there_never_were_old_tokens(db: Any) -> None:
    migration.carry_over(apps, _Editor())
