"""Who may do what with quality objectives (§7.1.2) and appraisal (§6 g), §7.1.7).

==================================  ========================================================
permission                          who holds it
==================================  ========================================================
view_objective, view_objective-     every member: the enterprise's objectives, their
actual                              actuals and lights are open to the units that own them
add_objective, change_objective     the CQO in office, the deputy, and holders of §6 g)
enter_objectiveactual (on one)      the objective's owner, the CQO in office, the deputy
view_appraisalround                 the principal, the CQO (role or in office), the deputy,
                                    quality engineers, auditors, holders of §6 g)
add_appraisalround, propose_-       the deputy, quality engineers, the CQO in office and
appraisalround                      holders of §6 g) (never proposing a score of their own)
review_appraisalround               the principal, the deputy, the CQO in office, holders
                                    of §6 g) — never whoever proposed the round
(signing a round)                   the CQO in office through the approval inbox
                                    (``appraisal_round``), never its proposer or reviewer
view_appraisal (on one)             the round's readers; the person appraised, or a
                                    member of the unit appraised, once the round is signed
export_appraisal                    the round's readers
add_appraisalappeal (on one)        the person appraised, once the round is signed
answer_appraisalappeal              the CQO in office and holders of §6 g), never the
                                    appellant
delete_*                            nobody: records are voided
==================================  ========================================================
"""

from __future__ import annotations

from typing import Any

import rules

from cqo.authorities.rules import exercise, is_current_cqo
from cqo.organisation.rules import has_role, is_active_user, is_member


@rules.predicate
def owns_objective(user: Any, obj: Any) -> bool:
    return obj is not None and getattr(obj, "owner_id", None) == user.pk


@rules.predicate
def appraised_and_signed(user: Any, obj: Any) -> bool:
    if obj is None or getattr(obj, "round", None) is None or obj.round.status != "signed":
        return False
    if obj.person_id is not None:
        return bool(obj.person_id == user.pk)
    person = getattr(user, "person", None)
    return person is not None and obj.unit_id is not None and person.unit_id == obj.unit_id


@rules.predicate
def is_the_person_and_signed(user: Any, obj: Any) -> bool:
    return (
        obj is not None and getattr(obj, "person_id", None) == user.pk
        and obj.round.status == "signed"
    )  # fmt: skip


@rules.predicate
def no_object(user: Any, obj: Any) -> bool:
    return obj is None


setters = is_active_user & (is_current_cqo | has_role("deputy") | exercise("g"))
round_readers = is_active_user & (
    has_role("principal", "cqo", "deputy", "quality_engineer", "auditor")
    | is_current_cqo
    | exercise("g")
)
proposers = is_active_user & (
    has_role("deputy", "quality_engineer") | is_current_cqo | exercise("g")
)
reviewers = is_active_user & (has_role("principal", "deputy") | is_current_cqo | exercise("g"))
answerers = is_active_user & (is_current_cqo | exercise("g"))

for _model in ("objective", "objectiveactual", "appraisalround", "roundobjective",
               "appraisal", "appraisalappeal"):  # fmt: skip
    rules.add_perm(f"performance.delete_{_model}", rules.always_deny)
rules.add_perm("performance.view_objective", is_member)
rules.add_perm("performance.view_objectiveactual", is_member)
rules.add_perm("performance.add_objective", setters)
rules.add_perm("performance.change_objective", setters)
rules.add_perm("performance.enter_objectiveactual", is_active_user & (owns_objective | setters))
rules.add_perm("performance.view_appraisalround", round_readers)
rules.add_perm("performance.add_appraisalround", proposers)
rules.add_perm("performance.propose_appraisalround", proposers)
rules.add_perm("performance.review_appraisalround", reviewers)
rules.add_perm(
    "performance.view_appraisal", is_active_user & (round_readers | appraised_and_signed)
)
rules.add_perm("performance.export_appraisal", round_readers)
# The API's reads: the list is filtered to what the caller may see; one record is checked.
rules.add_perm(
    "performance.read_appraisal",
    is_active_user & (no_object | round_readers | appraised_and_signed),
)
rules.add_perm("performance.add_appraisalappeal", is_active_user & is_the_person_and_signed)
rules.add_perm("performance.answer_appraisalappeal", answerers)
rules.add_perm("performance.view_appraisalappeal", is_active_user & (round_readers | is_member))
for _model in ("objectiveactual", "appraisalround", "roundobjective", "appraisal",
               "appraisalappeal"):  # fmt: skip
    rules.add_perm(f"performance.change_{_model}", rules.always_deny)
