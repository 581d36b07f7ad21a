"""PDF documents from Django templates, with WeasyPrint and the Noto CJK fonts.

The fonts come from the operating system (Debian's ``fonts-noto-cjk``) and are named by family in
the CSS, so nothing is fetched from the network and the PDF embeds the subset it uses. Every page
is A4 with a footer: the document id, the time it was generated and "page n of m".

A template extends ``core/pdf_base.html`` and fills ``{% block body %}``; the context gets
``document_id`` (pass your own, e.g. an appointment number, or one is made up) and ``generated_at``.
"""

from __future__ import annotations

import hashlib
import uuid
from collections.abc import Iterable
from dataclasses import dataclass
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


@dataclass(frozen=True)
class InlineImage:
    """An image carried with the document rather than in its HTML: the HTML names it by ``url``
    (``cqo-image:`` and its digest, which is also what the template prints for it) and WeasyPrint
    fetches the bytes from memory. A ``data:`` URL would do the same, but its base64 text goes
    through the HTML parser a character at a time: 13 charts cost a report 0.3–0.6 s to parse."""

    data: bytes
    mime_type: str = "image/png"

    @property
    def url(self) -> str:
        return f"{IMAGE_SCHEME}:{hashlib.sha256(self.data).hexdigest()[:24]}"

    def __str__(self) -> str:
        return self.url


IMAGE_SCHEME = "cqo-image"


def _url_fetcher(images: Iterable[InlineImage] = ()) -> Any:
    """Documents are self-contained: no file or network fetch may leak into a PDF. What may be
    fetched is content carried with the document itself: a ``data:`` URL, or one of ``images``
    by its ``cqo-image:`` URL; anything else stops the rendering."""
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    carried = {image.url: image for image in images}

    class _Fetcher(URLFetcher):  # type: ignore[misc]
        def fetch(self, url: str, headers: Any = None) -> Any:
            if url.startswith(f"{IMAGE_SCHEME}:"):
                image = carried.get(url)
                if image is None:
                    raise ValueError(f"no image {url} was given with the document")
                return URLFetcherResponse(
                    url, image.data, headers={"Content-Type": image.mime_type}
                )
            return super().fetch(url, headers)

    return _Fetcher(allowed_protocols=("data",), fail_on_errors=True)


def render_pdf(
    template_name: str,
    context: dict[str, Any],
    *,
    language: str = "zh-hans",
    images: Iterable[InlineImage] = (),
) -> bytes:
    """Render ``template_name`` with ``context`` in ``language`` and return the PDF bytes. The
    ``images`` are those the template names by their ``cqo-image:`` URL."""
    return render_pdf_paged(template_name, context, language=language, images=images)[0]


def render_pdf_paged(
    template_name: str,
    context: dict[str, Any],
    *,
    language: str = "zh-hans",
    images: Iterable[InlineImage] = (),
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
    document = HTML(string=html, base_url=None, url_fetcher=_url_fetcher(images)).render(**options)
    data = document.write_pdf(**options)
    return data, len(document.pages)
