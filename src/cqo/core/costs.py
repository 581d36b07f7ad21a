"""The cost-line contract between the domains that incur quality costs and the quality-cost
ledger that reads them (§7.1.5, decision 0005: "cost sources").

A domain app that records costs on its own records (a nonconformance's scrap and rework, a
complaint's claim, an incident's losses and penalties, inspection hours) keeps them in its own
tables and registers a *cost source* here from its ``ready()``. The ledger asks every source for
its lines over a period; nothing central lists the domains, and with no ledger installed the
sources still show their costs on their own pages.

The chart of cost items follows the structure of GB/T 13339 as the secondary sources quote it
(``shared/spec/regulatory-notes.md``, section 2: four operating categories plus external quality
assurance, class → item). The codes below are the seed; the ledger may let an enterprise add
items, but a source types its lines with these codes so that every enterprise's ledger can read
them. ``gbt13339`` marks the names those sources attribute to the standard.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from decimal import Decimal

from django.db import models
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


class CostCategory(models.TextChoices):
    PREVENTION = "prevention", _("Prevention cost")
    APPRAISAL = "appraisal", _("Appraisal cost")
    INTERNAL_FAILURE = "internal", _("Internal failure cost")
    EXTERNAL_FAILURE = "external", _("External failure cost")
    EXTERNAL_QA = "external_qa", _("External QA cost")


@dataclass(frozen=True)
class CostItem:
    code: str
    category: str
    label: str | Promise  # lazy, in the reader's language
    gbt13339: bool = False


P, A, IF, EF, Q = (
    CostCategory.PREVENTION,
    CostCategory.APPRAISAL,
    CostCategory.INTERNAL_FAILURE,
    CostCategory.EXTERNAL_FAILURE,
    CostCategory.EXTERNAL_QA,
)

# Source keys [C1]–[C5] are those of regulatory-notes.md, section 2.
COST_ITEMS: tuple[CostItem, ...] = (
    CostItem("p_training", P, _("Quality training"), True),
    CostItem("p_activities", P, _("Quality management activities"), True),
    CostItem("p_improvement", P, _("Quality improvement measures"), True),
    CostItem("p_review", P, _("Quality and product review"), True),
    CostItem("p_wages", P, _("Wages and benefits of quality staff"), True),
    CostItem("p_information", P, _("Quality information"), True),
    CostItem("p_rewards", P, _("Quality rewards")),
    CostItem("a_incoming", A, _("Incoming inspection cost")),
    CostItem("a_process", A, _("In-process inspection cost")),
    CostItem("a_final", A, _("Final inspection cost")),
    CostItem("a_testing", A, _("Testing and trials")),
    CostItem("a_wages", A, _("Wages and benefits of inspectors and metrology staff")),
    CostItem("a_equipment", A, _("Inspection equipment: depreciation and repair")),
    CostItem("a_office", A, _("Inspection office costs")),
    CostItem("i_scrap", IF, _("Scrap loss"), True),
    CostItem("i_rework", IF, _("Rework and repair loss"), True),
    CostItem("i_downtime", IF, _("Downtime loss"), True),
    CostItem("i_incident", IF, _("Incident analysis and handling"), True),
    CostItem("i_downgrade", IF, _("Downgrade loss"), True),
    CostItem("i_nonconformity", IF, _("Nonconformity handling (sorting, review)")),
    CostItem("e_claims", EF, _("Claims"), True),
    CostItem("e_returns", EF, _("Returns loss"), True),
    CostItem("e_warranty", EF, _("Warranty"), True),
    CostItem("e_litigation", EF, _("Litigation"), True),
    CostItem("e_price_reduction", EF, _("Price reduction loss"), True),
    CostItem("q_assurance", Q, _("Quality assurance measures")),
    CostItem("q_proof", Q, _("Product quality proof tests and assessment")),
    CostItem("q_certification", Q, _("Quality certification")),
)
COST_ITEM_BY_CODE: dict[str, CostItem] = {item.code: item for item in COST_ITEMS}


def cost_item(code: str) -> CostItem:
    """The seeded item of ``code``; a source that types a line with an unknown code is a
    programming error, raised where the line is made."""
    try:
        return COST_ITEM_BY_CODE[code]
    except KeyError:
        raise ValueError(f"unknown cost item {code!r}") from None


@dataclass(frozen=True)
class CostLine:
    """One cost a source incurred. ``amount`` is a Decimal in yuan with two places (never a
    float); ``key`` is stable and unique within the source (the ledger links a line to it and
    never counts it twice); ``record`` names the source record for people and ``url`` opens it.
    ``unit_id`` (organisation unit), ``item_id`` (masterdata item) and ``supplier_id`` /
    ``customer_id`` are the dimensions the ledger reports by, None where the source has none."""

    source: str
    key: str
    date: datetime.date
    item_code: str
    amount: Decimal
    record: str
    url: str = ""
    note: str = ""
    unit_id: int | None = None
    item_id: int | None = None
    supplier_id: int | None = None
    customer_id: int | None = None

    def __post_init__(self) -> None:
        cost_item(self.item_code)
        if not isinstance(self.amount, Decimal):
            raise TypeError("a cost line's amount is a Decimal")

    @property
    def category(self) -> str:
        return cost_item(self.item_code).category


@dataclass(frozen=True)
class CostSource:
    code: str
    label: str | Promise
    clause: str
    lines: Callable[[datetime.date, datetime.date], Iterable[CostLine]]


_SOURCES: dict[str, CostSource] = {}


def cost_source_register(
    *,
    code: str,
    label: str | Promise,
    clause: str,
    lines: Callable[[datetime.date, datetime.date], Iterable[CostLine]],
) -> None:
    """Called from a domain's ``ready()``. ``lines(first, last)`` yields the source's lines
    dated from ``first`` to ``last`` inclusive, voided records left out."""
    if code in _SOURCES and _SOURCES[code].lines is not lines:
        raise ValueError(f"cost source {code!r} is registered twice")
    _SOURCES[code] = CostSource(code, label, clause, lines)


def cost_sources() -> list[CostSource]:
    return sorted(_SOURCES.values(), key=lambda s: s.code)


def cost_lines(first: datetime.date, last: datetime.date) -> list[CostLine]:
    """Every registered source's lines over the period, in date order."""
    found: list[CostLine] = []
    for source in cost_sources():
        found.extend(source.lines(first, last))
    return sorted(found, key=lambda line: (line.date, line.source, line.key))
