"""Who may do what with accounts.

=====================================  =====================================================
permission                             who holds it
=====================================  =====================================================
change_user_password (on a user)       that user, signed in and active
view_signinlock, clear_signinlock      the system administrator (sees and clears sign-in locks)
=====================================  =====================================================

Opening accounts and setting roles belong to the organisation's people pages (admin); a
superuser is made only by ``cqo createadmin`` on the console.
"""

from __future__ import annotations

from typing import Any

import rules


@rules.predicate
def is_self(user: Any, obj: Any) -> bool:
    return bool(
        obj is not None
        and getattr(user, "is_authenticated", False)
        and user.is_active
        and user.pk == getattr(obj, "pk", None)
    )


rules.add_perm("accounts.change_user_password", is_self)

is_administrator = rules.is_active & (rules.is_superuser | rules.is_group_member("admin"))
rules.add_perm("accounts.view_signinlock", is_administrator)
rules.add_perm("accounts.clear_signinlock", is_administrator)
