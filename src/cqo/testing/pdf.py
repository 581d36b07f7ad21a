"""Reading generated PDFs in tests."""

from __future__ import annotations

import shutil
import subprocess


def pdf_text(data: bytes) -> str:
    """The text of a PDF, through poppler's pdftotext (installed by the Makefile)."""
    tool = shutil.which("pdftotext")
    assert tool, "pdftotext (poppler-utils) is needed to check PDF text: run 'make deps'"
    out = subprocess.run(
        [tool, "-layout", "-enc", "UTF-8", "-", "-"], input=data, capture_output=True, check=True
    )
    return out.stdout.decode("utf-8")
