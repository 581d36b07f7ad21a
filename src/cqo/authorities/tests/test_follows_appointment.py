"""Whoever holds the post sees what the post sees, whatever groups their account is in (§6)."""

from __future__ import annotations

from cqo.authorities import engine
from cqo.decisions import selectors as dsel
from cqo.decisions import services as DS
from cqo.organisation import roles as R
from cqo.testing.factories import member
from cqo.testing.world import Org, appoint, days, end_appointment


def test_an_employee_appointed_cqo_sees_every_proposal_and_approval(org: Org) -> None:
    proposal = DS.proposal_submit(actor=org.cqo, title="增设检验工位", body="外观全检。")
    newcomer = member([R.EMPLOYEE], unit=org.root, username="newcomer")
    assert proposal not in dsel.proposals_visible(newcomer)
    end_appointment(org.appointment, days(-1))
    appoint(org, newcomer, start=days(0))
    engine.forget()
    assert engine.is_current_cqo(newcomer)
    assert proposal in dsel.proposals_visible(newcomer)
    assert newcomer.has_perm("authorities.view_approvalrequest")
