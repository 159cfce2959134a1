#!/usr/bin/env python3
"""`make screenshots`: the 工作台, an estate timeline, the candidates, the return preview and the
batch-matching review, from
the demo data on a fresh `tuodi serve`, rendered by Debian's chromium into docs/screenshots/.
Needs fonts-noto-cjk so the Chinese renders (make screenshots installs it)."""

import os
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "Tests" / "Browser"))

from conftest import CHROMIUM, Server  # noqa: E402
from pages import login, logout  # noqa: E402
from playwright.sync_api import sync_playwright  # noqa: E402


def main(out):
    out.mkdir(parents=True, exist_ok=True)
    folder = tempfile.mkdtemp(prefix="tuodi-shots-")
    server = Server(os.path.join(folder, "tuodi.sqlite"))
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
            page = browser.new_page(base_url=server.base_url, viewport={"width": 1280, "height": 900}, locale="zh-CN")
            # A clerk asks for today's batch, so the review has pairs and the approver's inbox has it.
            login(page, "hp.clerk")
            page.goto("/matching")
            page.get_by_role("button", name="生成方案").click()
            page.wait_for_url("**/matching/*?done=matchProposed")
            page.screenshot(path=out / "matching-review.png", full_page=True)
            logout(page)
            login(page, "hp.approver")
            page.screenshot(path=out / "dashboard-approver.png", full_page=True)
            page.goto("/estates/HP-0001")
            page.screenshot(path=out / "estate-timeline.png", full_page=True)
            page.goto("/estates/HP-0001/custody")
            page.screenshot(path=out / "custody-candidates.png", full_page=True)
            page.goto("/returns")
            page.screenshot(path=out / "return-preview.png", full_page=True)
            browser.close()
    finally:
        server.stop()
    for shot in sorted(out.glob("*.png")):
        print(shot.relative_to(ROOT))


if __name__ == "__main__":
    main(ROOT / (sys.argv[1] if len(sys.argv) > 1 else "docs/screenshots"))
