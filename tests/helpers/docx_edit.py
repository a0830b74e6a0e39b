"""Edits to a real draft's XML, shaped as Word and LibreOffice write them, for tests that need
many kinds of review quickly (the real LibreOffice edits are in `uno_edit.py`)."""

from __future__ import annotations

import copy
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

from lxml import etree

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
NS = {"w": W}
DATE = "2026-12-01T10:00:00Z"


def q(tag: str) -> str:
    return f"{{{W}}}{tag}"


def rewrite(
    source: Path, target: Path, edit: Callable[[Any], None], part: str = "word/document.xml"
) -> Path:
    """Copy a .docx with one part (the document, unless told) changed by `edit(root)`."""
    with zipfile.ZipFile(source) as archive:
        parts = {info: archive.read(info) for info in archive.infolist()}
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as out:
        for info, data in parts.items():
            if info.filename == part:
                root = etree.fromstring(data)
                edit(root)
                data = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)
            out.writestr(info, data)
    return target


def paragraph(root: Any, containing: str) -> Any:
    """The paragraph whose text contains `containing` (exactly one)."""
    found = [
        p for p in root.iter(q("p")) if containing in "".join(t.text or "" for t in p.iter(q("t")))
    ]
    assert len(found) == 1, f"{len(found)} paragraphs contain {containing!r}"
    return found[0]


def run(text: str, bold: bool = False) -> Any:
    r = etree.Element(q("r"))
    if bold:
        etree.SubElement(etree.SubElement(r, q("rPr")), q("b"))
    t = etree.SubElement(r, q("t"))
    t.text = text
    t.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
    return r


def change(kind: str, *runs: Any, author: str = "Rita Reviewer") -> Any:
    element = etree.Element(q(kind))
    element.set(q("id"), "77")
    element.set(q("author"), author)
    element.set(q("date"), DATE)
    for r in runs:
        if kind in ("del", "moveFrom"):
            for t in r.iter(q("t")):
                t.tag = q("delText")
        element.append(r)
    return element


def split_at(p: Any, text: str) -> tuple[Any, Any]:
    """Split the runs of `p` so that `text` is a run of its own; that run, and its parent."""
    for r in list(p.iter(q("r"))):
        t = r.find(q("t"))
        if t is None or text not in (t.text or ""):
            continue
        before, _, after = (t.text or "").partition(text)
        parent = r.getparent()
        index = list(parent).index(r)
        pieces = []
        for piece in (before, text, after):
            if piece:
                clone = copy.deepcopy(r)
                clone.find(q("t")).text = piece
                clone.find(q("t")).set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
                pieces.append(clone)
        parent.remove(r)
        for offset, piece in enumerate(pieces):
            parent.insert(index + offset, piece)
        return next(x for x in pieces if x.find(q("t")).text == text), parent
    raise AssertionError(f"no single run holds {text!r}")


def track_delete(p: Any, text: str) -> None:
    target, parent = split_at(p, text)
    index = list(parent).index(target)
    parent.remove(target)
    parent.insert(index, change("del", target))


def track_insert_after(p: Any, anchor: str, text: str) -> None:
    target, parent = split_at(p, anchor)
    parent.insert(list(parent).index(target) + 1, change("ins", run(text)))


def untracked_replace(p: Any, old: str, new: str) -> None:
    target, _ = split_at(p, old)
    target.find(q("t")).text = new


def make_bold(p: Any, text: str) -> Any:
    """`text` made bold (untracked); its run's properties."""
    target, _ = split_at(p, text)
    r_pr = target.find(q("rPr"))
    if r_pr is None:
        r_pr = etree.Element(q("rPr"))
        target.insert(0, r_pr)
    etree.SubElement(r_pr, q("b"))
    return r_pr


def delete_paragraph_tracked(p: Any) -> None:
    """Every run and the paragraph mark deleted with tracking, as Word does for a whole paragraph."""
    for r in list(p.findall(q("r"))):
        index = list(p).index(r)
        p.remove(r)
        p.insert(index, change("del", r))
    p_pr = p.find(q("pPr"))
    if p_pr is None:
        p_pr = etree.Element(q("pPr"))
        p.insert(0, p_pr)
    r_pr = p_pr.find(q("rPr"))
    if r_pr is None:
        r_pr = etree.SubElement(p_pr, q("rPr"))
    r_pr.append(change("del"))


def new_paragraph_after(p: Any, text: str, tracked: bool = True, like: bool = True) -> Any:
    """A new paragraph after `p` (with its style and numbering when `like`), typed by a reviewer."""
    new = etree.Element(q("p"))
    p_pr = p.find(q("pPr"))
    if like and p_pr is not None:
        kept = copy.deepcopy(p_pr)
        for mark in kept.findall(q("rPr")):
            kept.remove(mark)
        new.append(kept)
    if tracked:
        new_pr = new.find(q("pPr"))
        if new_pr is None:
            new_pr = etree.SubElement(new, q("pPr"))
        etree.SubElement(new_pr, q("rPr")).append(change("ins"))
        new.append(change("ins", run(text)))
    else:
        new.append(run(text))
    p.addnext(new)
    return new


def track_move(p: Any, text: str, after: str) -> None:
    """`text` moved to just after `after` in the same paragraph, as Word records a move."""
    target, parent = split_at(p, text)
    index = list(parent).index(target)
    parent.remove(target)
    parent.insert(index, change("moveFrom", copy.deepcopy(target)))
    anchor, parent = split_at(p, after)
    parent.insert(list(parent).index(anchor) + 1, change("moveTo", target))


def track_level(p: Any, level: int) -> None:
    """The list item's level changed with tracking on (Word's Tab on an item)."""
    p_pr = p.find(q("pPr"))
    ilvl = p_pr.find(f"{q('numPr')}/{q('ilvl')}")
    old = copy.deepcopy(p_pr)
    for child in old.findall(q("rPr")):
        old.remove(child)
    ilvl.set(q("val"), str(level))
    record = change("pPrChange")
    old.tag = q("pPr")
    record.append(old)
    p_pr.append(record)


def make_bold_tracked(p: Any, text: str) -> None:
    """`text` made bold with tracking on: the old properties kept in `w:rPrChange`."""
    make_bold(p, text).append(change("rPrChange", etree.Element(q("rPr"))))


def delete_row_tracked(row: Any) -> None:
    """A table row deleted with tracking on: its properties and its text marked deleted."""
    tr_pr = row.find(q("trPr"))
    if tr_pr is None:
        tr_pr = etree.Element(q("trPr"))
        row.insert(0, tr_pr)
    tr_pr.append(change("del"))
    for p in row.iter(q("p")):
        for r in list(p.findall(q("r"))):
            index = list(p).index(r)
            p.remove(r)
            p.insert(index, change("del", r))
