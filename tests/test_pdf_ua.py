"""PDF/UA-1, checked on what the build makes: the example pack, its --draft pack and the
published plan, by the real LibreOffice. Every page's content is walked here with pikepdf's own
parser (not the pipeline's reader): every glyph, path and picture inside marked content with an
MCID or an artifact, every font embedded; links in the structure tree and described, header
cells with their scope, figures with alternative text, the title shown, the language set, the
claim in the XMP; and PyPI's `pdfua` checker reports nothing. PDF appendices that stop the claim
are built without it, and `pack check` says why."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pikepdf
import pytest
from click.testing import CliRunner
from pikepdf import Array, Dictionary, Name

from helpers.packs import EXAMPLE
from pipeline.cli import cli

DATE = "2026-11-22"
PAINT = {"S", "s", "f", "F", "f*", "B", "B*", "b", "b*", "sh"}
TEXT = {"Tj", "TJ", "'", '"'}


def unmarked(stream: Any, resources: Any, covered: bool, where: str, depth: int = 0) -> list[str]:
    """What a content stream (and the forms it draws) paints outside tags or artifacts, and
    the fonts it draws with that are not embedded."""
    problems: list[str] = []
    marks: list[bool] = []
    for instruction in pikepdf.parse_content_stream(stream):
        inside = covered or any(marks)
        if isinstance(instruction, pikepdf.ContentStreamInlineImage):
            problems += [] if inside else [f"{where}: an inline image outside the tags"]
            continue
        operands, op = instruction.operands, str(instruction.operator)
        if op in ("BDC", "BMC"):
            props = operands[1] if op == "BDC" else None
            if isinstance(props, Name):
                props = resources.Properties[props]
            mcid = isinstance(props, Dictionary) and "/MCID" in props
            marks.append(operands[0] == Name.Artifact or mcid)
        elif op == "EMC":
            marks.pop()
        elif (op in PAINT or op in TEXT) and not inside:
            problems.append(f"{where}: {op} outside the tags")
        elif op == "Tf":
            font = resources.Font[operands[0]]
            if font.Subtype == Name.Type0:
                font = font.DescendantFonts[0]
            if font.Subtype != Name.Type3:
                descriptor = font.get("/FontDescriptor", Dictionary())
                if not {"/FontFile", "/FontFile2", "/FontFile3"} & set(descriptor.keys()):
                    problems.append(f"{where}: font {font.get('/BaseFont')} not embedded")
        elif op == "Do":
            xobject = resources.XObject[operands[0]]
            if xobject.Subtype == Name.Image and not inside:
                problems.append(f"{where}: a picture outside the tags")
            elif xobject.Subtype == Name.Form and depth < 8:
                inner = xobject.get("/Resources", resources)
                problems += unmarked(xobject, inner, inside, f"{where} (form)", depth + 1)
    assert not marks, f"{where}: marked content left open"
    return problems


def elements(root: Any) -> list[Any]:
    found, stack = [], [root.get("/K")]
    while stack:
        item = stack.pop()
        if isinstance(item, Array):
            stack += list(item)
        elif isinstance(item, Dictionary) and "/S" in item:
            found.append(item)
            stack.append(item.get("/K"))
    return found


def pdf_ua_problems(path: Path) -> list[str]:
    """Every problem this test knows of in the PDF at `path`."""
    problems = []
    with pikepdf.open(path) as pdf:
        root = pdf.Root
        if str(root.get("/Lang", "")) == "" or not root.ViewerPreferences.DisplayDocTitle:
            problems.append("no language, or the title not shown")
        if not root.MarkInfo.Marked:
            problems.append("not marked")
        tree = root.StructTreeRoot
        roles = {k: str(v) for k, v in tree.get("/RoleMap", {}).items()}
        tagged = elements(tree)

        def role(element: Any) -> str:
            return roles.get(str(element.S), str(element.S))

        nums = list(tree.ParentTree.Nums)
        parents = dict(zip(nums[::2], nums[1::2], strict=True))
        for number, page in enumerate(pdf.pages, 1):
            problems += unmarked(page, page.Resources, False, f"page {number}")
            annotations = list(page.obj.get("/Annots", []))
            if annotations and page.obj.get("/Tabs") != Name.S:
                problems.append(f"page {number}: annotations, but not /Tabs /S")
            for link in annotations:
                if link.Subtype != Name.Link:
                    continue
                if not str(link.get("/Contents", "")).strip():
                    problems.append(f"page {number}: a link without a description")
                holder = parents.get(int(link.get("/StructParent", -1)))
                held = [k for k in elements_kids(holder) if k.get("/Type") == Name.OBJR]
                if (
                    holder is None
                    or role(holder) != "/Link"
                    or not any(k.Obj.objgen == link.objgen for k in held)
                ):
                    problems.append(f"page {number}: a link outside the structure tree")
        for element in tagged:
            if role(element) == "/TH":
                given = element.get("/A")
                scopes = [
                    a for a in (given if isinstance(given, Array) else [given]) if a is not None
                ]
                if not any("/Scope" in a for a in scopes):
                    problems.append("a header cell without /Scope")
            if role(element) == "/Figure" and not str(element.get("/Alt", "")).strip():
                problems.append("a figure without /Alt")
        xmp = root.Metadata.read_bytes().decode("utf-8") if "/Metadata" in root else ""
        with pdf.open_metadata() as meta:
            if meta.get("pdfuaid:part") != "1":
                problems.append("no pdfuaid:part 1 in the XMP")
        if "<pdfaSchema:prefix>pdfuaid</pdfaSchema:prefix>" not in xmp:
            problems.append("no extension schema for pdfuaid in the XMP")
    return problems


def elements_kids(element: Any) -> list[Any]:
    if not isinstance(element, Dictionary):
        return []
    kids = element.get("/K")
    return [k for k in (kids if isinstance(kids, Array) else [kids]) if isinstance(k, Dictionary)]


def assemble(inputs: Path, out: Path, *options: str) -> Any:
    result = CliRunner().invoke(
        cli, ["assemble", str(inputs), "--out", str(out), "--date", DATE, *options]
    )
    assert result.exit_code == 0, result.output
    return result


@pytest.fixture(scope="module")
def made(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    root = tmp_path_factory.mktemp("pdf-ua")
    inputs = Path(shutil.copytree(EXAMPLE, root / "inputs"))
    pack = Path(assemble(inputs, root / "build").stdout.splitlines()[-1])
    draft = Path(assemble(inputs, root / "draft", "--draft").stdout.splitlines()[-1])
    result = CliRunner().invoke(
        cli, ["plan", str(inputs), "--publish", "--out", str(root / "plan"), "--date", DATE]
    )
    assert result.exit_code == 0, result.output
    (plan,) = [Path(line) for line in result.stdout.splitlines() if line.endswith(".pdf")]
    return {"pack": pack, "draft": draft, "plan": plan}


@pytest.mark.libreoffice
@pytest.mark.parametrize("which", ["pack", "draft", "plan"])
def test_what_the_build_makes_is_pdf_ua(made: dict[str, Path], which: str) -> None:
    pdfua = pytest.importorskip("pdfua")
    assert pdf_ua_problems(made[which]) == []
    assert list(pdfua.validate(str(made[which])).findings) == []


def test_the_checks_here_find_what_they_look_for(tmp_path: Path) -> None:
    """The walk above is not blind: a PDF with each fault has each found."""
    pdf = pikepdf.new()
    page = pdf.add_blank_page(page_size=(300, 200))
    helvetica = Dictionary(Type=Name.Font, Subtype=Name.Type1, BaseFont=Name.Helvetica)
    page.obj.Resources = Dictionary(Font=Dictionary(F1=helvetica))
    page.obj.Contents = pdf.make_stream(
        b"/Artifact BMC 0 0 m 10 10 l S EMC 1 1 m 20 20 l S BT /F1 9 Tf (Loose) Tj ET"
    )
    pdf.Root.Lang = pikepdf.String("en")
    pdf.Root.ViewerPreferences = Dictionary(DisplayDocTitle=True)
    pdf.Root.MarkInfo = Dictionary(Marked=True)
    pdf.Root.StructTreeRoot = pdf.make_indirect(
        Dictionary(Type=Name.StructTreeRoot, K=Array(), ParentTree=Dictionary(Nums=Array()))
    )
    pdf.save(tmp_path / "faults.pdf")
    assert pdf_ua_problems(tmp_path / "faults.pdf") == [
        "page 1: S outside the tags",
        "page 1: font /Helvetica not embedded",
        "page 1: Tj outside the tags",
        "no pdfuaid:part 1 in the XMP",
        "no extension schema for pdfuaid in the XMP",
    ]


def appendix(path: Path, case: str) -> Path:
    """A one-page tagged PDF appendix (its text in an embedded font, a rule drawn outside the
    tags, a figure described) with the fault `case` names, made by pikepdf."""
    from pipeline.finish.fonts import StampFont

    pdf = pikepdf.new()
    page = pdf.add_blank_page(page_size=(595, 842))
    font = StampFont.find().embed(pdf, "Terms of reference")
    if case == "a font not embedded":
        font = Dictionary(Type=Name.Font, Subtype=Name.Type1, BaseFont=Name.Helvetica)
    image = pdf.make_stream(b"\x80", Type=Name.XObject, Subtype=Name.Image, Width=1, Height=1)
    image.ColorSpace, image.BitsPerComponent = Name.DeviceGray, 8
    page.obj.Resources = Dictionary(Font=Dictionary(F1=font), XObject=Dictionary(Im1=image))
    text = b"BT /F1 12 Tf 72 700 Td (Terms of reference) Tj ET"
    picture = b"q 100 0 0 50 72 600 cm /Im1 Do Q"
    content = b"/P <</MCID 0>> BDC " + text + b" EMC /Figure <</MCID 1>> BDC " + picture + b" EMC"
    content += b" 0.5 w 72 690 m 500 690 l S"  # a rule outside the tags: decoration, marked
    if case == "text outside the tags":
        content += b" BT /F1 12 Tf 72 650 Td (Terms of reference) Tj ET"
    if case == "a picture outside the tags":
        content += b" " + picture
    page.obj.Contents = pdf.make_stream(content)
    page.obj.StructParents = 0
    kinds = {
        "a form field": Name.Widget,
        "a shape undescribed": Name.Square,
        "a text box": Name.FreeText,
    }
    if case in kinds:  # an annotation as forms and editors leave them, with its appearance
        look = pdf.make_stream(b"0 g 0 0 100 20 re f", Type=Name.XObject, Subtype=Name.Form)
        look.BBox = Array([0, 0, 100, 20])
        mark = Dictionary(Type=Name.Annot, Subtype=kinds[case], Rect=Array([72, 500, 172, 520]))
        mark.AP = Dictionary(N=look)
        if case == "a text box":
            mark.Contents = pikepdf.String("Approved, 3 March")
        page.obj.Annots = Array([pdf.make_indirect(mark)])
        if case == "a form field":  # a text field, filled in
            mark.FT, mark.T, mark.V = Name.Tx, pikepdf.String("Name"), pikepdf.String("A. Reid")
            pdf.Root.AcroForm = Dictionary(Fields=Array([page.obj.Annots[0]]))
    root = pdf.make_indirect(Dictionary(Type=Name.StructTreeRoot))
    document = pdf.make_indirect(Dictionary(Type=Name.StructElem, S=Name.Document, P=root))
    paragraph = pdf.make_indirect(
        Dictionary(Type=Name.StructElem, S=Name.P, P=document, Pg=page.obj, K=0)
    )
    figure = pdf.make_indirect(
        Dictionary(Type=Name.StructElem, S=Name.Figure, P=document, Pg=page.obj, K=1)
    )
    if case != "a figure without alternative text":
        figure.Alt = pikepdf.String("Map of the site")
    document.K = Array([paragraph, figure])
    root.K = document
    root.ParentTree = Dictionary(Nums=Array([0, Array([paragraph, figure])]))
    root.ParentTreeNextKey = 1
    if case != "no tags":
        pdf.Root.StructTreeRoot = root
        pdf.Root.MarkInfo = Dictionary(Marked=True)
    pdf.save(path)
    return path


STOPS = {
    "nothing": None,
    "no tags": "the PDF is not tagged, so the pack will not be accessible to screen readers there and will not claim PDF/UA",
    "text outside the tags": "the pack will not claim PDF/UA (accessible PDF) because of text outside its tags on page 1",
    "a picture outside the tags": "because of picture outside its tags on page 1",
    "a font not embedded": "because of font Helvetica not embedded (page 1)",
    "a figure without alternative text": "because of a picture without alternative text on page 1",
    "a form field": "because of form fields, printed into the page without tags, on page 1",
    "a shape undescribed": "because of an annotation without a description on page 1",
    "a text box": None,
}


@pytest.mark.parametrize("case", list(STOPS))
def test_check_says_what_stops_an_appendix_from_pdf_ua(pack_dir: Path, case: str) -> None:
    from helpers.packs import TODAY

    path = appendix(pack_dir / "appendices" / "2-terms.pdf", case)
    result = CliRunner().invoke(cli, ["check", str(pack_dir), "--date", str(TODAY)])
    assert result.exit_code == 0, result.output
    warnings = [line for line in result.output.splitlines() if line.startswith(f"{path}: warning")]
    if STOPS[case] is None:
        assert warnings == []
        return
    (warning,) = warnings
    assert STOPS[case] in warning
    assert "Word: Save as PDF" in warning
    assert "'Universal Accessibility (PDF/UA)'" in warning


@pytest.mark.libreoffice
@pytest.mark.parametrize("case", ["nothing", "a text box", "no tags", "text outside the tags"])
def test_a_pack_claims_pdf_ua_only_when_every_appendix_has_it(
    pack_dir: Path, tmp_path: Path, case: str
) -> None:
    appendix(pack_dir / "appendices" / "2-terms.pdf", case)
    pack = Path(assemble(pack_dir, tmp_path / "build").stdout.splitlines()[-1])
    with pikepdf.open(pack) as pdf, pdf.open_metadata() as meta:
        assert (meta.get("pdfuaid:part") == "1") is (STOPS[case] is None)
    if STOPS[case] is None:
        assert pdf_ua_problems(pack) == []
