"""Uploads: the one check every uploaded file meets, and the one way a stored file is served.

- ``upload_check`` decides by the file's first bytes, not by its name: ``evil.html.pdf`` that
  holds a web page is refused. The stored name is rewritten to the kind found (``a.html.pdf`` →
  ``a_html.pdf``), so no name a client chose decides how a file is later read. Every model
  ``FileField`` carries ``validate_upload`` (a test checks), and the services call
  ``upload_check`` before they save, so the web form, the API and an import meet the same rule.
- ``RequestSizeLimitMiddleware`` refuses a request whose declared body is larger than the upload
  limit before anything reads it. Django reads no more than ``Content-Length`` says, so nothing
  is streamed to disk first (before, a 1 GB body was read in full, then refused by size).
- ``file_response`` serves a stored file as an attachment, with its checked content type and
  ``nosniff``, from a view that has checked the reader's permission on the owning record; files
  are never served from ``MEDIA_URL`` (no URL pattern serves it, so ``/media/...`` is a 404).

The signatures are a small table of our own rather than python-magic (libmagic, a system
library) or a package such as filetype: three well-known prefixes need no dependency.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import PurePath
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.http import FileResponse, HttpRequest, HttpResponse
from django.utils.text import get_valid_filename
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy


@dataclass(frozen=True)
class Kind:
    code: str
    label: str
    content_type: str
    extensions: tuple[str, ...]
    magic: tuple[bytes, ...]

    def matches(self, head: bytes) -> bool:
        return any(head.startswith(m) for m in self.magic)


KINDS: dict[str, Kind] = {
    k.code: k
    for k in (
        Kind("pdf", "PDF", "application/pdf", (".pdf",), (b"%PDF-",)),
        Kind("png", "PNG", "image/png", (".png",), (b"\x89PNG\r\n\x1a\n",)),
        Kind("jpeg", "JPEG", "image/jpeg", (".jpg", ".jpeg"), (b"\xff\xd8\xff",)),
    )
}
DOCUMENTS = ("pdf", "png", "jpeg")
HEAD_BYTES = 16


def max_bytes() -> int:
    return int(settings.CQO_UPLOAD_MAX_BYTES)


def _megabytes(size: int) -> int:
    return max(1, size // (1024 * 1024))


def _head(file: Any) -> bytes:
    position = file.tell() if hasattr(file, "tell") else 0
    try:
        file.seek(0)
        return bytes(file.read(HEAD_BYTES) or b"")
    finally:
        file.seek(position)


def kind_of(file: Any, allowed: Iterable[str] = DOCUMENTS) -> Kind | None:
    """The allowed kind whose signature the file's first bytes carry, or None."""
    head = _head(file)
    for code in allowed:
        if KINDS[code].matches(head):
            return KINDS[code]
    return None


def upload_check(
    file: Any,
    *,
    field: str = "file",
    allowed: Iterable[str] = DOCUMENTS,
    limit: int | None = None,
    rename: bool = True,
) -> Kind | None:
    """Refuse an upload that is too large, or whose content is not one of ``allowed`` (whatever
    its name says); name the field in the error. Returns the kind found and renames the file to
    it. ``None`` (no file) passes."""
    if file is None or file == "":
        return None
    allowed = tuple(allowed)
    limit = max_bytes() if limit is None else limit
    types = ", ".join(KINDS[c].label for c in allowed)
    size = getattr(file, "size", None)
    if size is not None and size > limit:
        raise ValidationError(
            {
                field: ValidationError(
                    _("The file is larger than %(mb)d MB.") % {"mb": _megabytes(limit)},
                    code="too_large",
                )
            }
        )
    name = str(getattr(file, "name", "") or "")
    suffix = PurePath(name).suffix.lower()
    kind = kind_of(file, allowed)
    if kind is None or suffix not in kind.extensions:
        raise ValidationError(
            {
                field: ValidationError(
                    _(
                        "Upload a %(types)s file: the content of “%(name)s” is not one of "
                        "these, whatever its name says."
                    )
                    % {"types": types, "name": PurePath(name).name[:100]},
                    code="file_type",
                )
            }
        )
    if rename:
        stem = PurePath(name).name[: -len(suffix)]
        try:
            stem = get_valid_filename(stem.replace(".", "_"))[:80]
        except Exception:  # Django refuses a name it cannot make valid ("..", "")
            stem = "file"
        file.name = f"{stem}{kind.extensions[0]}"
    return kind


def validate_upload(value: Any) -> None:
    """A model field validator: the same check, for a form or serializer that runs validators."""
    try:
        upload_check(value, rename=False)
    except ValidationError as exc:
        raise ValidationError(
            [m for messages in exc.message_dict.values() for m in messages]
        ) from exc


def file_response(
    fieldfile: Any, *, filename: str = "", allowed: Iterable[str] = DOCUMENTS
) -> FileResponse:
    """A stored file as a download (under ``filename``, or its stored name): attachment, its
    checked type, nosniff, no framing. The caller has checked the reader's permission on the
    record that owns the file."""
    handle = fieldfile.open("rb")
    kind = kind_of(handle, allowed)
    filename = filename or PurePath(fieldfile.name or "file").name
    response = FileResponse(
        handle,
        as_attachment=True,
        filename=filename,
        content_type=kind.content_type if kind else "application/octet-stream",
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "sandbox; default-src 'none'"
    response["Cache-Control"] = "private, no-store"
    return response


# --- the request size limit -------------------------------------------------------------------

# Room for the other fields of a form that carries one file (title, number, note, the CSRF token).
FORM_OVERHEAD = 256 * 1024
API_PREFIX = "/api/"

TOO_LARGE = gettext_lazy(
    "The request is larger than %(mb)d MB and was not read. Upload a smaller file."
)


class RequestSizeLimitMiddleware:
    """Answer 413 to a body declared larger than the upload limit, without reading it."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        try:
            declared = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            declared = 0
        limit = max_bytes() + FORM_OVERHEAD
        if declared > limit:
            message = str(TOO_LARGE) % {"mb": _megabytes(max_bytes())}
            if request.path_info.startswith(API_PREFIX):
                response: HttpResponse = HttpResponse(
                    json.dumps({"detail": message}, ensure_ascii=False),
                    status=413,
                    content_type="application/json",
                )
            else:
                response = HttpResponse(
                    message, status=413, content_type="text/plain; charset=utf-8"
                )
            # The body is left unread: the connection cannot carry another request after it.
            response["Connection"] = "close"
            return response
        return self.get_response(request)


def file_sha256(file: Any) -> str:
    """The SHA-256 of an uploaded file's content, read in chunks; the file is left at its start."""
    digest = hashlib.sha256()
    if hasattr(file, "seek"):
        file.seek(0)
    chunks = file.chunks() if hasattr(file, "chunks") else iter(lambda: file.read(65536), b"")
    for chunk in chunks:
        digest.update(chunk)
    if hasattr(file, "seek"):
        file.seek(0)
    return digest.hexdigest()
