"""A tiny event router, one per business process, composed by the app (after gidgethub)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from typing import Any

from handlers.ports import Event

__all__ = ["Handler", "Router"]

Handler = Callable[[Event, Any], None]


class Router:
    """Maps event kinds to handler functions; routers can be composed."""

    def __init__(self, *others: Router) -> None:
        self._handlers: dict[str, list[Handler]] = defaultdict(list)
        for other in others:
            for kind, handlers in other._handlers.items():
                self._handlers[kind].extend(handlers)

    def register(self, *kinds: str) -> Callable[[Handler], Handler]:
        """Decorator: call the function for every event of the given kinds."""

        def decorate(func: Handler) -> Handler:
            for kind in kinds:
                self._handlers[kind].append(func)
            return func

        return decorate

    def handlers_for(self, kind: str) -> list[Handler]:
        return list(self._handlers.get(kind, ()))

    def kinds(self) -> set[str]:
        return set(self._handlers)

    def dispatch(self, event: Event, context: Any) -> int:
        """Call every handler for ``event.kind``; returns how many ran."""
        handlers = self.handlers_for(event.kind)
        for handler in handlers:
            handler(event, context)
        return len(handlers)
