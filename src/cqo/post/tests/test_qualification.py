from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from cqo.audit.models import AuditEvent
from cqo.organisation import roles as R
from cqo.organisation.models import EducationLevel, SizeClass, TitleLevel
from cqo.post import services as S
from cqo.post.models import Appointment, EvidenceDocument, EvidenceKind, QualificationRuleSet
from cqo.post.presets import DEFAULT_CODE, STRICT_CODE
from cqo.post.qualification import BLOCK, PASS, WARNING, qualification_check
from cqo.testing.factories import member
from cqo.testing.world import add_evidence, declare_clean, make_candidate

pytestmark = pytest.mark.django_db


def outcomes(report):
    return {r.code: r.outcome for r in report.results}


def strict(enterprise, principal):
    S.qualification_policy_set(
        actor=principal,
        enterprise=enterprise,
        rule_set=QualificationRuleSet.objects.get(code=STRICT_CODE),
    )


def _evidence_shows_the_record(person):
    """The documents on file show exactly what the person's record says."""
    docs = EvidenceDocument.objects.filter(person=person)
    docs.filter(kind=EvidenceKind.DIPLOMA).update(education=person.education)
    docs.filter(kind=EvidenceKind.TITLE_CERTIFICATE).update(title_level=person.title_level)
    docs.filter(kind=EvidenceKind.WORK_RECORD).update(quality_years=person.quality_years)


def test_the_default_rule_set_is_db50_and_passes_a_qualified_candidate(candidate):
    report = qualification_check(candidate)
    assert report.rule_set.code == DEFAULT_CODE
    assert report.outcome == PASS, [(r.code, r.message) for r in report.results]
    education = next(r for r in report.results if r.code == "education")
    assert education.clause == "§5.1.2" and education.evidence


@pytest.mark.parametrize(
    ("field", "value", "code", "expected"),
    [
        ("education", EducationLevel.JUNIOR_COLLEGE, "education", PASS),  # exactly the floor
        ("education", EducationLevel.SECONDARY, "education", BLOCK),  # one below
        ("title_level", TitleLevel.INTERMEDIATE, "title", PASS),
        ("title_level", TitleLevel.JUNIOR, "title", BLOCK),
        ("quality_years", 3, "years", PASS),
        ("quality_years", 2, "years", BLOCK),
    ],
)
def test_the_db50_thresholds_at_their_boundaries(root, principal, field, value, code, expected):
    person = make_candidate(root, f"b-{field}-{value}", **{field: value})
    add_evidence(person)
    declare_clean(person, principal)
    _evidence_shows_the_record(person)
    assert outcomes(qualification_check(person))[code] == expected


def test_a_missing_training_certificate_is_a_warning_by_default(root, principal):
    person = make_candidate(root, "notrain")
    add_evidence(person, EvidenceKind.DIPLOMA, EvidenceKind.TITLE_CERTIFICATE)
    declare_clean(person, principal)
    report = qualification_check(person)
    assert outcomes(report)["training"] == WARNING
    assert not report.blocked
    assert next(r for r in report.results if r.code == "training").clause == "§5.1.3"


def test_an_authorisation_letter_also_satisfies_5_1_3(root, principal):
    person = make_candidate(root, "letter")
    add_evidence(
        person,
        EvidenceKind.DIPLOMA,
        EvidenceKind.TITLE_CERTIFICATE,
        EvidenceKind.AUTHORISATION_LETTER,
    )
    declare_clean(person, principal)
    assert outcomes(qualification_check(person))["training"] == PASS


def test_an_expired_or_voided_certificate_does_not_count(root, principal, today):
    person = make_candidate(root, "expired")
    add_evidence(person)
    declare_clean(person, principal)
    EvidenceDocument.objects.filter(person=person, kind=EvidenceKind.TRAINING_CERTIFICATE).update(
        issued_on=today - datetime.timedelta(days=800),
        expires_on=today - datetime.timedelta(days=1),
    )
    assert outcomes(qualification_check(person))["training"] == WARNING


def test_a_record_without_a_diploma_on_file_is_a_warning(root, principal):
    person = make_candidate(root, "nodiploma")
    add_evidence(person, EvidenceKind.TITLE_CERTIFICATE, EvidenceKind.TRAINING_CERTIFICATE)
    declare_clean(person, principal)
    assert outcomes(qualification_check(person))["education"] == WARNING


def test_the_strict_preset_asks_a_bachelor_and_five_years_of_medium_firms(
    enterprise, root, principal
):
    strict(enterprise, principal)
    assert enterprise.size_class == SizeClass.MEDIUM
    person = make_candidate(root, "jc", education=EducationLevel.JUNIOR_COLLEGE, quality_years=5)
    add_evidence(person)
    declare_clean(person, principal)
    _evidence_shows_the_record(person)
    report = qualification_check(person)
    assert report.rule_set.code == STRICT_CODE
    assert outcomes(report)["education"] == BLOCK
    person.education, person.quality_years = EducationLevel.BACHELOR, 4
    person.save()
    _evidence_shows_the_record(person)
    assert outcomes(qualification_check(person))["years"] == BLOCK
    person.quality_years = 5
    person.save()
    _evidence_shows_the_record(person)
    assert qualification_check(person).outcome == PASS


def test_the_strict_preset_requires_training_for_large_firms(enterprise, root, principal):
    enterprise.size_class = SizeClass.LARGE
    enterprise.save()
    strict(enterprise, principal)
    person = make_candidate(root, "large")
    add_evidence(person, EvidenceKind.DIPLOMA, EvidenceKind.TITLE_CERTIFICATE)
    declare_clean(person, principal)
    assert outcomes(qualification_check(person))["training"] == BLOCK


def test_the_strict_preset_keeps_the_db50_floor_for_small_firms(enterprise, root, principal):
    enterprise.size_class = SizeClass.SMALL
    enterprise.save()
    strict(enterprise, principal)
    person = make_candidate(root, "small", education=EducationLevel.JUNIOR_COLLEGE, quality_years=3)
    add_evidence(
        person, EvidenceKind.DIPLOMA, EvidenceKind.TITLE_CERTIFICATE, EvidenceKind.WORK_RECORD
    )
    declare_clean(person, principal)
    _evidence_shows_the_record(person)
    report = qualification_check(person)
    assert outcomes(report)["education"] == PASS and outcomes(report)["training"] == WARNING


def test_only_the_principal_chooses_the_rule_set(enterprise, root):
    cqo = member(R.CQO, unit=root, username="c1")
    with pytest.raises(PermissionDenied):
        S.qualification_policy_set(
            actor=cqo,
            enterprise=enterprise,
            rule_set=QualificationRuleSet.objects.get(code=STRICT_CODE),
        )


def test_undeclared_conditions_block(root, principal):
    person = make_candidate(root, "undeclared")
    add_evidence(person)
    report = qualification_check(person)
    assert report.blocked
    assert {r.clause for r in report.blocks} == {"§5.1.4"}


@pytest.mark.parametrize("condition", ["serious_error", "abuse_of_office", "leaked_secrets"])
def test_a_disqualified_candidate_cannot_be_appointed_by_any_service(
    principal, candidate, second, password, today, condition
):
    S.disqualification_declare(actor=principal, person=candidate, answers={condition: True})
    report = qualification_check(candidate)
    assert report.blocked and any(r.clause == "§5.1.4" for r in report.blocks)
    before = (Appointment.objects.count(), AuditEvent.objects.count())
    with pytest.raises(ValidationError) as exc:
        S.appointment_create(
            actor=principal, person=candidate, effective_from=today, password=password
        )
    assert "§5.1.4" in " ".join(exc.value.message_dict["person"])
    assert (Appointment.objects.count(), AuditEvent.objects.count()) == before
    # Declaring it clean inside the same call is refused with the rest: the declaration is not kept.
    first = S.appointment_create(
        actor=principal, person=second, effective_from=today, password=password
    )
    with pytest.raises(ValidationError):
        S.appointment_handover(
            actor=principal,
            appointment=first,
            person=candidate,
            effective_from=today + datetime.timedelta(days=1),
        )


def test_a_candidate_disqualified_after_the_draft_cannot_be_signed(
    principal, candidate, password, today
):
    draft = S.appointment_create(actor=principal, person=candidate, effective_from=today)
    S.disqualification_declare(actor=principal, person=candidate, answers={"abuse_of_office": True})
    with pytest.raises(ValidationError) as exc:
        S.appointment_sign(actor=principal, appointment=draft, password=password)
    assert "§5.1.4" in str(exc.value)
    draft.refresh_from_db()
    assert draft.signed_at is None


def test_a_renewal_re_runs_the_check(principal, candidate, password, today):
    first = S.appointment_create(
        actor=principal, person=candidate, effective_from=today, password=password
    )
    S.disqualification_declare(actor=principal, person=candidate, answers={"leaked_secrets": True})
    with pytest.raises(ValidationError):
        S.appointment_renew(
            actor=principal,
            appointment=first,
            effective_from=today + datetime.timedelta(days=10),
            effective_to=None,
        )


def test_declarations_are_the_principals_and_checked(candidate, principal, root):
    with pytest.raises(PermissionDenied):
        S.disqualification_declare(
            actor=candidate.user, person=candidate, answers={"serious_error": False}
        )
    with pytest.raises(ValidationError):
        S.disqualification_declare(actor=principal, person=candidate, answers={"bribery": True})
    with pytest.raises(ValidationError):
        S.disqualification_declare(
            actor=principal, person=candidate, answers={"serious_error": "no"}
        )


def test_evidence_upload_checks_the_file_and_the_fields(candidate, principal, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    pdf = SimpleUploadedFile("diploma.pdf", b"%PDF-1.4 test", content_type="application/pdf")
    doc = S.evidence_add(
        actor=candidate.user,
        person=candidate,
        kind=EvidenceKind.DIPLOMA,
        title="毕业证书",
        file=pdf,
        education=EducationLevel.BACHELOR,
        issuer="重庆大学",
        number="X1",
    )
    assert (tmp_path / doc.file.name).exists()
    assert AuditEvent.objects.filter(action="post.evidence.add", clause="§5.1.2").exists()
    with pytest.raises(ValidationError) as exc:
        S.evidence_add(actor=principal, person=candidate, kind=EvidenceKind.DIPLOMA, title="x",
                       file=SimpleUploadedFile("x.exe", b"MZ"))  # fmt: skip
    assert "file" in exc.value.message_dict
    with pytest.raises(ValidationError) as exc:
        S.evidence_add(
            actor=principal,
            person=candidate,
            kind=EvidenceKind.TRAINING_CERTIFICATE,
            title="x",
            education=EducationLevel.BACHELOR,
        )
    assert "education" in exc.value.message_dict
    with pytest.raises(ValidationError) as exc:
        S.evidence_add(
            actor=principal,
            person=candidate,
            kind=EvidenceKind.OTHER,
            title="x",
            issued_on=datetime.date(2024, 1, 2),
            expires_on=datetime.date(2024, 1, 1),
        )


def test_someone_else_cannot_file_evidence_for_a_candidate(candidate, root):
    other = member(R.QUALITY_ENGINEER, unit=root, username="qe")
    with pytest.raises(PermissionDenied):
        S.evidence_add(actor=other, person=candidate, kind=EvidenceKind.OTHER, title="x")
