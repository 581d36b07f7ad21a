"""Writes, after each request, the audit events that had to outlive the request's transactions
(``services.audit_record_detached``: a write refused by a one-vote veto, with who tried it)."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponseBase

from .services import audit_detached_discard, audit_detached_flush


class DetachedAuditMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        audit_detached_discard()  # nothing carried over from an earlier request on this thread
        try:
            return self.get_response(request)
        finally:
            user = getattr(request, "user", None)
            actor = user if user is not None and user.is_authenticated else None
            audit_detached_flush(actor=actor, context=f"{request.method} {request.path}:")
