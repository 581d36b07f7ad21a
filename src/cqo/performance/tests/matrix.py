"""The performance app's rows of the permission matrix (tests/security/test_permission_matrix.py).

Who holds what follows ``cqo/performance/rules.py``: objectives are open to every member; rounds
are read by the principal, the CQO, the deputy, quality engineers and auditors; an appraisal also
by the person appraised once the round is signed (the matrix's employee); the API's appraisal list
is filtered to what the caller may see."""

from __future__ import annotations

from typing import Any

from cqo.testing.matrix import ANONYMOUS

READERS = ("principal", "cqo", "deputy", "quality_engineer", "auditor")
PAGE = {ANONYMOUS: 302, "*": 200}
POST_ONLY = {ANONYMOUS: 302, "*": 405}
ROUND_PAGE = {ANONYMOUS: 302, "*": 403, **dict.fromkeys(READERS, 200)}
API = {ANONYMOUS: 403, "*": 200}

EXPECTED: dict[str, dict[str, int]] = {
    "performance:objective_list": PAGE,
    "performance:objective_detail": PAGE,
    "performance:objective_void": POST_ONLY,
    "performance:actual_evidence": PAGE,
    "performance:round_list": ROUND_PAGE,
    "performance:round_detail": ROUND_PAGE,
    "performance:round_propose": POST_ONLY,
    "performance:round_review": POST_ONLY,
    "performance:round_export": ROUND_PAGE,
    "performance:appraisal_detail": {**ROUND_PAGE, "employee": 200},
    "performance:appeal_answer": POST_ONLY,
    "performance:my_appraisal": PAGE,
    "api:performance:objective-list": API,
    "api:performance:objective-detail": API,
    "api:performance:appraisal-list": API,
    "api:performance:appraisal-detail": {
        ANONYMOUS: 403,
        "*": 404,
        **dict.fromkeys(READERS, 200),
        "employee": 200,
    },
}
API_WRITERS: dict[str, tuple[str, ...]] = {
    "api:performance:objective-list": ("cqo", "deputy"),
}
OBJECT_FOR_PK: dict[str, str] = {
    "performance:objective_": "performance.objective",
    "api:performance:objective-": "performance.objective",
    "performance:actual_": "performance.actual",
    "performance:round_": "performance.round",
    "performance:appraisal_": "performance.appraisal",
    "api:performance:appraisal-": "performance.appraisal",
    "performance:appeal_": "performance.appeal",
}
KWARGS: dict[str, Any] = {}
PUBLIC_WRITES: dict[str, str] = {}


def build(world: Any) -> None:
    """An objective entered with evidence, owned by the employee, with one month's actual; a
    round of people weighing it, proposed by the quality engineer, reviewed by the deputy and
    signed by the CQO; the employee's appeal against the score."""
    from cqo.authorities.models import ApprovalRequest
    from cqo.authorities.services import approval_decide
    from cqo.performance import services as S
    from cqo.testing.factories import TEST_PASSWORD
    from cqo.testing.performance import evidence
    from cqo.testing.world import today

    users = world.users
    first = today().replace(month=1, day=1)
    objective = S.objective_create(
        actor=users["cqo"], title="培训完成率", measure_name="培训完成率", measure_unit="%",
        direction="higher", target="95", first=first, last=first.replace(month=12, day=31),
        owner=users["employee"], unit=world.objects["unit"],
    )  # fmt: skip
    actual = S.actual_enter(actor=users["employee"], objective=objective, month=today(),
                            value="96", evidence=evidence())  # fmt: skip
    found = S.round_create(actor=users["quality_engineer"], title="矩阵考核",
                           subject_kind="person", first=first, last=today())  # fmt: skip
    S.round_weight_set(actor=users["quality_engineer"], round=found, objective=objective,
                       weight="100")  # fmt: skip
    S.round_propose(actor=users["quality_engineer"], round=found)
    found = S.round_review(actor=users["deputy"], round=found)
    approval_decide(actor=users["cqo"], request=ApprovalRequest.objects.get(pk=found.approval_id),
                    decision="approve", reason="同意", password=TEST_PASSWORD)  # fmt: skip
    found.refresh_from_db()
    appraisal = found.appraisals.get()
    appeal = S.appeal_raise(actor=users["employee"], appraisal=appraisal, grounds="培训记录不全")
    world.objects.update({
        "performance.objective": objective, "performance.actual": actual,
        "performance.round": found, "performance.appraisal": appraisal,
        "performance.appeal": appeal,
    })  # fmt: skip
