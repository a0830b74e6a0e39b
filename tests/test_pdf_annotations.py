"""PDF appendices with annotations of every subtype: a reviewer's notes, replies and marks on the
text are refused by default and left out of the pack's copy with --accept-changes; text boxes,
stamps, ink, shapes and watermarks are content, printed and never refused; a redaction marked
and not applied is refused; a form filled in without appearances keeps its values."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pikepdf
import pytest
from click.testing import CliRunner
from PIL import Image

from helpers.annotated import (
    ACTIVE,
    CONTENT,
    EVERY,
    OTHER,
    REVIEW,
    annotated,
    need_appearances,
    tagged,
)
from helpers.images import body, differing, png
from helpers.packs import TODAY
from helpers.pdf import pdf_text
from helpers.pdf_make import blank_pdf
from pipeline.cli import cli
from pipeline.finish.combine import combine
from pipeline.incremental.manifest import Manifest, Part

NAMES = {
    "/Text": "sticky note",
    "/Highlight": "highlight",
    "/Underline": "underline",
    "/Squiggly": "squiggly underline",
    "/StrikeOut": "strike-out",
    "/Caret": "insertion mark",
}


def manifest(*paths: Path, accepted: bool = False) -> Manifest:
    parts = [
        Part("Form" if i == 0 else f"Appendix {i}", str(p), str(p)) for i, p in enumerate(paths)
    ]
    made = Manifest("Pack", "University/January/2027", "Lead", "Subject", "Keys", tuple(parts))
    return replace(made, accepted=accepted)


def run_check(root: Path, *options: str) -> tuple[int, str]:
    result = CliRunner().invoke(cli, ["check", str(root), "--date", str(TODAY), *options])
    return result.exit_code, result.output


@pytest.mark.parametrize("subtype", EVERY)
def test_what_each_subtype_is_to_a_final_build(pack_dir: Path, subtype: str) -> None:
    path = annotated(pack_dir / "appendices" / "2-minutes.pdf", (subtype,))
    code, output = run_check(pack_dir)
    if subtype in REVIEW:
        assert code == 1
        assert (
            f"{path}: error: 1 {NAMES[subtype]}; remove them in your PDF reader (or save a "
            "flattened copy), or build with --draft"
        ) in output
    elif subtype == "/Redact":
        assert code == 1
        assert (
            f"{path}: error: 1 redaction marked but not applied: the text under it is still in "
            "the file and every reader shows it; apply the redactions in your PDF editor "
            "(Acrobat: Redact > Apply), or remove the marks"
        ) in output
    else:  # content, links, active content (removed when combining), pop-ups, fields
        assert code == 0, output
        assert "appendices/2-minutes.pdf: error" not in output
        assert "appendices/2-minutes.pdf: note" not in output


def test_replies_are_part_of_the_review(pack_dir: Path) -> None:
    path = annotated(pack_dir / "appendices" / "2-minutes.pdf", ("/Highlight",), reply=True)
    code, output = run_check(pack_dir)
    assert code == 1
    assert f"{path}: error: 1 highlight and 1 reply; remove them" in output
    code, output = run_check(pack_dir, "--accept-changes")
    assert code == 0, output
    assert (
        f"{path}: note: 1 highlight and 1 reply: left out in the pack's copy (--accept-changes); "
        "the file itself is unchanged"
    ) in output


def test_a_redaction_is_refused_even_when_accepting(pack_dir: Path) -> None:
    annotated(pack_dir / "appendices" / "2-minutes.pdf", ("/Redact", "/Text"))
    code, output = run_check(pack_dir, "--accept-changes")
    assert code == 1
    assert "1 redaction marked but not applied" in output
    assert "1 sticky note: left out in the pack's copy" in output


def shown(image: Image.Image, index: int) -> bool:
    """Whether the square of the `index`-th annotation `annotated` drew is on the page image."""
    x, y = 40 + (index % 10) * 52 + 20, 600 - (index // 10) * 60 + 20
    red, green, blue = image.getpixel((x, 842 - y))
    return red > 200 and green < 80 and blue < 80


SHOWN = (*REVIEW, *CONTENT)
"""The subtypes whose squares a reader draws (poppler, like every reader, draws these)."""


@pytest.mark.parametrize("accepted", [False, True], ids=["draft", "accepted"])
def test_the_pack_shows_content_and_leaves_out_the_review_when_accepting(
    tmp_path: Path, accepted: bool
) -> None:
    form = blank_pdf(tmp_path / "form.pdf")
    source = annotated(tmp_path / "minutes.pdf", SHOWN, reply=True)
    before_bytes = source.read_bytes()
    out = combine(manifest(form, source, accepted=accepted), tmp_path / "pack.pdf")
    assert source.read_bytes() == before_bytes  # the file itself: never changed
    before = png(source, 1, tmp_path / "before", dpi=72)
    after = png(out, 2, tmp_path / "after", dpi=72)
    for index, subtype in enumerate(SHOWN):
        assert shown(before, index), subtype
        expected = subtype in CONTENT or not accepted
        assert shown(after, index) == expected, subtype
    with pikepdf.open(out) as pack:
        kinds = [str(a.get("/Subtype")) for a in pack.pages[1].obj.get("/Annots", [])]
        replies = [a for a in pack.pages[1].obj.get("/Annots", []) if "/IRT" in a]
    if accepted:
        assert sorted(kinds) == sorted(CONTENT)
        assert not replies
    else:
        assert set(kinds) >= {*SHOWN, "/Popup"}
        assert len(replies) == 1


def test_a_tagged_note_leaves_no_trace_in_the_packs_structure(tmp_path: Path) -> None:
    """Acrobat tags annotations: the note's element goes with it, so that nothing in the pack's
    structure points at an annotation that is on no page (and the note is not in the file)."""
    form = blank_pdf(tmp_path / "form.pdf")
    source = tagged(annotated(tmp_path / "minutes.pdf", ("/Text", "/Highlight", "/FreeText")))
    out = combine(manifest(form, source, accepted=True), tmp_path / "pack.pdf")
    with pikepdf.open(out) as pack:
        on_pages = {a.objgen for page in pack.pages for a in page.obj.get("/Annots", [])}
        annots = [o for o in pack.objects if isinstance(o, pikepdf.Dictionary) and "/Rect" in o]
        assert [str(a.Subtype) for a in annots] == ["/FreeText"]
        references, stack = [], [pack.Root.StructTreeRoot]
        while stack:
            item = stack.pop()
            if isinstance(item, pikepdf.Array):
                stack.extend(item)
            elif isinstance(item, pikepdf.Dictionary):
                if item.get("/Type") == "/OBJR":
                    references.append(item.Obj.objgen)
                elif "/K" in item:
                    stack.append(item.K)
        assert references
        assert set(references) <= on_pages


def test_active_and_other_annotations_whatever_the_mode(tmp_path: Path) -> None:
    form = blank_pdf(tmp_path / "form.pdf")
    source = annotated(tmp_path / "minutes.pdf", (*ACTIVE, *OTHER))
    for accepted in (False, True):
        out = combine(manifest(form, source, accepted=accepted), tmp_path / f"pack{accepted}.pdf")
        with pikepdf.open(out) as pack:
            kinds = {str(a.get("/Subtype")) for a in pack.pages[1].obj.get("/Annots", [])}
        assert kinds == set(OTHER)


# -- forms filled in without appearances ------------------------------------------------------


def ink(image: Image.Image, box: tuple[int, int, int, int]) -> tuple[int, tuple[int, ...]]:
    """How many dark pixels `box` of a page image holds, and where they are (their bounds)."""
    dark = image.crop(box).convert("L").point(lambda v: 255 if v < 128 else 0)
    return dark.histogram()[255], dark.getbbox() or ()


FIELDS = ((60, 842 - 640, 420, 842 - 590), (60, 842 - 580, 420, 842 - 530))
"""The text field's and the choice's boxes on a page image at 72 dpi."""


def test_a_form_left_without_appearances_keeps_its_values(tmp_path: Path) -> None:
    form = blank_pdf(tmp_path / "form.pdf")
    filled = need_appearances(tmp_path / "filled.pdf")
    out = combine(manifest(form, filled), tmp_path / "pack.pdf")
    before = png(filled, 1, tmp_path / "before", dpi=72)  # as a reader shows it, drawing the values
    after = png(out, 2, tmp_path / "after", dpi=72)
    for box in FIELDS:  # the same words, within a pixel or two of where a reader puts them
        (shown, where), (kept, there) = ink(before, box), ink(after, box)
        assert shown > 100
        assert abs(kept - shown) < shown / 5
        assert max(abs(a - b) for a, b in zip(where, there, strict=True)) <= 3
    text = pdf_text(out, 2, 2)
    assert "Margaret Technician" in text
    assert "Senior" in text
    assert after.getpixel((92, 842 - 490)) == (0, 0, 0)  # the box ticked, as its value says
    blank = png(blank_pdf(tmp_path / "blank.pdf"), 1, tmp_path / "blank", dpi=72)
    assert differing(body(after), body(blank)) > 500
    with pikepdf.open(out) as pack:
        assert "/AcroForm" not in pack.Root  # flattened: nothing left to fill in
        assert not [a for a in pack.pages[1].obj.get("/Annots", []) if a.Subtype == "/Widget"]


def test_without_appearances_made_the_values_were_lost(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The test above can fail: flattening what the fields show, as before, loses them."""
    from pipeline.finish import combine as combining

    monkeypatch.setattr(combining, "fill_appearances", lambda pdf: None)
    form = blank_pdf(tmp_path / "form.pdf")
    filled = need_appearances(tmp_path / "filled.pdf")
    out = combining.combine(manifest(form, filled), tmp_path / "pack.pdf")
    assert "Margaret Technician" not in pdf_text(out, 2, 2)
    assert ink(png(out, 2, tmp_path / "after", dpi=72), FIELDS[0])[0] == 0


@pytest.mark.libreoffice
def test_a_pack_built_accepting_reviews_verifies(tmp_path: Path) -> None:
    """Notes left out, content printed, a form's values drawn, a Word review accepted: the
    sources unchanged, and `pack verify` finds the pack whole (a filled-in value on a page is
    the field's, not a word gone astray)."""
    from helpers.packs import write_pack
    from helpers.reviewed_word import SHAPES, write

    inputs = write_pack(tmp_path / "inputs")
    annotated(inputs / "appendices" / "2-minutes.pdf", SHOWN, reply=True)
    need_appearances(inputs / "appendices" / "3-form.pdf")
    write(SHAPES[0], inputs / "appendices" / "4-terms.docx")
    before = {p: p.read_bytes() for p in (inputs / "appendices").iterdir()}
    args = ["assemble", str(inputs), "--out", str(tmp_path / "build"), "--date", str(TODAY)]
    built = CliRunner().invoke(cli, [*args, "--accept-changes"])
    assert built.exit_code == 0, built.output
    assert (
        "2-minutes.pdf: note: 1 highlight, 1 insertion mark, 1 reply, 1 squiggly underline, "
        "1 sticky note, 1 strike-out and 1 underline: left out in the pack's copy"
    ) in built.stderr
    assert {p: p.read_bytes() for p in (inputs / "appendices").iterdir()} == before
    pack = built.stdout.splitlines()[-1]
    assert "Margaret Technician" in pdf_text(Path(pack))
    verified = CliRunner().invoke(cli, ["verify", pack, str(inputs)])
    assert verified.exit_code == 0, verified.output
