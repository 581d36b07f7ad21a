"""The view helpers every app's pages use: one permission check, one way to show a service's
refusal, one way to put a service's ``ValidationError`` on a form.

Views stay thin: check the permission for the page (``check``), parse a form, call a service
(``run_service`` for a button, or call it and ``errors_apply`` its refusal to the form), render.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

GET_POST = require_http_methods(["GET", "POST"])


def check(request: HttpRequest, perm: str, obj: Any = None) -> None:
    """403 unless the user holds ``perm`` (on ``obj``). The service checks again: it is the gate."""
    if not request.user.has_perm(perm, obj):
        raise PermissionDenied(_("You do not have permission to do this."))


def can(request: HttpRequest, *perms: str, obj: Any = None) -> dict[str, bool]:
    """``{"change_unit": True, ...}`` for the template, to show only the actions the user may take."""
    return {perm.split(".", 1)[1]: request.user.has_perm(perm, obj) for perm in perms}


def refusal_show(request: HttpRequest, exc: Exception) -> None:
    """A service's refusal (authority, veto, validation) as a message on the next page."""
    if isinstance(exc, ValidationError):
        for message in exc.messages:
            messages.error(request, message)
    else:
        messages.error(
            request,
            str(getattr(exc, "message", "") or exc) or _("You do not have permission to do this."),
        )


def run_service(request: HttpRequest, call: Callable[[], Any], done: str) -> bool:
    """Call a service for a button; show its refusal, or ``done``. True when it went through."""
    try:
        call()
    except (PermissionDenied, ValidationError) as exc:
        refusal_show(request, exc)
        return False
    messages.success(request, done)
    return True


def errors_apply(form: forms.BaseForm, exc: ValidationError) -> None:
    """Put a service's ValidationError on the form: by field where the form has that field."""
    if hasattr(exc, "error_dict"):
        for field, errors in exc.error_dict.items():
            target = field if field in form.fields else None
            for error in errors:
                form.add_error(target, error)
    else:
        form.add_error(None, exc)
