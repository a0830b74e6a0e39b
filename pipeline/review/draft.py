"""`pack draft`: the DOCX reviewers edit, each answer findable again after Word or LibreOffice
has saved it, and a record of the sources it was made from.

The record is a custom XML part (`customXml/itemN.xml`, which Word and LibreOffice both keep
when they save): for each answer its file, the file's SHA-256 and the file's bytes, so that
`pack review` can tell reviewers' untracked edits from the sources and `pack harvest` can write
untouched paragraphs back byte for byte, even after the answer file has moved on.
"""

from __future__ import annotations

import datetime as dt
import uuid
from pathlib import Path
from typing import TYPE_CHECKING, Any

from docx.opc.constants import CONTENT_TYPE as CT
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.packuri import PackURI
from docx.opc.part import Part
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls, qn

from pipeline.render.form import render_form
from pipeline.review.record import BOOKMARK, RECORD_NS, Record, Source, record_xml, sha256

if TYPE_CHECKING:
    from pipeline.form import Form
    from pipeline.model import Pack
    from pipeline.window import Window
    from pipeline.word.context import WordContent


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
