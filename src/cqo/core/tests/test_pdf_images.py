"""A PDF is self-contained: WeasyPrint may fetch the images carried with the document (by their
``cqo-image:`` URL) and ``data:`` URLs, nothing from files or the network."""

from __future__ import annotations

import io

import pytest
from PIL import Image

from cqo.core.pdf import InlineImage, _url_fetcher


def _png(colour: str) -> bytes:
    buf = io.BytesIO()
    Image.new("RGB", (4, 4), colour).save(buf, format="PNG")
    return buf.getvalue()


def test_it_fetches_an_image_carried_with_the_document_by_its_url() -> None:
    red, blue = InlineImage(_png("red")), InlineImage(_png("blue"))
    assert red.url != blue.url and str(red) == red.url
    response = _url_fetcher([red, blue])(blue.url)
    assert response.read() == blue.data
    assert response.content_type == "image/png"


def test_it_refuses_an_image_the_document_does_not_carry() -> None:
    with pytest.raises(ValueError, match="no image"):
        _url_fetcher([InlineImage(_png("red"))])(InlineImage(_png("blue")).url)


@pytest.mark.parametrize("url", ["file:///etc/passwd", "http://127.0.0.1:9/x.png"])
def test_it_refuses_files_and_the_network(url: str) -> None:
    with pytest.raises(ValueError, match="disallowed protocol"):
        _url_fetcher([InlineImage(_png("red"))])(url)
