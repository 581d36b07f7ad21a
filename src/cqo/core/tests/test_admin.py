from __future__ import annotations

import pytest
from django.contrib import admin
from django.test import Client

from cqo.accounts.models import User
from cqo.core.admin import ReadOnlyAdmin

pytestmark = pytest.mark.django_db


def test_every_model_in_the_admin_is_read_only() -> None:
    writable = [
        model._meta.label
        for model, klass in admin.site._registry.items()
        if not isinstance(klass, ReadOnlyAdmin)
    ]
    assert writable == []


def test_a_superuser_cannot_make_an_api_token_or_a_group_in_the_admin() -> None:
    boss = User.objects.create_superuser("root", "r@x.cn", "Long-Enough-2026!")
    client = Client()
    client.force_login(boss)
    assert client.get("/admin/knox/authtoken/add/").status_code == 403
    assert client.get("/admin/auth/group/add/").status_code == 403


def test_the_admin_sign_in_goes_through_the_throttled_sign_in_page() -> None:
    response = Client().get("/admin/login/?next=/admin/")
    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/?next=/admin/"
