"""The structure-tree merge on small tagged PDFs made here: keys renumbered, role maps and IDs
merged, damaged or looping trees handled. (`test_accessible.py` runs it on the real pack.)"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pikepdf
from pypdf import PdfReader, PdfWriter
from pypdf.generic import (
    ArrayObject,
    BooleanObject,
    DecodedStreamObject,
    DictionaryObject,
    NameObject,
    NumberObject,
    PdfObject,
    TextStringObject,
)

from pipeline.finish.accessible import make_accessible


def _d(**items: PdfObject) -> DictionaryObject:
    return DictionaryObject({NameObject(f"/{k}"): v for k, v in items.items()})


def tagged(
    path: Path,
    role: str = "/P",
    roles: dict[str, str] | None = None,
    element_id: str | None = None,
    struct_parents: PdfObject | None = None,
    loop: bool = False,
) -> Path:
    """A one-page tagged PDF: Document > one element owning the page's marked content 0."""
    writer = PdfWriter()
    page = writer.add_blank_page(300, 200)
    content = DecodedStreamObject()
    content.set_data(b"/P <</MCID 0>> BDC BT /F1 12 Tf 20 100 Td (Hello) Tj ET EMC")
    page[NameObject("/Contents")] = writer._add_object(content)
    font = _d(Type=NameObject("/Font"), Subtype=NameObject("/Type1"))
    font[NameObject("/BaseFont")] = NameObject("/Helvetica")
    page[NameObject("/Resources")] = _d(Font=_d(F1=font))
    root = _d(Type=NameObject("/StructTreeRoot"))
    root_ref = writer._add_object(root)
    document = _d(Type=NameObject("/StructElem"), S=NameObject("/Document"), P=root_ref)
    document_ref = writer._add_object(document)
    element = _d(Type=NameObject("/StructElem"), S=NameObject(role), P=document_ref)
    element[NameObject("/Pg")] = page.indirect_reference
    element_ref = writer._add_object(element)
    element[NameObject("/K")] = ArrayObject([NumberObject(0), *([element_ref] if loop else [])])
    if element_id:
        element[NameObject("/ID")] = TextStringObject(element_id)
    document[NameObject("/K")] = ArrayObject([element_ref])
    root[NameObject("/K")] = document_ref
    root[NameObject("/ParentTree")] = _d(
        Nums=ArrayObject([NumberObject(0), ArrayObject([element_ref])])
    )
    root[NameObject("/ParentTreeNextKey")] = NumberObject(1)
    if roles:
        root[NameObject("/RoleMap")] = _d(**{k[1:]: NameObject(v) for k, v in roles.items()})
    page[NameObject("/StructParents")] = struct_parents or NumberObject(0)
    writer.root_object[NameObject("/StructTreeRoot")] = root_ref
    writer.root_object[NameObject("/MarkInfo")] = _d(Marked=BooleanObject(True))
    with path.open("wb") as handle:
        writer.write(handle)
    return path


def merged(tmp_path: Path, *sources: Path) -> tuple[PdfReader, int]:
    pack = pikepdf.new()
    parts = []
    for source in sources:
        part = pikepdf.open(source)
        parts.append((part, len(pack.pages), source.stem, False))
        pack.add_pages_from(part, outlines="ignore")
    every, _ = make_accessible(pack, parts, "cy")
    kept = sum(bool(elements) for elements in every)
    out = tmp_path / "pack.pdf"
    pack.save(out)
    return PdfReader(out), kept


def owner(reader: PdfReader, page: int) -> Any:
    """The element the parent tree gives marked content 0 of `page`."""
    tree = reader.trailer["/Root"]["/StructTreeRoot"]
    nums = tree["/ParentTree"]["/Nums"]
    entries = {int(nums[i]): nums[i + 1] for i in range(0, len(nums), 2)}
    return entries[reader.pages[page]["/StructParents"]][0].get_object()


def test_two_parts_one_tree_keys_roles_and_ids(tmp_path: Path) -> None:
    first = tagged(tmp_path / "first.pdf", "/Custom", {"/Custom": "/P"}, element_id="x")
    second = tagged(tmp_path / "second.pdf", "/Custom", {"/Custom": "/H1"}, element_id="x")
    reader, kept = merged(tmp_path, first, second)
    assert kept == 2
    catalog = reader.trailer["/Root"]
    assert catalog["/Lang"] == "cy"
    assert bool(catalog["/ViewerPreferences"]["/DisplayDocTitle"])
    tree = catalog["/StructTreeRoot"]
    parts = tree["/K"]["/K"]
    assert [p.get_object()["/T"] for p in parts] == ["first", "second"]
    assert [reader.pages[i]["/StructParents"] for i in (0, 1)] == [0, 1]
    assert tree["/ParentTreeNextKey"] == 2
    a, b = owner(reader, 0), owner(reader, 1)
    assert a.raw_get("/Pg") == reader.pages[0].indirect_reference
    assert b.raw_get("/Pg") == reader.pages[1].indirect_reference
    assert a["/P"].get_object()["/T"] == "first"
    # the role the second part maps otherwise is resolved in its own element
    assert (a["/S"], b["/S"], tree["/RoleMap"]["/Custom"]) == ("/Custom", "/H1", "/P")
    assert a["/ID"] != b["/ID"]
    names = tree["/IDTree"]["/Names"]
    assert sorted(str(names[i]) for i in range(0, len(names), 2)) == sorted([a["/ID"], b["/ID"]])


def test_damaged_tags_go_in_untagged_and_the_rest_stays(tmp_path: Path) -> None:
    good = tagged(tmp_path / "good.pdf")
    damaged = tagged(tmp_path / "damaged.pdf", struct_parents=TextStringObject("zero"))
    reader, kept = merged(tmp_path, good, damaged, good)
    assert kept == 2
    tree = reader.trailer["/Root"]["/StructTreeRoot"]
    assert [p.get_object()["/T"] for p in tree["/K"]["/K"]] == ["good", "good"]
    assert "/StructParents" not in reader.pages[1]
    assert [reader.pages[i]["/StructParents"] for i in (0, 2)] == [0, 1]
    assert owner(reader, 2).raw_get("/Pg") == reader.pages[2].indirect_reference


def test_a_looping_tree_is_copied_once(tmp_path: Path) -> None:
    reader, kept = merged(tmp_path, tagged(tmp_path / "loop.pdf", loop=True))
    assert kept == 1
    element = owner(reader, 0)
    assert list(element["/K"]) == [0]  # the element's kid that was itself is left out


def test_no_tagged_part_no_tree_but_language_and_title(tmp_path: Path) -> None:
    plain = tmp_path / "plain.pdf"
    writer = PdfWriter()
    writer.add_blank_page(300, 200)
    with plain.open("wb") as handle:
        writer.write(handle)
    reader, kept = merged(tmp_path, plain)
    assert kept == 0
    catalog = reader.trailer["/Root"]
    assert "/StructTreeRoot" not in catalog
    assert "/MarkInfo" not in catalog
    assert catalog["/Lang"] == "cy"
