from __future__ import annotations

from typing import Any

import pytest

from cqo.authorities import engine
from cqo.authorities import services as S
from cqo.authorities.catalogue import AUTHORITIES, BY_CODE, CODES
from cqo.authorities.models import Delegation
from cqo.testing.world import Org, appoint, days, end_appointment, today

pytestmark = pytest.mark.django_db


def _delegate(org: Org, code: str = "c", units: Any = None, end: int = 90) -> Delegation:
    return S.delegation_create(
        actor=org.cqo,
        authority=code,
        delegate=org.deputy.person,
        units=units or [org.inspection],
        start_date=today(),
        end_date=days(end),
    )


def test_the_catalogue_lists_the_nine_authorities_of_clause_6_in_order() -> None:
    assert CODES == tuple("abcdefghi")
    assert [a.clause for a in AUTHORITIES] == [f"§6 {c})" for c in "abcdefghi"]
    assert [a.code for a in AUTHORITIES if not a.delegable] == ["i"]
    assert BY_CODE["c"].perm == "authorities.exercise_c"


def test_the_current_cqo_holds_all_nine_authorities_everywhere(org: Org) -> None:
    for code in CODES:
        assert engine.holds(org.cqo, code)
        assert engine.holds(org.cqo, code, unit=org.production)
        assert engine.holds(org.cqo, code, unit=engine.WHOLE_ENTERPRISE)
        assert org.cqo.has_perm(f"authorities.exercise_{code}", org.inspection)


def test_the_authority_ends_with_the_appointment(org: Org) -> None:
    end_appointment(org.appointment, days(-1))
    assert not engine.holds(org.cqo, "c")
    assert not org.cqo.has_perm("authorities.exercise_i")
    # ... and it was held while the appointment ran.
    assert engine.holds(org.cqo, "c", on=days(-2))


def test_the_cqo_role_alone_grants_no_authority(org: Org) -> None:
    from cqo.organisation import roles as R
    from cqo.testing.factories import member

    other = member([R.CQO], unit=org.root, username="cqo2")
    assert not any(engine.holds(other, code) for code in CODES)


def test_a_successor_holds_the_authorities_from_the_day_of_appointment(org: Org) -> None:
    end_appointment(org.appointment, days(-1))
    appoint(org, org.engineer, start=today())
    assert engine.holds(org.engineer, "i")
    assert not engine.holds(org.engineer, "i", on=days(-1))


def test_a_delegate_holds_the_authority_over_the_delegated_units_and_below_only(org: Org) -> None:
    sub = type(org.inspection).objects.create(
        enterprise=org.enterprise, parent=org.inspection, kind="team", code="QM-IN-1", name="一组"
    )
    _delegate(org)
    assert engine.holds(org.deputy, "c", unit=org.inspection)
    assert engine.holds(org.deputy, "c", unit=sub)
    assert not engine.holds(org.deputy, "c", unit=org.production)
    assert not engine.holds(org.deputy, "c", unit=org.qm)
    assert not engine.holds(org.deputy, "c", unit=engine.WHOLE_ENTERPRISE)
    assert not engine.holds(org.deputy, "d", unit=org.inspection)
    assert engine.holds(org.deputy, "c")  # somewhere: enough to show the inbox


def test_a_delegation_of_the_root_unit_covers_the_whole_enterprise(org: Org) -> None:
    _delegate(org, units=[org.root])
    assert engine.holds(org.deputy, "c", unit=engine.WHOLE_ENTERPRISE)
    assert engine.holds(org.deputy, "c", unit=org.production)


def test_a_delegation_is_held_only_within_its_period(org: Org) -> None:
    _delegate(org, end=10)
    assert engine.holds(org.deputy, "c", unit=org.inspection, on=days(10))
    assert not engine.holds(org.deputy, "c", unit=org.inspection, on=days(11))
    assert not engine.holds(org.deputy, "c", unit=org.inspection, on=days(-1))


def test_a_revoked_delegation_is_no_longer_held(org: Org) -> None:
    delegation = _delegate(org)
    S.delegation_revoke(actor=org.cqo, delegation=delegation, reason="任务调整")
    assert not engine.holds(org.deputy, "c", unit=org.inspection)


def test_delegations_end_when_the_delegators_appointment_ends(org: Org) -> None:
    _delegate(org)
    end_appointment(org.appointment, days(-1))
    assert not engine.holds(org.deputy, "c", unit=org.inspection)
    assert list(S.Delegation.objects.in_force()) != []  # the record stays, the authority does not


def test_a_sub_delegation_falls_with_the_delegation_it_was_made_under(org: Org) -> None:
    parent = _delegate(org, units=[org.qm])
    S.delegation_create(
        actor=org.deputy,
        authority="c",
        delegate=org.engineer.person,
        units=[org.lab],
        start_date=today(),
        end_date=days(30),
    )
    assert engine.holds(org.engineer, "c", unit=org.lab)
    S.delegation_revoke(actor=org.cqo, delegation=parent, reason="收回")
    assert not engine.holds(org.engineer, "c", unit=org.lab)


def test_the_object_permission_reads_the_unit_the_object_carries(org: Org) -> None:
    from cqo.decisions.models import BusinessDecision

    _delegate(org)
    here = BusinessDecision(kind="other", title="x", unit=org.inspection, created_by=org.cqo)
    there = BusinessDecision(kind="other", title="y", unit=org.production, created_by=org.cqo)
    nowhere = BusinessDecision(kind="other", title="z", unit=None, created_by=org.cqo)
    assert org.deputy.has_perm("authorities.exercise_c", here)
    assert not org.deputy.has_perm("authorities.exercise_c", there)
    assert not org.deputy.has_perm("authorities.exercise_c", nowhere)


def test_the_veto_is_not_delegable_by_default(org: Org) -> None:
    assert engine.veto_delegable() is False


def test_an_inactive_account_holds_nothing_even_as_cqo(org: Org) -> None:
    org.cqo.is_active = False
    org.cqo.save()
    assert not engine.holds(org.cqo, "a")


def test_an_unknown_authority_code_is_an_error(org: Org) -> None:
    with pytest.raises(KeyError):
        engine.holds(org.cqo, "z")
