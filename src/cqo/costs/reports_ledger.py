"""The quality-cost report printed (§7.1.5, §7.2.3.7): the page's report of a period as a PDF in
Chinese or English — totals by category, month and item, structure P : A : F, ratios per 100 yuan
of finance's figures (missing where finance has none), the failure-cost Pareto, with its charts
(matplotlib, as on the CQO's report). The same content as the costs section of the CQO's report."""

from __future__ import annotations

import datetime

from django.utils import translation

from cqo.core.pdf import render_pdf
from cqo.core.report_charts import chart_png

from .sections_report import quality_cost_section


def ledger_report_pdf(*, first: datetime.date, last: datetime.date, language: str) -> bytes:
    with translation.override(language):
        content = quality_cost_section(first, last, language)
        charts = [chart_png(chart) for chart in content.charts] if content.has_data else []
    context = {
        "first": first,
        "last": last,
        "content": content,
        "charts": charts,
        "document_id": f"QC-{first:%Y%m%d}-{last:%Y%m%d}",
    }
    return render_pdf("costs/ledger_report_pdf.html", context, language=language, images=charts)
