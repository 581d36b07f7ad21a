"""Reading the lot genealogy: forward and backward traces (§7.2.3.2 whole-life traceability, the
recall's scope under §7.2.1.4).

Supplier batches → received lots → production lots (work in progress) → finished lots →
shipments → customers. The links are rows of ``LotLink`` (consumed lot → produced lot); a trace
is ONE recursive query over them, which the two partial indexes cover in both directions
(decision 0011 measures it against a closure table and the row-by-row walk, ``walk_row_by_row``,
kept here as the reference the tests and the benchmark compare with).

These functions are shared names (the recall case calls them) and read everything: the caller
checks that its user may see the lots (every member may read master data).
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any, Literal

from django.db import connection, transaction
from django.db.models import QuerySet
from django.db.models.expressions import RawSQL

from .models import Lot, LotLink, SerialNumber, ShipmentLine

Direction = Literal["forward", "backward"]

_LINK = LotLink._meta.db_table
_LOT = Lot._meta.db_table


def _ids(lot_ids: Iterable[int]) -> list[int]:
    out: list[int] = []
    for value in lot_ids:
        out.append(int(value))
    return out


def _ids_select(ids: Sequence[int]) -> tuple[str, list[Any]]:
    """A SELECT yielding ``ids`` as one column, with a single parameter whatever their number
    (no limit on bound variables, one plan for every size)."""
    if connection.vendor == "postgresql":
        return "SELECT unnest(%s::bigint[])", [list(ids)]
    return "SELECT value FROM json_each(%s)", [json.dumps(list(ids))]


def _trace_sql(direction: Direction, ids: Sequence[int]) -> tuple[str, list[Any]]:
    if direction not in ("forward", "backward"):  # pragma: no cover - typed
        raise ValueError(direction)
    starts, params = _ids_select(ids)
    # UNION (not UNION ALL): each lot once, and a cycle (refused on entry) would still end.
    return _trace_from_sql(direction, f"SELECT id FROM {_LOT} WHERE id IN ({starts})"), params  # noqa: S608


def _trace_from_sql(direction: Direction, starts: str, *, flag_starts: bool = False) -> str:
    """The recursive trace from the ids a ``starts`` SELECT yields (one round trip: resolving
    the starting lots first would be a second). ``flag_starts``: a second column says which
    lots are the starts (``starts`` runs twice then, so its parameters are given twice)."""
    flag = f", id IN ({starts})" if flag_starts else ""
    step, back = (
        ("produced_id", "consumed_id") if direction == "forward" else ("consumed_id", "produced_id")
    )
    if connection.vendor == "sqlite":
        # With statistics (ANALYZE), SQLite 3.38+ puts a Bloom filter on the link table in the
        # recursive step, scanning all of it on every trace (140 ms instead of 0.2 ms at 1M
        # links). It builds none for the right side of a LEFT JOIN; the NULL that a lot without
        # links yields is kept once by UNION and dropped at the end.
        return (
            f"WITH RECURSIVE t(id) AS ({starts}"  # noqa: S608 (names from the models, values as parameters)
            f" UNION"
            f" SELECT l.{step} FROM t LEFT JOIN {_LINK} l"
            f" ON l.{back} = t.id AND l.voided_at IS NULL"
            f") SELECT id{flag} FROM t WHERE id IS NOT NULL"
        )
    return (
        f"WITH RECURSIVE t(id) AS ({starts}"  # noqa: S608 (names from the models, values as parameters)
        f" UNION"
        f" SELECT l.{step} FROM {_LINK} l JOIN t ON l.{back} = t.id"
        f" WHERE l.voided_at IS NULL"
        f") SELECT id{flag} FROM t"
    )


def trace_forward_from_batch(batch: str, supplier_id: int | None = None) -> list[int]:
    """``trace_forward`` of the live lots carrying a supplier's batch number, in ONE query
    (the recall's first question: where did this batch go?)."""
    batch = (batch or "").strip()
    if not batch:
        return []
    starts = f"SELECT id FROM {_LOT} WHERE supplier_batch = %s AND voided_at IS NULL"  # noqa: S608
    params: list[Any] = [batch]
    if supplier_id is not None:
        starts += " AND supplier_id = %s"
        params.append(int(supplier_id))
    return _run(_trace_from_sql("forward", starts), params)


def trace_from_batch(direction: Direction, batch: str) -> tuple[list[int], list[int]]:
    """The trace in either direction from the live lots carrying a supplier's batch number,
    and those lots (``lots_of_supplier_batch``), in ONE query: the trace page needs both (the
    starts are the graph's first level), and asking for the starts first cost a round trip."""
    batch = (batch or "").strip()
    if not batch:
        return [], []
    starts = f"SELECT id FROM {_LOT} WHERE supplier_batch = %s AND voided_at IS NULL"  # noqa: S608
    rows = _rows(_trace_from_sql(direction, starts, flag_starts=True), [batch, batch])
    return [row[0] for row in rows], [row[0] for row in rows if row[1]]


def trace_backward_from_shipment(shipment_id: int) -> list[int]:
    """``trace_backward`` of the lots on a shipment's live lines, in ONE query (a customer's
    complaint: which supplier batches are in what we shipped?)."""
    line = ShipmentLine._meta.db_table
    starts = f"SELECT lot_id FROM {line} WHERE shipment_id = %s AND voided_at IS NULL"  # noqa: S608
    params = [int(shipment_id)]
    return _run(_trace_from_sql("backward", starts), params)


def _raw(sql: str, params: list[Any]) -> RawSQL:
    return RawSQL(sql, params)  # noqa: S611 (our own query, every value a parameter)


def _run(sql: str, params: list[Any]) -> list[int]:
    return [row[0] for row in _rows(sql, params)]


def _rows(sql: str, params: list[Any]) -> list[tuple[Any, ...]]:
    if connection.vendor != "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            return list(cursor.fetchall())
    # PostgreSQL cannot estimate a recursive union (it guesses a million rows from the hubs'
    # fan-out), so its cost passes jit_above_cost and every trace paid ~13 ms of JIT
    # compilation for a 1 ms walk. JIT is turned off for the trace's statement only: sent with
    # it as ONE simple query (client-side binding, Django's default with psycopg 3), the SET
    # runs before the trace is planned and ends with the implicit transaction around both (or
    # with the caller's). BEGIN, SET LOCAL, the trace and COMMIT as four round trips put four
    # waits for a core in every trace on a loaded machine: the backward trace's p95 tail.
    if connection.settings_dict.get("OPTIONS", {}).get("server_side_binding"):
        with transaction.atomic(savepoint=False), connection.cursor() as cursor:
            cursor.execute("SET LOCAL jit = off")
            cursor.execute(sql, params)
            return list(cursor.fetchall())
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL jit = off; " + sql, params)
        cursor.nextset()
        return list(cursor.fetchall())


def trace_forward(lot_ids: Iterable[int]) -> list[int]:
    """The starting lots and every lot made from them, transitively (what a defective supplier
    batch reached). Unknown ids are dropped; order is not meaningful."""
    ids = _ids(lot_ids)
    if not ids:
        return []
    return _run(*_trace_sql("forward", ids))


def trace_backward(lot_ids: Iterable[int]) -> list[int]:
    """The starting lots and every lot they were made from, transitively (the supplier batches in
    a complained-of lot)."""
    ids = _ids(lot_ids)
    if not ids:
        return []
    return _run(*_trace_sql("backward", ids))


def trace_lots(direction: Direction, lot_ids: Iterable[int]) -> QuerySet[Lot]:
    """The traced lots as a queryset, for pages that read their details a page at a time: the
    recursive query runs inside the database as the ``IN`` subquery."""
    ids = _ids(lot_ids)
    if not ids:
        return Lot.objects.none()
    sql, params = _trace_sql(direction, ids)
    return Lot.objects.filter(pk__in=_raw(sql, params))


def lots_of_supplier_batch(batch: str, supplier_id: int | None = None) -> QuerySet[Lot]:
    """The received lots carrying a supplier's batch number (any item; a batch number alone may
    be shared by two suppliers unless ``supplier_id`` narrows it). Voided lots are left out."""
    batch = (batch or "").strip()
    if not batch:
        return Lot.objects.none()
    lots = Lot.objects.filter(supplier_batch=batch, voided_at__isnull=True)
    if supplier_id is not None:
        lots = lots.filter(supplier_id=supplier_id)
    return lots.select_related("item", "supplier")


def shipment_lines_of(lot_ids: Iterable[int]) -> QuerySet[ShipmentLine]:
    """The live shipment lines carrying any of the lots, with their shipment and customer (who
    holds what a forward trace reached)."""
    ids = _ids(lot_ids)
    if not ids:
        return ShipmentLine.objects.none()
    sql, params = _ids_select(ids)
    return shipment_lines_in(_raw(sql, params))


def shipment_lines_in(lots: Any) -> QuerySet[ShipmentLine]:
    """``shipment_lines_of`` the lots an ``IN`` subquery (or list) names (for ``Prepared``)."""
    return (
        ShipmentLine.objects.filter(
            lot_id__in=lots,
            voided_at__isnull=True,
            shipment__voided_at__isnull=True,
        )
        .select_related("shipment", "shipment__customer", "lot", "lot__item")
        .order_by("shipment__customer__code", "shipment__number", "id")
    )


def lots_of_serial(serial: str) -> list[int]:
    """The lot of a unit's live serial number (the start of a backward trace from a complaint).
    A serial is unique per item, so two items' units may share one: both lots are returned."""
    serial = (serial or "").strip()
    if not serial:
        return []
    return list(
        SerialNumber.objects.filter(serial=serial, voided_at__isnull=True)
        .values_list("lot_id", flat=True)
        .distinct()
    )


def serials_of(lot_ids: Iterable[int]) -> QuerySet[SerialNumber]:
    """The live serial numbers of the units in the lots (the units a recall recovers), with
    their lot and item, lot by lot and by serial within a lot (the order of ``md_serial_lot``,
    so a first page is read without sorting them all)."""
    ids = _ids(lot_ids)
    if not ids:
        return SerialNumber.objects.none()
    sql, params = _ids_select(ids)
    return serials_in(_raw(sql, params))


def serials_in(lots: Any) -> QuerySet[SerialNumber]:
    """``serials_of`` the lots an ``IN`` subquery (or list) names (for ``Prepared``)."""
    return (
        SerialNumber.objects.filter(lot_id__in=lots, voided_at__isnull=True)
        .select_related("lot", "item")
        .order_by("lot_id", "serial")
    )


def lots_of_shipment(shipment_id: int) -> list[int]:
    """The lots on a shipment's live lines (the start of a backward trace from a shipment)."""
    return list(
        ShipmentLine.objects.filter(shipment_id=shipment_id, voided_at__isnull=True)
        .values_list("lot_id", flat=True)
        .distinct()
    )


@dataclass(frozen=True)
class Edge:
    consumed_id: int
    produced_id: int
    quantity: Any


def links_among(lot_ids: Iterable[int], *, limit: int | None = None) -> list[Edge]:
    """The live links whose both ends are in ``lot_ids`` (the edges of a trace's graph), at most
    ``limit`` of them."""
    ids = _ids(lot_ids)
    if not ids:
        return []
    sql, params = _ids_select(ids)
    query = (
        f"SELECT l.consumed_id, l.produced_id, l.quantity FROM {_LINK} l"  # noqa: S608 (as above)
        f" WHERE l.voided_at IS NULL AND l.consumed_id IN ({sql}) AND l.produced_id IN ({sql})"
        f" ORDER BY l.id"
    )
    if limit is not None:
        query += f" LIMIT {int(limit)}"
    with connection.cursor() as cursor:
        cursor.execute(query, params + params)
        return [Edge(a, b, q) for a, b, q in cursor.fetchall()]


def walk_row_by_row(direction: Direction, lot_ids: Iterable[int]) -> list[int]:
    """The same trace as ``trace_forward``/``trace_backward``, one query per lot visited: the
    way an application without a recursive query walks a genealogy. Kept as the reference the
    tests compare the recursive query with and the benchmark measures beside it."""
    step, back = (
        ("produced_id", "consumed_id") if direction == "forward" else ("consumed_id", "produced_id")
    )
    live = LotLink.objects.filter(voided_at__isnull=True)
    seen = set(Lot.objects.filter(pk__in=_ids(lot_ids)).values_list("pk", flat=True))
    todo = list(seen)
    while todo:
        lot_id = todo.pop()
        for nxt in live.filter(**{back: lot_id}).values_list(step, flat=True):
            if nxt not in seen:
                seen.add(nxt)
                todo.append(nxt)
    return list(seen)


def trace_levels(
    direction: Direction,
    lot_ids: Iterable[int],
    *,
    limit: int = 300,
    trace: Sequence[int] | None = None,
) -> tuple[dict[int, int], list[Edge]]:
    """The trace's first lots by level (0: the starts), at most about ``limit`` of them, and the
    links between them: the graph a page draws. One query per level, never per lot; a hub's
    trace stops at the level where the limit is passed.

    ``trace`` is the whole trace from ``lot_ids`` when the caller has it already (the trace page
    does). If it has fewer than ``limit`` lots the graph is all of it: its links are read in ONE
    query and the levels found here, the same lots, levels and links as the walk by level (which
    cost a query for the starts and one per level, up to eight on a typical page)."""
    if trace is not None and len(trace) < limit:
        return _levels_within(direction, lot_ids, trace)
    back = "consumed_id" if direction == "forward" else "produced_id"
    if trace is not None:
        # The trace holds exactly the starts that exist (its first step selects them).
        members = set(_ids(trace))
        level: dict[int, int] = {pk: 0 for pk in _ids(lot_ids) if pk in members}
    else:
        level = dict.fromkeys(
            Lot.objects.filter(pk__in=_ids(lot_ids)).values_list("pk", flat=True), 0
        )
    frontier = list(level)
    edges: list[Edge] = []
    depth = 0
    level_links = _level_query(back, limit * 4)
    while frontier and len(level) < limit:
        depth += 1
        found = level_links.rows(frontier)
        frontier = []
        for consumed, produced, quantity in found:
            nxt = produced if direction == "forward" else consumed
            if nxt not in level:
                if len(level) >= limit:
                    continue
                level[nxt] = depth
                frontier.append(nxt)
            edges.append(Edge(consumed, produced, quantity))
    return level, edges


def _levels_within(
    direction: Direction, lot_ids: Iterable[int], trace: Sequence[int]
) -> tuple[dict[int, int], list[Edge]]:
    """``trace_levels`` of a whole, known trace: every live link leaving one of its lots (in the
    trace's direction) stays inside it, so one query reads them all; a breadth-first walk in
    memory gives each lot its level (the shortest, as the walk by level does)."""
    forward = direction == "forward"
    members = set(_ids(trace))
    starts = [pk for pk in dict.fromkeys(_ids(lot_ids)) if pk in members]
    if not members:
        return {}, []
    leaving: dict[int, list[Edge]] = {}
    links = _LINKS_FROM if forward else _LINKS_TO
    for consumed, produced, quantity in links.rows(sorted(members)):
        leaving.setdefault(consumed if forward else produced, []).append(
            Edge(consumed, produced, quantity)
        )
    level = dict.fromkeys(starts, 0)
    edges: list[Edge] = []
    frontier = starts
    depth = 0
    while frontier:
        depth += 1
        reached: list[int] = []
        for pk in frontier:
            for edge in leaving.get(pk, ()):
                nxt = edge.produced_id if forward else edge.consumed_id
                if nxt not in level:
                    level[nxt] = depth
                    reached.append(nxt)
                edges.append(edge)
        frontier = reached
    return level, edges


_MARKER = object()


class Prepared:
    """A values query over the rows of some ids, compiled to SQL once per process and database
    and then run with each call's ids.

    Django compiles a queryset to SQL every time it runs: 0.8–1.2 ms of CPU for the trace page's
    joins (measured on PostgreSQL), twice what the database spends answering them, and a page
    made five. Their SQL differs from one call to the next only by the one ids parameter of the
    ``IN`` subquery (``_ids_select``), so the text, that parameter's place and the columns'
    converters (decimals and dates on SQLite) are kept; the rows come back as the queryset's
    ``values_list`` gives them (``test_a_prepared_query_reads_what_the_orm_reads``).

    ``build`` makes the queryset from the ``IN`` subquery; ``count``: the number of its rows;
    ``as_dicts``: rows as ``values()`` gives them."""

    def __init__(self, build: Any, *, count: bool = False, as_dicts: bool = False) -> None:
        self._build = build
        self._count = count
        self._as_dicts = as_dicts
        self._names: list[str] = []
        self._compiled: dict[str, tuple[str, list[Any], int, list[tuple[int, Any, Any]]]] = {}

    def _compile(self) -> tuple[str, list[Any], int, list[tuple[int, Any, Any]]]:
        select, _params = _ids_select([])
        compiler = self._build(_raw(select, [_MARKER])).query.get_compiler(connection.alias)
        sql, params = compiler.as_sql()
        params = list(params)
        index = next(i for i, p in enumerate(params) if p is _MARKER)
        if self._count:
            return f"SELECT COUNT(*) FROM ({sql}) counted", params, index, []  # noqa: S608
        fields = [s[0] for s in compiler.select[0 : compiler.col_count]]
        # values(): the names in the order of the columns (Django's ValuesIterable).
        query = compiler.query
        self._names = (
            list(query.selected)
            if query.selected
            else [*query.extra_select, *query.values_select, *query.annotation_select]
        )
        converters = [
            (pos, convs, expression)
            for pos, (convs, expression) in compiler.get_converters(fields).items()
        ]
        return sql, params, index, converters

    def _run(self, ids: Iterable[int]) -> list[Any]:
        key = f"{connection.alias}:{connection.vendor}"
        compiled = self._compiled.get(key)
        if compiled is None:
            compiled = self._compiled[key] = self._compile()
        sql, params, index, converters = compiled
        params = list(params)
        params[index] = _ids_select(_ids(ids))[1][0]
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            rows = cursor.fetchall()
        if not converters:
            return list(rows)
        out = []
        for row in rows:
            values = list(row)
            for pos, convs, expression in converters:
                value = values[pos]
                for convert in convs:
                    value = convert(value, expression, connection)
                values[pos] = value
            out.append(tuple(values))
        return out

    def rows(self, ids: Iterable[int]) -> list[Any]:
        rows = self._run(ids)
        if self._as_dicts:
            return [dict(zip(self._names, row, strict=True)) for row in rows]
        return rows

    def count(self, ids: Iterable[int]) -> int:
        return int(self._run(ids)[0][0])


# The live links leaving (forward) or entering (backward) some lots, for ``_levels_within``.
_LINKS_FROM = Prepared(
    lambda lots: (
        LotLink.objects.filter(voided_at__isnull=True, consumed_id__in=lots)
        .order_by()
        .values_list("consumed_id", "produced_id", "quantity")
    )
)
_LINKS_TO = Prepared(
    lambda lots: (
        LotLink.objects.filter(voided_at__isnull=True, produced_id__in=lots)
        .order_by()
        .values_list("consumed_id", "produced_id", "quantity")
    )
)


_LEVEL_QUERIES: dict[tuple[str, int], Prepared] = {}


def _level_query(back: str, cap: int) -> Prepared:
    """``trace_levels``' query for one level: the first ``cap`` live links from the frontier."""
    found = _LEVEL_QUERIES.get((back, cap))
    if found is None:
        found = _LEVEL_QUERIES[(back, cap)] = Prepared(
            # In the links' order (by id), as before: it decides which links a capped level keeps.
            lambda lots: LotLink.objects.filter(
                voided_at__isnull=True, **{f"{back}__in": lots}
            ).values_list("consumed_id", "produced_id", "quantity")[:cap]
        )
    return found
