"""What the case part registers (decision 0005): its rules, audit labels, the recall entry of
the CQO's duties (§7.2.1.4), the receiver of ``masterdata.events.recall_requested``, the API
and the demo case."""

from __future__ import annotations


def register(app_label: str) -> None:
    from cqo.audit.labels import actions_register
    from cqo.core.demo import demo_builder_register
    from cqo.masterdata import events
    from cqo.workbench.nav import nav_link

    from . import audit_actions_case, demo_case, rules_case, services_case

    assert rules_case  # the permissions are declared on import
    actions_register(audit_actions_case.ACTIONS)
    nav_link("duty.7.2.1.4", "recall:case_list")
    events.recall_requested.connect(
        services_case.recall_requested_receiver, dispatch_uid="recall.case.requested"
    )
    demo_builder_register(
        "recall", demo_case.build, after=demo_case.AFTER, present=demo_case.present
    )
