"""Rendering and caching page images with pypdfium2."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from PIL import Image

from config.errors import DocumentReadError
from integration.sidebar.pages import MAX_SIDE_PX, PageRenderer
from integration.store.blobs import BlobStore
from tests.integration.app_case import letter_pdf


@pytest.fixture
def stored(tmp_path: Path) -> tuple[PageRenderer, str]:
    sha = BlobStore(tmp_path / "documents").put(letter_pdf())
    return PageRenderer(
        documents_dir=tmp_path / "documents", cache_dir=tmp_path / "cache", dpi=72
    ), sha


def test_renders_at_dpi_and_caches(stored: tuple[PageRenderer, str]) -> None:
    renderer, sha = stored
    data = renderer.png(sha, 1)
    width, height = Image.open(io.BytesIO(data)).size
    assert abs(width - 595.27) <= 1.5 and abs(height - 841.89) <= 1.5  # pdfium rounds up
    cached = renderer.cache_path(sha, 1)
    assert cached.read_bytes() == data
    # served from the cache even when the PDF is gone
    (renderer.documents_dir / f"{sha}.pdf").unlink()
    assert renderer.png(sha, 1) == data


def test_missing_page_and_document(stored: tuple[PageRenderer, str]) -> None:
    renderer, sha = stored
    with pytest.raises(DocumentReadError):
        renderer.png(sha, 2)
    with pytest.raises(DocumentReadError):
        renderer.png("0" * 64, 1)


def test_bad_names_are_refused(stored: tuple[PageRenderer, str]) -> None:
    renderer, _sha = stored
    with pytest.raises(ValueError):
        renderer.cache_path("../../etc/passwd", 1)
    with pytest.raises(ValueError):
        renderer.cache_path("a" * 64, 0)


def test_size_is_capped(tmp_path: Path) -> None:
    sha = BlobStore(tmp_path / "d").put(letter_pdf())
    renderer = PageRenderer(documents_dir=tmp_path / "d", cache_dir=tmp_path / "c", dpi=1200)
    image = Image.open(io.BytesIO(renderer.png(sha, 1)))
    assert max(image.size) <= MAX_SIDE_PX + 1


def test_hostile_page_is_refused_in_the_sandbox_and_not_cached(tmp_path: Path) -> None:
    from config.settings import load_settings
    from tests.parsers import hostile

    sha = BlobStore(tmp_path / "d").put(hostile.big_image((20_000, 20_000)))
    renderer = PageRenderer(
        documents_dir=tmp_path / "d",
        cache_dir=tmp_path / "c",
        dpi=110,
        settings=load_settings(env={}),
    )
    with pytest.raises(DocumentReadError) as caught:
        renderer.png(sha, 1)
    assert caught.value.code == "image_too_large"
    assert not renderer.cache_path(sha, 1).exists()
