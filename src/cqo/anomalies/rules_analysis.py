"""Who reads the analysis of nonconformances (§6 c), §7.1.4). Imported from
``registrations.register_analysis``.

=====================================  =====================================================
permission                             who holds it
=====================================  =====================================================
view_analysis                          the principal, the CQO (and the CQO in office), the
                                       deputy, quality engineers, inspectors, department
                                       heads (whose units own NCRs) and auditors: ageing,
                                       closure time, repeats, Pareto, trends, their exports
=====================================  =====================================================
"""

from __future__ import annotations

import rules

from cqo.authorities.rules import is_current_cqo
from cqo.organisation.rules import has_role, is_active_user

ANALYSIS_READERS = (
    "principal", "cqo", "deputy", "quality_engineer", "inspector", "department_head", "auditor",
)  # fmt: skip
reads_analysis = is_active_user & (has_role(*ANALYSIS_READERS) | is_current_cqo)


def register() -> None:
    if not rules.perm_exists("anomalies.view_analysis"):
        rules.add_perm("anomalies.view_analysis", reads_analysis)
