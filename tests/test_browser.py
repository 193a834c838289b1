"""A real browser (Debian's chromium through Playwright) against the server on a free loopback port."""

from __future__ import annotations

import os
import shutil
import socket
import threading
import time
from pathlib import Path
from typing import Any

import pytest

CHROMIUM = os.environ.get("PROPSCOPE_CHROMIUM", "/usr/bin/chromium")
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]

playwright_api = pytest.importorskip("playwright.sync_api", reason="playwright (python) is not installed")
pytest.importorskip("uvicorn")
if not (os.path.exists(CHROMIUM) or shutil.which(CHROMIUM)):
    reason = f"no chromium at {CHROMIUM} (apt-get install chromium, or run .ci/services.sh)"
    pytest.skip(reason, allow_module_level=True)

import uvicorn  # noqa: E402

from propscope.pipeline import Pipeline  # noqa: E402
from propscope.web.app import create_app  # noqa: E402

ARTICLE = (
    "Moscow insists the evil sanctions hurt Europe more than Russia. Officials said the traitors in Brussels "
    "allegedly planned it all. <script>document.title='pwned'</script> The gas will flow again, they said."
)

# Self-written example in the style the tool is for; not taken from any corpus.
SHOWCASE = (
    "Western Sanctions Backfire as Europe Freezes\n\n"
    "Brussels bureaucrats have once again shot themselves in the foot. According to the Kremlin spokesman, "
    'the sanctions "have hurt ordinary Europeans far more than Russia", while gas prices in Germany have '
    "allegedly tripled since the autumn.\n\n"
    "Experts say the so-called free press in the West hides the truth: the crisis was provoked by NATO's "
    'reckless expansion, and Kyiv\'s puppet regime is only following orders. "We never threatened anyone," '
    "the foreign ministry said on Tuesday, denying reports of troop movements near the border.\n\n"
    "Either Europe returns to cheap Russian energy, or its industry will collapse. Everyone knows it."
)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class ServerThread:
    """uvicorn in a thread of this process, so the app can use the test's fake pipeline."""

    def __init__(self, app: Any) -> None:
        self.port = free_port()
        self.server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=self.port, log_level="warning"))
        self.thread = threading.Thread(target=self.server.run, daemon=True)

    def __enter__(self) -> str:
        self.thread.start()
        deadline = time.monotonic() + 20
        while not self.server.started:
            if time.monotonic() > deadline or not self.thread.is_alive():
                raise RuntimeError("server did not start")
            time.sleep(0.05)
        return f"http://127.0.0.1:{self.port}"

    def __exit__(self, *exc: object) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=10)


@pytest.fixture
def base_url(tmp_path: Path) -> Any:
    from test_web import WordMarker

    app = create_app(str(tmp_path / "browser.db"), pipeline=Pipeline([WordMarker()]))
    with ServerThread(app) as url:
        yield url
    app.state.store.close()


def background(page: Any, selector: str) -> str:
    return page.eval_on_selector(selector, "el => getComputedStyle(el).backgroundColor")


def test_post_view_and_toggle_in_chromium(base_url: str, tmp_path: Path) -> None:
    with playwright_api.sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=FLAGS, headless=True)
        try:
            page = browser.new_page(viewport={"width": 1200, "height": 900})
            page.goto(base_url + "/")
            page.fill("textarea[name=text]", ARTICLE)
            page.fill("input[name=title]", "Sanctions <b>hurt</b> Europe")
            page.fill("input[name=outlet]", "example-outlet.ru")
            page.click("form[action='/articles'] button[type=submit]")
            page.wait_for_url("**/articles/*")
            assert page.title().startswith("Sanctions <b>hurt</b> Europe")  # shown as text, script did not run

            highlights = page.locator(".ps-text [data-t]")
            assert highlights.count() == 3
            legend = page.locator(".ps-legend input.ps-toggle")
            assert sorted(legend.evaluate_all("els => els.map(e => e.value)")) == [
                "Doubt",
                "Loaded_Language",
                "Name_Calling-Labeling",
            ]
            loaded = ".ps-text [data-t='Loaded_Language']"
            assert background(page, loaded) != "rgba(0, 0, 0, 0)"
            assert "Loaded Language" in page.get_attribute(loaded, "title")
            page.screenshot(path=str(tmp_path / "article.png"), full_page=True)

            page.uncheck(".ps-legend input.ps-toggle[value='Loaded_Language']")
            assert background(page, loaded) == "rgba(0, 0, 0, 0)"
            assert background(page, ".ps-text [data-t='Doubt']") != "rgba(0, 0, 0, 0)"
            page.check(".ps-legend input.ps-toggle[value='Loaded_Language']")
            assert background(page, loaded) != "rgba(0, 0, 0, 0)"
            assert (tmp_path / "article.png").stat().st_size > 10_000

            page.goto(base_url + "/corpus")
            assert page.locator("svg rect").count() >= 3
            page.goto(base_url + "/docs")
            assert page.locator("text=POST /api/articles").count() >= 1
        finally:
            browser.close()


def save_screenshot(out: str, analyzers: list[str] | None, text_path: str | None) -> None:
    """The article page for the README, analysed by the real installed analyzers (not the test's fake)."""
    import tempfile

    text = Path(text_path).read_text(encoding="utf-8") if text_path else SHOWCASE
    with tempfile.TemporaryDirectory() as tmp:
        app = create_app(str(Path(tmp) / "shot.db"), analyzers=analyzers)
        with ServerThread(app) as url, playwright_api.sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=CHROMIUM, args=FLAGS, headless=True)
            page = browser.new_page(viewport={"width": 1100, "height": 900})
            page.goto(url + "/")
            page.fill("textarea[name=text]", text)
            page.fill("input[name=outlet]", "example-outlet.ru")
            page.click("form[action='/articles'] button[type=submit]")
            page.wait_for_url("**/articles/*", timeout=600_000)  # first post loads the models
            page.screenshot(path=out, full_page=True)
            browser.close()
        app.state.store.close()
    print(f"wrote {out}")


if __name__ == "__main__":
    import argparse

    parser = argparse.ArgumentParser(description="Save a screenshot of an analysed article page.")
    parser.add_argument("out", nargs="?", default="docs/screenshot.png")
    parser.add_argument("--analyzers", help="comma-separated analyzers (default: all installed)")
    parser.add_argument("--text", help="a UTF-8 text file to analyse instead of the built-in example")
    args = parser.parse_args()
    names = args.analyzers.split(",") if args.analyzers else None
    save_screenshot(args.out, names, args.text)
