"""PDFs made by the tests: encrypted ones as Acrobat writes them, filled forms, hostile ones."""

from __future__ import annotations

from pathlib import Path

from pypdf import PdfWriter
from pypdf.generic import (
    ArrayObject,
    DecodedStreamObject,
    DictionaryObject,
    FloatObject,
    NameObject,
    NumberObject,
    TextStringObject,
)


def name(text: str) -> NameObject:
    return NameObject(text)


def numbers(*values: float) -> ArrayObject:
    return ArrayObject([FloatObject(v) for v in values])


def text_page(writer: PdfWriter, text: str) -> object:
    """A page showing `text` in Helvetica."""
    page = writer.add_blank_page(595, 842)
    font = DictionaryObject(
        {
            name("/Type"): name("/Font"),
            name("/Subtype"): name("/Type1"),
            name("/BaseFont"): name("/Helvetica"),
        }
    )
    page[name("/Resources")] = DictionaryObject(
        {name("/Font"): DictionaryObject({name("/F1"): writer._add_object(font)})}
    )
    content = DecodedStreamObject()
    content.set_data(f"BT /F1 14 Tf 72 770 Td ({text}) Tj ET".encode())
    page[name("/Contents")] = writer._add_object(content)
    return page


def write(writer: PdfWriter, path: Path) -> Path:
    with path.open("wb") as handle:
        writer.write(handle)
    return path


def encrypted(path: Path, algorithm: str, user_password: str = "", text: str = "Locked") -> Path:
    """A one-page PDF encrypted with `algorithm` (RC4-128, AES-128, AES-256), with an owner
    password (it forbids copying) and `user_password` to open it."""
    writer = PdfWriter()
    text_page(writer, text)
    writer.encrypt(
        user_password=user_password,
        owner_password="owner-secret",
        algorithm=algorithm,
        permissions_flag=-3904 & ~0x10,  # printing allowed, copying not: Acrobat's default
    )
    return write(writer, path)


def _appearance(writer: PdfWriter, data: str, bbox: ArrayObject, matrix=None) -> object:
    font = DictionaryObject(
        {
            name("/Type"): name("/Font"),
            name("/Subtype"): name("/Type1"),
            name("/BaseFont"): name("/Helvetica"),
        }
    )
    stream = DecodedStreamObject()
    stream.set_data(data.encode())
    stream[name("/Type")] = name("/XObject")
    stream[name("/Subtype")] = name("/Form")
    stream[name("/BBox")] = bbox
    stream[name("/Resources")] = DictionaryObject(
        {name("/Font"): DictionaryObject({name("/Helv"): writer._add_object(font)})}
    )
    if matrix is not None:
        stream[name("/Matrix")] = matrix
    return writer._add_object(stream)


def filled_form(path: Path) -> Path:
    """A form as a person filled it in: a text field (`Alice`, with a keystroke script), a
    ticked box, a list box showing `Blue` (its box offset by its own matrix), and a hidden
    field that shows nothing."""
    writer = PdfWriter()
    page = text_page(writer, "Survey form")
    script = DictionaryObject(
        {name("/S"): name("/JavaScript"), name("/JS"): TextStringObject("app.alert('key')")}
    )
    text_field = DictionaryObject(
        {
            name("/Type"): name("/Annot"),
            name("/Subtype"): name("/Widget"),
            name("/FT"): name("/Tx"),
            name("/T"): TextStringObject("given"),
            name("/V"): TextStringObject("Alice"),
            name("/F"): NumberObject(4),
            name("/Rect"): numbers(100, 650, 300, 680),
            name("/AA"): DictionaryObject({name("/K"): writer._add_object(script)}),
            name("/AP"): DictionaryObject(
                {
                    name("/N"): _appearance(
                        writer,
                        "/Tx BMC q 0.9 g 0 0 200 30 re f 0 g BT /Helv 20 Tf 4 8 Td (Alice) Tj ET Q EMC",
                        numbers(0, 0, 200, 30),
                    )
                }
            ),
        }
    )
    tick = _appearance(writer, "0 g 2 2 16 16 re f", numbers(0, 0, 20, 20))
    off = _appearance(writer, "", numbers(0, 0, 20, 20))
    box = DictionaryObject(
        {
            name("/Type"): name("/Annot"),
            name("/Subtype"): name("/Widget"),
            name("/FT"): name("/Btn"),
            name("/T"): TextStringObject("agree"),
            name("/V"): name("/Yes"),
            name("/AS"): name("/Yes"),
            name("/F"): NumberObject(4),
            name("/Rect"): numbers(100, 600, 120, 620),
            name("/AP"): DictionaryObject(
                {name("/N"): DictionaryObject({name("/Yes"): tick, name("/Off"): off})}
            ),
        }
    )
    listbox = DictionaryObject(
        {
            name("/Type"): name("/Annot"),
            name("/Subtype"): name("/Widget"),
            name("/FT"): name("/Ch"),
            name("/T"): TextStringObject("colour"),
            name("/V"): TextStringObject("Blue"),
            name("/Opt"): ArrayObject([TextStringObject("Red"), TextStringObject("Blue")]),
            name("/F"): NumberObject(4),
            name("/Rect"): numbers(100, 500, 250, 540),
            name("/AP"): DictionaryObject(
                {
                    name("/N"): _appearance(
                        writer,
                        "/Tx BMC q 0 0 1 rg 10 10 150 40 re f 1 g BT /Helv 18 Tf 20 20 Td (Blue) Tj ET Q EMC",
                        numbers(10, 10, 160, 50),
                        numbers(1, 0, 0, 1, 5, 5),
                    )
                }
            ),
        }
    )
    hidden = DictionaryObject(
        {
            name("/Type"): name("/Annot"),
            name("/Subtype"): name("/Widget"),
            name("/FT"): name("/Tx"),
            name("/T"): TextStringObject("secret"),
            name("/F"): NumberObject(2),
            name("/Rect"): numbers(100, 400, 300, 430),
            name("/AP"): DictionaryObject(
                {
                    name("/N"): _appearance(
                        writer,
                        "0 g BT /Helv 20 Tf 4 8 Td (Hidden) Tj ET",
                        numbers(0, 0, 200, 30),
                    )
                }
            ),
        }
    )
    widgets = [writer._add_object(w) for w in (text_field, box, listbox, hidden)]
    page[name("/Annots")] = ArrayObject(widgets)
    writer._root_object[name("/AcroForm")] = DictionaryObject(
        {name("/Fields"): ArrayObject(widgets)}
    )
    return write(writer, path)


def hidden_actions(path: Path) -> Path:
    """Active content one level down: a launch action in a harmless action's `/Next` array,
    a JavaScript action whose `/S` is an indirect reference, an embedded file attached and a
    second one left as an unreferenced object."""
    writer = PdfWriter()
    page = text_page(writer, "Appendix with hidden actions")
    launch = DictionaryObject(
        {name("/S"): name("/Launch"), name("/F"): TextStringObject("calc.exe")}
    )
    goto = DictionaryObject(
        {
            name("/S"): name("/GoTo"),
            name("/D"): ArrayObject([page.indirect_reference, name("/Fit")]),
            name("/Next"): ArrayObject([writer._add_object(launch)]),
        }
    )
    indirect_js = DictionaryObject(
        {
            name("/S"): writer._add_object(name("/JavaScript")),
            name("/JS"): TextStringObject("app.launchURL('http://example.invalid')"),
        }
    )
    link = DictionaryObject(
        {
            name("/Type"): name("/Annot"),
            name("/Subtype"): name("/Link"),
            name("/Rect"): numbers(72, 700, 300, 720),
            name("/A"): writer._add_object(goto),
        }
    )
    other = DictionaryObject(
        {
            name("/Type"): name("/Annot"),
            name("/Subtype"): name("/Link"),
            name("/Rect"): numbers(72, 650, 300, 670),
            name("/A"): writer._add_object(indirect_js),
        }
    )
    page[name("/Annots")] = ArrayObject([writer._add_object(link), writer._add_object(other)])
    writer.add_attachment("payload.exe", b"MZ attached payload")
    orphan = DecodedStreamObject()
    orphan.set_data(b"MZ orphan payload")
    orphan[name("/Type")] = name("/EmbeddedFile")
    writer._add_object(orphan)
    return write(writer, path)


def blank_pdf(path: Path, pages: int = 1) -> Path:
    writer = PdfWriter()
    for _ in range(pages):
        writer.add_blank_page(595, 842)
    with path.open("wb") as handle:
        writer.write(handle)
    return path
