from __future__ import annotations

from typing import Any

import pytest

from cqo.organisation import roles as R
from cqo.organisation.models import Enterprise, Unit, UnitKind
from cqo.testing.factories import EnterpriseFactory, UnitFactory, member


@pytest.fixture
def enterprise(db: Any) -> Enterprise:
    return EnterpriseFactory()


@pytest.fixture
def root(enterprise: Enterprise) -> Unit:
    return UnitFactory(enterprise=enterprise, kind=UnitKind.COMPANY, code="ROOT", name="公司")


@pytest.fixture
def quality(root: Unit) -> Unit:
    return UnitFactory(parent=root, code="QM", name="质量管理部", name_en="Quality Management")


@pytest.fixture
def admin(root: Unit) -> Any:
    return member(R.ADMIN, unit=root, username="admin")


@pytest.fixture
def role_user(root: Unit):
    """Make a signed-in member with the given roles, in the root unit unless told otherwise."""

    def make(*roles: str, unit: Unit | None = None, username: str | None = None) -> Any:
        kwargs = {"username": username} if username else {}
        return member(list(roles), unit=unit or root, **kwargs)

    return make
