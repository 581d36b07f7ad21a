"""API tokens: django-rest-knox, so a token is kept only as a hash, expires, and its owner can
list and revoke each one.

Clients send ``Authorization: Token <key>`` as before. A token lives ``CQO_API_TOKEN_DAYS``
(90 by default) from its issue; a new password ends every token of the account.
"""

from __future__ import annotations

from typing import Any

from drf_spectacular.extensions import OpenApiAuthenticationExtension
from drf_spectacular.plumbing import build_bearer_security_scheme_object
from knox.auth import TokenAuthentication as KnoxTokenAuthentication
from knox.models import AuthToken
from rest_framework import exceptions

# A token's public id: the start of its digest (the stored hash), never of the key itself.
PUBLIC_ID_LENGTH = 16


def public_id(token: AuthToken) -> str:
    return str(token.digest[:PUBLIC_ID_LENGTH])


class TokenAuthentication(KnoxTokenAuthentication):
    """knox's check, with a key that is not UTF-8 answered 401 rather than a server error."""

    def authenticate_credentials(self, token: bytes) -> Any:
        try:
            token.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise exceptions.AuthenticationFailed() from exc
        return super().authenticate_credentials(token)


def token_user(key: str) -> Any:
    """The active user a token key belongs to, or None (expired, revoked, unknown)."""
    try:
        user, _token = TokenAuthentication().authenticate_credentials(key.encode("utf-8"))
    except (exceptions.AuthenticationFailed, UnicodeEncodeError):
        return None
    return user


class TokenScheme(OpenApiAuthenticationExtension):
    target_class = "cqo.accounts.tokens.TokenAuthentication"
    name = "tokenAuth"

    def get_security_definition(self, auto_schema: Any) -> Any:
        return build_bearer_security_scheme_object(
            header_name="Authorization",
            token_prefix="Token",  # noqa: S106 (the scheme's name, not a secret)
        )
