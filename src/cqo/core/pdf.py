"""PDF documents from Django templates, with WeasyPrint and the Noto CJK fonts.

The fonts come from the operating system (Debian's ``fonts-noto-cjk``) and are named by family in
the CSS, so nothing is fetched from the network and the PDF embeds the subset it uses. Every page
is A4 with a footer: the document id, the time it was generated and "page n of m".

A template extends ``core/pdf_base.html`` and fills ``{% block body %}``; the context gets
``document_id`` (pass your own, e.g. an appointment number, or one is made up) and ``generated_at``.
"""

from __future__ import annotations

import uuid
from typing import Any

from django.template.loader import render_to_string
from django.utils import timezone, translation

CJK_SANS = "Noto Sans CJK SC"
CJK_SERIF = "Noto Serif CJK SC"

# The footer's few words, per document language. Kept here rather than in a catalogue so the
# footer never depends on which app's translations are compiled.
FOOTERS: dict[str, dict[str, str]] = {
    "zh-hans": {
        "document": "文档编号",
        "generated": "生成时间",
        "page_before": "第 ",
        "page_middle": " 页 / 共 ",
        "page_after": " 页",
    },
    "en": {
        "document": "Document",
        "generated": "generated",
        "page_before": "Page ",
        "page_middle": " of ",
        "page_after": "",
    },
}


def css_string(text: str) -> str:
    """``text`` as the inside of a double-quoted CSS string (for ``content:`` in @page boxes)."""
    out = []
    for ch in str(text):
        if ch.isalnum() or ch in " .,:;/()_+·–—":
            out.append(ch)
        else:
            out.append(f"\\{ord(ch):x} ")
    return "".join(out)


def _url_fetcher() -> Any:
    """Documents are self-contained: no file or network fetch may leak into a PDF. The one
    scheme allowed is ``data:``, content carried inline in the document itself (a chart drawn
    as PNG); anything else stops the rendering."""
    from weasyprint.urls import URLFetcher

    return URLFetcher(allowed_protocols=("data",), fail_on_errors=True)


def render_pdf(template_name: str, context: dict[str, Any], *, language: str = "zh-hans") -> bytes:
    """Render ``template_name`` with ``context`` in ``language`` and return the PDF bytes."""
    return render_pdf_paged(template_name, context, language=language)[0]


def render_pdf_paged(
    template_name: str, context: dict[str, Any], *, language: str = "zh-hans"
) -> tuple[bytes, int]:
    """As ``render_pdf``, with the number of pages laid out."""
    from weasyprint import HTML  # imported late: it loads Pango, which the web pages do not need

    ctx = dict(context)
    ctx.setdefault("document_id", f"DOC-{uuid.uuid4().hex[:12].upper()}")
    ctx.setdefault("generated_at", timezone.localtime())
    ctx.setdefault("cjk_sans", CJK_SANS)
    ctx.setdefault("cjk_serif", CJK_SERIF)
    words = FOOTERS.get(language, FOOTERS["en"])
    generated = timezone.localtime(ctx["generated_at"]).strftime("%Y-%m-%d %H:%M")
    ctx["footer_left"] = css_string(
        f"{words['document']} {ctx['document_id']} · {words['generated']} {generated}"
    )
    ctx["footer_pages"] = [
        css_string(words[k]) for k in ("page_before", "page_middle", "page_after")
    ]
    with translation.override(language):
        ctx["language"] = language
        html = render_to_string(template_name, ctx)
    options: dict[str, Any] = {
        "pdf_identifier": str(ctx["document_id"]).encode("utf-8"),
        "uncompressed_pdf": False,
    }
    document = HTML(string=html, base_url=None, url_fetcher=_url_fetcher()).render(**options)
    data = document.write_pdf(**options)
    return data, len(document.pages)
