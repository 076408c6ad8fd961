"""The sidebar app in headless Chromium with a fake ZAF client against the real backend."""

from __future__ import annotations

import io
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PIL import Image

from tests.browser.conftest import LiveServer
from tests.integration.app_case import AGENT, SECRET, TICKET, AppCase, build

pytestmark = pytest.mark.browser

FAKE_ZAF = (Path(__file__).with_name("fake_zaf.js")).read_text(encoding="utf-8")
SDK_URL = "https://static.zdassets.com/zendesk_app_framework_sdk/2.0/zaf_sdk.min.js"
ROLE_RGB = {
    "transfer": "rgb(31, 138, 59)",
    "excluded": "rgb(204, 42, 42)",
    "contact": "rgb(107, 114, 128)",
    "unclear": "rgb(208, 138, 0)",
}
SIDEBAR = {"width": 380, "height": 1200}


def open_sidebar(
    browser: Any,
    server: LiveServer,
    *,
    locale: str = "de",
    ticket_id: int = TICKET,
    secret: str = SECRET,
    width: int = SIDEBAR["width"],
    path: str = "/app/static/iframe.html",
    backend: str | None = None,
) -> Any:
    """A page showing the app as Zendesk would, the SDK replaced by the fake client."""
    page = browser.new_page(viewport={"width": width, "height": SIDEBAR["height"]})
    config = {
        "backendUrl": backend or server.url,
        "sharedSecret": secret,
        "values": {"ticket.id": ticket_id, "currentUser.id": AGENT, "currentUser.locale": locale},
    }
    page.add_init_script(f"window.__ZAF = {json.dumps(config)};")
    page.set_default_timeout(10_000)
    # nothing may leave the machine; the SDK is answered by the fake (later routes win)
    page.route("https://**/*", lambda route: route.abort())
    page.route(SDK_URL, lambda route: route.fulfill(body=FAKE_ZAF, content_type="text/javascript"))
    page.goto(f"{server.url}{path}")
    page.wait_for_selector("#app[data-ready]:not([data-ready='false'])")
    return page


def wait_for_images(page: Any) -> None:
    page.wait_for_function(
        "Array.from(document.images).length > 0 && Array.from(document.images).every(i => i.complete && i.naturalWidth > 0)"
    )


@pytest.fixture
def served(tmp_path: Path) -> Iterator[tuple[AppCase, LiveServer]]:
    case = build(tmp_path)
    with LiveServer(case.app) as server:
        yield case, server


def test_numbers_table(browser: Any, served: tuple[AppCase, LiveServer], artifacts: Path) -> None:
    """Each requested number shows its decision and the reason in German."""
    _case, server = served
    page = open_sidebar(browser, server)
    assert page.get_attribute("#app", "data-ready") == "true"
    rows = page.locator("#numbers li.num-row")
    assert rows.count() == 4
    by_first = {
        rows.nth(i).get_attribute("data-first"): (
            rows.nth(i).get_attribute("data-decision"),
            rows.nth(i).evaluate("r => (r.querySelector('.reason') || {}).textContent || ''"),
        )
        for i in range(4)
    }
    assert by_first == {
        "+49301234567": ("approved", ""),
        "+49301234569": ("rejected", "ausdrücklich ausgenommen"),
        "+49309999999": ("rejected", "in der Bestätigung nicht genannt"),
        "+49307654321": ("rejected", "Übergabe nicht eindeutig"),
    }
    assert "030 1234567" in rows.nth(0).inner_text()
    assert "Dr. Katrin Albers" in page.inner_text(".document .sig")
    page.screenshot(path=str(artifacts / "sidebar_numbers.png"), full_page=True)


def test_page_image_boxes(
    browser: Any, served: tuple[AppCase, LiveServer], artifacts: Path
) -> None:
    """Every recognised number is boxed in its role's colour, exactly over the number."""
    case, server = served
    page = open_sidebar(browser, server)
    wait_for_images(page)
    container = page.locator(".page[data-page='1']")
    container.scroll_into_view_if_needed()
    img = container.locator("img").bounding_box()
    boxes = container.locator(".box")
    expected = {n.range.first: n for n in case.document.numbers}
    assert boxes.count() == len(expected)
    width, height = case.document.page_sizes[0]
    shot = Image.open(io.BytesIO(page.screenshot(full_page=False))).convert("L")
    for i in range(boxes.count()):
        box = boxes.nth(i)
        role = box.get_attribute("data-role")
        outline = box.evaluate("el => getComputedStyle(el).outlineColor")
        assert outline == ROLE_RGB[role]
        rect = box.bounding_box()
        # which number is it? the one whose scaled bbox matches this rectangle
        number = min(
            expected.values(),
            key=lambda n: (
                abs(img["x"] + n.bbox[0] / width * img["width"] - rect["x"])  # type: ignore[index]
                + abs(img["y"] + n.bbox[1] / height * img["height"] - rect["y"])  # type: ignore[index]
            ),
        )
        assert number.role.value == role
        assert_on_number(rect, img, number.bbox, (width, height))  # type: ignore[arg-type]
        # and under the box there is printed text (dark pixels), not blank paper
        if rect["y"] + rect["height"] < SIDEBAR["height"]:
            crop = shot.crop(
                (
                    int(rect["x"]),
                    int(rect["y"]),
                    int(rect["x"] + rect["width"]),
                    int(rect["y"] + rect["height"]),
                )
            )
            assert sum(1 for p in crop.tobytes() if p < 110) > 5, number.range.first
    container.screenshot(path=str(artifacts / "sidebar_page.png"))
    # a click opens the page large in a Zendesk modal: a second instance of the app
    container.click()
    calls = page.evaluate("window.__zafCalls.filter(c => c[0] === 'instances.create')")
    assert len(calls) == 1 and calls[0][1]["location"] == "modal"
    url = calls[0][1]["url"]
    assert url.startswith("assets/iframe.html#modal=")
    modal = open_sidebar(
        browser, server, path="/app/static/iframe.html" + url[url.index("#") :], width=1000
    )
    wait_for_images(modal)
    assert modal.locator(".legend .legend-item").count() == 4  # the boxes' legend
    sheet = modal.locator(".page")
    assert sheet.count() == 1  # only the page that was clicked
    img = sheet.locator("img").bounding_box()
    assert img["width"] > SIDEBAR["width"] * 2
    big = sheet.locator(".box")
    assert big.count() == boxes.count()
    for i in range(big.count()):
        first = [
            n
            for n in case.document.numbers
            if n.role.value == big.nth(i).get_attribute("data-role")
        ]
        rect = big.nth(i).bounding_box()
        assert any(
            _matches(rect, img, n.bbox, (width, height))  # type: ignore[arg-type]
            for n in first
        )
    modal.screenshot(path=str(artifacts / "sidebar_modal.png"))


def _matches(
    rect: dict[str, float],
    img: dict[str, float],
    bbox: tuple[float, ...],
    size: tuple[float, float],
) -> bool:
    try:
        assert_on_number(rect, img, bbox, size)
    except AssertionError:
        return False
    return True


def assert_on_number(
    rect: dict[str, float],
    img: dict[str, float],
    bbox: tuple[float, ...],
    size: tuple[float, float],
) -> None:
    """The box rectangle equals the number's PDF box scaled onto the displayed image (1 px)."""
    x0, top, x1, bottom = bbox
    width, height = size
    assert rect["x"] == pytest.approx(img["x"] + x0 / width * img["width"], abs=1.0)
    assert rect["y"] == pytest.approx(img["y"] + top / height * img["height"], abs=1.0)
    assert rect["width"] == pytest.approx((x1 - x0) / width * img["width"], abs=1.0)
    assert rect["height"] == pytest.approx((bottom - top) / height * img["height"], abs=1.0)


def test_override_needs_reason_and_flag(
    browser: Any, served: tuple[AppCase, LiveServer], artifacts: Path
) -> None:
    """Approving an unnamed number: refused without reason, refused without the override flag,
    accepted with both, and the row turns approved."""
    case, server = served
    page = open_sidebar(browser, server)
    row = page.locator("#numbers li[data-first='+49309999999']")
    row.locator("button[data-action='approve']").click()
    form = page.locator("#override-form")
    assert form.is_visible()
    page.click("#override-submit")
    message = page.locator("#override-message")
    message.wait_for(state="visible")
    assert message.inner_text() == "Bitte eine Begründung angeben."
    page.fill("#override-reason", "Neue Bestätigung liegt per Post vor")
    page.click("#override-submit")
    page.wait_for_function(
        "document.querySelector('#override-message').textContent.includes('ausdrücklicher Override')"
    )
    page.screenshot(path=str(artifacts / "sidebar_override_refused.png"), full_page=True)
    page.check("#override-force")
    page.click("#override-submit")
    page.wait_for_selector("#numbers li[data-first='+49309999999'][data-decision='approved']")
    assert "Gespeichert" in page.inner_text("#flash")
    assert "Agent 90210" in page.inner_text("#numbers li[data-first='+49309999999']")
    assert "agent_override" in [
        page.locator("#review li").nth(i).get_attribute("data-code")
        for i in range(page.locator("#review li").count())
    ]
    note = [u.comment for u in case.helpdesk.updates if u.comment and not u.public][-1]
    assert note is not None and "Agent 90210" in note
    page.screenshot(path=str(artifacts / "sidebar_override.png"), full_page=True)


def test_ticket_without_case_says_so(browser: Any, served: tuple[AppCase, LiveServer]) -> None:
    """The app open on a ticket without a case says so instead of showing anything."""
    _case, server = served
    page = open_sidebar(browser, server, ticket_id=999)
    assert page.get_attribute("#app", "data-ready") == "error"
    assert "keinen Umzugsauftrag" in page.inner_text("#load-error")


def test_wrong_secret_shows_a_clear_error(browser: Any, served: tuple[AppCase, LiveServer]) -> None:
    """A shared secret that differs from the server's: the agent reads why, nothing else."""
    _case, server = served
    page = open_sidebar(browser, server, secret="a-different-secret-than-the-server-has-0000")
    assert page.get_attribute("#app", "data-ready") == "error"
    assert "ungültig oder abgelaufen" in page.inner_text("#load-error")
    assert page.locator("#numbers").count() == 0


def test_english_locale(browser: Any, served: tuple[AppCase, LiveServer]) -> None:
    """An English-speaking agent gets the English strings."""
    _case, server = served
    page = open_sidebar(browser, server, locale="en-US")
    assert page.text_content("#numbers-section h2") == "Requested numbers"
