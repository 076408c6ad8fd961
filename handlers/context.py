"""What every handler receives: settings, helpdesk, stores, clock, document reader, emitter.

Dependencies are passed explicitly: no module globals that tests must patch. The runtime
builds every Context through one factory (``integration.runtime.Runtime.context``); tests
build them directly with fakes.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from config.settings import Settings
from handlers.ports import CaseStore, Clock, Event, Helpdesk
from handlers.scheduling.records import CutoverRepo
from parsers.model import ParsedDocument

__all__ = ["Context", "DocumentReader"]

# (pdf bytes, file name) -> parsed document; never raises for a bad document
DocumentReader = Callable[[bytes, str], ParsedDocument]


@dataclass
class Context:
    """The world as a handler sees it."""

    settings: Settings
    helpdesk: Helpdesk
    store: CaseStore
    clock: Clock
    read_document: DocumentReader
    emit: Callable[[Event], None]  # dispatch a follow-up event (e.g. "relocation.approved")
    cutovers: CutoverRepo | None = None  # the scheduling state; None where no process needs it
