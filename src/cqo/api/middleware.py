"""``?lang=`` on API requests: a client without cookies picks the language of the messages.

``LocaleMiddleware`` already reads the session, the language cookie and Accept-Language; a
script calling the API has none of the first two and often cannot set headers easily, so the API
also accepts ``?lang=en`` / ``?lang=zh-hans`` (``zh`` works too). Pages keep the language switch.
"""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.utils import translation

from cqo.accounts.middleware import api_prefix


def language_from_param(value: str) -> str:
    """The supported language the parameter names, or "" when it names none."""
    try:
        return translation.get_supported_language_variant(value.strip().lower().replace("_", "-"))
    except LookupError:
        return ""


class ApiLanguageMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        requested = request.GET.get("lang", "")
        if requested and request.path_info.startswith(api_prefix()):
            language = language_from_param(requested)
            if language:
                translation.activate(language)
                request.LANGUAGE_CODE = language
        return self.get_response(request)
