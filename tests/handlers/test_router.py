"""The event router: registration, composition, dispatch."""

from __future__ import annotations

from typing import Any

from handlers.ports import Event
from handlers.router import Router


class TestRouter:
    def test_dispatch_calls_registered_handlers_in_order(self) -> None:
        r = Router()
        seen: list[str] = []

        @r.register("ticket.created", "trigger")
        def first(event: Event, ctx: Any) -> None:
            seen.append(f"first:{event.kind}:{ctx}")

        @r.register("ticket.created")
        def second(event: Event, ctx: Any) -> None:
            seen.append("second")

        assert r.dispatch(Event(kind="ticket.created", ticket_id=1), "ctx") == 2
        assert seen == ["first:ticket.created:ctx", "second"]
        assert r.dispatch(Event(kind="unknown", ticket_id=1), None) == 0

    def test_composition_keeps_every_router(self) -> None:
        a, b = Router(), Router()
        a.register("x")(lambda e, c: None)
        b.register("x", "y")(lambda e, c: None)
        both = Router(a, b)
        assert len(both.handlers_for("x")) == 2
        assert both.kinds() == {"x", "y"}
