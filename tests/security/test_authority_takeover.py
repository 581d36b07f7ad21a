"""The system administrator cannot appoint the CQO (issue 8 §1, decision 0006).

The attack found by the probe: the ``admin`` role gave itself the principal role
(``POST /api/v1/org/people/<id>/roles/``), recorded itself as the enterprise's principal
(``PATCH /api/v1/org/enterprises/<id>/``), and then handed the CQO post over with its own
signature. Each step is tried here from the attacker's side, through the API and the pages; the
legitimate ways (the principal signs; two independent administrators where the principal has
left) are tried too, and their audit events name both people.
"""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.test import Client
from rest_framework.test import APIClient

from cqo.audit.models import AuditEvent
from cqo.organisation import roles as R
from cqo.organisation import services as S
from cqo.organisation.models import Enterprise, Person, UnitKind
from cqo.organisation.rules import user_cache_clear
from cqo.testing.factories import (
    TEST_PASSWORD,
    EnterpriseFactory,
    PersonFactory,
    UnitFactory,
    member,
)

AUTHORITY = ["auditor", "cqo", "deputy", "principal"]


def _changes() -> Any:
    from cqo.organisation.models import AuthorityChange

    return AuthorityChange.objects


def _applied() -> str:
    from cqo.organisation.models import AuthorityChangeStatus

    return AuthorityChangeStatus.APPLIED


class Org:
    def __init__(self) -> None:
        self.enterprise = EnterpriseFactory()
        self.root = UnitFactory(enterprise=self.enterprise, kind=UnitKind.COMPANY, code="ROOT")
        self.admin = member([R.ADMIN], unit=self.root, username="it-admin")
        self.principal = member([R.PRINCIPAL], unit=self.root, username="boss")
        self.enterprise.principal = self.enterprise.legal_representative = self.principal.person
        self.enterprise.save()
        self.accomplice = member([R.EMPLOYEE], unit=self.root, username="accomplice")

    def roles(self, user: Any) -> set[str]:
        user_cache_clear(user)
        return set(user.groups.values_list("name", flat=True))

    def api(self, user: Any) -> APIClient:
        client = APIClient()
        client.force_login(user)
        return client

    def page(self, user: Any) -> Client:
        client = Client()
        client.force_login(user)
        return client


@pytest.fixture
def org(db: Any) -> Org:
    return Org()


def _events(action: str) -> int:
    return AuditEvent.objects.filter(action=action).count()


# --- the attack, step by step --------------------------------------------------------------


@pytest.mark.parametrize("role", AUTHORITY)
def test_the_admin_cannot_give_itself_an_authority_role_through_the_api(
    org: Org, role: str
) -> None:
    before = _events("accounts.user.roles")
    response = org.api(org.admin).post(
        f"/api/v1/org/people/{org.admin.person.pk}/roles/",
        {"roles": [R.ADMIN, role]},
        format="json",
    )
    assert response.status_code == 400
    assert "roles" in response.json()
    assert org.roles(org.admin) == {R.ADMIN}
    assert _events("accounts.user.roles") == before


@pytest.mark.parametrize("role", AUTHORITY)
def test_the_admin_cannot_give_an_accomplice_an_authority_role_alone(org: Org, role: str) -> None:
    response = org.api(org.admin).post(
        f"/api/v1/org/people/{org.accomplice.person.pk}/roles/",
        {"roles": [R.EMPLOYEE, role]},
        format="json",
    )
    assert response.status_code == 400
    assert org.roles(org.accomplice) == {R.EMPLOYEE}


def test_the_admin_cannot_take_an_authority_role_away_alone(org: Org) -> None:
    response = org.api(org.admin).post(
        f"/api/v1/org/people/{org.principal.person.pk}/roles/", {"roles": []}, format="json"
    )
    assert response.status_code == 400
    assert org.roles(org.principal) == {R.PRINCIPAL}


def test_nobody_grants_themself_even_an_ordinary_role(org: Org) -> None:
    response = org.api(org.admin).post(
        f"/api/v1/org/people/{org.admin.person.pk}/roles/",
        {"roles": [R.ADMIN, R.INSPECTOR]},
        format="json",
    )
    assert response.status_code == 400
    assert org.roles(org.admin) == {R.ADMIN}


def test_the_admin_cannot_open_an_account_with_an_authority_role(org: Org) -> None:
    person = PersonFactory(unit=org.root)
    response = org.api(org.admin).post(
        "/api/v1/org/people/",
        {
            "employee_no": "X-1", "name": "新人", "unit": org.root.pk, "username": "newcqo",
            "password": "Quite-Long-Pass-2026", "roles": [R.CQO],
        },
        format="json",
    )  # fmt: skip
    assert response.status_code == 400
    assert not Person.objects.filter(employee_no="X-1").exists()
    assert person.user is None


@pytest.mark.parametrize("field", ["principal", "legal_representative"])
def test_the_admin_cannot_record_itself_as_principal_through_the_api(org: Org, field: str) -> None:
    response = org.api(org.admin).patch(
        f"/api/v1/org/enterprises/{org.enterprise.pk}/",
        {field: org.admin.person.pk},
        format="json",
    )
    assert response.status_code == 400
    assert field in response.json()
    org.enterprise.refresh_from_db()
    assert getattr(org.enterprise, f"{field}_id") == org.principal.person.pk


def test_the_admin_cannot_record_itself_as_principal_on_the_page(org: Org) -> None:
    page = org.page(org.admin)
    form = page.get("/org/enterprise/edit/").context["form"]
    data = {k: ("" if v is None else v) for k, v in form.initial.items() if k in form.fields}
    data.update(principal=org.admin.person.pk, legal_representative=org.admin.person.pk)
    page.post("/org/enterprise/edit/", data)
    org.enterprise.refresh_from_db()
    assert org.enterprise.principal_id == org.principal.person.pk
    assert org.enterprise.legal_representative_id == org.principal.person.pk


def test_the_admin_cannot_give_itself_the_principal_role_on_the_page(org: Org) -> None:
    response = org.page(org.admin).post(
        f"/org/people/{org.admin.person.pk}/roles/", {"roles": [R.ADMIN, R.PRINCIPAL]}
    )
    assert response.status_code == 200  # the form again, with the refusal
    assert response.context["form"].errors
    assert org.roles(org.admin) == {R.ADMIN}


def test_the_admin_cannot_confirm_its_own_proposal_while_a_principal_is_in_office(
    org: Org,
) -> None:
    client = org.api(org.admin)
    response = client.post(
        "/api/v1/org/authority-changes/",
        {"kind": "roles", "person": org.accomplice.person.pk, "roles": [R.EMPLOYEE, R.CQO],
         "reason": "需要"},
        format="json",
    )  # fmt: skip
    assert response.status_code == 201, response.json()
    change = response.json()["id"]
    confirmed = client.post(
        f"/api/v1/org/authority-changes/{change}/confirm/",
        {"password": TEST_PASSWORD},
        format="json",
    )
    assert confirmed.status_code == 403
    second_admin = member([R.ADMIN], unit=org.root, username="it-admin-2")
    again = org.api(second_admin).post(
        f"/api/v1/org/authority-changes/{change}/confirm/",
        {"password": TEST_PASSWORD},
        format="json",
    )
    assert again.status_code == 403
    assert org.roles(org.accomplice) == {R.EMPLOYEE}
    assert _changes().get(pk=change).status == "pending"


def test_the_admin_cannot_propose_itself_as_principal(org: Org) -> None:
    response = org.api(org.admin).post(
        "/api/v1/org/authority-changes/",
        {"kind": "principal", "person": org.admin.person.pk, "reason": "接任"},
        format="json",
    )
    assert response.status_code == 400
    assert not _changes().exists()


def test_after_every_refusal_the_admin_still_cannot_hand_the_cqo_post_over(org: Org) -> None:
    client = org.api(org.admin)
    client.post(
        f"/api/v1/org/people/{org.admin.person.pk}/roles/",
        {"roles": [R.ADMIN, R.PRINCIPAL]},
        format="json",
    )
    client.patch(
        f"/api/v1/org/enterprises/{org.enterprise.pk}/",
        {"principal": org.admin.person.pk},
        format="json",
    )
    response = client.post(
        "/api/v1/post/appointments/",
        {"person": org.accomplice.person.pk, "effective_from": str(datetime.date.today()),
         "password": TEST_PASSWORD},
        format="json",
    )  # fmt: skip
    assert response.status_code == 403
    from cqo.post.models import Appointment

    assert not Appointment.objects.exists()


# --- the legitimate ways ---------------------------------------------------------------------


def test_the_principal_confirms_a_role_an_admin_proposed_and_both_are_named(org: Org) -> None:
    change = S.authority_change_propose(
        actor=org.admin, kind="roles", person=org.accomplice.person,
        roles=[R.EMPLOYEE, R.CQO], reason="任命前准备",
    )  # fmt: skip
    response = org.api(org.principal).post(
        f"/api/v1/org/authority-changes/{change.pk}/confirm/",
        {"password": TEST_PASSWORD},
        format="json",
    )
    assert response.status_code == 200, response.json()
    assert response.json()["mode"] == "principal"
    assert org.roles(org.accomplice) == {R.EMPLOYEE, R.CQO}
    event = AuditEvent.objects.filter(action="accounts.user.roles").last()
    assert event is not None and event.actor_id == org.principal.pk
    assert event.after["proposed_by"] == S.actor_name(org.admin)
    assert event.after["confirmed_by"] == S.actor_name(org.principal)
    assert event.before == {"roles": [R.EMPLOYEE]}


def test_the_principal_signs_a_change_of_principal_in_one_step(org: Org) -> None:
    successor = member([R.EMPLOYEE], unit=org.root, username="successor")
    change = S.authority_change_propose(
        actor=org.principal, kind="principal", person=successor.person,
        reason="换届", password=TEST_PASSWORD,
    )  # fmt: skip
    assert change.status == _applied() and change.signature is not None
    org.enterprise.refresh_from_db()
    assert org.enterprise.principal_id == successor.person.pk
    assert R.PRINCIPAL in org.roles(successor)


def test_a_wrong_password_applies_nothing(org: Org) -> None:
    change = S.authority_change_propose(
        actor=org.admin, kind="principal", person=org.accomplice.person, reason="换届"
    )
    response = org.api(org.principal).post(
        f"/api/v1/org/authority-changes/{change.pk}/confirm/",
        {"password": "wrong"},
        format="json",
    )
    assert response.status_code == 400
    org.enterprise.refresh_from_db()
    assert org.enterprise.principal_id == org.principal.person.pk


def _principal_leaves(org: Org) -> None:
    S.person_leave(actor=org.admin, person=org.principal.person, left_on=datetime.date.today())


def test_where_the_principal_left_two_independent_admins_change_the_principal(org: Org) -> None:
    _principal_leaves(org)
    other_admin = member([R.ADMIN], unit=org.root, username="it-admin-2")
    change = S.authority_change_propose(
        actor=org.admin, kind="principal", person=org.accomplice.person, reason="原负责人离职"
    )
    own = org.api(org.admin).post(
        f"/api/v1/org/authority-changes/{change.pk}/confirm/",
        {"password": TEST_PASSWORD},
        format="json",
    )
    assert own.status_code == 403
    response = org.api(other_admin).post(
        f"/api/v1/org/authority-changes/{change.pk}/confirm/",
        {"password": TEST_PASSWORD},
        format="json",
    )
    assert response.status_code == 200, response.json()
    assert response.json()["mode"] == "two_admins"
    enterprise = Enterprise.objects.get(pk=org.enterprise.pk)
    assert enterprise.principal_id == org.accomplice.person.pk
    event = AuditEvent.objects.filter(action="organisation.enterprise.update").last()
    assert event is not None
    assert event.after["proposed_by"] == S.actor_name(org.admin)
    assert event.after["confirmed_by"] == S.actor_name(other_admin)


def test_an_admin_made_by_the_proposer_does_not_count_as_the_second(org: Org) -> None:
    _principal_leaves(org)
    puppet_person = PersonFactory(unit=org.root)
    S.person_account_create(
        actor=org.admin, person=puppet_person, username="puppet",
        password="Strings-Attached-2026", roles=[R.ADMIN], must_change_password=False,
    )  # fmt: skip
    puppet_person.refresh_from_db()
    change = S.authority_change_propose(
        actor=org.admin, kind="principal", person=org.accomplice.person, reason="原负责人离职"
    )
    response = org.api(puppet_person.user).post(
        f"/api/v1/org/authority-changes/{change.pk}/confirm/",
        {"password": "Strings-Attached-2026"},
        format="json",
    )
    assert response.status_code == 403
    org.enterprise.refresh_from_db()
    assert org.enterprise.principal_id == org.principal.person.pk


@pytest.mark.parametrize("role", [R.CQO, R.DEPUTY, R.AUDITOR, R.DEPARTMENT_HEAD, R.EMPLOYEE])
def test_no_other_role_proposes_or_confirms_an_authority_change(org: Org, role: str) -> None:
    user = member([role], unit=org.root)
    change = S.authority_change_propose(
        actor=org.admin, kind="roles", person=org.accomplice.person,
        roles=[R.EMPLOYEE, R.AUDITOR], reason="审核",
    )  # fmt: skip
    client = org.api(user)
    proposed = client.post(
        "/api/v1/org/authority-changes/",
        {"kind": "principal", "person": org.accomplice.person.pk, "reason": "x"},
        format="json",
    )
    confirmed = client.post(
        f"/api/v1/org/authority-changes/{change.pk}/confirm/",
        {"password": TEST_PASSWORD},
        format="json",
    )
    assert (proposed.status_code, confirmed.status_code) == (403, 403)
    assert org.roles(org.accomplice) == {R.EMPLOYEE}


# --- the page ------------------------------------------------------------------------------


def test_on_the_page_an_admin_proposes_and_the_principal_signs(org: Org) -> None:
    page = org.page(org.admin)
    response = page.post(
        "/org/authority-changes/",
        {"kind": "roles", "person": org.accomplice.person.pk, "roles": [R.EMPLOYEE, R.DEPUTY],
         "reason": "副职任命"},
    )  # fmt: skip
    assert response.status_code == 302
    change = _changes().get()
    page.post(f"/org/authority-changes/{change.pk}/confirm/", {"password": TEST_PASSWORD})
    assert org.roles(org.accomplice) == {R.EMPLOYEE}
    org.page(org.principal).post(
        f"/org/authority-changes/{change.pk}/confirm/", {"password": TEST_PASSWORD}
    )
    assert org.roles(org.accomplice) == {R.EMPLOYEE, R.DEPUTY}


def test_on_the_page_the_admin_cannot_propose_itself_as_principal(org: Org) -> None:
    response = org.page(org.admin).post(
        "/org/authority-changes/",
        {"kind": "principal", "person": org.admin.person.pk, "reason": "接任"},
    )
    assert response.status_code == 200
    assert response.context["form"].errors
    assert not _changes().exists()


def test_the_first_enterprise_is_recorded_on_the_page_without_a_principal(db: Any) -> None:
    from cqo.testing.factories import UserFactory

    client = Client()
    client.force_login(UserFactory(roles=[R.ADMIN]))
    response = client.post(
        "/org/enterprise/edit/",
        {"name": "新企业", "credit_code": "91440300708461136T", "size_class": "medium"},
    )
    assert response.status_code == 302
    enterprise = Enterprise.objects.get()
    assert enterprise.principal_id is None
