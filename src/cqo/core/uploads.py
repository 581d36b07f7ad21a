"""Checking and fingerprinting an uploaded file, in one place for every module.

``upload_check`` is the only gate a service calls before keeping a file (qualification evidence,
approval attachments, and later modules' documents): a check by content (magic bytes) and a size
limit enforced while the body streams can replace its body without touching any caller.
"""

from __future__ import annotations

import hashlib
import mimetypes
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

MAX_BYTES = 10 * 1024 * 1024
# The kinds of document a quality record carries as evidence: scans, photos and reports.
DOCUMENT_TYPES = {
    ".pdf": "application/pdf",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".png": "image/png",
}


def upload_check(file: Any, *, field: str = "file", max_bytes: int = MAX_BYTES) -> str:
    """Refuse a file of another type or over the size limit, naming ``field``; return its media
    type. Nothing is stored here."""
    name = (getattr(file, "name", "") or "").lower()
    suffix = "." + name.rsplit(".", 1)[-1] if "." in name else ""
    if suffix not in DOCUMENT_TYPES:
        raise ValidationError({field: _("Upload a PDF, JPEG or PNG file.")})
    if (getattr(file, "size", 0) or 0) > max_bytes:
        raise ValidationError(
            {field: _("The file is larger than %(mb)d MB.") % {"mb": max_bytes // (1024 * 1024)}}
        )
    return DOCUMENT_TYPES[suffix] or mimetypes.guess_type(name)[0] or "application/octet-stream"


def file_sha256(file: Any) -> str:
    """The SHA-256 of an uploaded file's content, read in chunks; the file is left at its start."""
    digest = hashlib.sha256()
    if hasattr(file, "seek"):
        file.seek(0)
    for chunk in file.chunks() if hasattr(file, "chunks") else iter(lambda: file.read(65536), b""):
        digest.update(chunk)
    if hasattr(file, "seek"):
        file.seek(0)
    return digest.hexdigest()
