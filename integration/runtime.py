"""The composition root: the processes, and what queue tasks, web routes, the sidebar API and
the CLI share (settings, stores, helpdesk factory, clock, reader), with the one factory that
builds a handler's :class:`~handlers.context.Context`.

Adding a process: write its package under ``handlers/`` with a ``process`` declaration and
add it to :func:`compose_processes` below (see ``docs/architecture.md``).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime

from config.settings import Settings
from handlers.context import Context, DocumentReader
from handlers.ports import Clock, Event, Helpdesk
from handlers.product_change import router as product_change
from handlers.relocation import router as relocation
from handlers.router import Process, ProcessRouter, Router
from handlers.scheduling import router as scheduling
from handlers.scheduling.records import CutoverRepo
from integration.store import Store
from integration.store.scheduling import SchedulingRepo

__all__ = ["Runtime", "build_runtime", "compose_processes", "utc_now"]


def utc_now() -> datetime:
    return datetime.now(UTC)


def compose_processes() -> ProcessRouter:
    """Every business process partnerdesk runs, in the order their handlers see an event."""
    return ProcessRouter(
        relocation.process,
        scheduling.process,
        product_change.process,
    )


def _default_reader(settings: Settings) -> DocumentReader:
    def read(data: bytes, file_name: str) -> object:
        from parsers.document import read_document

        return read_document(data, filename=file_name, settings=settings)

    return read  # type: ignore[return-value]


def _default_helpdesk(settings: Settings) -> Callable[[], Helpdesk]:
    def factory() -> Helpdesk:
        from integration.zendesk import ZendeskHelpdesk

        return ZendeskHelpdesk(settings)

    return factory


def _as_processes(router: ProcessRouter | Router | None) -> ProcessRouter:
    """The given processes; a bare Router (a test's scripted one) runs as one unmarked process."""
    if router is None:
        return compose_processes()
    if isinstance(router, Router):
        return ProcessRouter(
            Process(name="custom", router=router, review_tag=lambda s: s.relocation.tag_review)
        )
    return router


def _no_follow_ups(_event: Event) -> None:
    """The emitter of contexts that start no follow-up work (link pages, periodic tasks)."""


@dataclass
class Runtime:
    """The dependencies of every task and request, built once per process."""

    settings: Settings
    store: Store
    helpdesk_factory: Callable[[], Helpdesk]
    clock: Clock
    read_document: DocumentReader
    router: ProcessRouter
    cutovers: CutoverRepo = field(init=False)

    def __post_init__(self) -> None:
        self.router = _as_processes(self.router)  # tests may hand in a bare Router
        self.cutovers = SchedulingRepo(self.store)

    def context(
        self,
        *,
        emit: Callable[[Event], None] = _no_follow_ups,
        helpdesk: Helpdesk | None = None,
        store: Store | None = None,
    ) -> Context:
        """The one way a handler's Context is built (queue tasks, web, sidebar API, CLI)."""
        chosen = store or self.store
        return Context(
            settings=self.settings,
            helpdesk=helpdesk if helpdesk is not None else self.helpdesk_factory(),
            store=chosen,
            clock=self.clock,
            read_document=self.read_document,
            emit=emit,
            cutovers=self.cutovers if store is None else SchedulingRepo(chosen),
        )


def build_runtime(
    settings: Settings,
    *,
    store: Store | None = None,
    helpdesk_factory: Callable[[], Helpdesk] | None = None,
    clock: Clock | None = None,
    read_document: DocumentReader | None = None,
    router: ProcessRouter | Router | None = None,
) -> Runtime:
    """A Runtime with production defaults for everything not given."""
    return Runtime(
        settings=settings,
        store=store or Store.from_settings(settings),
        helpdesk_factory=helpdesk_factory or _default_helpdesk(settings),
        clock=clock or utc_now,
        read_document=read_document or _default_reader(settings),
        router=_as_processes(router),
    )
