from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from cqo.testing.factories import member


@pytest.fixture
def signed_in(db: Any):
    """A test client signed in as a new member with the given roles."""

    def make(*roles: str, **kwargs: Any) -> tuple[Client, Any]:
        user = member(list(roles), **kwargs)
        client = Client()
        client.force_login(user)
        return client, user

    return make
