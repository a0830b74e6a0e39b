"""Word appendices that still hold a review, as Word, Word for the web, Strict Open XML, a
comparison tool, PHPWord and POI write them: refused by default (the message as it was),
accepted in the pack's copy with --accept-changes or `accept_changes = true` (every tracked
change accepted, comments left out, in the body, a table, a header, a footer and a footnote),
said per file, and the file itself never changed, byte for byte."""

from __future__ import annotations

import zipfile
from pathlib import Path

import docx
import pytest
from click.testing import CliRunner

from helpers.packs import TODAY, write_pack
from helpers.pdf import pdf_text
from helpers.reviewed_word import (
    CHANGES,
    COMMENTS,
    EXPECTED_BODY,
    EXPECTED_FOOTER,
    EXPECTED_HEADER,
    EXPECTED_NOTE,
    GONE,
    SHAPES,
    Shape,
    paragraphs,
    write,
)
from pipeline.cli import cli
from pipeline.word.accept import accept_changes
from pipeline.word.revisions import copy_without_comments, counts

SHAPE_IDS = [s.name for s in SHAPES]
W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


def run_check(root: Path, *options: str) -> tuple[int, str]:
    result = CliRunner().invoke(cli, ["check", str(root), "--date", str(TODAY), *options])
    return result.exit_code, result.output


@pytest.mark.parametrize("shape", SHAPES, ids=SHAPE_IDS)
def test_every_change_and_comment_is_counted(tmp_path: Path, shape: Shape) -> None:
    found = counts(write(shape, tmp_path / "x.docx"))
    assert (found.changes, found.comments) == (CHANGES, COMMENTS)


@pytest.mark.parametrize("shape", SHAPES, ids=SHAPE_IDS)
def test_refused_by_default_with_the_message_as_it_was(pack_dir: Path, shape: Shape) -> None:
    path = write(shape, pack_dir / "appendices" / "4-terms.docx")
    code, output = run_check(pack_dir)
    assert code == 1
    assert (
        f"{path}: error: {CHANGES} tracked changes and {COMMENTS} comments; accept or reject "
        "them in Word, or build with --draft"
    ) in output


@pytest.mark.parametrize("how", ["option", "pack.toml"])
def test_accepted_in_the_packs_copy_said_per_file(pack_dir: Path, how: str) -> None:
    """--accept-changes, or `accept_changes = true` in pack.toml for CI: a note per file,
    never a failure, not even under --strict."""
    paths = [
        write(s, pack_dir / "appendices" / f"{i + 2}-{s.name}.docx") for i, s in enumerate(SHAPES)
    ]
    options = ["--strict"]
    if how == "option":
        options.append("--accept-changes")
    else:
        toml = pack_dir / "pack.toml"
        toml.write_text(
            "accept_changes = true\n" + toml.read_text(encoding="utf-8"), encoding="utf-8"
        )
    code, output = run_check(pack_dir, *options)
    assert code == 0, output
    for path in paths:
        assert (
            f"{path}: note: {CHANGES} tracked changes and {COMMENTS} comments: the changes "
            "accepted and the comments left out in the pack's copy (--accept-changes); the "
            "file itself is unchanged"
        ) in output
    assert output.endswith("0 errors, 0 warnings\n")


def test_accept_changes_in_pack_toml_must_be_true_or_false(pack_dir: Path) -> None:
    toml = pack_dir / "pack.toml"
    toml.write_text('accept_changes = "yes"\n' + toml.read_text(encoding="utf-8"), encoding="utf-8")
    code, output = run_check(pack_dir)
    assert code == 1
    assert (
        f"{toml}:1: error: accept_changes must be true or false, without quotes: "
        "accept_changes = true"
    ) in output


@pytest.mark.parametrize("shape", SHAPES, ids=SHAPE_IDS)
def test_the_copy_has_every_change_accepted_and_the_file_is_unchanged(
    tmp_path: Path, shape: Shape
) -> None:
    source = write(shape, tmp_path / "reviewed.docx")
    before = source.read_bytes()
    accepted = tmp_path / "accepted.docx"
    assert accept_changes(source, accepted) == CHANGES
    final = tmp_path / "final.docx"
    assert copy_without_comments(accepted, final) == COMMENTS
    assert source.read_bytes() == before  # byte for byte
    found = counts(final)
    assert (found.changes, found.comments) == (0, 0)
    assert paragraphs(final, "main") == EXPECTED_BODY
    assert paragraphs(final, "word/header1.xml") == EXPECTED_HEADER
    assert paragraphs(final, "word/footer1.xml") == EXPECTED_FOOTER
    assert paragraphs(final, "word/footnotes.xml") == EXPECTED_NOTE
    with zipfile.ZipFile(final) as archive:
        everything = b"".join(archive.read(n) for n in archive.namelist())
    for words in GONE:
        assert words.encode() not in everything
    assert b"trackRevisions" not in everything  # LibreOffice records nothing of its own
    assert b"delText" not in everything
    assert b"commentRangeStart" not in everything  # body, table, header, footer, footnote
    assert b"commentReference" not in everything


def test_a_file_without_changes_is_copied_byte_for_byte(tmp_path: Path) -> None:
    clean = tmp_path / "clean.docx"
    document = docx.Document()
    document.add_paragraph("Nothing to accept.")
    document.save(str(clean))
    assert accept_changes(clean, tmp_path / "copy.docx") == 0
    assert (tmp_path / "copy.docx").read_bytes() == clean.read_bytes()


@pytest.mark.libreoffice
def test_a_pack_with_every_shape_builds_with_the_changes_accepted(tmp_path: Path) -> None:
    inputs = write_pack(tmp_path / "inputs")
    for index, shape in enumerate(SHAPES):
        write(shape, inputs / "appendices" / f"{index + 2}-{shape.name}.docx")
    before = {p: p.read_bytes() for p in (inputs / "appendices").iterdir()}
    out = tmp_path / "build"
    args = ["assemble", str(inputs), "--out", str(out), "--date", str(TODAY)]
    refused = CliRunner().invoke(cli, args)
    assert refused.exit_code == 1
    built = CliRunner().invoke(cli, [*args, "--accept-changes"])
    assert built.exit_code == 0, built.output
    noted = f"note: {CHANGES} tracked changes and {COMMENTS} comments"
    assert built.stderr.count(noted) == len(SHAPES)
    assert {p: p.read_bytes() for p in (inputs / "appendices").iterdir()} == before
    pack = Path(built.stdout.splitlines()[-1])
    text = " ".join(pdf_text(pack).split())
    for index in range(len(SHAPES)):
        assert f"Appendix {chr(ord('B') + index)}:" in text
    for line in [*EXPECTED_BODY, *EXPECTED_HEADER, *EXPECTED_FOOTER, "new text."]:
        assert text.count(line) >= len(SHAPES), line
    for words in (
        "deleted words",
        "Row deleted",
        "Paragraph removed",
        "Is this right?",
        "Remark 2",
        "Remark 5",
    ):
        assert words not in text
    assert text.count("moved") == len(SHAPES)  # moved once, not shown twice
    verified = CliRunner().invoke(cli, ["verify", str(pack), str(inputs)])
    assert verified.exit_code == 0, verified.output  # read as the pack shows them: accepted
    again = CliRunner().invoke(cli, [*args, "--accept-changes"])
    assert "nothing changed since the last build" in again.stderr
    assert again.stderr.count(noted) == len(SHAPES)


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        # a paragraph alone in a content control, moved away: the control goes with it
        (
            "<w:p><w:r><w:t>Before.</w:t></w:r></w:p><w:sdt><w:sdtContent><w:p><w:pPr><w:rPr>"
            "<w:moveFrom w:id='1' w:author='R' w:date='2026-11-01T00:00:00Z'/></w:rPr></w:pPr>"
            "<w:moveFrom w:id='2' w:author='R' w:date='2026-11-01T00:00:00Z'><w:r><w:t>Moved."
            "</w:t></w:r></w:moveFrom></w:p></w:sdtContent></w:sdt><w:p><w:r><w:t>After.</w:t>"
            "</w:r></w:p>",
            ["Before.", "After."],
        ),
        # a deleted paragraph before a table, its mark deleted too: no empty line left
        (
            "<w:p><w:pPr><w:rPr><w:del w:id='1' w:author='R' w:date='2026-11-01T00:00:00Z'/>"
            "</w:rPr></w:pPr><w:del w:id='2' w:author='R' w:date='2026-11-01T00:00:00Z'><w:r>"
            "<w:delText>Gone.</w:delText></w:r></w:del></w:p><w:tbl><w:tr><w:tc><w:p><w:r>"
            "<w:t>Cell.</w:t></w:r></w:p></w:tc></w:tr></w:tbl>",
            ["Cell."],
        ),
        # every row of a table deleted: the table goes, and a cell is never left empty
        (
            "<w:tbl><w:tr><w:trPr><w:del w:id='1' w:author='R' w:date='2026-11-01T00:00:00Z'/>"
            "</w:trPr><w:tc><w:p><w:r><w:t>Row.</w:t></w:r></w:p></w:tc></w:tr></w:tbl>"
            "<w:p><w:r><w:t>Kept.</w:t></w:r></w:p>",
            ["Kept."],
        ),
    ],
    ids=["content-control-moved-away", "deleted-before-a-table", "every-row-deleted"],
)
def test_what_accepting_leaves_no_trace_of(body: str, expected: list[str]) -> None:
    from lxml import etree

    from pipeline.word.accept import accept_part

    w = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
    root = etree.fromstring(f'<w:document xmlns:w="{w}"><w:body>{body}</w:body></w:document>')
    accept_part(root)
    texts = ["".join(t.text or "" for t in p.iter(f"{{{w}}}t")) for p in root.iter(f"{{{w}}}p")]
    assert texts == expected
    assert root.find(f".//{{{w}}}tbl") is None or root.find(f".//{{{w}}}tr") is not None


def test_render_makes_the_copy_again_when_the_setting_changes(tmp_path: Path) -> None:
    """`pack render --accept-changes`: the Word copy converted has no review left; the same
    inputs rendered without it (a draft) show the review again: the setting is in the key."""
    inputs = write_pack(tmp_path / "inputs")
    write(SHAPES[0], inputs / "appendices" / "2-terms.docx")
    out = tmp_path / "build"

    def rendered(*options: str) -> Path:
        args = ["render", str(inputs), "--out", str(out), "--date", str(TODAY), *options]
        result = CliRunner().invoke(cli, args)
        assert result.exit_code == 0, result.output
        return next(Path(line) for line in result.stdout.splitlines() if "appendix-B" in line)

    copy = rendered("--draft", "--accept-changes")
    assert (counts(copy).changes, counts(copy).comments) == (0, 0)
    copy = rendered("--draft")
    assert (counts(copy).changes, counts(copy).comments) == (CHANGES, 0)
