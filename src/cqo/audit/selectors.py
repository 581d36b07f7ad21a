"""Reads of the audit trail, scoped to who may see it, and the pieces of "the story of a record".

Only holders of ``audit.view_auditevent`` see any event (see ``rules``); everyone else gets an
empty queryset, so a caller that forgets to check still shows nothing.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.apps import apps
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import QuerySet
from django.utils import timezone

from . import anchors, chain
from . import labels as audit_labels
from .models import AuditEvent, Signature
from .records import record_problems
from .services import actor_name, chain_head, verify_chain

STORY_LIMIT = 500
HISTORY_LIMIT = 200
OBJECT_TYPES_KEY = "cqo:audit:object-types"
# The nightly job (``tasks.audit_chain_check``) writes its result under the same key, so the
# page shows the latest check whoever ran it.
CHAIN_STATUS_KEY = "cqo:audit:last-verify"


def events_visible(user: Any) -> QuerySet[AuditEvent]:
    if user is None or not user.has_perm("audit.view_auditevent"):
        return AuditEvent.objects.none()
    return AuditEvent.objects.all()


def events_filtered(
    user: Any,
    *,
    action: str = "",
    actor: str = "",
    clause: str = "",
    object_type: str = "",
    object_id: str = "",
    date_from: datetime.date | None = None,
    date_to: datetime.date | None = None,
) -> QuerySet[AuditEvent]:
    """Newest first. ``action`` and ``clause`` match from the start ("§6" finds "§6 i)")."""
    qs = events_visible(user)
    if action:
        qs = qs.filter(action__startswith=action)
    if actor:
        qs = qs.filter(actor_repr__icontains=actor)
    if clause:
        qs = qs.filter(clause__startswith=clause)
    if object_type:
        qs = qs.filter(object_type=object_type)
    if object_id:
        qs = qs.filter(object_id=object_id)
    tz = timezone.get_current_timezone()
    if date_from:
        start = datetime.datetime.combine(date_from, datetime.time.min, tzinfo=tz)
        qs = qs.filter(occurred_at__gte=start)
    if date_to:
        end = datetime.datetime.combine(
            date_to + datetime.timedelta(days=1), datetime.time.min, tzinfo=tz
        )
        qs = qs.filter(occurred_at__lt=end)
    return qs.order_by("-seq")


def object_types_known() -> list[str]:
    """The object types in the trail, for the filter's suggestions; cached, since it scans."""
    types = cache.get(OBJECT_TYPES_KEY)
    if types is None:
        types = sorted(
            AuditEvent.objects.order_by().values_list("object_type", flat=True).distinct()
        )
        cache.set(OBJECT_TYPES_KEY, types, timeout=600)
    return list(types)


# --- before/after ---------------------------------------------------------------------------


def model_for(object_type: str) -> type[models.Model] | None:
    try:
        return apps.get_model(object_type)
    except (LookupError, ValueError):
        return None


def field_labels(model: type[models.Model] | None) -> dict[str, str]:
    """Field verbose names keyed by name and by attname (snapshots store ``unit_id``, history
    diffs name ``unit``)."""
    if model is None:
        return {}
    labels: dict[str, str] = {}
    for f in model._meta.concrete_fields:
        labels[f.name] = labels[f.attname] = str(f.verbose_name)
    return labels


def display_value(value: Any) -> str:
    """A stored value as text; a list or a mapping reads as its items, not as a JSON blob."""
    if value is None:
        return "—"
    if isinstance(value, list):
        return _list_separator().join(display_value(v) for v in value) if value else "—"
    if isinstance(value, dict):
        if not value:
            return "—"
        return "; ".join(f"{key}: {display_value(v)}" for key, v in value.items())
    if isinstance(value, bool):
        return "✓" if value else "✗"
    return str(value)


def _list_separator() -> str:
    from django.utils.translation import pgettext

    return pgettext("list separator", ", ")


class FieldDisplay:
    """Stored values as a reader knows them: a choice by its label, a linked record by its name,
    a time in local time. Whatever cannot be resolved (a record since voided away, a value
    from an older schema) falls back to the raw value, never to an error."""

    def __init__(self, *models_: type[models.Model] | None) -> None:
        # The first model that has a field of that name describes it.
        self.fields: dict[str, Any] = {}
        for model in reversed([m for m in models_ if m is not None]):
            for f in model._meta.concrete_fields:
                self.fields[f.name] = self.fields[f.attname] = f
        self._related: dict[tuple[Any, Any], str] = {}
        self._labels: dict[str, dict[str, Any]] = {}

    def __call__(self, name: str, value: Any) -> str:
        field = self.fields.get(name)
        if field is None or value is None or value == "":
            return display_value(value)
        try:
            coded = audit_labels.value_label(field, value)
            if coded is not None:
                return coded
            if field.choices:
                labels = self._choices(field)
                if str(value) in labels:
                    return str(labels[str(value)])
            if field.many_to_one and field.related_model is not None:
                return self._linked(field.related_model, value)
            if isinstance(field, models.DateTimeField):
                moment = value if isinstance(value, datetime.datetime) else None
                moment = moment or datetime.datetime.fromisoformat(str(value))
                if timezone.is_aware(moment):
                    moment = timezone.localtime(moment)
                return moment.strftime("%Y-%m-%d %H:%M:%S")
        except (ValueError, TypeError, LookupError):
            pass
        return display_value(value)

    def _choices(self, field: Any) -> dict[str, Any]:
        if field.name not in self._labels:
            self._labels[field.name] = {str(k): v for k, v in field.flatchoices}
        return self._labels[field.name]

    def _linked(self, model: Any, pk: Any) -> str:
        key = (model, pk)
        if key not in self._related:
            obj = model._base_manager.filter(pk=pk).first()
            self._related[key] = f"{obj} (#{pk})" if obj is not None else f"#{pk}"
        return self._related[key]


@dataclass
class FieldChange:
    name: str
    label: str
    before: str
    after: str
    changed: bool


def changes_between(
    before: Any,
    after: Any,
    labels: dict[str, str] | None = None,
    display: Any = None,
) -> list[FieldChange]:
    """Every field of either side; changed ones first, each group in field-name order."""
    labels = labels or {}
    show = display or (lambda _name, value: display_value(value))
    old = before if isinstance(before, dict) else {}
    new = after if isinstance(after, dict) else {}
    rows = [
        FieldChange(
            name=name,
            label=labels.get(name, name),
            before=show(name, old.get(name)) if name in old else "",
            after=show(name, new.get(name)) if name in new else "",
            changed=(name in old) != (name in new) or old.get(name) != new.get(name),
        )
        for name in sorted(set(old) | set(new))
    ]
    return sorted(rows, key=lambda r: not r.changed)


@dataclass
class EventView:
    event: AuditEvent
    changes: list[FieldChange]

    @property
    def changed_count(self) -> int:
        return sum(c.changed for c in self.changes)

    @property
    def created(self) -> bool:
        """Nothing before: the event brought the record into being, so only its values matter."""
        return not self.event.before and bool(self.event.after)


# --- signatures -----------------------------------------------------------------------------

# What was signed, recomputed from the record as it is now: modules register a function per
# object type that returns the same content dict they passed to ``signature_sign``, so a page can
# say whether a signature still matches the record. A signature made on a record by another act
# (a veto on a decision) is told apart by the audit event that follows it on the same record: a
# function registered for that event's action rebuilds the act's content instead.
SignedContent = Callable[[models.Model], dict[str, Any]]
SignedActContent = Callable[[models.Model, AuditEvent], "dict[str, Any] | None"]
SIGNED_CONTENT: dict[str, SignedContent] = {}
SIGNED_ACTS: dict[str, SignedActContent] = {}


def signed_content_register(object_type: str, content: SignedContent) -> None:
    SIGNED_CONTENT[object_type] = content


def signed_act_register(action: str, content: SignedActContent) -> None:
    SIGNED_ACTS[action] = content


@dataclass
class SignatureView:
    signature: Signature
    # True or False when the current record's content could be computed; None when it cannot.
    matches: bool | None = None


def _act_event(signature: Signature) -> AuditEvent | None:
    """The event the signature was made for: the next one on the same record."""
    event = signature.audit_event
    return (
        AuditEvent.objects.filter(
            object_type=signature.object_type,
            object_id=signature.object_id,
            seq__gt=event.seq,
        )
        .exclude(action="signature.sign")
        .order_by("seq")
        .first()
    )


def signature_status(signature: Signature, obj: models.Model | None) -> bool | None:
    """Does ``obj`` as it is now still match what ``signature`` signed? None when it cannot be
    told here (no record, or no content registered for it). The one check every page uses."""
    if obj is None:
        return None
    content: dict[str, Any] | None = None
    if SIGNED_ACTS:
        act = _act_event(signature)
        if act is not None and act.action in SIGNED_ACTS:
            content = SIGNED_ACTS[act.action](obj, act)
            if content is None:
                return None
    if content is None:
        content_fn = SIGNED_CONTENT.get(signature.object_type)
        if content_fn is None:
            return None
        content = content_fn(obj)
    return signature.content_hash == chain.content_hash(content)


def signatures_with_status(
    object_type: str = "", object_id: str = "", *, obj: models.Model | None = None
) -> list[SignatureView]:
    """The signatures on a record, each with ``signature_status``. Give ``obj`` alone, or the
    type and id (for a record that may be gone)."""
    if obj is not None and not object_type:
        object_type, object_id = obj._meta.label_lower, str(obj.pk)
    signatures = list(
        Signature.objects.filter(object_type=object_type, object_id=object_id).select_related(
            "audit_event"
        )
    )
    return [SignatureView(s, signature_status(s, obj)) for s in signatures]


# --- the story of a record ------------------------------------------------------------------


@dataclass
class HistoryEntry:
    record: Any
    changes: list[FieldChange]

    @property
    def created(self) -> bool:
        return getattr(self.record, "history_type", "") == "+"


@dataclass
class Story:
    object_type: str
    object_id: str
    object_repr: str
    model: type[models.Model] | None
    obj: models.Model | None
    events: list[EventView] = field(default_factory=list)
    history: list[HistoryEntry] = field(default_factory=list)
    has_history: bool = False
    signatures: list[SignatureView] = field(default_factory=list)
    truncated: bool = False

    @property
    def model_label(self) -> str:
        return str(self.model._meta.verbose_name) if self.model is not None else self.object_type


def _object(model: type[models.Model] | None, object_id: str) -> models.Model | None:
    if model is None:
        return None
    manager = model._base_manager
    try:
        return manager.filter(pk=object_id).first()
    except (ValueError, TypeError, ValidationError):
        return None


def _history(model: type[models.Model], object_id: str) -> tuple[bool, list[HistoryEntry]]:
    attr = getattr(model._meta, "simple_history_manager_attribute", None)
    if not attr:
        return False, []
    manager = getattr(model, attr)
    try:
        records = list(
            manager.filter(**{model._meta.pk.attname: object_id})
            .select_related("history_user")
            .order_by("history_date", "history_id")[:HISTORY_LIMIT]
        )
    except (ValueError, TypeError, ValidationError):
        return True, []
    labels = field_labels(model)
    show = FieldDisplay(model)
    entries: list[HistoryEntry] = []
    previous = None
    for record in records:
        if previous is None:
            changes = [
                FieldChange(f.attname, labels.get(f.attname, f.attname), "",
                            show(f.attname, getattr(record, f.attname, None)), True)
                for f in model._meta.concrete_fields
                if hasattr(record, f.attname)
            ]  # fmt: skip
        else:
            delta = record.diff_against(previous)
            changes = [
                FieldChange(c.field, labels.get(c.field, c.field), show(c.field, c.old),
                            show(c.field, c.new), True)
                for c in delta.changes
            ]  # fmt: skip
        entries.append(HistoryEntry(record, changes))
        previous = record
    return True, entries


def story(user: Any, object_type: str, object_id: str) -> Story:
    """All that is known of one record: audit events, history snapshots and signatures."""
    model = model_for(object_type)
    obj = _object(model, object_id)
    events = list(
        events_visible(user)
        .filter(object_type=object_type, object_id=object_id)
        .order_by("seq")[: STORY_LIMIT + 1]
    )
    truncated = len(events) > STORY_LIMIT
    events = events[:STORY_LIMIT]
    views = []
    shows: dict[Any, FieldDisplay] = {}
    for ev in events:
        # An e-signature's or a veto's event snapshots that record, not the one it is about.
        own = audit_labels.snapshot_model(ev.action, object_type)
        show = shows.setdefault(own, FieldDisplay(own, model))
        keys = audit_labels.key_labels(own, model)
        views.append(EventView(ev, changes_between(ev.before, ev.after, keys, show)))
    result = Story(
        object_type=object_type,
        object_id=object_id,
        object_repr=str(obj) if obj is not None else (events[-1].object_repr if events else ""),
        model=model,
        obj=obj,
        events=views,
        truncated=truncated,
    )
    if not user.has_perm("audit.view_auditevent"):
        return result
    if model is not None:
        result.has_history, result.history = _history(model, object_id)
    result.signatures = signatures_with_status(object_type, object_id, obj=obj)
    return result


# --- chain status ---------------------------------------------------------------------------


def _problem_kind(text: str) -> str:
    """Which of the chain's four kinds of problem ``str(ChainProblem)`` describes."""
    if (
        text.startswith("chain head")
        or "the chain head records" in text
        or "missing from the trail" in text
    ):
        return "head"
    if "keyed seal" in text or "anchor" in text:
        return "anchor"
    if "expected sequence" in text:
        return "gap"
    if "does not link" in text:
        return "link"
    return "altered"


def chain_status_last() -> dict[str, Any] | None:
    status = cache.get(CHAIN_STATUS_KEY)
    if not status:
        return None
    status = dict(status)
    if status.get("problem") and not status.get("problem_kind"):
        status["problem_kind"] = _problem_kind(status["problem"])
    checked = status.get("checked_at")
    if isinstance(checked, str):
        try:
            status["checked_at"] = datetime.datetime.fromisoformat(checked)
        except ValueError:
            status["checked_at"] = None
    return status


def chain_status_refresh(user: Any) -> dict[str, Any]:
    """Walk the whole chain now and keep the result for the page (the walk reads every event)."""
    problem = verify_chain()
    records = [str(p) for p in record_problems()]
    seq, head_hash = chain_head()
    status: dict[str, Any] = {
        "checked_at": timezone.now().isoformat(),
        "checked_by": actor_name(user),
        "events": AuditEvent.objects.count(),
        "intact": problem is None and not records,
        "records": records[:20],
        "records_total": len(records),
        "head_seq": seq,
        "digest": anchors.head_digest(seq, head_hash),
        "problem": str(problem) if problem else "",
        "problem_kind": _problem_kind(str(problem)) if problem else "",
        "first_bad_seq": problem.seq if problem else None,
        "first_bad_event_id": problem.event_id if problem else None,
    }
    cache.set(CHAIN_STATUS_KEY, status, timeout=None)
    return chain_status_last() or status
