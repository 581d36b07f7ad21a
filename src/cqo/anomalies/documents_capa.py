"""The 8D report of a CAPA as a PDF (WeasyPrint, Noto CJK through ``cqo.core.pdf``), in Chinese
or English (§7.1.4)."""

from __future__ import annotations

from typing import Any

from django.utils import translation

from cqo.audit.selectors import signatures_with_status
from cqo.core.pdf import render_pdf

from . import selectors_capa as sel
from .models_capa import Capa


def capa_pdf_context(capa: Capa) -> dict[str, Any]:
    return {
        "capa": capa,
        **sel.capa_parts(capa),
        "evidence": sel.effectiveness_evidence(capa),
        "signatures": signatures_with_status(obj=capa),
    }


def capa_pdf(capa: Capa, *, language: str = "zh-hans") -> bytes:
    with translation.override(language):
        ctx = capa_pdf_context(capa)
    ctx["document_id"] = f"{capa.number}-8D"
    return render_pdf("anomalies/capa/pdf/capa_8d.html", ctx, language=language)
