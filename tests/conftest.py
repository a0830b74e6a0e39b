from __future__ import annotations

import datetime as dt
import os
import re
import shutil
import subprocess
from pathlib import Path

import docx
import pytest
from docx.oxml.ns import qn

from pipeline.errors import ConversionError
from pipeline.form import TEMPLATES
from pipeline.libreoffice.soffice import find_soffice
from pipeline.markdown.renderer import render_markdown
from pipeline.word.context import DocumentContext

REPO = Path(__file__).resolve().parent.parent
EXAMPLE = REPO / "inputs"
TODAY = dt.date(2026, 11, 22)

PACK_TOML = """\
institution = "University of Testshire"
framework = "initial"
date_joined = 2025-05-14
website = "https://www.testshire.example/technicians"

[lead]
name = "Dr Ada Lead"
email = "a.lead@testshire.example"

[leader]
name = "Professor Ben Leader"
role = "Vice-Chancellor"

[signoff]
lead = 2026-11-02
leader = 2026-11-09
"""

PLAN_CSV = """\
Goal,Actions,Success measures,Year,Theme Alignment,Research,Education
"Visibility: Make technicians visible",,,,,,
V1: Seen across the campus,Publish a technician directory,Directory live with 90% of staff,2027,,x,
,Hold an open day,Two open days a year,All,Recognition,,x
"Recognition: Professional registration",,,,,,
R1: Registered technicians,Fund registration fees,50 registrations,2028,,X,x
"Career Development: Clear pathways",,,,,,
CD1: Documented pathways,Write role profiles,Profiles for every grade,2027/2028,,,
"Sustainability: Skills that last",,,,,,
S1: Apprentices,Recruit apprentices,Ten apprentices hired,All,,x,
"""


def write_pack(root: Path) -> Path:
    """A small valid pack written by the test itself."""
    (root / "answers").mkdir(parents=True)
    (root / "appendices").mkdir()
    (root / "pack.toml").write_text(PACK_TOML, encoding="utf-8")
    for number in range(1, 9):
        (root / "answers" / f"{number}-answer.md").write_text(
            f"Answer {number}: our technicians, **bold** and *italic*.\n\n- first\n- second\n",
            encoding="utf-8",
        )
    (root / "answers" / "8-answer.md").write_text(
        "Published at https://www.testshire.example/technicians.\n", encoding="utf-8"
    )
    (root / "action-plan.csv").write_text(PLAN_CSV, encoding="utf-8")
    (root / "appendices" / "1-survey.md").write_text(
        "# Survey of technicians\n\nNinety per cent replied.\n", encoding="utf-8"
    )
    return root


@pytest.fixture
def pack_dir(tmp_path: Path) -> Path:
    return write_pack(tmp_path / "inputs")


@pytest.fixture
def example(tmp_path: Path) -> Path:
    """A private copy of the example institution, safe to break."""
    return Path(shutil.copytree(EXAMPLE, tmp_path / "inputs"))


def uno_python() -> str | None:
    """A Python with LibreOffice's `uno` module: $PACK_UNO_PYTHON, the system python3, or the
    one LibreOffice ships; None if there is none."""
    candidates = [os.environ.get("PACK_UNO_PYTHON"), "/usr/bin/python3"]
    try:
        program = Path(os.path.realpath(find_soffice())).parent
        candidates.append(str(program / "python"))
    except ConversionError:
        pass
    for candidate in filter(None, candidates):
        if (
            shutil.which(candidate)
            and subprocess.run(
                [candidate, "-c", "import uno"], capture_output=True, check=False
            ).returncode
            == 0
        ):
            return candidate
    return None


@pytest.fixture(scope="session")
def uno() -> str:
    """The Python with `uno`; a skip without it locally, a failure under CI=true."""
    found = uno_python()
    if found is None:
        if os.environ.get("CI") == "true":
            pytest.fail("CI=true but no Python with LibreOffice's uno module (python3-uno)")
        pytest.skip("no Python with LibreOffice's uno module (python3-uno)")
    return found


def reviewer_edits(
    uno: str, source: Path, target: Path, author: str, edits: list[dict[str, object]]
) -> Path:
    """`source` edited in the real LibreOffice by `author`, saved as DOCX to `target`."""
    import json

    spec = target.with_suffix(".edits.json")
    spec.write_text(json.dumps({"author": author, "edits": edits}), encoding="utf-8")
    command = [
        uno,
        str(REPO / "tests" / "uno_edit.py"),
        find_soffice(),
        str(source),
        str(target),
        str(spec),
    ]
    done = subprocess.run(command, capture_output=True, text=True, timeout=120, check=False)
    assert done.returncode == 0, done.stderr
    return target


def _has_libreoffice() -> bool:
    try:
        find_soffice()
    except ConversionError:
        return False
    return True


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    if _has_libreoffice():
        return
    if os.environ.get("CI") == "true":
        raise pytest.UsageError(
            "CI=true but LibreOffice is not installed: the end-to-end tests must run"
        )
    skip = pytest.mark.skip(reason="LibreOffice is not installed")
    for item in items:
        if "libreoffice" in item.keywords:
            item.add_marker(skip)


def rendered(
    markdown: str, base_level: int = 1, source: Path = Path("answer.md")
) -> tuple[docx.document.Document, DocumentContext]:
    """The Markdown rendered into a copy of the real template's styles, and the document's
    context (its footnotes wait there, not yet attached)."""
    document = docx.Document(str(TEMPLATES / "self-assessment.docx"))
    body = document.element.body
    for child in list(body):
        if child.tag != qn("w:sectPr"):
            body.remove(child)
    doc = DocumentContext(document.part)
    content = render_markdown(markdown, doc, source, base_level)
    for child in list(content.body):
        body.insert(len(body) - 1, child)
    return document, doc


def to_document(
    markdown: str, base_level: int = 1, source: Path = Path("answer.md")
) -> docx.document.Document:
    """The Markdown rendered into a copy of the real template's styles."""
    return rendered(markdown, base_level, source)[0]


def wide_png(width: int, height: int) -> bytes:
    """A valid one-colour PNG, written without an imaging library."""
    import struct
    import zlib

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
        )

    row = b"\x00" + b"\x80\x80\x80" * width
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(row * height))
        + chunk(b"IEND", b"")
    )


def tokens(text: str) -> list[str]:
    """Runs of letters, runs of digits, and each other visible character on its own; a PDF's
    layout (footnote numbers, bidirectional marks, a line broken at a hyphen) cannot split them."""
    text = re.sub("[\u202a-\u202e\u2066-\u2069\u00ad]", "", text).replace("-\n", "-")
    return re.findall(r"[^\W\d_]+|\d+|[^\w\s]|_", text)


def in_order(needle: list[str], haystack: list[str]) -> str | None:
    """None when every token of `needle` appears in `haystack` in order; else the first that does not."""
    position = 0
    for token in needle:
        try:
            position = haystack.index(token, position) + 1
        except ValueError:
            return token
    return None


def pdf_text(path: Path, first: int | None = None, last: int | None = None) -> str:
    """pdftotext in layout mode, which keeps table rows and wide-spaced lines together."""
    pages = [*(["-f", str(first)] if first else []), *(["-l", str(last)] if last else [])]
    command = ["pdftotext", "-layout", "-enc", "UTF-8", *pages, str(path), "-"]
    return subprocess.run(command, check=True, capture_output=True, text=True).stdout


def blocks(markdown: str) -> list[str]:
    """The text of each paragraph, heading, list item and table cell, in order: the units a
    PDF keeps together (a table's cells may wrap beside each other)."""
    from pipeline.markdown.syntax import parser

    texts = []
    for token in parser().parse(markdown):
        if token.type == "inline":
            parts = [
                c.content if c.type in ("text", "code_inline") else " "
                for c in token.children or []
                if c.type in ("text", "code_inline", "softbreak", "hardbreak")
            ]
            texts.append("".join(parts))
    return [t for t in texts if t.strip()]


def encrypted_pdf(path: Path, user_password: str) -> Path:
    """A one-page PDF encrypted with RC4 (which pypdf opens without extra libraries)."""
    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(595, 842)
    writer.encrypt(user_password=user_password, owner_password="owner", algorithm="RC4-128")
    with path.open("wb") as handle:
        writer.write(handle)
    return path
