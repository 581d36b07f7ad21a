"""The sections the domains register for the CQO's report (§7.1.6): each says plainly when its
module has no data in the period, and the figures it prints are the records' own."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

import pytest

from cqo.core import report_sections as rs
from cqo.testing.anomalies import ncr_make
from cqo.testing.incidents import reported_incident
from cqo.testing.ledger import line
from cqo.testing.world import Org, today


@pytest.fixture
def org(db: Any) -> Org:
    return Org()


def month() -> tuple[datetime.date, datetime.date]:
    first = today().replace(day=1)
    last = (first + datetime.timedelta(days=32)).replace(day=1) - datetime.timedelta(days=1)
    return first, last


def content(code: str, language: str = "en") -> rs.SectionContent:
    section = next(s for s in rs.report_sections() if s.code == code)
    return rs.report_section_content(section, *month(), language)


def figure(found: rs.SectionContent, label: str) -> Any:
    return next(f.value for f in found.figures if str(f.label) == label)


def test_the_domains_register_every_section_the_report_needs() -> None:
    codes = {s.code for s in rs.report_sections()}
    assert {"costs.quality_cost", "costs.budget_fund", "inspection.results",
            "inspection.suppliers", "inspection.spc", "anomalies.ncr_capa",
            "anomalies.complaints", "incidents.incidents", "recall.cases", "safety.regime",
            "decisions.proposals", "authorities.vetoes"} <= codes  # fmt: skip


def test_every_section_says_plainly_when_its_module_has_no_data(org: Org) -> None:
    for section in rs.report_sections():
        for language in ("zh-hans", "en"):
            found = rs.report_section_content(section, *month(), language)
            assert found.has_data is False, section.code


def test_the_sections_print_the_records_own_figures_and_a_missing_ratio_as_missing(
    org: Org,
) -> None:
    line(org, on=today(), item_code="a_incoming", amount="100.00")
    line(org, on=today(), item_code="i_scrap", amount="300.00")
    ncr_make(org)
    reported_incident(org)
    cost = content("costs.quality_cost")
    assert cost.has_data and figure(cost, "Total quality cost") == Decimal("400.00")
    assert figure(cost, "Failure share of operating quality cost") == Decimal("75.0")
    assert figure(cost, "Quality cost per 100 yuan of sales revenue") is None
    assert {c.kind for c in cost.charts} == {"stacked_bar", "pie", "pareto"}
    ncr = content("anomalies.ncr_capa")
    assert ncr.has_data and figure(ncr, "Nonconformance reports raised") == 1
    assert figure(ncr, "Mean days to close a nonconformance report") is None
    incidents = content("incidents.incidents")
    assert incidents.has_data and figure(incidents, "Incidents that occurred") == 1
    assert not content("recall.cases").has_data
