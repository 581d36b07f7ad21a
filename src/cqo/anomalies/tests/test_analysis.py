"""The analysis of nonconformances: Pareto, ageing, closure time, repeats, trend, the pages,
their exports and the CQO's panels.

The fixture (``world``) is small enough to count by hand. Items X and Y, supplier SA, defect
codes D1 (MI), D2 (MA), D3 (CR); days are counted back from today:

====  ====  ========  ===========  ===================  ====================================
NCR   item  supplier  found        defects              status
====  ====  ========  ===========  ===================  ====================================
N1    X     SA        10 days ago  D1 × 5               open (10 days old: 8 to 30 days)
N2    X     SA        40 days ago  D1 × 3, D2 × 2       closed 4 days after it was raised
N3    Y     —         3 days ago   D2 × 7               contained (3 days old)
N4    X     SA        100 days     D1 × 1               in review (100 days old: over 90)
N5    X     SA        5 days ago   D3 × 9               voided: never counted
N6    X     SA        600 days     D3 × 2               closed, before every period
====  ====  ========  ===========  ===================  ====================================

Pareto by defect (number of NCRs): D1 3 (60 %), D2 2 (cumulative 100 %). By quantity: D1 9,
D2 9. By item: X 3, Y 1. By supplier: SA 3, not stated 1. Repeats of (item, defect) within 90
days: D1 on X at −100, −40, −10: the last two repeat; D2 on X and on Y: no. 2 of 5 = 40 %.
"""

from __future__ import annotations

import datetime
import io
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from cqo.anomalies import selectors_analysis as sel
from cqo.anomalies.models import AnomalyStatus
from cqo.organisation import roles as R
from cqo.testing.analysis import AnalysisWorld, ago, analysis_world, ncr_row
from cqo.testing.factories import member
from cqo.testing.world import Org

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(org: Org) -> AnalysisWorld:
    return analysis_world()


def _table(data: sel.ParetoData) -> list[tuple[str, float, float]]:
    return [(p.category, p.count, round(p.cumulative_percent, 1)) for p in data.rows]


# --- the figures --------------------------------------------------------------------------------


def test_the_pareto_by_defect_ranks_codes_by_ncrs_and_leaves_voided_and_old_ones_out(
    org: Org, world: AnalysisWorld
) -> None:
    data = sel.pareto_by(org.cqo, by="defect")
    assert _table(data) == [("D1 划伤", 3.0, 60.0), ("D2 尺寸超差", 2.0, 100.0)]
    assert data.ids["D1 划伤"] == world.d1.pk


def test_the_pareto_by_quantity_adds_the_defects_quantities(org: Org, world: AnalysisWorld) -> None:
    data = sel.pareto_by(org.cqo, by="defect", measure="quantity")
    assert sorted((p.category, p.count) for p in data.rows) == [
        ("D1 划伤", 9.0), ("D2 尺寸超差", 9.0),
    ]  # fmt: skip


def test_the_pareto_by_item_and_supplier_counts_each_ncr_once(
    org: Org, world: AnalysisWorld
) -> None:
    assert _table(sel.pareto_by(org.cqo, by="item")) == [
        ("X-100 阀杆", 3.0, 75.0), ("Y-200 阀座", 1.0, 100.0),
    ]  # fmt: skip
    assert _table(sel.pareto_by(org.cqo, by="supplier")) == [
        ("SA 甲供应商", 3.0, 75.0), ("未注明", 1.0, 100.0),
    ]  # fmt: skip


def test_the_pareto_names_defects_in_english_for_an_english_reader(
    org: Org, world: AnalysisWorld
) -> None:
    from django.utils import translation

    with translation.override("en"):
        data = sel.pareto_by(org.cqo, by="defect")
    assert data.rows[0].category == "D1 Scratch"


def test_the_pareto_of_a_short_period_leaves_older_ncrs_out(org: Org, world: AnalysisWorld) -> None:
    # Three months start on the first of the month two months back: N4 (100 days) is out.
    data = sel.pareto_by(org.cqo, by="item", months=3)
    assert ("X-100 阀杆", 2.0) in [(p.category, p.count) for p in data.rows]


def test_the_ageing_counts_open_ncrs_by_status_and_age(org: Org, world: AnalysisWorld) -> None:
    ageing = sel.ncr_ageing(org.cqo)
    assert ageing.by_status == {
        AnomalyStatus.OPEN: [0, 1, 0, 0],
        AnomalyStatus.CONTAINED: [1, 0, 0, 0],
        AnomalyStatus.REVIEW: [0, 0, 0, 1],
    }
    assert ageing.totals == [1, 1, 0, 1] and ageing.total == 3


def test_an_ncr_is_as_old_as_its_whole_days_in_the_counts_and_the_list(
    org: Org, world: AnalysisWorld
) -> None:
    now = timezone.now()
    almost = ncr_row(
        item=world.y, found_on=ago(8), raised_at=now - datetime.timedelta(days=7, hours=23)
    )
    eight = ncr_row(item=world.y, found_on=ago(8), raised_at=now - datetime.timedelta(days=8))
    ageing = sel.ncr_ageing(org.cqo, now=now)
    assert ageing.totals == [2, 2, 0, 1]
    assert sel.bucket_of(almost.raised_at, now=now) == 0
    assert sel.bucket_of(eight.raised_at, now=now) == 1
    first = {a.pk for a in sel.open_ncrs(org.cqo, bucket=0, now=now)}
    assert almost.pk in first and eight.pk not in first


def test_the_trend_counts_found_and_closed_ncrs_closure_time_and_repeats(
    org: Org, world: AnalysisWorld
) -> None:
    trend = sel.trend(org.cqo)
    assert len(trend.months) == 12
    assert trend.found == 4 and trend.closed == 1
    assert trend.closure.median == pytest.approx(4.0)
    assert (trend.repeat.occurrences, trend.repeat.repeats) == (5, 2)
    assert trend.repeat.rate == pytest.approx(40.0)
    by_month = {m.month: m for m in trend.months}
    month = datetime.date(ago(40).year, ago(40).month, 1)
    assert by_month[month].found >= 1


def test_nobody_without_the_permission_reads_any_figure(org: Org, world: AnalysisWorld) -> None:
    employee = member([R.EMPLOYEE])
    assert sel.pareto_by(employee, by="defect").result is None
    assert sel.ncr_ageing(employee).total == 0
    assert sel.trend(employee).found == 0


# --- the pages and exports ----------------------------------------------------------------------


def _client(user: Any, language: str = "zh-hans") -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE=language)
    client.force_login(user)
    return client


def test_the_analysis_page_shows_the_pareto_ageing_and_trend(
    org: Org, world: AnalysisWorld
) -> None:
    client = _client(org.cqo)
    response = client.get(reverse("anomalies:analysis"), {"by": "supplier"})
    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="pareto-table"' in html and "SA 甲供应商" in html
    assert 'data-chart="pareto-option"' in html and "workbench/charts.js" in html
    assert 'id="ageing-table"' in html and 'id="trend-table"' in html
    # Unknown choices fall back to the defaults rather than failing.
    response = client.get(reverse("anomalies:analysis"), {"by": "evil", "months": "7"})
    assert response.status_code == 200
    assert response.context["by"] == "defect" and response.context["months"] == 12


def test_an_employee_may_not_open_the_analysis(org: Org, world: AnalysisWorld) -> None:
    client = _client(member([R.EMPLOYEE]))
    assert client.get(reverse("anomalies:analysis")).status_code == 403
    assert client.get(reverse("anomalies:analysis_xlsx")).status_code == 403


def test_the_analysis_workbook_holds_the_trend_the_ageing_and_a_pareto_per_dimension(
    org: Org, world: AnalysisWorld
) -> None:
    from openpyxl import load_workbook

    response = _client(org.cqo, "en").get(reverse("anomalies:analysis_xlsx"))
    assert response.status_code == 200
    wb = load_workbook(io.BytesIO(response.content))
    assert wb.sheetnames == [
        "Monthly trend", "Ageing", "Pareto Defect", "Pareto Item", "Pareto Supplier",
        "Pareto Work centre", "About",
    ]  # fmt: skip
    rows = list(wb["Pareto Defect"].iter_rows(values_only=True))
    assert rows[1][:2] == ("D1 Scratch", 3)
    ageing = list(wb["Ageing"].iter_rows(values_only=True))
    assert ageing[-1] == ("Total", 1, 1, 0, 1, 3)


def test_the_open_ncrs_by_age_list_and_its_export(org: Org, world: AnalysisWorld) -> None:
    from openpyxl import load_workbook

    client = _client(org.engineer)
    response = client.get(reverse("anomalies:analysis_ageing"), {"age": "3"})
    assert response.status_code == 200
    assert [r["ncr"].pk for r in response.context["rows"]] == [world.n["N4"].pk]
    every = client.get(reverse("anomalies:analysis_ageing"))
    assert [r["ncr"].pk for r in every.context["rows"]] == [
        world.n["N4"].pk, world.n["N1"].pk, world.n["N3"].pk,
    ]  # fmt: skip
    assert client.get(reverse("anomalies:analysis_ageing"), {"age": "99"}).status_code == 200
    hostile = '=HYPERLINK("http://evil.example/","x")'
    type(world.n["N4"]).objects.filter(pk=world.n["N4"].pk).update(title=hostile)
    data = client.get(reverse("anomalies:analysis_ageing_xlsx"), {"status": "review"}).content
    sheet = load_workbook(io.BytesIO(data)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert len(rows) == 2 and rows[1][0] == world.n["N4"].number and rows[1][8] == 100
    # A title that looks like a formula is kept as text.
    assert rows[1][1] == hostile and sheet["B2"].data_type == "s"


# --- the CQO's panels ---------------------------------------------------------------------------


def _panel(client: Client, key: str) -> Any:
    response = client.get("/")
    return next((rp for rp in response.context["panels"] if rp.key == key), None)


def test_the_cqo_sees_the_ncr_pareto_and_ageing_panels(org: Org, world: AnalysisWorld) -> None:
    client = _client(org.cqo)
    pareto = _panel(client, "ncr_pareto")
    # Three months: N4 (100 days ago) is out, D1 and D2 tie at 2 and keep the catalogue's order.
    assert [i.title for i in pareto.items] == ["D1 划伤", "D2 尺寸超差"]
    assert pareto.chart["series"][0]["data"] == [2.0, 2.0]
    ageing = _panel(client, "ncr_ageing")
    # Oldest first: over 90 days, then 8 to 30, then up to 7.
    assert [i.tone for i in ageing.items] == ["danger", "", ""]
    assert "1" in ageing.items[0].title


def test_a_department_head_reads_the_analysis_but_has_no_such_panel(
    org: Org, world: AnalysisWorld
) -> None:
    client = _client(org.head)
    assert client.get(reverse("anomalies:analysis")).status_code == 200
    assert _panel(client, "ncr_pareto") is None


def test_the_analysis_counts_open_overdue_and_closed_corrective_actions(
    org: Org, world: AnalysisWorld
) -> None:
    from cqo.anomalies import selectors_analysis_capa as capa_sel
    from cqo.anomalies.models import Capa, CapaStatus

    now = timezone.now()
    common = {"owner": org.engineer, "raised_by": org.engineer, "title": "纠正措施"}
    Capa.objects.create(number="C-1", raised_at=now - datetime.timedelta(days=40),
                        due_on=ago(5), status=CapaStatus.ACTIONS, is_8d=True, **common)  # fmt: skip
    Capa.objects.create(number="C-2", raised_at=now - datetime.timedelta(days=3),
                        due_on=ago(-10), status=CapaStatus.OPEN, **common)  # fmt: skip
    Capa.objects.create(number="C-3", raised_at=now - datetime.timedelta(days=30),
                        closed_at=now - datetime.timedelta(days=20), status=CapaStatus.CLOSED,
                        **common)  # fmt: skip
    figures = capa_sel.capa_figures(org.cqo)
    assert (figures.raised, figures.eight_d, figures.overdue, figures.closed) == (3, 1, 1, 1)
    assert figures.closure.median == pytest.approx(10.0)
    assert capa_sel.capa_ageing(org.cqo).totals == [1, 0, 1, 0]
    html = _client(org.cqo).get(reverse("anomalies:analysis")).content.decode()
    assert 'id="capa-summary"' in html and 'id="capa-ageing-table"' in html
