"""From the sidebar's "propose" to a booked cutover through both partners' slot pages."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from integration.store.scheduling import SchedulingRepo
from tests.browser.conftest import LiveServer
from tests.browser.test_sidebar import SIDEBAR, open_sidebar
from tests.browser.test_widths import decided_without_review
from tests.integration.app_case import TICKET, AppCase, build

pytestmark = pytest.mark.browser

SOURCE_FIELD = 360001
CUTOVER_FIELD = 360002
LINK = re.compile(r"/slots/[A-Za-z0-9._-]+")


@pytest.fixture
def served(tmp_path: Path) -> Iterator[tuple[AppCase, LiveServer]]:
    case = build(
        tmp_path,
        extra={
            "scheduling": {
                "link_secret": "slot-link-secret-for-browser-tests-0123456789",
                "cutover_field_id": CUTOVER_FIELD,
            },
            "relocation": {"source_partner_field_id": SOURCE_FIELD, "public_reply": False},
            "partners": [
                {"id": "alpha", "name": "Alpha Telecom GmbH", "contact_email": "noc@alpha.invalid"}
            ],
        },
        ticket_fields={SOURCE_FIELD: "alpha"},
    )
    with LiveServer(case.app) as server:
        yield case, server


def _link(comment: str | None) -> str:
    assert comment is not None
    match = LINK.search(comment)
    assert match, "the proposal carries the partner's personal link"
    return match.group(0)


def _pick_first_slot(browser: Any, server: LiveServer, path: str, shot: Path) -> str:
    page = browser.new_page(viewport={"width": 720, "height": 900})
    page.set_default_timeout(10_000)
    page.route("https://**/*", lambda route: route.abort())
    page.goto(server.url + path)
    boxes = page.locator("input[name='choice']")
    assert boxes.count() >= 1
    label = page.locator("fieldset label").first.inner_text()
    boxes.first.check()
    page.screenshot(path=str(shot), full_page=True)
    page.click("button[value='accept']")
    page.wait_for_load_state()
    text = str(page.inner_text("main"))
    page.close()
    assert label
    return text


def test_propose_and_accept_a_slot(
    browser: Any, served: tuple[AppCase, LiveServer], artifacts: Path
) -> None:
    """An agent proposes slots in the sidebar; both partners accept slot 1 on their pages;
    the sidebar then shows the booking, who accepted, and the linked ticket."""
    case, server = served
    decided_without_review(case)
    sidebar = open_sidebar(browser, server)
    sidebar.click("#propose")
    sidebar.wait_for_selector("#slots tr")
    slots = sidebar.locator("#slots tr")
    assert slots.count() == case.settings.scheduling.slot_count
    assert "#9001" in sidebar.inner_text("#scheduling")  # the source partner's new ticket
    sidebar.screenshot(path=str(artifacts / "sidebar_scheduling.png"), full_page=True)

    target_link = _link(
        next(u.comment for u in case.helpdesk.updates if u.ticket_id == TICKET and u.public)
    )
    source_link = _link(case.helpdesk.created[0].comment)
    # the source partner's ticket names nothing of the target partner's ticket
    assert str(TICKET) not in case.helpdesk.created[0].comment

    # a GET never records anything
    assert "Auswahl ist gespeichert" not in _get(browser, server, target_link)

    done_b = _pick_first_slot(browser, server, target_link, artifacts / "slots_page.png")
    assert "gebucht" not in done_b.lower()
    done_a = _pick_first_slot(browser, server, source_link, artifacts / "slots_page_source.png")
    assert "gebucht" in done_a.lower() or "bestätigt" in done_a.lower()

    page = browser.new_page(viewport={"width": 720, "height": 900})
    page.route("https://**/*", lambda route: route.abort())
    page.goto(server.url + target_link)
    assert "Der Umzug ist gebucht" in page.inner_text("main")
    page.screenshot(path=str(artifacts / "slots_booked.png"), full_page=True)
    page.close()

    sidebar.reload()
    sidebar.wait_for_selector("#booked")
    first = sidebar.locator("#slots tr").first.inner_text()
    assert "abgebend ✓" in first and "aufnehmend ✓" in first
    sidebar.set_viewport_size(SIDEBAR)
    sidebar.screenshot(path=str(artifacts / "sidebar_booked.png"), full_page=True)


def _get(browser: Any, server: LiveServer, path: str) -> str:
    page = browser.new_page()
    page.route("https://**/*", lambda route: route.abort())
    page.goto(server.url + path)
    text = str(page.inner_text("main"))
    page.close()
    return text


def test_set_cutover_by_hand(
    browser: Any, served: tuple[AppCase, LiveServer], artifacts: Path
) -> None:
    """An agent types a date into the sidebar; the field-change handler books it."""
    case, server = served
    decided_without_review(case)
    sidebar = open_sidebar(browser, server)
    sidebar.click("#propose")
    sidebar.wait_for_selector("#slots tr")

    def keep_field(update: Any) -> None:
        # Zendesk keeps the field value; the fake must too, so the handler reads it back
        if update.ticket_id == TICKET and update.custom_fields:
            ticket = case.helpdesk.tickets[TICKET]
            case.helpdesk.tickets[TICKET] = replace(
                ticket, custom_fields={**ticket.custom_fields, **update.custom_fields}
            )

    case.helpdesk.on_update = keep_field
    sidebar.click("#set-cutover")
    assert sidebar.inner_text("#scheduling-message") == "Bitte zuerst Datum und Uhrzeit wählen."
    cutover = SchedulingRepo(case.store).by_ticket(TICKET)
    assert cutover is not None
    first = SchedulingRepo(case.store).proposals(cutover.id, cutover.round)[0]
    local = first.start.astimezone(ZoneInfo("Europe/Berlin"))
    # a German text field: an impossible date is refused in the app, nothing is sent
    sidebar.fill("#cutover-at", local.strftime("31.02.%Y %H:%M"))
    sidebar.click("#set-cutover")
    assert "TT.MM.JJJJ HH:MM" in sidebar.inner_text("#scheduling-message")
    assert cutover.state != "booked"
    sidebar.fill("#cutover-at", local.strftime("%d.%m.%Y %H:%M"))
    sidebar.click("#set-cutover")
    sidebar.wait_for_selector("#booked")
    assert local.strftime("%d.%m.%Y") in sidebar.inner_text("#booked")
    assert sidebar.inner_text("#flash") == "Termin gesetzt."
    sidebar.screenshot(path=str(artifacts / "sidebar_cutover_set.png"), full_page=True)
