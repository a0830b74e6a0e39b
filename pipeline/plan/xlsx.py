"""Cell values of an .xlsx sheet, read straight from its XML.

The plan only needs each cell's shown value and the merged ranges, so this reads the sheet's
XML with a hardened parser (no entities, no DTD, no network) instead of loading a whole
workbook model: it is safer for files from elsewhere and keeps `pack check` fast.
"""

from __future__ import annotations

import posixpath
import re
import zipfile
from dataclasses import dataclass
from pathlib import Path

from lxml import etree

from pipeline.safety import check_zip, parse_xml

_NS = {
    "m": "http://schemas.openxmlformats.org/spreadsheetml/2006/main",
    "r": "http://schemas.openxmlformats.org/officeDocument/2006/relationships",
    "rel": "http://schemas.openxmlformats.org/package/2006/relationships",
}
_REF = re.compile(r"([A-Z]+)(\d+)")


@dataclass(frozen=True, slots=True)
class Sheet:
    """A worksheet's values, row by row (1-based row numbers), and its merged ranges."""

    name: str
    rows: dict[int, dict[int, str]]
    """Row number -> column index (0-based) -> text."""
    merged: tuple[tuple[int, int, int, int], ...]
    """(first row, first column, last row, last column) of each merged range."""


def _column(letters: str) -> int:
    number = 0
    for letter in letters:
        number = number * 26 + ord(letter) - 64
    return number - 1


def _xml(archive: zipfile.ZipFile, name: str) -> etree._Element:
    return parse_xml(archive.read(name))


def _text(node: etree._Element) -> str:
    return "".join(node.itertext())


def _cell_value(cell: etree._Element, shared: list[str]) -> str:
    kind = cell.get("t", "n")
    if kind == "inlineStr":
        found = cell.find("m:is", _NS)
        return _text(found) if found is not None else ""
    value = str(cell.findtext("m:v", default="", namespaces=_NS))
    if kind == "s":
        return shared[int(value)] if value.isdigit() and int(value) < len(shared) else ""
    if kind == "b":
        return "TRUE" if value == "1" else "FALSE"
    if kind == "n" and value:
        number = float(value)
        return str(int(number)) if number.is_integer() else value
    return value


def sheets(path: Path) -> list[Sheet]:
    """Every worksheet of the workbook, in order."""
    check_zip(path, required="xl/workbook.xml")
    with zipfile.ZipFile(path) as archive:
        names = set(archive.namelist())
        shared: list[str] = []
        if "xl/sharedStrings.xml" in names:
            shared = [
                _text(si) for si in _xml(archive, "xl/sharedStrings.xml").iterfind("m:si", _NS)
            ]
        rels = {
            rel.get("Id"): rel.get("Target", "")
            for rel in _xml(archive, "xl/_rels/workbook.xml.rels").iterfind("rel:Relationship", _NS)
        }
        result = []
        for sheet in _xml(archive, "xl/workbook.xml").iterfind("m:sheets/m:sheet", _NS):
            target = rels.get(sheet.get(f"{{{_NS['r']}}}id"), "")
            part = (
                target.lstrip("/") if target.startswith("/") else posixpath.normpath(f"xl/{target}")
            )
            if part not in names:
                continue
            root = _xml(archive, part)
            rows: dict[int, dict[int, str]] = {}
            for row in root.iterfind("m:sheetData/m:row", _NS):
                for cell in row.iterfind("m:c", _NS):
                    match = _REF.fullmatch(cell.get("r", ""))
                    if not match:
                        continue
                    value = _cell_value(cell, shared)
                    if value != "":
                        rows.setdefault(int(match[2]), {})[_column(match[1])] = value
            merged = []
            for merge in root.iterfind("m:mergeCells/m:mergeCell", _NS):
                refs = [_REF.fullmatch(r) for r in merge.get("ref", "").split(":")]
                if len(refs) == 2 and refs[0] and refs[1]:
                    merged.append(
                        (int(refs[0][2]), _column(refs[0][1]), int(refs[1][2]), _column(refs[1][1]))
                    )
            result.append(Sheet(sheet.get("name", ""), rows, tuple(merged)))
        return result
