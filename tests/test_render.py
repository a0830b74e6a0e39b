"""The render stage: the DOCX a reviewer opens, checked through python-docx."""

from __future__ import annotations

import zipfile
from pathlib import Path

import docx
import pytest
from docx.enum.section import WD_ORIENT
from docx.oxml.ns import qn

from helpers.packs import PROMPTS, QUESTIONS, TODAY
from pipeline.form import load_form
from pipeline.incremental.manifest import Manifest
from pipeline.inputs.check import check
from pipeline.stages.parts import render
from pipeline.window import Window

NASTY = "Tom & Jerry <select> {{ 7*7 }} {% if x %}no{% endif %} ]]> café"


@pytest.fixture
def rendered(pack_dir: Path, tmp_path: Path) -> tuple[Manifest, docx.document.Document]:
    (pack_dir / "answers" / "5-answer.md").write_text(NASTY + "\n", encoding="utf-8")
    pack, problems = check(pack_dir, TODAY)
    assert pack is not None, problems
    manifest = render(pack, load_form("initial"), Window(2027, 1), tmp_path / "build")
    return manifest, docx.Document(manifest.parts[0].source)


def test_prompts_and_answers_in_order(rendered) -> None:
    _, document = rendered
    texts = [p.text for p in document.paragraphs]
    positions = []
    for heading, prompt in zip(QUESTIONS, PROMPTS, strict=True):
        positions.append(texts.index(heading))
        assert texts[positions[-1] + 1].startswith(prompt)
        assert document.paragraphs[positions[-1]].style.name == "Heading 1"
        assert document.paragraphs[positions[-1] + 1].style.name == "Prompt"
    assert positions == sorted(positions)
    assert texts[texts.index("Question 1: Profile of the organisation") + 1] == (
        "To provide some context, please provide a brief profile of your organisation."
        " (up to 250 words)"
    )


def test_no_template_code_is_left_and_answers_stay_literal(rendered) -> None:
    manifest, _ = rendered
    with zipfile.ZipFile(manifest.parts[0].source) as archive:
        xml = archive.read("word/document.xml").decode()
    assert "{%p" not in xml
    assert "{{p" not in xml
    assert "{{ q." not in xml
    assert "Tom &amp; Jerry &lt;select&gt; {{ 7*7 }} {% if x %}no{% endif %} ]]&gt; café" in xml


def test_fields_signoff_and_properties(rendered) -> None:
    _, document = rendered
    cells = [[c.text for c in row.cells] for row in document.tables[0].rows]
    assert cells == [  # a header row, which a tagged PDF gives as table headers
        ["Organisation", "Name of Institutional Lead", "E-mail", "Date joined"],
        ["University of Testshire", "Dr Ada Lead", "a.lead@testshire.example", "14 May 2025"],
    ]
    texts = [p.text for p in document.paragraphs]
    assert "Signed (Technician Commitment Nominated Institutional Lead)" in texts
    assert "Signed (Technician Commitment Signatory – Leader of Institution)" in texts
    signoff = [t for t in document.tables if t.rows[0].cells[0].text == "Name"]
    assert [[c.text for c in row.cells] for row in signoff[0].rows] == [
        ["Name", "Signature", "Date"],
        ["Dr Ada Lead", "", "2 November 2026"],
    ]
    for table in [document.tables[0], *signoff]:  # each header row marked as one
        assert table.rows[0]._tr.trPr.find(qn("w:tblHeader")) is not None
    props = document.core_properties
    assert props.title == "University of Testshire/January/2027"
    assert props.author == "Dr Ada Lead"


def test_plan_is_a_landscape_section_with_a_repeated_header(rendered) -> None:
    _, document = rendered
    assert [s.orientation for s in document.sections] == [WD_ORIENT.PORTRAIT, WD_ORIENT.LANDSCAPE]
    tables = [t for t in document.tables if t.rows[0].cells[0].text == "Goal"]
    assert len(tables) == 4  # a table per theme, each with the header row
    plan = tables[0]
    header = [c.text for c in plan.rows[0].cells]
    assert header == [
        "Goal",
        "Actions",
        "Success measures",
        "Year",
        "Theme alignment",
        "Research",
        "Education",
    ]
    assert plan.rows[0]._tr.trPr.xpath("w:tblHeader")
    banner = plan._tbl.getprevious()  # the theme's banner, kept with its table
    assert "".join(t.text for t in banner.iter(qn("w:t"))) == "Visibility: Make technicians visible"
    assert banner.xpath("w:pPr/w:keepNext")
    goal = [plan.cell(r, 0)._tc for r in (1, 2)]
    assert goal[0] is goal[1]  # the goal cell spans its two actions
    assert plan.cell(1, 0).text == "V1: Seen across the campus"
    assert [c.text for c in plan.rows[2].cells[1:]] == [
        "Hold an open day",
        "Two open days a year",
        "All",
        "Recognition",
        "",
        "✓",
    ]


def test_header_carries_the_institution(rendered) -> None:
    _, document = rendered
    header = document.sections[0].header.paragraphs[0].text
    assert header.startswith("University of Testshire")


def test_manifest_orders_the_parts(rendered) -> None:
    manifest, _ = rendered
    assert [p.title for p in manifest.parts] == [
        "Self-assessment form",
        "Appendix A: Survey of technicians",
    ]
    assert manifest.stem == "University-of-Testshire_January_2027"
    appendix = docx.Document(manifest.parts[1].source)
    assert [p.text for p in appendix.paragraphs][:2] == [
        "Appendix A: Survey of technicians",
        "Ninety per cent replied.",
    ]


def test_plan_cells_are_markdown(pack_dir: Path, tmp_path: Path) -> None:
    plan = pack_dir / "action-plan.csv"
    plan.write_text(
        plan.read_text().replace(
            "Publish a technician directory", "**Publish** a [directory](https://dir.example)"
        )
    )
    pack, problems = check(pack_dir, TODAY)
    assert pack is not None, problems
    manifest = render(pack, load_form("initial"), Window(2027, 1), tmp_path / "build")
    document = docx.Document(manifest.parts[0].source)
    first_theme = next(t for t in document.tables if t.rows[0].cells[0].text == "Goal")
    cell = first_theme.cell(1, 1)
    assert cell.text == "Publish a directory"
    assert cell.paragraphs[0].runs[0].bold
    (link,) = cell._tc.xpath(".//w:hyperlink")
    assert document.part.rels[link.get(qn("r:id"))].target_ref == "https://dir.example"
    assert cell.paragraphs[0].style.name == "Table Text"


def test_a_plan_cell_problem_names_the_row(pack_dir: Path) -> None:
    plan = pack_dir / "action-plan.csv"
    plan.write_text(
        plan.read_text().replace("Write role profiles", "Write ![chart](gone.png) profiles")
    )
    pack, problems = check(pack_dir, TODAY)
    assert pack is None
    assert [(p.code, p.path.name, p.line) for p in problems] == [
        ("image-missing", "action-plan.csv", 8)
    ]
