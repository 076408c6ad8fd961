"""The agent-eye screenshot of the demo case: test-artifacts/sidebar_demo.png.

Also a script: ``python -m tests.browser.demo``. The letter is read by the real reader
(in its sandbox) and decided by the real handler; the screenshot shows the decision per
number and the letter with every recognised number boxed.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.browser.demo import capture
from tests.integration.app_case import build_demo

pytestmark = pytest.mark.browser


def test_sidebar_demo_screenshot(browser: Any, tmp_path: Path, artifacts: Path) -> None:
    """The demo case shows its decision and a boxed letter; the screenshot is saved."""
    case = build_demo(tmp_path)
    out = artifacts / "sidebar_demo.png"
    page = capture(browser, case, out)
    assert page.get_attribute("#app", "data-ready") == "true"
    rows = page.locator("#numbers li.num-row")
    decisions = {rows.nth(i).get_attribute("data-decision") for i in range(rows.count())}
    assert "approved" in decisions and "rejected" in decisions
    boxed = [n for n in case.document.numbers if n.bbox is not None]
    assert boxed, "the reader found positioned numbers"
    boxes = page.locator(".page .box")
    assert boxes.count() == len(boxed)
    assert {boxes.nth(i).get_attribute("data-role") for i in range(len(boxed))} == {
        n.role.value for n in boxed
    }
    assert out.stat().st_size > 10_000
