"""Who may do what with the quality-cost ledger (§7.1.5, §7.2.3.7, §6 f)).

=====================================  =====================================================
permission                             who holds it
=====================================  =====================================================
view_ledgerline (the ledger, its       the principal, the CQO (role or in office), the
reports, chart, months, figures,       deputy, auditors, department heads, quality
jobs)                                  engineers, holders of §6 f), finance keepers
add_ledgerline (manual line, import,   the CQO (role or in office), the deputy, holders of
API, pull from the sources, reversal)  §6 f)
close_month                            the CQO (role or in office), the deputy, holders of
                                       §6 f)
change_chartitem (add, void items)     the CQO (role or in office), holders of §6 f)
change_financekeeper (name keepers)    the CQO (role or in office)
add_basefigure (enter, import)         finance keepers only: the figures are finance's,
                                       never assumed by the quality side
delete_*, change_ledgerline            nobody: lines are reversed, never edited or deleted
=====================================  =====================================================
"""

from __future__ import annotations

from typing import Any

import rules

from cqo.authorities.rules import exercise, is_current_cqo
from cqo.organisation.rules import has_role, is_active_user


@rules.predicate
def is_finance_keeper(user: Any) -> bool:
    from .models_ledger import FinanceKeeper

    if not getattr(user, "is_authenticated", False):
        return False
    return FinanceKeeper.objects.filter(user_id=user.pk, voided_at__isnull=True).exists()


_cqo = has_role("cqo") | is_current_cqo
readers = is_active_user & (
    has_role("principal", "cqo", "deputy", "auditor", "department_head", "quality_engineer")
    | is_current_cqo
    | exercise("f")
    | is_finance_keeper
)
keepers = is_active_user & (_cqo | has_role("deputy") | exercise("f"))

for _model in ("ledgerline", "chartitem", "monthclose", "basefigure", "financekeeper", "ledgerjob"):
    rules.add_perm(f"costs.delete_{_model}", rules.always_deny)
    rules.add_perm(f"costs.view_{_model}", readers)
rules.add_perm("costs.change_ledgerline", rules.always_deny)
rules.add_perm("costs.add_ledgerline", keepers)
rules.add_perm("costs.close_month", keepers)
rules.add_perm("costs.change_chartitem", is_active_user & (_cqo | exercise("f")))
rules.add_perm("costs.change_financekeeper", is_active_user & _cqo)
rules.add_perm("costs.add_basefigure", is_active_user & is_finance_keeper)
