"""``{{ event|action_label }}`` and ``{{ object_type|object_type_label }}``: the audit trail's
codes in the reader's language (see ``cqo.audit.labels``)."""

from __future__ import annotations

from typing import Any

from django import template

from cqo.audit import labels

register = template.Library()


@register.filter
def action_label(event: Any) -> str:
    return labels.action_label(getattr(event, "action", str(event)),
                               getattr(event, "object_type", ""))  # fmt: skip


@register.filter
def object_type_label(object_type: str) -> str:
    return labels.object_type_label(str(object_type))
