"""Imported once by the parsing zygote (``parsers._zygote``): load the reader, warm it up.

Every document child is a fork of the zygote, so imports and lazily built tables
(phonenumbers region metadata) are paid once, not per document. RapidOCR is not loaded
here: its engine starts threads, which do not survive a fork; a child loads it on first
use.
"""

from __future__ import annotations

import numpy
import pdfplumber
import pypdfium2
from PIL import Image, PngImagePlugin

import parsers.document
import parsers.limits
import parsers.ocr
import parsers.render
from parsers import numbers

__all__: list[str] = []

_ = (numpy, pdfplumber, pypdfium2, Image, PngImagePlugin, parsers.document, parsers.limits)
__ = (parsers.ocr, parsers.render)
numbers.find_numbers("Tel. 030 12345678, 0221 4711-10 bis -15, +49 171 2345678")
