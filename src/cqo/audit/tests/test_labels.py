"""Issue 7 §3.5: the audit pages and the dashboard speak the reader's language, not the codes the
chain stores (``post.charter.publish``, ``authorities.businessdecision``, ``content_hash``)."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.core.cache import cache
from django.test import Client
from django.urls import reverse
from django.utils.translation import gettext_noop

from cqo.audit.services import audit_record, signature_sign
from cqo.core.texts import stored
from cqo.organisation import roles as R
from cqo.testing.factories import TEST_PASSWORD, UnitFactory, member

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_cache() -> None:
    cache.clear()


def _reader(language: str) -> tuple[Client, Any]:
    user = member([R.CQO])
    client = Client(HTTP_ACCEPT_LANGUAGE=language)
    client.force_login(user)
    return client, user


def _text(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


@pytest.mark.parametrize(
    ("language", "label", "type_label"),
    [("en", "Unit moved", "Unit"), ("zh-hans", "移动部门", "部门")],
)
def test_the_event_list_shows_action_and_record_type_labels_not_codes(
    language: str, label: str, type_label: str
) -> None:
    client, user = _reader(language)
    unit = UnitFactory()
    audit_record(actor=user, action="organisation.unit.move", obj=unit, clause="§4.1")
    text = _text(client.get(reverse("audit:event_list")).content.decode())
    assert label in text and type_label in text
    assert "organisation.unit.move" not in text and "organisation.unit " not in text


def test_an_unregistered_void_reads_as_the_record_type_and_a_verb() -> None:
    client, user = _reader("en")
    unit = UnitFactory()
    audit_record(actor=user, action="organisation.unit.void", obj=unit)
    audit_record(actor=user, action="organisation.unit.frobnicate", obj=unit)
    text = _text(client.get(reverse("audit:event_list")).content.decode())
    assert "Unit voided" in text
    # an action nobody labelled is still shown, by its code, rather than hidden
    assert "organisation.unit.frobnicate" in text


def test_the_story_labels_a_signatures_keys_and_a_lists_items() -> None:
    client, user = _reader("en")
    unit = UnitFactory()
    signature_sign(user=user, password=TEST_PASSWORD, meaning="Approved", obj=unit,
                   content={"v": 1}, clause="§4.1")  # fmt: skip
    audit_record(actor=user, action="organisation.unit.update", obj=unit,
                 after={"roles": ["cqo", "auditor"]})  # fmt: skip
    url = reverse("audit:story", args=[unit._meta.label_lower, unit.pk])
    html = client.get(url).content.decode()
    text = _text(html)
    assert "Signed electronically" in text
    assert "hash of what was signed" in text and "content_hash" not in text
    assert '["cqo","auditor"]' not in html and "cqo, auditor" in text


def test_the_dashboard_shows_quality_events_not_the_cqos_own_sign_ins() -> None:
    client, user = _reader("en")
    unit = UnitFactory()
    audit_record(actor=user, action="organisation.unit.move", obj=unit, clause="§4.1")
    for _ in range(10):
        audit_record(actor=user, action="accounts.login", obj=user)
    html = client.get("/").content.decode()
    panel = re.search(r'id="panel-audit_recent".*?</section>', html, re.S)
    assert panel is not None
    text = _text(panel[0])
    assert "Unit moved" in text
    assert "accounts.login" not in text and "Signed in" not in text


def test_the_api_gives_the_action_label_and_the_reason_in_the_readers_language() -> None:
    client, user = _reader("en")
    unit = UnitFactory()
    audit_record(actor=user, action="post.charter.supersede", obj=unit,
                 reason=stored(gettext_noop("Superseded by v%(v)s."), v=4))  # fmt: skip
    body = client.get("/api/v1/audit/events/", HTTP_ACCEPT_LANGUAGE="en").json()
    event = next(e for e in body["results"] if e["action"] == "post.charter.supersede")
    assert event["reason"].startswith('{"msgid"')  # what the chain hashes
    assert event["reason_text"] == "Superseded by v4."
    assert event["action_label"] == "Charter superseded"
