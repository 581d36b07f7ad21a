"""Writing the lot genealogy: feeds of links from the MES or ERP (API), from Excel, or entered on
a lot's page (§7.2.3.2 whole-life traceability; the recall's scope, §7.2.1.4).

A feed is all or nothing. Every row is checked before anything is written, and the first row
that fails is named:

- both lots must exist (by lot number) and be live; a received lot is not made from others;
- the quantity is a positive number (at most three decimals), in the consumed lot's unit;
- a link is recorded once (twice in one feed, or already kept);
- mass balance: what all live links consume from a lot never exceeds the lot's quantity (what
  was received, or what was made);
- no cycle: a lot never ends up made, through any chain, from itself.

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
from django.db import transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from cqo.accounts.models import User
from cqo.audit.services import audited_bulk_create, audited_change
from cqo.core.clauses import clause
from cqo.core.permissions import require

from .genealogy import links_among, trace_forward
from .models import FeedSource, GenealogyFeed, Lot, LotLink, LotOrigin

CLAUSE_TRACE = clause("§7.2.3.2")
MAX_FEED_ROWS = 50_000
_CHUNK = 5_000
_Q = Decimal("0.001")


class FeedRefused(ValidationError):
    """A feed refused as a whole; ``row`` is the first failing row (1-based in the caller's
    numbering: the spreadsheet's row, the API list's position), 0 for the feed itself."""

    def __init__(self, row: int, message: str) -> None:
        self.row = row
        text = _("Row %(row)d: %(problem)s") % {"row": row, "problem": message} if row else message
        super().__init__({"rows": [text]})


@dataclass(frozen=True)
class FeedRow:
    consumed: str
    produced: str
    quantity: Any


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


def genealogy_feed_post(
    *,
    actor: User,
    rows: Iterable[Any],
    source: str = FeedSource.API,
    reference: str = "",
    first_row: int = 1,
) -> GenealogyFeed:
    """Record a feed of links (each row: consumed lot number, produced lot number, quantity),
    all or nothing; raises ``FeedRefused`` naming the first bad row (numbered from
    ``first_row``)."""
    require(actor, "masterdata.add_genealogyfeed", clause=CLAUSE_TRACE)
    if source not in FeedSource.values or source == FeedSource.DEMO:
        raise ValidationError({"source": _("Choose where the links come from.")})
    reference = (reference or "").strip()[:100]
    parsed = [_row_of(raw) for raw in rows]
    if not parsed:
        raise FeedRefused(0, _("The feed has no rows."))
    if len(parsed) > MAX_FEED_ROWS:
        raise FeedRefused(
            0, _("A feed holds at most %(max)d rows; split it.") % {"max": MAX_FEED_ROWS}
        )

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

    with transaction.atomic():
        feed = GenealogyFeed.objects.create(
            source=source, reference=reference, link_count=len(links), created_by=actor
        )
        audited_bulk_create(
            actor=actor,
            obj=feed,
            action="masterdata.genealogyfeed.post",
            model=LotLink,
            rows=[
                LotLink(consumed_id=c, produced_id=p, quantity=q, feed=feed) for c, p, q in links
            ],
            after={"source": source, "reference": reference, "links": len(links)},
            clause=CLAUSE_TRACE,
        )
        closing = _cycle_closing_pair(links)
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
        LotLink.objects.filter(feed=locked, voided_at__isnull=True).update(
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
    """The import template: consumed lot, produced lot, quantity (first three columns)."""
    from cqo.core.exports import sheet_append, workbook_new, xlsx_bytes

    wb = workbook_new()
    ws = wb.active
    sheet_append(ws, [_("consumed lot"), _("produced lot"), _("quantity consumed")])
    return xlsx_bytes(wb)


def genealogy_feed_xlsx_rows(file: Any) -> list[FeedRow]:
    """The rows of an uploaded workbook's first sheet (row 1 names the columns; the first three
    columns are read). A file that is not a workbook is refused as a whole."""
    from .transfer import _open

    ws = _open(file)
    if ws is None:
        raise FeedRefused(0, _("The feed has no rows."))
    out: list[FeedRow] = []
    for index, row in enumerate(ws.iter_rows(values_only=True)):
        if index == 0:
            continue
        cells = list(row[:3]) + [None] * (3 - len(row[:3]))
        if len(out) > MAX_FEED_ROWS:
            raise FeedRefused(
                0, _("A feed holds at most %(max)d rows; split it.") % {"max": MAX_FEED_ROWS}
            )
        out.append(FeedRow(str(cells[0] or "").strip(), str(cells[1] or "").strip(), cells[2]))
    # Blank rows at the end are formatting; a blank row inside is refused by its number.
    while out and not (out[-1].consumed or out[-1].produced or out[-1].quantity not in (None, "")):
        out.pop()
    return out
