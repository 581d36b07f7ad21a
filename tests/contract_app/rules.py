from typing import Any

import rules

from cqo.authorities import engine


@rules.predicate
def is_reporter_or_cqo(user: Any, obj: Any = None) -> bool:
    if obj is None:
        return True
    return obj.reported_by_id == user.pk or (not obj.confidential and engine.holds(user, "i"))


rules.add_perm("contract_app.view_nonconformance", rules.is_authenticated & is_reporter_or_cqo)
