"""The ``cqo stats`` subcommands for sampling, OC curves, FMEA, Six Sigma, Pareto and Gage R&R.

``register`` adds them to the ``cqo stats`` subparsers. Each handler takes the parsed arguments and
returns a JSON-able dict (plain Python numbers) or raises :class:`MethodsInputError`, which the
command prints as a message with exit status 2. Options are read as text and parsed here, so a bad
value gets the same message as in the library, naming the option.
"""

from __future__ import annotations

import argparse
import math
from typing import Any

import numpy as np

from . import fmea, gage, pareto, sampling, sixsigma
from .errors import MethodsInputError
from .io import read_table


def plain(value: Any) -> Any:
    """Make a result JSON-safe: numpy scalars to int/float/bool, NaN and infinities to None."""
    if isinstance(value, dict):
        return {str(k): plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [plain(v) for v in value]
    if isinstance(value, bool | np.bool_):
        return bool(value)
    if isinstance(value, int | np.integer):
        return int(value)
    if isinstance(value, float | np.floating):
        f = float(value)
        return f if math.isfinite(f) else None
    return value


def plain_dict(value: dict[str, Any]) -> dict[str, Any]:
    return {str(k): plain(v) for k, v in value.items()}


def _optional_float(value: str | None, name: str) -> float | None:
    return None if value is None else sampling.parse_float(value, name)


def sampling_plan_handler(args: argparse.Namespace) -> dict[str, Any]:
    reduced = None
    if args.reduced_table is not None:
        reduced = sampling.load_plan_table(args.reduced_table)
    plan = sampling.sampling_plan(
        args.lot_size, args.level, args.aql, args.severity, reduced_table=reduced
    )
    return plain_dict(plan.as_dict())


def _p_list(text: str) -> list[float]:
    parts = [p.strip() for p in str(text).split(",") if p.strip()]
    if not parts:
        raise MethodsInputError("--p needs at least one fraction nonconforming, e.g. 0.01,0.02")
    return [sampling.parse_float(p, "--p") for p in parts]


def oc_handler(args: argparse.Namespace) -> dict[str, Any]:
    n = sampling.parse_int(args.n, "--n", minimum=1)
    ac = sampling.parse_int(args.ac, "--ac", minimum=0)
    sampling.check_ac_below_n(n, ac, n_name="--n", ac_name="--ac")
    curve = sampling.oc_curve(
        n,
        ac,
        _p_list(args.p),
        lot_size=(
            None if args.lot_size is None else sampling.parse_int(args.lot_size, "--lot-size")
        ),
        model=args.model,
    )
    out = curve.as_dict()
    return plain_dict(
        {k: out[k] for k in ("points", "aoql", "aoql_p", "model", "n", "ac", "lot_size")}
    )


def fmea_ap_handler(args: argparse.Namespace) -> dict[str, Any]:
    return {"ap": fmea.action_priority(args.severity, args.occurrence, args.detection)}


def sigma_level_handler(args: argparse.Namespace) -> dict[str, Any]:
    shift = sampling.parse_float(args.shift, "--shift")
    summary = sixsigma.summarize(args.dpmo, shift=shift)
    return plain_dict({"sigma_level": summary.sigma_level, "yield": summary.yield_fraction})


def pareto_handler(args: argparse.Namespace) -> dict[str, Any]:
    table = read_table(args.input)
    result = pareto.pareto_from_table(table, args.category, args.count)
    return plain_dict({"items": [item.as_dict() for item in result.items]})


def gage_rr_handler(args: argparse.Namespace) -> dict[str, Any]:
    table = read_table(args.input)
    result = gage.gage_rr_from_table(
        table,
        args.part,
        args.operator,
        args.value,
        lsl=_optional_float(args.lsl, "--lsl"),
        usl=_optional_float(args.usl, "--usl"),
        alpha=sampling.parse_float(args.alpha, "--alpha"),
    )
    return plain_dict(result.as_dict())


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the subcommands to ``cqo stats`` (argparse's ``_SubParsersAction``)."""
    p = subparsers.add_parser(
        "sampling-plan",
        help="GB/T 2828.1 single sampling plan (code letter, n, Ac, Re)",
        description="Single sampling plan after GB/T 2828.1-2012 (ISO 2859-1:1999).",
    )
    p.add_argument("--lot-size", required=True, help="number of items in the lot (>= 2)")
    p.add_argument("--level", default="II", help="inspection level S-1..S-4, I, II, III")
    p.add_argument("--aql", required=True, help="acceptance quality limit, e.g. 1.0")
    p.add_argument(
        "--severity",
        default="normal",
        help="normal, tightened or reduced (reduced needs --reduced-table)",
    )
    p.add_argument(
        "--reduced-table",
        default=None,
        help="CSV code,aql,n,ac,re of Table 2-C from the enterprise's licensed standard",
    )
    p.set_defaults(handler=sampling_plan_handler)

    p = subparsers.add_parser(
        "oc",
        help="operating characteristic Pa(p), AOQ and AOQL of a single sampling plan",
    )
    p.add_argument("--n", required=True, help="sample size")
    p.add_argument("--ac", required=True, help="acceptance number")
    p.add_argument("--lot-size", default=None, help="lot size N (AOQ factor (N-n)/N)")
    p.add_argument("--p", required=True, help="fractions nonconforming, comma separated")
    p.add_argument(
        "--model",
        default="auto",
        choices=["auto", "binomial", "hypergeometric"],
        help="auto: hypergeometric when the sample is more than 10%% of the lot",
    )
    p.set_defaults(handler=oc_handler)

    p = subparsers.add_parser(
        "fmea-ap", help="AIAG-VDA 2019 FMEA Action Priority (H/M/L) from S, O, D"
    )
    p.add_argument("--severity", required=True, help="S, 1-10")
    p.add_argument("--occurrence", required=True, help="O, 1-10")
    p.add_argument("--detection", required=True, help="D, 1-10")
    p.set_defaults(handler=fmea_ap_handler)

    p = subparsers.add_parser(
        "sigma-level", help="sigma level (1.5 sigma shift) and yield from DPMO"
    )
    p.add_argument("--dpmo", required=True, help="defects per million opportunities")
    p.add_argument("--shift", default="1.5", help="long-term shift in sigma (default 1.5)")
    p.set_defaults(handler=sigma_level_handler)

    p = subparsers.add_parser("pareto", help="Pareto table: counts, percent, cumulative percent")
    p.add_argument("--input", required=True, help="CSV or .xlsx file with a header row")
    p.add_argument("--category", required=True, help="column with the category")
    p.add_argument("--count", default=None, help="column with counts (default: count rows)")
    p.set_defaults(handler=pareto_handler)

    p = subparsers.add_parser("gage-rr", help="crossed Gage R&R by ANOVA (AIAG MSA 4th ed.)")
    p.add_argument("--input", required=True, help="CSV or .xlsx file with a header row")
    p.add_argument("--part", required=True, help="column with the part")
    p.add_argument("--operator", required=True, help="column with the operator")
    p.add_argument("--value", required=True, help="column with the measurement")
    p.add_argument("--lsl", default=None, help="lower specification limit (for %% tolerance)")
    p.add_argument("--usl", default=None, help="upper specification limit (for %% tolerance)")
    p.add_argument(
        "--alpha", default="0.05", help="interaction pooled when its p exceeds this (0.05)"
    )
    p.set_defaults(handler=gage_rr_handler)
