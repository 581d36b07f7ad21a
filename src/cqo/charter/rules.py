"""Who may do what with the charter (§4.2).

=========================================  ===================================================
permission                                 who holds it
=========================================  ===================================================
view_charter                               every member (the charter is a system document)
generate_charter                           principal, the CQO in office
approve_charter, publish_charter           principal (§4.2)
change_charter, delete_charter             nobody: only the services change a version
=========================================  ===================================================
"""

from __future__ import annotations

import rules

from cqo.organisation.rules import is_member
from cqo.post.rules import is_current_cqo, is_principal

rules.add_perm("charter.view_charter", is_member)
rules.add_perm("charter.generate_charter", is_principal | is_current_cqo)
rules.add_perm("charter.approve_charter", is_principal)
rules.add_perm("charter.publish_charter", is_principal)
rules.add_perm("charter.change_charter", rules.always_deny)
rules.add_perm("charter.delete_charter", rules.always_deny)


@rules.predicate
def charter_veto_delegable() -> bool:
    from .selectors import charter_veto_delegable as published_says

    return published_says()


# The authority engine (below the charter) asks by name whether the veto may be delegated (§6 i)).
rules.add_rule("charter_veto_delegable", charter_veto_delegable)
