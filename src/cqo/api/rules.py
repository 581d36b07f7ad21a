"""Who may administer the outgoing webhooks (decision 0010).

=====================================  =====================================================
permission                             who holds it
=====================================  =====================================================
view_webhookendpoint,                  admin (the system administrator: endpoints point
view_webhookdelivery                     the enterprise's data at other systems)
add_webhookendpoint,                   admin
change_webhookendpoint (edit,
deactivate, rotate the secret, ping)
redeliver_webhookdelivery              admin
delete_* (any)                         nobody: an endpoint is deactivated, a delivery kept
=====================================  =====================================================
"""

from __future__ import annotations

import rules

from cqo.organisation.rules import is_admin

rules.add_perm("api.view_webhookendpoint", is_admin)
rules.add_perm("api.add_webhookendpoint", is_admin)
rules.add_perm("api.change_webhookendpoint", is_admin)
rules.add_perm("api.delete_webhookendpoint", rules.always_deny)
rules.add_perm("api.view_webhookdelivery", is_admin)
rules.add_perm("api.redeliver_webhookdelivery", is_admin)
rules.add_perm("api.add_webhookdelivery", rules.always_deny)
rules.add_perm("api.change_webhookdelivery", rules.always_deny)
rules.add_perm("api.delete_webhookdelivery", rules.always_deny)
