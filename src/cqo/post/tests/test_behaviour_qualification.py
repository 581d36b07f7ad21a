"""The qualification check believes the evidence, not the record (issue 7 §3.7): a claim with no
document behind it, or one the document on file contradicts, is flagged (§5.1.2)."""

from __future__ import annotations

import pytest
from django.utils import translation

from cqo.organisation.models import EducationLevel
from cqo.post.models import EvidenceDocument, EvidenceKind
from cqo.post.qualification import BLOCK, PASS, WARNING, qualification_check
from cqo.testing.world import declare_clean, make_candidate

pytestmark = pytest.mark.django_db


def _doc(person, kind, **fields):
    return EvidenceDocument.objects.create(person=person, kind=kind, title=str(kind), **fields)


def _result(person, code):
    with translation.override("en"):
        return next(r for r in qualification_check(person).results if r.code == code)


@pytest.fixture
def person(root, principal):
    p = make_candidate(root, "claimant", education=EducationLevel.MASTER, quality_years=14)
    declare_clean(p, principal)
    return p


def test_a_masters_claim_with_only_a_bachelors_diploma_on_file_is_flagged(person) -> None:
    _doc(person, EvidenceKind.DIPLOMA, education=EducationLevel.BACHELOR)
    result = _result(person, "education")
    assert result.outcome == WARNING
    assert "Master" in result.message and "Bachelor" in result.message


def test_a_claim_the_diploma_shows_below_the_threshold_blocks(person, enterprise) -> None:
    _doc(person, EvidenceKind.DIPLOMA, education=EducationLevel.SECONDARY)
    assert _result(person, "education").outcome == BLOCK


def test_years_of_quality_work_with_no_evidence_are_flagged(person) -> None:
    result = _result(person, "years")
    assert result.outcome == WARNING
    assert "14" in result.message


def test_years_against_their_evidence_are_flagged_and_below_the_threshold_block(person) -> None:
    record = _doc(person, EvidenceKind.WORK_RECORD, quality_years=9)
    assert _result(person, "years").outcome == WARNING
    EvidenceDocument.objects.filter(pk=record.pk).update(quality_years=2)
    assert _result(person, "years").outcome == BLOCK


def test_claims_matching_their_evidence_pass(person) -> None:
    _doc(person, EvidenceKind.DIPLOMA, education=EducationLevel.MASTER)
    _doc(person, EvidenceKind.WORK_RECORD, quality_years=14)
    assert _result(person, "education").outcome == PASS
    assert _result(person, "years").outcome == PASS
