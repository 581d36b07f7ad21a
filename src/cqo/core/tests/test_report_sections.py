from __future__ import annotations

import datetime
from decimal import Decimal

import pytest

from cqo.core import report_sections as rs

JAN = (datetime.date(2026, 1, 1), datetime.date(2026, 1, 31))


def test_it_refuses_a_float_in_a_table() -> None:
    with pytest.raises(TypeError, match="never float"):
        rs.Table(columns=["a"], rows=[[1.5]])


def test_it_refuses_a_series_that_does_not_match_its_labels() -> None:
    with pytest.raises(ValueError, match="one value per label"):
        rs.Chart(kind="bar", title="t", labels=["a", "b"], series=[("s", [Decimal("1")])])


def test_it_refuses_an_unknown_chart_kind() -> None:
    with pytest.raises(ValueError, match="unknown chart kind"):
        rs.Chart(kind="radar", title="t", labels=[], series=[])


def test_it_lists_sections_in_report_order_and_builds_them_in_the_language_asked() -> None:
    seen: list[str] = []

    def late(first: datetime.date, last: datetime.date, language: str) -> rs.SectionContent:
        from django.utils import translation

        seen.append(translation.get_language())
        return rs.SectionContent.no_data()

    def early(first: datetime.date, last: datetime.date, language: str) -> rs.SectionContent:
        return rs.SectionContent(figures=[rs.Figure("n", 3)])

    saved = dict(rs._SECTIONS)
    try:
        rs._SECTIONS.clear()
        rs.report_section_register(code="t.late", title="L", clause="§7.1.6", order=900, build=late)
        rs.report_section_register(
            code="t.early", title="E", clause="§7.1.6", order=100, build=early, periods=("annual",)
        )
        assert [s.code for s in rs.report_sections()] == ["t.early", "t.late"]
        assert [s.code for s in rs.report_sections("monthly")] == ["t.late"]
        content = rs.report_section_content(rs.report_sections()[1], *JAN, "en")
        assert not content.has_data and seen == ["en"]
        with pytest.raises(ValueError, match="registered twice"):
            rs.report_section_register(
                code="t.late", title="L", clause="§7.1.6", order=1, build=early
            )
    finally:
        rs._SECTIONS.clear()
        rs._SECTIONS.update(saved)
