"""One accessible document: the example pack, with a tagged PDF appendix, the same appendix
turned a quarter, and an untagged one, built by the real LibreOffice; its structure tree walked
from the root and from every page, its footers read back, and a PDF/UA checker run over it."""

from __future__ import annotations

import datetime as dt
import re
import shutil
from html.parser import HTMLParser
from pathlib import Path
from typing import Any
from unittest import mock

import docx
import pytest
from click.testing import CliRunner
from docx.enum.section import WD_SECTION
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls
from docx.shared import Cm
from pypdf import PdfReader, PdfWriter
from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject

from helpers.packs import EXAMPLE, wide_png
from helpers.pdf import in_order, tokens
from pipeline.cli import cli
from pipeline.form import load_form
from pipeline.libreoffice import soffice
from pipeline.plan.read import find_plan, load_plan

pytestmark = pytest.mark.libreoffice
STEM = "University-of-Kelderwick_January_2027"
ALT = "Map of the three workshops on the Saltmere site"


def tagged_pdf(folder: Path, title: str, tagged: bool = True) -> Path:
    """A PDF made by LibreOffice, tagged unless told: a heading, a table with a header row,
    a picture."""
    document = docx.Document()
    document.add_heading(title, level=1)
    document.add_paragraph("Each workshop has a named technician responsible for its safety.")
    table = document.add_table(rows=3, cols=2)
    table.rows[0]._tr.get_or_add_trPr().append(parse_xml(f"<w:tblHeader {nsdecls('w')}/>"))
    rows = [("Workshop", "Technician"), ("North", "A. Reid"), ("South", "B. Okafor")]
    for row, (room, who) in zip(table.rows, rows, strict=True):
        row.cells[0].text, row.cells[1].text = room, who
    picture = folder / "map.png"
    picture.write_bytes(wide_png(40, 20))
    document.add_picture(str(picture), width=Cm(8))
    document.inline_shapes[0]._inline.docPr.set("descr", ALT)
    source = folder / f"{title}.docx"
    document.save(str(source))
    untagged = 'pdf:writer_pdf_Export:{"UseTaggedPDF":{"type":"boolean","value":"false"}}'
    filters = {} if tagged else {"pdf": untagged}  # (25.2 tags by default)
    with mock.patch.dict(soffice.FILTERS, filters):
        (pdf,) = soffice.convert([(source, folder / f"{title}{'' if tagged else ' untagged'}.pdf")])
    return pdf


def turned(source: Path, target: Path, rotate: int) -> Path:
    """A copy of a PDF, its pages turned by `rotate` degrees (tags and all)."""
    writer = PdfWriter(clone_from=PdfReader(source))
    for page in writer.pages:
        page.rotate(rotate)
    with target.open("wb") as handle:
        writer.write(handle)
    return target


def page_of(section: Any, total: str) -> None:
    """A footer of its own for `section`: "Page {PAGE} of {total}" as Word fields."""
    section.footer.is_linked_to_previous = False
    footer = section.footer.paragraphs[0]
    for text, field in (("Page ", "PAGE"), (" of ", total)):
        footer.add_run(text)
        for run in (
            '<w:fldChar w:fldCharType="begin"/>',
            f"<w:instrText> {field} </w:instrText>",
            '<w:fldChar w:fldCharType="separate"/>',
            "<w:t>1</w:t>",
            '<w:fldChar w:fldCharType="end"/>',
        ):
            footer._p.append(parse_xml(f"<w:r {nsdecls('w')}>{run}</w:r>"))


def chapters_docx(path: Path) -> Path:
    """A Word report as contributors write them: its own "Page X of Y" footer (the last
    chapter's counting the pages of its section), chapters that start on an odd page, then on
    an even one (a word processor leaves pages blank before them, for printing on both sides),
    one of them numbered afresh."""
    document = docx.Document()
    page_of(document.sections[0], "NUMPAGES")
    document.add_heading("Chapter one", 1)
    for start, name in ((WD_SECTION.ODD_PAGE, "two"), (WD_SECTION.EVEN_PAGE, "three")):
        document.add_section(start)
        document.add_heading(f"Chapter {name}", 1)
    # the second chapter numbered afresh, in roman numerals, as front matter often is
    numbering = f'<w:pgNumType {nsdecls("w")} w:fmt="lowerRoman" w:start="1"/>'
    document.sections[1]._sectPr.append(parse_xml(numbering))
    page_of(document.sections[2], "SECTIONPAGES")  # "of 1": the pages of its section
    document.save(path)
    return path


def table_first_docx(path: Path) -> Path:
    """A Word appendix that opens with a table (a title block, a form's grid) before any
    paragraph, with its own "Page X of Y" footer and a "Last saved" date field."""
    document = docx.Document()
    page_of(document.sections[0], "NUMPAGES")
    table = document.add_table(rows=2, cols=2)
    header = f"<w:tblHeader {nsdecls('w')}/>"  # its first row heads it: tagged TH
    table.rows[0]._tr.get_or_add_trPr().append(parse_xml(header))
    for cell, text in zip(
        table._cells, ("Report", "Workshop audit", "Owner", "Technical services"), strict=True
    ):
        cell.text = text
    document.add_heading("Findings", 1)
    document.add_paragraph("The audit found every workshop's guards in place.")
    saved = document.add_paragraph("Last saved: ")
    saved._p.append(
        parse_xml(
            f'<w:fldSimple {nsdecls("w")} w:instr=" SAVEDATE \\@ &quot;d MMMM yyyy&quot; ">'
            "<w:r><w:t>2 January 2020</w:t></w:r></w:fldSimple>"
        )
    )
    document.core_properties.modified = dt.datetime(2020, 1, 2, 9, 30)
    document.save(path)
    return path


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, Any]:
    root = tmp_path_factory.mktemp("accessible")
    inputs = Path(shutil.copytree(EXAMPLE, root / "inputs"))
    made = tagged_pdf(root, "Workshop safety")
    appendices = inputs / "appendices"
    shutil.copyfile(made, appendices / "4-workshop-safety.pdf")
    turned(made, appendices / "5-site-plan.pdf", 90)
    untagged = tagged_pdf(root, "Scanned letter", tagged=False)
    shutil.copyfile(untagged, appendices / "6-scanned-letter.pdf")
    chapters_docx(appendices / "7-chapters.docx")
    table_first_docx(appendices / "8-workshop-audit.docx")
    out = root / "build"
    result = CliRunner().invoke(
        cli, ["assemble", str(inputs), "--out", str(out), "--date", "2026-11-22"]
    )
    assert result.exit_code == 0, result.output
    assert "one by one" not in result.output  # numbered as one document
    return inputs, out / f"{STEM}.pdf", result


def _get(value: Any) -> Any:
    return value.get_object() if isinstance(value, IndirectObject) else value


def _list(value: Any) -> list[Any]:
    resolved = _get(value)
    if resolved is None:
        return []
    return list(resolved) if isinstance(resolved, ArrayObject) else [value]


class Tree:
    """The structure tree walked from its root: every element, its parent, its role, the
    marked content it owns on each page."""

    def __init__(self, reader: PdfReader) -> None:
        catalog = reader.trailer["/Root"]
        self.root = catalog["/StructTreeRoot"]
        self.roles = {k: str(v) for k, v in _get(self.root.get("/RoleMap", {})).items()}
        self.elements: dict[int, DictionaryObject] = {}
        self.parents: dict[int, int | None] = {}
        self.owned: dict[tuple[int, int], int] = {}  # (page object, MCID) -> element
        self.objects: list[tuple[int, Any, int]] = []  # (page, annotation, element) of OBJRs
        self.pages = {p.indirect_reference.idnum for p in reader.pages}
        stack: list[tuple[Any, int | None, int | None]] = [
            (kid, None, None) for kid in _list(self.root.raw_get("/K"))
        ]
        while stack:
            kid, parent, page = stack.pop()
            value = _get(kid)
            if isinstance(value, int):
                assert page is not None, "a marked-content ID with no page"
                assert (page, value) not in self.owned, "content owned twice"
                self.owned[(page, value)] = parent
                continue
            if value.get("/Type") == "/MCR":
                mcr_page = value.raw_get("/Pg").idnum if "/Pg" in value else page
                self.owned[(mcr_page, int(value["/MCID"]))] = parent
                continue
            if value.get("/Type") == "/OBJR":
                objr_page = value.raw_get("/Pg").idnum if "/Pg" in value else page
                self.objects.append((objr_page, value.raw_get("/Obj"), parent))
                continue
            assert isinstance(kid, IndirectObject), "an element that is not an object"
            assert kid.idnum not in self.elements, "an element reached twice"
            self.elements[kid.idnum] = value
            self.parents[kid.idnum] = parent
            if "/Pg" in value:
                assert value.raw_get("/Pg").idnum in self.pages, "/Pg is not a page of the pack"
                page = value.raw_get("/Pg").idnum
            stack += [(k, kid.idnum, page) for k in _list(value.get("/K"))]

    def role(self, element: DictionaryObject) -> str:
        role = str(element["/S"])
        return self.roles.get(role, role)

    def below(self, idnum: int) -> list[DictionaryObject]:
        return [e for i, e in self.elements.items() if self._under(i, idnum)]

    def _under(self, idnum: int, ancestor: int) -> bool:
        parent = self.parents.get(idnum)
        while parent is not None:
            if parent == ancestor:
                return True
            parent = self.parents.get(parent)
        return False


def parent_tree(root: DictionaryObject) -> dict[int, Any]:
    found, stack = {}, [root["/ParentTree"]]
    while stack:
        node = _get(stack.pop())
        nums = _list(node.get("/Nums"))
        found.update({int(nums[i]): nums[i + 1] for i in range(0, len(nums), 2)})
        stack += _list(node.get("/Kids"))
    return found


def test_one_structure_tree_covers_every_page_from_a_tagged_source(
    built: tuple[Path, Path, Any],
) -> None:
    _, pack, _ = built
    reader = PdfReader(pack)
    tree = Tree(reader)
    entries = parent_tree(tree.root)
    untagged = outline_pages(reader)["Appendix F: Scanned letter"]
    for number, page in enumerate(reader.pages):
        if number in untagged:
            assert "/StructParents" not in page
            continue
        # every page's marked content is in the parent tree, each entry owned by the element
        # that the tree, walked from its root, gives it
        key = page["/StructParents"]
        assert key in entries, f"page {number + 1}: /StructParents {key} not in the parent tree"
        owners = _list(entries[key])
        content = page.get_contents().get_data().decode("latin-1")
        used = {int(m) for m in re.findall(r"/MCID\s+(\d+)", content)}
        assert used, f"page {number + 1}: no marked content"
        for mcid in used:
            owner = owners[mcid]
            assert isinstance(owner, IndirectObject), f"page {number + 1}: MCID {mcid} unowned"
            assert tree.owned[(page.indirect_reference.idnum, mcid)] == owner.idnum
    assert root_keys(reader) == {"/Lang": "en-GB", "/DisplayDocTitle": True, "/Marked": True}
    assert int(tree.root["/ParentTreeNextKey"]) > max(entries)
    # every link is an object of the elements that hold it (a link split over two runs has two),
    # and its /StructParent leads to one of them
    pages = {page.indirect_reference.idnum: page for page in reader.pages}
    holders: dict[int, set[int]] = {}
    for page, annotation, element in tree.objects:
        assert annotation in _list(pages[page].get("/Annots")), "an OBJR to no annotation there"
        holders.setdefault(annotation.idnum, set()).add(element)
    assert len(holders) > 10
    for idnum, elements in holders.items():
        key = reader.get_object(idnum)["/StructParent"]
        assert entries[key].idnum in elements, f"annotation {idnum}: its entry holds no OBJR to it"
    for key, value in entries.items():  # annotations' entries point at elements of the tree
        for owner in _list(value) if isinstance(_get(value), ArrayObject) else [value]:
            if isinstance(owner, IndirectObject):
                assert owner.idnum in tree.elements, (
                    f"parent tree {key}: an element not in the tree"
                )


def outline_pages(reader: PdfReader) -> dict[str, range]:
    starts = [
        (str(item.title), reader.get_destination_page_number(item))
        for item in reader.outline
        if not isinstance(item, list)
    ]
    ends = [start for _, start in starts[1:]] + [len(reader.pages)]
    return {title: range(start, end) for (title, start), end in zip(starts, ends, strict=True)}


def root_keys(reader: PdfReader) -> dict[str, Any]:
    catalog = reader.trailer["/Root"]
    return {
        "/Lang": str(catalog["/Lang"]),
        "/DisplayDocTitle": bool(catalog["/ViewerPreferences"]["/DisplayDocTitle"]),
        "/Marked": bool(catalog["/MarkInfo"]["/Marked"]),
    }


def test_parts_headings_tables_and_figures(built: tuple[Path, Path, Any]) -> None:
    _, pack, _ = built
    reader = PdfReader(pack)
    tree = Tree(reader)
    (document,) = [i for i, e in tree.elements.items() if tree.parents[i] is None]
    assert tree.role(tree.elements[document]) == "/Document"
    parts = {str(_get(kid)["/T"]): kid.idnum for kid in _list(tree.elements[document].get("/K"))}
    titles = [t for t in outline_pages(reader) if t.startswith(("Self", "Appendix"))]
    (untagged,) = [t for t in titles if t.startswith("Appendix F")]  # the scan
    assert list(parts) == [t for t in titles if t != untagged]  # every tagged part, in order
    for idnum, element in tree.elements.items():  # each element's /P is its parent in the walk
        if idnum != document:
            assert element.raw_get("/P").idnum == tree.parents[idnum]
    form = load_form("initial")
    headings = [tree.role(e) for e in tree.below(parts["Self-assessment form"])]
    assert headings.count("/H1") == len(form.questions) + 2  # the questions, sign-off, plan
    for title, part in parts.items():
        roles = [tree.role(e) for e in tree.below(part)]
        assert "/H1" in roles or title.startswith("Appendix B"), title
    tables = [i for i, e in tree.elements.items() if tree.role(e) == "/Table"]
    assert len(tables) > 10
    for table in tables:
        assert "/TH" in [tree.role(e) for e in tree.below(table)], "a table without headers"
    figures = [e for e in tree.elements.values() if tree.role(e) == "/Figure"]
    alts = [str(e.get("/Alt", "")) for e in figures]
    assert all(a.strip() for a in alts), "a figure without alternative text"
    assert alts.count(ALT) == 2  # the appendix and its turned copy
    assert any(a.startswith("Bar chart of actions per theme") for a in alts)  # the plan's chart


def test_every_page_says_page_k_of_n(built: tuple[Path, Path, Any]) -> None:
    _, pack, _ = built
    reader = PdfReader(pack)
    total = len(reader.pages)
    for number, page in enumerate(reader.pages, start=1):
        text = page.extract_text()
        assert re.findall(r"Page (\d+) of (\d+)", text) == [(str(number), str(total))], number
    spans = outline_pages(reader)
    for title in ("Appendix B", "Appendix D", "Appendix E", "Appendix F"):
        (full,) = [t for t in spans if t.startswith(title)]
        for number in spans[full]:
            assert full in reader.pages[number].extract_text()  # its label, stamped


def test_a_word_appendix_keeps_its_last_saved_date(built: tuple[Path, Path, Any]) -> None:
    """Numbering an appendix changes it inside LibreOffice; its "Last saved" field still shows
    when it was saved, not the day of the build (nor would the pack be the same bytes the next
    day)."""
    _, pack, _ = built
    text = " ".join(page.extract_text() for page in PdfReader(pack).pages)
    assert "Last saved: 2 January 2020" in text


def shown(page: Any, x: float, y: float) -> tuple[float, float]:
    """Where a point of the page's own space appears on screen, the page turned by /Rotate."""
    box = page.cropbox
    x, y = x - float(box.left), y - float(box.bottom)
    width, height = float(box.width), float(box.height)
    return {
        0: (x, y),
        90: (y, width - x),
        180: (width - x, height - y),
        270: (height - y, x),
    }[int(page.get("/Rotate", 0)) % 360]


def test_stamps_are_the_right_way_up_on_turned_pages(built: tuple[Path, Path, Any]) -> None:
    _, pack, _ = built
    reader = PdfReader(pack)
    spans = outline_pages(reader)
    (turned,) = [spans[t] for t in spans if t.startswith("Appendix E")]
    page = reader.pages[turned[0]]
    assert int(page["/Rotate"]) == 90
    found = []

    def visit(text: str, cm: list[float], tm: list[float], *_: Any) -> None:
        if text.startswith("Page "):
            a, b, c, d, e, f = cm
            x, y = tm[4], tm[5]
            start = shown(page, x * a + y * c + e, x * b + y * d + f)
            end = shown(page, (x + 10) * a + y * c + e, (x + 10) * b + y * d + f)
            found.append((start, end))

    page.extract_text(visitor_text=visit)
    ((start, end),) = found
    width = float(page.cropbox.height)  # shown turned: its height is the screen's width
    assert end[0] - start[0] == pytest.approx(10)  # it reads left to right as shown
    assert end[1] == pytest.approx(start[1])
    assert start[1] < 40  # at the bottom of the page as shown
    assert width / 2 - 60 < start[0] < width / 2  # and centred


def test_pdf_ua_checker_finds_nothing_but_the_untagged_appendix(
    built: tuple[Path, Path, Any],
) -> None:
    pdfua = pytest.importorskip("pdfua")
    _, pack, _ = built
    untagged = outline_pages(PdfReader(pack))["Appendix F: Scanned letter"]
    report = pdfua.validate(str(pack))
    errors = [f for f in report.findings if f.severity.name == "ERROR"]
    assert errors, "the untagged appendix must be found"
    for finding in errors:
        assert finding.rule_id == "UA-01-003", finding
        assert finding.location.page - 1 in untagged, finding


def test_check_warns_of_the_untagged_appendix_only(built: tuple[Path, Path, Any]) -> None:
    _, _, result = built
    warnings = [line for line in result.stderr.splitlines() if "warning:" in line]
    assert [w.split(": warning: ")[0].rsplit("/", 1)[-1] for w in warnings] == [
        "6-scanned-letter.pdf"
    ]
    assert "is not tagged, so the pack will not be accessible" in warnings[0]


class _Page(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.text: list[str] = []
        self.title = ""
        self._in_title = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))
        self._in_title = tag == "title"

    def handle_endtag(self, tag: str) -> None:
        self._in_title = False

    def handle_data(self, data: str) -> None:
        self.text.append(data)
        if self._in_title:
            self.title += data


def test_the_published_plan_is_a_tagged_pdf_and_a_web_page(tmp_path: Path) -> None:
    inputs = Path(shutil.copytree(EXAMPLE, tmp_path / "inputs"))
    result = CliRunner().invoke(
        cli,
        ["plan", str(inputs), "--publish", "--out", str(tmp_path / "out"), "--date", "2026-11-22"],
    )
    assert result.exit_code == 0, result.output
    pdf, html = (Path(line) for line in result.stdout.splitlines()[-3::2])
    assert (pdf.suffix, html.suffix) == (".pdf", ".html")
    reader = PdfReader(pdf)
    tree = Tree(reader)
    assert str(reader.trailer["/Root"]["/Lang"]) == "en-GB"
    assert any(tree.role(e) == "/TH" for e in tree.elements.values())

    page = _Page()
    page.feed(html.read_text(encoding="utf-8"))
    tags = [tag for tag, _ in page.tags]
    assert page.tags[0] == ("html", {"lang": "en-GB"})
    assert page.title == "University of Kelderwick: Technician Commitment action plan"
    assert not {"script", "link", "iframe", "object", "embed", "base"} & set(tags)
    for tag, attrs in page.tags:  # nothing fetched: pictures inline, every one described
        if tag == "img":
            assert str(attrs["src"]).startswith("data:image/png;base64,")
            assert str(attrs["alt"]).startswith("Bar chart of actions per theme")
        if tag == "th":
            assert attrs.get("scope") in ("col", "row", "rowgroup")
    assert "url(" not in html.read_text(encoding="utf-8").split("</style>")[0]
    assert tags.count("caption") == tags.count("table")
    plan, _ = load_plan(find_plan(inputs), load_form("initial").themes)
    assert plan is not None
    shown_text = tokens(" ".join(page.text))
    for theme in plan.themes:
        for goal in theme.goals:
            for action in goal.actions:
                for cell in (action.text, action.measure):
                    words = tokens(re.sub(r"\]\([^)]*\)|[*_\[]", " ", cell))
                    assert in_order(words, shown_text) is None, cell
