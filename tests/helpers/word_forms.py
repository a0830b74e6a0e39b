"""Word files as institutions fill the form in, made with python-docx: each layout a prompt
can stand in, the fields, a plan table, a signature, and what the pack cannot show."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import docx
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls

from helpers.packs import PROMPTS, wide_png

_DRAWING = (
    f'{nsdecls("w", "wp", "a")} xmlns:v="urn:schemas-microsoft-com:vml" '
    'xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006" '
    'xmlns:wps="http://schemas.microsoft.com/office/word/2010/wordprocessingShape"'
)

ANSWERS = [f"Answer {n} says something about topic {n}, in plain words." for n in range(1, 9)]


def new() -> Any:
    return docx.Document()


def fields(document: Any) -> None:
    document.add_paragraph("Technician Commitment Initial Self-Assessment & Action Plan", "Title")
    table = document.add_table(rows=4, cols=2)
    for row, (label, value) in zip(
        table.rows,
        [
            ("Organisation", "University of Example"),
            ("Name of Institutional Lead", "Dr Ada Lead"),
            ("E-mail", "ada@example.ac.uk"),
            ("Date joined", "3 March 2025"),
        ],
        strict=True,
    ):
        row.cells[0].text, row.cells[1].text = label, value


def numbered_prompt(document: Any, text: str) -> Any:
    """A paragraph in Word's own numbered list (the number is numbering.xml's, not typed)."""
    return document.add_paragraph(text, "List Number")


def add_picture(document: Any, paragraph: Any | None = None, alt: str = "A chart") -> None:
    run = (paragraph or document.add_paragraph()).add_run()
    run.add_picture(io.BytesIO(wide_png(40, 20)))
    run._r.find(".//{*}docPr").set("descr", alt)


def text_box(paragraph: Any, text: str) -> None:
    """A DrawingML text box, with the VML fallback Word writes beside it."""
    paragraph._p.append(
        parse_xml(
            f"<w:r {_DRAWING}>"
            '<mc:AlternateContent><mc:Choice Requires="wps">'
            '<w:drawing><wp:anchor><wp:docPr id="9" name="Text Box 1"/><a:graphic><a:graphicData '
            'uri="http://schemas.microsoft.com/office/word/2010/wordprocessingShape"><wps:wsp><wps:txbx>'
            f"<w:txbxContent><w:p><w:r><w:t>{text}</w:t></w:r></w:p></w:txbxContent></wps:txbx>"
            "</wps:wsp></a:graphicData></a:graphic></wp:anchor></w:drawing></mc:Choice><mc:Fallback>"
            f"<w:pict><v:shape><v:textbox><w:txbxContent><w:p><w:r><w:t>{text}</w:t></w:r></w:p>"
            "</w:txbxContent></v:textbox></v:shape></w:pict></mc:Fallback></mc:AlternateContent></w:r>"
        )
    )


def shape(paragraph: Any) -> None:
    paragraph._p.append(
        parse_xml(
            f'<w:r {_DRAWING}><w:drawing><wp:anchor><wp:docPr id="8" name="Arrow"/>'
            '<a:graphic><a:graphicData uri="http://schemas.microsoft.com/office/word/2010/wordprocessingShape">'
            "<wps:wsp><wps:spPr/></wps:wsp></a:graphicData></a:graphic></wp:anchor></w:drawing></w:r>"
        )
    )


def equation(paragraph: Any, text: str) -> None:
    paragraph._p.append(
        parse_xml(
            '<m:oMath xmlns:m="http://schemas.openxmlformats.org/officeDocument/2006/math">'
            f"<m:r><m:t>{text}</m:t></m:r></m:oMath>"
        )
    )


def tracked_insertion(paragraph: Any, text: str) -> None:
    paragraph._p.append(
        parse_xml(
            f'<w:ins {nsdecls("w")} w:id="77" w:author="Rita" w:date="2026-01-01T00:00:00Z">'
            f"<w:r><w:t>{text}</w:t></w:r></w:ins>"
        )
    )


def plan_table(document: Any) -> None:
    rows = [
        ["Goal", "Actions", "Success measures", "Year", "Theme Alignment"],
        ["Visibility: Ensure technicians are identifiable", "", "", "", ""],
        ["V1: Technicians known by name", "Publish team pages", "All teams listed", "2027", ""],
        ["", "Add skills to the directory", "80% list skills", "2028", "Recognition"],
        ["Recognition: Support registration", "", "", "", ""],
        ["R1: More registered", "Pay the fees", "100 registered", "All", ""],
        ["Career Development: Clear pathways", "", "", "", ""],
        ["CD1: Pathways", "Publish maps", "Maps published", "2027", ""],
        ["Sustainability: Future skills", "", "", "", ""],
        ["S1: Apprentices", "Extend apprenticeships", "Ten a year", "All", ""],
    ]
    table = document.add_table(rows=len(rows), cols=5)
    for row, values in zip(table.rows, rows, strict=True):
        for cell, value in zip(row.cells, values, strict=True):
            cell.text = value


def signoff(document: Any, picture: bool = True) -> None:
    document.add_paragraph("Signed (Technician Commitment Nominated Institutional Lead)")
    table = document.add_table(rows=2, cols=3)
    for cell, value in zip(table.rows[0].cells, ["Name", "Signature", "Date"], strict=True):
        cell.text = value
    table.rows[1].cells[0].text = "Dr Ada Lead"
    table.rows[1].cells[2].text = "20 January 2027"
    if picture:
        add_picture(document, table.rows[1].cells[1].paragraphs[0], "signature")
    document.add_paragraph("Signed (Technician Commitment Signatory – Leader of Institution)")
    table = document.add_table(rows=2, cols=3)
    for cell, value in zip(table.rows[0].cells, ["Name", "Signature", "Date"], strict=True):
        cell.text = value
    table.rows[1].cells[0].text = "Professor Bo Leader, Vice-Chancellor"
    table.rows[1].cells[2].text = "22 January 2027"


def save(document: Any, path: Path) -> Path:
    document.save(str(path))  # python-docx wants a str path
    return path


__all__ = ["ANSWERS", "PROMPTS"]
