"""API errors in the user's language, with the field and the clause where there is one.

Services raise Django's own ``ValidationError`` and ``PermissionDenied``; their messages were
translated in the language active for the request (``LocaleMiddleware``, or ``?lang=`` on the
API), and this handler gives them the API's shapes: 400 keyed by field (non-field errors under
DRF's ``non_field_errors``), and 403 with ``detail``. A ``ConflictError`` (a write refused by
the record's state: a one-vote veto) is 409 with ``detail`` and ``clause``, whichever app raised it.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import NON_FIELD_ERRORS
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.settings import api_settings
from rest_framework.views import exception_handler as drf_exception_handler

from cqo.core.exceptions import ConflictError


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    if isinstance(exc, DjangoValidationError):
        if hasattr(exc, "error_dict"):
            detail: dict[str, Any] = {
                (api_settings.NON_FIELD_ERRORS_KEY if field == NON_FIELD_ERRORS else field): msgs
                for field, msgs in exc.message_dict.items()
            }
        else:
            detail = {"detail": exc.messages}
        return Response(detail, status=status.HTTP_400_BAD_REQUEST)
    if isinstance(exc, ConflictError):
        body = {"detail": str(exc.message or exc)}
        if exc.clause:
            body["clause"] = exc.clause
        return Response(body, status=status.HTTP_409_CONFLICT)
    if isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied(str(exc) or None)
    return drf_exception_handler(exc, context)
