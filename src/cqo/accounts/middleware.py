"""The must-change-password gate.

An account opened with a temporary password (``must_change_password``) may do nothing but choose
a new one: pages redirect to the password change page, the API answers 403 with a message that
says why. Static files, sign-out, the language switch and the change page itself stay open.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import cache
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.urls import NoReverseMatch, reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django_htmx.http import HttpResponseClientRedirect


@cache
def _open_prefixes() -> tuple[str, ...]:
    prefixes = [settings.STATIC_URL or "/static/"]
    for name in ("accounts:logout", "accounts:password_change", "accounts:password_change_done"):
        prefixes.append(reverse(name))
    # The language switch lives under /i18n/; its own URL is /i18n/setlang/.
    prefixes.append(reverse("set_language").rsplit("setlang/", 1)[0])
    return tuple(prefixes)


@cache
def api_prefix() -> str:
    try:
        return reverse("api:root").rsplit("v1/", 1)[0]
    except NoReverseMatch:
        return "/api/"


def _token_user(request: HttpRequest) -> Any:
    """The user of an API token, if the request carries one (DRF authenticates later)."""
    header = request.META.get("HTTP_AUTHORIZATION", "").split()
    if len(header) != 2 or header[0].lower() != "token":
        return None
    from .tokens import token_user

    return token_user(header[1])


def must_change_message() -> str:
    return _(
        "You must change your temporary password before you can go on. Sign in on the web and "
        "choose a new password."
    )


class PasswordChangeRequiredMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        path = request.path_info
        if not path.startswith(_open_prefixes()):
            user = getattr(request, "user", None)
            is_api = path.startswith(api_prefix())
            if is_api and not (user is not None and user.is_authenticated):
                user = _token_user(request)
            if user is not None and user.is_authenticated and user.must_change_password:
                if is_api:
                    return JsonResponse({"detail": must_change_message()}, status=403)
                url = reverse("accounts:password_change")
                if request.method == "GET":
                    url += "?" + urlencode({"next": request.get_full_path()})
                # django-htmx's middleware runs later; read its header directly.
                if request.headers.get("HX-Request") == "true":
                    return HttpResponseClientRedirect(url)
                return HttpResponseRedirect(url)
        return self.get_response(request)
