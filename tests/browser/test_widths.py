"""The sidebar at Zendesk's widths: one column, nothing off-screen, in German and English.

Also writes the README's screenshots (docs/screenshots/, small palette PNGs): the sidebar
at 320 px in German and English, and the partner link page at phone width.
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PIL import Image

from handlers.relocation.decision import decide
from parsers.model import NumberRange
from tests.browser.conftest import LiveServer
from tests.browser.test_sidebar import open_sidebar
from tests.integration.app_case import TICKET, AppCase, build

pytestmark = pytest.mark.browser

SCREENSHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"
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


def save_small(png: bytes, path: Path, *, max_height: int = 1400) -> None:
    """A palette PNG (a few dozen KB) cut to ``max_height`` px, for the repository."""
    image = Image.open(io.BytesIO(png)).convert("RGB")
    if image.height > max_height:
        image = image.crop((0, 0, image.width, max_height))
    path.parent.mkdir(parents=True, exist_ok=True)
    image.quantize(colors=64, method=Image.Quantize.MEDIANCUT).save(path, optimize=True)


def decided_without_review(case: AppCase) -> None:
    """Store a verdict without review for the case (only the number the letter clearly hands
    over is requested), so slots can be proposed in tests about scheduling pages."""
    only = [NumberRange.single("+49301234567")]
    stored = case.store.upsert_case(
        TICKET, "relocation", requested=[r.as_dict() for r in only], invalid=[], now=case.now[0]
    )
    decision = decide(only, [case.document])
    assert not decision.needs_review
    case.store.save_decision(
        stored.id,
        decision=decision.as_dict(),
        fingerprint="seed-2",
        state="approved",
        now=case.now[0],
    )


def overflow(page: Any) -> dict[str, Any]:
    return dict(
        page.evaluate(
            """() => {
              const doc = document.scrollingElement;
              const width = doc.clientWidth;
              const wide = Array.from(document.querySelectorAll('#app *'))
                .filter(e => e.getBoundingClientRect().right > width + 0.5
                          && !e.closest('.page-scroll'))
                .map(e => e.tagName + '.' + e.className);
              return {scroll: doc.scrollWidth, client: width, wide: wide};
            }"""
        )
    )


@pytest.mark.parametrize(
    ("locale", "approve", "reject"),
    [("de", "Freigeben", "Ablehnen"), ("en-US", "Approve", "Reject")],
)
@pytest.mark.parametrize("width", [300, 320, 380])
def test_one_column_without_horizontal_scroll(
    browser: Any,
    served: tuple[AppCase, LiveServer],
    locale: str,
    approve: str,
    reject: str,
    width: int,
) -> None:
    _case, server = served
    page = open_sidebar(browser, server, locale=locale, width=width)
    assert page.get_attribute("#app", "data-ready") == "true"
    # the title names the case's process as the backend reports it
    title = "Umzugsauftrag" if locale == "de" else "Relocation order"
    assert page.inner_text("#case strong") == title
    # the scheduling section with its slot table, or the refusal in its place
    page.click("#propose")
    page.wait_for_function(
        "document.querySelector('#slots tr') || document.querySelector('#scheduling-message')"
        ".textContent.length > 0"
    )
    found = overflow(page)
    assert found["scroll"] <= found["client"], found
    assert found["wide"] == [], found
    buttons = page.locator("#app button")
    assert buttons.count() >= 5
    for i in range(buttons.count()):
        box = buttons.nth(i).bounding_box()
        assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= width, (
            buttons.nth(i).inner_text(),
            box,
        )
    # actions only where they change something: an approved number offers no approval
    approved = page.locator("#numbers li[data-decision='approved']")
    assert approved.count() >= 1
    assert approved.first.locator("button[data-action='approve']").count() == 0
    assert approved.first.locator("button[data-action='reject']").inner_text() == reject
    rejected = page.locator("#numbers li[data-decision='rejected']").first
    assert rejected.locator("button[data-action='approve']").inner_text() == approve
    assert rejected.locator("button[data-action='reject']").count() == 0
    # reasons wrap inside the column instead of being cut
    for reason in page.locator("#numbers .reason").all():
        box = reason.bounding_box()
        assert box is not None and box["x"] + box["width"] <= width
        assert reason.evaluate("r => r.scrollWidth <= r.clientWidth")
    # the date is typed as German text, not picked in the browser's locale widget
    assert page.get_attribute("#cutover-at", "type") == "text"


def test_screenshots_at_320_px(browser: Any, served: tuple[AppCase, LiveServer]) -> None:
    _case, server = served
    for locale, name in (("de", "sidebar-320-de.png"), ("en-US", "sidebar-320-en.png")):
        page = open_sidebar(browser, server, locale=locale, width=320)
        page.wait_for_function(
            "Array.from(document.images).every(i => i.complete && i.naturalWidth > 0)"
        )
        assert overflow(page)["scroll"] <= 320
        save_small(page.screenshot(full_page=True), SCREENSHOTS / name)
        page.close()
        assert (SCREENSHOTS / name).stat().st_size < 250_000


def test_partner_link_page_at_phone_width(browser: Any, served: tuple[AppCase, LiveServer]) -> None:
    case, server = served
    decided_without_review(case)
    sidebar = open_sidebar(browser, server)
    sidebar.click("#propose")
    sidebar.wait_for_selector("#slots tr")
    comment = next(u.comment for u in case.helpdesk.updates if u.ticket_id == TICKET and u.public)
    match = LINK.search(comment or "")
    assert match
    phone = browser.new_page(viewport={"width": 375, "height": 812}, device_scale_factor=1)
    phone.route("https://**/*", lambda route: route.abort())
    phone.goto(server.url + match.group(0))
    assert phone.locator("input[name='choice']").count() >= 1
    width = phone.evaluate("document.scrollingElement.scrollWidth")
    assert width <= 375
    save_small(phone.screenshot(full_page=True), SCREENSHOTS / "partner-link-phone.png")


def test_german_with_the_backend_down(browser: Any, served: tuple[AppCase, LiveServer]) -> None:
    """The strings are the app's own: with no backend the agent reads German, and why."""
    _case, server = served
    page = open_sidebar(browser, server, backend="http://127.0.0.1:9")
    assert page.get_attribute("#app", "data-ready") == "error"
    assert page.inner_text("#load-error") == "Der partnerdesk-Dienst ist nicht erreichbar."
    requests = page.evaluate("window.__zafCalls.filter(c => c[0] === 'request').map(c => c[2])")
    assert not any("/app/i18n" in url for url in requests)


def test_german_date_input_is_validated(browser: Any, served: tuple[AppCase, LiveServer]) -> None:
    _case, server = served
    page = open_sidebar(browser, server)
    parse = "v => window.partnerdeskApp.parseGermanDate(v)"
    assert page.evaluate(parse, "03.12.2026 10:00") == "2026-12-03T10:00"
    assert page.evaluate(parse, "3.1.2027 9:30") == "2027-01-03T09:30"
    for bad in ("31.02.2026 10:00", "2026-12-03T10:00", "03.12.2026", "03.12.2026 24:00", ""):
        assert page.evaluate(parse, bad) is None, bad
    assert page.get_attribute("#cutover-at", "placeholder") == "TT.MM.JJJJ HH:MM"
