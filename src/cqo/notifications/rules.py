"""Notifications are read by their recipient only; nobody adds, changes or deletes one by hand."""

from __future__ import annotations

from typing import Any

import rules

from cqo.core.predicates import is_active_user


@rules.predicate
def is_recipient(user: Any, obj: Any) -> bool:
    return obj is None or getattr(obj, "recipient_id", None) == getattr(user, "pk", None)


rules.add_perm("notifications.view_notification", is_active_user & is_recipient)
for _model in ("notification", "reminder"):
    for _verb in ("add", "change", "delete"):
        rules.add_perm(f"notifications.{_verb}_{_model}", rules.always_deny)
