"""What queue tasks and the web app share: settings, store, helpdesk factory, clock, reader, routers."""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime

from config.settings import Settings
from handlers.context import DocumentReader
from handlers.ports import Clock, Helpdesk
from handlers.router import Router
from integration.store import Store

__all__ = ["ROUTER_MODULES", "Runtime", "build_runtime", "compose_router", "utc_now"]

# One router per business process (contract 6); a module not written yet is skipped.
ROUTER_MODULES = (
    "handlers.relocation.router",
    "handlers.scheduling.router",
    "handlers.product_change.router",
)


def utc_now() -> datetime:
    return datetime.now(UTC)


def compose_router(modules: tuple[str, ...] = ROUTER_MODULES) -> Router:
    """All process routers composed into one."""
    routers: list[Router] = []
    for name in modules:
        try:
            module = importlib.import_module(name)
        except ModuleNotFoundError as exc:
            if exc.name != name:  # the module exists but its own import failed: surface it
                raise
            continue
        routers.append(module.router)
    return Router(*routers)


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


@dataclass
class Runtime:
    """The dependencies of every task and request, built once per process."""

    settings: Settings
    store: Store
    helpdesk_factory: Callable[[], Helpdesk]
    clock: Clock
    read_document: DocumentReader
    router: Router


def build_runtime(
    settings: Settings,
    *,
    store: Store | None = None,
    helpdesk_factory: Callable[[], Helpdesk] | None = None,
    clock: Clock | None = None,
    read_document: DocumentReader | None = None,
    router: Router | None = None,
) -> Runtime:
    """A Runtime with production defaults for everything not given."""
    return Runtime(
        settings=settings,
        store=store or Store.from_settings(settings),
        helpdesk_factory=helpdesk_factory or _default_helpdesk(settings),
        clock=clock or utc_now,
        read_document=read_document or _default_reader(settings),
        router=router or compose_router(),
    )
