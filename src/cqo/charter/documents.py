from __future__ import annotations

from cqo.core.pdf import render_pdf
from cqo.post.documents import _signatures

from .models import Charter


def charter_pdf(charter: Charter, *, language: str = "zh-hans") -> bytes:
    content = {"version": charter.version, "content_hash": charter.content_hash}
    lang = "en" if language.startswith("en") else "zh-hans"
    return render_pdf(
        "charter/charter_pdf.html",
        {
            "charter": charter,
            "c": charter.content,
            "lang": lang,
            "signatures": _signatures(charter, content),
            "document_id": f"CHARTER-v{charter.version}",
        },
        language=language,
    )
