"""Refusals shared by every app.

``ConflictError``: the request is understood and the caller may make it, but the record's state
forbids it (a one-vote veto, §6 i)). It stays a ``PermissionDenied`` so the pages that show a
refusal as a message keep doing so; the API's exception handler answers it with 409 Conflict and
the clause, in every app.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied


class ConflictError(PermissionDenied):
    clause: str = ""

    def __init__(self, message: str = "", *, clause: str = "") -> None:
        super().__init__(message)
        self.message = message
        if clause:
            self.clause = clause
