"""Request middleware of the API: the language of its messages, and bad input refused early.

``?lang=`` on API requests: a client without cookies picks the language of the messages.

``LocaleMiddleware`` already reads the session, the language cookie and Accept-Language; a
script calling the API has none of the first two and often cannot set headers easily, so the API
also accepts ``?lang=en`` / ``?lang=zh-hans`` (``zh`` works too). Pages keep the language switch.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.core.exceptions import BadRequest, RequestDataTooBig, TooManyFieldsSent
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils import translation
from django.utils.translation import gettext as _

from cqo.accounts.middleware import api_prefix
from cqo.core.api_input import MAX_ID


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


# --- bad input answered as bad input ----------------------------------------------------------


def _has_nul(values: Any) -> bool:
    return any("\x00" in value for value in values)


def _bad_request(request: HttpRequest, field: str, message: str, status: int = 400) -> HttpResponse:
    """A JSON answer on the API, keyed by field like every other API error; a page elsewhere."""
    if request.path_info.startswith(api_prefix()):
        return JsonResponse({field: [message]}, status=status)
    raise BadRequest(message)


class RequestGuardMiddleware:
    """Refuse malformed input before any view or database sees it (issue 8 §4): each answer is a
    400 (413 for a body too large) naming what is wrong, never a 500.

    - A NUL character in the path or a query parameter: PostgreSQL cannot store or compare one,
      so a filter carrying it failed inside the database driver.
    - An object id in an API path that is not a whole number: the object routes take ``{id}``
      as a string, and a lookup with ``abc`` failed inside the ORM.
    - A request body above ``DATA_UPLOAD_MAX_MEMORY_SIZE`` on the API (file uploads excepted:
      their limit is the upload's own): Django refused it with an HTML page, which an API client
      cannot read.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if "\x00" in request.path_info or _has_nul(
            value for key in request.GET for value in [key, *request.GET.getlist(key)]
        ):
            return _bad_request(
                request, "detail", _("The address contains a NUL character, which is not allowed.")
            )
        if request.path_info.startswith(api_prefix()):
            too_big = self._body_too_big(request)
            if too_big is not None:
                return too_big
        return self.get_response(request)

    def _body_too_big(self, request: HttpRequest) -> HttpResponse | None:
        limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
        if limit is None or request.content_type == "multipart/form-data":
            return None
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            return _bad_request(request, "detail", _("The Content-Length header is not a number."))
        if length <= limit:
            return None
        return _bad_request(
            request,
            "detail",
            _("The request body is larger than %(limit)d bytes; send less at a time.")
            % {"limit": limit},
            status=413,
        )

    def process_view(
        self, request: HttpRequest, view: Any, args: Any, kwargs: dict[str, Any]
    ) -> HttpResponse | None:
        if not request.path_info.startswith(api_prefix()):
            return None
        raw = kwargs.get("pk")
        if raw is not None and not (
            str(raw).isascii() and str(raw).isdigit() and int(raw) <= MAX_ID
        ):
            return _bad_request(request, "id", _("The id in the address must be a whole number."))
        return None

    def process_exception(self, request: HttpRequest, exc: Exception) -> HttpResponse | None:
        # A body that outgrew the limit while it was read (no Content-Length, or a form with too
        # many fields) surfaces here; on the API it is answered in JSON like any other refusal.
        if request.path_info.startswith(api_prefix()) and isinstance(
            exc, RequestDataTooBig | TooManyFieldsSent
        ):
            return JsonResponse({"detail": [str(exc)]}, status=413)
        return None
