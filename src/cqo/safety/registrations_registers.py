"""What the registers part registers (decision 0005): its permission rules, audit labels,
navigation under §7.2.1, the key-posts panel on the workbench and its demo builder."""

from __future__ import annotations


def register(app_label: str) -> None:
    from cqo.audit.labels import actions_register

    from . import audit_actions_registers, rules_registers  # noqa: F401  (the rules register)

    actions_register(audit_actions_registers.ACTIONS)
