from __future__ import annotations

import io
import re
import zlib

import pytest
from openpyxl import load_workbook

from cqo.core.pdf import render_pdf
from cqo.post import documents as docs
from cqo.post import services as S
from cqo.testing.pdf import pdf_text

pytestmark = pytest.mark.django_db


def embedded_fonts(data: bytes) -> set[str]:
    """The font names a PDF embeds (``/FontName /ABCDEF+NotoSansCJKsc-Regular``), read directly."""
    names = set(re.findall(rb"/FontName\s*/([A-Za-z0-9+_-]+)", data))
    for stream in re.findall(rb"stream\r?\n(.*?)\r?\nendstream", data, re.S):
        try:
            names |= set(re.findall(rb"/FontName\s*/([A-Za-z0-9+_-]+)", zlib.decompress(stream)))
        except zlib.error:
            continue
    return {n.decode() for n in names}


def has_cjk_font(fonts: set[str]) -> bool:
    flat = {f.split("+", 1)[-1].replace("-", "") for f in fonts}
    return bool(
        flat & {"NotoSansCJKSC", "NotoSerifCJKSC", "NotoSansCJKSCBold", "NotoSerifCJKSCBold"}
    )


@pytest.fixture
def signed(principal, candidate, password, today):
    return S.appointment_create(
        actor=principal, person=candidate, effective_from=today, password=password
    )


def test_render_pdf_embeds_a_cjk_font_and_numbers_pages(db):
    data = render_pdf("post/pdf/letter.html", {"appointment": None, "document_id": "TEST-1"})
    assert data.startswith(b"%PDF")
    fonts = embedded_fonts(data)
    assert has_cjk_font(fonts), fonts
    text = pdf_text(data)
    flat = "".join(text.split())
    assert "TEST-1" in flat and "第1页/共1页" in flat


def test_the_letter_prints_in_chinese_with_the_signature(signed, candidate):
    data = docs.letter_pdf(signed)
    text = pdf_text(data)
    assert "首席质量官任命书" in text
    assert candidate.name in text
    assert signed.number in text
    sig = signed.signature
    assert sig.content_hash[:16] in text.replace("\n", "").replace(" ", "")
    assert "§3.1" in text
    assert has_cjk_font(embedded_fonts(data))


def test_the_letter_prints_in_english(signed):
    text = pdf_text(docs.letter_pdf(signed, language="en"))
    assert "Letter of appointment of the Chief Quality Officer" in text
    assert "Page 1 of" in text


def test_the_filing_record_prints_with_the_qualification(signed, enterprise):
    text = pdf_text(docs.filing_pdf(signed))
    assert "首席质量官备案表" in text
    assert enterprise.credit_code in text
    flat = "".join(text.split())
    assert "学历" in flat and "通过" in flat and "§5.1.4" in flat


def test_the_filing_workbook_opens_and_has_the_fields(signed, enterprise, candidate):
    data = docs.filing_xlsx([signed])
    wb = load_workbook(io.BytesIO(data))
    ws = wb.worksheets[0]
    rows = list(ws.iter_rows(values_only=True))
    header, row = rows[0], rows[1]
    values = dict(zip(header, row, strict=True))
    assert values["统一社会信用代码"] == enterprise.credit_code
    assert values["首席质量官"] == candidate.name
    assert values["任命书编号"] == signed.number
    assert values["签名内容哈希"] == signed.signature.content_hash
    assert len(header) == len(docs.FILING_COLUMNS)
