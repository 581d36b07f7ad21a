from typing import Any

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "cqo.accounts"
    label = "accounts"
    verbose_name = _("Accounts")

    def ready(self) -> None:
        from cqo.audit.services import password_recheck_register

        from . import audit_actions

        audit_actions.register()
        # A password asked again to sign counts like a sign-in: the audit app (below this one)
        # checks signers' passwords through what is registered here.
        password_recheck_register(_throttled_recheck)


def _throttled_recheck(user: Any, password: str) -> bool:
    from cqo.audit.services import PasswordRecheckLocked

    from . import throttle

    try:
        return throttle.password_recheck(user, password)
    except throttle.RecheckLocked as locked:
        raise PasswordRecheckLocked(throttle.minutes(locked.seconds)) from locked
