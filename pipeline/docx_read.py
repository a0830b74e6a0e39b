"""Reading a reviewed DOCX: untrusted input, so a hardened parser on a checked zip.

Answers are found by the draft's bookmarks, by *name*: LibreOffice 7.4 writes a range
bookmark's start twice when it saves DOCX (at its start, and again at its last paragraph) and
pairs the end with the second, so pairing by id alone loses the answer.
"""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

from lxml import etree

from pipeline.safety import check_zip

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False)
_NAME = re.compile(r"tc_answer_(\d+)$")


def read_part(path: Path, name: str) -> etree._Element | None:
    """A part of a checked .docx, parsed safely; None if the document has no such part."""
    check_zip(path, required="word/document.xml")
    with zipfile.ZipFile(path) as archive:
        if name not in archive.namelist():
            return None
        return etree.fromstring(archive.read(name), _PARSER)


def answer_of(root: etree._Element) -> dict[etree._Element, int]:
    """Each element inside an answer's bookmark -> the question number, in document order."""
    ids: dict[str, int] = {}
    open_answers: list[int] = []
    inside: dict[etree._Element, int] = {}
    for element in root.iter():
        if element.tag == f"{W}bookmarkStart":
            match = _NAME.match(element.get(f"{W}name") or "")
            if match:
                number = int(match[1])
                ids[element.get(f"{W}id") or ""] = number
                if number not in open_answers:
                    open_answers.append(number)
        elif element.tag == f"{W}bookmarkEnd":
            ended = ids.get(element.get(f"{W}id") or "")
            if ended in open_answers:
                open_answers.remove(ended)
        elif open_answers:
            inside[element] = open_answers[-1]
    return inside


def paragraph_texts(root: etree._Element, accepted: bool = True) -> dict[int, list[str]]:
    """Each answer's paragraphs as text; with tracked changes accepted, or (False) rejected."""
    inside = answer_of(root)
    texts: dict[int, list[str]] = {}
    for paragraph in root.iter(f"{W}p"):
        number = inside.get(paragraph)
        if number is None:
            first = next((e for e in paragraph.iter() if e in inside), None)
            number = inside.get(first) if first is not None else None
        if number is None:
            continue
        parts = []
        for node in paragraph.iter(f"{W}t", f"{W}delText", f"{W}tab", f"{W}br"):
            in_ins = any(a.tag == f"{W}ins" for a in node.iterancestors())
            if node.tag == f"{W}delText":
                if not accepted:
                    parts.append(node.text or "")
            elif node.tag == f"{W}t":
                if accepted or not in_ins:
                    parts.append(node.text or "")
            else:
                parts.append("\t" if node.tag == f"{W}tab" else "\n")
        texts.setdefault(number, []).append("".join(parts))
    return texts
