"""`pack draft`: the DOCX reviewers edit, each answer findable again after Word or LibreOffice
has saved it, and a record of the sources it was made from."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import TYPE_CHECKING, Any

from docx.opc.packuri import PackURI
from docx.opc.part import Part
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls, qn

from pipeline.render import render_form

if TYPE_CHECKING:
    from pipeline.form import Form
    from pipeline.markdown import WordContent
    from pipeline.model import Pack
    from pipeline.window import Window

BOOKMARK = "tc_answer_{}"
"""A bookmark around each answer: both Word and LibreOffice keep bookmarks when they save."""
SOURCES = "tc-pack-sources"
"""The custom document property that records each answer file and its SHA-256."""
_CUSTOM = "application/vnd.openxmlformats-officedocument.custom-properties+xml"
_CUSTOM_REL = (
    "http://schemas.openxmlformats.org/officeDocument/2006/relationships/custom-properties"
)
_FMTID = "{D5CDD505-2E9C-101B-9397-08002B2CF9AE}"


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


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def sources(pack: Pack) -> dict[str, dict[str, str]]:
    """Question number -> the answer file (relative to the inputs) and its hash."""
    record = {}
    for answer in pack.answers:
        if answer.path.is_file():
            record[str(answer.number)] = {
                "path": answer.path.relative_to(pack.root).as_posix(),
                "sha256": sha256(answer.path),
            }
    return record


def add_property(document: Any, name: str, value: str) -> None:
    """A custom document property (File > Properties > Custom in Word and LibreOffice)."""
    xml = (
        '<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/custom-properties" '
        'xmlns:vt="http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes">'
        f'<property fmtid="{_FMTID}" pid="2" name="{name}"><vt:lpwstr/></property></Properties>'
    )
    element = parse_xml(xml)
    element[0][0].text = value
    from lxml import etree

    blob = etree.tostring(element, xml_declaration=True, encoding="UTF-8", standalone=True)
    package = document.part.package
    part = Part(PackURI("/docProps/custom.xml"), _CUSTOM, blob, package)
    package.relate_to(part, _CUSTOM_REL)


def draft(pack: Pack, form: Form, window: Window, out_dir: Path) -> Path:
    """Write `out_dir/draft/<name>.docx` for reviewers."""
    target = out_dir / "draft" / f"{window.file_stem(pack.institution)}.docx"
    record = json.dumps(sources(pack), sort_keys=True)
    render_form(
        pack, form, window, target,
        mark=bookmark,
        finish=lambda document: add_property(document, SOURCES, record),
    )  # fmt: skip
    return target
