"""The clocks' pages and API (§7.2.1.4): a case's clocks with due date, source and the
unverified mark; an event recorded on the page starts the clocks; the calendar page states the
years covered; the administrator corrects a day; the API answers the same services; and the
demo's case has its clocks running over a public holiday."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation

from cqo.core import workdays
from cqo.core.models import CalendarDay
from cqo.recall.models import ClockStatus, RecallClock
from cqo.testing.clocks import admin_of, case_with_clocks, profiles, recall_case
from cqo.testing.world import Org

D = datetime.date
EVE = D(2026, 9, 30)


@pytest.fixture
def org(db: Any) -> Org:
    return Org()


def _client(user: Any, language: str = "en") -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE=language)
    client.force_login(user)
    return client


def test_the_case_page_shows_each_clock_with_its_due_date_source_and_mark(org: Org) -> None:
    case = case_with_clocks(org, [("signal_received", EVE), ("defect_confirmed", EVE)])
    page = _client(org.engineer).get(reverse("recall:case_clocks", args=[case.pk]))
    assert page.status_code == 200
    text = page.content.decode()
    assert "2026-10-09" in text and "2026-10-20" in text
    assert "Unverified deadline" in text and "Verified deadline" in text
    assert "第19号" in text
    assert "Record the event" not in text  # the engineer only reads


def test_the_section_reads_in_chinese(org: Org) -> None:
    case = case_with_clocks(org, [("signal_received", EVE)])
    page = _client(org.engineer, "zh-hans").get(reverse("recall:case_clocks", args=[case.pk]))
    text = page.content.decode()
    assert "监管时限" in text and "期限未核实" in text


def test_the_cqo_records_an_event_on_the_page_and_its_clock_starts(org: Org) -> None:
    case = recall_case(org)
    profiles(org)
    client = _client(org.cqo)
    url = reverse("recall:case_clocks_act", args=[case.pk, "event"])
    refused = client.post(url, {"event": "defect_confirmed", "on": "2999-01-01"})
    assert refused.status_code == 400 and not RecallClock.objects.filter(case=case).exists()
    done = client.post(url, {"event": "defect_confirmed", "on": EVE.isoformat()})
    assert done.status_code == 302
    assert RecallClock.objects.get(case=case, key="plan").due_on == D(2026, 10, 20)
    assert _client(org.engineer).post(url, {"event": "plan_filed", "on": "2026-10-09"}
                                      ).status_code == 403  # fmt: skip


def test_the_cqo_waives_a_clock_on_the_page(org: Org) -> None:
    case = case_with_clocks(org, [("signal_received", EVE)])
    clock = RecallClock.objects.get(case=case, key="report")
    url = reverse("recall:case_clocks_act", args=[case.pk, "waive"])
    response = _client(org.cqo).post(url, {"clock": clock.pk, "reason": "无人身伤害"})
    assert response.status_code == 302
    clock.refresh_from_db()
    assert clock.status == ClockStatus.WAIVED


def test_the_calendar_page_states_the_years_covered_and_marks_the_holidays(org: Org) -> None:
    page = _client(org.engineer).get(reverse("recall:calendar_year", args=[2026]))
    text = page.content.decode()
    assert "chinesecalendar" in text and "2004–2026" in text
    assert 'data-day="2026-10-01"' in text and "National Day" in text
    uncovered = _client(org.engineer).get(reverse("recall:calendar_year", args=[2099]))
    assert "not-covered" in uncovered.content.decode()


def test_the_administrator_corrects_a_day_on_the_admin_page(org: Org) -> None:
    admin = admin_of(org)
    url = reverse("recall:calendar_admin")
    assert _client(org.cqo).get(url).status_code == 403
    response = _client(admin).post(url, {"act": "day", "day-day": "2026-10-12",
                                         "day-kind": "holiday", "day-name": "测试",
                                         "day-reason": "更正测试"})  # fmt: skip
    assert response.status_code == 302
    assert not workdays.is_workday(D(2026, 10, 12))
    bad = _client(admin).post(url, {"act": "year", "year-year": "2026", "year-source": "x",
                                    "year-holidays": "2026-13-01 x"})  # fmt: skip
    assert bad.status_code == 400


def test_the_api_records_an_event_and_lists_the_clocks(org: Org) -> None:
    case = recall_case(org)
    profiles(org)
    client = _client(org.cqo)
    response = client.post("/api/v1/recall/clocks/event/",
                           {"case": case.pk, "event": "defect_confirmed", "on": "2026-09-30"},
                           content_type="application/json")  # fmt: skip
    assert response.status_code == 200, response.content
    assert [c["due_on"] for c in response.json()] == ["2026-10-20"]
    listed = _client(org.engineer).get(f"/api/v1/recall/clocks/?case={case.pk}").json()
    listed = listed["results"] if isinstance(listed, dict) else listed
    assert listed[0]["key"] == "plan" and listed[0]["verified"] is True
    bad = client.post("/api/v1/recall/clocks/event/",
                      {"case": case.pk, "event": "nope", "on": "2026-09-30"},
                      content_type="application/json")  # fmt: skip
    assert bad.status_code == 400
    refused = _client(org.engineer).post("/api/v1/recall/clocks/event/",
                                         {"case": case.pk, "event": "plan_filed",
                                          "on": "2026-09-30"},
                                         content_type="application/json")  # fmt: skip
    assert refused.status_code == 403


def test_the_api_gives_a_years_holidays_and_the_admin_sets_a_day(org: Org) -> None:
    days = _client(org.engineer).get("/api/v1/recall/calendar/2026/")
    assert days.status_code == 200 and days["X-Calendar-Covered"] == "yes"
    found = {d["day"]: d for d in days.json()}
    assert found["2026-10-01"]["workday"] is False and found["2026-10-10"]["workday"] is True
    assert _client(org.engineer).get("/api/v1/recall/calendar/abc/").status_code in (400, 404)
    assert _client(org.engineer).get("/api/v1/recall/calendar/1999/").status_code == 404
    body = {"day": "2026-10-12", "kind_of_day": "holiday", "reason": "更正"}
    assert (
        _client(org.cqo)
        .post("/api/v1/recall/calendar/", body, content_type="application/json")
        .status_code
        == 403
    )
    assert (
        _client(admin_of(org))
        .post("/api/v1/recall/calendar/", body, content_type="application/json")
        .status_code
        == 201
    )
    assert CalendarDay.objects.filter(day=D(2026, 10, 12)).exists()


def test_the_api_revises_a_profile_without_moving_started_clocks(org: Org) -> None:
    case = case_with_clocks(org, [("defect_confirmed", EVE)])
    profile = profiles(org)["consumer-goods"]
    current = _client(org.cqo).get(f"/api/v1/recall/clock-profiles/{profile.pk}/").json()
    deadlines = current["deadlines"]
    for d in deadlines:
        if d["key"] == "plan":
            d["count"], d["warn_days"] = 8, 1
    response = _client(org.cqo).post(
        f"/api/v1/recall/clock-profiles/{profile.pk}/revise/",
        {"note": "测试", "deadlines": deadlines}, content_type="application/json",
    )  # fmt: skip
    assert response.status_code == 200, response.content
    assert response.json()["version"] == 2
    assert RecallClock.objects.get(case=case, key="plan").due_on == D(2026, 10, 20)


def test_the_cqo_workbench_shows_the_clocks_due_soon(org: Org) -> None:
    start = workdays.workdays_add(timezone.localdate(), -9)
    case_with_clocks(org, [("defect_confirmed", start)])
    page = _client(org.cqo).get("/")
    assert page.status_code == 200
    text = page.content.decode()
    assert "Recall clocks due soon or overdue" in text and "RC-T-" in text


def test_the_demo_case_has_its_clocks_running_over_a_public_holiday(db: Any) -> None:
    from cqo.core.demo import demo_build
    from cqo.recall.demo_clocks import plan_day

    ctx = demo_build(builders=["organisation", "post", "authorities", "recall_clocks"])
    case = ctx.get("recall.clocks_case")
    owners = RecallClock.objects.get(case=case, key="owners")
    assert owners.started_on == plan_day(timezone.localdate())
    span = [owners.started_on + datetime.timedelta(days=n)
            for n in range(1, (owners.due_on - owners.started_on).days + 1)]  # fmt: skip
    assert any(d.weekday() < 5 and not workdays.is_workday(d) for d in span)
    with translation.override("en"):
        assert owners.title.startswith("Notify the owners")
