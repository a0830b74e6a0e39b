"""Watch mode: an edited answer is the only content rendered again, the form the only document
converted again; the form written is the one a render from scratch makes.

What was rendered is read from the kept document itself (the other answers' elements are the
very objects of the first render) and from the build's own progress lines, never from timings.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from pathlib import Path
from typing import Any

import docx
import pytest
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.oxml.ns import qn
from lxml import etree

from helpers.packs import TODAY, wide_png
from helpers.pdf import pdf_text
from pipeline.errors import MarkdownError
from pipeline.inputs.check import check
from pipeline.model import Pack
from pipeline.render.answers import KeptForms
from pipeline.render.form import render_form
from pipeline.stages.assemble import Build
from pipeline.stages.watch import changes, said, watch
from pipeline.window import Window

WINDOW = Window(2027, 1)
TITLE = "Self-assessment form"
RICH = """\
Our network met six times[^1]; see [the minutes](https://www.testshire.example/minutes).

1. first
2. second
   - nested

| Area | Count |
|:--|--:|
| Workshops | 12 |

![Technicians by faculty](images/chart.png)

[^1]: Twice online, with [slides](https://www.testshire.example/slides).
"""


def loaded(inputs: Path) -> Pack:
    pack, problems = check(inputs, TODAY)
    assert pack is not None, problems
    return pack


def describe(path: Path) -> dict[str, Any]:
    """What a reader of the DOCX sees, and what its parts hold: each block's style and text
    (lists with their kind and start), the footnotes, every numbering instance, every link."""
    document = docx.Document(str(path))
    numbering = document.part.numbering_part.element
    abstract = {
        n.get(qn("w:numId")): (
            n.find(qn("w:abstractNumId")).get(qn("w:val")),
            [o.get(qn("w:val")) for o in n.iter(qn("w:startOverride"))],
        )
        for n in numbering.findall(qn("w:num"))
    }
    blocks = []
    for block in document.iter_inner_content():
        if isinstance(block, docx.table.Table):
            blocks.append(("table", [[c.text for c in row.cells] for row in block.rows]))
            continue
        num = block._p.find(f"{qn('w:pPr')}/{qn('w:numPr')}/{qn('w:numId')}")
        listed = abstract.get(num.get(qn("w:val"))) if num is not None else None
        pictures = len(block._p.findall(f".//{qn('w:drawing')}"))
        blocks.append((block.style.name, block.text, listed, pictures))
    notes = [  # the footnotes themselves (not the separator lines Word keeps beside them)
        note
        for r in document.part.rels.values()
        if r.reltype == RT.FOOTNOTES
        for note in etree.fromstring(r.target_part.blob).findall(qn("w:footnote"))
        if note.get(qn("w:type")) is None
    ]
    return {
        "blocks": blocks,
        "footnotes": [
            "".join(t.text or "" for t in note.iter(qn("w:t"))).strip() for note in notes
        ],
        "numbering": sorted(map(str, abstract.values())),
        "links": sorted(
            r.target_ref for r in document.part.rels.values() if r.reltype == RT.HYPERLINK
        ),
        "pictures": sum(r.reltype == RT.IMAGE for r in document.part.rels.values()),
    }


def rendered_afresh(pack: Pack, path: Path) -> dict[str, Any]:
    render_form(pack, pack.form, WINDOW, path, numbered=True)
    return describe(path)


def test_an_edited_answer_is_all_that_is_rendered_again(pack_dir: Path, tmp_path: Path) -> None:
    (pack_dir / "answers" / "images").mkdir()
    (pack_dir / "answers" / "images" / "chart.png").write_bytes(wide_png(400, 200))
    answer = pack_dir / "answers" / "3-answer.md"
    forms = KeptForms(memory=True)
    target = tmp_path / "form.docx"
    assert forms.render(loaded(pack_dir), loaded(pack_dir).form, WINDOW, target, TITLE) == TITLE
    kept = forms.kept[target]
    first = {n: elements for n, (_, elements) in kept.answers.items()}
    assert sorted(first) == list(range(1, 9))

    # richer: a footnote with a link, a numbered list with a nested one, a table, a picture
    answer.write_text(RICH, encoding="utf-8")
    pack = loaded(pack_dir)
    assert forms.render(pack, pack.form, WINDOW, target, TITLE) == f"answer 3 of the {TITLE}"
    assert forms.last == (3,)
    for number, elements in first.items():
        now = kept.answers[number][1]
        if number != 3:  # the very elements of the first render: kept, not made again
            assert len(now) == len(elements)
            assert all(a is b for a, b in zip(now, elements, strict=True))
    assert not any(a is b for a in kept.answers[3][1] for b in first[3])
    assert describe(target) == rendered_afresh(pack, tmp_path / "fresh.docx")
    assert "Twice online, with slides." in describe(target)["footnotes"]

    # plainer again: what the rich answer alone used (footnote, lists, links, picture) goes
    answer.write_text("Plain now.\n", encoding="utf-8")
    pack = loaded(pack_dir)
    forms.render(pack, pack.form, WINDOW, target, TITLE)
    assert forms.last == (3,)
    assert describe(target) == rendered_afresh(pack, tmp_path / "fresh-2.docx")


def test_the_next_build_starts_from_the_form_on_disk(pack_dir: Path, tmp_path: Path) -> None:
    """A one-off build after an edit: a new process, the form and its record read again."""
    (pack_dir / "answers" / "images").mkdir()
    (pack_dir / "answers" / "images" / "chart.png").write_bytes(wide_png(400, 200))
    target = tmp_path / "form.docx"
    KeptForms("code").render(loaded(pack_dir), loaded(pack_dir).form, WINDOW, target, TITLE)
    for text in (RICH, "Plain now.\n", RICH):
        (pack_dir / "answers" / "3-answer.md").write_text(text, encoding="utf-8")
        pack = loaded(pack_dir)
        forms = KeptForms("code")
        assert forms.render(pack, pack.form, WINDOW, target, TITLE) == f"answer 3 of the {TITLE}"
        assert forms.kept == {}  # not kept in memory: the record on disk is what counts
        assert describe(target) == rendered_afresh(pack, tmp_path / "fresh.docx")

    # a form changed by anyone else, or other code: rendered whole
    (pack_dir / "answers" / "3-answer.md").write_text("Again.\n", encoding="utf-8")
    pack = loaded(pack_dir)
    forms = KeptForms("other code")
    assert forms.render(pack, pack.form, WINDOW, target, TITLE) == TITLE
    import docx as python_docx

    document = python_docx.Document(str(target))
    document.add_paragraph("Someone else's words.")
    document.save(str(target))
    (pack_dir / "answers" / "3-answer.md").write_text("Once more.\n", encoding="utf-8")
    pack = loaded(pack_dir)
    assert KeptForms("other code").render(pack, pack.form, WINDOW, target, TITLE) == TITLE
    assert describe(target) == rendered_afresh(pack, tmp_path / "fresh.docx")


def test_anything_else_changed_renders_the_whole_form(pack_dir: Path, tmp_path: Path) -> None:
    forms = KeptForms(memory=True)
    target = tmp_path / "form.docx"
    forms.render(loaded(pack_dir), loaded(pack_dir).form, WINDOW, target, TITLE)
    toml = pack_dir / "pack.toml"
    toml.write_text(toml.read_text(encoding="utf-8").replace("Testshire", "Newshire"), "utf-8")
    (pack_dir / "answers" / "2-answer.md").write_text("Changed too.\n", encoding="utf-8")
    pack = loaded(pack_dir)
    assert forms.render(pack, pack.form, WINDOW, target, TITLE) == TITLE
    assert forms.last is None
    assert describe(target) == rendered_afresh(pack, tmp_path / "fresh.docx")


def test_nothing_changed_writes_nothing(pack_dir: Path, tmp_path: Path) -> None:
    forms = KeptForms(memory=True)
    target = tmp_path / "form.docx"
    forms.render(loaded(pack_dir), loaded(pack_dir).form, WINDOW, target, TITLE)
    written = target.stat().st_mtime_ns
    pack = loaded(pack_dir)
    assert forms.render(pack, pack.form, WINDOW, target, TITLE).startswith("no answer")
    assert forms.last == ()
    assert target.stat().st_mtime_ns == written


def test_an_answer_that_fails_to_render_leaves_no_half_changed_form(
    pack_dir: Path, tmp_path: Path
) -> None:
    forms = KeptForms(memory=True)
    target = tmp_path / "form.docx"
    pack = loaded(pack_dir)
    forms.render(pack, pack.form, WINDOW, target, TITLE)
    written = target.read_bytes()
    (pack_dir / "answers" / "not-a-picture.png").write_bytes(b"\x89PNG but not really")
    broken = tuple(
        replace(a, text="![A chart](not-a-picture.png)\n") if a.number == 4 else a
        for a in pack.answers
    )  # past the check, which would have refused it
    with pytest.raises(MarkdownError):
        forms.render(replace(pack, answers=broken), pack.form, WINDOW, target, TITLE)
    assert target.read_bytes() == written
    assert forms.kept == {}
    assert forms.render(pack, pack.form, WINDOW, target, TITLE) == TITLE  # whole again


def test_what_set_off_a_rebuild_is_said() -> None:
    before = {"a.md": (1, 10), "b.md": (1, 10)}
    after = {"a.md": (2, 11), "b.md": (1, 10), "c.md": (3, 1)}
    assert changes(before, after) == ["a.md", "c.md"]
    assert said(["inputs/answers/5-x.md"]) == "inputs/answers/5-x.md changed"
    assert said(list("abcde")) == "a, b, c and 2 more changed"


@pytest.mark.libreoffice
def test_watch_renders_the_edited_answer_and_converts_the_form_only(
    pack_dir: Path, tmp_path: Path
) -> None:
    out = tmp_path / "build"
    lines: list[str] = []
    with Build(out, dt.date(2026, 11, 22), progress=lines.append) as build:
        build.keep_forms()
        pack = build.one(pack_dir)
        work = out / pack.stem
        appendix = work / "pdf" / "appendix-A.pdf"
        converted = appendix.stat().st_mtime_ns
        lines.clear()
        answer = pack_dir / "answers" / "6-answer.md"
        answer.write_text("Written while watching.\n", encoding="utf-8")
        assert build.one(pack_dir) == pack
    assert lines == [
        f"rendered answer 6 of the {TITLE}",
        "converting the form with LibreOffice",
        "combining the PDFs",
    ]
    assert appendix.stat().st_mtime_ns == converted
    assert "Written while watching." in pdf_text(pack)
    assert describe(work / f"{pack.stem}.docx") == rendered_afresh(
        loaded(pack_dir), tmp_path / "fresh.docx"
    )


def test_a_watch_keeps_a_ctrl_c_that_comes_while_the_check_forks(
    pack_dir: Path, tmp_path: Path
) -> None:
    """The check forks at every save (a PDF appendix read within bounds), and Python drops a
    KeyboardInterrupt raised while forking: the watch holds Ctrl-C back until the fork is done,
    for as long as it watches, and gives the usual handler back after."""
    import signal

    (pack_dir / "pack.toml").write_text("institution = [unclosed\n", encoding="utf-8")
    handlers: list[object] = []
    with Build(tmp_path / "build", TODAY) as build:
        watch(build, [pack_dir], lambda result: handlers.append(signal.getsignal(signal.SIGINT)),
              rounds=1)  # fmt: skip
    assert len(handlers) == 1
    assert handlers[0] is not signal.default_int_handler
    assert signal.getsignal(signal.SIGINT) is signal.default_int_handler
