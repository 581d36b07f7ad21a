"""The regime pages, the inspector's exports and the API (§7.2.1, §7.2.1.2): a day recorded on
its form, the weekly report and its task, the principal's meeting, the gaps shown and chased, the
three records as PDF and workbook with typed text never read as a formula."""

from __future__ import annotations

import datetime
import io
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone
from openpyxl import load_workbook

from cqo.safety import selectors_regime as sel
from cqo.safety.models_regime import DailyRecord, RectificationTask, TaskStatus
from cqo.testing import regime as T
from cqo.testing.pdf import pdf_text
from cqo.testing.world import Org

pytestmark = pytest.mark.django_db


@pytest.fixture
def org(db: Any, monkeypatch: Any) -> Org:
    world = Org()
    T.daily_controls(monkeypatch)
    T.regime_posts(world)
    return world


def _client(user: Any, language: str = "zh-hans") -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE=language)
    client.force_login(user)
    return client


def _ago(n: int) -> datetime.date:
    return timezone.localdate() - datetime.timedelta(days=n)


def test_the_officer_records_the_day_on_its_form(org: Org) -> None:
    client = _client(org.inspector)
    page = client.get("/safety/regime/daily/new/")
    assert page.status_code == 200 and "C-MC-01" in page.content.decode()
    response = client.post("/safety/regime/daily/new/", {
        "day": timezone.localdate().isoformat(), "done_0": "on", "done_1": "",
        "finding_1": "刀具寿命计数未清零", "done_2": "on",
    })  # fmt: skip
    record = DailyRecord.objects.get()
    assert response.status_code == 302 and response["Location"].endswith(f"/{record.pk}/")
    assert record.checks.filter(done=False).get().finding == "刀具寿命计数未清零"


def test_the_form_names_the_control_not_done_without_a_finding(org: Org) -> None:
    response = _client(org.inspector).post("/safety/regime/daily/new/", {
        "day": timezone.localdate().isoformat(), "done_0": "on", "done_2": "on",
    })  # fmt: skip
    assert response.status_code == 200 and "C-MC-01" in response.content.decode()
    assert not DailyRecord.objects.exists()


def test_the_overview_shows_a_missing_day_and_when_it_was_chased(org: Org) -> None:
    from cqo.safety.services_regime import regime_remind

    T.schedule(org, _ago(2), daily_due_hour=0)
    T.daily_record(org, _ago(2))
    regime_remind()
    body = _client(org.cqo, "en").get("/safety/regime/").content.decode()
    assert f'data-day="{_ago(1).isoformat()}" class="missing"' in body
    assert f"chased on {timezone.localdate().isoformat()}" in body
    assert f"No daily control record for {_ago(1).isoformat()}" in body


def test_the_weekly_report_raises_a_task_that_its_owner_closes_with_evidence(org: Org) -> None:
    report = T.weekly_report(org, T.monday_of(_ago(7)))
    director = _client(org.cqo)
    response = director.post(f"/safety/regime/weekly/{report.pk}/task/", {
        "problem": "刀具寿命计数未清零", "action": "更换刀具", "owner": org.head.pk,
        "deadline": timezone.localdate().isoformat(),
    })  # fmt: skip
    assert response.status_code == 302
    task = RectificationTask.objects.get()
    assert _client(org.engineer).post(f"/safety/regime/tasks/{task.pk}/close/",
                                      {"evidence": "x"}).status_code == 403  # fmt: skip
    response = _client(org.head).post(f"/safety/regime/tasks/{task.pk}/close/",
                                      {"evidence": "已更换刀具"})  # fmt: skip
    assert response.status_code == 302
    assert RectificationTask.objects.get().status == TaskStatus.CLOSED


def test_the_principal_records_the_meeting_on_the_cqos_report(org: Org) -> None:
    month = sel.month_start(timezone.localdate())
    response = _client(org.cqo).post("/safety/regime/monthly/new/", {
        "month": month.strftime("%Y-%m"), "report": "本月质量安全总体受控。",
    })  # fmt: skip
    assert response.status_code == 302
    url = response["Location"]
    assert "safety/regime/monthly/" in url
    principal = _client(org.principal)
    assert "regime_monthly_hold" not in url
    response = principal.post(f"{url}hold/", {
        "held_on": timezone.localdate().isoformat(), "attendees": "主要负责人、首席质量官",
        "decisions": "增配刀具寿命监控。",
    })  # fmt: skip
    assert response.status_code == 302
    assert "增配刀具寿命监控。" in principal.get(url).content.decode()


def test_the_three_records_print_in_the_inspectors_forms(org: Org) -> None:
    record = T.daily_record(org, _ago(1), **{"k-dc-1": "保压记录缺一班"})
    report = T.weekly_report(org, T.monday_of(_ago(1)))
    dispatch = T.monthly_held(org, sel.month_start(timezone.localdate()))
    client = _client(org.auditor)
    daily = pdf_text(client.get(f"/safety/regime/daily/{record.pk}/record.pdf").content)
    assert "每日质量安全检查记录" in daily and "保压记录缺一班" in daily
    weekly = pdf_text(client.get(f"/safety/regime/weekly/{report.pk}/report.pdf").content)
    assert "每周质量安全排查治理报告" in weekly
    monthly = client.get(f"/safety/regime/monthly/{dispatch.pk}/minutes.pdf?lang=en")
    assert "Monthly quality-safety dispatch meeting minutes" in pdf_text(monthly.content)


def test_the_workbooks_keep_typed_text_from_being_read_as_a_formula(org: Org) -> None:
    T.daily_record(org, _ago(1), **{"k-dc-1": '=HYPERLINK("http://x")'})
    client = _client(org.auditor)
    month = sel.month_start(_ago(1)).strftime("%Y-%m")
    data = client.get(f"/safety/regime/daily/export.xlsx?month={month}").content
    ws = load_workbook(io.BytesIO(data)).active
    cells = [c for row in ws.iter_rows() for c in row if c.value and str(c.value).startswith("=")]
    assert cells and all(c.data_type == "s" and c.quotePrefix for c in cells)
    report = T.weekly_report(org, T.monday_of(_ago(7)), problems="=1+1")
    data = client.get(f"/safety/regime/weekly/{report.pk}/report.xlsx").content
    ws = load_workbook(io.BytesIO(data)).active
    assert any(c.value == "=1+1" and c.quotePrefix for row in ws.iter_rows() for c in row)


def test_the_api_records_a_day_and_answers_the_gaps(org: Org) -> None:
    client = _client(org.inspector)
    body = {"day": _ago(1).isoformat(), "checks": T.checks_all_done()}
    response = client.post("/api/v1/safety/regime/daily-records/", body,
                           content_type="application/json")  # fmt: skip
    assert response.status_code == 201, response.content
    assert len(response.json()["checks"]) == 3
    again = client.post("/api/v1/safety/regime/daily-records/", body,
                        content_type="application/json")  # fmt: skip
    assert again.status_code == 400 and "day" in again.json()
    refused = _client(org.engineer).post("/api/v1/safety/regime/daily-records/", body,
                                         content_type="application/json")  # fmt: skip
    assert refused.status_code == 403
    gaps = client.get("/api/v1/safety/regime/gaps/").json()
    assert set(gaps) == {"days", "weeks", "months"}


def test_the_cqos_workbench_shows_the_missing_records(org: Org) -> None:
    T.schedule(org, _ago(3), daily_due_hour=0)
    body = _client(org.cqo, "en").get("/").content.decode()
    assert "Missing quality-safety records" in body
    assert f"No daily control record for {_ago(1).isoformat()}" in body
