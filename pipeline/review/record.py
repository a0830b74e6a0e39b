"""The draft's record of its sources, and the bookmarks that find each answer again.

A draft carries a custom XML part (`customXml/itemN.xml`, which Word and LibreOffice both keep
when they save): for each answer its file, the file's SHA-256 and the file's bytes. Writing the
draft (`draft`) and reading a reviewed one (`document`) both use this module; it imports lxml and
the standard library only, so that `pack review` loads no renderer.
"""

from __future__ import annotations

import base64
import hashlib
import re
from dataclasses import dataclass
from typing import Any

from lxml import etree

BOOKMARK = "tc_answer_{}"
"""A bookmark at the start of each answer: Word and LibreOffice both keep bookmarks."""
BOOKMARK_NAME = re.compile(r"tc_answer_(\d+)$")
"""A bookmark's name -> the number of the answer it starts."""
RECORD_NS = "urn:tc-pack:draft:1"
"""The namespace of the draft's record of its sources."""


@dataclass(frozen=True, slots=True)
class Source:
    """One answer as it was when the draft was made."""

    number: int
    path: str
    """The answer file, relative to the inputs folder; empty for the form's default answer."""
    sha256: str
    """Of the file's bytes; empty for the form's default answer."""
    data: bytes
    """The file's bytes (or the default answer's text)."""

    @property
    def text(self) -> str:
        return self.data.decode("utf-8-sig").replace("\r\n", "\n").replace("\r", "\n")


@dataclass(frozen=True, slots=True)
class Record:
    """What a draft was made from."""

    institution: str
    framework: str
    made: str
    """ISO date and time the draft was made."""
    sources: dict[int, Source]


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def record_xml(record: Record) -> bytes:
    root = etree.Element(f"{{{RECORD_NS}}}draft", nsmap={None: RECORD_NS})
    root.set("institution", record.institution)
    root.set("framework", record.framework)
    root.set("made", record.made)
    for source in record.sources.values():
        item = etree.SubElement(root, f"{{{RECORD_NS}}}answer")
        item.set("number", str(source.number))
        item.set("path", source.path)
        item.set("sha256", source.sha256)
        item.text = base64.b64encode(source.data).decode("ascii")  # bytes survive any re-save
    data: bytes = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)
    return data


def parse_record(root: Any) -> Record | None:
    """The record in a parsed custom XML part, or None if the part is something else.

    Raises ValueError when it is a record but damaged."""
    if root.tag != f"{{{RECORD_NS}}}draft":
        return None
    sources = {}
    for item in root.iter(f"{{{RECORD_NS}}}answer"):
        number = int(item.get("number", ""))
        data = base64.b64decode(item.text or "", validate=True)
        path, digest = item.get("path", ""), item.get("sha256", "")
        if digest and sha256(data) != digest:
            raise ValueError(f"the recorded answer {number} does not match its hash")
        sources[number] = Source(number, path, digest, data)
    return Record(
        root.get("institution", ""), root.get("framework", ""), root.get("made", ""), sources
    )
