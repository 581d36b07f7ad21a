"""SPC in a browser (§7.2.3.2): a quality engineer opens a characteristic's chart, sees it drawn
by the local ECharts, freezes phase I limits on the page; a shifted lot recorded after the freeze
is flagged on the chart and its alarm is closed with a note. In Chinese and in English."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest
from django.db import transaction

from cqo.inspection import signals
from cqo.inspection.models import AlarmStatus, ControlLimits, SpcAlarm
from cqo.testing.spc import SpcWorld, stable
from cqo.testing.world import PASSWORD, Org

TEXT = {
    "zh-hans": {"freeze": "冻结控制限", "frozen": "第一阶段控制限已冻结", "close": "关闭"},
    "en": {
        "freeze": "Freeze the limits",
        "frozen": "Phase I limits were frozen",
        "close": "Close",
    },
}


def _sign_in(page: Any, base: str, username: str, language: str) -> None:
    page.goto(f"{base}/accounts/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    page.locator('form[action$="/accounts/login/"] button[type=submit]').click()
    page.wait_for_url(f"{base}/")
    if language == "en":
        page.locator(".lang-switch button[value=en]").click()
        page.wait_for_load_state()


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_a_quality_engineer_freezes_limits_and_sees_the_shift_flagged(
    page: Any, live_server: Any, language: str
) -> None:
    words = TEXT[language]
    org = Org()
    world = SpcWorld(org.inspector)
    world.add(stable(25))
    base = live_server.url
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    _sign_in(page, base, org.engineer.username, language)
    page.goto(f"{base}/inspection/spc/characteristics/{world.characteristic.pk}/")
    # The local ECharts drew both charts into their canvases.
    page.wait_for_selector(".spc-chart[data-part=main] canvas")
    page.wait_for_selector(".spc-chart[data-part=dispersion] canvas")
    page.fill("textarea[name=reason]", "首批25批稳定")
    page.get_by_role("button", name=words["freeze"]).click()
    page.wait_for_load_state()
    assert words["frozen"] in page.content()
    limits = ControlLimits.objects.get()
    with transaction.atomic():
        made = world.add((np.array(stable(1, seed=4)) + 6 * limits.sigma).tolist())
        transaction.on_commit(
            lambda: signals.results_recorded.send(
                sender=None,
                inspection_lot=made[-1],
                characteristic_ids={world.characteristic.pk},
                actor=org.inspector,
            )
        )
    alarm = SpcAlarm.objects.get()
    page.goto(f"{base}/inspection/spc/characteristics/{world.characteristic.pk}/?chart=xbar_r")
    page.wait_for_selector(".spc-chart[data-part=main] canvas")
    flags = page.locator("#spc-flags tbody tr")
    assert flags.count() == 1
    assert made[-1].number in flags.first.inner_text()
    assert "nelson1" in flags.first.inner_text()
    page.goto(f"{base}/inspection/spc/alarms/{alarm.pk}/")
    page.fill("textarea[name=note]", "刀具磨损，已更换")
    page.get_by_role("button", name=words["close"], exact=True).click()
    page.wait_for_load_state()
    alarm.refresh_from_db()
    assert alarm.status == AlarmStatus.CLOSED
    assert errors == []
