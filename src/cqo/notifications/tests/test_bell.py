"""The bell's count is kept between pages, and never shows a count the database has left."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.db import transaction
from django.urls import reverse

from cqo.notifications import services as S
from cqo.notifications.models import Notification

pytestmark = pytest.mark.django_db


@pytest.fixture
def reader(django_user_model: Any) -> Any:
    return django_user_model.objects.create_user(username="reader", password="x-Long-Pass-42")


def _bell(client: Any) -> int:
    page = client.get(reverse("notifications:notification_list")).content.decode()
    found = re.search(r'data-unread="(\d+)"', page)
    assert 'class="notification-bell' in page
    return int(found.group(1)) if found else 0


def test_the_bell_follows_notices_written_read_and_resolved_between_pages(
    reader: Any, client: Any
) -> None:
    client.force_login(reader)
    assert _bell(client) == 0
    with transaction.atomic():
        S.notify([reader], lambda: "第一条", url="/x/1/")
        S.notify([reader], lambda: "第二条", url="/x/2/")
    assert _bell(client) == 2
    S.notifications_resolve(url="/x/1/")
    assert _bell(client) == 1
    S.notifications_mark_read(actor=reader)
    assert _bell(client) == 0
    S.notify([reader], lambda: "第三条")
    assert _bell(client) == 1


def test_a_kept_count_is_not_asked_again_until_something_is_written(
    reader: Any, client: Any
) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(reader)
    S.notify([reader], lambda: "一条")
    assert _bell(client) == 1
    with CaptureQueriesContext(connection) as captured:
        assert _bell(client) == 1
    # The list's own paginator counts every notice; the bell counts the unread ones.
    assert not [q for q in captured if "notifications_notification" in q["sql"]
                and "COUNT" in q["sql"].upper() and "IS NULL" in q["sql"].upper()]  # fmt: skip
    Notification.objects.create(recipient=reader, message="另一条", message_en="other")
    assert _bell(client) == 2
