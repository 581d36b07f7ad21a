"""Password rules of our own, beside Django's in ``AUTH_PASSWORD_VALIDATORS``.

Django's ``UserAttributeSimilarityValidator`` compares the whole password with the username by a
similarity ratio, so a password made of the username repeated (``qe2qe2qe2qe2`` for ``qe2``)
passes: the ratio of a short name to a long password is low. Here a password that contains the
username at all is refused, whatever else is around it.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

# A shorter username (two letters of a name) occurs by chance in too many good passwords.
MIN_NAME_LENGTH = 3


class UsernameInPasswordValidator:
    def validate(self, password: str, user: Any = None) -> None:
        name = (user.get_username() if user is not None else "") or ""
        name = name.strip().casefold()
        if len(name) >= MIN_NAME_LENGTH and name in (password or "").casefold():
            raise ValidationError(
                _("The password contains your username. Choose one that does not."),
                code="password_contains_username",
            )

    def get_help_text(self) -> str:
        return _("Your password cannot contain your username.")
