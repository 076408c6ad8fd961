"""Imported only by the parsing sandbox's forkserver: load the reader once, warm it up.

Every document child is a fork of that server, so imports and lazily built tables
(phonenumbers region metadata) are paid once, not per document.
"""

from __future__ import annotations

import parsers.document
import parsers.sandbox
from parsers import numbers

__all__: list[str] = []

_ = (parsers.document, parsers.sandbox)
numbers.find_numbers("Tel. 030 12345678, 0221 4711-10 bis -15, +49 171 2345678")
