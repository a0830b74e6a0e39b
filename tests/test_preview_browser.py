"""`pack preview` driven in a real browser (Debian's Chromium through Playwright) with the real
LibreOffice: the page loads with the word counts, an edit saved changes the page image in view,
a mistake saved shows its finding while the last good pages stay, fixing it removes it; every
request the page makes goes to the preview itself; Ctrl-C leaves nothing running.

Chromium and Playwright are skipped when absent, except under CI=true (a failure then)."""

from __future__ import annotations

import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from test_interrupt import isolated, processes_mentioning

from helpers.packs import TODAY
from pipeline.markdown.syntax import count_words

CHROMIUM = os.environ.get("PACK_TEST_CHROMIUM", "/usr/bin/chromium")
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run"]  # fmt: skip
SHOTS = os.environ.get("PACK_TEST_SCREENSHOTS")
"""A folder to keep the screenshots in (to look at them); by default the test's own."""


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    """Chromium, headless, through Playwright; skipped without them, unless CI=true."""
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        missing = "Playwright for Python (pip install playwright)"
    else:
        missing = "" if shutil.which(CHROMIUM) else f"Chromium ({CHROMIUM})"
    if missing:
        if os.environ.get("CI") == "true":
            pytest.fail(f"CI=true but {missing} is not installed: the browser tests must run")
        pytest.skip(f"{missing} is not installed")
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield launched
        launched.close()


class Preview:
    """`pack preview` running on `inputs`, as a user runs it."""

    def __init__(self, inputs: Path, tmp_path: Path) -> None:
        self.env = isolated(tmp_path)
        self.out = tmp_path / "build"
        command = [sys.executable, "-m", "pipeline", "preview", str(inputs), "--out",
                   str(self.out), "--date", str(TODAY), "--port", "0", "--no-browser"]  # fmt: skip
        self.process = subprocess.Popen(
            command, env=self.env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
        )
        assert self.process.stdout is not None
        assert self.process.stderr is not None
        self.said: list[str] = []
        self.reader = threading.Thread(target=self.said.extend, args=(self.process.stderr,))
        self.reader.start()
        self.address = self.process.stdout.readline().strip()
        assert re.fullmatch(r"http://127\.0\.0\.1:\d+/", self.address), self.said

    def stop(self) -> tuple[int, str]:
        """Ctrl-C; the exit status and all it said on stderr."""
        self.process.send_signal(signal.SIGINT)
        self.process.wait(timeout=60)
        self.reader.join(10)
        assert self.process.stdout is not None
        assert self.process.stderr is not None
        self.process.stdout.close()
        self.process.stderr.close()
        return self.process.returncode, "".join(self.said)


def shot(page: Any, tmp_path: Path, name: str) -> None:
    folder = Path(SHOTS) if SHOTS else tmp_path
    folder.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(folder / f"preview-{name}.png"))


def images(page: Any) -> dict[str, str]:
    """Page number -> the image the page shows (loaded) for it."""
    return page.eval_on_selector_all(
        "figure", "fs => Object.fromEntries(fs.map(f => [f.id, f.dataset.shown || '']))"
    )


@pytest.mark.libreoffice
def test_the_page_follows_the_edits(example: Path, tmp_path: Path, browser: Any) -> None:
    preview = Preview(example, tmp_path)
    requested: list[str] = []
    try:
        page = browser.new_page(viewport={"width": 1400, "height": 900})
        page.on("request", lambda request: requested.append(request.url))
        page.goto(preview.address)

        # loaded: the word counts, the window, the pages
        page.wait_for_selector("#words tbody tr", timeout=120_000)
        first = next((example / "answers").glob("1-*.md"))
        row = page.locator('#words tr[data-question="1"] .words-count')
        assert row.inner_text() == str(count_words(first.read_text(encoding="utf-8")))
        assert page.locator("#window strong").inner_text() == "70 days left"
        assert "Nothing to fix." in page.locator("#findings").inner_text()
        page.wait_for_function("() => document.querySelector('#page-1').dataset.shown")
        pages = page.locator("figure").count()
        assert pages == len(page.eval_on_selector_all("#contents li", "l => l")) + 3
        assert page.locator("figure.changed").count() == 0  # nothing marked on the first build
        shot(page, tmp_path, "loaded")

        # an edit saved: the page image changes by itself, in view
        answer = next((example / "answers").glob("5-*.md"))
        before = images(page)
        text = answer.read_text(encoding="utf-8")
        answer.write_text(text + "\nA paragraph added while the preview runs.\n", "utf-8")
        page.wait_for_function(
            "before => [...document.querySelectorAll('figure')].some(f => f.dataset.shown"
            " && f.dataset.shown !== before[f.id])",
            arg=before,
            timeout=120_000,
        )
        focus = page.evaluate("() => document.body.dataset.focus")
        page.wait_for_function(
            "([focus, before]) => { const f = document.querySelector('#page-' + focus);"
            " return f.dataset.shown && f.dataset.shown !== before['page-' + focus]; }",
            arg=[focus, before],
        )
        box = page.locator(f"#page-{focus}").bounding_box()
        assert box is not None
        assert 0 <= box["y"] < 900
        assert 4 <= int(focus) <= 6  # in question 5's pages
        # the page's image is a picture of text: a screen reader is given the text
        image = page.locator(f"#page-{focus} img")
        described = page.locator(f"#{image.get_attribute('aria-describedby')}").text_content()
        assert "added while the preview runs" in " ".join((described or "").split())
        assert "changed" in (page.locator(f"#page-{focus}").get_attribute("class") or "")
        page.wait_for_function(
            "() => document.querySelector('#status').className.includes('built')"
        )
        shot(page, tmp_path, "edited")

        # a mistake saved: its finding, with the file, line and fix; the last good pages stay
        good = images(page)
        answer.write_text(text + "\nSee [the report]() for more.\n", "utf-8")
        finding = page.locator('#findings li[data-code="link-empty"]')
        finding.wait_for(timeout=120_000)
        lines = len(text.split("\n")) + 1
        assert finding.locator(".where").inner_text() == f"inputs/answers/{answer.name}:{lines}"
        assert "a link has no address" in finding.inner_text()
        assert finding.locator(".fix").inner_text() == (
            "write it in the brackets: [text](https://...)"
        )
        assert "Not built" in page.locator("#status").inner_text()
        assert images(page) == good
        shot(page, tmp_path, "mistake")

        # fixed: the finding goes
        answer.write_text(text + "\nSee [the report](https://example.org) for more.\n", "utf-8")
        finding.wait_for(state="detached", timeout=120_000)
        page.wait_for_function(
            "() => document.querySelector('#status').textContent.startsWith('Up to date')"
        )
        assert "Nothing to fix." in page.locator("#findings").inner_text()
        shot(page, tmp_path, "fixed")

        origin = preview.address.rstrip("/")
        assert requested
        assert [u for u in requested if not u.startswith(origin + "/")] == []
        page.close()
    finally:
        status, stderr = preview.stop()

    # Ctrl-C: 130, the server gone, LibreOffice gone, nothing half-written
    assert status == 130, stderr
    assert stderr.splitlines()[-1] == "pack: interrupted; nothing was replaced"
    assert "Traceback" not in stderr
    port = int(preview.address.rsplit(":", 1)[1].strip("/"))
    with pytest.raises(ConnectionRefusedError):
        socket.create_connection(("127.0.0.1", port), timeout=5)
    assert processes_mentioning(str(tmp_path)) == []
    assert list(preview.out.rglob("*.part")) == []
    assert len(list(preview.out.glob("*.pdf"))) == 1
