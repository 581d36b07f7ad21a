"""The SPC part's rows of the permission matrix (merged by ``matrix.py``): every member reads the
charts, capability and alarms; quality engineers and the CQO freeze limits; quality engineers,
the CQO and the deputy handle alarms."""

from __future__ import annotations

from typing import Any

from cqo.testing.matrix import ANONYMOUS

FREEZERS = ("quality_engineer", "cqo")
HANDLERS = ("quality_engineer", "cqo", "deputy")

PAGE = {ANONYMOUS: 302, "*": 200}
API = {ANONYMOUS: 403, "*": 200}
API_POST_ONLY = {ANONYMOUS: 403, "*": 405}

EXPECTED: dict[str, dict[str, int]] = {
    "inspection:spc_index": PAGE,
    "inspection:spc_chart": PAGE,
    "inspection:spc_capability": PAGE,
    "inspection:spc_capability_pdf": PAGE,
    "inspection:spc_overview": PAGE,
    "inspection:spc_overview_xlsx": PAGE,
    "inspection:spc_alarm_list": PAGE,
    "inspection:spc_alarm_detail": PAGE,
    "api:inspection:spc-characteristic-chart": API,
    "api:inspection:spc-characteristic-capability": API,
    "api:inspection:spc-characteristic-limits": API,
    "api:inspection:spc-limits-list": API,
    "api:inspection:spc-limits-detail": API,
    "api:inspection:spc-alarm-list": API,
    "api:inspection:spc-alarm-detail": API,
    "api:inspection:spc-alarm-acknowledge": API_POST_ONLY,
    "api:inspection:spc-alarm-close": API_POST_ONLY,
}

API_WRITERS: dict[str, tuple[str, ...]] = {
    "api:inspection:spc-characteristic-limits": FREEZERS,
    "api:inspection:spc-alarm-acknowledge": HANDLERS,
    "api:inspection:spc-alarm-close": HANDLERS,
}

OBJECT_FOR_PK = {
    "inspection:spc_chart": "spc.characteristic",
    "inspection:spc_capability": "spc.characteristic",
    "api:inspection:spc-characteristic-": "spc.characteristic",
    "api:inspection:spc-limits-": "spc.limits",
    "inspection:spc_alarm_": "spc.alarm",
    "api:inspection:spc-alarm-": "spc.alarm",
}


def build(world: Any) -> None:
    """A characteristic with 25 stable lots and frozen limits, and one lot far off: an alarm."""
    import numpy as np

    from cqo.inspection.models import ChartKind, SpcAlarm
    from cqo.inspection.services_spc import control_limits_freeze, spc_evaluate
    from cqo.testing.spc import SpcWorld, stable

    spc = SpcWorld(world.users["inspector"], special=True)
    spc.add(stable(25))
    limits = control_limits_freeze(
        actor=world.users["quality_engineer"],
        characteristic=spc.characteristic,
        chart=ChartKind.XBAR_R,
        first=1,
        last=25,
        reason="matrix",
    )
    spc.add((np.array(stable(1, seed=9)) + 6 * limits.sigma).tolist())
    spc_evaluate(characteristic_ids=[spc.characteristic.pk])
    world.objects.update(
        {
            "spc.characteristic": spc.characteristic,
            "spc.limits": limits,
            "spc.alarm": SpcAlarm.objects.get(limits=limits),
        }
    )
