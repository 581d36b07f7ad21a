"""The report-section contract between the domains that hold the CQO's data and the CQO's
report to the decision layer (§7.1.6) that prints them.

A domain app registers one *section provider* per part of the report it can fill (quality cost,
inspection results, NCR/CAPA, complaints, recalls, objectives…) from its ``ready()``. The report
asks every provider for its content over a period, in a language, and prints the sections in
their ``order``; nothing central lists the domains, and with a domain not installed its section
is simply absent.

A provider never invents a figure. Where its module holds no data for the period it returns
``SectionContent.no_data()`` (the report then says so plainly); a figure that cannot be computed
(a ratio with no base) is ``None`` and is printed as missing, never as zero.

Content is plain data, so the report can print it as tables and draw charts with matplotlib
without knowing the domain: ``Figure`` (a labelled value), ``Table`` (columns and rows) and
``Chart`` (labels and named series of numbers). Values are ``Decimal`` or ``int`` for amounts and
counts (never ``float``), ``str`` for words, ``None`` for missing.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.utils import translation
from django.utils.functional import Promise

Text = str | Promise
Value = Decimal | int | str | None

CHART_KINDS = ("bar", "stacked_bar", "line", "pie", "pareto")


@dataclass(frozen=True)
class Figure:
    """One headline value: ``label`` and ``value`` (None = missing), ``unit`` e.g. "yuan", "%"."""

    label: Text
    value: Value
    unit: Text = ""
    note: Text = ""


@dataclass(frozen=True)
class Table:
    """Rows of values under ``columns``; a cell that is None is printed as missing."""

    columns: Sequence[Text]
    rows: Sequence[Sequence[Value]]
    title: Text = ""

    def __post_init__(self) -> None:
        for row in self.rows:
            if len(row) != len(self.columns):
                raise ValueError("every row of a report table has one value per column")
            for value in row:
                if isinstance(value, float):
                    raise TypeError("report values are Decimal or int, never float")


@dataclass(frozen=True)
class Chart:
    """A chart the report draws: ``kind`` one of ``CHART_KINDS``; ``labels`` along the axis (or
    the slices); ``series`` as (name, values) with one value per label (None = missing). A
    ``pareto`` takes one series, drawn sorted with its cumulative percentage."""

    kind: str
    title: Text
    labels: Sequence[Text]
    series: Sequence[tuple[Text, Sequence[Value]]]
    unit: Text = ""

    def __post_init__(self) -> None:
        if self.kind not in CHART_KINDS:
            raise ValueError(f"unknown chart kind {self.kind!r}")
        for _name, values in self.series:
            if len(values) != len(self.labels):
                raise ValueError("every series of a report chart has one value per label")
            for value in values:
                if isinstance(value, float):
                    raise TypeError("report values are Decimal or int, never float")


@dataclass(frozen=True)
class SectionContent:
    """What a provider returns. ``has_data`` False means "no data in this period" (with an
    optional ``reason``); the report prints that sentence and nothing else for the section."""

    figures: Sequence[Figure] = ()
    tables: Sequence[Table] = ()
    charts: Sequence[Chart] = ()
    notes: Sequence[Text] = ()
    has_data: bool = True
    reason: Text = ""

    @classmethod
    def no_data(cls, reason: Text = "") -> SectionContent:
        return cls(has_data=False, reason=reason)


SectionBuild = Callable[[datetime.date, datetime.date, str], SectionContent]


@dataclass(frozen=True)
class ReportSection:
    code: str
    title: Text
    clause: str
    order: int
    build: SectionBuild
    app: str = ""
    periods: tuple[str, ...] = ("monthly", "quarterly", "annual")


_SECTIONS: dict[str, ReportSection] = {}


def report_section_register(
    *,
    code: str,
    title: Text,
    clause: str,
    order: int,
    build: SectionBuild,
    app: str = "",
    periods: tuple[str, ...] = ("monthly", "quarterly", "annual"),
) -> None:
    """Called from a domain's ``ready()``. ``build(first, last, language)`` returns the
    section's ``SectionContent`` for the period ``first``..``last`` inclusive (voided records
    left out), its words in ``language``; ``order`` places it in the report (lower first; the
    house order: objectives 100, quality cost 200, budget and fund 300, inspection 400, SPC 450,
    NCR/CAPA 500, complaints and incidents 600, recalls 700, safety 750, proposals and vetoes
    800). ``periods`` names the reports that carry it."""
    if code in _SECTIONS and _SECTIONS[code].build is not build:
        raise ValueError(f"report section {code!r} is registered twice")
    _SECTIONS[code] = ReportSection(code, title, clause, order, build, app, tuple(periods))


def report_sections(period: str | None = None) -> list[ReportSection]:
    """The registered sections in report order (only those carried by ``period`` if given)."""
    found = [s for s in _SECTIONS.values() if period is None or period in s.periods]
    return sorted(found, key=lambda s: (s.order, s.code))


def report_section_content(
    section: ReportSection, first: datetime.date, last: datetime.date, language: str
) -> SectionContent:
    """The section's content for the period, built in ``language``."""
    with translation.override(language):
        content = section.build(first, last, language)
    if not isinstance(content, SectionContent):
        raise TypeError(f"report section {section.code!r} returned {type(content).__name__}")
    return content


def unregister_for_tests(code: str) -> None:
    """Tests that register a throwaway section remove it again."""
    _SECTIONS.pop(code, None)
