"""A person's and a unit's quality record: what the domains have recorded against (or for) them
— a penalty decided after an incident (§6 d)), later an appraisal's findings — read in one place.

The appraisal (§6 g)) reads a person's or unit's record without importing the domains that
write it: each domain registers a *source* here from its ``ready()`` (decision 0005: a registry
in a lower layer, filled from above), and ``quality_record(person=...)`` or
``quality_record(unit=...)`` asks every source. With no source installed the record is empty.

A source is ``fn(*, person, unit, first, last) -> Iterable[QualityRecordEntry]``: exactly one of
``person`` / ``unit`` is given; ``first`` / ``last`` (dates, inclusive, or None) bound the
period; voided, withdrawn and superseded records are left out — an entry is what stands.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any


@dataclass(frozen=True)
class QualityRecordEntry:
    """One entry. ``key`` is stable and unique within the source; ``kind`` a short code of the
    source's choosing (``"penalty"``); ``title`` and ``measure`` are in the reader's language
    when the source builds them under it; ``amount`` is yuan, or None."""

    source: str
    key: str
    date: datetime.date
    kind: str
    title: str
    measure: str
    clause: str
    amount: Decimal | None = None
    url: str = ""
    person_id: int | None = None
    unit_id: int | None = None


Source = Callable[..., Iterable[QualityRecordEntry]]
_SOURCES: dict[str, Source] = {}


def quality_record_source_register(code: str, fn: Source) -> None:
    """Called from a domain's ``ready()``."""
    if code in _SOURCES and _SOURCES[code] is not fn:
        raise ValueError(f"quality-record source {code!r} is registered twice")
    _SOURCES[code] = fn


def quality_record_sources() -> list[str]:
    return sorted(_SOURCES)


def quality_record(
    *,
    person: Any = None,
    unit: Any = None,
    first: datetime.date | None = None,
    last: datetime.date | None = None,
) -> list[QualityRecordEntry]:
    """Every source's entries for one person or one unit, newest first."""
    if (person is None) == (unit is None):
        raise TypeError("name exactly one of person or unit")
    found: list[QualityRecordEntry] = []
    for code in sorted(_SOURCES):
        found.extend(_SOURCES[code](person=person, unit=unit, first=first, last=last))
    return sorted(found, key=lambda e: (e.date, e.source, e.key), reverse=True)
