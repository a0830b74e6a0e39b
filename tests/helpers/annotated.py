"""PDFs carrying annotations of every subtype PDF 2.0 defines, each drawn where a reader shows it
(a filled square of its own colour in its own place), and forms filled in as form fillers leave
them (values with no appearance, `/NeedAppearances`), for `tests/test_pdf_annotations.py`."""

from __future__ import annotations

from pathlib import Path

import pikepdf
from pikepdf import Array, Dictionary, Name, String

REVIEW = ("/Text", "/Highlight", "/Underline", "/Squiggly", "/StrikeOut", "/Caret")
"""What a reviewer leaves: notes, and marks on the page's text."""
CONTENT = (
    "/FreeText", "/Stamp", "/Ink", "/Square", "/Circle", "/Line", "/Polygon", "/PolyLine",
    "/Watermark",
)  # fmt: skip
"""What a person puts on the page: printed."""
ACTIVE = ("/FileAttachment", "/Sound", "/Movie", "/Screen", "/RichMedia", "/3D")
"""Active content: removed from the pack whatever else happens."""
OTHER = ("/Link", "/PrinterMark", "/TrapNet", "/Projection")
"""Neither a review nor content nor active: kept as they are."""
EVERY = (*REVIEW, *CONTENT, *ACTIVE, *OTHER, "/Redact", "/Popup", "/Widget")


def text_page(pdf: pikepdf.Pdf, text: str) -> pikepdf.Page:
    font = Dictionary(Type=Name.Font, Subtype=Name.Type1, BaseFont=Name.Helvetica)
    page = pdf.add_blank_page(page_size=(595, 842))
    page.obj.Resources = Dictionary(Font=Dictionary(F1=font))
    page.obj.Contents = pdf.make_stream(f"BT /F1 14 Tf 72 770 Td ({text}) Tj ET".encode())
    return page


def _square(pdf: pikepdf.Pdf, colour: str) -> pikepdf.Stream:
    form = pdf.make_stream(f"{colour} rg 0 0 40 40 re f".encode())
    form.Type, form.Subtype, form.BBox = Name.XObject, Name.Form, Array([0, 0, 40, 40])
    return form


def annotation(
    pdf: pikepdf.Pdf, subtype: str, at: tuple[float, float], colour: str = "1 0 0"
) -> Dictionary:
    """An annotation of `subtype` whose appearance is a 40-point square at `at`, printable."""
    x, y = at
    annot = Dictionary(
        Type=Name.Annot,
        Subtype=Name(subtype),
        Rect=Array([x, y, x + 40, y + 40]),
        F=4,
        Contents=String(f"A {subtype[1:]} left here"),
        C=Array([float(c) for c in colour.split()]),
        AP=Dictionary(N=_square(pdf, colour)),
    )
    if subtype in ("/Polygon", "/PolyLine"):
        annot.Vertices = Array([x, y, x + 40, y, x + 40, y + 40, x, y + 40])
    if subtype == "/Ink":
        annot.InkList = Array([Array([x, y, x + 40, y + 40])])
    if subtype in ("/Highlight", "/Underline", "/Squiggly", "/StrikeOut"):
        annot.QuadPoints = Array([x, y + 40, x + 40, y + 40, x, y, x + 40, y])
    if subtype == "/Link":
        annot.A = Dictionary(S=Name.URI, URI=String("https://example.org/"))
        del annot["/AP"]
    if subtype == "/Popup":
        del annot["/AP"]
    return pdf.make_indirect(annot)


def annotated(path: Path, subtypes: tuple[str, ...], reply: bool = False) -> Path:
    """A one-page PDF with one annotation of each of `subtypes` in a row of squares; a sticky
    note with a pop-up; and with `reply`, a reply to the first annotation."""
    pdf = pikepdf.new()
    page = text_page(pdf, "Minutes of the technician network")
    annots = []
    for index, subtype in enumerate(subtypes):
        at = (40 + (index % 10) * 52, 600 - (index // 10) * 60)
        annots.append(annotation(pdf, subtype, at))
        if subtype == "/Text":
            popup = annotation(pdf, "/Popup", (300, 300))
            popup.Parent = annots[-1]
            annots[-1].Popup = popup
            annots.append(popup)
    if reply:
        answer = annotation(pdf, "/Text", (40, 100), "0 0 1")
        answer.IRT, answer.RT = annots[0], Name.R
        annots.append(answer)
    page.obj.Annots = Array(annots)
    fields = [a for a in annots if a.Subtype == Name.Widget]
    for field in fields:
        field.FT, field.T, field.V = Name.Tx, String("name"), String("Filled in")
    if fields:
        pdf.Root.AcroForm = Dictionary(Fields=Array(fields))
    pdf.save(path)
    return path


def need_appearances(path: Path) -> Path:
    """A form as some fillers leave it: a text field, a choice and a ticked box with values,
    the text and choice without any appearance, `/NeedAppearances` true."""
    pdf = pikepdf.new()
    page = text_page(pdf, "Registration form")
    helv = pdf.make_indirect(
        Dictionary(Type=Name.Font, Subtype=Name.Type1, BaseFont=Name.Helvetica)
    )
    text = pdf.make_indirect(
        Dictionary(
            Type=Name.Annot, Subtype=Name.Widget, FT=Name.Tx, T=String("name"),
            V=String("Margaret Technician"), DA=String("/Helv 18 Tf 0 g"), F=4,
            Rect=Array([72, 600, 400, 630]), P=page.obj,
        )
    )  # fmt: skip
    choice = pdf.make_indirect(
        Dictionary(
            Type=Name.Annot, Subtype=Name.Widget, FT=Name.Ch, Ff=1 << 17, T=String("grade"),
            V=String("Senior"), Opt=Array([String("Junior"), String("Senior")]),
            DA=String("/Helv 18 Tf 0 g"), F=4, Rect=Array([72, 540, 400, 570]), P=page.obj,
        )
    )  # fmt: skip
    tick = _square(pdf, "0 0 0")
    off = pdf.make_stream(b"")
    off.Type, off.Subtype, off.BBox = Name.XObject, Name.Form, Array([0, 0, 40, 40])
    box = pdf.make_indirect(
        Dictionary(
            Type=Name.Annot, Subtype=Name.Widget, FT=Name.Btn, T=String("agree"),
            V=Name.Yes, AS=Name.Off, F=4, Rect=Array([72, 470, 112, 510]), P=page.obj,
            AP=Dictionary(N=Dictionary(Yes=tick, Off=off)),
        )
    )  # fmt: skip
    page.obj.Annots = Array([text, choice, box])
    pdf.Root.AcroForm = Dictionary(
        Fields=Array([text, choice, box]),
        NeedAppearances=True,
        DR=Dictionary(Font=Dictionary(Helv=helv)),
        DA=String("/Helv 12 Tf 0 g"),
    )
    pdf.save(path)
    return path


def tagged(path: Path) -> Path:
    """The PDF at `path` tagged, each annotation (its pop-ups aside) in an `Annot` element of
    its own, as Acrobat tags them, in place."""
    with pikepdf.open(path, allow_overwriting_input=True) as pdf:
        page = pdf.pages[0]
        root = pdf.make_indirect(Dictionary(Type=Name.StructTreeRoot))
        document = pdf.make_indirect(Dictionary(Type=Name.StructElem, S=Name.Document, P=root))
        kids, numbers = [], []
        for index, annot in enumerate(page.obj.Annots):
            if annot.Subtype == Name.Popup:
                continue
            reference = Dictionary(Type=Name.OBJR, Obj=annot, Pg=page.obj)
            element = pdf.make_indirect(
                Dictionary(Type=Name.StructElem, S=Name.Annot, P=document, Pg=page.obj, K=reference)
            )
            annot.StructParent = index
            numbers += [index, element]
            kids.append(element)
        document.K = Array(kids)
        root.K = document
        root.ParentTree = Dictionary(Nums=Array(numbers))
        root.ParentTreeNextKey = len(page.obj.Annots)
        pdf.Root.StructTreeRoot = root
        pdf.Root.MarkInfo = Dictionary(Marked=True)
        pdf.save()
    return path
