"""The pack's structure tree: every tagged part's tags kept through the merge.

pypdf's `PdfWriter.append` copies pages, annotations and outlines but not the structure tree
(`/StructTreeRoot`), and it drops each page's `/StructParents`: a merged PDF is untagged. Here
the parts' trees are copied into one, after the pages have been appended:

    StructTreeRoot > Document > Part (one per part, its title as /T) > the part's elements

Each part's elements are copied with their `/Pg` pointing at the pack's pages and their
`/OBJR` at the pack's annotations; its parent-tree keys (pages' `/StructParents`, annotations'
and form XObjects' `/StructParent(s)`) are moved up by the keys of the parts before it, and the
parent tree is rebuilt from the parts' own. Role maps and class maps are merged (a role two
parts map differently is resolved in the later part's elements), element IDs kept unique.
An untagged part is included as it is, without tags.

Longer than most: the merge is one algorithm over one tree (copy, renumber, rebuild the parent
tree, undo a part whose tree is damaged), and splitting it would only pass its state around.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from pypdf import PdfReader, PdfWriter
from pypdf.errors import PyPdfError
from pypdf.generic import (
    ArrayObject,
    BooleanObject,
    DictionaryObject,
    IndirectObject,
    NameObject,
    NullObject,
    NumberObject,
    PdfObject,
    TextStringObject,
)

from pipeline.pdf import is_tagged

_log = logging.getLogger(__name__)
_SKIPPED = frozenset({"/K", "/P", "/Pg", "/Ref"})
"""Keys of an element not copied as they are: its kids, parent and page are mapped, and
`/Ref` (PDF 2.0) may point anywhere."""


@dataclass
class _Part:
    """The mappings from one part's objects to the pack's."""

    reader: PdfReader
    pages: dict[int, IndirectObject]
    """A page's object number in the part -> the pack's page."""
    annotations: dict[int, IndirectObject]
    """An annotation's object number in the part -> the pack's copy of it."""
    roles: dict[str, str]
    """Roles to resolve in this part's elements (mapped otherwise by an earlier part)."""
    elements: dict[int, IndirectObject] = field(default_factory=dict)
    """An element's object number in the part -> its copy."""


def _catalog(reader: PdfReader) -> DictionaryObject:
    catalog = reader.trailer["/Root"]
    assert isinstance(catalog, DictionaryObject)
    return catalog


def _get(value: Any) -> Any:
    return value.get_object() if isinstance(value, IndirectObject) else value


def _as_list(value: Any) -> list[Any]:
    """An array's items, or a single item as a list; references kept as references."""
    resolved = _get(value)
    if resolved is None:
        return []
    return list(resolved) if isinstance(resolved, ArrayObject) else [value]


def _number_tree(node: Any) -> Iterator[tuple[int, Any]]:
    """(key, value) of every entry of a number tree (iteratively: a hostile tree may be deep)."""
    stack, seen = [node], set()
    while stack:
        item = stack.pop()
        if isinstance(item, IndirectObject):
            if item.idnum in seen:
                continue
            seen.add(item.idnum)
        item = _get(item)
        if not isinstance(item, DictionaryObject):
            continue
        nums = _as_list(item.get("/Nums"))
        for index in range(0, len(nums) - 1, 2):
            key = _get(nums[index])
            if isinstance(key, int):
                yield int(key), nums[index + 1]
        stack.extend(reversed(_as_list(item.get("/Kids"))))


class StructureMerger:
    """Collects the parts' structure trees into one, then writes it into the pack."""

    def __init__(self, writer: PdfWriter) -> None:
        self.writer = writer
        self.root = DictionaryObject({NameObject("/Type"): NameObject("/StructTreeRoot")})
        self.root_ref = writer._add_object(self.root)
        self.document = DictionaryObject(
            {
                NameObject("/Type"): NameObject("/StructElem"),
                NameObject("/S"): NameObject("/Document"),
                NameObject("/P"): self.root_ref,
                NameObject("/K"): ArrayObject(),
            }
        )
        self.document_ref = writer._add_object(self.document)
        self.nums: list[tuple[int, PdfObject]] = []
        self.next_key = 0
        self.role_map: dict[str, PdfObject] = {}
        self.class_map: dict[str, PdfObject] = {}
        self.ids: dict[str, IndirectObject] = {}
        self.kept = 0

    def add(self, reader: PdfReader, first: int, title: str) -> bool:
        """Add the tags of `reader`, whose pages are the pack's from index `first`; whether
        they were kept (a PDF without tags, or whose tags are damaged, goes in untagged)."""
        if not is_tagged(reader):
            return False
        saved = (
            len(self.nums), self.next_key, len(_kids(self.document)),
            dict(self.ids), dict(self.role_map), dict(self.class_map),
        )  # fmt: skip
        try:
            self._add(reader, first, title)
        except (PyPdfError, KeyError, TypeError, ValueError, AttributeError, RecursionError) as exc:
            count, self.next_key, parts, self.ids, self.role_map, self.class_map = saved
            del self.nums[count:]
            del _kids(self.document)[parts:]
            for index in range(first, first + len(reader.pages)):
                page = self.writer.pages[index]
                page.pop("/StructParents", None)
                for annotation in _as_list(page.get("/Annots")):
                    _get(annotation).pop("/StructParent", None)
            _log.warning(
                "%s: its tags are damaged (%s); it goes into the pack untagged", title, exc
            )
            return False
        self.kept += 1
        return True

    def _add(self, reader: PdfReader, first: int, title: str) -> None:
        tree = _get(_catalog(reader)["/StructTreeRoot"])
        part = _Part(reader, {}, {}, self._merge_maps(tree))
        for index, page in enumerate(reader.pages):
            target = self.writer.pages[first + index]
            if page.indirect_reference is None or target.indirect_reference is None:
                raise ValueError("a page that is not an object")
            part.pages[page.indirect_reference.idnum] = target.indirect_reference
            ours = {
                int(_get(a)["/StructParent"]): a
                for a in _as_list(target.get("/Annots"))
                if "/StructParent" in _get(a)
            }
            for annotation in _as_list(page.get("/Annots")):
                key = _get(annotation).get("/StructParent")
                if isinstance(annotation, IndirectObject) and key in ours:
                    part.annotations[annotation.idnum] = ours[int(key)]
        element = DictionaryObject(
            {
                NameObject("/Type"): NameObject("/StructElem"),
                NameObject("/S"): NameObject("/Part"),
                NameObject("/P"): self.document_ref,
                NameObject("/T"): TextStringObject(title),
                NameObject("/K"): ArrayObject(),
            }
        )
        language = _catalog(reader).get("/Lang")
        if language:
            element[NameObject("/Lang")] = TextStringObject(str(_get(language)))
        element_ref = self.writer._add_object(element)
        _kids(self.document).append(element_ref)
        kids = []
        for kid in _as_list(tree.get("/K")):  # its Documents' elements: ours is the pack's
            top = _get(kid)
            if isinstance(top, DictionaryObject) and self._role(part, top.get("/S")) == "/Document":
                kids += _as_list(top.get("/K"))
            else:
                kids.append(kid)
        self._copy_kids(part, kids, element, element_ref)
        self._renumber(part, tree, first)

    def _merge_maps(self, tree: DictionaryObject) -> dict[str, str]:
        clashes = {}
        for mine, name in (("role_map", "/RoleMap"), ("class_map", "/ClassMap")):
            ours: dict[str, PdfObject] = getattr(self, mine)
            theirs = _get(tree.get(name))
            if not isinstance(theirs, DictionaryObject):
                continue
            for key, value in theirs.items():
                if key not in ours:
                    ours[key] = value.clone(self.writer)
                elif mine == "role_map" and str(_get(ours[key])) != str(_get(value)):
                    clashes[key] = str(_get(value))
        return clashes

    def _role(self, part: _Part, role: Any) -> str:
        role = str(role)
        if role in part.roles:
            return part.roles[role]
        mapped = self.role_map.get(role)
        return str(_get(mapped)) if mapped is not None else role

    def _copy_kids(
        self, part: _Part, kids: list[Any], into: DictionaryObject, into_ref: IndirectObject
    ) -> None:
        """Copy `kids` (and all below them) under `into`, iteratively."""
        stack = [(kid, into, into_ref) for kid in reversed(kids)]
        while stack:
            kid, parent, parent_ref = stack.pop()
            copied = self._copy_kid(part, kid, parent_ref, stack)
            if copied is not None:
                kids_of = parent.setdefault(NameObject("/K"), ArrayObject())
                if not isinstance(kids_of, ArrayObject):
                    kids_of = parent[NameObject("/K")] = ArrayObject([kids_of])
                kids_of.append(copied)

    def _copy_kid(
        self,
        part: _Part,
        kid: Any,
        parent_ref: IndirectObject,
        stack: list[tuple[Any, DictionaryObject, IndirectObject]],
    ) -> PdfObject | None:
        value = _get(kid)
        if isinstance(value, int):
            return NumberObject(value)  # a marked-content ID on the element's page
        if not isinstance(value, DictionaryObject):
            return None
        kind = value.get("/Type")
        if kind in ("/MCR", "/OBJR") or ("/S" not in value and "/MCID" in value):
            copied = DictionaryObject()
            for key, item in value.items():
                if key == "/Pg":
                    page = part.pages.get(getattr(item, "idnum", -1))
                    if page is not None:
                        copied[NameObject(key)] = page
                elif key == "/Obj":
                    ours = part.annotations.get(getattr(item, "idnum", -1))
                    copied[NameObject(key)] = ours or item.clone(self.writer)
                else:
                    copied[NameObject(key)] = item.clone(self.writer)
            return copied
        if "/S" not in value:
            return None
        if isinstance(kid, IndirectObject) and kid.idnum in part.elements:
            return None  # reached twice: a tree is not a graph
        element = DictionaryObject()
        for key, item in value.items():
            if key not in _SKIPPED:
                element[NameObject(key)] = item.clone(self.writer)
        element[NameObject("/P")] = parent_ref
        if str(value["/S"]) in part.roles:
            element[NameObject("/S")] = NameObject(part.roles[str(value["/S"])])
        page = (
            part.pages.get(getattr(value.raw_get("/Pg"), "idnum", -1)) if "/Pg" in value else None
        )
        if page is not None:
            element[NameObject("/Pg")] = page
        if "/ID" in element:
            self._unique_id(element, len(_kids(self.document)))
        element_ref = self.writer._add_object(element)
        if isinstance(kid, IndirectObject):
            part.elements[kid.idnum] = element_ref
        if "/ID" in element:
            self.ids[str(element["/ID"])] = element_ref
        stack.extend((k, element, element_ref) for k in reversed(_as_list(value.get("/K"))))
        return element_ref

    def _unique_id(self, element: DictionaryObject, part_number: int) -> None:
        given = str(element["/ID"])
        name, count = given, 1
        while name in self.ids:
            count += 1
            name = f"{given}-part{part_number}-{count}"
        element[NameObject("/ID")] = TextStringObject(name)

    def _renumber(self, part: _Part, tree: DictionaryObject, first: int) -> None:
        """Move the part's parent-tree keys up past the earlier parts', on its pages too."""
        offset = self.next_key
        last = -1
        for key, value in _number_tree(tree.get("/ParentTree")):
            last = max(last, key)
            resolved = _get(value)
            if isinstance(resolved, ArrayObject):
                copy: PdfObject = ArrayObject(
                    part.elements.get(getattr(item, "idnum", -1)) or NullObject()
                    for item in resolved
                )
            else:
                copy = part.elements.get(getattr(value, "idnum", -1)) or NullObject()
            self.nums.append((key + offset, copy))
        following = _get(tree.get("/ParentTreeNextKey"))
        self.next_key = offset + max(last + 1, int(following) if isinstance(following, int) else 0)
        moved: set[int] = set()
        for index, page in enumerate(part.reader.pages):
            target = self.writer.pages[first + index]
            if "/StructParents" in page:
                target[NameObject("/StructParents")] = NumberObject(
                    int(_get(page.raw_get("/StructParents"))) + offset
                )
            annotations = _as_list(target.get("/Annots"))
            if annotations:
                target[NameObject("/Tabs")] = NameObject("/S")  # tab order follows the tags
            for annotation in annotations:
                resolved = _get(annotation)
                if "/StructParent" in resolved:
                    resolved[NameObject("/StructParent")] = NumberObject(
                        int(resolved["/StructParent"]) + offset
                    )
            resources = _get(target.get("/Resources"))
            objects = _get(resources.get("/XObject")) if isinstance(resources, dict) else None
            for ref in objects.values() if isinstance(objects, dict) else ():
                xobject = _get(ref)
                if isinstance(ref, IndirectObject) and ref.idnum in moved:
                    continue
                moved.add(getattr(ref, "idnum", -1))
                for name in ("/StructParents", "/StructParent"):
                    if name in xobject:
                        xobject[NameObject(name)] = NumberObject(int(xobject[name]) + offset)

    def finish(self) -> None:
        """Write the tree and `/MarkInfo` into the pack, if any part was tagged."""
        catalog = self.writer.root_object
        if not self.kept:
            return
        self.root[NameObject("/K")] = self.document_ref
        nums = ArrayObject()
        for key, value in sorted(self.nums, key=lambda entry: entry[0]):
            nums += [NumberObject(key), value]
        self.root[NameObject("/ParentTree")] = self.writer._add_object(
            DictionaryObject({NameObject("/Nums"): nums})
        )
        self.root[NameObject("/ParentTreeNextKey")] = NumberObject(self.next_key)
        for name, mapping in (("/RoleMap", self.role_map), ("/ClassMap", self.class_map)):
            if mapping:
                self.root[NameObject(name)] = DictionaryObject(
                    {NameObject(k): v for k, v in mapping.items()}
                )
        if self.ids:
            names = ArrayObject()
            for name in sorted(self.ids):
                names += [TextStringObject(name), self.ids[name]]
            self.root[NameObject("/IDTree")] = DictionaryObject({NameObject("/Names"): names})
        catalog[NameObject("/StructTreeRoot")] = self.root_ref
        catalog[NameObject("/MarkInfo")] = DictionaryObject(
            {NameObject("/Marked"): BooleanObject(True)}
        )


def _kids(document: DictionaryObject) -> ArrayObject:
    kids = document["/K"]
    assert isinstance(kids, ArrayObject)
    return kids
