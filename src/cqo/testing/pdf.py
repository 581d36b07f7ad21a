"""Reading generated PDFs in tests."""

from __future__ import annotations

import shutil
import subprocess
import tempfile


def pdf_text(data: bytes) -> str:
    """The text of a PDF, through poppler's pdftotext (installed by the Makefile)."""
    tool = shutil.which("pdftotext")
    assert tool, "pdftotext (poppler-utils) is needed to check PDF text: run 'make deps'"
    out = subprocess.run(
        [tool, "-layout", "-enc", "UTF-8", "-", "-"], input=data, capture_output=True, check=True
    )
    return out.stdout.decode("utf-8")


def pdf_image_count(data: bytes) -> int:
    """How many images a PDF draws, through poppler's pdfimages (an image with a soft mask
    counts twice)."""
    tool = shutil.which("pdfimages")
    assert tool, "pdfimages (poppler-utils) is needed to count a PDF's images: run 'make deps'"
    with tempfile.NamedTemporaryFile(suffix=".pdf") as pdf:
        pdf.write(data)
        pdf.flush()
        out = subprocess.run([tool, "-list", pdf.name], capture_output=True, check=True)
    return max(len(out.stdout.decode().splitlines()) - 2, 0)
