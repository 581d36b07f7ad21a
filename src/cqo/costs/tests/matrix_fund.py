"""The fund part's rows of the permission matrix (tests/security/test_permission_matrix.py).

Who holds what follows ``cqo/costs/rules_fund.py``: the budget is read by the principal, the
CQO, the deputy and auditors (and holders of §6 f)), and prepared by the matrix's CQO (appointed,
so in office); the fund, its spendings and payments are open to every member, and every member
may apply; the CQO in office records payments. The year-end report is asked for by POST (a job in the queue);
its job and its kept file are open to whoever may see the fund."""

from __future__ import annotations

from typing import Any

from cqo.testing.matrix import ANONYMOUS, ROLES

BUDGET_READERS = ("principal", "cqo", "deputy", "auditor")
PAGE = {ANONYMOUS: 302, "*": 200}
PAGE_POST_ONLY = {ANONYMOUS: 302, "*": 405}
API = {ANONYMOUS: 403, "*": 200}
API_POST_ONLY = {ANONYMOUS: 403, "*": 405}
BUDGET_PAGE = {ANONYMOUS: 302, "*": 403, **dict.fromkeys(BUDGET_READERS, 200)}
BUDGET_API = {ANONYMOUS: 403, "*": 403, **dict.fromkeys(BUDGET_READERS, 200)}
BUDGET_API_POST_ONLY = {ANONYMOUS: 403, "*": 403, **dict.fromkeys(BUDGET_READERS, 405)}

EXPECTED: dict[str, dict[str, int]] = {
    "costs:budget_list": BUDGET_PAGE,
    "costs:budget_detail": BUDGET_PAGE,
    "costs:budget_submit": PAGE_POST_ONLY,
    "costs:fund_list": PAGE,
    "costs:fund_detail": PAGE,
    "costs:fund_report": PAGE_POST_ONLY,
    "costs:fund_report_job": PAGE,
    "costs:fund_report_file": PAGE,
    "costs:spending_new": PAGE,
    "costs:spending_list": PAGE,
    "costs:spending_detail": PAGE,
    "costs:spending_pay": PAGE_POST_ONLY,
    "costs:payment_voucher": PAGE,
    "api:costs:budget-list": BUDGET_API,
    "api:costs:budget-detail": BUDGET_API,
    "api:costs:budget-lines": BUDGET_API_POST_ONLY,
    "api:costs:budget-submit": BUDGET_API_POST_ONLY,
    "api:costs:fund-list": API,
    "api:costs:fund-detail": API,
    "api:costs:fund-purposes": API_POST_ONLY,
    "api:costs:fund-report": API_POST_ONLY,
    "api:costs:fundreport-list": API,
    "api:costs:fundreport-detail": API,
    "api:costs:fundreport-file": API,
    "api:costs:spending-list": API,
    "api:costs:spending-detail": API,
    "api:costs:spending-payments": API_POST_ONLY,
}
API_WRITERS: dict[str, tuple[str, ...]] = {
    "api:costs:budget-list": ("cqo",),
    "api:costs:budget-lines": ("cqo",),
    "api:costs:budget-submit": ("cqo",),
    "api:costs:fund-list": ("cqo",),
    "api:costs:fund-purposes": ("cqo",),
    "api:costs:fund-report": ROLES,
    "api:costs:spending-list": ROLES,
    "api:costs:spending-payments": ("cqo",),
}
OBJECT_FOR_PK: dict[str, str] = {
    "costs:budget_": "costs.budget",
    "api:costs:budget-": "costs.budget",
    "costs:fund_": "costs.fund",
    "costs:fund_report_": "costs.fundreportjob",
    "api:costs:fundreport-": "costs.fundreportjob",
    "costs:spending_new": "costs.fund",
    "api:costs:fund-": "costs.fund",
    "costs:spending_": "costs.spending",
    "api:costs:spending-": "costs.spending",
    "costs:payment_": "costs.payment",
}
KWARGS: dict[str, Any] = {}
PUBLIC_WRITES: dict[str, str] = {}


def build(world: Any) -> None:
    """A draft budget with one line, this year's fund with two purposes, and the employee's
    spending approved by the CQO and partly paid with a voucher."""
    from cqo.authorities.models import ApprovalRequest
    from cqo.authorities.services import approval_decide
    from cqo.costs import services_fund as S
    from cqo.costs.services_fund_report import fund_report_build, fund_report_request
    from cqo.testing.factories import TEST_PASSWORD
    from cqo.testing.fund import voucher
    from cqo.testing.world import today

    cqo, unit = world.users["cqo"], world.objects["unit"]
    budget = S.budget_create(actor=cqo, year=today().year)
    S.budget_line_set(actor=cqo, budget=budget, unit=unit, item_code="p_training", amount="1000")
    fund = S.fund_create(actor=cqo, year=today().year, amount="10000", plan_ref="矩阵",
                         principal_threshold="5000")  # fmt: skip
    purpose = S.fund_purpose_add(actor=cqo, fund=fund, kind="talent", allocation="6000")
    S.fund_purpose_add(actor=cqo, fund=fund, kind="rewards", allocation="4000")
    spending = S.fund_spending_apply(
        actor=world.users["employee"], fund=fund, purpose=purpose, unit=unit, title="矩阵培训",
        justification="矩阵", amount="1000",
    )  # fmt: skip
    approval_decide(actor=cqo, request=ApprovalRequest.objects.get(pk=spending.approval_id),
                    decision="approve", reason="矩阵", password=TEST_PASSWORD)  # fmt: skip
    spending.refresh_from_db()
    payment = S.fund_payment_record(actor=cqo, spending=spending, amount="400", paid_on=today(),
                                    voucher_no="MX-1", voucher=voucher())  # fmt: skip
    job = fund_report_request(actor=world.users["employee"], fund=fund, format="xlsx")
    job = fund_report_build(job.pk)  # built here when the world's transaction holds the queue
    world.objects.update({"costs.budget": budget, "costs.fund": fund,
                          "costs.spending": spending, "costs.payment": payment,
                          "costs.fundreportjob": job})  # fmt: skip
