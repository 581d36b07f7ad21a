from __future__ import annotations

from typing import Any

import pytest
from django.utils import timezone

from cqo.audit.services import verify_chain
from cqo.authorities import engine
from cqo.authorities import selectors as sel
from cqo.authorities.models import ApprovalRequest, BusinessDecision, Proposal, Veto
from cqo.core.demo import BUILDERS, DemoContext, demo_build

pytestmark = pytest.mark.django_db


def appoint_cqo(ctx: DemoContext) -> None:
    """Stands in for the post builder when it is not in the registry: a signed appointment."""
    from cqo.post.models import Appointment, AppointmentStatus

    people = ctx.get("organisation.people")
    Appointment.objects.create(
        enterprise=ctx.get("organisation.enterprise"),
        number="YJ-CQO-2024-01",
        person=people["cqo"],
        principal=people["principal"],
        effective_from=timezone.localdate().replace(year=timezone.localdate().year - 1),
        status=AppointmentStatus.SIGNED,
        signed_at=timezone.now(),
    )


def _builders() -> list[str]:
    mine = "cqo.authorities.demo.build"
    if mine in BUILDERS:
        return list(BUILDERS)
    before = [b for b in BUILDERS if b != mine]
    if not any(b.startswith("cqo.post.") for b in before):
        before.append(f"{__name__}.appoint_cqo")
    return [*before, mine]


def test_the_demo_has_a_delegation_proposals_approvals_and_an_active_veto() -> None:
    ctx = demo_build(builders=_builders())
    users: dict[str, Any] = ctx.get("organisation.users")
    assert engine.holds(users["deputy"], "c", unit=ctx.get("organisation.units")["QM-IN"])
    assert not engine.holds(users["deputy"], "c", unit=ctx.get("organisation.units")["PD"])
    in_force = list(sel.delegations_in_force())
    assert [(d.authority, d.delegate.user.username) for d in in_force] == [("c", "deputy")]
    assert (in_force[0].end_date - in_force[0].start_date).days >= 89
    assert Proposal.objects.filter(status="accepted").count() == 1
    waiting = sel.proposals_to_answer(users["principal"]).get()
    assert waiting.age_days >= 12
    pending = ApprovalRequest.objects.filter(status="pending")
    assert pending.count() >= 3
    assert sum(1 for a in pending if a.is_overdue) == 1
    veto = Veto.objects.get(lifted_at__isnull=True)
    assert isinstance(veto.subject, BusinessDecision)
    assert "BC-300" in veto.subject_repr
    assert list(sel.approvals_awaiting(users["deputy"]))  # the overdue concession is the deputy's
    assert verify_chain() is None
