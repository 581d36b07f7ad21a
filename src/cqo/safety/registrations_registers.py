"""What the registers part registers (decision 0005): its permission rules, audit labels,
navigation under §7.2.1, the key-posts panel on the CQO's workbench and its demo builder."""

from __future__ import annotations


def register(app_label: str) -> None:
    from django.utils.translation import gettext_lazy as _

    from cqo.audit.labels import actions_register
    from cqo.core.clauses import clause
    from cqo.core.demo import demo_builder_register
    from cqo.workbench.nav import NavItem, nav_item_register, nav_link

    from . import (
        audit_actions_registers,
        demo_registers,
        panels_registers,
        rules_registers,  # noqa: F401  (registers the permission rules)
    )

    actions_register(audit_actions_registers.ACTIONS)
    panels_registers.register()
    nav_link("duty.7.2.1.2", "safety:requirement_list")
    for key, label, code, url_name in (
        ("duty.7.2.1.2.risks", _("Risk register"), "§7.2.1.2", "safety:risk_list"),
        ("duty.7.2.1.2.list", _("Risk-control list"), "§7.2.1.2", "safety:control_list"),
        ("duty.7.2.1.3.key_posts", _("Key posts"), "§7.2.1.3", "safety:key_post_list"),
    ):
        nav_item_register("duties", NavItem(key, label, clause(code), url_name),
                          group_key="duties.safety")  # fmt: skip
    demo_builder_register("safety.registers", demo_registers.build,
                          after=("organisation",))  # fmt: skip
