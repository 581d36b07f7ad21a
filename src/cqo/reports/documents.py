"""The report as a PDF: every registered section (``cqo.core.report_sections``) asked for its
content over the period in the report's language, its charts drawn with matplotlib as PNG images carried with the document,
the whole printed by WeasyPrint with the Noto CJK fonts (``cqo.core.pdf``)."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.utils import translation

from cqo.core.clauses import clause_label
from cqo.core.pdf import InlineImage, render_pdf_paged
from cqo.core.report_charts import chart_png
from cqo.core.report_sections import (
    ReportSection,
    SectionContent,
    report_section_content,
    report_sections,
)
from cqo.organisation.selectors import enterprise_current


@dataclass
class PrintedSection:
    number: int
    section: ReportSection
    title: str
    clause: str
    clause_label: str
    content: SectionContent
    charts: list[InlineImage] = field(default_factory=list)
    error: bool = False


def _label(citation: str) -> str:
    """The clause's short label when the section cites one clause, else nothing."""
    label = clause_label(citation) if citation else ""
    return "" if label == citation else label


def sections_built(
    *,
    kind: str,
    first: datetime.date,
    last: datetime.date,
    language: str,
    progress: Callable[[int, int], None] | None = None,
) -> list[PrintedSection]:
    """Every section the report of ``kind`` carries, built for the period, with its charts."""
    found = report_sections(kind)
    printed: list[PrintedSection] = []
    for i, section in enumerate(found, start=1):
        content = report_section_content(section, first, last, language)
        with translation.override(language):
            charts = [chart_png(chart) for chart in content.charts] if content.has_data else []
            printed.append(
                PrintedSection(
                    number=i,
                    section=section,
                    title=str(section.title),
                    clause=section.clause,
                    clause_label=_label(section.clause),
                    content=content,
                    charts=charts,
                )
            )
        if progress:
            progress(i, len(found))
    return printed


def report_context(
    *, number: str, kind_label: str, first: datetime.date, last: datetime.date,
    language: str, sections: list[PrintedSection],
) -> dict[str, Any]:  # fmt: skip
    return {
        "number": number,
        "kind_label": kind_label,
        "first": first,
        "last": last,
        "enterprise": enterprise_current(),
        "sections": sections,
        "document_id": number,
    }


def report_pdf(context: dict[str, Any], *, language: str) -> tuple[bytes, int]:
    """The PDF bytes and the number of pages."""
    images = [image for section in context["sections"] for image in section.charts]
    return render_pdf_paged("reports/pdf/report.html", context, language=language, images=images)
