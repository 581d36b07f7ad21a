"""Who may do what with the quality budget (§6 f)) and the special quality fund (§8.1).

=====================================  =====================================================
permission                             who holds it
=====================================  =====================================================
view_qualitybudget, view_budgetline    the principal, the CQO (role or in office), the
                                       deputy, auditors, and holders of §6 f)
add_qualitybudget, change_quality-     the CQO in office: she prepares the budget; the
budget, submit_qualitybudget,          principal approves it through an approval request
void_qualitybudget                     (``quality_budget``), never on this app's pages
view_fund, view_fundpurpose,           every member: the fund, its purposes, balances and
view_fundspending, view_fundpayment    spendings are open to the units that apply
add_fund, change_fund                  the CQO in office (sets up the year's fund and its
                                       purposes and allocations)
add_fundspending                       every member: a unit applies to spend
view_fundreportjob, add_fundreport-    every member, as the fund itself: the year-end
job                                    report's jobs (the object checked is the fund)
pay_fundspending                       whoever holds §6 f) over the spending's unit (the
                                       CQO in office or a delegate of §6 f))
(deciding a spending)                  the authorities' approval inbox: the CQO or a
                                       delegate of §6 f), and the principal above the
                                       fund's threshold; never the applicant (SoD)
delete_*, change_* (others)            nobody: records are voided
=====================================  =====================================================
"""

from __future__ import annotations

import rules

from cqo.authorities.rules import exercise, is_current_cqo
from cqo.organisation.rules import has_role, is_active_user, is_member

_MODELS = ("qualitybudget", "budgetline", "fund", "fundpurpose", "fundspending", "fundpayment",
           "fundreportjob")  # fmt: skip

budget_readers = is_active_user & (
    has_role("principal", "cqo", "deputy", "auditor") | is_current_cqo | exercise("f")
)
cqo_in_office = is_active_user & is_current_cqo

for _model in _MODELS:
    rules.add_perm(f"costs.delete_{_model}", rules.always_deny)
for _model in ("qualitybudget", "budgetline"):
    rules.add_perm(f"costs.view_{_model}", budget_readers)
for _model in ("fund", "fundpurpose", "fundspending", "fundpayment", "fundreportjob"):
    rules.add_perm(f"costs.view_{_model}", is_member)

for _perm in ("add_qualitybudget", "change_qualitybudget", "submit_qualitybudget",
              "void_qualitybudget", "add_fund", "change_fund"):  # fmt: skip
    rules.add_perm(f"costs.{_perm}", cqo_in_office)
rules.add_perm("costs.add_fundspending", is_member)
# The year-end report's jobs: whoever may see the fund asks for one (the service checks
# costs.view_fund on that fund); nobody changes a kept file.
rules.add_perm("costs.add_fundreportjob", is_member)
rules.add_perm("costs.change_fundreportjob", rules.always_deny)
rules.add_perm("costs.pay_fundspending", is_active_user & exercise("f"))
for _model in ("budgetline", "fundpurpose", "fundspending", "fundpayment"):
    rules.add_perm(f"costs.change_{_model}", rules.always_deny)
