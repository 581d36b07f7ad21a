"""Supplier quality (acceptance rate, PPM, lead time, scorecards), the gates' workbench panels
and the inspector's queue.

The fixture (``world``) is small enough to compute by hand. Supplier A, item X, last month:

=====  ===========  ================  =============  ========  =========
lot    decision     units inspected   nonconforming  lot size  lead time
=====  ===========  ================  =============  ========  =========
A1     accept       50 (MA 50, MI 32) 1              500       2 h
A2     reject       80                5              1000      10 h
A3     conditional  50                3              500       4 h
A4     accept       20 (100 %, n 13)  0              20        30 h
A5     (open)       —                 —              500       —
A6     accept, voided: not counted
A7     an in-process lot of A: not counted at the incoming gate
=====  ===========  ================  =============  ========  =========

lots 5, decided 4, accepted 2, rejected 1, conditional 1: acceptance 2 / 4 = 50 %;
sample PPM 9 / 200 × 10⁶ = 45,000; rejected-quantity PPM 1,000 / 2,020 × 10⁶ = 495,049.5;
lead times 2, 4, 10, 30 h: median (4 + 10) / 2 = 7 h, P90 at rank 0.9 × 3 = 2.7: 10 + 0.7 × 20
= 24 h. Supplier B has one accepted lot this month (acceptance 100 %).
"""

from __future__ import annotations

import datetime
import io
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from cqo.core import data_version
from cqo.inspection import selectors_suppliers as sel
from cqo.inspection.models import (
    Disposition,
    InspectionLot,
    InspectionPlan,
    InspectionStatus,
    LotSampling,
    Measurement,
    Severity,
    SwitchingStream,
    UsageDecision,
)
from cqo.masterdata.models import DefectClass, Gate, SupplierStatus
from cqo.organisation import roles as R
from cqo.testing.factories import member
from cqo.testing.masterdata import (
    AttributeCharacteristicFactory,
    ItemFactory,
    LotFactory,
    SupplierFactory,
)

pytestmark = pytest.mark.django_db

HOUR = datetime.timedelta(hours=1)


def _last_month_start() -> datetime.datetime:
    month = sel.month_starts()[-2]
    return timezone.make_aware(datetime.datetime(month.year, month.month, 1))


class Lots:
    """Inspection lots written straight to the database (set-up, not behaviour)."""

    def __init__(self, user: Any) -> None:
        self.user = user
        self.plans: dict[tuple[int, str], InspectionPlan] = {}
        self.count = 0

    def plan(self, item: Any, gate: str) -> InspectionPlan:
        key = (item.pk, gate)
        if key not in self.plans:
            self.plans[key] = InspectionPlan.objects.create(
                item=item, gate=gate, owner=self.user, status="approved"
            )
        return self.plans[key]

    def make(
        self,
        supplier: Any,
        item: Any,
        *,
        created: datetime.datetime,
        decision: str = "",
        lead: datetime.timedelta | None = None,
        nonconforming: int = 0,
        samples: tuple[int, ...] = (50,),
        lot_size: int = 500,
        inspect_all: bool = False,
        gate: str = Gate.IQC,
        status: str = "",
        voided: bool = False,
    ) -> InspectionLot:
        self.count += 1
        lot = LotFactory(item=item, supplier=supplier, quantity=Decimal(lot_size))
        decided = bool(decision)
        il = InspectionLot.objects.create(
            number=f"IL-{self.count:05d}",
            lot=lot,
            gate=gate,
            plan=self.plan(item, gate),
            severity=Severity.NORMAL,
            item=item,
            supplier=supplier,
            lot_size=Decimal(lot_size),
            status=status or (InspectionStatus.DECIDED if decided else InspectionStatus.OPEN),
            decision=decision,
            nonconforming=nonconforming,
            decided_at=created + lead if decided and lead is not None else None,
            decided_by=self.user if decided else None,
            created_by=self.user,
            created_at=created,
            voided_at=timezone.now() if voided else None,
        )
        classes = (DefectClass.MA, DefectClass.MI, DefectClass.CR)
        for defect_class, n in zip(classes, samples, strict=False):
            LotSampling.objects.create(
                inspection_lot=il, defect_class=defect_class, method="gbt2828", level="II",
                aql="1.0", severity=Severity.NORMAL, code_letter="H", n=n, ac=1, re=2,
                inspect_all=inspect_all,
            )  # fmt: skip
        return il


@dataclass
class World:
    user: Any
    lots: Lots
    a: Any
    b: Any
    x: Any
    a_lots: dict[str, InspectionLot]


@pytest.fixture
def world() -> World:
    user = member([R.QUALITY_ENGINEER])
    lots = Lots(user)
    a = SupplierFactory(code="SA", name="甲供应商")
    b = SupplierFactory(code="SB", name="乙供应商")
    x = ItemFactory(part_number="X-1")
    t = _last_month_start() + datetime.timedelta(days=2)
    a_lots = {
        "A1": lots.make(a, x, created=t, decision=UsageDecision.ACCEPT, lead=2 * HOUR,
                        nonconforming=1, samples=(50, 32)),
        "A2": lots.make(a, x, created=t + HOUR, decision=UsageDecision.REJECT, lead=10 * HOUR,
                        nonconforming=5, samples=(80,), lot_size=1000),
        "A3": lots.make(a, x, created=t + 2 * HOUR, decision=UsageDecision.CONDITIONAL,
                        lead=4 * HOUR, nonconforming=3, samples=(50,)),
        "A4": lots.make(a, x, created=t + 3 * HOUR, decision=UsageDecision.ACCEPT,
                        lead=30 * HOUR, samples=(13,), lot_size=20, inspect_all=True),
        "A5": lots.make(a, x, created=t + 4 * HOUR),
        "A6": lots.make(a, x, created=t, decision=UsageDecision.ACCEPT, lead=HOUR,
                        voided=True),
        "A7": lots.make(a, x, created=t, decision=UsageDecision.REJECT, lead=HOUR,
                        gate=Gate.IPQC, nonconforming=7),
    }  # fmt: skip
    lots.make(b, x, created=timezone.now() - HOUR, decision=UsageDecision.ACCEPT, lead=HOUR / 2)
    return World(user=user, lots=lots, a=a, b=b, x=x, a_lots=a_lots)


def _client(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


# --- the figures ------------------------------------------------------------------------------


def test_acceptance_rate_ppm_and_lead_time_equal_the_hand_computed_values(world: World) -> None:
    rows = {r.supplier.code: r for r in sel.supplier_ranking(world.user)}
    m = rows["SA"].metrics
    assert (m.lots, m.decided, m.accepted, m.rejected, m.conditional) == (5, 4, 2, 1, 1)
    assert m.acceptance_rate == pytest.approx(50.0)
    assert m.nonconforming == 9
    assert m.inspected_units == Decimal(200)
    assert m.ppm == pytest.approx(45_000.0)
    assert m.rejected_ppm == pytest.approx(1000 / 2020 * 1e6)
    assert m.lead_median_hours == pytest.approx(7.0)
    assert m.lead_p90_hours == pytest.approx(24.0)
    assert rows["SB"].metrics.acceptance_rate == pytest.approx(100.0)


def test_the_percentile_is_postgresqls_percentile_cont() -> None:
    assert sel.percentile_cont([2, 4, 10, 30], 0.5) == 7
    assert sel.percentile_cont([2, 4, 10, 30], 0.9) == pytest.approx(24)
    assert sel.percentile_cont([5], 0.9) == 5
    assert sel.percentile_cont([], 0.5) is None


def test_the_ranking_sorts_by_any_column_and_puts_suppliers_without_a_value_last(
    world: World,
) -> None:
    c = SupplierFactory(code="SC")
    world.lots.make(c, world.x, created=timezone.now() - HOUR)  # open: no acceptance rate yet
    codes = [r.supplier.code for r in sel.supplier_ranking(world.user, sort="acceptance")]
    assert codes == ["SA", "SB", "SC"]
    codes = [r.supplier.code for r in sel.supplier_ranking(world.user, sort="-acceptance")]
    assert codes == ["SB", "SA", "SC"]
    codes = [r.supplier.code for r in sel.supplier_ranking(world.user, sort="-lots")]
    assert codes[0] == "SA"
    # An unknown key is the default, not an error.
    assert sel.sort_parse("-nonsense") == (sel.DEFAULT_SORT, False)


def test_the_scorecard_has_every_month_and_puts_each_lot_in_the_month_it_was_created(
    world: World,
) -> None:
    card = sel.supplier_scorecard(world.user, world.a)
    assert len(card.months) == 12
    assert card.months[-1].month == timezone.localdate().replace(day=1)
    by_month = {row.month: row.metrics for row in card.months}
    last = by_month[sel.month_starts()[-2]]
    assert (last.lots, last.accepted, last.rejected, last.conditional) == (5, 2, 1, 1)
    assert last.ppm == pytest.approx(45_000.0)
    assert sum(row.metrics.lots for row in card.months) == 5
    assert card.total.acceptance_rate == pytest.approx(50.0)
    six = sel.supplier_scorecard(world.user, world.a, months=6)
    assert len(six.months) == 6


def test_the_scorecard_per_item_splits_the_suppliers_lots(world: World) -> None:
    y = ItemFactory(part_number="Y-1")
    world.lots.make(world.a, y, created=timezone.now() - 3 * HOUR,
                    decision=UsageDecision.REJECT, lead=HOUR, nonconforming=2, samples=(20,))  # fmt: skip
    items = {r.item.part_number: r.metrics for r in sel.supplier_items(world.user, world.a)}
    assert items["Y-1"].acceptance_rate == 0
    assert items["Y-1"].ppm == pytest.approx(100_000.0)
    assert items["X-1"].lots == 5


def test_someone_without_the_permission_sees_no_supplier_figures(world: World) -> None:
    employee = member([R.EMPLOYEE])
    assert sel.supplier_ranking(employee) == []
    assert _client(employee).get(reverse("inspection:supplier_ranking")).status_code == 403


# --- the pages --------------------------------------------------------------------------------


def test_the_ranking_page_flags_a_suspended_supplier_and_shows_its_switching_state(
    world: World,
) -> None:
    world.a.status = SupplierStatus.SUSPENDED
    world.a.save(update_fields=["status"])
    SwitchingStream.objects.create(gate=Gate.IQC, item=world.x, supplier=world.a,
                                   state=Severity.TIGHTENED)  # fmt: skip
    client = _client(world.user)
    html = client.get(reverse("inspection:supplier_ranking"), {"sort": "-ppm"}).content.decode()
    assert "甲供应商" in html and "乙供应商" in html
    assert html.count("supplier-blocked") == 1  # A only
    detail = client.get(reverse("inspection:supplier_detail", args=[world.a.pk]))
    assert 'id="supplier-blocked"' in detail.content.decode()
    assert detail.context["card"].switching.state == Severity.TIGHTENED
    other = client.get(reverse("inspection:supplier_detail", args=[world.b.pk])).content.decode()
    assert 'id="supplier-blocked"' not in other


def test_the_ranking_and_the_scorecard_export_to_excel_with_the_same_figures(
    world: World,
) -> None:
    from openpyxl import load_workbook

    client = _client(world.user)
    response = client.get(reverse("inspection:supplier_ranking_xlsx"), {"sort": "code"})
    assert response.status_code == 200
    ws = load_workbook(io.BytesIO(response.content)).worksheets[0]
    rows = list(ws.iter_rows(values_only=True))
    a_row = next(r for r in rows if r[0] == "SA")
    header = rows[0]
    assert a_row[header.index(rows[0][3 + 5])] == pytest.approx(50.0)  # acceptance rate (%)
    assert a_row[3 + 8] == pytest.approx(45_000.0)  # sample PPM
    response = client.get(reverse("inspection:supplier_scorecard_xlsx", args=[world.a.pk]))
    ws = load_workbook(io.BytesIO(response.content)).worksheets[0]
    rows = list(ws.iter_rows(values_only=True))
    assert len(rows) == 1 + 12 + 1  # header, twelve months, the total
    assert rows[-1][1] == 5


def test_the_scorecard_pdf_is_a_pdf(world: World) -> None:
    response = _client(world.user).get(
        reverse("inspection:supplier_scorecard_pdf", args=[world.a.pk])
    )
    assert response.status_code == 200
    assert response.content.startswith(b"%PDF")


def test_the_ranking_page_asks_a_fixed_number_of_queries_however_many_lots(
    world: World, django_assert_max_num_queries: Any
) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = _client(world.user)
    url = reverse("inspection:supplier_ranking")
    client.get(url)
    data_version.changed()  # the navigation is computed afresh in both views
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    now = timezone.now()
    for n in range(12):
        supplier = SupplierFactory()
        world.lots.make(supplier, world.x, created=now - n * HOUR,
                        decision=UsageDecision.ACCEPT, lead=HOUR)  # fmt: skip
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(url)
    detail = reverse("inspection:supplier_detail", args=[world.a.pk])
    client.get(detail)
    data_version.changed()
    with CaptureQueriesContext(connection) as before:
        client.get(detail)
    for n in range(5):
        world.lots.make(world.a, ItemFactory(), created=now - n * HOUR,
                        decision=UsageDecision.REJECT, lead=HOUR)  # fmt: skip
    with django_assert_max_num_queries(len(before.captured_queries)):
        client.get(detail)


def test_the_supplier_scorecard_api_answers_json_with_the_same_figures(world: World) -> None:
    client = _client(world.user)
    body = client.get("/api/v1/inspection/supplier-scorecards/").json()
    a = next(s for s in body if s["supplier"]["code"] == "SA")
    assert a["acceptance_rate"] == 50.0
    assert a["ppm"] == 45000.0
    assert a["lead_time_median_hours"] == 7.0
    card = client.get(f"/api/v1/inspection/supplier-scorecards/{world.a.pk}/").json()
    assert len(card["months"]) == 12
    assert card["total"]["conditional"] == 1
    assert client.get("/api/v1/inspection/supplier-scorecards/", {"months": "7"}).status_code == 400
    assert client.get("/api/v1/inspection/supplier-scorecards/999999/").status_code == 404


# --- the panels and the queue ------------------------------------------------------------------


def _panel(client: Client, key: str) -> Any:
    response = client.get("/")
    return next((rp for rp in response.context["panels"] if rp.key == key), None)


def test_the_panel_lists_a_discontinued_supplier_before_a_tightened_one(world: World) -> None:
    SwitchingStream.objects.create(gate=Gate.IQC, item=world.x, supplier=world.b,
                                   state=Severity.TIGHTENED)  # fmt: skip
    SwitchingStream.objects.create(gate=Gate.IQC, item=world.x, supplier=world.a,
                                   state=Severity.DISCONTINUED)  # fmt: skip
    SwitchingStream.objects.create(gate=Gate.IQC, item=ItemFactory(), supplier=world.b,
                                   state=Severity.NORMAL)  # fmt: skip
    panel = _panel(_client(member([R.CQO])), "suppliers_on_watch")
    titles = [item.title for item in panel.items]
    assert len(titles) == 2
    assert titles[0].startswith("SA") and titles[1].startswith("SB")
    assert panel.items[0].tone == "danger"


def test_the_inspectors_home_shows_the_queue_oldest_first(world: World) -> None:
    now = timezone.now()
    c = SupplierFactory(code="SQ")
    newest = world.lots.make(c, world.x, created=now - HOUR)
    middle = world.lots.make(c, world.x, created=now - 40 * HOUR,
                             status=InspectionStatus.IN_PROGRESS)  # fmt: skip
    world.lots.make(c, world.x, created=now - 2 * HOUR, decision=UsageDecision.ACCEPT, lead=HOUR)
    inspector = member([R.INSPECTOR])
    client = _client(inspector)
    panel = _panel(client, "lots_to_inspect")
    numbers = [item.title.split(" · ")[0] for item in panel.items]
    oldest = world.a_lots["A5"].number  # last month, still open
    assert numbers == [oldest, middle.number, newest.number]
    assert [item.tone for item in panel.items] == ["danger", "warning", ""]
    html = client.get("/").content.decode()
    assert "后续版本" not in html.split('id="panel-lots_to_inspect"')[1].split("</section>")[0]
    # The queue page itself, filtered by gate.
    queue = client.get(reverse("inspection:queue"), {"gate": "iqc"})
    assert queue.status_code == 200
    listed = [r["ilot"].number for r in queue.context["rows"]]
    assert listed == [oldest, middle.number, newest.number]
    assert client.get(reverse("inspection:queue"), {"gate": "oqc"}).context["rows"] == []
    assert [r["ilot"].number for r in
            client.get(reverse("inspection:queue"), {"age": "1to3"}).context["rows"]] == [
        middle.number
    ]  # fmt: skip


def test_the_age_panel_counts_lots_per_bucket_and_gate(world: World) -> None:
    now = timezone.now()
    world.lots.make(world.b, world.x, created=now - HOUR, gate=Gate.OQC)
    world.lots.make(world.b, world.x, created=now - 50 * HOUR)
    panel = _panel(_client(member([R.QUALITY_ENGINEER])), "lots_awaiting_age")
    assert [item.tone for item in panel.items] == ["danger", "warning", ""]
    assert panel.items[0].title.endswith(" 1") or "1" in panel.items[0].title


def test_the_rejected_panel_lists_rejected_lots_until_they_get_a_disposition(
    world: World,
) -> None:
    client = _client(member([R.CQO]))
    panel = _panel(client, "lots_rejected")
    # Latest decision first: A2 was decided at t + 11 h, A7 at t + 1 h.
    assert [i.title.split(" · ")[0] for i in panel.items] == [world.a_lots["A2"].number,
                                                              world.a_lots["A7"].number]  # fmt: skip
    Disposition.objects.create(inspection_lot=world.a_lots["A2"], kind="return",
                               quantity=Decimal(1000), decided_by=world.user)  # fmt: skip
    panel = _panel(client, "lots_rejected")
    assert [i.title.split(" · ")[0] for i in panel.items] == [world.a_lots["A7"].number]


def test_the_acceptance_panel_draws_each_gates_rate_by_month(world: World) -> None:
    panel = _panel(_client(member([R.DEPUTY])), "acceptance_by_gate")
    assert panel.chart is not None
    series = {s["name"]: s["data"] for s in panel.chart["series"]}
    iqc = (
        series[str(Gate.IQC.label)]
        if str(Gate.IQC.label) in series
        else next(iter(series.values()))
    )
    assert len(iqc) == 12
    assert 50.0 in iqc or 100.0 in iqc


def test_the_top_defects_panel_is_a_pareto_of_the_last_90_days(world: World) -> None:
    inspector = world.user
    char = AttributeCharacteristicFactory(item=world.x, code="VIS", name="外观")
    il = world.a_lots["A2"]
    now = timezone.now()

    def result(sample: int, defect: str, when: datetime.datetime) -> None:
        Measurement.objects.create(inspection_lot=il, characteristic=char, sample_no=sample,
                                   defects=1, conforming=False, defect_type=defect,
                                   measured_at=when, recorded_by=inspector)  # fmt: skip

    for n in range(3):
        result(n + 1, "划伤", now - HOUR)
    result(4, "毛刺", now - HOUR)
    result(5, "锈蚀", now - datetime.timedelta(days=120))  # too old
    panel = _panel(_client(member([R.QUALITY_ENGINEER])), "top_defects")
    assert [i.title for i in panel.items] == ["划伤", "毛刺"]
    assert "75.0" in panel.items[0].meta


def test_the_dashboard_of_a_quality_engineer_asks_a_fixed_number_of_queries(
    world: World, django_assert_max_num_queries: Any
) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    for role in (R.QUALITY_ENGINEER, R.INSPECTOR):
        client = _client(member([role]))
        client.get("/")
        data_version.changed()
        with CaptureQueriesContext(connection) as few:
            client.get("/")
        now = timezone.now()
        for n in range(20):
            s = SupplierFactory()
            world.lots.make(s, world.x, created=now - n * 7 * HOUR)
            world.lots.make(s, world.x, created=now - n * HOUR, decision=UsageDecision.REJECT,
                            lead=HOUR)  # fmt: skip
            SwitchingStream.objects.create(gate=Gate.IQC, item=world.x, supplier=s,
                                           state=Severity.TIGHTENED)  # fmt: skip
        data_version.changed()
        with django_assert_max_num_queries(len(few.captured_queries) + 3) as many:
            client.get("/")
        # The "and N more" counts are the only queries added by full lists.
        assert len(many.captured_queries) <= len(few.captured_queries) + 3
