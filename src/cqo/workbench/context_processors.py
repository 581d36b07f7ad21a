"""``shell``: what every page's frame needs (navigation, language, the user's roles).

Built lazily: a fragment rendered for htmx never touches it and so costs nothing.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject
from django.utils.translation import get_language

from .nav import ResolvedSection, nav_for


@dataclass
class Shell:
    language: str
    languages: list[tuple[str, str]]
    next_url: str
    nav: list[ResolvedSection] = field(default_factory=list)
    roles: list[tuple[str, str]] = field(default_factory=list)


def user_role_codes(user: Any) -> frozenset[str]:
    from cqo.organisation.rules import user_roles

    return user_roles(user)


def _build(request: HttpRequest) -> Shell:
    user = getattr(request, "user", None)
    shell = Shell(
        language=get_language() or settings.LANGUAGE_CODE,
        languages=list(settings.LANGUAGES),
        next_url=request.get_full_path(),
    )
    if user is not None and user.is_authenticated:
        from cqo.organisation.roles import ROLES, role_label

        codes = user_role_codes(user)
        shell.roles = [(code, role_label(code)) for code in ROLES if code in codes]
        shell.nav = nav_for(user, request.path)
    return shell


def shell(request: HttpRequest) -> dict[str, Any]:
    return {"shell": SimpleLazyObject(lambda: _build(request))}
