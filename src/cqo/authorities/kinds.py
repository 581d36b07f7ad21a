"""The kinds of approval request, registered by the apps that own them (§6 c)).

A domain app adds a kind (concession, MRB disposition, fund spending, recall plan) from its own
``AppConfig.ready()``, without editing or migrating ``authorities``::

    from cqo.authorities.kinds import approval_kind_register

    approval_kind_register(
        code="concession",
        label=_("Concession"),
        clause=clause("§6 c)"),
        subject_models=["nonconformance.nonconformance"],
        on_decided=_concession_decided,      # (actor=, request=, subject=) in the same transaction
        on_withdrawn=_concession_withdrawn,  # idem, when the raiser withdraws the request
        signed_content=_concession_content,  # (subject) -> dict: what the approver signs about it
    )

``ApprovalRequest.kind`` is a plain field checked against this registry, so a new kind needs no
migration. ``subject_models`` names the records a request of this kind may be about; the raise
service and the API accept no other subject, which keeps the inbox from being used to read
arbitrary records (issue 8, part 1).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ImproperlyConfigured, ValidationError
from django.utils.functional import Promise
from django.utils.translation import gettext as _

from cqo.core.clauses import clause as _clause

# (actor=..., request=..., subject=...) -> None, run inside the deciding service's transaction.
ApprovalHook = Callable[..., None]
SignedContent = Callable[[Any], dict[str, Any]]

KIND_MAX_LENGTH = 20  # ApprovalRequest.kind


@dataclass(frozen=True)
class ApprovalKindSpec:
    code: str
    label: str | Promise
    clause: str
    subject_models: frozenset[str]
    on_decided: ApprovalHook | None = None
    on_withdrawn: ApprovalHook | None = None
    signed_content: SignedContent | None = None
    app: str = ""
    # Raised only by the owning app's own step (a plan's "send for approval"), never on its own
    # from the inbox's form or the API without a record.
    raised_from_subject: bool = False


APPROVAL_KINDS: dict[str, ApprovalKindSpec] = {}


def approval_kind_register(
    *,
    code: str,
    label: str | Promise,
    subject_models: Iterable[str],
    clause: str = "§6 c)",
    on_decided: ApprovalHook | None = None,
    on_withdrawn: ApprovalHook | None = None,
    signed_content: SignedContent | None = None,
    app: str = "",
    raised_from_subject: bool = False,
) -> ApprovalKindSpec:
    """Register a kind of approval request. Registering the same code twice from different
    places is a configuration error; re-registering the same spec (``ready()`` run again) is not."""
    if not code or len(code) > KIND_MAX_LENGTH or not code.replace("_", "").isalnum():
        raise ImproperlyConfigured(f"approval kind code {code!r}: up to 20 letters, digits or _")
    models = frozenset(m.lower() for m in subject_models)
    if not models or any(m.count(".") != 1 for m in models):
        raise ImproperlyConfigured(
            f"approval kind {code!r}: name its subject models as 'app_label.model'"
        )
    spec = ApprovalKindSpec(
        code=code,
        label=label,
        clause=_clause(clause),
        subject_models=models,
        on_decided=on_decided,
        on_withdrawn=on_withdrawn,
        signed_content=signed_content,
        app=app,
        raised_from_subject=raised_from_subject,
    )
    existing = APPROVAL_KINDS.get(code)
    if existing is not None and (existing.app, existing.subject_models) != (spec.app, models):
        raise ImproperlyConfigured(f"approval kind {code!r} is registered twice")
    APPROVAL_KINDS[code] = spec
    return spec


def approval_kind_unregister(code: str) -> None:
    """For tests that register a kind of their own."""
    APPROVAL_KINDS.pop(code, None)


def approval_kind(code: str) -> ApprovalKindSpec:
    """The registered kind ``code``; a ``ValidationError`` on the ``kind`` field otherwise."""
    spec = APPROVAL_KINDS.get(code or "")
    if spec is None:
        raise ValidationError({"kind": _("Choose a kind of approval from the list.")})
    return spec


def approval_kind_label(code: str) -> str:
    spec = APPROVAL_KINDS.get(code)
    return str(spec.label) if spec is not None else code


def approval_kind_choices() -> list[tuple[str, str]]:
    return [(code, str(spec.label)) for code, spec in APPROVAL_KINDS.items()]


def approval_kind_codes() -> list[str]:
    return list(APPROVAL_KINDS)


def approval_subject_models() -> frozenset[str]:
    """Every model some kind of approval may be about."""
    return frozenset().union(*(s.subject_models for s in APPROVAL_KINDS.values()))


def validate_approval_kind(value: str) -> None:
    """The model field's validator: the kind must be registered (no choices, no migration)."""
    if value not in APPROVAL_KINDS:
        raise ValidationError(_("Choose a kind of approval from the list."), code="invalid_choice")
