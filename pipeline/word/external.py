"""The copy of a Word appendix that LibreOffice converts: with nothing that reaches outside it.

A Word file may link a picture, a frame, a template, an OLE object or a sub-document to a path
or address outside itself (`TargetMode="External"` in its relationships), and fields such as
INCLUDEPICTURE or LINK may name one. LibreOffice fetches linked pictures while it loads the
document, over HTTP or from any file. The copy it converts keeps the document's own parts, and
its web links (which are only followed by a reader who clicks them), and loses every other
external relationship and every such field's instruction (the field's last result stays).
"""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

from lxml import etree

from pipeline.safety import check_zip, parse_xml

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


def private_copy(source: Path, target: Path) -> None:
    """Write to `target` the Word file `source` without links to outside content."""
    check_zip(source, required="word/document.xml")
    with zipfile.ZipFile(source) as archive, zipfile.ZipFile(target, "w") as out:
        for info in archive.infolist():
            data = archive.read(info)
            changed = None
            if info.filename.endswith(".rels"):
                changed = _relationships(data)
            elif info.filename.startswith("word/") and info.filename.endswith(".xml"):
                changed = _fields(data)
            out.writestr(info, changed if changed is not None else data)
