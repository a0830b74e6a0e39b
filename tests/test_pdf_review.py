"""`pack review FILE.pdf` and `pack harvest FILE.pdf` on the example pack built by the real
LibreOffice, annotated as Acrobat, Preview, pdf.js (Firefox) and Edge save their marks: each
kind reported at its answer line, each suggested edit made exactly and nothing else changed,
a pack older than its answers, encrypted packs, a PDF `pack` did not make, broken files."""

from __future__ import annotations

import hashlib
import json
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pikepdf
import pytest
from click.testing import CliRunner
from pypdf.generic import NameObject

from helpers.annotate import (
    Annotator,
    acrobat,
    acrobat_insert,
    acrobat_replace,
    acrobat_reply,
    annotated,
    pdfjs,
    phrase,
    preview,
    words,
)
from helpers.packs import EXAMPLE, built_example
from pipeline.cli import cli

pytestmark = pytest.mark.libreoffice

STEM = "University-of-Kelderwick_January_2027"
Q1, Q3 = (
    "Question 1: Profile of the organisation",
    "Question 3: Number and structure of technicians",
)


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """The example pack, built once: (inputs, pack)."""
    inputs, out, _ = built_example(tmp_path_factory.mktemp("pdf-review"))
    return inputs, out / f"{STEM}.pdf"


def page_of(pack: Path, text: str, start: int = 0) -> int:
    """The first page (from 0, at or after `start`) whose words include `text`."""
    wanted = text.split()
    for page in range(start, len(pikepdf.open(pack).pages)):
        found = [w for w, _ in words(pack, page)]
        if any(found[i : i + len(wanted)] == wanted for i in range(len(found))):
            return page
    raise AssertionError(text)


def review(pdf: Path, inputs: Path | None) -> list[dict[str, Any]]:
    args = ["review", str(pdf), *([str(inputs)] if inputs else []), "--json"]
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def harvest(pdf: Path, inputs: Path, *options: str) -> Any:
    return CliRunner().invoke(cli, ["harvest", str(pdf), str(inputs), *options])


def hashes(folder: Path) -> dict[str, str]:
    return {
        p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def one(found: list[dict[str, Any]], **wanted: Any) -> dict[str, Any]:
    matches = [i for i in found if all(i.get(k) == v for k, v in wanted.items())]
    assert len(matches) == 1, (wanted, found)
    return matches[0]


def acrobat_marks(pack: Path) -> Callable[[Annotator], None]:
    """What a reviewer does in Acrobat: a highlight with a note and a thread, a strike-out, a
    replacement inside bold text and one across the file's line wrap, an insertion, a sticky
    note in the margin, and a strike-out on the question's own wording."""

    def draw(a: Annotator) -> None:
        q1 = page_of(pack, "mid-sized research university", 1)
        note = acrobat(a, q1, "/Highlight", phrase(pack, q1, "mid-sized research university"),
                       "Say how many students", subject="Highlight")  # fmt: skip
        acrobat_reply(a, q1, note, "Agreed: 14,000 is right", "Lee Second")
        acrobat_reply(a, q1, note, "", "Dr Hana Reviewer", state="Accepted")
        acrobat(a, q1, "/StrikeOut", phrase(pack, q1, "forty minutes away"), subject="Cross-Out")
        two_lines = phrase(pack, q1, "14,000 students")
        assert len(two_lines) == 2  # the end of one line of the page and the start of the next
        acrobat(a, q1, "/Underline", two_lines, "HESA says 13,900", subject="Underline")
        acrobat_replace(a, q1, phrase(pack, q1, "England, with about"), "England, home to some")
        q3 = page_of(pack, "line-managed", 1)
        acrobat_replace(a, q3, phrase(pack, q3, "line-managed"), "managed")
        q3 = page_of(pack, "employed 412", 1)
        acrobat_replace(a, q3, phrase(pack, q3, "412", after="employed"), "415")
        q7 = page_of(pack, "not only when a", 1)
        acrobat_insert(
            a, q7, phrase(pack, q7, "only", after="from the first meeting, not")[0], "just"
        )
        acrobat(a, q7, "/Text", [(20, phrase(pack, q7, "had four stages.")[0][1], 40, phrase(pack, q7, "had four stages.")[0][3])],
                "Name the four stages here", subject="Sticky Note")  # fmt: skip
        acrobat(a, q1, "/StrikeOut", phrase(pack, q1, "brief profile"), subject="Cross-Out")

    return draw


def test_acrobat_marks_are_reported_at_their_answer_lines(
    built: tuple[Path, Path], tmp_path: Path
) -> None:
    inputs, pack = built
    pdf = annotated(pack, tmp_path / "acrobat.pdf", True, acrobat_marks(pack))
    assert pdf.read_bytes().startswith(pack.read_bytes())  # an incremental update, as Acrobat saves
    found = review(pdf, inputs)
    highlight = one(found, detail="highlight")
    assert highlight | {"date": ""} == highlight | {
        "question": 1, "kind": "comment", "author": "Dr Hana Reviewer", "text": "Say how many students",
        "anchor": "mid-sized research university", "where": Q1, "source": "answers/1-profile.md:1",
        "stale": False, "date": "",
    }  # fmt: skip
    assert highlight["date"] == "2026-12-01T10:30:00+00:00"
    index = found.index(highlight)
    assert found[index + 1] | {} == found[index + 1] | {
        "detail": "reply",
        "author": "Lee Second",
        "text": "Agreed: 14,000 is right",
    }
    assert found[index + 2]["detail"] == "reply, Accepted"
    assert (
        one(found, kind="deletion", text="forty minutes away")["source"] == "answers/1-profile.md:4"
    )
    underline = one(found, detail="underline")
    assert (underline["anchor"], underline["source"]) == (
        "14,000 students",
        "answers/1-profile.md:2",
    )
    wrapped = one(found, kind="edit", anchor="England, with about")
    assert (wrapped["text"], wrapped["source"]) == (
        "England, home to some",
        "answers/1-profile.md:1",
    )
    assert one(found, kind="edit", anchor="line-managed")["source"] == "answers/3-numbers.md:15"
    assert one(found, kind="edit", anchor="412")["source"] == "answers/3-numbers.md:1"
    assert one(found, kind="insertion", text="just")["source"] == "answers/7-technician-voice.md:1"
    note = one(found, detail="note")
    assert (note["text"], note["anchor"], note["source"]) == (
        "Name the four stages here",
        "",
        "answers/7-technician-voice.md:3",
    )
    assert one(found, kind="deletion", text="brief profile")["source"] == ""  # the form's own words
    assert [
        i["detail"] for i in found if i["detail"] == "link"
    ] == []  # the pack's links are its own
    question_1 = [(i["kind"], i["anchor"]) for i in found if i["question"] == 1]
    assert question_1 == [  # in reading order: the question's wording, then its answer
        ("deletion", "brief profile"),
        ("comment", "mid-sized research university"),
        ("comment", "mid-sized research university"),
        ("comment", "mid-sized research university"),
        ("edit", "England, with about"),
        ("comment", "14,000 students"),
        ("deletion", "forty minutes away"),
    ]


def test_acrobat_suggestions_are_applied_exactly(built: tuple[Path, Path], tmp_path: Path) -> None:
    inputs, pack = built
    pdf = annotated(pack, tmp_path / "acrobat.pdf", True, acrobat_marks(pack))
    work = Path(shutil.copytree(inputs, tmp_path / "inputs"))
    before = hashes(work)
    answers = {
        n: (work / "answers" / n).read_text(encoding="utf-8")
        for n in ("1-profile.md", "3-numbers.md", "7-technician-voice.md")
    }
    result = harvest(pdf, work, "--comments", str(tmp_path / "comments.md"))
    assert result.exit_code == 0, result.output
    expected = {
        "1-profile.md": answers["1-profile.md"]
        .replace("Saltmere, forty minutes away on the coast.", "Saltmere, on the coast.")
        .replace("north of England, with\nabout 14,000", "north of England, home to some 14,000"),
        "3-numbers.md": answers["3-numbers.md"]
        .replace("are line-managed within", "are managed within")
        .replace("**412 technicians**", "**415 technicians**"),
        "7-technician-voice.md": answers["7-technician-voice.md"].replace(
            "not only when", "not only just when"
        ),
    }
    for name, text in expected.items():
        assert (work / "answers" / name).read_text(encoding="utf-8") == text, name
    after = hashes(work)
    assert {k for k in before if before[k] != after[k]} == {f"answers/{n}" for n in expected}
    assert "brief profile" in result.stdout
    assert "not applied" in result.stdout
    comments = (tmp_path / "comments.md").read_text(encoding="utf-8")
    assert "Say how many students" in comments
    assert "Name the four stages here" in comments
    assert "forty minutes away" not in comments  # applied, so not a comment left to do
    again = harvest(pdf, work)  # the answers changed since the pack: nothing is applied twice
    assert again.exit_code == 0
    assert hashes(work) == after
    assert "changed since this pack was built" in again.stdout


def test_dry_run_prints_the_diff_and_writes_nothing(
    built: tuple[Path, Path], tmp_path: Path
) -> None:
    inputs, pack = built
    pdf = annotated(pack, tmp_path / "acrobat.pdf", True, acrobat_marks(pack))
    work = Path(shutil.copytree(inputs, tmp_path / "inputs"))
    before = hashes(work)
    result = harvest(pdf, work, "--dry-run", "--comments", str(tmp_path / "c.json"))
    assert result.exit_code == 0, result.output
    assert (
        "-a marine and coastal field station at Saltmere, forty minutes away on the coast.\n"
        in result.stdout
    )
    assert "+a marine and coastal field station at Saltmere, on the coast.\n" in result.stdout
    assert hashes(work) == before
    assert not (tmp_path / "c.json").exists()


def preview_and_pdfjs_marks(pack: Path) -> Callable[[Annotator], None]:
    def draw(a: Annotator) -> None:
        q4 = page_of(pack, "but the support was", 1)
        preview(a, q4, "/Highlight", phrase(pack, q4, "but the support was"))
        q5 = page_of(pack, "eighteen months since signing", 1)
        box = phrase(pack, q5, "eighteen months since signing")[0]
        preview(a, q5, "/FreeText", [(540, box[1], 590, box[3])], "Say which months")
        plan = page_of(pack, "equipment to the searchable staff", 5)
        preview(a, plan, "/Square", phrase(pack, plan, "equipment to the searchable staff"))
        q2 = page_of(pack, "tested with the technician", 1)
        tested = phrase(pack, q2, "tested with the technician")
        pdfjs(a, q2, "/Highlight", tested, "pdf.js comment")
        x0, y0, x1, y1 = tested[0]
        pdfjs(
            a,
            q2,
            "/Ink",
            [(x0 - 3, y0 - 3, x1 + 3, y1 + 3)],
            ink=[[x0 - 2, y0 - 2, x1 + 2, y0 - 2, x1 + 2, y1 + 2, x0 - 2, y1 + 2, x0 - 2, y0 - 2]],
        )
        pdfjs(
            a,
            q2,
            "/Ink",
            tested,
            ink=[[x0, (y0 + y1) / 2, x1, (y0 + y1) / 2]],
            **{"/IT": NameObject("/InkHighlight")},
        )
        preview(a, 0, "/Underline", phrase(pack, 0, "Dr Morag Fenwick"), "Use her full title")
        signoff = page_of(pack, "Professor Alasdair Penrose,", 5)
        preview(
            a,
            signoff,
            "/Stamp",
            phrase(pack, signoff, "Professor Alasdair Penrose,"),
            "Approved",
            **{"/Name": NameObject("/Approved")},
        )
        appendix = page_of(pack, "Approved by the People and Culture Committee", 12)
        pdfjs(
            a,
            appendix,
            "/FreeText",
            [(400, 780, 560, 800)],
            "Edge: is this the latest version?",
            **{"/T": NameObject("/Edge")},
        )

    return draw


@pytest.mark.parametrize("saved", ["preview-rewrite", "pdfjs-update", "edge-rewrite"])
def test_preview_pdfjs_and_edge_marks(built: tuple[Path, Path], tmp_path: Path, saved: str) -> None:
    inputs, pack = built
    pdf = annotated(
        pack, tmp_path / "marked.pdf", saved == "pdfjs-update", preview_and_pdfjs_marks(pack)
    )
    if saved == "preview-rewrite":  # Preview writes the whole file anew, compressed its own way
        with pikepdf.open(pdf, allow_overwriting_input=True) as rewritten:
            rewritten.save(pdf, object_stream_mode=pikepdf.ObjectStreamMode.generate)
    found = review(pdf, inputs)
    assert one(found, anchor="but the support was")["source"] == "answers/4-before-signing.md:2"
    box = one(found, detail="text box", text="Say which months")
    assert box["source"] == "answers/5-since-signing.md:1"
    assert box["date"] == "2026-12-01T10:15:00Z"
    square = one(found, detail="rectangle")
    assert square["where"] == "24-month action plan"
    assert (
        square["source"]
        == "action-plan.xlsx:4 (V1: Technicians named and known across the University)"
    )
    assert (
        one(found, detail="highlight", text="pdf.js comment")["source"]
        == "answers/2-definition.md:7"
    )
    assert one(found, detail="drawing")["anchor"] == "tested with the technician"
    assert one(found, detail="free-hand highlight")["source"] == "answers/2-definition.md:7"
    contents = one(found, text="Use her full title")
    assert (contents["where"], contents["anchor"], contents["question"]) == (
        "Contents",
        "Dr Morag Fenwick",
        None,
    )
    assert one(found, detail="stamp")["where"] == "Sign-off"
    order = [i["page"] for i in found]
    assert order == sorted(order)  # in reading order, page by page
    appendix = one(found, text="Edge: is this the latest version?")
    assert appendix["where"] == "Appendix B: Technician network terms of reference, its page 1"
    assert appendix["question"] is None


@pytest.mark.parametrize(
    ("revision", "aes"), [(6, True), (4, True), (3, False)]
)  # AES-256, AES-128, RC4
def test_owner_password_pack_reads_as_its_plain_copy(
    built: tuple[Path, Path], tmp_path: Path, revision: int, aes: bool
) -> None:
    inputs, pack = built
    plain = annotated(pack, tmp_path / "plain.pdf", True, acrobat_marks(pack))
    locked = tmp_path / "locked.pdf"
    with pikepdf.open(plain) as pdf:
        no_copy = pikepdf.Permissions(extract=False, modify_other=False)
        protection = pikepdf.Encryption(
            owner="owner-secret",
            user="",
            R=revision,
            aes=aes,
            allow=no_copy,
            metadata=revision >= 4,
        )
        pdf.save(locked, encryption=protection)
    assert pikepdf.open(locked).is_encrypted
    assert review(locked, inputs) == review(plain, inputs)
    work = Path(shutil.copytree(inputs, tmp_path / "inputs"))
    assert harvest(locked, work).exit_code == 0
    assert "Saltmere, on the coast." in (work / "answers/1-profile.md").read_text(encoding="utf-8")


def test_a_draft_pack_is_reviewed_and_harvested_the_same(
    built: tuple[Path, Path], tmp_path: Path
) -> None:
    inputs, _ = built
    work = Path(shutil.copytree(inputs, tmp_path / "inputs"))
    result = CliRunner().invoke(
        cli,
        [
            "assemble",
            str(work),
            "--out",
            str(tmp_path / "build"),
            "--date",
            "2026-11-22",
            "--draft",
        ],
    )
    assert result.exit_code == 0, result.output
    draft = tmp_path / "build" / f"{STEM}_DRAFT.pdf"
    q1 = page_of(draft, "forty minutes away", 1)
    pdf = annotated(
        draft,
        tmp_path / "draft.pdf",
        True,
        lambda a: acrobat(a, q1, "/StrikeOut", phrase(draft, q1, "forty minutes away")),
    )
    assert one(review(pdf, work), kind="deletion")["source"] == "answers/1-profile.md:4"
    assert harvest(pdf, work).exit_code == 0
    assert "Saltmere, on the coast." in (work / "answers/1-profile.md").read_text(encoding="utf-8")


def test_a_pack_older_than_its_answers_applies_nothing_to_them(
    built: tuple[Path, Path], tmp_path: Path
) -> None:
    inputs, pack = built
    pdf = annotated(pack, tmp_path / "acrobat.pdf", True, acrobat_marks(pack))
    work = Path(shutil.copytree(inputs, tmp_path / "inputs"))
    profile = work / "answers/1-profile.md"
    changed = "A new first paragraph, written after the pack was built.\n\n" + profile.read_text(
        encoding="utf-8"
    )
    profile.write_text(changed, encoding="utf-8")
    found = review(pdf, work)
    strike = one(found, kind="deletion", text="forty minutes away")
    assert strike["stale"] is True
    assert strike["source"] == "answers/1-profile.md:6"  # where the words are now
    assert one(found, kind="edit", anchor="line-managed")["stale"] is False
    result = harvest(pdf, work)
    assert result.exit_code == 0, result.output
    assert profile.read_text(encoding="utf-8") == changed
    assert "answers/1-profile.md changed since this pack was built" in result.stdout
    assert result.stderr.startswith(
        "answers/1-profile.md: warning: changed since this pack was built"
    )
    assert "are managed within" in (work / "answers/3-numbers.md").read_text(encoding="utf-8")


def test_a_pdf_pack_did_not_make_is_listed_by_page(tmp_path: Path) -> None:
    source = EXAMPLE / "appendices/2-technician-network-terms-of-reference.pdf"
    target = phrase(source, 0, "Terms of Reference")
    pdf = annotated(
        source,
        tmp_path / "other.pdf",
        False,
        lambda a: preview(a, 0, "/Highlight", target, "Whose terms?"),
    )
    result = CliRunner().invoke(cli, ["review", str(pdf), "--json"])
    assert result.exit_code == 0, result.output
    assert "not a pack made by pack" in result.stderr
    item = one(json.loads(result.stdout), text="Whose terms?")
    assert (item["where"], item["page"], item["anchor"], item["question"]) == (
        "Page 1",
        1,
        "Terms of Reference",
        None,
    )
    refused = harvest(pdf, tmp_path)
    assert refused.exit_code == 1
    assert refused.stderr.startswith(f"Error: {pdf}: not a pack made by pack")


@pytest.mark.parametrize(
    "damage", ["user-password", "truncated", "not-a-pdf-body", "no-pdf-header", "empty"]
)
def test_locked_or_damaged_files_are_refused_by_name(
    built: tuple[Path, Path], tmp_path: Path, damage: str
) -> None:
    inputs, pack = built
    target = tmp_path / "reviewed.pdf"
    if damage == "user-password":
        with pikepdf.open(pack) as pdf:
            pdf.save(target, encryption=pikepdf.Encryption(owner="o", user="secret", R=6))
    elif damage == "truncated":
        target.write_bytes(pack.read_bytes()[:2000])
    elif damage == "no-pdf-header":  # a file named .pdf that is not one: refused as a PDF
        target.write_bytes(bytes(range(256)) * 4)
    elif damage == "empty":
        target.write_bytes(b"")
    else:
        target.write_bytes(b"%PDF-1.7\n" + b"\x00garbage" * 500)
    for command in (["review", str(target), str(inputs)], ["harvest", str(target), str(inputs)]):
        result = CliRunner().invoke(cli, command)
        assert result.exit_code == 1, result.output
        assert result.stderr.startswith(f"Error: {target}: "), result.stderr
        assert "Traceback" not in result.output + result.stderr
        if damage == "user-password":
            assert "password-protected" in result.stderr
        else:
            assert "PDF" in result.stderr, result.stderr  # not "not an Office file"
