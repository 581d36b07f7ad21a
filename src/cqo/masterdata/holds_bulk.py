"""Holds on many lots at once (§6 e)): a recall stops every lot its forward trace reaches, which
can be thousands (§7.2.1.4).

``stock.lot_hold_place`` holds one lot: a locked row, a hold, a status change, an audit event and
a webhook, each per lot. For 10,000 lots that is 10,000 events burying the trail and minutes of
work, so ``lots_hold_many`` does the same in one transaction and writes ONE audit event
(decision 0005, "bulk child rows"): the lots are locked and read in chunks, the holds inserted
with ``bulk_create``, the lots' status set with one ``bulk_update``, and the historical rows of
both models written in bulk as well (``simple_history.utils``), stamped with the actor and the
reason, so a lot's history still shows when and why it was held. The event's ``after`` carries
the hold rows' model, count and SHA-256 digest (``core.bulk.rows_digest``, recomputable from the
stored rows: a hold edited, added or removed afterwards no longer matches) and the ids of the
lots held. ``lots_hold_lift_many`` lifts a source's open holds the same way.

The rules are those of one hold: a reason and a clause of the standard are required; a veto's
hold is placed only by the veto; a voided or unknown lot refuses the whole batch, named; a lot
already held keeps the status it had underneath, so lifting the last hold gives it back.
A lot already holding an open hold of the same ``source`` is left as it is (a repeated call holds
only what is new). No per-lot webhook is sent: the batch's record announces it.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cqo.audit.services import audit_record
from cqo.core import request_cache
from cqo.core.bulk import rows_digest
from cqo.core.permissions import require
from cqo.core.texts import encode

from .models import Lot, LotHold, StockStatus
from .stock import (
    CLAUSE_GATE,
    CLAUSE_RECALL,
    RECALL_SOURCE,
    VETO_SOURCE,
    _clause_checked,
    _reason_required,
)

CHUNK = 2000

AUDIT_ACTIONS: dict[str, Promise | str] = {
    "masterdata.lot.hold_many": gettext_lazy("Holds placed on many lots"),
    "masterdata.lot.hold_lift_many": gettext_lazy("Holds on many lots lifted"),
}


def _ids(lot_ids: Iterable[Any]) -> list[int]:
    found: set[int] = set()
    for value in lot_ids:
        try:
            found.add(int(value))
        except (TypeError, ValueError):
            raise ValidationError(
                {"lots": _("“%(value)s” is not a lot.") % {"value": value}}
            ) from None
    return sorted(found)


def _chunks(ids: list[int]) -> Iterable[list[int]]:
    for start in range(0, len(ids), CHUNK):
        yield ids[start : start + CHUNK]


def _history_copy(
    model: Any, ids: list[int], *, actor: Any, reason: str, when: Any, kind: str = "~"
) -> None:
    """The rows' historical snapshots (``kind``: "+" created, "~" changed), copied inside the database from the rows
    as they now stand: ``INSERT INTO <history> … SELECT … FROM <table> WHERE id IN (…)`` a chunk
    at a time, stamped with the actor, the reason and one date (what ``bulk_history_create``
    writes, without building thousands of model instances in Python)."""
    history = model.history.model
    columns = [history._meta.get_field(f.attname).column for f in history.tracked_fields]
    names = ", ".join(connection.ops.quote_name(c) for c in columns)
    stamp = connection.ops.adapt_datetimefield_value(when)
    user_id = getattr(actor, "pk", None)
    limit = history._meta.get_field("history_change_reason").max_length or 200
    for part in _chunks(ids):
        marks = ", ".join(["%s"] * len(part))
        sql = (
            f"INSERT INTO {history._meta.db_table} ({names}, history_date,"  # noqa: S608 (names from the models)
            f" history_change_reason, history_type, history_user_id)"
            f" SELECT {names}, %s, %s, %s, %s FROM {model._meta.db_table} WHERE id IN ({marks})"
        )
        with connection.cursor() as cursor:
            cursor.execute(sql, [stamp, reason[:limit], kind, user_id, *part])


def _status_set(lots: list[Lot], *, actor: Any, reason: str, when: Any) -> None:
    """Write each lot's new ``stock_status`` set-based: one ``UPDATE … WHERE id IN`` per status
    and chunk (through the default manager, so the veto's guard still refuses a vetoed lot moved
    forward), then the lots' historical rows copied in the database (``bulk_update`` writes a
    CASE of thousands of branches, and the history of deferred rows reloaded every field of every
    lot, one query each: 280 s for 10,000 lots)."""
    by_status: dict[str, list[int]] = {}
    for lot in lots:
        by_status.setdefault(lot.stock_status, []).append(lot.pk)
    for status, ids in sorted(by_status.items()):
        for part in _chunks(ids):
            Lot._default_manager.filter(pk__in=part).update(stock_status=status)
    _history_copy(Lot, sorted(lot.pk for lot in lots), actor=actor, reason=reason, when=when)


def _lots_digest(ids: list[int]) -> str:
    """SHA-256 of the sorted lot ids, comma-separated: the event's list can be checked against
    it, and it against the holds the event's source placed."""
    return hashlib.sha256(",".join(str(i) for i in sorted(ids)).encode()).hexdigest()


def _subject(record: Any, source: str) -> Any:
    """What the batch's event is about: the asking record, or the source named as a reference."""
    if record is not None:
        return record
    return ("masterdata.lot", "bulk", source or "bulk")


def _first_open_status(ids: list[int]) -> dict[int, str]:
    """For lots with open holds: the status underneath (that of their earliest open hold)."""
    found: dict[int, str] = {}
    for part in _chunks(ids):
        rows = (
            LotHold.objects.filter(lot_id__in=part, lifted_at__isnull=True, voided_at__isnull=True)
            .order_by("lot_id", "placed_at", "id")
            .values_list("lot_id", "status_before")
        )
        for lot_id, status in rows:
            found.setdefault(lot_id, status)
    return found


@transaction.atomic
def lots_hold_many(
    *,
    actor: Any,
    lot_ids: Iterable[Any],
    reason: str,
    clause: str,
    source: str,
    record: Any = None,
) -> int:
    """Hold every lot of ``lot_ids`` under ``clause`` for ``reason``, placed by ``source`` (the
    record asking, e.g. ``recall:RC-2026-001``); ``record`` is that record, for the audit event.
    All or nothing. Answers how many new holds were placed."""
    require(actor, "masterdata.add_lothold", clause=CLAUSE_GATE)
    text = _reason_required(reason, _("Say why the lot is held."))
    code = _clause_checked(clause)
    source = (source or "").strip()[:60]
    if source.startswith(VETO_SOURCE):
        raise ValidationError({"source": _("Only a veto places a veto's hold.")})
    ids = _ids(lot_ids)
    if not ids:
        raise ValidationError({"lots": _("Name at least one lot to hold.")})
    lots: dict[int, Lot] = {}
    for part in _chunks(ids):
        for lot in Lot._base_manager.select_for_update(of=("self",)).filter(pk__in=part):
            lots[lot.pk] = lot
    for lot_id in ids:
        found = lots.get(lot_id)
        if found is None:
            raise ValidationError({"lots": _("Lot %(lot)s does not exist.") % {"lot": lot_id}})
        if found.voided_at is not None:
            raise ValidationError({"lots": _("Lot %(lot)s was voided.") % {"lot": found.number}})
    already: set[int] = set()
    if source:
        for part in _chunks(ids):
            already.update(
                LotHold.objects.filter(
                    lot_id__in=part, source=source, lifted_at__isnull=True, voided_at__isnull=True
                ).values_list("lot_id", flat=True)
            )
    todo = [lot_id for lot_id in ids if lot_id not in already]
    if not todo:
        return 0
    underneath = _first_open_status(todo)
    now = timezone.now()
    stored = encode(text)
    holds = [
        LotHold(
            lot_id=lot_id,
            reason=stored,
            clause=code,
            source=source,
            status_before=underneath.get(lot_id, lots[lot_id].stock_status),
            placed_by=actor,
            placed_at=now,
        )
        for lot_id in todo
    ]
    created = LotHold.objects.bulk_create(holds, batch_size=CHUNK)
    if any(hold.pk is None for hold in created):  # a backend that does not return the keys
        created = list(
            LotHold.objects.filter(lot_id__in=todo, source=source, placed_at=now).order_by("id")
        )
    _history_copy(
        LotHold, sorted(h.pk for h in created), actor=actor, reason=text, when=now, kind="+"
    )
    moving = [lots[lot_id] for lot_id in todo if lots[lot_id].stock_status != StockStatus.HELD]
    for lot in moving:
        lot.stock_status = StockStatus.HELD
    _status_set(moving, actor=actor, reason=text, when=now)
    request_cache.forget()
    audit_record(
        actor=actor,
        action="masterdata.lot.hold_many",
        obj=_subject(record, source),
        after={
            "bulk": {
                "model": LotHold._meta.label_lower,
                "count": len(created),
                "sha256": rows_digest(created),
            },
            "source": source,
            "lots": todo,
            "lots_sha256": _lots_digest(todo),
            "status_changed": len(moving),
        },
        reason=stored,
        clause=code,
    )
    return len(created)


@transaction.atomic
def lots_hold_lift_many(
    *,
    actor: Any,
    source: str,
    reason: str,
    lot_ids: Iterable[Any] | None = None,
    record: Any = None,
) -> int:
    """Lift every open hold ``source`` placed (on ``lot_ids`` only, when given), with a reason,
    in one transaction and one audit event. A lot whose last open hold this was goes back to the
    status underneath. A veto's holds are lifted only with the veto. Answers how many holds."""
    require(actor, "masterdata.lift_lothold", clause=CLAUSE_GATE)
    source = (source or "").strip()[:60]
    if source.startswith(RECALL_SOURCE):
        require(actor, "masterdata.lift_recall_hold", clause=CLAUSE_RECALL)
    text = _reason_required(reason, _("Say why the hold is lifted."))
    if not source:
        raise ValidationError({"source": _("Name the record whose holds are lifted.")})
    if source.startswith(VETO_SOURCE):
        raise ValidationError({"source": _("A veto's hold is lifted when the CQO lifts the veto.")})
    holds_qs = LotHold.objects.select_for_update(of=("self",)).filter(
        source=source, lifted_at__isnull=True, voided_at__isnull=True
    )
    if lot_ids is not None:
        wanted = _ids(lot_ids)
        holds: list[LotHold] = []
        for part in _chunks(wanted):
            holds.extend(holds_qs.filter(lot_id__in=part))
    else:
        holds = list(holds_qs)
    if not holds:
        return 0
    holds.sort(key=lambda h: h.pk)
    now = timezone.now()
    stored = encode(text)
    lot_ids_held = sorted({h.lot_id for h in holds})
    lots: dict[int, Lot] = {}
    for part in _chunks(lot_ids_held):
        for lot in Lot._base_manager.select_for_update(of=("self",)).filter(pk__in=part):
            lots[lot.pk] = lot
    for hold in holds:
        hold.lifted_at = now
        hold.lifted_by = actor
        hold.lift_reason = stored
    # The same three values on every hold: one UPDATE per chunk, then their history in bulk.
    for part in _chunks([hold.pk for hold in holds]):
        LotHold._default_manager.filter(pk__in=part).update(
            lifted_at=now, lifted_by=actor, lift_reason=stored
        )
    _history_copy(LotHold, [hold.pk for hold in holds], actor=actor, reason=text, when=now)
    # What each lot goes back to: the status under its earliest hold, when none stays open.
    first_under: dict[int, tuple[Any, int, str]] = {}
    for hold in holds:
        key = (hold.placed_at, hold.pk, hold.status_before)
        if hold.lot_id not in first_under or key < first_under[hold.lot_id]:
            first_under[hold.lot_id] = key
    still_open: set[int] = set()
    for part in _chunks(lot_ids_held):
        still_open.update(
            LotHold.objects.filter(
                lot_id__in=part, lifted_at__isnull=True, voided_at__isnull=True
            ).values_list("lot_id", flat=True)
        )
    moving = []
    for lot_id in lot_ids_held:
        if lot_id in still_open or lot_id not in lots:
            continue
        lot = lots[lot_id]
        lot.stock_status = first_under[lot_id][2]
        moving.append(lot)
    _status_set(moving, actor=actor, reason=text, when=now)
    request_cache.forget()
    audit_record(
        actor=actor,
        action="masterdata.lot.hold_lift_many",
        obj=_subject(record, source),
        after={
            "bulk": {
                "model": LotHold._meta.label_lower,
                "count": len(holds),
                "sha256": rows_digest(holds),
            },
            "source": source,
            "lots": lot_ids_held,
            "lots_sha256": _lots_digest(lot_ids_held),
            "status_changed": len(moving),
        },
        reason=stored,
        clause=CLAUSE_GATE,
    )
    return len(holds)


def register() -> None:
    from cqo.audit.labels import actions_register

    actions_register(AUDIT_ACTIONS)
