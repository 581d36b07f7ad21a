"""Labels of the audit actions this app records (see ``cqo.audit.labels``)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from cqo.audit.labels import actions_register


def register() -> None:
    actions_register(
        {
            "accounts.login": _("Signed in"),
            "accounts.login_failed": _("Sign-in failed"),
            "accounts.password_change": _("Password changed"),
            "accounts.token_revoke": _("API token revoked"),
            "accounts.token_create": _("API token issued"),
        },
        routine=True,
    )
    actions_register(
        {
            "accounts.locked": _("Account locked after failed sign-ins"),
            "accounts.lock_clear": _("Sign-in lock cleared"),
            "accounts.admin_create": _("Administrator account created"),
            "accounts.user.create": _("Account created"),
            "accounts.user.roles": _("Roles changed"),
            "accounts.user.deactivate": _("Account deactivated"),
        }
    )
