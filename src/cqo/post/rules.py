"""Who may do what with the CQO post's records.

=========================================  ===================================================
permission                                 who holds it
=========================================  ===================================================
view_appointment, export_appointment       principal, auditor; the appointee (their own
                                           appointments; at model level the CQO in office
                                           or a candidate, never the ``cqo`` role alone)
add_appointment, sign_appointment,         principal (§3.1); signing further asks that the
renew_appointment, handover_appointment,   signer holds the principal role and is the
remove_appointment, withdraw_appointment   appointing principal recorded on the draft
view_qualification (on a person),          principal, auditor, the person themself
view_evidencedocument
add_evidencedocument, void_evidencedocument principal, the person themself
declare_disqualification                   principal (§5.1.4)
change_qualificationpolicy                 principal
view_qualificationruleset                  every member
view_competenceassessment                  principal, auditor, the person assessed
add_competenceassessment                   principal; the CQO in office or a candidate (named
                                           on a draft appointment), of themself
change_competenceassessment (plan)         principal, the person assessed
score_competenceassessment                 principal (their column), the person (self column)
complete_competenceassessment              principal
delete_* (any)                             nobody
=========================================  ===================================================

The auditor appears only in view rules: read-only by construction. Superusers pass Django's
checks, but the signing services also ask for the principal role itself.

What belongs to the CQO follows the appointment (§3.1, §6), as the authority engine does: the
``cqo`` group is a label, kept by a removed CQO and missing for one appointed from another role.
A candidate is a person the principal is appointing (a draft appointment awaits the signature) or
assessing (an open assessment of them): they reach their own §5 records before taking office.
"""

from __future__ import annotations

from typing import Any

import rules

from cqo.core import request_cache
from cqo.organisation import roles as R
from cqo.organisation.rules import has_role, is_active_user, is_member, user_person

from . import office

is_principal = is_active_user & has_role(R.PRINCIPAL)
is_auditor = is_active_user & has_role(R.AUDITOR)


def _person_of(obj: Any) -> Any:
    from cqo.organisation.models import Person

    from .models import (
        Appointment,
        CompetenceAssessment,
        CompetenceScore,
        DevelopmentAction,
        DisqualificationDeclaration,
        EvidenceDocument,
    )

    if isinstance(obj, Person):
        return obj
    if isinstance(
        obj, Appointment | EvidenceDocument | CompetenceAssessment | DisqualificationDeclaration
    ):
        return obj.person
    if isinstance(obj, CompetenceScore | DevelopmentAction):
        return obj.assessment.person
    return None


@rules.predicate
def is_own(user: Any, obj: Any) -> bool:
    """The record is about the user themself. Without an object: could be, for a member."""
    if not is_active_user(user):
        return False
    me = user_person(user)
    if me is None:
        return False
    if obj is None:
        return True
    person = _person_of(obj)
    return person is not None and person.pk == me.pk


@rules.predicate
def is_current_cqo(user: Any) -> bool:
    """The CQO in office today, remembered on the user object (``office``), so a page asking many
    rules looks the appointment up once."""
    return office.is_current_cqo(user)


@rules.predicate
def is_candidate(user: Any) -> bool:
    """Named on an appointment awaiting the principal's signature, or the subject of an open
    competence assessment: someone the principal is appointing or assessing. Asked once per
    request (``cqo.core.request_cache``)."""
    if not is_active_user(user):
        return False

    def ask() -> bool:
        from django.db.models import Q

        from .models import AppointmentStatus, AssessmentStatus

        me = user_person(user)
        return me is not None and (
            type(me)
            .objects.filter(pk=me.pk)
            .filter(
                Q(
                    cqo_appointments__status=AppointmentStatus.DRAFT,
                    cqo_appointments__voided_at__isnull=True,
                )
                | Q(competence_assessments__status=AssessmentStatus.OPEN)
            )
            .exists()
        )

    return bool(request_cache.remember(("post.candidate", user.pk), ask))


# The workbench (below the post) asks this rule by name for its CQO-only panels.
rules.add_rule("cqo_in_office", is_current_cqo)

in_office_or_candidate = is_current_cqo | is_candidate


@rules.predicate
def is_own_or_cqo_model_level(user: Any, obj: Any) -> bool:
    """Their own record; without an object (a list, an export, the API's endpoint check), the
    CQO in office or a candidate, whose lists the selectors then narrow to their own."""
    if obj is None:
        return bool(in_office_or_candidate(user))
    return bool(is_own(user, obj))


readers = is_principal | is_auditor | is_own_or_cqo_model_level

rules.add_perm("post.view_appointment", readers)
rules.add_perm("post.export_appointment", readers)
for _perm in ("add", "sign", "renew", "handover", "remove", "withdraw"):
    rules.add_perm(f"post.{_perm}_appointment", is_principal)
rules.add_perm("post.change_appointment", rules.always_deny)

rules.add_perm("post.view_qualification", readers)
rules.add_perm("post.view_evidencedocument", readers)
rules.add_perm("post.add_evidencedocument", is_principal | is_own)
rules.add_perm("post.void_evidencedocument", is_principal | is_own)
rules.add_perm("post.change_evidencedocument", rules.always_deny)
rules.add_perm("post.declare_disqualification", is_principal)
rules.add_perm("post.view_disqualificationdeclaration", is_principal | is_auditor)
rules.add_perm("post.change_qualificationpolicy", is_principal)
rules.add_perm("post.view_qualificationruleset", is_member)

rules.add_perm("post.view_competenceassessment", readers)
# Only the CQO in office, or a candidate, assesses themself: §5.2/§5.3 describe the CQO, not every
# member, and the post, not the ``cqo`` group, makes the CQO.
rules.add_perm("post.add_competenceassessment", is_principal | (in_office_or_candidate & is_own))
rules.add_perm("post.change_competenceassessment", is_principal | is_own)
rules.add_perm("post.score_competenceassessment", is_principal | is_own)
rules.add_perm("post.complete_competenceassessment", is_principal)


for _model in (
    "appointment", "evidencedocument", "disqualificationdeclaration", "competenceassessment",
    "competencescore", "developmentaction", "qualificationruleset", "qualificationrule",
    "qualificationpolicy",
):  # fmt: skip
    rules.add_perm(f"post.delete_{_model}", rules.always_deny)
