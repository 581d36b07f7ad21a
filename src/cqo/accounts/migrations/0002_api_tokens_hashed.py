"""API tokens move from rest_framework.authtoken (the key stored as it is) to django-rest-knox
(only a SHA-512 hash is stored, with an expiry). Each existing key is carried over as its hash,
valid for the configured days from now, so clients keep working; then the old table, the last
place a key was readable, is dropped."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db import migrations
from django.utils import timezone
from django.utils.dateparse import parse_datetime

OLD_TABLE = "authtoken_token"


def carry_over(apps, schema_editor):
    connection = schema_editor.connection
    if OLD_TABLE not in connection.introspection.table_names():
        return
    from knox.crypto import hash_token
    from knox.settings import CONSTANTS

    AuthToken = apps.get_model("knox", "AuthToken")
    expiry = timezone.now() + datetime.timedelta(days=int(getattr(settings, "CQO_API_TOKEN_DAYS", 90)))
    with connection.cursor() as cur:
        cur.execute(f"SELECT key, user_id, created FROM {OLD_TABLE}")  # noqa: S608 (a constant)
        rows = cur.fetchall()
    for key, user_id, created in rows:
        if isinstance(created, str):
            created = parse_datetime(created)
        if created is not None and timezone.is_naive(created):
            # SQLite hands back the stored UTC time without its zone.
            created = timezone.make_aware(created, datetime.timezone.utc)
        token = AuthToken(
            digest=hash_token(key),
            token_key=key[: CONSTANTS.TOKEN_KEY_LENGTH],
            user_id=user_id,
            expiry=expiry,
        )
        token.save()
        # Keep the old issue date (auto_now_add set today's on save).
        AuthToken.objects.filter(pk=token.pk).update(created=created)
    schema_editor.execute(f"DROP TABLE {OLD_TABLE}")


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0001_initial"),
        ("knox", "0009_extend_authtoken_field"),
    ]

    operations = [migrations.RunPython(carry_over, migrations.RunPython.noop)]
