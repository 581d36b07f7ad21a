"""SPC on the measurements (§7.2.3.2): charts live from the results, phase I limits frozen by a
quality engineer, alarms on the monitored points, capability and its overview."""

from __future__ import annotations

import io
import json
from typing import Any

import numpy as np
import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from openpyxl import load_workbook

from cqo.audit.models import AuditEvent
from cqo.inspection import selectors_spc as sel
from cqo.inspection import services_spc as S
from cqo.inspection import signals
from cqo.inspection.models import AlarmStatus, ChartKind, ControlLimits, SpcAlarm
from cqo.masterdata import events
from cqo.methods import charts as C
from cqo.methods.capability import capability
from cqo.testing.spc import SpcWorld, stable
from cqo.testing.world import Org

pytestmark = pytest.mark.django_db


@pytest.fixture
def org(db: Any) -> Org:
    return Org()


@pytest.fixture
def world(org: Org) -> SpcWorld:
    w = SpcWorld(org.inspector)
    w.add(stable(25))
    return w


def _freeze(org: Org, world: SpcWorld, **kw: Any) -> ControlLimits:
    args = {"chart": ChartKind.XBAR_R, "first": 1, "last": 25, "reason": "稳定的25批"}
    args.update(kw)
    return S.control_limits_freeze(actor=org.engineer, characteristic=world.characteristic, **args)


def _record(world: SpcWorld, subgroups: list[list[float]], capture: Any) -> None:
    """What the results part does: save the values, then send results_recorded on commit."""
    made = world.add(subgroups)
    with capture(execute=True):
        from django.db import transaction

        transaction.on_commit(
            lambda: signals.results_recorded.send(
                sender=None,
                inspection_lot=made[-1],
                characteristic_ids={world.characteristic.pk},
                actor=world.user,
            )
        )


# --- the chart ------------------------------------------------------------------------------------


def test_the_chart_is_drawn_from_the_lots_as_subgroups_with_the_methods_limits(
    world: SpcWorld,
) -> None:
    chart = sel.spc_chart(world.characteristic)
    values = np.array(stable(25))
    expected = C.xbar_chart(C.subgroups_from_matrix(values))
    assert chart.chart == ChartKind.XBAR_R == chart.suggested
    assert chart.k == 25
    assert chart.labels[0] == world.lots[0].number
    assert chart.main is not None
    assert chart.main.center == pytest.approx(expected.center)
    assert chart.main.ucl[0] == pytest.approx(expected.ucl[0])
    assert chart.phase2_from is None


def test_individual_values_get_an_i_mr_chart_and_large_subgroups_an_xbar_s_chart(
    org: Org,
) -> None:
    single = SpcWorld(org.inspector)
    single.add(stable(30, n=1))
    assert sel.spc_chart(single.characteristic).chart == ChartKind.IMR
    large = SpcWorld(org.inspector)
    large.add(stable(20, n=12))
    assert sel.spc_chart(large.characteristic).chart == ChartKind.XBAR_S
    # The user may switch: the same values as I-MR, one point per value.
    switched = sel.spc_chart(large.characteristic, ChartKind.IMR)
    assert switched.chart == ChartKind.IMR and switched.k == 240


def test_voided_values_are_left_out_of_the_chart(world: SpcWorld) -> None:
    from django.utils import timezone

    from cqo.inspection.models import Measurement

    before = sel.spc_chart(world.characteristic).values_count
    Measurement.objects.filter(inspection_lot=world.lots[0], sample_no=1).update(
        voided_at=timezone.now(), void_reason="typo"
    )
    assert sel.spc_chart(world.characteristic).values_count == before - 1


def test_the_chart_page_sends_compact_json_with_the_flagged_points_and_their_rules(
    client: Any, org: Org, world: SpcWorld
) -> None:
    world.add([[10.2] * 5])  # far beyond the trial UCL
    client.force_login(org.inspector)
    response = client.get(reverse("inspection:spc_chart", args=[world.characteristic.pk]))
    assert response.status_code == 200
    html = response.content.decode()
    start = html.index('id="spc-data"')
    payload = json.loads(html[html.index(">", start) + 1 : html.index("</script>", start)])
    assert len(payload["labels"]) == 26
    assert len(payload["main"]["values"]) == 26
    flagged = dict(payload["flags"])
    assert "nelson1" in flagged[25].split(",")
    assert "workbench/vendor/echarts/echarts.min.js" in html
    assert "cdn" not in html.lower()


# --- phase I, phase II and alarms -----------------------------------------------------------------


def test_a_shift_after_the_freeze_is_flagged_and_raises_one_alarm_and_the_event(
    org: Org, world: SpcWorld, django_capture_on_commit_callbacks: Any
) -> None:
    limits = _freeze(org, world)
    heard: list[dict[str, Any]] = []

    def receiver(sender: Any, **kwargs: Any) -> None:
        heard.append(kwargs)

    events.spc_alarm_raised.connect(receiver)
    try:
        shifted = (np.array(stable(1, seed=99)) + 6 * limits.sigma).tolist()
        _record(world, shifted, django_capture_on_commit_callbacks)
    finally:
        events.spc_alarm_raised.disconnect(receiver)
    alarm = SpcAlarm.objects.get()
    expected = C.xbar_chart(
        C.subgroups_from_matrix(np.array(shifted)), center=limits.centre, sigma=limits.sigma
    )
    assert alarm.rules.split(",") == expected.violation_lists()[0]
    assert "nelson1" in alarm.rules.split(",")
    assert alarm.point_label == world.lots[-1].number
    assert alarm.inspection_lot == world.lots[-1]
    assert alarm.status == AlarmStatus.OPEN
    assert [h["alarm"] for h in heard] == [alarm]
    assert heard[0]["characteristic"] == world.characteristic
    chart = sel.spc_chart(world.characteristic, ChartKind.XBAR_R)
    assert chart.phase2_from == 25
    assert chart.monitored_flags() == {25: alarm.rules.split(",")}
    assert AuditEvent.objects.filter(action="inspection.spcalarm.raise").count() == 1


def test_the_same_signal_raises_no_second_alarm(
    org: Org, world: SpcWorld, django_capture_on_commit_callbacks: Any
) -> None:
    limits = _freeze(org, world)
    _record(
        world,
        (np.array(stable(1, seed=5)) + 6 * limits.sigma).tolist(),
        django_capture_on_commit_callbacks,
    )
    assert SpcAlarm.objects.count() == 1
    assert S.spc_evaluate(characteristic_ids=[world.characteristic.pk]) == []
    assert SpcAlarm.objects.count() == 1


def test_points_in_control_after_the_freeze_raise_nothing(
    org: Org, world: SpcWorld, django_capture_on_commit_callbacks: Any
) -> None:
    _freeze(org, world)
    _record(world, stable(3, seed=11), django_capture_on_commit_callbacks)
    assert SpcAlarm.objects.count() == 0


def test_results_on_a_characteristic_without_limits_start_no_job(
    world: SpcWorld, monkeypatch: pytest.MonkeyPatch, django_capture_on_commit_callbacks: Any
) -> None:
    started: list[Any] = []
    monkeypatch.setattr(S, "spc_evaluate_later", lambda ids: started.append(ids))
    _record(world, [[10.3] * 5], django_capture_on_commit_callbacks)
    assert started == []
    assert SpcAlarm.objects.count() == 0


def test_a_sustained_shift_alarms_where_each_rule_starts_not_at_every_point(
    org: Org, world: SpcWorld, django_capture_on_commit_callbacks: Any
) -> None:
    limits = _freeze(org, world)
    # The process mean moved by 1.5 σ of the subgroup means for twelve lots.
    se = limits.sigma / np.sqrt(5)
    shifted = (np.array(stable(12, seed=3)) + 1.5 * se).tolist()
    _record(world, shifted, django_capture_on_commit_callbacks)
    chart = sel.spc_chart(world.characteristic, ChartKind.XBAR_R)
    flagged = chart.monitored_flags()
    assert flagged, "the shift must be caught"
    onsets = sel.alarm_onsets([chart.tokens[i] for i in range(25, chart.k)])
    assert SpcAlarm.objects.count() == len(onsets) < len(flagged)


def test_individual_values_are_monitored_one_by_one_and_an_outlier_raises_an_alarm(
    org: Org, django_capture_on_commit_callbacks: Any
) -> None:
    patrol = SpcWorld(org.inspector)
    patrol.add(stable(30, n=1))
    limits = S.control_limits_freeze(
        actor=org.engineer,
        characteristic=patrol.characteristic,
        chart=ChartKind.IMR,
        first=1,
        last=30,
        reason="巡检读数稳定",
    )
    assert limits.limits["dispersion"]["type"] == "mr"
    _record(patrol, [[limits.centre + 5 * limits.sigma]], django_capture_on_commit_callbacks)
    alarm = SpcAlarm.objects.get()
    assert alarm.point_label == f"{patrol.lots[-1].number}/1"
    assert "nelson1" in alarm.rules.split(",")
    chart = sel.spc_chart(patrol.characteristic)
    assert chart.chart == ChartKind.IMR and chart.phase2_from == 30


def test_freezing_needs_a_reason(org: Org, world: SpcWorld) -> None:
    with pytest.raises(ValidationError) as exc:
        _freeze(org, world, reason="  ")
    assert "reason" in exc.value.message_dict
    assert ControlLimits.objects.count() == 0


def test_freezing_needs_the_quality_engineer_role(org: Org, world: SpcWorld) -> None:
    with pytest.raises(PermissionDenied):
        S.control_limits_freeze(
            actor=org.inspector,
            characteristic=world.characteristic,
            chart=ChartKind.XBAR_R,
            first=1,
            last=25,
            reason="稳定",
        )
    assert ControlLimits.objects.count() == 0


def test_the_freeze_form_refuses_an_inspector_and_writes_nothing(
    client: Any, org: Org, world: SpcWorld
) -> None:
    client.force_login(org.inspector)
    url = reverse("inspection:spc_chart", args=[world.characteristic.pk])
    response = client.post(url, {"chart": "xbar_r", "first": 1, "last": 25, "reason": "x"})
    assert response.status_code == 403
    assert ControlLimits.objects.count() == 0


def test_a_quality_engineer_freezes_on_the_page_and_it_is_audited(
    client: Any, org: Org, world: SpcWorld
) -> None:
    client.force_login(org.engineer)
    url = reverse("inspection:spc_chart", args=[world.characteristic.pk])
    response = client.post(url, {"chart": "xbar_r", "first": 1, "last": 25, "reason": "首批稳定"})
    assert response.status_code == 302
    limits = ControlLimits.objects.get()
    event = AuditEvent.objects.get(action="inspection.controllimits.freeze")
    assert event.clause == "§7.2.3.2"
    assert event.object_id == str(limits.pk)
    assert limits.limits["main"]["ucl"] > limits.centre > limits.limits["main"]["lcl"]
    assert limits.limits["dispersion"]["type"] == "r"
    assert limits.subgroups == 25
    assert limits.phase_start == world.lots[0].created_at
    # A blank reason is refused on the form, naming the field.
    response = client.post(url, {"chart": "xbar_r", "first": 1, "last": 25, "reason": ""})
    assert response.status_code == 200
    assert ControlLimits.objects.count() == 1


def test_too_few_phase_i_points_are_refused(org: Org, world: SpcWorld) -> None:
    with pytest.raises(ValidationError) as exc:
        _freeze(org, world, first=10, last=25)
    assert "first" in exc.value.message_dict


def test_a_new_freeze_supersedes_the_old_limits_and_deletes_nothing(
    org: Org, world: SpcWorld
) -> None:
    old = _freeze(org, world)
    world.add(stable(5, seed=21))
    new = _freeze(org, world, first=6, last=30, reason="换刀后")
    old.refresh_from_db()
    assert old.superseded_at is not None
    assert new.superseded_at is None
    assert ControlLimits.objects.count() == 2
    assert sel.limits_in_force(world.characteristic.pk, ChartKind.XBAR_R) == new
    assert AuditEvent.objects.filter(action="inspection.controllimits.supersede").count() == 1


def test_an_alarm_is_acknowledged_and_closed_with_a_note_and_audited(
    org: Org, world: SpcWorld, django_capture_on_commit_callbacks: Any
) -> None:
    limits = _freeze(org, world)
    _record(
        world,
        (np.array(stable(1, seed=8)) + 6 * limits.sigma).tolist(),
        django_capture_on_commit_callbacks,
    )
    alarm = SpcAlarm.objects.get()
    with pytest.raises(ValidationError):
        S.spc_alarm_acknowledge(actor=org.engineer, alarm=alarm, note="")
    with pytest.raises(PermissionDenied):
        S.spc_alarm_close(actor=org.inspector, alarm=alarm, note="看过")
    S.spc_alarm_acknowledge(actor=org.engineer, alarm=alarm, note="刀具磨损，已更换")
    alarm = S.spc_alarm_close(actor=org.engineer, alarm=alarm, note="复测合格")
    assert alarm.status == AlarmStatus.CLOSED
    assert "刀具磨损" in alarm.note and "复测合格" in alarm.note
    assert list(
        AuditEvent.objects.filter(action__startswith="inspection.spcalarm.")
        .values_list("action", flat=True)
        .order_by("seq")
    ) == [
        "inspection.spcalarm.raise",
        "inspection.spcalarm.acknowledge",
        "inspection.spcalarm.close",
    ]
    with pytest.raises(ValidationError):
        S.spc_alarm_close(actor=org.engineer, alarm=alarm, note="again")


def test_the_workbench_panel_lists_open_alarms(
    client: Any, org: Org, world: SpcWorld, django_capture_on_commit_callbacks: Any
) -> None:
    from cqo.inspection.panels_spc import spc_alarm_items

    limits = _freeze(org, world)
    _record(
        world,
        (np.array(stable(1, seed=8)) + 6 * limits.sigma).tolist(),
        django_capture_on_commit_callbacks,
    )
    items = spc_alarm_items(org.engineer)
    assert items.total == 1
    assert world.lots[-1].number in items.items[0].meta
    client.force_login(org.engineer)
    page = client.get(reverse("workbench:dashboard")).content.decode()
    assert world.lots[-1].number in page


# --- capability -----------------------------------------------------------------------------------


def test_capability_numbers_on_the_page_equal_methods_capability_on_the_same_values(
    client: Any, org: Org, world: SpcWorld
) -> None:
    client.force_login(org.auditor)
    response = client.get(reverse("inspection:spc_capability", args=[world.characteristic.pk]))
    assert response.status_code == 200
    html = response.content.decode()
    values = np.array(stable(25))
    expected = capability(
        values.ravel(),
        np.repeat(np.arange(25), 5).tolist(),
        lsl=9.95,
        usl=10.05,
        target=10.0,
    )
    for name in ("cp", "cpk", "pp", "ppk"):
        marker = f'data-index="{name}" data-value="'
        at = html.index(marker) + len(marker)
        shown = float(html[at : html.index('"', at)])
        assert shown == pytest.approx(getattr(expected, name), rel=1e-12), name


def test_capability_uses_the_latest_subgroups_only(org: Org) -> None:
    w = SpcWorld(org.inspector)
    w.add(stable(sel.CAPABILITY_SUBGROUPS + 10, sigma=0.02))
    cap = sel.capability_of(w.characteristic)
    assert cap.subgroups == sel.CAPABILITY_SUBGROUPS
    assert cap.values.shape[0] == sel.CAPABILITY_SUBGROUPS * 5


def test_the_capability_pdf_has_the_indices_in_chinese_and_english(
    client: Any, org: Org, world: SpcWorld
) -> None:
    from cqo.inspection.documents_spc import capability_pdf
    from cqo.testing.pdf import pdf_text

    text = pdf_text(capability_pdf(world.characteristic))
    assert "过程能力" in text and "Cpk" in text
    english = pdf_text(capability_pdf(world.characteristic, language="en"))
    assert "Process capability" in english
    client.force_login(org.engineer)
    response = client.get(reverse("inspection:spc_capability_pdf", args=[world.characteristic.pk]))
    assert response["Content-Type"] == "application/pdf"


def _with_cpk(org: Org, target: float, seed: int) -> SpcWorld:
    """A special characteristic whose data give about the wanted Cpk (σ chosen, then checked)."""
    w = SpcWorld(org.inspector, special=True)
    values = np.array(stable(30, sigma=0.05 / (3 * target), seed=seed))
    w.add(values.tolist())
    return w


def test_the_overview_colours_cpk_0_9_red_and_1_2_amber(client: Any, org: Org) -> None:
    red = _with_cpk(org, 0.9, seed=1)
    amber = _with_cpk(org, 1.2, seed=2)
    green = _with_cpk(org, 2.0, seed=3)
    cpk = {w: sel.capability_of(w.characteristic).cpk for w in (red, amber, green)}
    assert cpk[red] is not None and cpk[red] < 1.0
    assert cpk[amber] is not None and 1.0 <= cpk[amber] < 1.33
    assert cpk[green] is not None and cpk[green] >= 1.33
    client.force_login(org.cqo)
    html = client.get(reverse("inspection:spc_overview")).content.decode()
    for w, tone in ((red, "danger"), (amber, "warning"), (green, "ok")):
        assert f'data-characteristic="{w.characteristic.pk}" data-tone="{tone}"' in html
    # Sorted by Cpk, the worst first.
    positions = [
        html.index(f'data-characteristic="{w.characteristic.pk}"') for w in (red, amber, green)
    ]
    assert positions == sorted(positions)
    assert sel.cpk_tone(0.9) == "danger" and sel.cpk_tone(1.2) == "warning"


def test_the_overview_leaves_out_characteristics_that_are_not_special(
    client: Any, org: Org, world: SpcWorld
) -> None:
    client.force_login(org.cqo)
    html = client.get(reverse("inspection:spc_overview")).content.decode()
    assert f'data-characteristic="{world.characteristic.pk}"' not in html


def test_the_overview_exports_to_excel(client: Any, org: Org) -> None:
    red = _with_cpk(org, 0.9, seed=1)
    client.force_login(org.cqo)
    response = client.get(reverse("inspection:spc_overview_xlsx"))
    assert response.status_code == 200
    ws = load_workbook(io.BytesIO(response.content)).active
    rows = list(ws.iter_rows(values_only=True))
    assert rows[0][11] == "Cpk"
    assert rows[1][0] == red.item.part_number
    assert rows[1][11] == pytest.approx(round(sel.capability_of(red.characteristic).cpk, 3))


# --- the lot page and the API ---------------------------------------------------------------------


def test_the_lot_page_part_links_the_lot_s_variable_characteristics(
    org: Org, world: SpcWorld
) -> None:
    from django.template.loader import render_to_string

    from cqo.testing.masterdata import AttributeCharacteristicFactory

    AttributeCharacteristicFactory(item=world.item)
    html = render_to_string(
        "inspection/spc/_lot_spc.html", {"ilot": world.lots[0], "lot": world.lots[0].lot}
    )
    assert reverse("inspection:spc_chart", args=[world.characteristic.pk]) in html
    assert html.count("/inspection/spc/characteristics/") == 1


def test_the_api_gives_chart_data_and_capability(client: Any, org: Org, world: SpcWorld) -> None:
    client.force_login(org.auditor)
    base = f"/api/v1/inspection/spc/characteristics/{world.characteristic.pk}"
    chart = client.get(f"{base}/chart/?chart=xbar_s").json()
    assert chart["chart"] == "xbar_s" and len(chart["labels"]) == 25
    cap = client.get(f"{base}/capability/").json()
    assert cap["cpk"] == pytest.approx(sel.capability_of(world.characteristic).cpk)
    assert set(cap["intervals"]["cpk"]) and cap["normality"]["test"]


def test_the_api_freezes_for_a_quality_engineer_only_and_needs_a_reason(
    client: Any, org: Org, world: SpcWorld
) -> None:
    url = f"/api/v1/inspection/spc/characteristics/{world.characteristic.pk}/limits/"
    body = {"chart": "xbar_r", "first": 1, "last": 25, "reason": "稳定"}
    client.force_login(org.inspector)
    assert client.post(url, body, content_type="application/json").status_code == 403
    client.force_login(org.engineer)
    blank = client.post(url, {**body, "reason": ""}, content_type="application/json")
    assert blank.status_code == 400 and "reason" in blank.json()
    made = client.post(url, body, content_type="application/json")
    assert made.status_code == 201
    assert client.get(url).json()[0]["id"] == made.json()["id"]


def test_the_api_closes_an_alarm_with_a_note(
    client: Any, org: Org, world: SpcWorld, django_capture_on_commit_callbacks: Any
) -> None:
    limits = _freeze(org, world)
    _record(
        world,
        (np.array(stable(1, seed=8)) + 6 * limits.sigma).tolist(),
        django_capture_on_commit_callbacks,
    )
    alarm = SpcAlarm.objects.get()
    client.force_login(org.engineer)
    listed = client.get("/api/v1/inspection/spc/alarms/?status=open").json()
    rows = listed["results"] if isinstance(listed, dict) else listed
    assert [a["id"] for a in rows] == [alarm.pk]
    url = f"/api/v1/inspection/spc/alarms/{alarm.pk}/close/"
    assert client.post(url, {"note": ""}, content_type="application/json").status_code == 400
    done = client.post(url, {"note": "已处理"}, content_type="application/json")
    assert done.status_code == 200 and done.json()["status"] == "closed"


def test_freezing_limits_on_a_characteristic_without_results_is_a_clear_error(
    client: Any, org: Org
) -> None:
    from cqo.testing.masterdata import CharacteristicFactory

    bare = CharacteristicFactory()
    client.force_login(org.cqo)
    response = client.post(
        f"/api/v1/inspection/spc/characteristics/{bare.pk}/limits/",
        data=json.dumps({"chart": "xbar_r", "first": 1, "last": 25, "reason": "稳定"}),
        content_type="application/json",
    )
    assert response.status_code == 400
    assert not ControlLimits.objects.filter(characteristic=bare).exists()
