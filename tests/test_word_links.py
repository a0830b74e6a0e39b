"""A Word appendix's links to the outside: LibreOffice reaches no network and reads no file
outside the inputs folder while it converts one, and the pack is still built."""

from __future__ import annotations

import http.server
import threading
from collections.abc import Iterator
from pathlib import Path

import docx
import pytest
from click.testing import CliRunner
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.oxml.ns import qn
from pypdf import PdfReader

from helpers.packs import TODAY, wide_png
from pipeline.cli import cli

pytestmark = pytest.mark.libreoffice


class Listener(http.server.BaseHTTPRequestHandler):
    requests: list[str] = []  # noqa: RUF012 (one list per server, set below)

    def _any(self) -> None:
        self.requests.append(f"{self.command} {self.path}")
        self.send_response(200)
        self.send_header("Content-Type", "image/png")
        body = wide_png(40, 40)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    do_GET = do_HEAD = do_OPTIONS = do_PROPFIND = _any

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def listener() -> Iterator[tuple[str, list[str]]]:
    """A local HTTP server that records every request made to it."""
    handler = type("Recording", (Listener,), {"requests": []})
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}", handler.requests
    finally:
        server.shutdown()
        server.server_close()


def linked_picture_docx(path: Path, target: str, embedded: Path) -> Path:
    """A Word document whose picture is linked (not embedded) to `target`."""
    document = docx.Document()
    document.add_paragraph("Terms of reference with a linked picture.")
    document.add_picture(str(embedded))
    rid = document.part.relate_to(target, RT.IMAGE, is_external=True)
    for blip in document.element.body.iter(qn("a:blip")):
        del blip.attrib[qn("r:embed")]
        blip.set(qn("r:link"), rid)
    document.add_paragraph("After the picture.")
    document.save(str(path))
    return path


def test_linked_pictures_reach_neither_network_nor_outside_files(
    pack_dir: Path, tmp_path: Path, listener: tuple[str, list[str]]
) -> None:
    url, requests = listener
    outside = tmp_path / "outside.png"
    outside.write_bytes(wide_png(300, 200))
    staging = tmp_path / "staging.png"
    staging.write_bytes(wide_png(20, 20))
    linked_picture_docx(pack_dir / "appendices" / "2-web.docx", f"{url}/pic.png", staging)
    linked_picture_docx(pack_dir / "appendices" / "3-file.docx", outside.as_uri(), staging)
    out = tmp_path / "build"
    result = CliRunner().invoke(
        cli, ["assemble", str(pack_dir), "--out", str(out), "--date", str(TODAY)]
    )
    assert result.exit_code == 0, result.output
    assert requests == []
    pack = PdfReader(result.stdout.strip().splitlines()[-1])
    appendix_pages = [page for page in pack.pages if "linked picture" in page.extract_text()]
    assert len(appendix_pages) == 2
    for page in appendix_pages:
        assert "After the picture." in page.extract_text()
        assert len(page.images) == 0  # no picture came from outside


def test_conversion_errors_name_the_users_file(tmp_path: Path) -> None:
    """A file LibreOffice opens as something other than a text document (a workbook named
    .docx): the message names the user's appendix, not the build's work copy."""
    from openpyxl import Workbook

    from pipeline.errors import ConversionError
    from pipeline.libreoffice.jobs import Job
    from pipeline.libreoffice.pool import Converters

    work_copy = tmp_path / "build" / "appendices" / "appendix-C.docx"
    work_copy.parent.mkdir(parents=True)
    Workbook().save(work_copy)
    users = Path("inputs/appendices/3-terms.docx")
    with Converters(1) as converters, pytest.raises(ConversionError) as caught:
        converters.convert(Job(work_copy, tmp_path / "out.pdf", name=users))
    # the warm converter refuses it, the cold one (the fallback) finds it is no Word document
    assert str(caught.value) == f"{users}: not the expected Office document (no word/document.xml)"
    assert "appendix-C" not in str(caught.value)
    assert not (tmp_path / "out.pdf").exists()
    assert sorted(p.name for p in work_copy.parent.iterdir()) == ["appendix-C.docx"]


def test_word_appendix_over_its_budget_is_refused_by_check(pack_dir: Path) -> None:
    import os
    import zipfile

    path = pack_dir / "appendices" / "2-photos.docx"
    with zipfile.ZipFile(path, "w") as archive:  # stored: photographs do not compress
        archive.writestr("word/document.xml", "<w:document/>")
        archive.writestr("word/media/photo.jpg", os.urandom(21 * 1024 * 1024))
    result = CliRunner().invoke(cli, ["check", str(pack_dir), "--date", str(TODAY)])
    assert result.exit_code == 1
    assert f"{path}: error: 21 MiB, over the limit of 20 MiB for a Word appendix" in result.output
