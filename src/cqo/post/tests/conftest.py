from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.utils import timezone

from cqo.organisation import roles as R
from cqo.organisation.models import Enterprise, Unit, UnitKind
from cqo.post.models import Disqualification
from cqo.post.presets import rule_sets_ensure
from cqo.testing.factories import (
    TEST_PASSWORD,
    EnterpriseFactory,
    UnitFactory,
    member,
)
from cqo.testing.world import add_evidence, declare_clean, make_candidate

CLEAN = {code: False for code in Disqualification.values}


@pytest.fixture
def today() -> datetime.date:
    return timezone.localdate()


@pytest.fixture
def enterprise(db: Any) -> Enterprise:
    rule_sets_ensure()
    return EnterpriseFactory()


@pytest.fixture
def root(enterprise: Enterprise) -> Unit:
    return UnitFactory(enterprise=enterprise, kind=UnitKind.COMPANY, code="ROOT", name="公司")


@pytest.fixture
def principal(root: Unit, enterprise: Enterprise) -> Any:
    user = member(R.PRINCIPAL, unit=root, username="boss")
    enterprise.principal = user.person
    enterprise.legal_representative = user.person
    enterprise.save()
    return user


@pytest.fixture
def auditor(root: Unit) -> Any:
    return member(R.AUDITOR, unit=root, username="auditor1")


@pytest.fixture
def admin_user(root: Unit) -> Any:
    return member(R.ADMIN, unit=root, username="admin1")


@pytest.fixture
def candidate(root: Unit, principal: Any) -> Any:
    person = make_candidate(root, "candidate")
    add_evidence(person)
    declare_clean(person, principal)
    return person


@pytest.fixture
def second(root: Unit, principal: Any) -> Any:
    person = make_candidate(root, "second", name="候选人二", name_en="Candidate Two")
    add_evidence(person)
    declare_clean(person, principal)
    return person


@pytest.fixture
def password() -> str:
    return TEST_PASSWORD
