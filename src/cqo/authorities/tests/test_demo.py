from __future__ import annotations

from typing import Any

import pytest

from cqo.audit.services import verify_chain
from cqo.authorities import engine
from cqo.authorities import selectors as sel
from cqo.authorities.models import ApprovalRequest, Veto
from cqo.core.demo import demo_build
from cqo.decisions import selectors as dsel
from cqo.decisions.models import BusinessDecision, Proposal
from cqo.testing.demo import demo_without

pytestmark = pytest.mark.django_db


def test_the_demo_has_a_delegation_proposals_approvals_and_an_active_veto(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    demo_without(monkeypatch)  # the inspection year is tested in inspection/tests/test_demo.py
    ctx = demo_build()
    users: dict[str, Any] = ctx.get("organisation.users")
    assert engine.holds(users["deputy"], "c", unit=ctx.get("organisation.units")["QM-IN"])
    assert not engine.holds(users["deputy"], "c", unit=ctx.get("organisation.units")["PD"])
    in_force = list(sel.delegations_in_force())
    assert [(d.authority, d.delegate.user.username) for d in in_force] == [("c", "deputy")]
    assert (in_force[0].end_date - in_force[0].start_date).days >= 89
    assert Proposal.objects.filter(status="accepted").count() == 1
    waiting = dsel.proposals_to_answer(users["principal"]).get()
    assert waiting.age_days >= 12
    pending = ApprovalRequest.objects.filter(status="pending")
    assert pending.count() >= 3
    assert sum(1 for a in pending if a.is_overdue) == 1
    veto = Veto.objects.get(lifted_at__isnull=True)
    assert isinstance(veto.subject, BusinessDecision)
    assert "BC-300" in veto.subject_repr
    assert list(sel.approvals_awaiting(users["deputy"]))  # the overdue concession is the deputy's
    assert verify_chain() is None
