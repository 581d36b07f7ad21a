"""A small enterprise with one user per role and a CQO in office, and the CQO's candidates.

Written as set-up, straight to the database (``appoint`` creates a signed appointment without the
principal's e-signature flow): tests of that flow call the services themselves.
"""

from __future__ import annotations

import datetime
import itertools
from typing import Any

from django.utils import timezone

from cqo.organisation import roles as R
from cqo.organisation.models import EducationLevel, PostKind, TitleLevel, Unit, UnitKind
from cqo.testing.factories import (
    TEST_PASSWORD,
    EnterpriseFactory,
    PersonFactory,
    PostFactory,
    UnitFactory,
    UserFactory,
    member,
)

PASSWORD = TEST_PASSWORD


def today() -> datetime.date:
    return timezone.localdate()


def days(n: int) -> datetime.date:
    return today() + datetime.timedelta(days=n)


class Org:
    """The people and units of one test enterprise, with the CQO appointed 30 days ago."""

    # factory_boy's calls are typed as returning the factory; they return the model instance.
    enterprise: Any
    root: Any
    qm: Any
    inspection: Any
    lab: Any
    production: Any
    cqo_post: Any

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


_appointment_numbers = itertools.count(1)


def appoint(org: Any, user: Any, *, start: datetime.date, end: datetime.date | None = None) -> Any:
    """Appoint ``user`` CQO from ``start`` (to ``end``): a signed appointment, written as set-up.
    ``org`` is anything with ``enterprise`` and ``principal`` (an ``Org``, a matrix world)."""
    from cqo.post.models import Appointment, AppointmentStatus

    return Appointment.objects.create(
        enterprise=org.enterprise,
        number=f"T-{next(_appointment_numbers):05d}",
        person=user.person,
        principal=org.principal.person,
        effective_from=start,
        effective_to=end,
        status=AppointmentStatus.SIGNED,
        signed_at=timezone.now(),
    )


def end_appointment(appointment: Any, on: datetime.date) -> None:
    """The appointment's last day in office is ``on``."""
    from cqo.core import request_cache

    type(appointment).objects.filter(pk=appointment.pk).update(
        ended_on=on, status="ended", end_kind="removed"
    )
    request_cache.forget()  # ``update`` sends no signal


# --- candidates for the post (§5) -------------------------------------------------------------


def make_candidate(unit: Unit, username: str, **fields: Any) -> Any:
    """A person with an account in the ``cqo`` group who meets §5.1 on paper (no evidence yet)."""
    user = UserFactory(roles=[R.CQO], username=username)
    defaults = {
        "education": EducationLevel.BACHELOR,
        "title_level": TitleLevel.ASSOCIATE_SENIOR,
        "quality_years": 12,
    }
    defaults.update(fields)
    return PersonFactory(unit=unit, user=user, **defaults)


def add_evidence(person: Any, *kinds: str) -> None:
    """Evidence documents of ``kinds`` (a diploma, a title and a training certificate and a record
    of quality work when none are named) that support the candidate's claims."""
    from cqo.post.models import EvidenceDocument, EvidenceKind

    for kind in kinds or (
        EvidenceKind.DIPLOMA,
        EvidenceKind.TITLE_CERTIFICATE,
        EvidenceKind.TRAINING_CERTIFICATE,
        EvidenceKind.WORK_RECORD,
    ):
        EvidenceDocument.objects.create(
            person=person,
            kind=kind,
            title=str(kind),
            number=f"N-{kind}",
            issuer="重庆市市场监督管理局"
            if kind == EvidenceKind.TRAINING_CERTIFICATE
            else "某大学",
            education=EducationLevel.BACHELOR if kind == EvidenceKind.DIPLOMA else "",
            title_level=TitleLevel.ASSOCIATE_SENIOR
            if kind == EvidenceKind.TITLE_CERTIFICATE
            else "",
            quality_years=person.quality_years if kind == EvidenceKind.WORK_RECORD else None,
        )


def declare_clean(person: Any, by: Any) -> None:
    """The principal ``by`` has declared that no §5.1.4 condition applies to ``person``."""
    from cqo.post.models import Disqualification, DisqualificationDeclaration

    for code in Disqualification.values:
        DisqualificationDeclaration.objects.create(
            person=person, condition=code, applies=False, declared_by=by
        )
