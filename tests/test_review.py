"""`pack review`: every comment and change, per question, with exact output; and reviewed files
as the untrusted input they are."""

from __future__ import annotations

import base64
import json
import random
import re
import subprocess
import sys
import zipfile
from pathlib import Path
from typing import Any

import docx
import pytest
from click.testing import CliRunner
from lxml import etree

import helpers.docx_edit as ed
from helpers.draft import make_draft, shared
from helpers.packs import write_pack
from pipeline.cli import cli
from pipeline.word import package as docx_read


@pytest.fixture(scope="module")
def drafted(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The small pack's draft, made once for the module."""
    root = tmp_path_factory.mktemp("review")
    return shared(make_draft(write_pack(root / "inputs"), root / "build"))


def review(path: Path, *options: str) -> Any:
    result = CliRunner().invoke(cli, ["review", str(path), *options])
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout) if "--json" in options else result.stdout


def comment(path: Path, containing: str, text: str, author: str) -> None:
    document = docx.Document(str(path))
    target = next(p for p in document.paragraphs if containing in p.text)
    document.add_comment(target.runs[0], text=text, author=author, initials="X")
    document.save(str(path))


def test_an_unreviewed_draft_has_nothing(drafted: Path) -> None:
    assert review(drafted) == "no comments or changes\n"
    assert review(drafted, "--json") == []


def test_the_report_per_question(drafted: Path, tmp_path: Path) -> None:
    def edit(root: Any) -> None:
        ed.track_insert_after(ed.paragraph(root, "Answer 2: our"), "Answer 2:", " (revised)")
        ed.track_delete(ed.paragraph(root, "Answer 5: our"), " and *italic*" if False else "our ")
        ed.new_paragraph_after(
            ed.paragraph(root, "Published at"),
            "A second paragraph, typed without tracking.",
            tracked=False,
        )

    reviewed = ed.rewrite(drafted, tmp_path / "reviewed.docx", edit)
    comment(reviewed, "Sign-off", "Who signs for the leader?", "Hamid Checker")
    made = docx.Document(str(drafted)).core_properties.modified.strftime("%Y-%m-%d %H:%M")
    commented = re.search(r"comment by Hamid Checker, (\S+ \d\d:\d\d)", review(reviewed))[1]
    assert review(reviewed) == (
        "Question 2: How the organisation defines its technicians\n"
        "  insertion by Rita Reviewer, 2026-12-01 10:00: '(revised)'\n"
        "      in: 'Answer 2: (revised) our technicians, bold and italic.'\n"
        "Question 5: Initiatives since signing\n"
        "  deletion by Rita Reviewer, 2026-12-01 10:00: 'our'\n"
        "      in: 'Answer 5: technicians, bold and italic.'\n"
        "Question 8: Publication on the website\n"
        "  edit, untracked (last saved by Technician Commitment pack builder, " + made + "): "
        "'A second paragraph, typed without tracking.' (added)\n"
        "Outside the answers (after 'Sign-off')\n"
        "  comment by Hamid Checker, " + commented + ": 'Who signs for the leader?'\n"
        "      on: 'Sign-off'\n"
        "4 items in 3 questions: 1 comment, 1 insertion, 1 deletion, 1 edit\n"
    )
    items = review(reviewed, "--json")
    assert [(i["question"], i["kind"]) for i in items] == [
        (2, "insertion"),
        (5, "deletion"),
        (8, "edit"),
        (None, "comment"),
    ]


def test_a_tracked_new_paragraph_is_one_insertion(drafted: Path, tmp_path: Path) -> None:
    def edit(root: Any) -> None:
        first = ed.new_paragraph_after(ed.paragraph(root, "Answer 3: our"), "A new paragraph.")
        ed.new_paragraph_after(first, "And another.")

    items = review(ed.rewrite(drafted, tmp_path / "r.docx", edit), "--json")
    assert [(i["question"], i["kind"], i["text"]) for i in items] == [
        (3, "insertion", "A new paragraph.\nAnd another.")
    ]


def test_a_deleted_paragraph_is_one_deletion(drafted: Path, tmp_path: Path) -> None:
    items = review(
        ed.rewrite(
            drafted,
            tmp_path / "r.docx",
            lambda root: ed.delete_paragraph_tracked(ed.paragraph(root, "Answer 4: our")),
        ),
        "--json",
    )
    assert [(i["question"], i["kind"], i["text"]) for i in items] == [
        (4, "deletion", "Answer 4: our technicians, bold and italic.")
    ]


def test_without_the_record_changes_and_comments_are_still_listed(
    drafted: Path, tmp_path: Path
) -> None:
    stripped = tmp_path / "stripped.docx"
    with zipfile.ZipFile(drafted) as source, zipfile.ZipFile(stripped, "w") as out:
        for info in source.infolist():
            data = source.read(info)
            if info.filename.startswith("customXml/item") and b"urn:tc-pack:draft" in data:
                data = b'<?xml version="1.0"?><other xmlns="urn:example"/>'
            out.writestr(info, data)
    comment(stripped, "Answer 1: our", "Fine.", "Hamid Checker")
    result = CliRunner().invoke(cli, ["review", str(stripped)])
    assert result.exit_code == 0
    assert "warning: the draft's record of its sources is missing" in result.stderr
    assert result.stdout.splitlines()[-1] == "1 item in 1 question: 1 comment"
    harvest = CliRunner().invoke(cli, ["harvest", str(stripped), str(tmp_path)])
    assert harvest.exit_code == 1
    assert "the draft's record of its sources is missing" in harvest.stderr


# -- reviewed files are untrusted ---------------------------------------------------------
def with_part(source: Path, target: Path, name: str, data: bytes | None) -> Path:
    """`source` with part `name` replaced (or removed, when `data` is None)."""
    with (
        zipfile.ZipFile(source) as archive,
        zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as out,
    ):
        for info in archive.infolist():
            if info.filename != name:
                out.writestr(info, archive.read(info))
        if data is not None:
            out.writestr(name, data)
    return target


LAUGHS = (
    b'<?xml version="1.0"?><!DOCTYPE w [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">'
    b'<!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;"><!ENTITY d "&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;">]>'
    b'<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body><w:p><w:r><w:t>&d;</w:t></w:r></w:p></w:body></w:document>'
)
HIDDEN_DOCTYPE = (
    b'<?xml version="1.0"?><!--'
    + b"x" * 6000
    + b'--><!DOCTYPE w [<!ENTITY e SYSTEM "file:///etc/passwd">]><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body><w:p><w:r><w:t>&e;</w:t></w:r></w:p></w:body></w:document>'
)
DEEP = (  # random ids, so that it compresses no better than a real document
    b'<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>'
    + b"".join(b'<w:sdt w:id="%d">' % n for n in random.Random(7).sample(range(10**9), 100_000))
    + b"</w:sdt>" * 100_000
    + b"</w:body></w:document>"
)


def hostile(kind: str, drafted: Path, tmp_path: Path) -> Path:
    target = tmp_path / f"{kind}.docx"
    if kind == "text-named-docx":
        target.write_text("Dear reviewer, here are my comments.\n", encoding="utf-8")
    elif kind == "truncated":
        target.write_bytes(drafted.read_bytes()[: drafted.stat().st_size // 2])
    elif kind == "no-document":
        with_part(drafted, target, "word/document.xml", None)
    elif kind == "zip-bomb":
        with_part(drafted, target, "word/document.xml", b"<a>" + b" " * 60_000_000 + b"</a>")
    elif kind == "billion-laughs":
        with_part(drafted, target, "word/document.xml", LAUGHS)
    elif kind == "hidden-doctype":
        with_part(drafted, target, "word/document.xml", HIDDEN_DOCTYPE)
    elif kind == "deep-nesting":
        with_part(drafted, target, "word/document.xml", DEEP)
    elif kind == "comments-not-xml":
        with_part(
            drafted, target, "word/document.xml", zipfile.ZipFile(drafted).read("word/document.xml")
        )
        document = docx.Document(str(target))
        document.add_comment(document.paragraphs[0].runs[0], text="x", author="y")
        document.save(str(target))
        with_part(target, tmp_path / "c.docx", "word/comments.xml", b"<w:comments><unclosed>")
        target = tmp_path / "c.docx"
    elif kind == "record-damaged":
        archive = zipfile.ZipFile(drafted)
        name = next(
            n
            for n in archive.namelist()
            if n.startswith("customXml/item") and b"tc-pack" in archive.read(n)
        )
        root = etree.fromstring(archive.read(name))
        answer = next(a for a in root if a.get("number") == "3")
        answer.text = base64.b64encode(b"Not what was drafted.\n").decode()
        with_part(drafted, target, name, etree.tostring(root))
    elif kind == "not-a-draft":
        target.write_bytes(
            (Path(__file__).parent.parent / "templates" / "appendix.docx").read_bytes()
        )
    return target


HOSTILE = {
    "text-named-docx": "not an Office file (not a zip archive)",
    "truncated": "not an Office file (not a zip archive)",
    "no-document": "not the expected Office document (no word/document.xml)",
    "zip-bomb": "part word/document.xml expands suspiciously; refused",
    "billion-laughs": "part word/document.xml has a DOCTYPE; refused",
    "hidden-doctype": "part word/document.xml has a DOCTYPE; refused",
    "deep-nesting": "part word/document.xml nests tables, content controls or other elements",
    "comments-not-xml": "damaged: part word/comments.xml is not XML",
    "record-damaged": "the draft's record is damaged (the recorded answer 3 does not match its hash)",
    "not-a-draft": "not a draft made by `pack draft` (no answer bookmarks)",
}


@pytest.mark.parametrize("command", ["review", "harvest"])
@pytest.mark.parametrize("kind", sorted(HOSTILE))
def test_a_damaged_or_hostile_file_gets_one_clear_line(
    kind: str, command: str, drafted: Path, pack_dir: Path, tmp_path: Path
) -> None:
    bad = hostile(kind, drafted, tmp_path)
    before = {p: p.read_bytes() for p in pack_dir.rglob("*") if p.is_file()}
    arguments = [command, str(bad)] + ([str(pack_dir)] if command == "harvest" else [])
    result = CliRunner().invoke(cli, arguments)
    assert result.exit_code == 1, result.output
    assert result.stdout == ""
    assert result.stderr.startswith(f"Error: {bad}: ")
    assert HOSTILE[kind] in result.stderr
    assert result.stderr.count("\n") == 1
    assert {p: p.read_bytes() for p in pack_dir.rglob("*") if p.is_file()} == before


def test_a_part_too_large_to_be_a_drafts(drafted: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(docx_read, "MAX_PART", 10_000)
    result = CliRunner().invoke(cli, ["review", str(drafted)])
    assert result.exit_code == 1
    assert "is too large to be a draft's; refused" in result.stderr


@pytest.mark.parametrize("kind", ["zip-bomb", "billion-laughs", "deep-nesting"])
def test_hostile_files_cost_little_time_and_memory(
    kind: str, drafted: Path, tmp_path: Path
) -> None:
    """Run as its own process, under a 1 GiB address-space limit: it must still answer with
    its one line, within seconds, and its peak memory is measured."""
    bad = hostile(kind, drafted, tmp_path)
    probe = (
        "import resource, subprocess, sys, time\n"
        "resource.setrlimit(resource.RLIMIT_AS, (2**30, 2**30))\n"
        "start = time.monotonic()\n"
        f"done = subprocess.run([sys.executable, '-m', 'pipeline', 'review', {str(bad)!r}], capture_output=True, text=True)\n"
        "print(done.returncode, round(time.monotonic() - start, 2), resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)\n"
        "print(done.stderr)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, timeout=60, check=True
    )
    status, seconds, peak_kib = done.stdout.splitlines()[0].split()
    assert status == "1", done.stdout
    assert f"Error: {bad}: " in done.stdout
    assert float(seconds) < 10
    assert int(peak_kib) < 300 * 1024  # KiB: the bomb is never inflated, the laughs never expanded


# -- changes without text, as Word records them --------------------------------------------
def test_word_shaped_changes_without_text(pack_dir: Path, tmp_path: Path) -> None:
    """What Word records and LibreOffice does not (moves, a list level as a tracked paragraph
    change, a tracked table row deletion, bold as a tracked run change) and changes inside a
    footnote's text: each listed with what it is, and harvested into its own lines."""
    answers = pack_dir / "answers"
    (answers / "5-answer.md").write_text(
        "A table of counts:\n\n| Site | Staff |\n|:--|--:|\n| North | 12 |\n| South | 7 |\n",
        encoding="utf-8",
    )
    (answers / "6-answer.md").write_text(
        "Answer 6 has a note.[^n]\n\n[^n]: The note as drafted.\n", encoding="utf-8"
    )
    draft = make_draft(pack_dir, tmp_path / "build")

    def edit(root: Any) -> None:
        ed.track_move(ed.paragraph(root, "Answer 2: our"), "our ", "italic")
        ed.track_level(ed.paragraph(root, "Answer 3: our").getnext().getnext(), 1)
        ed.make_bold_tracked(ed.paragraph(root, "Answer 4: our"), "technicians")
        row = next(
            r
            for r in root.iter(ed.q("tr"))
            if "South" in "".join(t.text or "" for t in r.iter(ed.q("t")))
        )
        ed.delete_row_tracked(row)

    body = ed.rewrite(draft, tmp_path / "body.docx", edit)
    reviewed = ed.rewrite(
        body,
        tmp_path / "reviewed.docx",
        lambda root: ed.track_insert_after(
            ed.paragraph(root, "The note as drafted."), "The note as drafted.", " Now longer."
        ),
        part="word/footnotes.xml",
    )
    items = review(reviewed, "--json")
    assert [(i["question"], i["kind"], i["detail"], i["text"]) for i in items] == [
        (2, "move", "moved away", "our "),
        (2, "move", "moved here", "our "),
        (3, "formatting", "list level 1 to 2", ""),
        (4, "formatting", "bold", "technicians"),
        (5, "deletion", "table row", "South | 7"),
        (6, "insertion", "in a footnote", " Now longer."),
    ]
    assert items[2]["anchor"] == "second"
    assert items[5]["anchor"] == "The note as drafted. Now longer."
    assert review(reviewed).splitlines()[1:3] == [
        "  move by Rita Reviewer, 2026-12-01 10:00: moved away 'our'",
        "      in: 'Answer 2: technicians, bold and italicour .'",
    ]

    before = {p.name: p.read_text(encoding="utf-8") for p in answers.iterdir()}
    result = CliRunner().invoke(cli, ["harvest", str(reviewed), str(pack_dir)])
    assert result.exit_code == 0, result.output
    after = {p.name: p.read_text(encoding="utf-8") for p in answers.iterdir()}
    assert {name: text for name, text in after.items() if before.get(name) != text} == {
        "2-answer.md": "Answer 2: technicians, **bold** and *italic*our .\n\n- first\n- second\n",
        "3-answer.md": before["3-answer.md"].replace("- second\n", "  - second\n"),
        "4-answer.md": before["4-answer.md"].replace("our technicians,", "our **technicians**,"),
        "5-answer.md": before["5-answer.md"].replace("| South | 7 |\n", ""),
        "6-answer.md": before["6-answer.md"].replace(
            "The note as drafted.", "The note as drafted. Now longer."
        ),
    }


def test_a_deletion_written_outside_the_insertion_it_shortens(
    drafted: Path, tmp_path: Path
) -> None:
    """One reviewer inserts a sentence, a second deletes part of it, and the program writes
    that deletion on its own rather than inside the insertion: the deleted words were never in
    the source, and are not listed as an untracked edit."""

    def edit(root: Any) -> None:
        p = ed.paragraph(root, "Answer 2: our")
        target, parent = ed.split_at(p, "Answer 2:")
        at = list(parent).index(target) + 1
        parent.insert(at, ed.change("ins", ed.run(" Their work is")))
        parent.insert(at + 1, ed.change("del", ed.run(" celebrated each"), author="Sam Second"))
        parent.insert(at + 2, ed.change("ins", ed.run(" June.")))

    items = review(ed.rewrite(drafted, tmp_path / "r.docx", edit), "--json")
    assert [(i["question"], i["kind"], i["author"], i["text"]) for i in items] == [
        (2, "insertion", "Rita Reviewer", " Their work is"),
        (2, "deletion", "Sam Second", " celebrated each"),
        (2, "insertion", "Rita Reviewer", " June."),
    ]
