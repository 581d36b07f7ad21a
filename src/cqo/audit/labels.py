"""Audit events as a reader knows them: an action's label in the reader's language instead of its
code (``post.charter.publish`` → "Charter published"), a record type by its model's verbose name
(``authorities.businessdecision`` → "business decision"), and snapshot keys by field labels.

Each app fills the registry from its ``AppConfig.ready`` (``actions_register``) for the actions
its services record. The code stays what is stored and hashed in the chain; only the page
changes. An action nobody registered still reads: a generic verb (``…void``) with the record
type, else the code itself, so nothing disappears from the trail.

``routine`` marks the account housekeeping (sign-ins, password changes) that the dashboard's
"recent audit events" leaves out, so the CQO sees the quality events there, not her own logins.
``snapshot_model`` names the model whose fields an action's before/after hold when they are not
the record's own (an e-signature's, a veto's).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.apps import apps
from django.db import models
from django.db.models import Q
from django.utils.functional import Promise
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


@dataclass(frozen=True)
class ActionLabel:
    label: Promise | str
    routine: bool = False
    snapshot_model: str = ""


ACTIONS: dict[str, ActionLabel] = {}

# The last part of an action code that any app's records share (``Voidable`` records all void
# the same way), labelled once here.
GENERIC_VERBS: dict[str, Promise] = {
    "create": pgettext_lazy("audit action", "created"),
    "update": pgettext_lazy("audit action", "changed"),
    "void": pgettext_lazy("audit action", "voided"),
    "demo_backdate": pgettext_lazy("audit action", "dates set back for the demo"),
}

# Keys that snapshots use outside any model's fields.
KEY_LABELS: dict[str, Promise] = {
    "roles": _("roles"),
    "veto": _("veto"),
    "content_hash": _("hash of what was signed"),
}


# Labels of the coded values of a field without choices: (model label, field name) → value → label.
VALUE_LABELS: dict[tuple[str, str], dict[str, Promise | str]] = {}


def values_register(model_label: str, field: str, labels: dict[str, Promise | str]) -> None:
    VALUE_LABELS[(model_label.lower(), field)] = labels


def value_label(field: Any, value: Any) -> str | None:
    model = getattr(field, "model", None)
    if model is None:
        return None
    known = VALUE_LABELS.get((model._meta.label_lower, field.name))
    if known is None or str(value) not in known:
        return None
    return str(known[str(value)])


def actions_register(
    labels: dict[str, Promise | str], *, routine: bool = False, snapshot_model: str = ""
) -> None:
    for code, label in labels.items():
        ACTIONS[code] = ActionLabel(label, routine=routine, snapshot_model=snapshot_model)


# Demo data set-up: housekeeping whatever the record.
ROUTINE_SUFFIXES = (".demo_backdate",)


def routine_q() -> Q:
    """Events of the routine actions, to leave out where only quality events matter."""
    q = Q(action__in=sorted(code for code, entry in ACTIONS.items() if entry.routine))
    for suffix in ROUTINE_SUFFIXES:
        q |= Q(action__endswith=suffix)
    return q


def model_for(object_type: str) -> type[models.Model] | None:
    try:
        return apps.get_model(object_type)
    except (LookupError, ValueError):
        return None


def object_type_label(object_type: str) -> str:
    model = model_for(object_type)
    return capfirst(str(model._meta.verbose_name)) if model is not None else object_type


def action_label(action: str, object_type: str = "") -> str:
    entry = ACTIONS.get(action)
    if entry is not None:
        return str(entry.label)
    verb = GENERIC_VERBS.get(action.rsplit(".", 1)[-1])
    if verb is not None and object_type:
        return _("%(record)s %(verb)s") % {"record": object_type_label(object_type), "verb": verb}
    return action


def snapshot_model(action: str, object_type: str) -> type[models.Model] | None:
    entry = ACTIONS.get(action)
    if entry is not None and entry.snapshot_model:
        return model_for(entry.snapshot_model)
    return model_for(object_type)


def key_labels(*models_: type[models.Model] | None) -> dict[str, str]:
    """Field verbose names by name and attname (snapshots store ``unit_id``, history diffs name
    ``unit``), the first model given winning, then the shared keys."""
    labels: dict[str, str] = {k: str(v) for k, v in KEY_LABELS.items()}
    for model in reversed([m for m in models_ if m is not None]):
        for f in model._meta.concrete_fields:
            labels[f.name] = labels[f.attname] = str(f.verbose_name)
        for f in model._meta.many_to_many:
            labels[f.name] = str(f.verbose_name)
    return labels


def event_summary(event: Any) -> str:
    return action_label(event.action, event.object_type)
