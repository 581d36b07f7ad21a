"""Many child rows written at once, for the records a service audits as one batch.

A lot's inspection results are thousands of measurements (315 samples × 10 characteristics; a
bulk post of 10,000). Saving each row sends its signals, and an event per row would bury the
trail. ``bulk_rows_create`` writes them with ``bulk_create``, makes the caches stale once (what
the signals would have done per row), and returns what the service's ONE audit event records
for the batch: the model, how many rows, and a SHA-256 digest of their canonical values. Anyone
can recompute the digest from the rows in the database (``rows_digest``), so a row edited,
added or removed behind the platform's back no longer matches its event (decision 0005, "bulk
child rows").

Only for rows that are not audited or historised one by one: a model with
django-simple-history is refused, since ``bulk_create`` would skip its snapshots.
"""

from __future__ import annotations

import datetime
import decimal
import hashlib
import json
import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar

from django.db import models, transaction

from . import request_cache

M = TypeVar("M", bound=models.Model)

DEFAULT_BATCH_SIZE = 1000


@dataclass(frozen=True)
class BulkRows:
    """What one audit event says about a batch of rows (its ``after["bulk"]``)."""

    model: str
    count: int
    sha256: str
    rows: Sequence[models.Model]

    def summary(self) -> dict[str, Any]:
        return {"model": self.model, "count": self.count, "sha256": self.sha256}


def _canonical(field: models.Field[Any, Any], value: Any) -> Any:
    # The same text whether the value came from the caller (a float, a str) or back from the
    # database, so the digest can be recomputed from the stored rows.
    if value is None:
        return None
    value = field.to_python(value)
    if isinstance(value, decimal.Decimal):
        places = getattr(field, "decimal_places", None)
        if places is not None:
            value = value.quantize(decimal.Decimal(1).scaleb(-places))
        return str(value)
    if isinstance(value, datetime.datetime | datetime.date | datetime.time):
        return value.isoformat()
    if isinstance(value, uuid.UUID):
        return str(value)
    if isinstance(value, float):
        return repr(value)
    return value


def rows_digest(rows: Iterable[models.Model]) -> str:
    """SHA-256 over the rows' concrete field values (primary key included), in primary-key
    order: one JSON line per row, keys sorted."""
    digest = hashlib.sha256()
    ordered = list(rows)
    if any(row.pk is None for row in ordered):
        raise ValueError("rows_digest needs saved rows: their primary keys are part of it")
    ordered.sort(key=lambda row: row.pk)
    for row in ordered:
        values = {
            field.attname: _canonical(field, field.value_from_object(row))
            for field in row._meta.concrete_fields
        }
        line = json.dumps(values, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
        digest.update(line.encode())
        digest.update(b"\n")
    return digest.hexdigest()


def bulk_rows_create(
    model: type[M], rows: Iterable[M], *, batch_size: int = DEFAULT_BATCH_SIZE
) -> BulkRows:
    """Insert ``rows`` (unsaved instances of ``model``) with ``bulk_create``, in the caller's
    transaction, and return the batch's summary for its audit event::

        batch = bulk_rows_create(Measurement, measurements)
        audit_record(actor=actor, action="inspection.lot.results", obj=lot,
                     after={**snapshot(lot), "bulk": batch.summary()}, clause=...)

    No per-row signals are sent: the request cache and the shared data version are made stale
    once here. Validate the rows before: nothing checks them but the database."""
    meta = model._meta
    if getattr(meta, "simple_history_manager_attribute", None):
        raise TypeError(f"{meta.label} keeps a history of each row; bulk_rows_create would skip it")
    objs = list(rows)
    with transaction.atomic():
        created = model._default_manager.bulk_create(objs, batch_size=batch_size)
        request_cache.forget()
    return BulkRows(meta.label_lower, len(created), rows_digest(created), created)
