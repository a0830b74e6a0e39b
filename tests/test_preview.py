"""`pack preview`'s server on its own: it answers only for its own address, serves only its own
assets and the current pack's page images (no path reaches the file system, however encoded),
sends a policy that lets the page load nothing from elsewhere, and streams each new state.
The page in a real browser, with LibreOffice, is `test_preview_browser.py`."""

from __future__ import annotations

import http.client
import json
import signal
import socket
from collections.abc import Iterator
from pathlib import Path

import pytest
from pypdf import PdfWriter

from helpers.packs import TODAY
from helpers.pdf_make import text_page, write
from pipeline.errors import PackError
from pipeline.markdown.syntax import count_words
from pipeline.preview import server
from pipeline.preview.pages import PageImages, Section
from pipeline.preview.server import Hub, Server, allowed_hosts, bind, is_loopback, make_app
from pipeline.preview.todo import left_to_do, split_fix

IMAGE = "0123456789abcdef01234567"
PNG = b"\x89PNG\r\n\x1a\n a page"


@pytest.fixture
def served() -> Iterator[tuple[int, Hub]]:
    """A server on a free loopback port with one page image; its port and its hub."""
    listening = bind("127.0.0.1", 0)
    port = listening.getsockname()[1]
    hub = Hub()
    hub.publish({"pages": [{"n": 1, "image": IMAGE}]})
    running = Server(make_app(hub, {IMAGE: PNG}.get, allowed_hosts("127.0.0.1", port)), listening)
    running.start()
    try:
        yield port, hub
    finally:
        hub.close()
        running.stop()


def get(
    port: int, path: str, host: str | None = "", method: str = "GET"
) -> tuple[int, dict[str, str], bytes]:
    """The raw `path` requested as it is (no normalising, no encoding), with `host` as the
    Host header ("" the server's own, None none)."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    connection.putrequest(method, path, skip_host=True, skip_accept_encoding=True)
    if host is not None:
        connection.putheader("Host", host or f"127.0.0.1:{port}")
    connection.endheaders()
    response = connection.getresponse()
    body = response.read()
    connection.close()
    return response.status, {k.lower(): v for k, v in response.getheaders()}, body


def test_the_page_and_its_assets_are_served_with_a_policy_that_allows_nothing_else(
    served: tuple[int, Hub],
) -> None:
    port, _ = served
    status, headers, body = get(port, "/")
    assert status == 200
    assert b'<script src="/static/app.js"' in body
    assert headers["content-security-policy"] == (
        "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; "
        "connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'"
    )
    assert headers["x-content-type-options"] == "nosniff"
    assert headers["referrer-policy"] == "no-referrer"
    assert b"<script>" not in body
    assert b" style=" not in body
    for name, kind in server.ASSETS.items():
        status, headers, body = get(port, f"/static/{name}")
        assert (status, headers["content-type"]) == (200, kind)
        assert "content-security-policy" in headers
        own = body.replace(b"http://www.w3.org/2000/svg", b"")  # a namespace, never fetched
        assert b"http://" not in own
        assert b"https://" not in own
        assert b"//" not in own.replace(b"// ", b"")


def test_page_images_are_served_by_their_name_only(served: tuple[int, Hub]) -> None:
    port, _ = served
    status, headers, body = get(port, f"/page/{IMAGE}.png")
    assert (status, headers["content-type"], body) == (200, "image/png", PNG)
    for path in (f"/page/{'f' * 24}.png", f"/page/{IMAGE.upper()}.png", f"/page/{IMAGE}",
                 f"/page/{IMAGE}.png.png", "/page/x.png"):  # fmt: skip
        assert get(port, path)[0] == 404, path


TRAVERSALS = [
    "/static/../pyproject.toml",
    "/static/..%2f..%2fpyproject.toml",
    "/static/..%2F..%2Fpyproject.toml",
    "/static/%2e%2e/%2e%2e/pyproject.toml",
    "/static/%2e%2e%2f%2e%2e%2fpyproject.toml",
    "/static/%252e%252e%252fpyproject.toml",
    "/static/..%5c..%5cpyproject.toml",
    "/static/..\\..\\pyproject.toml",
    "/static/%c0%ae%c0%ae/pyproject.toml",
    "/page/..%2f..%2f..%2fetc%2fpasswd",
    "/page/%2e%2e%2f%2e%2e%2fetc%2fpasswd.png",
    "/../../../../etc/passwd",
    "//etc/passwd",
    "/etc/passwd",
    "/static//etc/passwd",
    "/static/%2fetc%2fpasswd",
    "/static/index.html%00.js",
    "/static/app.js/..",
    "/static/",
    "/pipeline/preview/static/app.js",
    "/__init__.py",
]


@pytest.mark.parametrize("path", TRAVERSALS)
def test_no_path_outside_its_own_is_served(served: tuple[int, Hub], path: str) -> None:
    port, _ = served
    status, _, body = get(port, path)
    assert status == 404
    assert b"root:" not in body
    assert b"[project]" not in body


@pytest.mark.parametrize(
    "host",
    ["evil.example", "evil.example:{port}", "127.0.0.1", "127.0.0.1:1", "localhost:1",
     "127.0.0.2:{port}", "0.0.0.0:{port}", "127.0.0.1:{port}.evil.example", None],
)  # fmt: skip
def test_a_request_for_another_host_is_refused(served: tuple[int, Hub], host: str | None) -> None:
    """DNS rebinding: a page elsewhere whose name now points at 127.0.0.1 sends its own name."""
    port, _ = served
    for path in ("/", "/state", f"/page/{IMAGE}.png", "/static/app.js"):
        status, _, body = get(port, path, None if host is None else host.format(port=port))
        assert status == (421 if host is not None else 400)  # none: not HTTP/1.1 at all
        assert IMAGE.encode() not in body
        assert PNG not in body


@pytest.mark.parametrize("host", ["127.0.0.1:{port}", "localhost:{port}", "LOCALHOST:{port}"])
def test_the_loopback_names_are_answered(served: tuple[int, Hub], host: str) -> None:
    port, _ = served
    assert get(port, "/", host.format(port=port))[0] == 200


@pytest.mark.parametrize("method", ["POST", "PUT", "DELETE", "OPTIONS", "TRACE"])
def test_nothing_but_reading(served: tuple[int, Hub], method: str) -> None:
    port, _ = served
    assert get(port, "/state", method=method)[0] == 405


def test_each_state_is_streamed(served: tuple[int, Hub]) -> None:
    port, hub = served
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    connection.request("GET", "/events")
    response = connection.getresponse()
    assert response.getheader("content-type", "").startswith("text/event-stream")
    first = json.loads(response.readline().removeprefix(b"data: "))
    assert first["pages"][0]["image"] == IMAGE
    response.readline()
    hub.publish({"pages": [], "status": {"state": "failed"}})
    second = json.loads(response.readline().removeprefix(b"data: "))
    assert (second["status"], second["version"]) == ({"state": "failed"}, first["version"] + 1)
    hub.close()  # the stream ends, so that the server can stop at once
    assert response.readline() == b"\n"
    assert response.read() == b""
    connection.close()


def test_the_hosts_answered_for() -> None:
    assert allowed_hosts("127.0.0.1", 8000) == {"127.0.0.1:8000", "localhost:8000", "[::1]:8000"}
    assert allowed_hosts("192.0.2.7", 8000) == {"192.0.2.7:8000"}
    assert allowed_hosts("::1", 80) >= {"[::1]:80", "[::1]", "localhost"}
    assert [is_loopback(h) for h in ("127.0.0.1", "127.8.0.1", "::1", "localhost")] == [True] * 4
    assert [is_loopback(h) for h in ("0.0.0.0", "192.0.2.7", "::", "example.org")] == [False] * 4
    everywhere = allowed_hosts("0.0.0.0", 8000)  # this machine's names, never another's
    assert {"127.0.0.1:8000", f"{socket.gethostname().lower()}:8000"} <= everywhere
    assert not {"0.0.0.0:8001", "evil.example:8000"} & everywhere


def test_a_port_in_use_is_one_clear_line(monkeypatch: pytest.MonkeyPatch) -> None:
    taken = socket.create_server(("127.0.0.1", 0))
    port = taken.getsockname()[1]
    try:
        with pytest.raises(PackError) as raised:
            bind("127.0.0.1", port)
        assert str(raised.value) == (
            f"port {port} on 127.0.0.1 is in use (another preview?); pass --port with another "
            "number, or --port 0 for any free one"
        )
        monkeypatch.setattr(server, "DEFAULT_PORT", port)  # the default taken: any free port
        other = bind("127.0.0.1", None)
        assert other.getsockname()[1] not in (port, 0)
        other.close()
    finally:
        taken.close()


@pytest.mark.parametrize(
    ("message", "split"),
    [
        ("247 words, 3 over the limit of 250; shorten it",
         ("247 words, 3 over the limit of 250", "shorten it")),
        ("a link has no address; write it in the brackets: [text](https://...)",
         ("a link has no address", "write it in the brackets: [text](https://...)")),
        ("the PDF is not tagged (Word: a; b); export it tagged",
         ("the PDF is not tagged (Word: a; b)", "export it tagged")),
        ("appendices go in name order", ("appendices go in name order", "")),
    ],
)  # fmt: skip
def test_a_finding_says_what_is_wrong_then_what_to_do(message: str, split: tuple[str, str]) -> None:
    assert split_fix(message) == split


def test_the_browser_side_is_package_data() -> None:
    """Listed in pyproject.toml's package-data, so that an installed `pack` serves its page."""
    import tomllib

    project = tomllib.loads((Path(__file__).parents[1] / "pyproject.toml").read_text())
    assert project["tool"]["setuptools"]["package-data"]["pipeline.preview"] == ["static/*"]
    static = Path(server.__file__).parent / "static"
    assert sorted(p.name for p in static.iterdir()) == sorted([*server.ASSETS, "index.html"])


def test_what_is_left_to_do(pack_dir: Path) -> None:
    """The side panel from the inputs alone (no LibreOffice): a question over its limit is a
    finding with its fix, words against limits, the window, the plan, the appendix's pages."""
    over = pack_dir / "answers" / "1-answer.md"
    over.write_text("word " * 260, encoding="utf-8")
    (pack_dir / "answers" / "3-answer.md").write_text("See [the report]() here.\n", "utf-8")
    sections = (Section("Self-assessment form", 1, 0), Section("Question 1: x", 2, 1),
                Section("24-month action plan", 6, 0), Section("Appendix A: Survey of technicians", 9, 0))  # fmt: skip
    panel, titles = left_to_do(pack_dir, TODAY, None, False, sections, 11)
    assert [f["where"] for f in panel["findings"]] == [
        "inputs/answers/1-answer.md",
        "inputs/answers/3-answer.md:1",
    ]
    assert panel["findings"][0] == {
        "where": "inputs/answers/1-answer.md", "level": "error", "code": "word-limit",
        "message": "260 words, 10 over the limit of 250", "fix": "shorten it",
    }  # fmt: skip
    assert panel["findings"][1]["fix"] == "write it in the brackets: [text](https://...)"
    assert panel["summary"] == "2 errors, 0 warnings"
    words = {row["question"]: (row["words"], row["limit"]) for row in panel["words"]}
    assert words[1] == (260, 250)
    assert words[2] == (count_words((pack_dir / "answers" / "2-answer.md").read_text()), None)
    assert panel["window"] == {
        "name": "January 2027",
        "deadline": "Sunday 31 January 2027",
        "days": 70,
    }
    assert panel["plan"]["head"][:3] == ["Theme", "Goals", "Actions"]
    assert panel["plan"]["rows"][-1][:3] == ["Total", "4", "5"]
    assert panel["appendices"] == [{"heading": "Appendix A: Survey of technicians",
                                    "file": "inputs/appendices/1-survey.md", "page": 9, "pages": 3}]  # fmt: skip
    assert titles[str(over.resolve())] == "Question 1: Profile of the organisation"
    assert titles[str((pack_dir / "pack.toml").resolve())] == "Self-assessment form"
    assert titles[str((pack_dir / "action-plan.csv").resolve())] == "24-month action plan"


def pdf_of(path: Path, *texts: str) -> Path:
    writer = PdfWriter()
    for text in texts:
        text_page(writer, text)
    return write(writer, path)


def test_only_the_pages_that_look_different_are_new(tmp_path: Path) -> None:
    """No manifest beside these PDFs: every page is drawn, and a page whose pixels did not
    change keeps its image (and its name); the page drawn early from a part's own PDF is the
    one the pack then shows."""
    pages = PageImages(scale=0.5)
    try:
        first = pdf_of(tmp_path / "one.pdf", "Page one", "Page two", "Page three")
        assert pages.update(first) == [1, 2, 3]
        names = [page.image for page in pages.pages]
        assert len(set(names)) == 3
        assert all(pages.image(name).startswith(b"\x89PNG") for name in names)  # type: ignore[union-attr]
        assert pages.update(pdf_of(tmp_path / "two.pdf", "Page one", "Page 2!", "Page three")) == [
            2
        ]
        assert [page.image for page in pages.pages][::2] == names[::2]
        assert pages.image(names[1]) is not None  # a page not yet updated may still ask

        told: list[list[int]] = []
        part = pdf_of(tmp_path / "part.pdf", "Page 2!", "Page three, edited")
        assert pages.early(part, 1, 2, told.append)  # the part starts on page 2
        assert told == [[3]]
        assert [page.number for page in pages.pages] == [1, 2, 3]
        early = pages.pages[2].image
        assert pages.update(
            pdf_of(tmp_path / "three.pdf", "Page one", "Page 2!", "Page three, edited")
        ) == [3]
        assert pages.pages[2].image == early  # the same pixels: the same image
        assert pages.image(names[1]) is None  # two builds on, an image no page shows is let go
        assert not pages.early(part, 1, 2, told.append)  # nothing new to show
    finally:
        pages.close()


def test_no_text_browser_takes_over_the_terminal(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """Without a graphical session, the address is said, and no browser is started (Python's
    would be a text browser running in this terminal)."""
    import webbrowser

    from pipeline.cli import preview

    opened: list[str] = []
    monkeypatch.setattr(webbrowser, "open", opened.append)
    monkeypatch.setattr(preview.sys, "platform", "linux")
    monkeypatch.delenv("DISPLAY", raising=False)
    monkeypatch.delenv("WAYLAND_DISPLAY", raising=False)
    preview._open("http://127.0.0.1:8000/")
    assert opened == []
    assert capsys.readouterr().err == (
        "pack: no graphical session here: open http://127.0.0.1:8000/ in a browser\n"
    )
    monkeypatch.setenv("DISPLAY", ":0")
    preview._open("http://127.0.0.1:8000/")
    assert opened == ["http://127.0.0.1:8000/"]


def test_ctrl_c_while_forking_is_raised_once_the_fork_is_done() -> None:
    """Python drops an exception raised in its at-fork hooks (the check forks at every save):
    Ctrl-C then waits for the fork to end, and is raised once, where nothing swallows it."""
    from pipeline import posix

    with posix.interruptible():
        posix._forking.append(True)  # as the hook before a fork does
        signal.raise_signal(signal.SIGINT)
        assert posix._pending == [True]  # not raised inside the fork
        with pytest.raises(KeyboardInterrupt):
            posix._forked()  # as the hook after the fork does
        assert posix._pending == []
        with pytest.raises(KeyboardInterrupt):
            signal.raise_signal(signal.SIGINT)  # not forking: at once
    assert signal.getsignal(signal.SIGINT) is signal.default_int_handler  # put back
