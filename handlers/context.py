"""What every handler receives: settings, helpdesk, store, clock, document reader, emitter.

Dependencies are passed explicitly (ARCHITECTURE.md, principle 5): no module globals
that tests must patch.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from config.settings import Settings
from handlers.ports import Clock, Event, Helpdesk
from parsers.model import ParsedDocument

__all__ = ["Context", "DocumentReader"]

# (pdf bytes, file name) -> parsed document; never raises for a bad document
DocumentReader = Callable[[bytes, str], ParsedDocument]


@dataclass
class Context:
    """The world as a handler sees it."""

    settings: Settings
    helpdesk: Helpdesk
    store: Any  # integration.store.Store; typed loosely so pure handlers need no SQLAlchemy
    clock: Clock
    read_document: DocumentReader
    emit: Callable[[Event], None]  # dispatch a follow-up event (e.g. "relocation.approved")
