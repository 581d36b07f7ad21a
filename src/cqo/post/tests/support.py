"""Set-up helpers for the post's tests and the browser tests: candidates, evidence, declarations."""

from __future__ import annotations

from typing import Any

from cqo.organisation import roles as R
from cqo.organisation.models import EducationLevel, TitleLevel, Unit
from cqo.organisation.tests.factories import PersonFactory, UserFactory
from cqo.post.models import Disqualification, EvidenceKind


def make_candidate(unit: Unit, username: str, **fields: Any) -> Any:
    user = UserFactory(roles=[R.CQO], username=username)
    defaults = {
        "education": EducationLevel.BACHELOR,
        "title_level": TitleLevel.ASSOCIATE_SENIOR,
        "quality_years": 12,
    }
    defaults.update(fields)
    return PersonFactory(unit=unit, user=user, **defaults)


def add_evidence(person: Any, *kinds: str) -> None:
    from cqo.post.models import EvidenceDocument

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
    from cqo.post.models import DisqualificationDeclaration

    for code in Disqualification.values:
        DisqualificationDeclaration.objects.create(
            person=person, condition=code, applies=False, declared_by=by
        )
