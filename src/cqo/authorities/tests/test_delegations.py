from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import translation

from cqo.audit.models import AuditEvent
from cqo.authorities import selectors as sel
from cqo.authorities import services as S
from cqo.authorities.models import Delegation
from cqo.notifications.models import Notification
from cqo.testing.world import Org, days, end_appointment, today

pytestmark = pytest.mark.django_db


def _create(org: Org, actor: Any = None, **overrides: Any) -> Delegation:
    kwargs: dict[str, Any] = {
        "actor": actor or org.cqo,
        "authority": "c",
        "delegate": org.deputy.person,
        "units": [org.inspection],
        "start_date": today(),
        "end_date": days(90),
    }
    kwargs.update(overrides)
    return S.delegation_create(**kwargs)


def _refused(call: Callable[[], Any], exc: type[Exception] = ValidationError) -> Exception:
    """Run ``call`` expecting a refusal; check nothing was written."""
    events, delegations = AuditEvent.objects.count(), Delegation.objects.count()
    with pytest.raises(exc) as info:
        call()
    assert AuditEvent.objects.count() == events
    assert Delegation.objects.count() == delegations
    return info.value


def test_the_cqo_delegates_an_authority_and_it_is_recorded_audited_and_notified(org: Org) -> None:
    delegation = _create(org)
    assert delegation.delegator == org.cqo
    assert list(delegation.units.all()) == [org.inspection]
    event = AuditEvent.objects.filter(action="authorities.delegation.create").get()
    assert event.clause == "§6 c)"
    assert event.after["units"] == [org.inspection.pk]
    note = Notification.objects.get(recipient=org.deputy)
    assert "§6 c)" in note.message and "§6 c)" in note.message_en
    assert list(sel.delegations_in_force()) == [delegation]


def test_it_refuses_a_delegation_beyond_the_cqos_own_appointment(org: Org) -> None:
    end_appointment(org.appointment, days(30))
    with translation.override("en"):
        exc = _refused(lambda: _create(org, end_date=days(31)))
    assert "end_date" in exc.message_dict
    assert "appointment" in exc.message_dict["end_date"][0]


def test_it_refuses_a_sub_delegation_wider_in_units_than_the_delegators(org: Org) -> None:
    _create(org)
    with translation.override("en"):
        exc = _refused(
            lambda: _create(org, actor=org.deputy, delegate=org.engineer.person, units=[org.qm])
        )
    assert "units" in exc.message_dict
    assert "§6 c)" in exc.message_dict["units"][0]


def test_it_refuses_a_sub_delegation_longer_than_the_delegators(org: Org) -> None:
    _create(org, end_date=days(30))
    with translation.override("en"):
        exc = _refused(
            lambda: _create(org, actor=org.deputy, delegate=org.engineer.person, end_date=days(31))
        )
    assert "end_date" in exc.message_dict
    assert "§6 c)" in exc.message_dict["end_date"][0]


def test_it_refuses_to_delegate_an_authority_the_delegator_does_not_hold(org: Org) -> None:
    _create(org)  # the deputy holds c), not a)
    with translation.override("en"):
        exc = _refused(
            lambda: _create(org, actor=org.deputy, delegate=org.engineer.person, authority="a")
        )
    assert "authority" in exc.message_dict
    assert "§6 a)" in exc.message_dict["authority"][0]


def test_someone_holding_no_authority_cannot_delegate_at_all(org: Org) -> None:
    with translation.override("en"):
        exc = _refused(lambda: _create(org, actor=org.engineer), PermissionDenied)
    assert "§6 c)" in str(exc)


def test_the_veto_is_not_delegable_unless_the_charter_says_so(org: Org) -> None:
    with translation.override("zh-hans"):
        exc = _refused(lambda: _create(org, authority="i"))
    assert "§6 i)" in exc.message_dict["authority"][0]
    assert "否决" in exc.message_dict["authority"][0]


def test_the_veto_is_delegable_when_the_charter_allows_it(
    org: Org, monkeypatch: pytest.MonkeyPatch
) -> None:
    from cqo.authorities import engine

    monkeypatch.setattr(engine, "veto_delegable", lambda: True)
    delegation = _create(org, authority="i")
    assert engine.holds(org.deputy, "i", unit=org.inspection)
    monkeypatch.setattr(engine, "veto_delegable", lambda: False)
    assert not engine.holds(org.deputy, "i", unit=org.inspection)
    assert delegation.pk


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"units": []}, "units"),
        ({"end_date": "start-1"}, "end_date"),
        ({"start_date": "yesterday"}, "start_date"),
        ({"authority": "z"}, "authority"),
    ],
)
def test_it_refuses_bad_input_naming_the_field(org: Org, overrides: dict, field: str) -> None:
    values = dict(overrides)
    if values.get("end_date") == "start-1":
        values["start_date"], values["end_date"] = days(5), days(4)
    if values.get("start_date") == "yesterday":
        values["start_date"] = days(-1)
    exc = _refused(lambda: _create(org, **values))
    assert field in exc.message_dict


def test_it_refuses_a_delegate_who_has_left_or_is_oneself(org: Org) -> None:
    exc = _refused(lambda: _create(org, delegate=org.cqo.person))
    assert "delegate" in exc.message_dict
    person = org.engineer.person
    person.status, person.left_on = "left", today()
    person.save()
    exc = _refused(lambda: _create(org, delegate=person))
    assert "delegate" in exc.message_dict


def test_revoking_needs_a_reason_and_the_right_person(org: Org) -> None:
    delegation = _create(org)
    count = AuditEvent.objects.count()
    with pytest.raises(ValidationError) as exc:
        S.delegation_revoke(actor=org.cqo, delegation=delegation, reason="  ")
    assert "reason" in exc.value.message_dict
    with pytest.raises(PermissionDenied):
        S.delegation_revoke(actor=org.engineer, delegation=delegation, reason="x")
    assert AuditEvent.objects.count() == count
    S.delegation_revoke(actor=org.cqo, delegation=delegation, reason="岗位调整")
    delegation.refresh_from_db()
    assert delegation.revoked_by == org.cqo
    with pytest.raises(ValidationError):
        S.delegation_revoke(actor=org.cqo, delegation=delegation, reason="again")
    assert sel.delegations_in_force().count() == 0


def test_creating_and_revoking_mark_the_charter_out_of_date(
    org: Org, monkeypatch: pytest.MonkeyPatch
) -> None:
    reasons: list[str] = []
    monkeypatch.setattr(S, "_charter_outdated", lambda reason, actor=None: reasons.append(reason))
    delegation = _create(org)
    S.delegation_revoke(actor=org.cqo, delegation=delegation, reason="x")
    assert len(reasons) == 2


def test_delegations_about_to_expire_are_listed_for_the_cqo_and_the_delegate(org: Org) -> None:
    soon = _create(org, end_date=days(5))
    _create(org, authority="a", end_date=days(60))
    assert list(sel.delegations_expiring(org.cqo)) == [soon]
    assert list(sel.delegations_expiring(org.deputy)) == [soon]
    assert list(sel.delegations_expiring(org.engineer)) == []
