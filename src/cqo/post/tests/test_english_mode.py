"""Issue 7 §3.4: an English page shows no Chinese the system wrote. System text is stored as a
message id and its parameters and read in the reader's language; a signed meaning stays as it was
signed, with a translation beside it; units read by their English names."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation

from cqo.audit.models import AuditEvent
from cqo.audit.services import audit_record
from cqo.charter import services as CS
from cqo.charter.documents import charter_pdf
from cqo.organisation import roles as R
from cqo.post import services as S
from cqo.testing.factories import UnitFactory, member

from .test_documents import pdf_text

pytestmark = pytest.mark.django_db
HAN = re.compile(r"[\u4e00-\u9fff]")


@pytest.fixture
def appointed(principal, candidate, password, today):
    with translation.override("zh-hans"):  # the principal works in Chinese
        return S.appointment_create(
            actor=principal, person=candidate, effective_from=today, password=password
        )


def _client(user: Any, language: str) -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE=language)
    client.force_login(user)
    return client


def _text(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def test_the_qualification_findings_of_a_signed_appointment_read_in_english(appointed, principal):
    page = (
        _client(principal, "en")
        .get(reverse("post:appointment_detail", args=[appointed.pk]))
        .content.decode()
    )
    rows = re.findall(r'<tr data-outcome="[a-z]+">(.*?)</tr>', page, re.S)
    assert rows
    findings = _text(" ".join(rows))
    assert not HAN.search(findings), findings
    zh = (
        _client(principal, "zh-hans")
        .get(reverse("post:appointment_detail", args=[appointed.pk]))
        .content.decode()
    )
    assert "学历" in _text(" ".join(re.findall(r'<tr data-outcome="[a-z]+">(.*?)</tr>', zh, re.S)))


def test_a_system_reason_is_stored_as_a_code_and_read_in_each_language(
    appointed, principal, password, root
):
    for _ in range(2):
        with translation.override("zh-hans"):
            charter = CS.charter_generate(actor=principal)
            CS.charter_approve(actor=principal, charter=charter, password=password)
            CS.charter_publish(actor=principal, charter=charter)
    event = AuditEvent.objects.get(action="post.charter.supersede")
    assert event.reason.startswith('{"msgid":"Superseded by v%(v)s."')
    reader = member([R.AUDITOR], unit=root, username="reader")
    english = _text(_client(reader, "en").get(reverse("audit:event_list")).content.decode())
    chinese = _text(_client(reader, "zh-hans").get(reverse("audit:event_list")).content.decode())
    assert "Superseded by v2." in english and "已被 v2 取代" not in english
    assert "已被 v2 取代。" in chinese


def test_a_reason_stored_as_a_chinese_sentence_before_reads_in_english(root):
    reader = member([R.AUDITOR], unit=root, username="reader")
    audit_record(actor=reader, action="post.charter.supersede", obj=root, reason="已被 v3 取代。")
    audit_record(actor=reader, action="organisation.unit.update", obj=root, reason="我自己的话")
    english = _text(_client(reader, "en").get(reverse("audit:event_list")).content.decode())
    assert "Superseded by v3." in english
    assert "我自己的话" in english  # a person's own words stay as written


def test_a_signed_meaning_stays_as_signed_with_a_translation_beside(appointed, root):
    reader = member([R.AUDITOR], unit=root, username="reader")
    url = reverse("audit:story", args=["post.appointment", appointed.pk])
    text = _text(_client(reader, "en").get(url).content.decode())
    assert "主要负责人依据§3.1任命为首席质量官" in text
    assert "Appointed as CQO by the principal under §3.1" in text


def test_unit_choices_show_the_english_name_on_an_english_page(root):
    UnitFactory(parent=root, code="QA", name="质量管理部", name_en="Quality Department")
    admin = member([R.ADMIN], unit=root, username="org-admin")
    page = _client(admin, "en").get(reverse("organisation:unit_create")).content.decode()
    options = re.findall(r"<option[^>]*>([^<]*)</option>", page)
    assert any("QA Quality Department" in o for o in options), options
    assert not any("质量管理部" in o for o in options)


def test_the_charter_in_english_joins_lists_without_chinese_separators(appointed, principal):
    with translation.override("zh-hans"):
        charter = CS.charter_generate(actor=principal)
    page = _client(principal, "en").get(reverse("charter:charter_detail", args=[charter.pk]))
    assert "、" not in page.content.decode()
    assert "、" not in pdf_text(charter_pdf(charter, language="en"))


def test_a_draft_charter_tells_the_cqo_it_awaits_the_principal(appointed, principal, candidate):
    with translation.override("zh-hans"):
        charter = CS.charter_generate(actor=principal)
    url = reverse("charter:charter_detail", args=[charter.pk])
    cqo_page = _client(candidate.user, "en").get(url).content.decode()
    assert 'id="publish"' not in cqo_page
    assert "approval with an e-signature (§4.2)" in cqo_page
    principal_page = _client(principal, "en").get(url).content.decode()
    assert "approve-form" in principal_page and "Awaiting the principal" not in principal_page
