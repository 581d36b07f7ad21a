"""What the regime part registers (decision 0005): its permission rules, audit labels, the
navigation entry under quality safety (§7.2.1), the CQO's panel of missing records, the chase of
missing records (the daily reminders job, and hourly), and its demo part."""

from __future__ import annotations


def register(app_label: str) -> None:
    from django.utils.translation import gettext_lazy as _

    from cqo.audit.labels import actions_register
    from cqo.core.clauses import clause
    from cqo.core.demo import demo_builder_register
    from cqo.notifications.services import reminder_register
    from cqo.workbench.nav import NavItem, nav_item_register

    from . import (
        audit_actions_regime,
        demo_regime,
        panels_regime,
        rules_regime,
        services_regime,
        tasks_regime,  # noqa: F401  (the hourly chase: a Huey periodic task)
    )

    assert rules_regime  # the permission table is registered when the module is imported
    actions_register(audit_actions_regime.ACTIONS)
    nav_item_register(
        "duties",
        NavItem("duty.7.2.1.2.regime", _("Daily control, weekly check, monthly dispatch"),
                clause("§7.2.1.2"), "safety:regime"),
        group_key="duties.safety",
    )  # fmt: skip
    panels_regime.register()
    reminder_register("safety.regime", services_regime.regime_remind)
    demo_builder_register("safety_regime", demo_regime.build, after=demo_regime.AFTER,
                          present=demo_regime.present)  # fmt: skip
