from __future__ import annotations

import datetime
from importlib import import_module
from typing import Any

import pytest
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.urls import reverse
from django.utils import translation

from cqo.audit.forms import SignatureForm
from cqo.audit.models import Signature
from cqo.audit.selectors import SIGNED_CONTENT, changes_between, signed_content_register
from cqo.audit.services import audit_record, signature_sign, snapshot
from cqo.organisation import roles as R
from cqo.testing.factories import TEST_PASSWORD, UnitFactory, member

pytestmark = pytest.mark.django_db

EVENTS = reverse("audit:event_list")
VERIFY = reverse("audit:chain_verify")


@pytest.fixture(autouse=True)
def _fresh_cache() -> None:
    cache.clear()


def _client(*roles: str, **kwargs: Any) -> tuple[Client, Any]:
    user = member(list(roles), **kwargs)
    client = Client()
    client.force_login(user)
    return client, user


def _story_url(obj: Any) -> str:
    return reverse("audit:story", args=[obj._meta.label_lower, obj.pk])


@pytest.mark.parametrize(
    ("role", "status"),
    [
        (R.EMPLOYEE, 403), (R.INSPECTOR, 403), (R.QUALITY_ENGINEER, 403), (R.PRINCIPAL, 403),
        (R.DEPARTMENT_HEAD, 403), (R.METROLOGY_OFFICER, 403),
        (R.AUDITOR, 200), (R.CQO, 200), (R.DEPUTY, 200), (R.ADMIN, 200),
    ],
)  # fmt: skip
def test_only_the_cqo_deputy_auditor_and_admin_may_read_the_audit_pages(
    role: str, status: int
) -> None:
    client, user = _client(role)
    audit_record(actor=user, action="test.touch", obj=user)
    assert client.get(EVENTS).status_code == status
    assert client.get(_story_url(user)).status_code == status
    assert client.post(VERIFY).status_code == (302 if status == 200 else 403)


def test_the_event_list_filters_by_action_actor_clause_type_and_date() -> None:
    client, auditor = _client(R.AUDITOR, display_name="审核员甲")
    other = member([R.CQO], display_name="质量官乙")
    unit = UnitFactory()
    audit_record(actor=other, action="organisation.unit.create", obj=unit, clause="§4.1")
    audit_record(actor=auditor, action="test.look", obj=auditor, clause="§6 i)")

    def shown(**params: str) -> set[str]:
        page = client.get(EVENTS, params).context["page"]
        return {ev.action for ev in page.object_list}

    assert shown() == {"organisation.unit.create", "test.look"}
    assert shown(action="organisation.") == {"organisation.unit.create"}
    assert shown(actor="质量官") == {"organisation.unit.create"}
    assert shown(clause="§6") == {"test.look"}
    assert shown(object_type="accounts.user") == {"test.look"}
    today = datetime.date.today()
    assert shown(date_from=str(today - datetime.timedelta(days=1))) == {
        "organisation.unit.create",
        "test.look",
    }
    assert shown(date_to=str(today - datetime.timedelta(days=2))) == set()


def test_a_reversed_date_range_is_refused_in_the_users_language() -> None:
    client, _ = _client(R.AUDITOR)
    response = client.get(EVENTS, {"date_from": "2026-03-02", "date_to": "2026-03-01"})
    assert response.status_code == 200
    assert "结束日期早于开始日期" in response.content.decode()


def test_the_event_list_pages_through_long_trails() -> None:
    client, user = _client(R.CQO)
    for i in range(120):
        audit_record(actor=user, action="test.touch", obj=user, after={"n": i})
    first = client.get(EVENTS)
    assert len(first.context["page"].object_list) == 50
    assert first.context["page"].object_list[0].seq == 120  # newest first
    third = client.get(EVENTS, {"page": 3})
    assert [ev.seq for ev in third.context["page"].object_list] == list(range(20, 0, -1))


def test_the_htmx_filter_answers_with_the_rows_only() -> None:
    client, user = _client(R.AUDITOR)
    audit_record(actor=user, action="test.touch", obj=user)
    response = client.get(
        EVENTS, {"action": "test"}, headers={"HX-Request": "true", "HX-Target": "audit-events"}
    )
    html = response.content.decode()
    assert "test.touch" in html
    assert "<html" not in html


def test_the_story_shows_each_change_with_the_changed_fields_highlighted() -> None:
    client, cqo = _client(R.CQO)
    unit = UnitFactory(name="质量部", code="QA")
    before = snapshot(unit)
    unit.name = "质量管理部"
    unit.save()
    audit_record(actor=cqo, action="organisation.unit.change", obj=unit, before=before,
                 after=snapshot(unit), reason="更名", clause="§4.1")  # fmt: skip
    html = client.get(_story_url(unit)).content.decode()
    assert "organisation.unit.change" in html
    assert '<tr class="changed">' in html
    assert "<del>质量部</del>" in html and "<ins>质量管理部</ins>" in html
    assert "更名" in html
    # The code did not change: it is listed among the unchanged fields, not highlighted.
    changed_rows = html.split('<details class="unchanged">')[0]
    assert "<ins>QA</ins>" not in changed_rows
    # The unit keeps django-simple-history snapshots: they are shown too.
    assert "历史快照" in html
    # Stored values read as the reader knows them: the kind by its label, the parent by name.
    assert f"{unit.enterprise} (#{unit.enterprise_id})" in html
    assert str(unit.get_kind_display()) in html


def test_changes_between_puts_changed_fields_first() -> None:
    rows = changes_between({"a": 1, "b": 2}, {"a": 1, "b": 3, "c": None})
    assert [(r.name, r.changed) for r in rows] == [("b", True), ("c", True), ("a", False)]


def test_the_story_shows_signatures_and_whether_they_still_match_the_record() -> None:
    client, cqo = _client(R.CQO, display_name="首席甲")
    unit = UnitFactory(name="检验科")
    signature_sign(user=cqo, password=TEST_PASSWORD, obj=unit, content={"name": unit.name},
                   meaning="以首席质量官身份批准（§6 c)）", clause="§6 c)")  # fmt: skip
    signed_content_register("organisation.unit", lambda u: {"name": u.name})
    try:
        html = client.get(_story_url(unit)).content.decode()
        assert "首席甲" in html
        assert "以首席质量官身份批准" in html
        sig = Signature.objects.get()
        assert sig.content_hash[:12] in html
        assert "与记录一致" in html
        unit.name = "检验中心"
        unit.save()
        html = client.get(_story_url(unit)).content.decode()
        assert "签署后已更改" in html
    finally:
        SIGNED_CONTENT.pop("organisation.unit", None)


def _drop_triggers() -> None:
    triggers = import_module("cqo.audit.migrations.0002_append_only_triggers")
    with connection.cursor() as cur:
        for sql in triggers.drop_sql(connection.vendor):
            cur.execute(sql)


def test_the_chain_status_shows_verified_then_broken_at_the_first_altered_event() -> None:
    client, user = _client(R.AUDITOR)
    for i in range(4):
        audit_record(actor=user, action="test.touch", obj=user, after={"n": i})
    html = client.get(EVENTS).content.decode()
    assert "尚未检查" in html  # nothing checked yet

    response = client.post(VERIFY, follow=True)
    html = response.content.decode()
    assert "已验证" in html and "审计链完整" in html

    _drop_triggers()
    with connection.cursor() as cur:
        cur.execute("UPDATE audit_auditevent SET reason = 'forged' WHERE seq = 3")
    html = client.get(EVENTS).content.decode()
    assert "已验证" in html  # the page shows the last result until someone checks again
    html = client.post(VERIFY, follow=True).content.decode()
    assert "已断开" in html
    assert "第一个出错的事件是 #3" in html
    assert 'class="bad-event"' in html


def test_verifying_through_htmx_swaps_in_the_status_only() -> None:
    client, user = _client(R.CQO)
    audit_record(actor=user, action="test.touch", obj=user)
    response = client.post(VERIFY, headers={"HX-Request": "true"})
    html = response.content.decode()
    assert response.status_code == 200
    assert html.lstrip().startswith('<section id="chain-status"')
    assert "已验证" in html


def test_the_nightly_result_is_shown_when_nobody_checked_by_hand() -> None:
    from cqo.audit.tasks import audit_chain_check

    client, user = _client(R.AUDITOR)
    audit_record(actor=user, action="test.touch", obj=user)
    audit_chain_check()
    html = client.get(EVENTS).content.decode()
    assert "已验证" in html and "每晚" in html


# --- the signature form ---------------------------------------------------------------------


def _form(user: Any, **data: Any) -> SignatureForm:
    return SignatureForm(data, user=user, meaning="Approved as CQO under §6 c)", clause="§6 c)")


def test_a_wrong_password_is_refused_on_the_password_field_and_nothing_is_signed() -> None:
    user = member([R.CQO])
    with translation.override("zh-hans"):
        form = _form(user, password="wrong", confirm="on")
        assert not form.is_valid()
        assert form.errors["password"] == ["密码不正确，未签署任何内容。"]
    with translation.override("en"):
        form = _form(user, password="wrong", confirm="on")
        assert not form.is_valid()
        assert form.errors["password"] == ["The password is not correct; nothing was signed."]
    with pytest.raises(ValueError):
        form.sign(obj=user, content={"a": 1})
    assert not Signature.objects.exists()


def test_the_signature_needs_the_confirmation_ticked() -> None:
    user = member([R.CQO])
    with translation.override("zh-hans"):
        form = _form(user, password=TEST_PASSWORD)
        assert not form.is_valid()
        assert "confirm" in form.errors and "password" not in form.errors
        assert "勾选" in form.errors["confirm"][0]
    assert not Signature.objects.exists()


def test_the_meaning_cannot_be_changed_by_the_signer() -> None:
    user = member([R.CQO])
    form = _form(user, password=TEST_PASSWORD, confirm="on", meaning="Rejected")
    assert form.is_valid()
    signature = form.sign(obj=user, content={"a": 1})
    assert signature.meaning == "Approved as CQO under §6 c)"
    assert signature.clause == "§6 c)"
    assert signature.signer == user


def test_the_sign_form_include_renders_the_meaning_read_only() -> None:
    from django.template.loader import render_to_string

    user = member([R.CQO])
    form = _form(user, password="wrong", confirm="on")
    form.is_valid()
    with translation.override("zh-hans"):
        html = render_to_string("audit/_sign_form.html", {"form": form, "action": "/sign/"})
    assert "Approved as CQO under §6 c)" in html
    assert 'name="meaning"' not in html  # shown as text, not as a field that could be edited
    assert 'type="password"' in html
    assert "密码不正确" in html
    assert 'action="/sign/"' in html


@pytest.mark.parametrize(
    ("object_type", "object_id"),
    [("no.such", "1"), ("organisation.unit", "not-a-number"), ("organisation.unit", "999999")],
)
def test_the_story_of_an_unknown_record_says_there_is_nothing_instead_of_failing(
    object_type: str, object_id: str
) -> None:
    client, _ = _client(R.AUDITOR)
    response = client.get(reverse("audit:story", args=[object_type, object_id]))
    assert response.status_code == 200
    assert "此记录没有审计事件" in response.content.decode()


def test_a_record_page_links_to_its_story_for_those_who_read_the_trail() -> None:
    unit = UnitFactory(name="质量部", code="QA")
    page = reverse("organisation:unit_detail", args=[unit.pk])
    cqo_client, _cqo = _client(R.CQO)
    assert f'href="{_story_url(unit)}"' in cqo_client.get(page).content.decode()
    employee_client, _employee = _client(R.EMPLOYEE, username="worker")
    assert _story_url(unit) not in employee_client.get(page).content.decode()


def test_the_chain_status_names_a_record_changed_behind_the_trail_and_shows_the_digest() -> None:
    from cqo.organisation.models import Unit

    client, user = _client(R.CQO)
    unit = UnitFactory()
    audit_record(actor=user, action="test.unit.create", obj=unit, after=snapshot(unit))
    html = client.post(VERIFY, follow=True).content.decode()
    assert "已验证" in html and "摘要 <code>" in html

    Unit.objects.filter(pk=unit.pk).update(name="悄悄改名")
    html = client.post(VERIFY, follow=True).content.decode()
    assert "已断开" in html
    assert "1 条记录在没有审计事件的情况下被改动" in html
    assert f"organisation.unit {unit.pk}" in html
