"""The agent-eye screenshot of the demo case, as a script: ``python -m tests.browser.demo``.

Writes test-artifacts/sidebar_demo.png (or ``--out``): the demo letter read by the real
reader, decided by the real handler, shown in the sidebar app in Debian's Chromium.
"""

from __future__ import annotations

import argparse
import tempfile
from pathlib import Path
from typing import Any

from tests.browser.conftest import ARTIFACTS, CHROMIUM, CHROMIUM_ARGS, LiveServer
from tests.browser.test_sidebar import open_sidebar, wait_for_images
from tests.integration.app_case import AppCase, build_demo


def capture(browser: Any, case: AppCase, out: Path) -> Any:
    """Serve ``case``, open the sidebar, wait for the page images, save a full screenshot."""
    with LiveServer(case.app) as server:
        page = open_sidebar(browser, server)
        if page.get_attribute("#app", "data-ready") == "true":
            wait_for_images(page)
        out.parent.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(out), full_page=True)
        return page


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--out", type=Path, default=ARTIFACTS / "sidebar_demo.png")
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory() as tmp, sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        try:
            capture(browser, build_demo(Path(tmp)), args.out)
        finally:
            browser.close()
    print(f"wrote {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
