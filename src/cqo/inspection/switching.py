# LOCAL STUB (not committed): the sampling helper owns this module.
from __future__ import annotations

from typing import Any

CALLS: list[dict[str, Any]] = []


def stream_record(
    *,
    actor: Any,
    stream: Any,
    inspection_lot: Any,
    accepted: bool,
    nonconforming: int,
    ac: int,
    re: int,
) -> Any:
    CALLS.append(dict(stream=stream, accepted=accepted, nonconforming=nonconforming, ac=ac, re=re))
    return None
