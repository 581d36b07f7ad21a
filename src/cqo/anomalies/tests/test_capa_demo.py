"""The demo's corrective actions (§7.1.4): the volume asked for, the 8Ds where the NCR asks for
one, the services' rules kept by the bulk rows, and the two scenarios through the services.

Built with a small volume (the analysis part sets the demo year's), on the organisation and
master data only (the ``demo_kernel`` fixture, built once per test process)."""

from __future__ import annotations

import pytest

from cqo.anomalies.models import Capa, CapaAction
from cqo.anomalies.models_capa import ActionStatus, CapaStatus
from cqo.audit.models import AuditEvent
from cqo.audit.selectors import signatures_with_status
from cqo.core.demo import DemoContext
from cqo.testing.demo import demo_build_on

pytestmark = pytest.mark.django_db(transaction=True)

TOTAL, EIGHT_D = 24, 6


def _volume(ctx: DemoContext) -> None:
    ctx.add("anomalies.capa.counts", (TOTAL, EIGHT_D))


@pytest.fixture
def demo(demo_kernel: DemoContext) -> DemoContext:
    return demo_build_on(demo_kernel, [_volume, "anomalies.capa"])


def test_the_demo_writes_the_volume_asked_for_with_its_8ds(demo: DemoContext) -> None:
    assert Capa.objects.count() == TOTAL
    assert Capa.objects.filter(is_8d=True).count() == EIGHT_D
    assert AuditEvent.objects.filter(action="anomalies.demo.capa").count() == 1


def test_no_demo_capa_is_closed_with_an_open_action_or_checked_by_its_owner(
    demo: DemoContext,
) -> None:
    closed = Capa.objects.filter(status=CapaStatus.CLOSED)
    assert closed.exists()
    assert not CapaAction.objects.filter(capa__in=closed, status=ActionStatus.OPEN).exists()
    for capa in closed:
        owners = {capa.owner_id, *capa.actions.values_list("owner_id", flat=True)}
        assert capa.effectiveness_checked_by_id not in owners


def test_the_scenarios_await_a_check_and_are_closed_with_matching_signatures(
    demo: DemoContext,
) -> None:
    waiting = demo.get("anomalies.capa.awaiting_check")
    assert waiting.status == CapaStatus.VERIFICATION
    assert waiting.why_chains.exists()
    closed = demo.get("anomalies.capa.closed")
    assert closed.status == CapaStatus.CLOSED
    signatures = signatures_with_status(obj=closed)
    assert len(signatures) == 2 and all(s.matches for s in signatures)
