"""Cell values of an .xlsx sheet, read straight from its XML.

The plan only needs each cell's shown value and the merged ranges, so this reads the sheet's
XML with a hardened parser (no entities, no DTD, no network) instead of loading a whole
workbook model: it is safer for files from elsewhere and keeps `pack check` fast.

As producers write it: Transitional or Strict Open XML, cells with or without their reference,
numbers shown as their format says where it changes the words (a percentage, a date), the
phonetic guide of Japanese text left out, hidden sheets and formulas whose result was never
saved (a program that does not calculate wrote the file) told apart.
"""

from __future__ import annotations

import datetime as dt
import posixpath
import re
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import Path

from lxml import etree

from pipeline.errors import UnsafeFile
from pipeline.safety import check_zip, parse_xml

_TRANSITIONAL = {
    "m": "http://schemas.openxmlformats.org/spreadsheetml/2006/main",
    "r": "http://schemas.openxmlformats.org/officeDocument/2006/relationships",
    "rel": "http://schemas.openxmlformats.org/package/2006/relationships",
}
_STRICT = {
    **_TRANSITIONAL,
    "m": "http://purl.oclc.org/ooxml/spreadsheetml/main",
    "r": "http://purl.oclc.org/ooxml/officeDocument/relationships",
}
_REF = re.compile(r"([A-Z]+)?(\d+)?")
_DATE_FORMATS = {14, 15, 16, 17, 22, 27, 30, 36, 50, 57}
"""Built-in number formats that show a date (with a time, for 22)."""
_PERCENT_FORMATS = {9: 0, 10: 2}
"""Built-in percentage formats, and their decimals."""


@dataclass(frozen=True, slots=True)
class Sheet:
    """A worksheet's values, row by row (1-based row numbers), and its merged ranges."""

    name: str
    rows: dict[int, dict[int, str]]
    """Row number -> column index (0-based) -> text."""
    merged: tuple[tuple[int, int, int, int], ...]
    """(first row, first column, last row, last column) of each merged range."""
    hidden: bool = False
    """Hidden in the workbook (an old copy, a lookup list): never taken for the plan unasked."""
    unsaved: tuple[tuple[int, int], ...] = ()
    """(row, column) of each formula whose result the file does not hold."""


def _column(letters: str) -> int:
    number = 0
    for letter in letters:
        number = number * 26 + ord(letter) - 64
    return number - 1


def _xml(archive: zipfile.ZipFile, name: str) -> etree._Element:
    return parse_xml(archive.read(name))


def _text(node: etree._Element, ns: dict[str, str]) -> str:
    """A string's text: its runs', without the phonetic guide (`rPh`) of Japanese text."""
    phonetic = f"{{{ns['m']}}}rPh"
    return "".join(
        t.text or ""
        for t in node.iter(f"{{{ns['m']}}}t")
        if all(a.tag != phonetic for a in t.iterancestors())
    )


@dataclass(frozen=True, slots=True)
class _Book:
    """What every sheet's cells are read with."""

    ns: dict[str, str]
    shared: list[str]
    formats: list[str]
    """Each cell style's number format: "date", "percent:N" (N decimals) or ""."""
    epoch: dt.date


def _format(number: int, code: str) -> str:
    if number in _PERCENT_FORMATS:
        return f"percent:{_PERCENT_FORMATS[number]}"
    if number in _DATE_FORMATS:
        return "date"
    bare = re.sub(r'"[^"]*"|\\.|\[[^\]]*\]', "", code)  # quoted text, escapes, [colours]
    if "%" in bare:
        decimals = re.search(r"\.(0+)", bare)
        return f"percent:{len(decimals[1]) if decimals else 0}"
    if re.search(r"[dmyDMY]", bare) and not re.search(r"[#0?]", bare):
        return "date"
    return ""


def _styles(archive: zipfile.ZipFile, names: set[str], ns: dict[str, str]) -> list[str]:
    if "xl/styles.xml" not in names:
        return []
    root = _xml(archive, "xl/styles.xml")
    codes = {
        int(f.get("numFmtId", "-1")): f.get("formatCode", "")
        for f in root.iterfind("m:numFmts/m:numFmt", ns)
        if f.get("numFmtId", "").isdigit()
    }
    found = []
    for xf in root.iterfind("m:cellXfs/m:xf", ns):
        number = int(xf.get("numFmtId", "0")) if xf.get("numFmtId", "0").isdigit() else 0
        found.append(_format(number, codes.get(number, "")))
    return found


def _number(value: str, shown: str, epoch: dt.date) -> str:
    number = float(value)
    if shown == "date" and 0 < number < 2_958_466:  # up to 9999-12-31
        day = epoch + dt.timedelta(days=int(number))
        return day.isoformat()
    if shown.startswith("percent:"):
        decimals = int(shown.split(":")[1])
        return f"{number * 100:.{decimals}f}%"
    return str(int(number)) if number.is_integer() else value


def _cell_value(cell: etree._Element, book: _Book) -> str:
    ns = book.ns
    kind = cell.get("t", "n")
    if kind == "inlineStr":
        found = cell.find("m:is", ns)
        return _text(found, ns) if found is not None else ""
    value = str(cell.findtext("m:v", default="", namespaces=ns))
    if kind == "s":
        shared = book.shared
        return shared[int(value)] if value.isdigit() and int(value) < len(shared) else ""
    if kind == "b":
        return "TRUE" if value == "1" else "FALSE"
    if kind == "d":  # an ISO 8601 date (Strict files, some producers): the date shown
        return value.split("T")[0] if value.endswith("T00:00:00") or "T" not in value else value
    if kind == "n" and value:
        style = cell.get("s", "0")
        shown = (
            book.formats[int(style)] if style.isdigit() and int(style) < len(book.formats) else ""
        )
        try:
            return _number(value, shown, book.epoch)
        except (ValueError, OverflowError):
            return value
    return value  # a string a formula gave (t="str"), or an error value such as #REF! (t="e")


def sheets(path: Path) -> list[Sheet]:
    """Every worksheet of the workbook, in order."""
    check_zip(path, required="xl/workbook.xml")
    try:
        with zipfile.ZipFile(path) as archive:
            return _sheets(archive)
    except (zipfile.BadZipFile, zlib.error, EOFError, NotImplementedError) as exc:
        raise UnsafeFile(
            f"{path}: damaged ({exc}); save it again from your spreadsheet program"
        ) from exc


def _sheets(archive: zipfile.ZipFile) -> list[Sheet]:
    names = set(archive.namelist())
    workbook = _xml(archive, "xl/workbook.xml")
    ns = _STRICT if workbook.tag == f"{{{_STRICT['m']}}}workbook" else _TRANSITIONAL
    shared: list[str] = []
    if "xl/sharedStrings.xml" in names:
        shared = [
            _text(si, ns) for si in _xml(archive, "xl/sharedStrings.xml").iterfind("m:si", ns)
        ]
    properties = workbook.find("m:workbookPr", ns)
    in_1904 = properties is not None and properties.get("date1904", "") in ("1", "true")
    # Excel's day 0 is 1899-12-31, and it counts a 29 February 1900 that never was
    epoch = dt.date(1904, 1, 1) if in_1904 else dt.date(1899, 12, 30)
    book = _Book(ns, shared, _styles(archive, names, ns), epoch)
    rels = {
        rel.get("Id"): rel.get("Target", "")
        for rel in _xml(archive, "xl/_rels/workbook.xml.rels").iterfind("rel:Relationship", ns)
    }
    result = []
    for sheet in workbook.iterfind("m:sheets/m:sheet", ns):
        target = rels.get(sheet.get(f"{{{ns['r']}}}id"), "")
        part = target.lstrip("/") if target.startswith("/") else posixpath.normpath(f"xl/{target}")
        if part not in names:
            continue
        result.append(_sheet(_xml(archive, part), book, sheet))
    return result


def _sheet(root: etree._Element, book: _Book, entry: etree._Element) -> Sheet:
    ns = book.ns
    rows: dict[int, dict[int, str]] = {}
    unsaved = []
    number = 0
    for row in root.iterfind("m:sheetData/m:row", ns):
        given = row.get("r", "")
        number = int(given) if given.isdigit() else number + 1  # no reference: the next one
        column = -1
        for cell in row.iterfind("m:c", ns):
            match = _REF.fullmatch(cell.get("r", ""))
            column = _column(match[1]) if match and match[1] else column + 1
            at = int(match[2]) if match and match[2] else number
            value = _cell_value(cell, book)
            if value == "" and cell.find("m:f", ns) is not None:
                unsaved.append((at, column))
            elif value != "":
                rows.setdefault(at, {})[column] = value
    merged = []
    for merge in root.iterfind("m:mergeCells/m:mergeCell", ns):
        ends = [m for m in map(_REF.fullmatch, merge.get("ref", "").split(":")) if m]
        if len(ends) == 2 and all(m[1] and m[2] for m in ends):
            first, last = ends
            merged.append((int(first[2]), _column(first[1]), int(last[2]), _column(last[1])))
    hidden = entry.get("state", "visible") in ("hidden", "veryHidden")
    return Sheet(entry.get("name", ""), rows, tuple(merged), hidden, tuple(unsaved))
