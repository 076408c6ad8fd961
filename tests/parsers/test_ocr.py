"""OCR: boxes to PDF points (fast), and scanned letters read end to end (marked ocr)."""

from __future__ import annotations

import socket
from collections.abc import Iterator

import pytest

from config.settings import Settings, load_settings
from parsers import ocr
from parsers.document import read_document_inprocess
from parsers.model import Role, Source
from tests.parsers.pdfs import Letter, build, scanned

BODY = [
    "Sehr geehrte Damen und Herren,",
    "",
    "hiermit bestätigen wir, dass folgende Rufnummern an die Beta Net GmbH übergeben werden:",
    "- 030 12345678",
    "- 0221 4711-10 bis -15",
    "",
    "Ausgenommen ist die Rufnummer 030 7654321, sie verbleibt bei uns.",
]


class TestWordsFromBoxes:
    def test_box_is_split_into_words_in_points(self) -> None:
        """A 300 dpi box becomes words in points, apportioned by character position."""
        scale = 300 / 72
        quad = [
            [100 * scale, 200 * scale],
            [210 * scale, 200 * scale],
            [210 * scale, 212 * scale],
            [100 * scale, 212 * scale],
        ]
        words = ocr.words_from_boxes([quad], ["Tel. 030 1234567"], scale=scale)
        assert [w.text for w in words] == ["Tel.", "030", "1234567"]
        assert words[0].x0 == pytest.approx(100)
        assert words[-1].x1 == pytest.approx(210)
        assert all(w.top == pytest.approx(200) and w.bottom == pytest.approx(212) for w in words)
        assert words[0].x1 <= words[1].x0 <= words[2].x0

    def test_tilted_box_gives_words_their_own_height(self) -> None:
        """Words of a tilted line are cut from the quad, not from the line's envelope."""
        quad = [[0, 0], [400, 20], [400, 32], [0, 12]]  # 400 pt long, rising 20 pt
        words = ocr.words_from_boxes([quad], ["aaaa bbbb"], scale=1.0)
        assert words[0].bottom - words[0].top < 25
        assert words[0].top < words[1].top

    @pytest.mark.parametrize(
        ("raw", "fixed"),
        [
            ("1.0049 761 615016", "1. 0049 761 615016"),
            ("Rufnummernblock0941 3913-00", "Rufnummernblock 0941 3913-00"),
            ("07531 322-0bis -9", "07531 322-0 bis -9"),
            ("0221 4711-10 bis-15", "0221 4711-10 bis -15"),
        ],
    )
    def test_glued_markers_and_words_are_separated(self, raw: str, fixed: str) -> None:
        words = ocr.words_from_boxes([[[0, 0], [300, 0], [300, 10], [0, 10]]], [raw], scale=1.0)
        assert " ".join(w.text for w in words) == fixed

    def test_low_scores_are_dropped(self) -> None:
        quad = [[0, 0], [10, 0], [10, 10], [0, 10]]
        words = ocr.words_from_boxes(
            [quad, quad], ["gut", "rauschen"], scale=1.0, scores=[0.9, 0.2], min_score=0.5
        )
        assert [w.text for w in words] == ["gut"]


@pytest.fixture(scope="module")
def settings() -> Settings:
    return load_settings(env={}, overrides={"ocr": {"dpi": 200}})


@pytest.fixture
def no_network(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    def refuse(*_a: object, **_k: object) -> None:
        raise AssertionError("OCR tried to reach the network")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    yield


@pytest.mark.ocr
class TestScannedLetters:
    def test_engine_loads_offline(self, no_network: None, monkeypatch: pytest.MonkeyPatch) -> None:
        """The models ship in the wheel: creating the engine needs no network."""
        monkeypatch.setattr(ocr, "_ENGINE", None)
        assert ocr.engine() is not None

    def test_scan_is_read_with_roles_and_marked_ocr(self, settings: Settings) -> None:
        doc = read_document_inprocess(
            scanned(build(Letter(body=BODY)), dpi=200), filename="s.pdf", settings=settings
        )
        assert doc.error is None
        assert doc.ocr_pages == (1,)
        assert all(n.source is Source.OCR for n in doc.numbers)
        got = {str(n.range): n.role for n in doc.numbers}
        assert got["+493012345678"] is Role.TRANSFER
        assert got["+49221471110..+49221471115"] is Role.TRANSFER
        assert got["+49307654321"] is Role.EXCLUDED
        assert got["+49302223334"] is Role.CONTACT  # letterhead
        assert got["+498003334445"] is Role.CONTACT  # footer hotline
        for n in doc.numbers:  # boxes are in points on the page
            assert n.bbox is not None
            assert 0 <= n.bbox[0] < n.bbox[2] <= doc.page_sizes[0][0]
        assert doc.signature.present and doc.signature.kind == "ink"
        assert doc.signature.signatory == "Dr. Katrin Albers"

    def test_tilted_noisy_scan(self, settings: Settings) -> None:
        """A slightly rotated scan with dust still gives the list its handover role."""
        pdf = scanned(build(Letter(body=BODY)), dpi=200, tilt=0.6, noise=0.003)
        doc = read_document_inprocess(pdf, filename="t.pdf", settings=settings)
        got = {str(n.range): n.role for n in doc.numbers}
        assert got["+493012345678"] is Role.TRANSFER
        assert got["+49307654321"] is Role.EXCLUDED
        assert not any(
            n.role is Role.TRANSFER
            for n in doc.numbers
            if n.range.first in ("+49302223334", "+498003334445")
        )
        assert doc.signature.present

    def test_unsigned_scan_has_no_signature(self, settings: Settings) -> None:
        pdf = scanned(build(Letter(body=BODY[:4], signed="line-only")), dpi=200)
        doc = read_document_inprocess(pdf, filename="u.pdf", settings=settings)
        assert doc.error is None
        assert not doc.signature.present

    def test_ocr_disabled_leaves_scan_unread(self) -> None:
        off = load_settings(env={}, overrides={"ocr": {"enabled": False}})
        doc = read_document_inprocess(
            scanned(build(Letter(body=BODY[:4])), dpi=100), filename="s.pdf", settings=off
        )
        assert doc.ocr_pages == ()
        assert doc.numbers == ()
