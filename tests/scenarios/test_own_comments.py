"""partnerdesk's own public reply must not start a second run (issue: re-triggering).

Zendesk's trigger condition "Current user is not <the API user>" keeps the reply from
calling the webhook at all; should an event still arrive (a trigger set up without it,
or an event subscription, which has no conditions), the service recognises the API
user as the author and stores the delivery as ``ignored``: no write, no download.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from huey import MemoryHuey

from tests.integration.conftest import _sqlite_store, make_settings
from tests.scenarios import conftest
from tests.scenarios.conftest import TICKET, Service
from tests.scenarios.letters import confirmation_pdf

API_USER = 9_900_001


@pytest.fixture
def own(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Service]:
    def settings_with_api_user(path: Path, **sections: dict[str, Any]) -> Any:
        return make_settings(path, zendesk={"api_user_id": API_USER}, **sections)

    monkeypatch.setattr(conftest, "make_settings", settings_with_api_user)
    stores = _sqlite_store(tmp_path)
    huey = MemoryHuey(f"pd-own-{uuid.uuid4().hex[:8]}")
    s = Service(tmp_path, next(stores), huey)
    s.comments["comments"][0]["attachments"] = []
    try:
        yield s
    finally:
        s.close()
        next(stores, None)


def _reads(service: Service) -> tuple[int, int]:
    """(comment list reads, attachment downloads) Zendesk saw so far."""
    urls = [str(c.request.url) for c in service.api.calls]
    return (
        sum("/comments.json" in u for u in urls),
        sum("/attachments/" in u for u in urls),
    )


def test_the_reply_s_own_comment_event_writes_and_fetches_nothing(own: Service) -> None:
    own.attach(1, "Freigabe.pdf", confirmation_pdf(["030 1234567"]))
    created = {"ticket_id": str(TICKET), "event": "ticket.created"}
    assert own.post(created, invocation="inv-created").status_code == 202
    own.run_queue()
    writes = len(own.sent)
    assert writes >= 1
    reads = _reads(own)
    assert reads[1] == 1  # the letter was downloaded once

    # the trigger body of the set-up guide names who caused the update
    echo = {
        "ticket_id": str(TICKET),
        "event": "ticket.comment_added",
        "current_user_id": str(API_USER),
    }
    answer = own.post(echo, invocation="inv-echo")
    assert answer.status_code == 202 and answer.json()["status"] == "ignored"
    # the same through an event subscription: the comment's author is the API user
    envelope = {
        "type": "zen:event-type:ticket.comment_added",
        "id": "evt-1",
        "subject": f"zen:ticket:{TICKET}",
        "detail": {"id": str(TICKET)},
        "event": {"comment": {"id": 90001, "is_public": True, "author": {"id": API_USER}}},
    }
    assert own.post(envelope, invocation="inv-envelope").json()["status"] == "ignored"
    own.run_queue()
    assert len(own.sent) == writes  # no second write
    assert _reads(own) == reads  # no second fetch of comments or documents


def test_a_partner_comment_still_runs(own: Service) -> None:
    own.attach(1, "Freigabe.pdf", confirmation_pdf(["030 1234567"]))
    partner = {"ticket_id": str(TICKET), "event": "ticket.comment_added", "current_user_id": "42"}
    assert own.post(partner, invocation="inv-partner").json()["status"] == "queued"
