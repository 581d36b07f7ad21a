"""Test support shared with the browser tests: a small enterprise with a CQO appointed.

``appoint`` writes a signed appointment directly (set-up, not behaviour under test), so the
engine sees a real appointment through the post app's selectors.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.utils import timezone

from cqo.organisation import roles as R
from cqo.organisation.models import PostKind, Unit, UnitKind
from cqo.organisation.tests.factories import (
    TEST_PASSWORD,
    EnterpriseFactory,
    PostFactory,
    UnitFactory,
    member,
)

PASSWORD = TEST_PASSWORD


def today() -> datetime.date:
    return timezone.localdate()


def days(n: int) -> datetime.date:
    return today() + datetime.timedelta(days=n)


class Org:
    """The people and units of one test enterprise."""

    def __init__(self) -> None:
        self.enterprise = EnterpriseFactory()
        self.root = UnitFactory(
            enterprise=self.enterprise, kind=UnitKind.COMPANY, code="ROOT", name="公司"
        )
        self.qm = UnitFactory(parent=self.root, code="QM", name="质量管理部")
        self.inspection = UnitFactory(parent=self.qm, code="QM-IN", name="检验科")
        self.lab = UnitFactory(parent=self.qm, code="QM-MT", name="计量室")
        self.production = UnitFactory(parent=self.root, code="PD", name="生产部")
        self.cqo_post = PostFactory(
            unit=self.root, code="P-CQO", kind=PostKind.CQO, single_holder=True, name="首席质量官"
        )
        self.principal = member([R.PRINCIPAL], unit=self.root, username="principal")
        self.cqo = member([R.CQO], unit=self.root, username="cqo")
        self.deputy = member([R.DEPUTY, R.DEPARTMENT_HEAD], unit=self.qm, username="deputy")
        self.engineer = member([R.QUALITY_ENGINEER], unit=self.qm, username="qe")
        self.inspector = member([R.INSPECTOR], unit=self.inspection, username="inspector")
        self.head = member([R.DEPARTMENT_HEAD], unit=self.production, username="head")
        self.auditor = member([R.AUDITOR], unit=self.root, username="auditor")
        self.enterprise.principal = self.principal.person
        self.enterprise.legal_representative = self.principal.person
        self.enterprise.save()
        self.appointment = appoint(self, self.cqo, start=days(-30))

    def unit(self, code: str) -> Unit:
        return Unit.objects.get(enterprise=self.enterprise, code=code)


_numbers = iter(range(1, 1_000_000))


def appoint(org: Org, user: Any, *, start: datetime.date, end: datetime.date | None = None) -> Any:
    """Appoint ``user`` CQO from ``start`` (to ``end``): a signed appointment, written as set-up."""
    from cqo.post.models import Appointment, AppointmentStatus

    return Appointment.objects.create(
        enterprise=org.enterprise,
        number=f"T-{next(_numbers):05d}",
        person=user.person,
        principal=org.principal.person,
        effective_from=start,
        effective_to=end,
        status=AppointmentStatus.SIGNED,
        signed_at=timezone.now(),
    )


def end_appointment(appointment: Any, on: datetime.date) -> None:
    """The appointment's last day in office is ``on``."""
    from cqo.authorities import engine

    type(appointment).objects.filter(pk=appointment.pk).update(
        ended_on=on, status="ended", end_kind="removed"
    )
    engine.forget()  # ``update`` sends no signal
