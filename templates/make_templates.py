"""Write the Word templates `self-assessment.docx` and `appendix.docx` beside this file.

The committed .docx files are the templates; this script is how they were first made and how
to remake them from scratch. A lead who restyles a template in Word edits the .docx itself and
need never run this. Run: `python templates/make_templates.py`.

Every paragraph style the Markdown renderer maps to is defined here, by name.
"""

from __future__ import annotations

from pathlib import Path

from docx import Document
from docx.enum.section import WD_ORIENT, WD_SECTION
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_TAB_ALIGNMENT, WD_TAB_LEADER
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls
from docx.shared import Cm, Pt, RGBColor

HERE = Path(__file__).resolve().parent
BODY_FONT = "Calibri"  # LibreOffice renders it with Carlito, metric-compatible
MONO_FONT = "Courier New"  # rendered with Liberation Mono, metric-compatible
ACCENT = RGBColor(0x1F, 0x4E, 0x6B)


def styles(doc: Document) -> None:
    s = doc.styles
    normal = s["Normal"]
    normal.font.name = BODY_FONT
    normal.font.size = Pt(11)
    rpr = normal.element.get_or_add_rPr()
    rpr.get_or_add_rFonts().set(
        "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}eastAsia", BODY_FONT
    )
    normal.paragraph_format.space_after = Pt(6)
    normal.paragraph_format.line_spacing = 1.1
    for name in ("Title", "Subtitle", *(f"Heading {n}" for n in range(1, 10))):
        style = s[name]
        style.font.name = BODY_FONT
        style.font.color.rgb = ACCENT
    s["Title"].font.size = Pt(22)
    s["Subtitle"].font.size = Pt(13)
    s["Subtitle"].font.italic = False
    sizes = {1: 15, 2: 13, 3: 12, 4: 11}
    for level in range(1, 10):
        heading = s[f"Heading {level}"]
        heading.font.size = Pt(sizes.get(level, 11))
        heading.font.bold = True
        heading.paragraph_format.space_before = Pt(14 if level == 1 else 10)
        heading.paragraph_format.space_after = Pt(4)
        heading.paragraph_format.keep_with_next = True

    body = s["Body Text"]
    body.base_style = normal
    body.paragraph_format.space_after = Pt(6)
    s["List Paragraph"].paragraph_format.space_after = Pt(3)
    s["Quote"].paragraph_format.left_indent = Cm(1)
    s["Quote"].font.italic = True

    prompt = s.add_style("Prompt", WD_STYLE_TYPE.PARAGRAPH)
    prompt.base_style = normal
    prompt.font.bold = True
    prompt.font.color.rgb = RGBColor(0x40, 0x40, 0x40)
    prompt.paragraph_format.keep_with_next = True
    prompt.paragraph_format.space_after = Pt(8)
    prompt.element.get_or_add_pPr().append(
        parse_xml(f'<w:shd {nsdecls("w")} w:val="clear" w:color="auto" w:fill="EAF1F5"/>')
    )

    table_text = s.add_style("Table Text", WD_STYLE_TYPE.PARAGRAPH)
    table_text.base_style = normal
    table_text.font.size = Pt(9.5)
    table_text.paragraph_format.space_after = Pt(0)
    table_text.paragraph_format.line_spacing = 1.0

    label = s.add_style("Field Label", WD_STYLE_TYPE.PARAGRAPH)
    label.base_style = normal
    label.font.bold = True
    label.paragraph_format.space_after = Pt(0)

    code = s.add_style("Code", WD_STYLE_TYPE.PARAGRAPH)
    code.base_style = normal
    code.font.name = MONO_FONT
    code.font.size = Pt(9.5)
    code.paragraph_format.left_indent = Cm(0.5)
    code.paragraph_format.line_spacing = 1.0

    code_char = s.add_style("Code Char", WD_STYLE_TYPE.CHARACTER)
    code_char.font.name = MONO_FONT
    code_char.font.size = Pt(10)

    note = s.add_style("Footnote Text", WD_STYLE_TYPE.PARAGRAPH)
    note.base_style = normal
    note.font.size = Pt(9)
    note.paragraph_format.space_after = Pt(0)
    note_ref = s.add_style("Footnote Reference", WD_STYLE_TYPE.CHARACTER)
    note_ref.font.superscript = True

    contents_heading = s.add_style("Contents Heading", WD_STYLE_TYPE.PARAGRAPH)
    contents_heading.base_style = normal
    contents_heading.font.bold = True
    contents_heading.font.size = Pt(13)
    contents_heading.font.color.rgb = ACCENT
    contents_heading.paragraph_format.space_before = Pt(12)
    contents_heading.paragraph_format.space_after = Pt(6)
    contents = s.add_style("toc 1", WD_STYLE_TYPE.PARAGRAPH)  # Word's and LibreOffice's own name
    contents.base_style = normal
    contents.paragraph_format.space_after = Pt(2)
    contents.paragraph_format.tab_stops.add_tab_stop(
        Cm(16.6), WD_TAB_ALIGNMENT.RIGHT, WD_TAB_LEADER.DOTS
    )

    link = s.add_style("Hyperlink", WD_STYLE_TYPE.CHARACTER)
    link.font.color.rgb = RGBColor(0x05, 0x63, 0xC1)
    link.font.underline = True


def page_furniture(doc: Document, header_text: str) -> None:
    section = doc.sections[0]
    section.page_height, section.page_width = Cm(29.7), Cm(21.0)
    for side in ("left_margin", "right_margin"):
        setattr(section, side, Cm(2.2))
    section.top_margin = section.bottom_margin = Cm(2.0)
    header = section.header.paragraphs[0]
    header.text = header_text
    header.style = doc.styles["Header"]
    header.runs[0].font.size = Pt(9)
    header.runs[0].font.color.rgb = RGBColor(0x60, 0x60, 0x60)
    footer = section.footer.paragraphs[0]
    footer.alignment = WD_ALIGN_PARAGRAPH.CENTER
    footer._p.append(
        parse_xml(
            f'<w:r {nsdecls("w")}><w:rPr><w:sz w:val="18"/></w:rPr><w:t xml:space="preserve">Page </w:t></w:r>'
        )
    )
    footer._p.append(
        parse_xml(
            f'<w:fldSimple {nsdecls("w")} w:instr=" PAGE "><w:r><w:rPr><w:sz w:val="18"/></w:rPr>'
            "<w:t>1</w:t></w:r></w:fldSimple>"
        )
    )
    footer._p.append(
        parse_xml(
            f'<w:r {nsdecls("w")}><w:rPr><w:sz w:val="18"/></w:rPr><w:t xml:space="preserve"> of </w:t></w:r>'
        )
    )
    footer._p.append(
        parse_xml(
            f'<w:fldSimple {nsdecls("w")} w:instr=" NUMPAGES "><w:r><w:rPr><w:sz w:val="18"/></w:rPr>'
            "<w:t>1</w:t></w:r></w:fldSimple>"
        )
    )


def header_row(row: object) -> None:
    """Mark a table's first row as its header: Word repeats it, and LibreOffice tags its cells
    as table headers (TH) in a tagged PDF, so screen readers name each column."""
    row._tr.get_or_add_trPr().append(parse_xml(f"<w:tblHeader {nsdecls('w')}/>"))  # type: ignore[attr-defined]


def fields_table(doc: Document) -> None:
    columns = (
        ("Organisation", "{{ institution }}", 4.2),
        ("Name of Institutional Lead", "{{ lead.name }}", 3.8),
        ("E-mail", "{{ lead.email }}", 5.6),
        ("Date joined", "{{ date_joined }}", 3.0),
    )
    table = doc.add_table(rows=2, cols=len(columns))
    table.style = doc.styles["Table Grid"]
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    header_row(table.rows[0])
    for index, (label, value, width) in enumerate(columns):
        head, cell = table.rows[0].cells[index], table.rows[1].cells[index]
        head.width = cell.width = Cm(width)
        head.paragraphs[0].text = label
        head.paragraphs[0].style = doc.styles["Field Label"]
        cell.paragraphs[0].text = value


def signoff_block(doc: Document, who: str) -> None:
    doc.add_paragraph(f"{{{{ signoff.{who}.caption }}}}", style="Field Label")
    table = doc.add_table(rows=2, cols=3)
    table.style = doc.styles["Table Grid"]
    header_row(table.rows[0])
    columns = (
        ("Name", f"{{{{ signoff.{who}.name }}}}", 7.0),
        ("Signature", "", 6.0),
        ("Date", f"{{{{ signoff.{who}.date }}}}", 3.6),
    )
    table.rows[1].height = Cm(2.0)
    for index, (label, value, width) in enumerate(columns):
        head, cell = table.rows[0].cells[index], table.rows[1].cells[index]
        head.width = cell.width = Cm(width)
        head.paragraphs[0].text = label
        head.paragraphs[0].style = doc.styles["Field Label"]
        cell.paragraphs[0].text = value
    doc.add_paragraph("")


def clear_properties(doc: Document) -> None:
    """docxtpl renders core properties as Jinja too: keep them plain, the build sets them."""
    props = doc.core_properties
    props.title = props.subject = props.keywords = props.comments = ""
    props.author = props.last_modified_by = "Technician Commitment pack builder"


def self_assessment() -> Document:
    doc = Document()
    styles(doc)
    page_furniture(doc, "{{ institution }} · Technician Commitment self-assessment · {{ window }}")
    clear_properties(doc)
    doc.add_paragraph("{{ title }}", style="Title")
    doc.add_paragraph("{{ subtitle }}", style="Subtitle")
    fields_table(doc)
    doc.add_paragraph("")
    # the pack's contents: a contents field (updated when the form is converted) and a line
    # per appendix
    doc.add_paragraph("Contents", style="Contents Heading")
    doc.add_paragraph("{{p contents }}")
    doc.add_paragraph("{%p for q in questions %}")
    doc.add_paragraph("{{ q.heading }}", style="Heading 1")
    doc.add_paragraph("{{ q.prompt }}", style="Prompt")
    doc.add_paragraph("{{p q.answer }}")
    doc.add_paragraph("{%p endfor %}")
    # on a page of its own: the two signature blocks are never split across pages
    doc.add_paragraph("Sign-off", style="Heading 1").paragraph_format.page_break_before = True
    signoff_block(doc, "lead")
    signoff_block(doc, "leader")

    plan = doc.add_section(WD_SECTION.NEW_PAGE)
    plan.orientation = WD_ORIENT.LANDSCAPE
    plan.page_width, plan.page_height = Cm(29.7), Cm(21.0)
    plan.left_margin = plan.right_margin = Cm(1.5)
    plan.top_margin = plan.bottom_margin = Cm(1.6)
    doc.add_paragraph("{{ plan_heading }}", style="Heading 1")
    doc.add_paragraph("{{ plan_intro }}", style="Body Text")
    doc.add_paragraph("{{p plan_table }}")
    return doc


def appendix() -> Document:
    doc = Document()
    styles(doc)
    page_furniture(doc, "{{ institution }} · {{ heading }}")
    clear_properties(doc)
    doc.add_paragraph("{{ heading }}", style="Heading 1")
    doc.add_paragraph("{{p body }}")
    return doc


def plan() -> Document:
    """The stand-alone action plan an institution publishes on its website."""
    doc = Document()
    styles(doc)
    page_furniture(doc, "{{ institution }} · Technician Commitment action plan · {{ period }}")
    section = doc.sections[0]
    section.orientation = WD_ORIENT.LANDSCAPE
    section.page_width, section.page_height = Cm(29.7), Cm(21.0)
    section.left_margin = section.right_margin = Cm(1.5)
    section.top_margin = section.bottom_margin = Cm(1.6)
    clear_properties(doc)
    doc.add_paragraph("{{ title }}", style="Title")
    doc.add_paragraph("{{ intro }}", style="Body Text")
    doc.add_paragraph("{{p plan }}")
    return doc


def main() -> None:
    self_assessment().save(str(HERE / "self-assessment.docx"))
    appendix().save(str(HERE / "appendix.docx"))
    plan().save(str(HERE / "plan.docx"))


if __name__ == "__main__":
    main()
