"""The copy of a Word appendix that LibreOffice converts: with nothing that reaches outside it,
and no page left blank.

A Word file may link a picture, a frame, a template, an OLE object or a sub-document to a path
or address outside itself (`TargetMode="External"` in its relationships), and fields such as
INCLUDEPICTURE or LINK may name one. LibreOffice fetches linked pictures while it loads the
document, over HTTP or from any file. The copy it converts keeps the document's own parts, and
its web links (which are only followed by a reader who clicks them), and loses every other
external relationship and every such field's instruction (the field's last result stays).

A section that starts on an odd (or even) page makes a word processor insert a blank page
before it, for printing on both sides. LibreOffice counts and numbers that page but leaves it
out of the PDF, so the pack's "Page k of N" would skip a number and N count pages that are not
there. The pack is read on screen: in the copy, such a section starts on the next page. A
section's own page numbering (starting again at 1, roman numerals for front matter) goes too,
and a SECTIONPAGES field ("of 3" in a section of three pages) counts the document's pages: the
pack numbers its pages as one document, from its first paragraph (a table that opens the
document gets an empty paragraph one point high before it).
"""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

from lxml import etree

from pipeline.files import atomic_path
from pipeline.safety import WORD_MAIN, check_zip, parse_xml

_HYPERLINK = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/hyperlink"
_FIELDS = re.compile(r"^\s*(INCLUDEPICTURE|INCLUDETEXT|LINK|DDE|DDEAUTO|IMPORT)\b", re.I)
_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def _relationships(data: bytes) -> bytes | None:
    """A relationships part without its external targets other than web links; None if it
    had none."""
    root = parse_xml(data)
    removed = False
    for rel in list(root):
        if rel.get("TargetMode") == "External" and rel.get("Type") != _HYPERLINK:
            root.remove(rel)
            removed = True
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8") if removed else None


def _fields(data: bytes) -> bytes | None:
    """A document part with the instructions of fields that load outside content emptied;
    None if it had none."""
    if not re.search(rb"INCLUDEPICTURE|INCLUDETEXT|LINK|DDE|IMPORT", data, re.I):
        return None
    root = parse_xml(data)
    removed = False
    for node in root.iter(f"{_W}instrText"):
        if _FIELDS.match(node.text or ""):
            node.text = ""
            removed = True
    for node in root.iter(f"{_W}fldSimple"):
        if _FIELDS.match(node.get(f"{_W}instr", "")):
            node.set(f"{_W}instr", "")
            removed = True
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8") if removed else None


def _sections(data: bytes) -> bytes | None:
    """The document part with every odd- or even-page section break made a next-page one, and
    no section's own page numbering (a restart, roman numerals); None if it had neither."""
    if not re.search(rb"oddPage|evenPage|pgNumType", data):
        return None
    root = parse_xml(data)
    changed = False
    for section in root.iter(f"{_W}sectPr"):
        for node in section.findall(f"{_W}type"):
            if node.get(f"{_W}val") in ("oddPage", "evenPage"):
                node.set(f"{_W}val", "nextPage")
                changed = True
        for node in section.findall(f"{_W}pgNumType"):
            section.remove(node)
            changed = True
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8") if changed else None


def _section_pages(data: bytes) -> bytes | None:
    """A part whose SECTIONPAGES fields ("of 3" in a section of three pages) count the
    document's pages (NUMPAGES, which the pack's N replaces); None if it had none."""
    if b"SECTIONPAGES" not in data.upper():
        return None
    root = parse_xml(data)
    changed = False
    for node in root.iter(f"{_W}instrText"):
        if _SECTION_PAGES.search(node.text or ""):
            node.text = _SECTION_PAGES.sub("NUMPAGES", node.text or "")
            changed = True
    for node in root.iter(f"{_W}fldSimple"):
        instruction = node.get(f"{_W}instr", "")
        if _SECTION_PAGES.search(instruction):
            node.set(f"{_W}instr", _SECTION_PAGES.sub("NUMPAGES", instruction))
            changed = True
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8") if changed else None


_SECTION_PAGES = re.compile(r"\bSECTIONPAGES\b", re.I)


def _table_first(data: bytes) -> bytes | None:
    """The document part with an empty paragraph one point high before a table that opens the
    body (a title block, a form's grid); None if it opens otherwise. The pack's page numbers
    start on the first paragraph: LibreOffice 25.2 ignores a table's page number offset."""
    if b"tbl" not in data:
        return None
    root = parse_xml(data)
    body = root.find(f"{_W}body")
    if body is None or not len(body) or body[0].tag != f"{_W}tbl":
        return None
    paragraph = etree.Element(f"{_W}p")
    properties = etree.SubElement(paragraph, f"{_W}pPr")
    spacing = etree.SubElement(properties, f"{_W}spacing")
    for name, value in (("before", "0"), ("after", "0"), ("line", "20"), ("lineRule", "exact")):
        spacing.set(f"{_W}{name}", value)
    etree.SubElement(etree.SubElement(properties, f"{_W}rPr"), f"{_W}sz").set(f"{_W}val", "2")
    body.insert(0, paragraph)
    written: bytes = etree.tostring(root, xml_declaration=True, encoding="UTF-8")
    return written


def _numbered_as_one(name: str, data: bytes, main: str = WORD_MAIN) -> bytes | None:
    """A Word part (by its name in the package; `main` the document's main part) changed so
    that its document is numbered as one with the pack (`_sections`, `_section_pages`); None
    if nothing changed."""
    if not (name.startswith("word/") and name.endswith(".xml")):
        return None
    changed = _section_pages(data)
    if name == main:
        changed = _sections(changed if changed is not None else data) or changed
        changed = _table_first(changed if changed is not None else data) or changed
    return changed


def one_sided(path: Path) -> bool:
    """Number a Word file we rendered (an institution's own template may have odd-page
    sections, restarts or SECTIONPAGES fields) as one with the pack, in place; whether it
    changed."""
    with zipfile.ZipFile(path) as archive:
        parts = [(info, archive.read(info)) for info in archive.infolist()]
    changes = {info.filename: _numbered_as_one(info.filename, data) for info, data in parts}
    if not any(changes.values()):
        return False
    with atomic_path(path) as tmp, zipfile.ZipFile(tmp, "w") as out:
        for info, data in parts:
            out.writestr(info, changes[info.filename] or data)
    return True


def private_copy(source: Path, target: Path) -> None:
    """Write to `target` the Word file `source` without links to outside content, and without
    blank pages for printing on both sides."""
    main = check_zip(source, required=WORD_MAIN)
    with zipfile.ZipFile(source) as archive, zipfile.ZipFile(target, "w") as out:
        for info in archive.infolist():
            data = archive.read(info)
            changed = None
            if info.filename.endswith(".rels"):
                changed = _relationships(data)
            elif info.filename.startswith("word/") and info.filename.endswith(".xml"):
                changed = _fields(data)
                current = changed if changed is not None else data
                changed = _numbered_as_one(info.filename, current, main) or changed
            out.writestr(info, changed if changed is not None else data)
