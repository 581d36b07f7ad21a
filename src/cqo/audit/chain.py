"""Canonical form and SHA-256 chaining of audit events, and verification of the whole chain."""

from __future__ import annotations

import datetime as dt
import decimal
import hashlib
import json
import uuid
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

GENESIS = "0" * 64


def _default(value: Any) -> Any:
    if isinstance(value, dt.datetime):
        return value.astimezone(dt.UTC).isoformat() if value.tzinfo else value.isoformat()
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, decimal.Decimal | uuid.UUID):
        return str(value)
    if isinstance(value, set | frozenset):
        return sorted(value, key=str)
    if hasattr(value, "pk"):
        return value.pk
    return str(value)


def canonical(value: Any) -> str:
    """One JSON text per value: sorted keys, no spaces, Unicode kept, datetimes in UTC ISO form."""
    return json.dumps(
        value, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=_default
    )


def normalise(value: Any) -> Any:
    """What the database will give back for ``value`` once stored as JSON."""
    return None if value is None else json.loads(canonical(value))


def event_payload(fields: Mapping[str, Any]) -> str:
    keys = (
        "seq", "occurred_at", "actor_id", "actor_repr", "action", "object_type", "object_id",
        "object_repr", "before", "after", "reason", "clause", "prev_hash",
    )  # fmt: skip
    return canonical({k: fields[k] for k in keys})


def event_hash(fields: Mapping[str, Any]) -> str:
    return hashlib.sha256(event_payload(fields).encode("utf-8")).hexdigest()


def content_hash(content: Any) -> str:
    return hashlib.sha256(canonical(content).encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class ChainProblem:
    seq: int | None
    event_id: int | None
    problem: str

    def __str__(self) -> str:
        where = f"event #{self.seq} (id {self.event_id})" if self.seq is not None else "chain head"
        return f"{where}: {self.problem}"


def verify_events(
    events: Iterable[Mapping[str, Any]], *, head_seq: int, head_hash: str
) -> ChainProblem | None:
    """Return the first problem found, walking events in sequence order, or None if intact.

    Each event must follow its predecessor's sequence number without a gap (a gap means a row was
    deleted), carry its predecessor's hash (reordering or a deleted row breaks it), and hash to
    the stored value (any edited field breaks it). The trail must reach the head row, which is
    written after each commit and only forward, and the event there must carry the head's hash:
    a deleted tail shows. Events past the head are those committed since it was last written.
    """
    expected_prev = GENESIS
    expected_seq = 1
    last_seq = 0
    hash_at_head = GENESIS
    for ev in events:
        seq, eid = ev["seq"], ev["id"]
        if seq != expected_seq:
            return ChainProblem(
                seq, eid, f"expected sequence {expected_seq}: an event is missing or out of order"
            )
        if ev["prev_hash"] != expected_prev:
            return ChainProblem(seq, eid, "does not link to the previous event's hash")
        if event_hash(ev) != ev["hash"]:
            return ChainProblem(seq, eid, "content was altered after it was written")
        expected_prev = ev["hash"]
        expected_seq += 1
        last_seq = seq
        if seq == head_seq:
            hash_at_head = ev["hash"]
    if last_seq < head_seq or (head_seq and hash_at_head != head_hash):
        return ChainProblem(
            None,
            None,
            f"the chain head records event #{head_seq} but the trail ends at #{last_seq}",
        )
    return None
