"""Do the records still say what the audit trail says they were changed to?

A chain that verifies proves nobody rewrote the trail; it says nothing of a business row changed
behind it (a veto lifted, a request marked approved, an appointment handed to someone else by
raw SQL). Every service writes the record's state into its event's ``after``; so each field an
event holds must still have, in the record's current row, the value of the last event that held
it. A field no event holds is not compared: the trail cannot vouch for what it never saw.

Which record an ``after`` describes:
- the event's own object, when it holds field names of that object (a full snapshot carries the
  object's primary key, which must then be the object's);
- another record, when the action is registered with a ``snapshot_model`` (``audit.labels``) or
  the snapshot names that record by model name with the same primary key (``{"veto": 7, "id": 7,
  ...}``: the veto is recorded on the decision it holds);
- nothing, for a signing event: its ``content_hash`` and ``meaning`` are the signature's, checked
  against the signature row by the chain verification.
"""

from __future__ import annotations

import datetime as dt
import decimal
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from typing import Any

from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import models

from . import labels as audit_labels
from .models import AuditEvent

Key = tuple[str, str]


@dataclass(frozen=True)
class RecordProblem:
    object_type: str
    object_id: str
    seq: int
    fields: tuple[str, ...]
    missing: bool = False

    def __str__(self) -> str:
        if self.missing:
            return (
                f"record {self.object_type} {self.object_id} is gone, but event #{self.seq} "
                "left it in place"
            )
        return (
            f"record {self.object_type} {self.object_id} was changed without an audit event: "
            f"{', '.join(self.fields)} differ from event #{self.seq}"
        )


@cache
def _model(label: str) -> type[models.Model] | None:
    try:
        return apps.get_model(label)
    except (LookupError, ValueError):
        return None


@cache
def _by_model_name() -> dict[str, type[models.Model] | None]:
    found: dict[str, type[models.Model] | None] = {}
    for model in apps.get_models():
        name = model._meta.model_name or ""
        # A name two apps share says nothing about which record it is.
        found[name] = None if name in found else model
    return found


@cache
def _compared_fields(model: type[models.Model]) -> frozenset[str]:
    """The attnames the check compares: concrete fields less those the model's history leaves out
    (bookkeeping such as ``last_reminded_at`` that jobs move without an event)."""
    from .services import FIELD_EXCLUDE

    # A content type's id is this database's own: a backup carries none (migrate makes them
    # afresh), so the id a snapshot holds means nothing once restored. Not compared.
    names = {
        f.attname
        for f in model._meta.concrete_fields
        if f.name not in FIELD_EXCLUDE and not (f.is_relation and f.related_model is ContentType)
    }
    history = getattr(model, "_meta", None) and getattr(
        model._meta, "simple_history_manager_attribute", None
    )
    if history:
        historical = getattr(model, history).model
        kept = {f.attname for f in historical._meta.concrete_fields}
        names &= kept | {model._meta.pk.attname}
    return frozenset(names)


def _described(
    action: str, object_type: str, object_id: str, after: Any
) -> Iterator[tuple[str, str, dict[str, Any]]]:
    if not isinstance(after, dict) or action.startswith("signature."):
        return
    model = _model(object_type)
    if model is None:
        return
    described = audit_labels.snapshot_model(action, object_type)
    if described is not None and described is not model:
        # The action's registry entry says whose fields its snapshot holds (a veto's, on the
        # decision it holds): that record, when the snapshot names it by its key; never the object.
        key = described._meta.pk.attname
        if key in after:
            fields = _compared_fields(described)
            yield (
                described._meta.label_lower,
                str(after[key]),
                {k: v for k, v in after.items() if k in fields},
            )
        return
    pk = model._meta.pk.attname
    if pk in after:
        for key, value in after.items():
            other = _by_model_name().get(key)
            if key != pk and other is not None and other is not model and value == after[pk]:
                fields = _compared_fields(other)
                yield (
                    other._meta.label_lower,
                    str(value),
                    {k: v for k, v in after.items() if k in fields},
                )
                return
        if str(after[pk]) != object_id:
            return
    fields = _compared_fields(model)
    held = {k: v for k, v in after.items() if k in fields}
    if held:
        yield object_type, object_id, held


def _decimal_fields(model: type[models.Model]) -> frozenset[str]:
    return frozenset(
        f.attname for f in model._meta.concrete_fields if isinstance(f, models.DecimalField)
    )


def _comparable(value: Any, decimal_field: bool = False) -> Any:
    # A decimal kept as the service was given it ("150") and read back from the column
    # ("150.000000") is the same number.
    if decimal_field and value is not None:
        try:
            return decimal.Decimal(str(value)).normalize()
        except decimal.InvalidOperation:
            return value
    # Backups keep datetimes to the millisecond (Django's JSON serialiser), snapshots to the
    # microsecond: a restored row must still match its event.
    # A value written with ``str()`` rather than the snapshot's ISO form is the same moment.
    if isinstance(value, str) and len(value) >= 19 and value[4:5] == "-" and value[10:11] in "T ":
        try:
            moment = dt.datetime.fromisoformat(value)
        except ValueError:
            return value
        return moment.replace(microsecond=moment.microsecond // 1000 * 1000)
    return value


def record_problems(*, batch_size: int = 5000) -> list[RecordProblem]:
    """Each audited record whose current row disagrees with the trail, in trail order."""
    from .services import snapshot

    expected: dict[Key, dict[str, tuple[Any, int]]] = defaultdict(dict)
    gone: dict[Key, int] = {}
    rows = AuditEvent.objects.order_by("seq").values_list(
        "seq", "action", "object_type", "object_id", "before", "after"
    )
    for seq, action, object_type, object_id, before, after in rows.iterator(chunk_size=batch_size):
        if after is None and isinstance(before, dict) and action.endswith("delete"):
            gone[(object_type, object_id)] = seq
            expected.pop((object_type, object_id), None)
            continue
        for label, pk, held in _described(action, object_type, object_id, after):
            gone.pop((label, pk), None)
            expected[(label, pk)].update({k: (v, seq) for k, v in held.items()})

    by_model: dict[str, list[str]] = defaultdict(list)
    for label, pk in expected:
        by_model[label].append(pk)
    problems: list[RecordProblem] = []
    for label, pks in by_model.items():
        model = _model(label)
        if model is None:
            continue
        pk_field = model._meta.pk
        wanted = []
        for pk in pks:
            try:
                wanted.append(pk_field.to_python(pk))
            except (ValidationError, ValueError, TypeError):
                continue  # an id this model cannot hold: reported below as a missing record
        current = {
            str(obj.pk): obj
            for start in range(0, len(wanted), 500)
            for obj in model._base_manager.filter(pk__in=wanted[start : start + 500])
        }
        for pk in pks:
            held = expected[(label, pk)]
            obj = current.get(pk)
            last = max(seq for _v, seq in held.values())
            if obj is None:
                problems.append(RecordProblem(label, pk, last, (), missing=True))
                continue
            now = snapshot(obj, fields=None)
            decimals = _decimal_fields(model)
            differ = sorted(
                name
                for name, (value, _seq) in held.items()
                if _comparable(now.get(name), name in decimals)
                != _comparable(value, name in decimals)
            )
            if differ:
                seq = max(held[name][1] for name in differ)
                problems.append(RecordProblem(label, pk, seq, tuple(differ)))
    return sorted(problems, key=lambda p: p.seq)
