"""Writing the lot genealogy: feeds of links from the MES or ERP (API), from Excel, or entered on
a lot's page (§7.2.3.2 whole-life traceability; the recall's scope, §7.2.1.4).

A feed is all or nothing. Every row is checked before anything is written, and the first row
that fails is named:

- both lots must exist (by lot number) and be live; a received lot is not made from others;
- the quantity is a positive number (at most three decimals), in the consumed lot's unit;
- a link is recorded once (twice in one feed, or already kept);
- mass balance: what all live links consume from a lot never exceeds the lot's quantity (what
  was received, or what was made);
- no cycle: a lot never ends up made, through any chain, from itself;
- a unit's serial number (optional, the ``serials`` list) is given, names a live lot, and is
  not already assigned, in the feed or before, to a live unit of the same item.

The rows are inserted in one batch with ONE audit event on the feed, whose ``after["bulk"]``
holds the links' count and SHA-256 digest (``cqo.core.bulk``), so the whole feed is as
tamper-evident as one audited row. Voiding a feed voids its links, in one event.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from cqo.accounts.models import User
from cqo.audit.services import audited_bulk_create, audited_change
from cqo.core import bulk
from cqo.core.clauses import clause
from cqo.core.permissions import require

from .genealogy import links_among, trace_forward
from .models import FeedSource, GenealogyFeed, Lot, LotLink, LotOrigin, SerialNumber

CLAUSE_TRACE = clause("§7.2.3.2")
MAX_FEED_ROWS = 50_000
# The advisory lock feeds take turns under (PostgreSQL): any constant of our own.
FEED_LOCK = 7_202_311_001
_CHUNK = 5_000
_Q = Decimal("0.001")


class FeedRefused(ValidationError):
    """A feed refused as a whole; ``row`` is the first failing row (1-based in the caller's
    numbering: the spreadsheet's row, the API list's position), 0 for the feed itself; ``part``
    says which list it is in (``rows``: the links, ``serials``: the serial numbers)."""

    def __init__(self, row: int, message: str, part: str = "rows") -> None:
        self.row = row
        self.part = part
        self.problem = message
        if not row:
            text = message
        elif part == "serials":
            text = _("Serial numbers, row %(row)d: %(problem)s") % {"row": row, "problem": message}
        else:
            text = _("Row %(row)d: %(problem)s") % {"row": row, "problem": message}
        super().__init__({part: [text]})


@dataclass(frozen=True)
class FeedRow:
    consumed: str
    produced: str
    quantity: Any


@dataclass(frozen=True)
class SerialRow:
    """A unit's serial number and the lot (by number) it was made in."""

    lot: str
    serial: str


SERIAL_MAX = 80


def _chunks(values: list[Any]) -> Iterable[list[Any]]:
    for start in range(0, len(values), _CHUNK):
        yield values[start : start + _CHUNK]


def _quantity(raw: Any) -> Decimal | None:
    if isinstance(raw, bool) or raw is None:
        return None
    try:
        qty = Decimal(str(raw).strip())
    except (InvalidOperation, ValueError):
        return None
    if not qty.is_finite() or qty <= 0 or qty != qty.quantize(_Q) or qty >= Decimal("1e11"):
        return None
    return qty.quantize(_Q)


def _row_of(raw: Any) -> FeedRow:
    if isinstance(raw, FeedRow):
        return raw
    if isinstance(raw, Mapping):
        return FeedRow(
            str(raw.get("consumed") or "").strip(),
            str(raw.get("produced") or "").strip(),
            raw.get("quantity"),
        )
    consumed, produced, quantity = raw
    return FeedRow(str(consumed or "").strip(), str(produced or "").strip(), quantity)


def _serial_row_of(raw: Any) -> SerialRow:
    if isinstance(raw, SerialRow):
        return raw
    if isinstance(raw, Mapping):
        return SerialRow(str(raw.get("lot") or "").strip(), str(raw.get("serial") or "").strip())
    lot, serial = raw
    return SerialRow(str(lot or "").strip(), str(serial or "").strip())


def serial_rows_check(rows: list[SerialRow], *, first_row: int = 1) -> list[tuple[int, int, str]]:
    """The serial numbers checked as a whole, before anything is written: (lot id, item id,
    serial) per row, or ``FeedRefused`` naming the first bad row (part ``serials``). A serial
    is unique per item among the live ones: given twice in the list, or already assigned to a
    lot (this one or another), it is refused."""
    numbers = sorted({r.lot for r in rows} - {""})
    lots: dict[str, tuple[int, int]] = {}
    for chunk in _chunks(numbers):
        for pk, number, item_id in Lot.objects.filter(
            number__in=chunk, voided_at__isnull=True
        ).values_list("pk", "number", "item_id"):
            lots[number] = (pk, item_id)
    out: list[tuple[int, int, str]] = []
    seen: dict[tuple[int, str], int] = {}
    for offset, row in enumerate(rows):
        row_no = first_row + offset
        if not row.serial:
            raise FeedRefused(row_no, _("Give the serial number."), "serials")
        if len(row.serial) > SERIAL_MAX:
            raise FeedRefused(
                row_no,
                _("A serial number has at most %(max)d characters.") % {"max": SERIAL_MAX},
                "serials",
            )
        if row.lot not in lots:
            raise FeedRefused(
                row_no,
                _("No live lot has the number %(number)s.") % {"number": row.lot or "—"},
                "serials",
            )
        lot_id, item_id = lots[row.lot]
        key = (item_id, row.serial)
        if key in seen:
            raise FeedRefused(
                row_no,
                _("The same serial number is already in row %(row)d.") % {"row": seen[key]},
                "serials",
            )
        seen[key] = row_no
        out.append((lot_id, item_id, row.serial))
    taken: dict[tuple[int, str], str] = {}
    serials = sorted({s for _l, _i, s in out})
    live = SerialNumber.objects.filter(voided_at__isnull=True)
    for chunk in _chunks(serials):
        for item_id, serial, lot_number in live.filter(serial__in=chunk).values_list(
            "item_id", "serial", "lot__number"
        ):
            taken[(item_id, serial)] = lot_number
    for offset, (_lot_id, item_id, serial) in enumerate(out):
        if (item_id, serial) in taken:
            raise FeedRefused(
                first_row + offset,
                _("Serial number %(serial)s is already assigned to lot %(lot)s.")
                % {"serial": serial, "lot": taken[(item_id, serial)]},
                "serials",
            )
    return out


def genealogy_feed_post(
    *,
    actor: User,
    rows: Iterable[Any],
    source: str = FeedSource.API,
    reference: str = "",
    first_row: int = 1,
    serials: Iterable[Any] = (),
    serial_first_row: int = 1,
) -> GenealogyFeed:
    """Record a feed of links (each row: consumed lot number, produced lot number, quantity)
    and of serial numbers (each: lot number, serial), all or nothing; raises ``FeedRefused``
    naming the first bad row (numbered from ``first_row`` / ``serial_first_row``)."""
    require(actor, "masterdata.add_genealogyfeed", clause=CLAUSE_TRACE)
    if source not in FeedSource.values or source == FeedSource.DEMO:
        raise ValidationError({"source": _("Choose where the links come from.")})
    reference = (reference or "").strip()[:100]
    parsed = [_row_of(raw) for raw in rows]
    units = [_serial_row_of(raw) for raw in serials]
    if not parsed and not units:
        raise FeedRefused(0, _("The feed has no rows."))
    if len(parsed) > MAX_FEED_ROWS or len(units) > MAX_FEED_ROWS:
        raise FeedRefused(
            0, _("A feed holds at most %(max)d rows; split it.") % {"max": MAX_FEED_ROWS}
        )

    try:
        with transaction.atomic():
            _feeds_serialised()
            return _feed_checked_and_written(
                actor=actor, parsed=parsed, units=units, source=source, reference=reference,
                first_row=first_row, serial_first_row=serial_first_row,
            )  # fmt: skip
    except IntegrityError:
        # The checks and the writes are one transaction, and feeds run one at a time; what is
        # left is a serial number or a link recorded by hand at the same moment. Nothing of
        # this feed was written.
        raise FeedRefused(
            0,
            _(
                "Another change recorded some of these links or serial numbers at the same "
                "moment; nothing of this feed was recorded. Send it again to see which row."
            ),
        ) from None


def _feeds_serialised() -> None:
    """Feeds take turns: the mass balance (consumed <= received) and the duplicate checks read
    what earlier feeds wrote, so two feeds checked side by side could each pass and together
    consume a lot more than it holds. SQLite's write transactions are serial already
    (``transaction_mode`` IMMEDIATE); on PostgreSQL one advisory lock, held to the end of the
    transaction, orders them without locking the lots' rows (a feed may name 50,000)."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [FEED_LOCK])


def _feed_checked_and_written(
    *,
    actor: User,
    parsed: list[Any],
    units: list[Any],
    source: str,
    reference: str,
    first_row: int,
    serial_first_row: int,
) -> GenealogyFeed:
    numbers = sorted(({r.consumed for r in parsed} | {r.produced for r in parsed}) - {""})
    lots: dict[str, tuple[int, Decimal, str]] = {}
    for chunk in _chunks(numbers):
        for pk, number, qty, origin in Lot.objects.filter(
            number__in=chunk, voided_at__isnull=True
        ).values_list("pk", "number", "quantity", "origin"):
            lots[number] = (pk, qty, origin)

    links: list[tuple[int, int, Decimal]] = []
    seen: dict[tuple[int, int], int] = {}
    for offset, row in enumerate(parsed):
        row_no = first_row + offset
        if not row.consumed or not row.produced:
            raise FeedRefused(row_no, _("Give both lot numbers, the consumed and the produced."))
        for lot_number in (row.consumed, row.produced):
            if lot_number not in lots:
                raise FeedRefused(
                    row_no, _("No live lot has the number %(number)s.") % {"number": lot_number}
                )
        parsed_qty = _quantity(row.quantity)
        if parsed_qty is None:
            raise FeedRefused(
                row_no,
                _("The quantity must be a number greater than zero, with at most three decimals."),
            )
        consumed_id, _qty, _origin = lots[row.consumed]
        produced_id, _pqty, produced_origin = lots[row.produced]
        if consumed_id == produced_id:
            raise FeedRefused(row_no, _("A lot cannot be made from itself."))
        if produced_origin == LotOrigin.RECEIPT:
            raise FeedRefused(
                row_no,
                _("Lot %(number)s was received from a supplier; it is not made from other lots.")
                % {"number": row.produced},
            )
        pair = (consumed_id, produced_id)
        if pair in seen:
            raise FeedRefused(
                row_no, _("The same link is already in row %(row)d.") % {"row": seen[pair]}
            )
        seen[pair] = row_no
        links.append((consumed_id, produced_id, parsed_qty))

    consumed_ids = sorted({c for c, _p, _q in links})
    kept: dict[int, Decimal] = {}
    existing: set[tuple[int, int]] = set()
    live = LotLink.objects.filter(voided_at__isnull=True)
    for chunk in _chunks(consumed_ids):
        for consumed_id, total in (
            live.filter(consumed_id__in=chunk)
            .values("consumed_id")
            .annotate(total=Sum("quantity"))
            .values_list("consumed_id", "total")
        ):
            kept[consumed_id] = total or Decimal(0)
        produced_ids = sorted({p for c, p, _q in links if c in set(chunk)})
        for sub in _chunks(produced_ids):
            existing.update(
                live.filter(consumed_id__in=chunk, produced_id__in=sub).values_list(
                    "consumed_id", "produced_id"
                )
            )
    by_id = {pk: (number, qty) for number, (pk, qty, _o) in lots.items()}
    running = dict(kept)
    for offset, (consumed_id, produced_id, qty) in enumerate(links):
        row_no = first_row + offset
        if (consumed_id, produced_id) in existing:
            raise FeedRefused(row_no, _("This link between the two lots is already recorded."))
        running[consumed_id] = running.get(consumed_id, Decimal(0)) + qty
        lot_number, lot_qty = by_id[consumed_id]
        if running[consumed_id] > lot_qty:
            raise FeedRefused(
                row_no,
                _(
                    "Lot %(number)s would be consumed %(used)s, more than its quantity "
                    "%(quantity)s (mass balance)."
                )
                % {"number": lot_number, "used": running[consumed_id], "quantity": lot_qty},
            )

    checked = serial_rows_check(units, first_row=serial_first_row)

    feed = GenealogyFeed.objects.create(
        source=source,
        reference=reference,
        link_count=len(links),
        serial_count=len(checked),
        created_by=actor,
    )
    after: dict[str, Any] = {"source": source, "reference": reference, "links": len(links)}
    if checked:
        # The serials' own digest beside the links' one: ONE event still covers the feed.
        after["serials"] = bulk.bulk_rows_create(
            SerialNumber,
            [
                SerialNumber(serial=s, item_id=i, lot_id=lot, feed=feed, created_by=actor)
                for lot, i, s in checked
            ],
        ).summary()
    audited_bulk_create(
        actor=actor,
        obj=feed,
        action="masterdata.genealogyfeed.post",
        model=LotLink,
        rows=[LotLink(consumed_id=c, produced_id=p, quantity=q, feed=feed) for c, p, q in links],
        after=after,
        clause=CLAUSE_TRACE,
    )
    closing = _cycle_closing_pair(links) if links else None
    if closing is not None:
        raise FeedRefused(
            seen[closing],
            _("This link makes a cycle: a lot would be made, through other lots, from itself."),
        )
    return feed


def _cycle_closing_pair(links: list[tuple[int, int, Decimal]]) -> tuple[int, int] | None:
    """With the feed's links inserted: a new link on a cycle (the last in feed order), or None.
    Every lot of a cycle through a new link (consumed → produced) is reachable from its produced
    lot, so it is enough to look at the graph below the new links' produced lots."""
    reach = trace_forward({p for _c, p, _q in links})
    inside = set(reach)
    graph: dict[int, list[int]] = {}
    for edge in links_among(reach):
        graph.setdefault(edge.consumed_id, []).append(edge.produced_id)
    if not any(c in inside for c, _p, _q in links):
        return None
    # Iterative depth-first search; a grey node met again closes a cycle.
    white, grey, black = 0, 1, 2
    colour = dict.fromkeys(inside, white)
    on_cycle: set[tuple[int, int]] = set()
    for root in inside:
        if colour[root] != white:
            continue
        stack: list[tuple[int, int]] = [(root, 0)]
        path: list[int] = [root]
        colour[root] = grey
        while stack:
            node, index = stack[-1]
            children = graph.get(node, [])
            if index < len(children):
                stack[-1] = (node, index + 1)
                child = children[index]
                if colour[child] == grey:
                    cycle = [*path[path.index(child) :], child]
                    on_cycle.update(itertools.pairwise(cycle))
                elif colour[child] == white:
                    colour[child] = grey
                    stack.append((child, 0))
                    path.append(child)
            else:
                colour[node] = black
                stack.pop()
                path.pop()
    new_on_cycle = [(c, p) for c, p, _q in links if (c, p) in on_cycle]
    return new_on_cycle[-1] if new_on_cycle else None


def genealogy_feed_void(*, actor: User, feed: GenealogyFeed, reason: str) -> GenealogyFeed:
    """Void a feed sent in error, and every link it brought, in one audited change."""
    require(actor, "masterdata.void_genealogyfeed", feed, clause=CLAUSE_TRACE)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Give a reason for voiding this record.")})
    with audited_change(
        actor=actor,
        obj=feed,
        action="masterdata.genealogyfeed.void",
        clause=CLAUSE_TRACE,
        reason=reason,
        update_fields=["voided_at", "voided_by", "void_reason"],
    ) as locked:
        if locked.voided_at is not None:
            raise ValidationError(_("This record is already voided."))
        now = timezone.now()
        locked.voided_at = now
        locked.voided_by = actor
        locked.void_reason = reason
        for model in (LotLink, SerialNumber):
            model.objects.filter(feed=locked, voided_at__isnull=True).update(
                voided_at=now, voided_by=actor, void_reason=reason
            )
    return locked


def mass_balance_exceeded(lot_ids: Iterable[int] | None = None) -> list[dict[str, Any]]:
    """Lots whose live links consume more than the lot's quantity (a feed loaded around the
    checks, or a lot's quantity corrected afterwards): lot id, number, quantity, consumed."""
    live = LotLink.objects.filter(voided_at__isnull=True)
    if lot_ids is not None:
        ids = list(lot_ids)
        rows: list[Any] = []
        for chunk in _chunks(ids):
            rows.extend(
                live.filter(consumed_id__in=chunk)
                .values("consumed_id")
                .annotate(total=Sum("quantity"))
                .values_list("consumed_id", "total")
            )
    else:
        rows = list(
            live.values("consumed_id")
            .annotate(total=Sum("quantity"))
            .values_list("consumed_id", "total")
        )
    totals = dict(rows)
    out: list[dict[str, Any]] = []
    for chunk in _chunks(sorted(totals)):
        for pk, number, qty in Lot.objects.filter(pk__in=chunk).values_list(
            "pk", "number", "quantity"
        ):
            if totals[pk] > qty:
                out.append({"lot": pk, "number": number, "quantity": qty, "consumed": totals[pk]})
    return out


# --- Excel ------------------------------------------------------------------------------------


def genealogy_template_xlsx() -> bytes:
    """The import template: the links (consumed lot, produced lot, quantity) on the first sheet,
    the units' serial numbers (lot, serial number) on the second."""
    from cqo.core.exports import sheet_append, workbook_new, xlsx_bytes

    wb = workbook_new()
    ws = wb.active
    sheet_append(ws, [_("consumed lot"), _("produced lot"), _("quantity consumed")])
    serials = wb.create_sheet(_("Serial numbers"))
    sheet_append(serials, [_("lot number"), _("serial number")])
    return xlsx_bytes(wb)


def _sheet_rows(ws: Any, width: int) -> list[list[Any]]:
    out: list[list[Any]] = []
    for index, row in enumerate(ws.iter_rows(values_only=True)):
        if index == 0:
            continue
        if len(out) > MAX_FEED_ROWS:
            raise FeedRefused(
                0, _("A feed holds at most %(max)d rows; split it.") % {"max": MAX_FEED_ROWS}
            )
        out.append(list(row[:width]) + [None] * (width - len(row[:width])))
    # Blank rows at the end are formatting; a blank row inside is refused by its number.
    while out and all(cell in (None, "") for cell in out[-1]):
        out.pop()
    return out


def genealogy_feed_xlsx(file: Any) -> tuple[list[FeedRow], list[SerialRow]]:
    """The links of an uploaded workbook's first sheet and the serial numbers of its second
    (row 1 of each names the columns; the spreadsheet's rows are numbered from 2). A file that
    is not a workbook is refused as a whole."""
    from .transfer import _open_book

    sheets = _open_book(file).worksheets
    links = [
        FeedRow(_text(a), _text(b), q) for a, b, q in (_sheet_rows(sheets[0], 3) if sheets else [])
    ]
    serials = [
        SerialRow(_text(lot), _text(serial))
        for lot, serial in (_sheet_rows(sheets[1], 2) if len(sheets) > 1 else [])
    ]
    return links, serials


def _text(cell: Any) -> str:
    # A serial typed as a number comes back from Excel as a float: 1001.0 is the serial "1001".
    if isinstance(cell, float) and cell.is_integer():
        cell = int(cell)
    return str(cell if cell is not None else "").strip()
