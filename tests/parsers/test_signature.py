"""Signature presence, kind and printed signatory."""

from __future__ import annotations

import io
import random
from pathlib import Path

import numpy as np
import pytest
from reportlab.pdfgen import canvas

from config.settings import Settings, load_settings
from parsers.document import read_document_inprocess
from parsers.model import ParsedDocument
from parsers.signature import ScanImage, _scan_has_ink, digital_signatures, signatory_from_rows
from tests.fixtures.letters.digital import sign_self_signed
from tests.parsers.pdfs import Letter, build

BODY = ["Hiermit übergeben wir die Rufnummer 030 12345678 an die Beta Net GmbH."]


@pytest.fixture(scope="module")
def settings() -> Settings:
    return load_settings(env={})


def read(pdf: bytes, settings: Settings) -> ParsedDocument:
    return read_document_inprocess(pdf, filename="l.pdf", settings=settings)


class TestInk:
    def test_vector_strokes_above_the_name_are_ink(self, settings: Settings) -> None:
        sig = read(build(Letter(body=BODY, signed="curve")), settings).signature
        assert (sig.present, sig.kind) == (True, "ink")
        assert sig.signatory == "Dr. Katrin Albers"
        assert sig.role == "Geschäftsführerin"
        assert sig.page == 1
        assert sig.bbox is not None

    def test_placed_image_is_image(self, settings: Settings) -> None:
        sig = read(build(Letter(body=BODY, signed="image")), settings).signature
        assert (sig.present, sig.kind) == (True, "image")

    def test_unsigned_letter_with_line_and_name_is_not_signed(self, settings: Settings) -> None:
        """A printed name and an empty signature line are no signature."""
        sig = read(build(Letter(body=BODY, signed="line-only")), settings).signature
        assert not sig.present
        assert sig.kind == "none"
        assert sig.signatory == "Dr. Katrin Albers"

    def test_logo_in_letterhead_is_not_a_signature(self, settings: Settings) -> None:
        """Images in the letterhead are logos, even when the letter is otherwise unsigned."""
        from PIL import Image
        from reportlab.lib.utils import ImageReader

        buf = io.BytesIO()
        c = canvas.Canvas(buf)
        c.drawImage(ImageReader(Image.new("RGB", (80, 40), "black")), 60, 770, width=80, height=40)
        c.drawString(70, 600, BODY[0])
        c.drawString(70, 560, "Mit freundlichen Grüßen")
        c.drawString(70, 500, "Jan Weber")
        c.showPage()
        c.save()
        assert not read(buf.getvalue(), settings).signature.present

    def test_no_closing_but_signature_line_with_strokes(self, settings: Settings) -> None:
        buf = io.BytesIO()
        c = canvas.Canvas(buf)
        c.drawString(70, 600, BODY[0])
        path = c.beginPath()
        path.moveTo(80, 410)
        path.curveTo(100, 440, 130, 380, 170, 420)
        c.drawPath(path)
        c.line(70, 400, 250, 400)
        c.drawString(70, 388, "Unterschrift")
        c.showPage()
        c.save()
        sig = read(buf.getvalue(), settings).signature
        assert (sig.present, sig.kind) == (True, "ink")


def _form(*, ink: bool, box: bool = False, label_below_name: bool = False, name: str = "") -> bytes:
    """A form letter without a closing formula: a footer rule, and either a signature
    box headed by its label or a printed name with "(Unterschrift ...)" below it."""
    buf = io.BytesIO()
    c = canvas.Canvas(buf)
    c.drawString(70, 700, BODY[0])
    c.line(60, 70, 540, 70)  # footer rule across the page
    c.drawString(70, 58, "Alpha Telecom GmbH · Amtsgericht Berlin HRB 1234")
    if box:
        c.rect(70, 420, 220, 90)
        c.drawString(76, 498, "Unterschrift / Firmenstempel")
        c.drawString(320, 498, "Ort, Datum")
        c.drawString(320, 480, "Berlin, 03.02.2026")
        sign_base = 440
    elif name:  # a name block alone: "i. A. Sabine Kurz", "Dr. Jens Hellwig, Rechtsanwalt"
        c.drawString(70, 420, name)
        sign_base = 432
    else:
        c.drawString(70, 420, "Petra König")
        c.drawString(70, 406, "Geschäftsführerin")
        if label_below_name:
            c.drawString(70, 392, "(Unterschrift des abgebenden Partners)")
        sign_base = 432
    if ink:
        path = c.beginPath()
        path.moveTo(80, sign_base + 4)
        path.curveTo(100, sign_base + 40, 130, sign_base - 10, 170, sign_base + 25)
        c.drawPath(path)
    c.showPage()
    c.save()
    return buf.getvalue()


class TestWithoutClosing:
    @pytest.mark.parametrize("label_below_name", [False, True])
    def test_ink_above_the_printed_name(self, settings: Settings, label_below_name: bool) -> None:
        sig = read(_form(ink=True, label_below_name=label_below_name), settings).signature
        assert (sig.present, sig.kind) == (True, "ink")
        assert (sig.signatory, sig.role) == ("Petra König", "Geschäftsführerin")

    def test_ink_inside_a_labelled_box(self, settings: Settings) -> None:
        assert read(_form(ink=True, box=True), settings).signature.kind == "ink"

    @pytest.mark.parametrize("name", ["i. A. Sabine Kurz", "Dr. Jens Hellwig, Rechtsanwalt"])
    def test_ink_above_a_name_signed_on_behalf_or_with_a_profession(
        self, settings: Settings, name: str
    ) -> None:
        sig = read(_form(ink=True, name=name), settings).signature
        assert (sig.present, sig.kind) == (True, "ink")
        assert not read(_form(ink=False, name=name), settings).signature.present

    @pytest.mark.parametrize("box", [False, True])
    def test_no_ink_is_no_signature(self, settings: Settings, box: bool) -> None:
        """An empty box, a printed name and a footer rule are not a signature."""
        assert not read(_form(ink=False, box=box), settings).signature.present


class TestSignatory:
    @pytest.mark.parametrize(
        ("rows", "name", "role"),
        [
            (["Dr. Katrin Albers", "Geschäftsführerin"], "Dr. Katrin Albers", "Geschäftsführerin"),
            (["i.V. Jonas Becker", "Leiter Vertrieb"], "Jonas Becker", "i.V. Leiter Vertrieb"),
            (["Sabine Krüger, Prokuristin"], "Sabine Krüger", "Prokuristin"),
            (["Dr. Jens Hellwig, Rechtsanwalt"], "Dr. Jens Hellwig", "Rechtsanwalt"),
            (
                ["(Unterschrift)", "Thomas Schmidt-Lange", "Inhaber"],
                "Thomas Schmidt-Lange",
                "Inhaber",
            ),
            (["Alpha Telecom GmbH"], None, None),
            (["Dr.Uwe Schulte, Vorstand"], "Dr. Uwe Schulte", "Vorstand"),  # OCR glue
            (["Geschaftsfuhrer"], None, "Geschaftsfuhrer"),  # OCR lost the umlauts
        ],
    )
    def test_rows(self, rows: list[str], name: str | None, role: str | None) -> None:
        assert signatory_from_rows(rows) == (name, role)


class TestScanInk:
    def _scan(self, draw: str) -> ScanImage:
        from PIL import Image, ImageDraw

        img = Image.new("L", (600, 200), 255)
        d = ImageDraw.Draw(img)
        if "line" in draw:
            d.line([(20, 150), (500, 150)], fill=0, width=2)
        if "scribble" in draw:
            d.line(
                [(40, 140), (80, 60), (120, 130), (170, 70), (220, 120), (260, 80)], fill=0, width=3
            )
        if "dust" in draw:
            rng = random.Random(3)
            for _ in range(600):
                img.putpixel((rng.randrange(600), rng.randrange(200)), 0)
        return ScanImage(pixels=np.asarray(img), scale=2.0)

    @pytest.mark.parametrize(
        ("draw", "ink"),
        [
            ("", False),
            ("line", False),
            ("line dust", False),
            ("scribble", True),
            ("line scribble dust", True),
        ],
    )
    def test_strokes_count_lines_and_dust_do_not(self, draw: str, ink: bool) -> None:
        """Only stroke-like dark areas are ink; a printed rule and specks are not."""
        assert _scan_has_ink(self._scan(draw), (0, 0, 300, 100)) is ink

    def test_empty_box_typed_gez_and_shadow_are_not_ink(self) -> None:
        """A drawn box left empty, a typed "gez. Name" that OCR did not blank, and a
        scanner-lid shadow along the page edge are no handwriting."""
        from PIL import Image, ImageDraw, ImageFont

        img = Image.new("L", (600, 200), 245)
        d = ImageDraw.Draw(img)
        d.rectangle([40, 30, 400, 170], outline=20, width=3)
        d.text((60, 80), "gez. Petra König", fill=20, font=ImageFont.load_default(size=20))
        for i in range(14):  # dark to light, along the left edge
            d.line([(i, 0), (i, 199)], fill=60 + 12 * i)
        scan = ScanImage(pixels=np.asarray(img), scale=2.0)
        assert not _scan_has_ink(scan, (0, 0, 300, 100))
        d.line([(80, 150), (130, 50), (170, 140), (230, 60), (300, 130)], fill=20, width=3)
        assert _scan_has_ink(ScanImage(pixels=np.asarray(img), scale=2.0), (0, 0, 300, 100))

    def test_ocr_reading_of_a_scribble_is_not_blanked_as_print(self) -> None:
        """OCR reads a signature as a word ("Negeleee"); its box is far taller than print."""
        from parsers.layout import Line, PageLayout, Word
        from parsers.model import Source
        from parsers.signature import _printed_boxes

        words = [Word(t, 70 + 60 * i, 100, 120 + 60 * i, 111) for i, t in enumerate(["Mit", "freundlichen", "Grüßen", "Küstenfunk"])]  # fmt: skip
        scribble = Word("Negeleee", 70, 130, 160, 172)
        page = PageLayout(1, 595, 842, Source.OCR, rows=[[Line.of(words)], [Line.of([scribble])]])
        boxes = _printed_boxes(page)
        assert scribble.bbox not in boxes and words[1].bbox in boxes

    def test_printed_words_are_blanked(self) -> None:
        scan = self._scan("scribble")
        assert not _scan_has_ink(scan, (0, 0, 300, 100), text_boxes=[(15, 25, 135, 75)])


class TestDigital:
    def test_unsigned_pdf_has_no_digital_signatures(self) -> None:
        assert digital_signatures(build(Letter(body=BODY))) == ()

    def test_self_signed_signature_is_intact_and_unvalidated_without_roots(
        self, tmp_path: object
    ) -> None:
        """pyHanko reports an embedded signature: intact, valid/trusted None without roots."""
        pytest.importorskip("cryptography")
        pdf = _signed_pdf(build(Letter(body=BODY)))
        sigs = digital_signatures(pdf)
        assert len(sigs) == 1
        assert sigs[0].intact
        assert sigs[0].valid is None and sigs[0].trusted is None
        assert sigs[0].signer is not None and "Alpha" in sigs[0].signer

    def test_configured_trust_root_validates_the_signer(self, tmp_path: Path) -> None:
        """With the signer's certificate as trust root the signature is valid and trusted."""
        pytest.importorskip("cryptography")
        pdf, cert_pem = _signed_pdf_and_cert(build(Letter(body=BODY)))
        root = tmp_path / "root.pem"
        root.write_bytes(cert_pem)
        sigs = digital_signatures(pdf, trust_roots=[root])
        assert [(s.intact, s.valid, s.trusted) for s in sigs] == [(True, True, True)]

    def test_foreign_trust_root_does_not_trust_the_signer(self, tmp_path: Path) -> None:
        pytest.importorskip("cryptography")
        pdf, _ = _signed_pdf_and_cert(build(Letter(body=BODY)))
        _, other_pem = _signed_pdf_and_cert(build(Letter(body=BODY)))
        root = tmp_path / "other.pem"
        root.write_bytes(other_pem)
        sigs = digital_signatures(pdf, trust_roots=[root])
        assert len(sigs) == 1 and sigs[0].intact and sigs[0].trusted is False

    def test_digital_only_letter_counts_as_signed(self) -> None:
        """A letter without ink but with an intact embedded signature is signed digitally."""
        pytest.importorskip("cryptography")
        pdf = _signed_pdf(build(Letter(body=BODY, signed=None)))
        doc = read_document_inprocess(pdf, filename="d.pdf", settings=load_settings(env={}))
        assert (doc.signature.present, doc.signature.kind) == (True, "digital")
        assert len(doc.signature.digital) == 1

    def test_tampered_signed_pdf_is_not_intact(self) -> None:
        pytest.importorskip("cryptography")
        pdf = bytearray(_signed_pdf(build(Letter(body=BODY))))
        pos = pdf.find(b"Helvetica")
        pdf[pos : pos + 9] = b"Helvetixa"
        sigs = digital_signatures(bytes(pdf))
        assert sigs and not sigs[0].intact


def _signed_pdf(pdf: bytes) -> bytes:
    return _signed_pdf_and_cert(pdf)[0]


def _signed_pdf_and_cert(pdf: bytes) -> tuple[bytes, bytes]:
    """Sign ``pdf`` with a fresh self-signed certificate (pyHanko); also its PEM."""
    return sign_self_signed(pdf)
