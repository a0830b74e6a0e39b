"""`pack draft`: the DOCX reviewers edit, each answer findable again after Word or LibreOffice
has saved it, and a record of the sources it was made from.

The record is a custom XML part (`customXml/itemN.xml`, which Word and LibreOffice both keep
when they save): for each answer its file, the file's SHA-256 and the file's bytes, so that
`pack review` can tell reviewers' untracked edits from the sources and `pack harvest` can write
untouched paragraphs back byte for byte, even after the answer file has moved on.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from docx.opc.constants import CONTENT_TYPE as CT
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.packuri import PackURI
from docx.opc.part import Part
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls, qn
from lxml import etree

from pipeline.render import render_form

if TYPE_CHECKING:
    from pipeline.form import Form
    from pipeline.markdown import WordContent
    from pipeline.model import Pack
    from pipeline.window import Window

BOOKMARK = "tc_answer_{}"
"""A bookmark at the start of each answer: Word and LibreOffice both keep bookmarks."""
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


def bookmark(content: WordContent, number: int) -> WordContent:
    """Put a bookmark around an answer: its start in the first paragraph, its end in the last."""
    paragraphs = content.body.findall(f".//{qn('w:p')}")
    if not paragraphs:  # an empty answer still gets a place to be found
        paragraphs = [parse_xml(f"<w:p {nsdecls('w')}/>")]
        content.body.append(paragraphs[0])
    name = BOOKMARK.format(number)
    start = parse_xml(f'<w:bookmarkStart {nsdecls("w")} w:id="{900 + number}" w:name="{name}"/>')
    end = parse_xml(f'<w:bookmarkEnd {nsdecls("w")} w:id="{900 + number}"/>')
    first, last = paragraphs[0], paragraphs[-1]
    p_pr = first.find(qn("w:pPr"))
    first.insert(1 if p_pr is not None else 0, start)
    last.append(end)
    return content


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def record_of(pack: Pack, made: dt.datetime) -> Record:
    """Each answer's file, hash and bytes; the form's default text where there is no file."""
    sources = {}
    for answer in pack.answers:
        if answer.path.is_file():
            data = answer.path.read_bytes()
            relative = answer.path.relative_to(pack.root).as_posix()
            sources[answer.number] = Source(answer.number, relative, sha256(data), data)
        else:
            sources[answer.number] = Source(answer.number, "", "", answer.text.encode())
    return Record(pack.institution, pack.framework, made.isoformat(timespec="seconds"), sources)


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


def add_record(document: Any, record: Record) -> None:
    """Add the record as a custom XML part of `document`, with its properties part."""
    package = document.part.package
    used = {str(part.partname) for part in package.iter_parts()}
    number = next(n for n in range(1, 1000) if f"/customXml/item{n}.xml" not in used)
    item = Part(PackURI(f"/customXml/item{number}.xml"), "application/xml", record_xml(record))
    properties = Part(
        PackURI(f"/customXml/itemProps{number}.xml"),
        CT.OFC_CUSTOM_XML_PROPERTIES,
        (
            '<?xml version="1.0" encoding="UTF-8" standalone="no"?>'
            '<ds:datastoreItem xmlns:ds="http://schemas.openxmlformats.org/officeDocument/2006/customXml"'
            f' ds:itemID="{{{str(uuid.uuid4()).upper()}}}"><ds:schemaRefs>'
            f'<ds:schemaRef ds:uri="{RECORD_NS}"/></ds:schemaRefs></ds:datastoreItem>'
        ).encode(),
    )
    item.relate_to(properties, RT.CUSTOM_XML_PROPS)
    document.part.relate_to(item, RT.CUSTOM_XML)


def draft(pack: Pack, form: Form, window: Window, out_dir: Path) -> Path:
    """Write `out_dir/draft/<name>.docx` for reviewers."""
    target = out_dir / "draft" / f"{window.file_stem(pack.institution)}.docx"
    made = dt.datetime.now(dt.UTC).replace(microsecond=0)
    record = record_of(pack, made)

    def finish(document: Any) -> None:
        document.core_properties.created = made.replace(tzinfo=None)
        document.core_properties.modified = made.replace(tzinfo=None)
        add_record(document, record)

    render_form(pack, form, window, target, mark=bookmark, finish=finish)
    return target
