"""The performance demo: objectives of the enterprise cascaded to five units with computed
actuals, and one round of their owners signed by the CQO (§7.1.2, §6 g))."""

from __future__ import annotations

import pytest

from cqo.core.demo import DemoContext
from cqo.performance import demo
from cqo.performance.models import Objective, RoundStatus
from cqo.testing.factories import UnitFactory, member
from cqo.testing.world import PASSWORD, Org


@pytest.mark.django_db
def test_the_demo_cascades_objectives_to_five_units_and_signs_one_round() -> None:
    org = Org()
    ctx = DemoContext(password=PASSWORD)
    units = {code: UnitFactory(parent=org.root, code=code, name=code)
             for code in ("PU", "PD-MC", "PD-DC", "PD-AS", "SA")}  # fmt: skip
    users = {"cqo": org.cqo, "deputy": org.deputy, "qe1": org.engineer}
    for code, username in (("PU", "head_purchasing"), ("PD-MC", "head_machining"),
                           ("PD-DC", "head_diecast"), ("PD-AS", "head_assembly"),
                           ("SA", "head_sales")):  # fmt: skip
        users[username] = member(["department_head"], unit=units[code], username=username)
    ctx.add("organisation.users", users)
    ctx.add("organisation.units", units)
    demo.build(ctx)
    cascaded = Objective.objects.filter(parent__isnull=False)
    assert cascaded.count() == 5 and cascaded.values("unit").distinct().count() == 5
    found = ctx.get("performance.round")
    found.refresh_from_db()
    assert found.status == RoundStatus.SIGNED and found.signed_by == org.cqo
    assert found.appraisals.count() == 5
    assert demo.present()
