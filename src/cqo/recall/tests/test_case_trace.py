"""The stop follows the lot genealogy (§7.2.1.4): a defective steel batch holds the body made
from it and both calipers, reaching both customers; lots outside its trace stay free. And the
demo's case is in execution on a brake-caliper lot reaching two customers."""

from __future__ import annotations

import datetime

import pytest

from cqo.masterdata.models import Lot, StockStatus
from cqo.recall import services_case as S
from cqo.recall.models_case import CaseStatus, RecallTarget
from cqo.testing.genealogy import genealogy_world
from cqo.testing.world import Org

pytestmark = pytest.mark.django_db


def test_the_stop_holds_everything_the_forward_trace_reaches() -> None:
    org = Org()
    g = genealogy_world()
    for lot in (g.steel, g.body, g.caliper_1, g.caliper_2, g.pad, g.loose):
        Lot.objects.filter(pk=lot.pk).update(stock_status=StockStatus.RELEASED)
    case = S.case_open(actor=org.cqo, title="钢材批次缺陷", signal_kind="ncr",
                       lot_numbers=[g.steel.number])  # fmt: skip
    case = S.case_investigate(actor=org.cqo, case=case, note="钢材硬度不足")
    case = S.case_defect_decide(actor=org.cqo, case=case, confirmed=True, defect="硬度不足")
    case = S.case_decision_propose(actor=org.cqo, case=case, kind="voluntary", reasons="安全")
    case = S.case_decision_agree(actor=org.principal, case=case, agree=True)
    S.case_stop(actor=org.cqo, case=case)
    held = set(Lot.objects.filter(stock_status=StockStatus.HELD).values_list("number", flat=True))
    assert held == {"R-STEEL", "W-BODY", "F-CAL-1", "F-CAL-2"}
    customers = set(RecallTarget.objects.filter(case=case).values_list("customer__code",
                                                                        flat=True))  # fmt: skip
    assert customers == {"KA", "KB"}


def _weekdays_add(start: datetime.date, count: int) -> datetime.date:
    """The naive count: ``count`` Mondays to Fridays after ``start``, as if no holiday existed."""
    day = start
    while count:
        day += datetime.timedelta(days=1)
        count -= day.weekday() < 5
    return day


@pytest.mark.django_db(transaction=True)
def test_the_demo_recall_is_in_execution_on_a_caliper_lot_with_clocks_over_a_holiday(
    demo_kernel: object,
) -> None:
    from django.test import Client

    from cqo.core import workdays
    from cqo.recall.models import RecallClock
    from cqo.recall.models_case import RecallCase
    from cqo.testing.demo import demo_build_on

    demo_build_on(demo_kernel, ["recall", "recall_clocks"])
    case = RecallCase.objects.get()
    assert case.status == CaseStatus.PLANNED
    assert case.start_lots.get().item.part_number == "YJP-BC-200"
    assert RecallTarget.objects.filter(case=case).count() == 2
    assert S.case_totals(case)["recovered"] > 0
    assert Lot.objects.get(number="CAL-DEMO-0815").stock_status == StockStatus.HELD
    # The owners' clock (vehicles, 30 working days from the plan) runs over a public holiday: its
    # due date is later than thirty weekdays would be.
    owners = RecallClock.objects.get(case=case, key="owners")
    assert owners.status == "running"
    assert owners.due_on > _weekdays_add(owners.started_on, owners.count)
    # A holiday in a year the bundled calendar does not carry is the administrator's, and the
    # clock counted over it is provisional, on the case page too.
    assert owners.provisional == (not workdays.span_covered(owners.started_on, owners.due_on))
    client = Client()
    client.force_login(case.created_by)
    page = client.get(f"/recall/{case.pk}/", HTTP_ACCEPT_LANGUAGE="en")
    assert page.status_code == 200
    row = page.content.decode().split('data-key="owners"', 1)[1].split("</tr>", 1)[0]
    assert owners.due_on.isoformat() in row
    assert "Unverified deadline" in row
    assert ("Provisional: the calendar did not cover the whole count" in row) == owners.provisional
