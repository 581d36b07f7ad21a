"""The post's rows of the permission matrix (tests/security/test_permission_matrix.py).

Who may see what follows ``cqo/post/rules.py``: the appointments, the qualification, the evidence
and the knowledge and ability assessments are read by the principal, the auditor and the person
they are about; at model level (lists, the filing export, the API's endpoint check) the CQO in
office (the matrix's ``cqo`` account, appointed) stands for "their own". Writes are the principal's, except what the person does about
themself (evidence, the self column of an assessment, its development plan). The charter is a
system document every member reads; the principal and the CQO in office generate it, the
principal alone approves and publishes it.

The world: the matrix's CQO-role account is appointed by the matrix's principal (a signed
appointment, through the services, so the authorities' rows find it in force), with a renewal
drafted after it; a diploma, a title and a training certificate on file, the §5.1.4 declarations
made; an open assessment with one development action; charter v1 generated, approved and
published, and v2 drafted.

The evidence document has no file: writing one would leave it under MEDIA_ROOT, since the world
has no teardown. Its readers get the view's "no file" 404 once past the permission check, and
everyone else the 403 before it.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.utils import timezone

from cqo.testing.matrix import ANONYMOUS

# view_appointment, view_qualification, view_evidencedocument, view_competenceassessment: the
# principal, the auditor and the person concerned (the CQO in this world).
READERS = ("principal", "auditor", "cqo")
# add_/void_evidencedocument, score_/change_competenceassessment on the CQO's records.
OWN_WRITERS = ("principal", "cqo")


def _page(**who: int) -> dict[str, int]:
    return {ANONYMOUS: 302, "*": 200, **who}


def _page_for(*roles: str, **who: int) -> dict[str, int]:
    return {ANONYMOUS: 302, "*": 403, **dict.fromkeys(roles, 200), **who}


def _api() -> dict[str, int]:
    return {ANONYMOUS: 403, "*": 200}


def _api_for(*roles: str) -> dict[str, int]:
    return {ANONYMOUS: 403, "*": 403, **dict.fromkeys(roles, 200)}


def _api_post_only(*roles: str) -> dict[str, int]:
    """A POST-only API action. A GET names no action, so ObjectPermission asks for the view
    permission on the viewset's model: who holds it at model level gets 405, others 403."""
    return {ANONYMOUS: 403, "*": 403, **dict.fromkeys(roles, 405)}


# A POST-only page: sign in first, then a GET is not allowed.
PAGE_POST_ONLY = {ANONYMOUS: 302, "*": 405}
# A POST-only API action whose model every member may view (the charter; the qualification's
# model is the person, organisation.view_person).
API_POST_ONLY = {ANONYMOUS: 403, "*": 405}

EXPECTED: dict[str, dict[str, int]] = {
    # On to the appointments for those who read them, to the charter for everyone else.
    "post:index": {ANONYMOUS: 302, "*": 302},
    # --- appointment (§3.1, §4.1) ---------------------------------------------------------
    "post:appointment_list": _page_for(*READERS),
    "post:appointment_new": _page_for("principal"),
    "post:filing_xlsx_all": _page_for(*READERS),
    "post:appointment_detail": _page_for(*READERS),
    "post:appointment_sign": PAGE_POST_ONLY,
    "post:appointment_renew": _page_for("principal"),
    "post:appointment_handover": _page_for("principal"),
    "post:appointment_remove": _page_for("principal"),
    "post:appointment_withdraw": _page_for("principal"),
    "post:letter_pdf": _page_for(*READERS),
    "post:filing_pdf": _page_for(*READERS),
    "post:filing_xlsx": _page_for(*READERS),
    # --- qualification (§5.1) -------------------------------------------------------------
    # The CQO sees one person, themself, and is taken straight to their own report.
    "post:qualification_index": _page_for("principal", "auditor", cqo=302),
    "post:qualification_policy": PAGE_POST_ONLY,
    "post:qualification": _page_for(*READERS),
    "post:qualification_pdf": _page_for(*READERS),
    "post:qualification_declare": PAGE_POST_ONLY,
    "post:evidence_new": _page_for(*OWN_WRITERS),
    "post:evidence_file": _page_for(**dict.fromkeys(READERS, 404)),  # no file: see above
    "post:evidence_void": _page_for(*OWN_WRITERS),
    # --- knowledge and abilities (§5.2, §5.3) ---------------------------------------------
    "post:competence_list": _page_for(*READERS),
    "post:competence_detail": _page_for(*READERS),
    "post:competence_score": PAGE_POST_ONLY,
    "post:competence_action": PAGE_POST_ONLY,
    "post:competence_action_done": PAGE_POST_ONLY,
    "post:competence_complete": PAGE_POST_ONLY,
    # --- charter (§4.2): every member reads it --------------------------------------------
    "charter:charter_list": _page(),
    "charter:charter_detail": _page(),
    "charter:charter_approve": PAGE_POST_ONLY,
    "charter:charter_publish": PAGE_POST_ONLY,
    "charter:charter_pdf": _page(),
    # --- API ------------------------------------------------------------------------------
    "api:post:api-root": _api(),
    "api:post:post-appointment-list": _api_for(*READERS),
    "api:post:post-appointment-detail": _api_for(*READERS),
    "api:post:post-appointment-current": _api_for(*READERS),
    "api:post:post-appointment-sign": _api_post_only(*READERS),
    "api:post:post-appointment-renew": _api_post_only(*READERS),
    "api:post:post-appointment-handover": _api_post_only(*READERS),
    "api:post:post-appointment-remove": _api_post_only(*READERS),
    "api:post:post-appointment-withdraw": _api_post_only(*READERS),
    "api:post:post-appointment-letter-pdf": _api_for(*READERS),
    "api:post:post-appointment-filing-pdf": _api_for(*READERS),
    "api:post:post-appointment-filing-xlsx": _api_for(*READERS),
    "api:post:post-appointment-filing-xlsx-all": _api_for(*READERS),
    "api:post:post-qualification-report-pdf": _api_for(*READERS),
    "api:post:post-evidence-void": _api_post_only(*READERS),
    # No file in this world (see above): its readers get the 404 once past the permission check.
    "api:post:post-evidence-file": {ANONYMOUS: 403, "*": 403, **dict.fromkeys(READERS, 404)},
    "api:post:post-action-done": _api_post_only(*READERS),
    "api:post:post-qualification-detail": _api_for(*READERS),
    "api:post:post-qualification-declare": API_POST_ONLY,
    "api:post:post-qualification-evidence": _api_for(*READERS),
    "api:post:post-ruleset-list": _api(),
    "api:post:post-ruleset-detail": _api(),
    "api:post:post-assessment-list": _api_for(*READERS),
    "api:post:post-assessment-detail": _api_for(*READERS),
    "api:post:post-assessment-score": _api_post_only(*READERS),
    "api:post:post-assessment-plan": _api_post_only(*READERS),
    "api:post:post-assessment-complete": _api_post_only(*READERS),
    "api:charter:post-charter-list": _api(),
    "api:charter:post-charter-detail": _api(),
    "api:charter:post-charter-approve": API_POST_ONLY,
    "api:charter:post-charter-publish": API_POST_ONLY,
    "api:charter:post-charter-pdf": _api(),
}

API_WRITERS: dict[str, tuple[str, ...]] = {
    "api:post:post-appointment-list": ("principal",),
    "api:post:post-appointment-sign": ("principal",),
    "api:post:post-appointment-renew": ("principal",),
    "api:post:post-appointment-handover": ("principal",),
    "api:post:post-appointment-remove": ("principal",),
    "api:post:post-appointment-withdraw": ("principal",),
    "api:post:post-qualification-declare": ("principal",),
    "api:post:post-qualification-evidence": OWN_WRITERS,
    # The CQO in office may open an assessment of themself, the principal of anyone.
    "api:post:post-assessment-list": ("principal", "cqo"),
    "api:post:post-assessment-score": OWN_WRITERS,
    "api:post:post-assessment-plan": OWN_WRITERS,
    "api:post:post-assessment-complete": ("principal",),
    "api:post:post-evidence-void": OWN_WRITERS,
    "api:post:post-action-done": OWN_WRITERS,
    # generate_charter: the principal and the CQO in office (the matrix's CQO account).
    "api:charter:post-charter-list": ("principal", "cqo"),
    "api:charter:post-charter-approve": ("principal",),
    "api:charter:post-charter-publish": ("principal",),
}

OBJECT_FOR_PK = {
    "post:appointment_": "post.appointment",
    "post:appointment_sign": "post.draft",
    "post:appointment_withdraw": "post.draft",
    "post:letter_pdf": "post.appointment",
    "post:filing_pdf": "post.appointment",
    "post:filing_xlsx": "post.appointment",
    "post:qualification": "post.person",
    "post:evidence_": "post.evidence",
    "post:evidence_new": "post.person",
    "post:competence_": "post.assessment",
    "post:competence_action_done": "post.action",
    "charter:charter_": "post.charter",
    "charter:charter_approve": "post.charter_draft",
    "charter:charter_publish": "post.charter_draft",
    "api:post:post-appointment-": "post.appointment",
    "api:post:post-appointment-sign": "post.draft",
    "api:post:post-appointment-withdraw": "post.draft",
    "api:post:post-qualification-": "post.person",
    "api:post:post-ruleset-": "post.ruleset",
    "api:post:post-assessment-": "post.assessment",
    "api:post:post-evidence-": "post.evidence",
    "api:post:post-action-": "post.action",
    "api:charter:post-charter-": "post.charter",
    "api:charter:post-charter-approve": "post.charter_draft",
    "api:charter:post-charter-publish": "post.charter_draft",
}


def build(world: Any) -> None:
    from cqo.charter import services as CS
    from cqo.organisation.models import EducationLevel, TitleLevel
    from cqo.post import services as S
    from cqo.post.models import CompetenceArea, Disqualification, EvidenceKind
    from cqo.post.qualification import rule_set_for
    from cqo.testing.factories import TEST_PASSWORD

    users = world.users
    principal, cqo = users["principal"], users["cqo"]
    person = cqo.person
    enterprise = world.objects["enterprise"]
    enterprise.principal = principal.person
    enterprise.legal_representative = principal.person
    enterprise.save(update_fields=["principal", "legal_representative"])
    today = timezone.localdate()

    diploma = S.evidence_add(
        actor=cqo, person=person, kind=EvidenceKind.DIPLOMA, title="矩阵毕业证书",
        issuer="重庆大学", number="MX-1", education=EducationLevel.BACHELOR,
    )  # fmt: skip
    S.evidence_add(
        actor=cqo, person=person, kind=EvidenceKind.TITLE_CERTIFICATE, title="矩阵职称证书",
        issuer="重庆市人力资源和社会保障局", number="MX-2", title_level=TitleLevel.INTERMEDIATE,
    )  # fmt: skip
    S.evidence_add(
        actor=cqo, person=person, kind=EvidenceKind.TRAINING_CERTIFICATE, title="矩阵培训证书",
        issuer="重庆市市场监督管理局", number="MX-3", issued_on=today,
    )  # fmt: skip
    appointment = S.appointment_create(
        actor=principal, person=person, effective_from=today,
        effective_to=today + datetime.timedelta(days=3 * 365),
        declarations=dict.fromkeys(Disqualification.values, False), password=TEST_PASSWORD,
    )  # fmt: skip
    assert appointment.last_day is not None
    draft = S.appointment_renew(
        actor=principal, appointment=appointment,
        effective_to=appointment.last_day + datetime.timedelta(days=3 * 365),
    )  # fmt: skip
    assessment = S.assessment_create(actor=principal, person=person, assessed_on=today)
    action = S.assessment_action_add(
        actor=cqo, assessment=assessment, area=CompetenceArea.K_BUSINESS, action="矩阵培训",
        due_on=today + datetime.timedelta(days=30),
    )  # fmt: skip
    charter = CS.charter_generate(actor=cqo)
    charter = CS.charter_approve(actor=principal, charter=charter, password=TEST_PASSWORD)
    charter = CS.charter_publish(actor=principal, charter=charter)
    charter_draft = CS.charter_generate(actor=cqo)
    world.objects.update(
        {
            "post.person": person,
            "post.appointment": appointment,
            "post.draft": draft,
            "post.evidence": diploma,
            "post.assessment": assessment,
            "post.action": action,
            "post.charter": charter,
            "post.charter_draft": charter_draft,
            "post.ruleset": rule_set_for(enterprise),
        }
    )
