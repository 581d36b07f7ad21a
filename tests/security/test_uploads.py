"""Uploads are checked by content, limited before the body is read, and served only to readers
(issue 8 §3)."""

from __future__ import annotations

from typing import Any

import pytest
from django.apps import apps
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import models
from rest_framework.test import APIClient

from cqo.core.uploads import upload_check, validate_upload
from cqo.organisation import roles as R
from cqo.organisation.models import UnitKind
from cqo.post import services as S
from cqo.post.models import EvidenceDocument, EvidenceKind
from cqo.testing.factories import EnterpriseFactory, UnitFactory, member

PDF = b"%PDF-1.7\n1 0 obj <<>> endobj\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32
JPEG = b"\xff\xd8\xff\xe0" + b"\x00" * 32
HTML = b"<html><script>alert(document.cookie)</script></html>"


def test_a_web_page_named_like_a_pdf_is_refused() -> None:
    with pytest.raises(ValidationError) as exc:
        upload_check(SimpleUploadedFile("evil.html.pdf", HTML, content_type="application/pdf"))
    assert "file" in exc.value.message_dict


@pytest.mark.parametrize(
    ("name", "data"),
    [("diploma.pdf", PDF), ("photo.png", PNG), ("scan.jpg", JPEG), ("scan.JPEG", JPEG)],
)
def test_a_pdf_png_or_jpeg_is_taken(name: str, data: bytes) -> None:
    assert upload_check(SimpleUploadedFile(name, data)) is not None


def test_a_pdf_named_like_a_picture_is_refused() -> None:
    with pytest.raises(ValidationError):
        upload_check(SimpleUploadedFile("diploma.png", PDF))


def test_a_double_extension_is_stored_under_the_kind_found() -> None:
    upload = SimpleUploadedFile("证书.html.pdf", PDF)
    upload_check(upload)
    assert upload.name == "证书_html.pdf"


def test_a_file_over_the_limit_is_refused_by_size(settings: Any) -> None:
    settings.CQO_UPLOAD_MAX_BYTES = 10
    with pytest.raises(ValidationError) as exc:
        upload_check(SimpleUploadedFile("big.pdf", PDF))
    assert exc.value.error_dict["file"][0].code == "too_large"


def test_every_file_field_checks_its_upload_by_content() -> None:
    missing = [
        f"{model._meta.label}.{field.name}"
        for model in apps.get_models()
        if model.__module__.startswith("cqo.")
        for field in model._meta.get_fields()
        if isinstance(field, models.FileField) and validate_upload not in field.validators
    ]
    assert not missing, f"FileFields without cqo.core.uploads.validate_upload: {missing}"


class _Body:
    """A request body that makes its bytes as they are read, and counts them."""

    def __init__(self, head: bytes, size: int, tail: bytes) -> None:
        self.head, self.size, self.tail, self.read_bytes = head, size, tail, 0

    def read(self, n: int = -1) -> bytes:
        total = len(self.head) + self.size + len(self.tail)
        if n < 0:
            n = total - self.read_bytes
        n = min(n, total - self.read_bytes)
        out = bytearray()
        for _ in range(n):
            pos = self.read_bytes
            if pos < len(self.head):
                out.append(self.head[pos])
            elif pos < len(self.head) + self.size:
                out.append(0x41)
            else:
                out.append(self.tail[pos - len(self.head) - self.size])
            self.read_bytes += 1
        return bytes(out)

    def readline(self, *args: Any) -> bytes:
        return self.read(1)


@pytest.fixture
def cqo_user(db: Any) -> Any:
    enterprise = EnterpriseFactory()
    root = UnitFactory(enterprise=enterprise, kind=UnitKind.COMPANY, code="ROOT", name="公司")
    return member(R.CQO, unit=root, username="uploader")


def _multipart(size: int) -> tuple[_Body, str]:
    boundary = "cqoboundary"
    head = (
        f'--{boundary}\r\nContent-Disposition: form-data; name="kind"\r\n\r\ndiploma\r\n'
        f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="big.pdf"\r\n'
        "Content-Type: application/pdf\r\n\r\n%PDF-"
    ).encode()
    tail = f"\r\n--{boundary}--\r\n".encode()
    return _Body(head, size, tail), f"multipart/form-data; boundary={boundary}"


@pytest.mark.parametrize("path", ["/api/v1/post/qualification/1/evidence/", "/accounts/login/"])
def test_a_body_over_the_limit_is_refused_before_it_is_read(
    cqo_user: Any, client: Any, settings: Any, path: str
) -> None:
    settings.CQO_UPLOAD_MAX_BYTES = 64 * 1024
    body, content_type = _multipart(2 * 1024 * 1024)
    client.force_login(cqo_user)
    response = client.generic(
        "POST",
        path,
        **{
            "wsgi.input": body,
            "CONTENT_LENGTH": str(len(body.head) + body.size + len(body.tail)),
            "CONTENT_TYPE": content_type,
        },
    )
    assert response.status_code == 413
    assert body.read_bytes == 0


# --- serving --------------------------------------------------------------------------------


@pytest.fixture
def stored(db: Any, settings: Any, tmp_path: Any) -> Any:
    from cqo.post.presets import rule_sets_ensure

    settings.MEDIA_ROOT = tmp_path
    rule_sets_ensure()
    enterprise = EnterpriseFactory()
    root = UnitFactory(enterprise=enterprise, kind=UnitKind.COMPANY, code="ROOT", name="公司")
    owner = member(R.QUALITY_ENGINEER, unit=root, username="owner")
    stranger = member(R.EMPLOYEE, unit=root, username="stranger")
    principal = member(R.PRINCIPAL, unit=root, username="boss")
    enterprise.principal = principal.person
    enterprise.save()
    doc = S.evidence_add(
        actor=owner, person=owner.person, kind=EvidenceKind.OTHER, title="证书",
        file=SimpleUploadedFile("cert.pdf", PDF),
    )  # fmt: skip
    return {"doc": doc, "owner": owner, "stranger": stranger, "principal": principal}


def test_the_api_links_the_file_to_a_route_that_checks_the_reader(stored: Any) -> None:
    doc: EvidenceDocument = stored["doc"]
    api = APIClient()
    api.force_authenticate(stored["principal"])
    listed = api.get(f"/api/v1/post/qualification/{doc.person_id}/evidence/")
    assert listed.status_code == 200
    link = listed.json()[0]["file"]
    assert link.endswith(f"/api/v1/post/evidence/{doc.pk}/file/")
    assert "/media/" not in link
    got = api.get(link)
    assert got.status_code == 200
    assert got["Content-Type"] == "application/pdf"
    assert got["Content-Disposition"].startswith("attachment;")
    assert got["X-Content-Type-Options"] == "nosniff"
    assert b"".join(got.streaming_content) == PDF
    other = APIClient()
    other.force_authenticate(stored["stranger"])
    assert other.get(link).status_code in (403, 404)


def test_the_page_serves_the_file_as_an_attachment(stored: Any, client: Any) -> None:
    doc = stored["doc"]
    client.force_login(stored["owner"])
    got = client.get(f"/post/evidence/{doc.pk}/file/")
    assert got.status_code == 200
    assert got["Content-Disposition"].startswith("attachment;")
    assert got["X-Content-Type-Options"] == "nosniff"
    client.force_login(stored["stranger"])
    assert client.get(f"/post/evidence/{doc.pk}/file/").status_code == 403


def test_media_urls_are_not_served(stored: Any, client: Any) -> None:
    client.force_login(stored["owner"])
    assert client.get("/media/" + stored["doc"].file.name).status_code == 404


def test_the_api_refuses_a_web_page_named_like_a_pdf(stored: Any) -> None:
    api = APIClient()
    api.force_authenticate(stored["owner"])
    response = api.post(
        f"/api/v1/post/qualification/{stored['owner'].person.pk}/evidence/",
        {"kind": "other", "title": "x", "file": SimpleUploadedFile("evil.html.pdf", HTML)},
        format="multipart",
    )
    assert response.status_code == 400
    assert "file" in response.json()
    assert not EvidenceDocument.objects.filter(title="x").exists()
