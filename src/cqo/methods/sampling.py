"""Acceptance sampling by attributes after GB/T 2828.1-2012 (IDT ISO 2859-1:1999).

What is here:

* the sample size code letter from lot size and inspection level (Table 1);
* single sampling plans for normal and tightened inspection (Tables 2-A and 2-B, arrows already
  resolved in the shipped CSVs), with 100 % inspection when the sample would be the whole lot;
* reduced inspection only from a table the enterprise imports from its own licensed copy, because
  Table 2-C changed between MIL-STD-105E and the 1999/2012 editions and must not be guessed;
* the switching rules (normal, tightened, reduced, discontinued) with the switching score;
* the operating characteristic (binomial or hypergeometric), AOQ and AOQL.
"""

from __future__ import annotations

import math
from collections import deque
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from enum import StrEnum
from pathlib import Path
from typing import Literal

import numpy as np
import numpy.typing as npt
from scipy import optimize, stats

from .errors import MethodsInputError
from .io import Table, read_table

DATA_DIR = Path(__file__).resolve().parent / "data"

LEVELS: tuple[str, ...] = ("S-1", "S-2", "S-3", "S-4", "I", "II", "III")
# Table 1 skips I and O so they cannot be misread as digits.
CODE_LETTERS: tuple[str, ...] = tuple("ABCDEFGHJKLMNPQR")
AQLS: tuple[str, ...] = (
    "0.010", "0.015", "0.025", "0.040", "0.065", "0.10", "0.15", "0.25", "0.40", "0.65",
    "1.0", "1.5", "2.5", "4.0", "6.5", "10", "15", "25", "40", "65", "100", "150", "250",
    "400", "650", "1000",
)  # fmt: skip
_AQL_KEYS: dict[Decimal, str] = {Decimal(a): a for a in AQLS}

# Acceptance numbers of single sampling under normal inspection, in the order they appear along
# any one sample size as the AQL grows by one step: the switching score needs the step before.
NORMAL_AC_SERIES: tuple[int, ...] = (0, 1, 2, 3, 5, 7, 10, 14, 21, 30, 44)

Severity = Literal["normal", "tightened", "reduced"]
OCModel = Literal["auto", "binomial", "hypergeometric"]

# Above this sampling fraction the binomial model overstates Pa enough to matter, so "auto" uses
# the hypergeometric model (the usual n/N <= 0.1 rule for the binomial approximation).
HYPERGEOMETRIC_FRACTION = 0.1


# --------------------------------------------------------------------------------------------
# Parsing helpers: every message names the parameter, so the CLI and the web form can show it.


def parse_int(value: object, name: str, *, minimum: int | None = None) -> int:
    if isinstance(value, bool):
        raise MethodsInputError(f"{name} must be a whole number, got {value!r}")
    if isinstance(value, int | np.integer):
        out = int(value)
    else:
        text = str(value).strip()
        try:
            number = float(text)
        except ValueError:
            raise MethodsInputError(f"{name} must be a whole number, got '{text}'") from None
        if not math.isfinite(number) or number != int(number):
            raise MethodsInputError(f"{name} must be a whole number, got '{text}'")
        out = int(number)
    if minimum is not None and out < minimum:
        raise MethodsInputError(f"{name} must be at least {minimum}, got {out}")
    return out


def parse_float(value: object, name: str) -> float:
    if isinstance(value, bool):
        raise MethodsInputError(f"{name} must be a number, got {value!r}")
    try:
        out = float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        raise MethodsInputError(f"{name} must be a number, got '{value}'") from None
    if not math.isfinite(out):
        raise MethodsInputError(f"{name} must be a finite number, got '{value}'")
    return out


def normalize_level(level: str) -> str:
    """Accept 'ii', 'S1', 's-3' etc. and return the table spelling ('II', 'S-1', 'S-3')."""
    text = str(level).strip().upper().replace(" ", "")
    if len(text) == 2 and text[0] == "S" and text[1].isdigit():
        text = f"S-{text[1]}"
    if text not in LEVELS:
        raise MethodsInputError(
            f"inspection level '{level}' is not in GB/T 2828.1 Table 1 "
            f"(levels: {', '.join(LEVELS)})"
        )
    return text


def normalize_aql(aql: object) -> str:
    """The AQL as printed in the tables ('1.0', '0.065', '10'), from any numeric spelling."""
    try:
        key = Decimal(str(aql).strip().rstrip("%"))
    except InvalidOperation:
        raise MethodsInputError(f"AQL must be a number, got '{aql}'") from None
    if key not in _AQL_KEYS:
        raise MethodsInputError(
            f"AQL {aql} is not one of the preferred AQLs of GB/T 2828.1 ({', '.join(AQLS)})"
        )
    return _AQL_KEYS[key]


def normalize_code(code: str) -> str:
    text = str(code).strip().upper()
    if text not in CODE_LETTERS:
        raise MethodsInputError(
            f"sample size code letter '{code}' is not one of {', '.join(CODE_LETTERS)}"
        )
    return text


# --------------------------------------------------------------------------------------------
# Tables


@dataclass(frozen=True)
class PlanCell:
    n: int
    ac: int
    re: int


@dataclass(frozen=True)
class PlanTable:
    """Single sampling plans keyed by (code letter, AQL as printed)."""

    name: str
    cells: dict[tuple[str, str], PlanCell]

    def lookup(self, code: str, aql: str) -> PlanCell:
        try:
            return self.cells[(code, aql)]
        except KeyError:
            raise MethodsInputError(
                f"the {self.name} has no plan for code letter {code} at AQL {aql}"
            ) from None


@dataclass(frozen=True)
class _CodeRow:
    lot_min: int
    lot_max: int | None
    codes: dict[str, str]


def _table_from_csv(table: Table, name: str, *, require_complete: bool) -> PlanTable:
    for column in ("code", "aql", "n", "ac", "re"):
        if column not in table.cells:
            raise MethodsInputError(
                f"the {name} needs the columns code, aql, n, ac, re; '{column}' is missing"
            )
    codes, aqls = table.text("code"), table.text("aql")
    ns, acs, res = table.text("n"), table.text("ac"), table.text("re")
    cells: dict[tuple[str, str], PlanCell] = {}
    for i in range(table.n_rows):
        row = table.row(i)
        try:
            code = normalize_code(codes[i])
            aql = normalize_aql(aqls[i])
            n = parse_int(ns[i], "n", minimum=1)
            ac = parse_int(acs[i], "ac", minimum=0)
            re = parse_int(res[i], "re", minimum=1)
        except MethodsInputError as exc:
            raise MethodsInputError(f"{name}: {exc}", row=row) from None
        if re <= ac:
            raise MethodsInputError(
                f"{name}: rejection number {re} must exceed acceptance number {ac}",
                row=row,
                column="re",
            )
        if (code, aql) in cells:
            raise MethodsInputError(
                f"{name}: code letter {code} at AQL {aql} appears twice", row=row
            )
        cells[(code, aql)] = PlanCell(n=n, ac=ac, re=re)
    if not cells:
        raise MethodsInputError(f"the {name} has no plans")
    if require_complete:
        missing = [(c, a) for c in CODE_LETTERS for a in AQLS if (c, a) not in cells]
        if missing:
            raise MethodsInputError(f"the {name} lacks {len(missing)} cells, first {missing[0]}")
    return PlanTable(name=name, cells=cells)


def load_plan_table(path: str | Path, *, name: str = "imported reduced table") -> PlanTable:
    """Load a user's single sampling table (e.g. Table 2-C) in the shipped CSV layout.

    Columns ``code,aql,n,ac,re``, one row per code letter and AQL, arrows resolved to the plan
    they point at. Cells may be missing (asking for one is then an error naming it); every row
    is checked and a bad one is reported with its spreadsheet row number.
    """
    return _table_from_csv(read_table(path), name, require_complete=False)


def plan_table_from_rows(
    rows: Sequence[Mapping[str, object]], *, name: str = "imported reduced table"
) -> PlanTable:
    """The same checks as :func:`load_plan_table`, for rows already read (a stored import):
    each a mapping with the keys ``code, aql, n, ac, re``. Row numbers in errors count a header
    row, as in the spreadsheet the rows came from."""
    columns = ("code", "aql", "n", "ac", "re")
    cells: dict[str, list[str]] = {c: [] for c in columns}
    for row in rows:
        for c in columns:
            value = row.get(c, "")
            cells[c].append("" if value is None else str(value))
    return _table_from_csv(Table(header=columns, cells=cells), name, require_complete=False)


_CACHE: dict[str, object] = {}


def _builtin(name: str) -> PlanTable:
    key = f"plan:{name}"
    if key not in _CACHE:
        files = {
            "normal": ("gbt2828-1_table2a_single_normal.csv", "GB/T 2828.1 Table 2-A (normal)"),
            "tightened": (
                "gbt2828-1_table2b_single_tightened.csv",
                "GB/T 2828.1 Table 2-B (tightened)",
            ),
        }
        filename, label = files[name]
        _CACHE[key] = _table_from_csv(read_table(DATA_DIR / filename), label, require_complete=True)
    table = _CACHE[key]
    assert isinstance(table, PlanTable)
    return table


def _code_rows() -> list[_CodeRow]:
    if "codes" not in _CACHE:
        table = read_table(DATA_DIR / "gbt2828-1_table1_code_letters.csv")
        rows: dict[tuple[int, int | None], dict[str, str]] = {}
        for lo, hi, level, code in zip(
            table.text("lot_min"),
            table.text("lot_max"),
            table.text("level"),
            table.text("code"),
            strict=True,
        ):
            bounds = (int(lo), int(hi) if hi.strip() else None)
            rows.setdefault(bounds, {})[level] = code
        _CACHE["codes"] = [_CodeRow(lo, hi, codes) for (lo, hi), codes in sorted(rows.items())]
    out = _CACHE["codes"]
    assert isinstance(out, list)
    return out


def code_letter(lot_size: object, level: str = "II") -> str:
    """Sample size code letter (GB/T 2828.1 Table 1) for a lot size and inspection level."""
    n_lot = parse_int(lot_size, "lot size", minimum=2)
    lvl = normalize_level(level)
    for row in _code_rows():
        if n_lot >= row.lot_min and (row.lot_max is None or n_lot <= row.lot_max):
            return row.codes[lvl]
    raise AssertionError("Table 1 covers every lot size from 2 up")  # pragma: no cover


# --------------------------------------------------------------------------------------------
# Plans


@dataclass(frozen=True)
class SamplingPlan:
    code: str
    aql: str
    level: str
    severity: str
    lot_size: int
    n: int
    ac: int
    re: int
    inspect_all: bool

    def as_dict(self) -> dict[str, object]:
        return {
            "code": self.code,
            "n": self.n,
            "ac": self.ac,
            "re": self.re,
            "inspect_all": self.inspect_all,
        }


REDUCED_NEEDS_TABLE = (
    "reduced inspection needs Table 2-C from the enterprise's own licensed copy of "
    "GB/T 2828.1-2012 / ISO 2859-1 (it differs between editions and is not shipped); "
    "import it as a CSV with columns code,aql,n,ac,re (--reduced-table FILE)"
)


def sampling_plan(
    lot_size: object,
    level: str,
    aql: object,
    severity: str = "normal",
    *,
    reduced_table: PlanTable | None = None,
) -> SamplingPlan:
    """The single sampling plan for a lot: code letter, n, Ac, Re.

    When the plan's sample size is at least the lot size the whole lot is inspected (GB/T 2828.1
    note to Table 2): ``n`` becomes the lot size and ``inspect_all`` is true; Ac and Re stay.
    """
    n_lot = parse_int(lot_size, "lot size", minimum=2)
    lvl = normalize_level(level)
    aql_text = normalize_aql(aql)
    sev = str(severity).strip().lower()
    if sev not in ("normal", "tightened", "reduced"):
        raise MethodsInputError(f"severity must be normal, tightened or reduced, got '{severity}'")
    if sev == "reduced":
        if reduced_table is None:
            raise MethodsInputError(REDUCED_NEEDS_TABLE)
        table = reduced_table
    else:
        table = _builtin(sev)
    code = code_letter(n_lot, lvl)
    cell = table.lookup(code, aql_text)
    inspect_all = cell.n >= n_lot
    return SamplingPlan(
        code=code,
        aql=aql_text,
        level=lvl,
        severity=sev,
        lot_size=n_lot,
        n=n_lot if inspect_all else cell.n,
        ac=cell.ac,
        re=cell.re,
        inspect_all=inspect_all,
    )


# --------------------------------------------------------------------------------------------
# Switching rules (ISO 2859-1:1999 clause 9)


class InspectionState(StrEnum):
    NORMAL = "normal"
    TIGHTENED = "tightened"
    REDUCED = "reduced"
    DISCONTINUED = "discontinued"


def tighter_acceptance_number(ac: int) -> int:
    """The acceptance number one AQL step tighter for the same sample size (normal inspection)."""
    if ac not in NORMAL_AC_SERIES or ac < 1:
        raise MethodsInputError(
            f"acceptance number {ac} is not one of the normal-inspection values "
            f"{', '.join(str(a) for a in NORMAL_AC_SERIES)} with a tighter step"
        )
    return NORMAL_AC_SERIES[NORMAL_AC_SERIES.index(ac) - 1]


@dataclass(frozen=True)
class SwitchingStep:
    """What happened at one lot: the inspection it got, its outcome and the state for the next."""

    lot: int
    inspection: InspectionState
    accepted: bool
    state: InspectionState
    score: int
    switched: bool
    reason: str | None
    message: str

    def as_dict(self) -> dict[str, object]:
        return {
            "lot": self.lot,
            "inspection": str(self.inspection),
            "accepted": self.accepted,
            "state": str(self.state),
            "score": self.score,
            "switched": self.switched,
            "reason": self.reason,
            "message": self.message,
        }


@dataclass
class SwitchingRules:
    """The ISO 2859-1 / GB/T 2828.1 switching state machine, fed one lot outcome at a time.

    ``reduced_approved`` is the responsible authority's standing decision that reduced inspection
    is desirable; without it the score may reach 30 but the state stays normal. Production
    regularity is reported per lot. The machine only decides the state: plans come from
    :func:`sampling_plan` with the state as severity.
    """

    start: InspectionState = InspectionState.NORMAL
    reduced_approved: bool = False
    score_threshold: int = 30
    state: InspectionState = field(init=False)
    score: int = field(init=False, default=0)
    history: list[SwitchingStep] = field(init=False, default_factory=list)
    _normal_window: deque[bool] = field(init=False, repr=False)
    _tightened_run: int = field(init=False, default=0, repr=False)
    _tightened_rejected: int = field(init=False, default=0, repr=False)
    _lots_before: int = field(init=False, default=0, repr=False)

    def __post_init__(self) -> None:
        try:
            self.state = InspectionState(self.start)
        except ValueError:
            raise MethodsInputError(
                f"start must be normal, tightened or reduced, got '{self.start}'"
            ) from None
        if self.state is InspectionState.DISCONTINUED:
            raise MethodsInputError("start must be normal, tightened or reduced")
        self._normal_window = deque(maxlen=5)

    def _enter(self, state: InspectionState) -> None:
        self.state = state
        # Counts restart with every inspection regime (cl. 9.3.3.2: score zero at the start of
        # normal inspection; the tightened counts run from the switch to tightened).
        self.score = 0
        self._normal_window.clear()
        self._tightened_run = 0
        self._tightened_rejected = 0

    def record(
        self,
        *,
        ac: int,
        nonconforming: int | None = None,
        accepted: bool | None = None,
        re: int | None = None,
        production_steady: bool = True,
    ) -> SwitchingStep:
        """Record the original-inspection result of the next lot and return the new state.

        ``ac`` (and ``re`` when it is not Ac + 1) are those of the plan the lot was inspected
        with; ``nonconforming`` is the count found in the sample. Give ``accepted`` instead when
        the count is not known (the switching score then needs Ac of 0 or 1).
        """
        if self.state is InspectionState.DISCONTINUED:
            raise MethodsInputError(
                "inspection is discontinued after 5 lots not accepted under tightened inspection;"
                " call resume() once the supplier has corrected the process"
            )
        ac_i = parse_int(ac, "ac", minimum=0)
        re_i = ac_i + 1 if re is None else parse_int(re, "re", minimum=ac_i + 1)
        d: int | None = None
        if nonconforming is not None:
            d = parse_int(nonconforming, "nonconforming", minimum=0)
            by_count = d < re_i
            if accepted is not None and bool(accepted) != by_count:
                raise MethodsInputError(
                    f"accepted={accepted} contradicts {d} nonconforming with Ac {ac_i}, Re {re_i}"
                )
            is_accepted = by_count
        elif accepted is not None:
            is_accepted = bool(accepted)
        else:
            raise MethodsInputError("give the lot's nonconforming count or whether it was accepted")

        inspection = self.state
        reason: str | None = None
        message = ""
        if inspection is InspectionState.NORMAL:
            reason, message = self._normal(ac_i, d, is_accepted, production_steady)
        elif inspection is InspectionState.TIGHTENED:
            reason, message = self._tightened(is_accepted)
        else:
            reason, message = self._reduced(ac_i, d, is_accepted, production_steady)
        step = SwitchingStep(
            lot=len(self.history) + self._lots_before + 1,
            inspection=inspection,
            accepted=is_accepted,
            state=self.state,
            score=self.score,
            switched=self.state is not inspection,
            reason=reason,
            message=message,
        )
        self.history.append(step)
        return step

    def _normal(
        self, ac: int, d: int | None, accepted: bool, steady: bool
    ) -> tuple[str | None, str]:
        self._normal_window.append(accepted)
        rejected = sum(1 for ok in self._normal_window if not ok)
        if rejected >= 2:
            self._enter(InspectionState.TIGHTENED)
            return (
                "normal_to_tightened",
                "2 of 5 or fewer consecutive lots were not accepted on original inspection: "
                "switch to tightened inspection",
            )
        if not accepted:
            self.score = 0
        elif ac >= 2:
            if d is None:
                raise MethodsInputError(
                    "the switching score needs the nonconforming count when Ac is 2 or more"
                )
            tighter = tighter_acceptance_number(ac)
            self.score = self.score + 3 if d <= tighter else 0
        else:
            self.score = self.score + 2 if accepted else 0
        if self.score >= self.score_threshold:
            if not self.reduced_approved:
                return None, (
                    f"switching score {self.score} reached {self.score_threshold}, but reduced "
                    "inspection needs the responsible authority's approval"
                )
            if not steady:
                return None, (
                    f"switching score {self.score} reached {self.score_threshold}, but "
                    "production is not at a steady rate"
                )
            score = self.score
            self._enter(InspectionState.REDUCED)
            return (
                "normal_to_reduced",
                f"switching score {score} reached {self.score_threshold} with steady production "
                "and approval: switch to reduced inspection",
            )
        return None, f"switching score {self.score}"

    def _tightened(self, accepted: bool) -> tuple[str | None, str]:
        if accepted:
            self._tightened_run += 1
        else:
            self._tightened_run = 0
            self._tightened_rejected += 1
        if self._tightened_rejected >= 5:
            self._enter(InspectionState.DISCONTINUED)
            return (
                "tightened_to_discontinued",
                "5 lots in total were not accepted under tightened inspection: discontinue "
                "acceptance inspection until the supplier has corrected the process",
            )
        if self._tightened_run >= 5:
            self._enter(InspectionState.NORMAL)
            return (
                "tightened_to_normal",
                "5 consecutive lots were accepted on original inspection: switch to normal",
            )
        return None, (
            f"{self._tightened_run} consecutive accepted, {self._tightened_rejected} not "
            "accepted under tightened inspection"
        )

    def _reduced(
        self, ac: int, d: int | None, accepted: bool, steady: bool
    ) -> tuple[str | None, str]:
        if not accepted:
            self._enter(InspectionState.NORMAL)
            return "reduced_to_normal", "a lot was not accepted: switch to normal inspection"
        if d is not None and d > ac:
            # Only possible with an imported table whose Re exceeds Ac + 1 (MIL-STD-105E style):
            # the lot is accepted but normal inspection is reinstated.
            self._enter(InspectionState.NORMAL)
            return (
                "reduced_to_normal",
                "the lot was accepted with more nonconforming items than Ac: switch to normal",
            )
        if not steady:
            self._enter(InspectionState.NORMAL)
            return (
                "reduced_to_normal",
                "production became irregular or delayed: switch to normal inspection",
            )
        return None, "reduced inspection continues"

    SNAPSHOT_VERSION = 1

    def snapshot(self) -> dict[str, object]:
        """Everything the machine needs to go on from here, as plain JSON values.

        The step history is not kept (a stream of lots can be long): only the lot count, so the
        numbering of the next step continues.
        """
        return {
            "version": self.SNAPSHOT_VERSION,
            "state": str(self.state),
            "score": self.score,
            "reduced_approved": self.reduced_approved,
            "score_threshold": self.score_threshold,
            "normal_window": [bool(ok) for ok in self._normal_window],
            "tightened_run": self._tightened_run,
            "tightened_rejected": self._tightened_rejected,
            "lots": len(self.history) + self._lots_before,
        }

    @classmethod
    def restore(cls, data: dict[str, object] | None) -> SwitchingRules:
        """The machine as ``snapshot()`` left it; an empty dict gives a fresh machine (normal).

        Every value is checked, so a damaged snapshot is an error naming the key rather than a
        machine in a state the standard does not have.
        """
        data = dict(data or {})
        if not data:
            return cls()
        version = data.get("version", 1)
        if version != cls.SNAPSHOT_VERSION:
            raise MethodsInputError(f"switching snapshot version {version!r} is not supported")
        try:
            state = InspectionState(str(data.get("state", "normal")))
        except ValueError:
            raise MethodsInputError(
                f"switching snapshot: state {data.get('state')!r} is not one of "
                "normal, tightened, reduced, discontinued"
            ) from None
        threshold = parse_int(data.get("score_threshold", 30), "score_threshold", minimum=1)
        machine = cls(reduced_approved=bool(data.get("reduced_approved", False)),
                      score_threshold=threshold)  # fmt: skip
        machine.state = state
        machine.score = parse_int(data.get("score", 0), "score", minimum=0)
        window = data.get("normal_window", [])
        if not isinstance(window, list) or len(window) > 5:
            raise MethodsInputError("switching snapshot: normal_window holds up to 5 outcomes")
        for ok in window:
            if not isinstance(ok, bool):
                raise MethodsInputError("switching snapshot: normal_window holds true/false only")
            machine._normal_window.append(ok)
        machine._tightened_run = parse_int(data.get("tightened_run", 0), "tightened_run", minimum=0)
        machine._tightened_rejected = parse_int(
            data.get("tightened_rejected", 0), "tightened_rejected", minimum=0
        )
        machine._lots_before = parse_int(data.get("lots", 0), "lots", minimum=0)
        return machine

    def resume(self) -> SwitchingStep:
        """Resume after discontinuation: the standard restarts with tightened inspection."""
        if self.state is not InspectionState.DISCONTINUED:
            raise MethodsInputError("resume() is only for discontinued inspection")
        self._enter(InspectionState.TIGHTENED)
        step = SwitchingStep(
            lot=len(self.history),
            inspection=InspectionState.DISCONTINUED,
            accepted=False,
            state=self.state,
            score=0,
            switched=True,
            reason="discontinued_to_tightened",
            message="corrective action taken: resume with tightened inspection",
        )
        self.history.append(step)
        return step


# --------------------------------------------------------------------------------------------
# Operating characteristic, AOQ, AOQL


@dataclass(frozen=True)
class OCPoint:
    p: float
    pa: float
    aoq: float


@dataclass(frozen=True)
class OCCurve:
    n: int
    ac: int
    lot_size: int | None
    model: str
    points: tuple[OCPoint, ...]
    aoql: float
    aoql_p: float

    def as_dict(self) -> dict[str, object]:
        return {
            "n": self.n,
            "ac": self.ac,
            "lot_size": self.lot_size,
            "model": self.model,
            "points": [{"p": q.p, "pa": q.pa, "aoq": q.aoq} for q in self.points],
            "aoql": self.aoql,
            "aoql_p": self.aoql_p,
        }


def check_ac_below_n(n: int, ac: int, *, n_name: str = "n", ac_name: str = "Ac") -> None:
    """A sample of n holds at most n nonconforming items: with Ac >= n every lot is accepted.

    Only for the OC curve's models of nonconforming units (binomial, hypergeometric): the tables
    rightly hold Ac >= n at AQLs above 10, which count nonconformities per 100 units.
    """
    if ac >= n:
        raise MethodsInputError(
            f"the acceptance number {ac_name} ({ac}) must be less than the sample size "
            f"{n_name} ({n}): with Ac ≥ n every lot would be accepted whatever it contains"
        )


def _check_plan(n: object, ac: object, lot_size: object | None) -> tuple[int, int, int | None]:
    n_i = parse_int(n, "n", minimum=1)
    ac_i = parse_int(ac, "ac", minimum=0)
    check_ac_below_n(n_i, ac_i)
    lot: int | None = None
    if lot_size is not None:
        lot = parse_int(lot_size, "lot size", minimum=2)
        if lot < n_i:
            raise MethodsInputError(f"lot size ({lot}) must be at least the sample size n ({n_i})")
    return n_i, ac_i, lot


def _choose_model(model: str, n: int, lot: int | None) -> str:
    if model not in ("auto", "binomial", "hypergeometric"):
        raise MethodsInputError(f"model must be auto, binomial or hypergeometric, got '{model}'")
    if model == "hypergeometric" and lot is None:
        raise MethodsInputError("the hypergeometric model needs the lot size")
    if model == "auto":
        small_lot = lot is not None and n / lot > HYPERGEOMETRIC_FRACTION
        return "hypergeometric" if small_lot else "binomial"
    return model


def _defectives(p: npt.NDArray[np.float64], lot: int) -> npt.NDArray[np.int64]:
    # Round half up, not Python's half-even, so D does not jump back and forth with p.
    return np.floor(p * lot + 0.5).astype(np.int64)


def _pa(p: npt.NDArray[np.float64], n: int, ac: int, lot: int | None, model: str) -> np.ndarray:
    if model == "hypergeometric":
        assert lot is not None
        return np.asarray(stats.hypergeom.cdf(ac, lot, _defectives(p, lot), n), dtype=np.float64)
    return np.asarray(stats.binom.cdf(ac, n, p), dtype=np.float64)


def _parse_ps(p: Sequence[object] | npt.ArrayLike) -> npt.NDArray[np.float64]:
    try:
        values = np.atleast_1d(np.asarray(p, dtype=np.float64))
    except (TypeError, ValueError):
        # Slow path only to name the offending value.
        raw = np.atleast_1d(np.asarray(p, dtype=object)).ravel()
        values = np.asarray([parse_float(x, "p") for x in raw], dtype=np.float64)
    values = values.ravel()
    bad = np.flatnonzero(~((values >= 0.0) & (values <= 1.0)))
    if bad.size:
        x = values[int(bad[0])]
        raise MethodsInputError(f"p (fraction nonconforming) must be in [0, 1], got {x}")
    return values


def acceptance_probability(
    p: npt.ArrayLike,
    n: int,
    ac: int,
    *,
    lot_size: int | None = None,
    model: OCModel = "auto",
) -> npt.NDArray[np.float64]:
    """Pa(p): the probability a lot with fraction nonconforming p is accepted (d <= Ac).

    Binomial for an infinite (or large) lot; hypergeometric with D = round(p*N) nonconforming in
    a lot of N when the lot size is given and the sample is more than a tenth of it (or on request).
    """
    n_i, ac_i, lot = _check_plan(n, ac, lot_size)
    chosen = _choose_model(model, n_i, lot)
    return _pa(_parse_ps(p), n_i, ac_i, lot, chosen)


def _aoq_factor(n: int, lot: int | None) -> float:
    # Rectifying inspection: rejected lots are screened and the sampled items replaced, so only
    # the N - n unsampled items of an accepted lot can carry nonconforming items out.
    return 1.0 if lot is None else (lot - n) / lot


def _aoql(n: int, ac: int, lot: int | None, model: str) -> tuple[float, float]:
    factor = _aoq_factor(n, lot)
    if model == "hypergeometric":
        assert lot is not None
        # Pa is negligible long before D/N reaches 5 (Ac + 1)/n (the maximum lies below
        # (Ac + 1)/n), so huge lots need not be enumerated to the end.
        d_max = min(lot, math.ceil(lot * 5.0 * (ac + 1) / n) + 1)
        d = np.arange(d_max + 1)
        aoq = stats.hypergeom.cdf(ac, lot, d, n) * d / lot * factor
        best = int(np.argmax(aoq))
        return float(aoq[best]), best / lot

    def neg(p: float) -> float:
        return -float(stats.binom.cdf(ac, n, p)) * p * factor

    # AOQ is unimodal in p and peaks below (ac + 1)/n; a grid finds the bracket, Brent the top.
    hi = min(1.0, 5.0 * (ac + 1) / n)
    grid = np.linspace(0.0, hi, 2001)
    values = stats.binom.cdf(ac, n, grid) * grid * factor
    i = int(np.argmax(values))
    lo_b, hi_b = grid[max(i - 1, 0)], grid[min(i + 1, grid.size - 1)]
    res = optimize.minimize_scalar(neg, bounds=(lo_b, hi_b), method="bounded",
                                   options={"xatol": 1e-12})  # fmt: skip
    p_best = float(res.x)
    if -res.fun < values[i]:
        p_best = float(grid[i])
    return -neg(p_best), p_best


def oc_curve(
    n: int,
    ac: int,
    p: Sequence[object] | npt.ArrayLike,
    *,
    lot_size: int | None = None,
    model: OCModel = "auto",
) -> OCCurve:
    """Pa and AOQ at each p, and the AOQL of the plan.

    AOQ = Pa * p * (N - n) / N (rectifying inspection); without a lot size the N -> infinity
    limit Pa * p. AOQL is the maximum of AOQ over all p in [0, 1].
    """
    n_i, ac_i, lot = _check_plan(n, ac, lot_size)
    chosen = _choose_model(model, n_i, lot)
    ps = _parse_ps(p)
    if ps.size == 0:
        raise MethodsInputError("give at least one value of p")
    pa = _pa(ps, n_i, ac_i, lot, chosen)
    factor = _aoq_factor(n_i, lot)
    points = tuple(
        OCPoint(p=float(q), pa=float(a), aoq=float(a * q * factor))
        for q, a in zip(ps, pa, strict=True)
    )
    aoql, aoql_p = _aoql(n_i, ac_i, lot, chosen)
    return OCCurve(
        n=n_i,
        ac=ac_i,
        lot_size=lot,
        model=chosen,
        points=points,
        aoql=float(aoql),
        aoql_p=float(aoql_p),
    )
