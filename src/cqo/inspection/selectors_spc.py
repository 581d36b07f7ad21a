"""SPC reads (§7.2.3.2): a characteristic's control chart computed live from its measurements,
its capability, the capability overview of the special characteristics, the alarms.

A chart with 10,000 subgroups must answer within 300 ms of server time, so the reads fetch only
two or three columns along the (characteristic, measured_at) index, with the value cast to a float
in the database (no Decimal per row), and every computation is numpy in ``cqo.methods``.
"""

from __future__ import annotations

import dataclasses
import math
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import numpy.typing as npt
from django.db import connections
from django.db.models import Case, FloatField, IntegerField, Min, QuerySet, Value, When
from django.db.models.functions import Cast
from django.utils.translation import gettext_lazy as _

from cqo.masterdata.models import Characteristic, CharacteristicKind
from cqo.methods import charts as C
from cqo.methods.capability import CapabilityResult, capability
from cqo.methods.errors import MethodsInputError

from .models import AlarmStatus, ChartKind, ControlLimits, InspectionLot, Measurement, SpcAlarm

FloatArray = npt.NDArray[np.float64]

# X̄-S instead of X̄-R when subgroups are large (R wastes the information of n > 10) or their sizes
# vary a lot (S̄/c4 weighs each subgroup by its own n).
XBAR_S_ABOVE_N = 10
SIZES_VARY_RATIO = 1.5
# Capability is a statement about the process as it runs now: the latest subgroups only.
CAPABILITY_SUBGROUPS = 100
CAPABILITY_MIN_VALUES = 10
CPK_RED = 1.0
CPK_AMBER = 1.33

# What each rule of cqo.methods.rules means, in the user's language (tooltips, alarm lists).
RULE_TEXTS: dict[str, Any] = {
    "nelson1": _("one point beyond the control limits"),
    "nelson2": _("nine points in a row on one side of the centre line"),
    "nelson3": _("six points in a row increasing or decreasing"),
    "nelson4": _("fourteen points in a row alternating up and down"),
    "nelson5": _("two of three points beyond 2σ on one side"),
    "nelson6": _("four of five points beyond 1σ on one side"),
    "nelson7": _("fifteen points in a row within 1σ"),
    "nelson8": _("eight points in a row beyond 1σ on both sides"),
    "we1": _("one point beyond the control limits"),
    "we2": _("two of three points beyond 2σ on one side"),
    "we3": _("four of five points beyond 1σ on one side"),
    "we4": _("eight points in a row on one side of the centre line"),
}

CHART_PARTS: dict[str, tuple[str, str]] = {
    ChartKind.XBAR_R: ("xbar", "r"),
    ChartKind.XBAR_S: ("xbar", "s"),
    ChartKind.IMR: ("imr", "mr"),
}
SIGMA_METHOD: dict[str, str] = {ChartKind.XBAR_R: "rbar", ChartKind.XBAR_S: "sbar", "imr": "mr"}
DISPERSION_NAMES = {"r": "R", "s": "S", "mr": "MR"}


def rule_text(token: str) -> str:
    """``nelson5`` or ``R:nelson1`` (a rule on the dispersion chart) in words."""
    chart, _sep, rule = token.rpartition(":")
    text = str(RULE_TEXTS.get(rule, rule))
    return f"{chart} {rule}: {text}" if chart else f"{rule}: {text}"


# --- characteristics ------------------------------------------------------------------------------


def spc_characteristics(user: Any) -> QuerySet[Characteristic]:
    """The variable characteristics a user may chart (attributes have no X̄ or I chart)."""
    if user is None or not user.has_perm("inspection.view_spc"):
        return Characteristic.objects.none()
    return Characteristic.objects.filter(
        voided_at__isnull=True, kind=CharacteristicKind.VARIABLE
    ).select_related("item")


def lot_spc_characteristics(inspection_lot: InspectionLot) -> list[dict[str, Any]]:
    """The lot's item's variable characteristics, each with whether this lot has values for it
    and how many open alarms name this lot (the SPC part of the lot page)."""
    chars = list(
        Characteristic.objects.filter(
            item_id=inspection_lot.item_id,
            voided_at__isnull=True,
            kind=CharacteristicKind.VARIABLE,
        ).order_by("sequence", "id")
    )
    measured = set(
        Measurement.objects.filter(
            inspection_lot=inspection_lot, voided_at__isnull=True, value__isnull=False
        )
        .values_list("characteristic_id", flat=True)
        .distinct()
    )
    alarms: dict[int, int] = {}
    for cid in SpcAlarm.objects.filter(
        inspection_lot=inspection_lot, voided_at__isnull=True, status=AlarmStatus.OPEN
    ).values_list("characteristic_id", flat=True):
        alarms[cid] = alarms.get(cid, 0) + 1
    return [
        {"characteristic": c, "measured": c.pk in measured, "alarms": alarms.get(c.pk, 0)}
        for c in chars
    ]


# --- control limits -----------------------------------------------------------------------------


def limits_in_force(characteristic_id: int, chart: str) -> ControlLimits | None:
    return (
        ControlLimits.objects.filter(
            characteristic_id=characteristic_id,
            chart=chart,
            superseded_at__isnull=True,
            voided_at__isnull=True,
        )
        .select_related("frozen_by")
        .first()
    )


def limits_history(characteristic_id: int) -> QuerySet[ControlLimits]:
    return ControlLimits.objects.filter(
        characteristic_id=characteristic_id, voided_at__isnull=True
    ).select_related("frozen_by")


def limits_visible(user: Any) -> QuerySet[ControlLimits]:
    if user is None or not user.has_perm("inspection.view_controllimits"):
        return ControlLimits.objects.none()
    return ControlLimits.objects.filter(voided_at__isnull=True).select_related(
        "frozen_by", "characteristic"
    )


# --- the rows -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Rows:
    """A characteristic's non-voided values in time order, with their subgroup (the inspection
    lot) and, when asked, the sample unit and whether each came after a given moment."""

    lot_ids: npt.NDArray[np.int64]
    values: FloatArray
    sample_nos: npt.NDArray[np.int64] | None = None
    late: npt.NDArray[np.bool_] | None = None
    times: list[Any] | None = None

    @property
    def n(self) -> int:
        return int(self.values.shape[0])


def measurement_rows(
    characteristic_id: int,
    *,
    after: Any = None,
    since: Any = None,
    from_: Any = None,
    samples: bool = False,
    times: bool = False,
) -> Rows:
    """``after``: flag the rows measured after this moment (phase II). ``since``: only the rows
    measured after this moment (the monitoring job); ``from_``: from this moment on."""
    qs: Any = Measurement.objects.filter(
        characteristic_id=characteristic_id, voided_at__isnull=True, value__isnull=False
    )
    if since is not None:
        qs = qs.filter(measured_at__gt=since)
    if from_ is not None:
        qs = qs.filter(measured_at__gte=from_)
    qs = qs.annotate(v=Cast("value", FloatField()))
    fields: list[str] = ["inspection_lot_id", "v"]
    if samples:
        fields.append("sample_no")
    if after is not None:
        qs = qs.annotate(
            late=Case(
                When(measured_at__gt=after, then=Value(1)),
                default=Value(0),
                output_field=IntegerField(),
            )
        )
        fields.append("late")
    if times:
        fields.append("measured_at")
    qs = qs.order_by("measured_at", "id").values_list(*fields)
    # Straight from the cursor: no per-row converters or tuples rebuilt by the ORM (50,000 rows
    # of a 10,000-subgroup chart); the datetimes (freezing only) go through the ORM.
    rows = list(qs) if times else _cursor_rows(qs, fields)
    if not rows:
        return Rows(np.zeros(0, dtype=np.int64), np.zeros(0))
    if times:
        columns = list(zip(*rows, strict=True))
        table = np.array([columns[i] for i in range(len(fields) - 1)], dtype=np.float64)
    else:
        table = np.array(rows, dtype=np.float64).T
    col = {name: table[i] for i, name in enumerate(fields) if name != "measured_at"}
    return Rows(
        lot_ids=col["inspection_lot_id"].astype(np.int64),
        values=col["v"],
        sample_nos=col["sample_no"].astype(np.int64) if samples else None,
        late=col["late"].astype(bool) if after is not None else None,
        times=list(columns[-1]) if times else None,
    )


def _cursor_rows(qs: Any, fields: list[str]) -> list[tuple[Any, ...]]:
    """The rows of a ``values_list`` query in ``fields`` order, read by the cursor itself."""
    query = qs.query
    # The order in which Django's SQL names the columns (ValuesListIterable reorders the same).
    if getattr(query, "selected", None):
        names = list(query.selected)
    else:
        names = [*query.extra_select, *query.values_select, *query.annotation_select]
    sql, params = query.sql_with_params()
    with connections[qs.db].cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    if names == fields:
        return rows
    where = [names.index(f) for f in fields]
    return [tuple(r[i] for i in where) for r in rows]


def lot_numbers(characteristic_id: int, *, since: Any = None) -> dict[int, str]:
    """Inspection-lot id -> number for the lots that measured the characteristic (one query,
    without sending thousands of ids back to the database)."""
    measured = Measurement.objects.filter(characteristic_id=characteristic_id)
    if since is not None:
        measured = measured.filter(measured_at__gt=since)
    lots = measured.values("inspection_lot_id")
    qs = InspectionLot.objects.filter(pk__in=lots).values_list("pk", "number")
    return dict(_cursor_rows(qs, ["pk", "number"]))


def subgroup_codes(lot_ids: npt.NDArray[np.int64]) -> tuple[npt.NDArray[np.int64], list[int]]:
    """Codes 0..k-1 in order of first appearance of each lot, and the lot ids in that order."""
    uniq, first, inverse = np.unique(lot_ids, return_index=True, return_inverse=True)
    order = np.argsort(first, kind="stable")
    rank = np.empty_like(order)
    rank[order] = np.arange(order.shape[0])
    return rank[inverse].astype(np.int64), uniq[order].tolist()


# --- the chart ----------------------------------------------------------------------------------


def suggest_chart(sizes: npt.NDArray[np.int64]) -> str:
    if sizes.shape[0] == 0 or int(sizes.max()) <= 1:
        return ChartKind.IMR
    low, high = int(sizes.min()), int(sizes.max())
    if float(np.median(sizes)) > XBAR_S_ABOVE_N or high >= SIZES_VARY_RATIO * max(low, 1):
        return ChartKind.XBAR_S
    return ChartKind.XBAR_R


@dataclass
class SpcChart:
    """Both charts of one kind, for one characteristic, ready for the page or the API."""

    characteristic: Characteristic
    chart: str
    suggested: str
    labels: list[str]
    lot_ids: list[int]
    sizes: npt.NDArray[np.int64]
    main: C.ChartResult | None
    dispersion: C.ChartResult | None
    limits: ControlLimits | None
    phase2_from: int | None  # index of the first monitored point, None when nothing is frozen
    error: str = ""
    values_count: int = 0
    tokens: list[list[str]] = field(default_factory=list)

    @property
    def k(self) -> int:
        return len(self.labels)

    @property
    def dispersion_name(self) -> str:
        return DISPERSION_NAMES.get(CHART_PARTS[self.chart][1], "")

    def flags(self) -> dict[int, list[str]]:
        """Point index -> rule tokens of both charts (``R:nelson1`` for the dispersion chart)."""
        return {i: t for i, t in enumerate(self.tokens) if t}

    def monitored_flags(self) -> dict[int, list[str]]:
        if self.phase2_from is None:
            return {}
        return {i: t for i, t in self.flags().items() if i >= self.phase2_from}

    def as_json(self) -> dict[str, Any]:
        """The compact form the page's script draws: arrays, not one object per point."""
        out: dict[str, Any] = {
            "chart": self.chart,
            "labels": self.labels,
            "phase2_from": self.phase2_from,
            "error": self.error,
            "main": _series(self.main, "X̄" if self.chart != ChartKind.IMR else "I"),
            "dispersion": _series(self.dispersion, self.dispersion_name),
            # Only the flagged points: [index, "nelson1,R:nelson1"].
            "flags": [[i, ",".join(t)] for i, t in enumerate(self.tokens) if t],
        }
        if self.sizes.shape[0] and int(self.sizes.min()) != int(self.sizes.max()):
            out["n"] = self.sizes.tolist()
        elif self.sizes.shape[0]:
            out["n"] = int(self.sizes[0])
        return out


def _rounded(arr: FloatArray) -> list[float | None]:
    a = np.round(np.asarray(arr, dtype=np.float64), 6)
    finite = np.isfinite(a)
    if finite.all():
        return a.tolist()  # type: ignore[no-any-return]
    obj = a.astype(object)
    obj[~finite] = None
    return obj.tolist()  # type: ignore[no-any-return]


def _line(arr: FloatArray) -> float | list[float | None] | None:
    """A constant line as one number, a varying one (subgroup sizes vary) as an array."""
    a = np.asarray(arr, dtype=np.float64)
    if a.shape[0] == 0:
        return None
    if a.strides == (0,) or bool(np.all(a == a[0])):
        v = float(a[0])
        return round(v, 9) if math.isfinite(v) else None
    return _rounded(a)


def _series(result: C.ChartResult | None, name: str) -> dict[str, Any] | None:
    if result is None:
        return None
    return {
        "name": name,
        "values": _rounded(result.value),
        "center": _line(result.center_line),
        "lcl": _line(result.lcl),
        "ucl": _line(result.ucl),
        "sigma": result.sigma,
    }


def chart_kinds() -> list[tuple[str, str]]:
    return [(k.value, str(k.label)) for k in ChartKind]


def _points(
    kind: str, rows: Rows, numbers: dict[int, str]
) -> tuple[C.Subgroups, list[str], list[int], npt.NDArray[np.int64]]:
    """The plotted points of ``kind``: subgroups by lot (X̄ charts) or single values (I-MR), their
    labels, their lot, and the first row of each point."""
    if kind == ChartKind.IMR:
        data = C.subgroups_from_rows(rows.values)
        samples = rows.sample_nos if rows.sample_nos is not None else np.zeros(rows.n, np.int64)
        labels = [
            f"{numbers.get(lot, lot)}/{s}"
            for lot, s in zip(rows.lot_ids.tolist(), samples.tolist(), strict=True)
        ]
        return data, labels, rows.lot_ids.tolist(), np.arange(rows.n, dtype=np.int64)
    codes, lot_ids = subgroup_codes(rows.lot_ids)
    k = len(lot_ids)
    first = np.full(k, rows.n, dtype=np.int64)
    np.minimum.at(first, codes, np.arange(rows.n, dtype=np.int64))
    sizes = np.bincount(codes, minlength=k)
    if int(sizes.min()) == int(sizes.max()):
        # Equal subgroups (the usual sampling plan): the methods' fast path for big data, one
        # row per subgroup, with no text label per value.
        order = np.argsort(codes, kind="stable")
        data = C.subgroups_from_matrix(rows.values[order].reshape(k, int(sizes[0])))
    else:
        # Codes in order of first appearance: the methods' subgroups come out in that order.
        data = C.subgroups_from_rows(rows.values, codes.tolist())
    return data, [numbers.get(lot, str(lot)) for lot in lot_ids], lot_ids, first


def _tokens(main: C.ChartResult, dispersion: C.ChartResult, kind: str) -> list[list[str]]:
    """Per point, the rules broken on both charts (``R:nelson1`` for the dispersion chart)."""
    name = DISPERSION_NAMES[CHART_PARTS[kind][1]]
    out = main.violation_lists()
    for i, rules in enumerate(dispersion.violation_lists()):
        if rules:
            out[i] = [*out[i], *(f"{name}:{r}" for r in rules)]
    return out


def monitored(
    kind: str, rows: Rows, numbers: dict[int, str], limits: ControlLimits
) -> tuple[list[str], list[int], list[list[str]]]:
    """Phase II: the points after the phase I period charted against the frozen centre and σ,
    the series starting at the freeze, as the alarm job sees it. Labels, lots, rule tokens."""
    if rows.n == 0:
        return [], [], []
    data, labels, lots, _first = _points(kind, rows, numbers)
    main, dispersion = _compute(kind, data, limits)
    return labels, lots, _tokens(main, dispersion, kind)


# A rule that fired within this many points before is the same signal going on, not a new one.
ALARM_MEMORY = 8


def alarm_onsets(tokens: list[list[str]]) -> list[int]:
    """The points where a signal starts: a rule fires that did not fire on any of the previous
    ``ALARM_MEMORY`` points. A run longer than a rule's length flags every point from the one
    that completes it, and a shifted process breaks one rule after another; the alarm belongs
    to the point where each starts, not to every point after."""
    out = []
    for i, now in enumerate(tokens):
        if not now:
            continue
        recent = {t for past in tokens[max(0, i - ALARM_MEMORY) : i] for t in past}
        if set(now) - recent:
            out.append(i)
    return out


def spc_chart(characteristic: Characteristic, chart: str = "") -> SpcChart:
    """The control chart of ``chart`` kind (or the suggested one) from every non-voided value.

    With limits frozen for this kind, every point is charted against them (known centre and σ)
    and the points after the phase I period are monitored (phase II): their rule flags are those
    of the phase II series, exactly what the alarm job evaluates. Without, the limits are trial
    limits estimated from all points.
    """
    in_force = {
        lim.chart: lim
        for lim in ControlLimits.objects.filter(
            characteristic_id=characteristic.pk,
            superseded_at__isnull=True,
            voided_at__isnull=True,
        ).select_related("frozen_by")
    }
    wanted = chart if chart in ChartKind.values else ""
    # One read of the rows says which are phase II when the limits that apply are known in
    # advance: the kind asked for, or the only kind frozen (the usual case).
    if wanted:
        guess = in_force.get(wanted)
    else:
        guess = next(iter(in_force.values())) if len(in_force) == 1 else None
    rows = measurement_rows(
        characteristic.pk, after=guess.phase_end if guess else None, samples=True
    )
    sizes = (
        np.bincount(subgroup_codes(rows.lot_ids)[0]).astype(np.int64)
        if rows.n
        else np.zeros(0, dtype=np.int64)
    )
    suggested = suggest_chart(sizes)
    kind = wanted or suggested
    limits = in_force.get(kind)
    if limits is not None and limits is not guess:
        rows = measurement_rows(characteristic.pk, after=limits.phase_end, samples=True)
    result = SpcChart(
        characteristic=characteristic,
        chart=kind,
        suggested=suggested,
        labels=[],
        lot_ids=[],
        sizes=np.zeros(0, dtype=np.int64),
        main=None,
        dispersion=None,
        limits=limits,
        phase2_from=None,
        values_count=rows.n,
    )
    if rows.n == 0:
        return result
    numbers = lot_numbers(characteristic.pk)
    data, result.labels, result.lot_ids, first = _points(kind, rows, numbers)
    result.sizes = np.asarray(data.sizes, dtype=np.int64)
    phase1 = np.ones(data.k, dtype=bool)
    if limits is not None and rows.late is not None:
        # A point belongs to phase II when its first value came after the phase I period.
        phase1 = ~rows.late[first]
        later = np.flatnonzero(~phase1)
        result.phase2_from = int(later[0]) if later.size else data.k
    data = dataclasses.replace(data, phase1=phase1)
    try:
        result.main, result.dispersion = _compute(kind, data, limits)
    except MethodsInputError as exc:
        result.error = str(exc)
        return result
    tokens = _tokens(result.main, result.dispersion, kind)
    if limits is not None and result.phase2_from is not None and result.phase2_from < data.k:
        start = result.phase2_from
        keep = np.ones(rows.n, dtype=bool)
        if kind != ChartKind.IMR:
            codes = subgroup_codes(rows.lot_ids)[0]
            keep = codes >= start
        else:
            keep[:start] = False
        late_rows = Rows(
            rows.lot_ids[keep],
            rows.values[keep],
            None if rows.sample_nos is None else rows.sample_nos[keep],
        )
        _labels, _lots, phase2 = monitored(kind, late_rows, numbers, limits)
        tokens[start:] = phase2
    result.tokens = tokens
    return result


def _compute(
    kind: str, data: C.Subgroups, limits: ControlLimits | None
) -> tuple[C.ChartResult, C.ChartResult]:
    _main_type, disp_type = CHART_PARTS[kind]
    if kind == ChartKind.IMR:
        if limits is not None:
            return (
                C.individuals_chart(data, center=limits.centre, sigma=limits.sigma),
                C.moving_range_chart(data, sigma=limits.sigma),
            )
        return C.individuals_chart(data), C.moving_range_chart(data)
    method = SIGMA_METHOD[kind]
    if limits is not None:
        main = C.xbar_chart(data, center=limits.centre, sigma=limits.sigma)
        disp_fn = C.r_chart if disp_type == "r" else C.s_chart
        return main, disp_fn(data, sigma=limits.sigma)
    main = C.xbar_chart(data, sigma_method=method)
    disp_fn = C.r_chart if disp_type == "r" else C.s_chart
    return main, disp_fn(data, sigma_method=method)


def phase1_limits(kind: str, data: C.Subgroups) -> tuple[C.ChartResult, C.ChartResult]:
    """Phase I: limits estimated from the phase I subgroups only."""
    return _compute(kind, data, None)


# --- capability ---------------------------------------------------------------------------------


@dataclass
class Capability:
    characteristic: Characteristic
    result: CapabilityResult | None
    values: FloatArray
    groups: list[int] | None
    subgroups: int
    error: str = ""

    @property
    def cpk(self) -> float | None:
        return None if self.result is None else self.result.cpk

    @property
    def tone(self) -> str:
        return cpk_tone(self.cpk)


def cpk_tone(cpk: float | None) -> str:
    """Red below 1.0, amber below 1.33 (the capability overview's colours)."""
    if cpk is None:
        return ""
    if cpk < CPK_RED:
        return "danger"
    if cpk < CPK_AMBER:
        return "warning"
    return "ok"


def _spec(value: Any) -> float | None:
    return None if value is None else float(value)


def capability_values(
    characteristic_id: int, *, subgroups: int = CAPABILITY_SUBGROUPS
) -> tuple[FloatArray, list[int] | None, int]:
    """The values of the latest ``subgroups`` lots in time order, with their lot as the group
    (None when every lot has one value: then σ within is the moving range's)."""
    # The database finds where the latest subgroups begin, so only their rows travel.
    starts = (
        Measurement.objects.filter(
            characteristic_id=characteristic_id, voided_at__isnull=True, value__isnull=False
        )
        .values("inspection_lot_id")
        .annotate(first=Min("measured_at"))
        .order_by("-first")
        .values_list("first", flat=True)[subgroups - 1 : subgroups]
    )
    since = next(iter(starts), None)
    rows = measurement_rows(characteristic_id, from_=since)
    if rows.n == 0:
        return rows.values, None, 0
    codes, lot_ids = subgroup_codes(rows.lot_ids)
    k = len(lot_ids)
    keep = codes >= k - subgroups if k > subgroups else np.ones(rows.n, dtype=bool)
    values = rows.values[keep]
    kept_codes = codes[keep]
    if values.shape[0] == np.unique(kept_codes).shape[0]:
        return values, None, int(np.unique(kept_codes).shape[0])
    return values, kept_codes.tolist(), int(np.unique(kept_codes).shape[0])


def capability_of(
    characteristic: Characteristic, *, subgroups: int = CAPABILITY_SUBGROUPS
) -> Capability:
    values, groups, k = capability_values(characteristic.pk, subgroups=subgroups)
    out = Capability(characteristic, None, values, groups, k)
    if values.shape[0] < CAPABILITY_MIN_VALUES:
        out.error = str(
            _("Capability needs at least %(n)d values; there are %(have)d.")
            % {"n": CAPABILITY_MIN_VALUES, "have": values.shape[0]}
        )
        return out
    try:
        out.result = capability(
            values,
            groups,
            lsl=_spec(characteristic.lsl),
            usl=_spec(characteristic.usl),
            target=_spec(characteristic.nominal),
        )
    except MethodsInputError as exc:
        out.error = str(exc)
    return out


def histogram(cap: Capability, bins: int = 0) -> dict[str, Any]:
    """Bins of the values (Sturges, at least 8) and the spec limits, for the page's chart."""
    x = cap.values
    if x.shape[0] == 0:
        return {}
    nb = bins or max(8, math.ceil(math.log2(x.shape[0]) + 1))
    lo, hi = float(x.min()), float(x.max())
    if hi <= lo:
        hi = lo + 1.0
    spec = [
        v for v in (_spec(cap.characteristic.lsl), _spec(cap.characteristic.usl)) if v is not None
    ]
    counts, edges = np.histogram(x, bins=nb, range=(lo, hi))
    centres = (edges[:-1] + edges[1:]) / 2.0
    out: dict[str, Any] = {
        # The bins cover the data; the axis reaches out to the specification limits.
        "min": min([lo, *spec]),
        "max": max([hi, *spec]),
        "centres": np.round(centres, 6).tolist(),
        "counts": counts.tolist(),
        "width": float(edges[1] - edges[0]),
        "lsl": _spec(cap.characteristic.lsl),
        "usl": _spec(cap.characteristic.usl),
        "target": _spec(cap.characteristic.nominal),
    }
    r = cap.result
    if r is not None and r.sigma_overall > 0:
        # The normal curve scaled to counts, on the bin centres of a finer grid.
        grid = np.linspace(out["min"], out["max"], 120)
        scale = x.shape[0] * (edges[1] - edges[0])
        curve = (
            scale
            * np.exp(-0.5 * ((grid - r.mean) / r.sigma_overall) ** 2)
            / (r.sigma_overall * math.sqrt(2 * math.pi))
        )
        out["curve"] = [
            [round(float(g), 6), round(float(c), 4)] for g, c in zip(grid, curve, strict=True)
        ]
    return out


SORTS = ("item", "-item", "cpk", "-cpk", "ppk", "-ppk", "n", "-n")


def capability_overview(user: Any, *, sort: str = "cpk") -> list[Capability]:
    """Every special characteristic (★) with its capability, sorted (no value last)."""
    if user is None or not user.has_perm("inspection.view_spc"):
        return []
    chars = (
        spc_characteristics(user)
        .filter(special=True)
        .order_by("item__part_number", "sequence", "id")
    )
    rows = [capability_of(c) for c in chars]
    key = sort.lstrip("-")
    reverse = sort.startswith("-")
    if key == "item":
        return sorted(
            rows,
            key=lambda c: (c.characteristic.item.part_number, c.characteristic.code),
            reverse=reverse,
        )

    def value(c: Capability) -> float | None:
        if key == "n":
            return float(c.values.shape[0])
        if c.result is None:
            return None
        return getattr(c.result, key)

    present = [c for c in rows if value(c) is not None]
    missing = [c for c in rows if value(c) is None]
    present.sort(key=lambda c: value(c) or 0.0, reverse=reverse)
    return present + missing


# --- alarms -------------------------------------------------------------------------------------


def alarms_visible(user: Any, *, status: str = "") -> QuerySet[SpcAlarm]:
    if user is None or not user.has_perm("inspection.view_spcalarm"):
        return SpcAlarm.objects.none()
    qs = SpcAlarm.objects.filter(voided_at__isnull=True).select_related(
        "characteristic__item", "limits", "inspection_lot", "handled_by"
    )
    if status in AlarmStatus.values:
        qs = qs.filter(status=status)
    return qs


def alarm_rule_texts(alarm: SpcAlarm) -> list[str]:
    return [rule_text(t) for t in alarm.rules.split(",") if t]


def open_alarm_count(characteristic_id: int) -> int:
    return SpcAlarm.objects.filter(
        characteristic_id=characteristic_id, status=AlarmStatus.OPEN, voided_at__isnull=True
    ).count()
