from __future__ import annotations

from io import StringIO
from typing import Any

import pytest
from django.contrib.auth import authenticate, get_user_model
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import transaction

from cqo.audit.models import AuditEvent
from cqo.audit.services import verify_chain
from cqo.core.demo import DEMO_PASSWORD, demo_build
from cqo.organisation import roles as R
from cqo.organisation.models import Enterprise, Person, Post, PostAssignment, PostKind, Unit
from cqo.organisation.rules import user_roles
from cqo.organisation.validators import credit_code_problems
from cqo.testing.demo import demo_without

pytestmark = pytest.mark.django_db
User = get_user_model()


@pytest.fixture(autouse=True)
def _organisation_demo_only(monkeypatch: pytest.MonkeyPatch) -> None:
    # The master data and the inspection year are tested in inspection/tests/test_demo.py.
    demo_without(monkeypatch)


PERSONAS = [
    "principal", "cqo", "deputy", "qe1", "qe2", "inspector1", "metrology", "auditor", "admin",
    "head_production", "employee1",
]  # fmt: skip


class _Rollback(Exception):
    pass


def _fingerprint() -> dict[str, Any]:
    return {
        "enterprise": list(Enterprise.objects.values_list("name", "credit_code")),
        "units": list(
            Unit.objects.order_by("code").values_list("code", "name", "name_en", "parent__code")
        ),
        "people": list(
            Person.objects.order_by("employee_no").values_list(
                "employee_no",
                "name",
                "name_en",
                "unit__code",
                "job_title",
                "education",
                "user__username",
            )
        ),
        "posts": list(Post.objects.order_by("code").values_list("code", "kind", "unit__code")),
        "assignments": list(
            PostAssignment.objects.order_by("post__code").values_list(
                "post__code", "person__employee_no"
            )
        ),
        "actions": list(
            AuditEvent.objects.order_by("seq").values_list("action", "object_repr", "clause")
        ),
    }


def _build_and_roll_back(**kwargs: Any) -> dict[str, Any]:
    result: dict[str, Any] = {}
    try:
        with transaction.atomic():
            demo_build(**kwargs)
            result = _fingerprint()
            raise _Rollback
    except _Rollback:
        pass
    return result


def test_the_demo_command_builds_the_enterprise_and_prints_the_accounts() -> None:
    out = StringIO()
    call_command("demo", stdout=out)
    text = out.getvalue()
    enterprise = Enterprise.objects.get()
    assert enterprise.name == "重庆渝嘉摩托车零部件有限公司"
    assert credit_code_problems(enterprise.credit_code) == []
    assert enterprise.region_code == "500112"
    assert 45 <= Person.objects.count() <= 60
    assert (
        Unit.objects.filter(code__in=["QM-IN", "QM-MT", "QM-QE", "PD-DC", "PD-MC", "PD-AS"]).count()
        == 6
    )
    for username in PERSONAS:
        assert username in text
        user = authenticate(username=username, password=DEMO_PASSWORD)
        assert user is not None, username
        assert user.must_change_password is False
    assert DEMO_PASSWORD in text
    assert user_roles(User.objects.get(username="cqo")) == {R.CQO}
    assert enterprise.principal is not None and enterprise.principal.user.username == "principal"
    cqo_post = Post.objects.get(kind=PostKind.CQO)
    assert [a.person.user.username for a in cqo_post.assignments.all()] == ["cqo"]
    assert verify_chain() is None


def test_the_demo_is_built_through_the_services_with_real_actors() -> None:
    call_command("demo", stdout=StringIO())
    first = AuditEvent.objects.order_by("seq").first()
    assert first is not None and first.actor_id is None  # the bootstrap administrator
    appointment = AuditEvent.objects.get(action="organisation.postassignment.create", clause="§3.1")
    assert appointment.actor_repr.endswith("(principal)")
    assert (
        AuditEvent.objects.filter(action="organisation.person.create").count()
        == Person.objects.count()
    )


def test_two_demo_runs_produce_the_same_names_and_codes() -> None:
    first = _build_and_roll_back()
    second = _build_and_roll_back()
    assert first["people"]
    assert first == second
    assert not Enterprise.objects.exists()


def test_the_demo_refuses_a_database_that_already_has_an_enterprise() -> None:
    call_command("demo", stdout=StringIO())
    people = Person.objects.count()
    with pytest.raises(CommandError, match="already holds an enterprise"):
        call_command("demo", stdout=StringIO())
    out = StringIO()
    call_command("demo", "--if-empty", stdout=out)
    assert "not loaded" in out.getvalue()
    # It still says how to sign in, with the accounts that are really there.
    assert "cqo " in out.getvalue() and DEMO_PASSWORD in out.getvalue()
    assert Person.objects.count() == people
    assert Enterprise.objects.count() == 1


def test_the_large_demo_builds_plants_teams_and_bulk_accounts(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from cqo.organisation import demo

    # The full size (~3,000 people) is for benchmarks; the same code path at a tenth of it here.
    monkeypatch.setattr(demo, "LARGE_PEOPLE", 300)
    ctx = demo_build(scale="large")
    assert Unit.objects.count() > 250
    assert Person.objects.count() == 300
    accounts = ctx.objects["organisation.large.accounts"]
    small = len(demo.PERSONAS) + sum(count for count, _titles in demo.STAFF.values())
    assert len(accounts) == len(range(0, 300 - small, demo.ACCOUNT_EVERY))
    user = authenticate(username=accounts[0], password=DEMO_PASSWORD)
    assert user is not None and user_roles(user) == {R.EMPLOYEE}
    assert Person.objects.get(user=user).name == user.display_name
    assert verify_chain() is None
