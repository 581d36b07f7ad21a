"""The workbench panel of SPC alarms (§7.2.3.2): the open ones, newest first."""

from __future__ import annotations

from typing import Any

from django.urls import reverse

from cqo.workbench.panels import PanelItem, PanelItems

from .models import AlarmStatus
from .selectors_spc import alarms_visible

SHOWN = 6


def spc_alarm_items(user: Any) -> PanelItems:
    qs = alarms_visible(user, status=AlarmStatus.OPEN)
    total = qs.count()
    items = [
        PanelItem(
            title=f"{alarm.characteristic.item.part_number} · {alarm.characteristic}",
            url=reverse("inspection:spc_alarm_detail", args=[alarm.pk]),
            meta=f"{alarm.point_label} · {alarm.rules}",
            when=alarm.raised_at,
            clause="§7.2.3.2",
            tone="danger",
        )
        for alarm in qs[:SHOWN]
    ]
    return PanelItems(items, total)
