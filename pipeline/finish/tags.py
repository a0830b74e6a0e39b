"""The pack's structure tree: every tagged part's tags kept through the merge.

Appending pages keeps nothing of a PDF's structure tree (`/StructTreeRoot`) but the keys that
point into it: a merged PDF is untagged. Here the parts' trees are joined into one, after the
pages have been appended:

    StructTreeRoot > Document > Part (one per part, its title as /T) > the part's elements

Each part's tree is copied into the pack in one step by qpdf, which maps its references to the
part's pages, annotations and form XObjects onto their copies in the pack (appended first,
from the same open part); the tree of the part the pack grew from (the form: `combine`) is
already there, and is not copied. Then each is walked once: every element gets the parent it was reached
from (an element reached twice is left out the second time: a tree is not a graph), a role
that two parts map differently is resolved in the later part's elements, element IDs are kept
unique; the part's parent-tree keys (pages' `/StructParents`, annotations' and form
XObjects' `/StructParent(s)`) are moved up by the keys of the parts before it, and the parent
tree is rebuilt from the parts' own. Role maps and class maps are merged.
An untagged part is included as it is, without tags; one whose tags are damaged, likewise.

Longer than most: the merge is one algorithm over one tree (copy, walk, renumber, rebuild the
parent tree, undo a part whose tree is damaged), and splitting it would only pass its state
around.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import pikepdf
from pikepdf import Array, Dictionary, Name, Pdf

from pipeline.pdf import is_tagged

_log = logging.getLogger(__name__)


@dataclass
class _Part:
    """One part's copied tree, as the walk finds it."""

    roles: dict[str, str]
    """Roles to resolve in this part's elements (mapped otherwise by an earlier part)."""
    elements: set[tuple[int, int]] = field(default_factory=set)
    """The copied elements the walk reached (object, generation)."""


def _as_list(value: Any) -> list[Any]:
    """An array's items, or a single item as a list."""
    if value is None:
        return []
    return list(value) if isinstance(value, Array) else [value]


def _number_tree(node: Any) -> Iterator[tuple[int, Any]]:
    """(key, value) of every entry of a number tree (iteratively: a hostile tree may be deep)."""
    stack, seen = [node], set()
    while stack:
        item = stack.pop()
        if not isinstance(item, Dictionary):
            continue
        if item.is_indirect:
            if item.objgen in seen:
                continue
            seen.add(item.objgen)
        nums = _as_list(item.get("/Nums"))
        for index in range(0, len(nums) - 1, 2):
            key = nums[index]
            if isinstance(key, int) and not isinstance(key, bool):
                yield int(key), nums[index + 1]
        stack.extend(reversed(_as_list(item.get("/Kids"))))


def _is_element(value: Any) -> bool:
    return isinstance(value, Dictionary) and "/S" in value


class StructureMerger:
    """Collects the parts' structure trees into one, then writes it into the pack."""

    def __init__(self, pack: Pdf, base: Dictionary | None = None) -> None:
        self.pack = pack
        self.base = base
        """The catalogue of the part the pack grew from (its tree is not copied: it is there)."""
        self.root = pack.make_indirect(Dictionary(Type=Name.StructTreeRoot))
        self.document = pack.make_indirect(
            Dictionary(Type=Name.StructElem, S=Name.Document, P=self.root, K=Array())
        )
        self.nums: list[tuple[int, Any]] = []
        self.next_key = 0
        self.role_map: dict[str, Any] = {}
        self.class_map: dict[str, Any] = {}
        self.ids: dict[str, Any] = {}
        self.kept = 0
        self.parts: list[set[tuple[int, int]]] = []
        """Each part's elements in the tree (object, generation), in order (none: its tags
        were not kept)."""

    def add(self, source: Pdf, first: int, title: str, count: int | None = None) -> bool:
        """Add the tags of `source`, whose pages (`count`, or all of them) were appended to the
        pack from index `first`; whether they were kept (a PDF without tags, or whose tags are
        damaged, goes in untagged). The part the pack grew from has as many pages as the
        pack had before the next part came."""
        pages = range(first, first + (len(source.pages) if count is None else count))
        self.parts.append(set())
        catalog: Any = self.base if source is self.pack and self.base is not None else source.Root
        if not is_tagged(catalog):
            self._untag(pages)
            return False
        saved = (
            len(self.nums), self.next_key, len(self.document.K),
            dict(self.ids), dict(self.role_map), dict(self.class_map),
        )  # fmt: skip
        try:
            self._add(source, catalog, pages, title)
        except (pikepdf.PdfError, KeyError, TypeError, ValueError, AttributeError) as exc:
            count, self.next_key, parts, self.ids, self.role_map, self.class_map = saved
            del self.nums[count:]
            self.parts[-1] = set()
            kids = self.document.K
            while len(kids) > parts:
                del kids[len(kids) - 1]
            self._untag(pages)
            _log.warning(
                "%s: its tags are damaged (%s); it goes into the pack untagged", title, exc
            )
            return False
        self.kept += 1
        return True

    def _untag(self, pages: range) -> None:
        """Take away the keys into a structure tree the pack does not hold for these pages."""
        for index in pages:
            page = self.pack.pages[index].obj
            for key in ("/StructParents", "/Tabs"):
                if key in page:
                    del page[key]
            for annotation in _as_list(page.get("/Annots")):
                if isinstance(annotation, Dictionary) and "/StructParent" in annotation:
                    del annotation["/StructParent"]

    def _add(self, source: Pdf, catalog: Any, pages: range, title: str) -> None:
        tree: Any = catalog.StructTreeRoot
        if source is not self.pack:  # copied, its references to appended pages mapped onto them
            tree = self.pack.copy_foreign(tree if tree.is_indirect else source.make_indirect(tree))
        part = _Part(self._merge_maps(tree))
        element = self.pack.make_indirect(
            Dictionary(Type=Name.StructElem, S=Name.Part, P=self.document, K=Array())
        )
        element.T = pikepdf.String(title)
        language = catalog.get("/Lang")
        if isinstance(language, pikepdf.String):
            element.Lang = pikepdf.String(str(language))
        self.document.K.append(element)
        kids = []
        for kid in _as_list(tree.get("/K")):  # its Documents' elements: ours is the pack's
            if _is_element(kid) and self._role(part, kid.S) == "/Document":
                kids += _as_list(kid.get("/K"))
            else:
                kids.append(kid)
        element.K = Array(self._walk(part, kids, element))
        self._renumber(part, tree, pages)
        self._links(part, element, pages)
        self._headers(part)
        self.parts[-1] = part.elements | {element.objgen}

    def _merge_maps(self, tree: Dictionary) -> dict[str, str]:
        clashes = {}
        for mine, name in (("role_map", "/RoleMap"), ("class_map", "/ClassMap")):
            ours: dict[str, Any] = getattr(self, mine)
            theirs = tree.get(name)
            if not isinstance(theirs, Dictionary):
                continue
            for key, value in theirs.items():
                if key not in ours:
                    ours[key] = value
                elif mine == "role_map" and str(ours[key]) != str(value):
                    clashes[key] = str(value)
        return clashes

    def _role(self, part: _Part, role: Any) -> str:
        role = str(role)
        if role in part.roles:
            return part.roles[role]
        mapped = self.role_map.get(role)
        return str(mapped) if mapped is not None else role

    def _walk(self, part: _Part, kids: list[Any], parent: Dictionary) -> list[Any]:
        """The kids kept under `parent`, and the same for every element below them
        (iteratively): each element's parent set, repeats left out, roles and IDs resolved."""
        top = self._kept(part, kids, parent)
        stack = [element for element in top if _is_element(element)]
        while stack:
            element = stack.pop()
            below = _as_list(element.get("/K"))
            if not below:
                continue
            kept = self._kept(part, below, element)
            if len(kept) != len(below):
                element.K = Array(kept)
            stack.extend(kid for kid in kept if _is_element(kid))
        return top

    def _kept(self, part: _Part, kids: list[Any], parent: Dictionary) -> list[Any]:
        kept: list[Any] = []
        for kid in kids:
            if isinstance(kid, int) and not isinstance(kid, bool):
                kept.append(kid)  # a marked-content ID on the element's page
            elif not isinstance(kid, Dictionary):
                continue
            elif "/S" not in kid:  # a marked-content or object reference
                if "/Pg" in kid and not isinstance(kid.Pg, Dictionary):
                    del kid["/Pg"]  # a page outside the part
                kept.append(kid)
            elif not kid.is_indirect or kid.objgen not in part.elements:
                if kid.is_indirect:
                    part.elements.add(kid.objgen)
                self._adopt(part, kid, parent)
                kept.append(kid)
            # else: reached twice
        return kept

    def _adopt(self, part: _Part, element: Dictionary, parent: Dictionary) -> None:
        element.P = parent
        if "/Ref" in element:  # PDF 2.0, and it may point anywhere
            del element["/Ref"]
        if "/Pg" in element and not isinstance(element.Pg, Dictionary):
            del element["/Pg"]
        role = str(element.S)
        if role in part.roles:
            element.S = Name(part.roles[role])
        if "/ID" in element:
            given = str(element.ID)
            name, count = given, 1
            while name in self.ids:
                count += 1
                name = f"{given}-part{len(self.document.K)}-{count}"
            element.ID = pikepdf.String(name)
            self.ids[name] = element

    def _renumber(self, part: _Part, tree: Dictionary, pages: range) -> None:
        """Move the part's parent-tree keys up past the earlier parts', on its pages too."""
        offset = self.next_key
        last = -1
        for key, value in _number_tree(tree.get("/ParentTree")):
            last = max(last, key)
            if isinstance(value, Array):
                copy: Any = Array([self._reached(part, item) for item in value])
            else:
                copy = self._reached(part, value)
            self.nums.append((key + offset, copy))
        given: Any = tree.get("/ParentTreeNextKey")
        following = int(given) if isinstance(given, int) else 0
        self.next_key = offset + max(last + 1, following)
        moved: set[tuple[int, int]] = set()
        for index in pages:
            page = self.pack.pages[index].obj
            if "/StructParents" in page:
                page.StructParents = int(page.StructParents) + offset
            annotations = _as_list(page.get("/Annots"))
            if annotations:
                page.Tabs = Name.S  # tab order follows the tags
            for annotation in annotations:
                if isinstance(annotation, Dictionary) and "/StructParent" in annotation:
                    annotation.StructParent = int(annotation.StructParent) + offset
            resources = page.get("/Resources")
            objects = resources.get("/XObject") if isinstance(resources, Dictionary) else None
            for xobject in objects.values() if isinstance(objects, Dictionary) else ():
                if not isinstance(xobject, pikepdf.Stream) or xobject.objgen in moved:
                    continue
                moved.add(xobject.objgen)
                for name in ("/StructParents", "/StructParent"):
                    if name in xobject:
                        xobject[name] = int(xobject[name]) + offset

    def _links(self, part: _Part, element: Dictionary, pages: range) -> None:
        """An element (with its object reference) for each annotation the part left outside
        its tags, at the end of the part: PDF/UA has every annotation in the structure tree, a
        link in a Link element, any other in an Annot one (a pop-up belongs to its annotation;
        a form field is printed into the page)."""
        for index in pages:
            page = self.pack.pages[index].obj
            for annotation in _as_list(page.get("/Annots")):
                if not isinstance(annotation, Dictionary) or not annotation.is_indirect:
                    continue
                kind = annotation.get("/Subtype")
                if kind in (Name.Popup, Name.Widget) or "/StructParent" in annotation:
                    continue
                reference = Dictionary(Type=Name.OBJR, Obj=annotation, Pg=page)
                role = Name.Link if kind == Name.Link else Name.Annot
                link = self.pack.make_indirect(
                    Dictionary(Type=Name.StructElem, S=role, P=element, Pg=page, K=reference)
                )
                element.K.append(link)
                part.elements.add(link.objgen)
                annotation.StructParent = self.next_key
                self.nums.append((self.next_key, link))
                self.next_key += 1
                page.Tabs = Name.S

    def _headers(self, part: _Part) -> None:
        """Every table header cell says what it heads (PDF/UA 7.5): a cell of a table's first
        row (or of its head) its column, any other its row."""
        for objgen in part.elements:
            cell: Any = self.pack.get_object(objgen)
            if self._role(part, cell.get("/S")) != "/TH":
                continue
            given = _as_list(cell.get("/A"))
            if any(isinstance(a, Dictionary) and "/Scope" in a for a in given):
                continue
            row = cell.get("/P")
            group = row.get("/P") if isinstance(row, Dictionary) else None
            rows = [
                kid for kid in _as_list(group.get("/K") if isinstance(group, Dictionary) else None)
                if _is_element(kid) and self._role(part, kid.S) == "/TR"
            ]  # fmt: skip
            first = bool(rows) and isinstance(row, Dictionary) and rows[0].objgen == row.objgen
            head = isinstance(group, Dictionary) and self._role(part, group.get("/S")) == "/THead"
            scope = Dictionary(O=Name.Table, Scope=Name.Column if first or head else Name.Row)
            cell.A = Array([*given, scope]) if given else scope

    def role(self, element: Dictionary) -> str:
        """An element's standard role, through the pack's role map."""
        role = str(element.get("/S"))
        mapped = self.role_map.get(role)
        return str(mapped) if mapped is not None else role

    @staticmethod
    def _reached(part: _Part, value: Any) -> Any:
        if isinstance(value, Dictionary) and value.is_indirect and value.objgen in part.elements:
            return value
        return None  # null: an element the walk did not reach

    def finish(self) -> None:
        """Write the tree and `/MarkInfo` into the pack, if any part was tagged."""
        if not self.kept:
            return
        self.root.K = self.document
        nums: list[Any] = []
        for key, value in sorted(self.nums, key=lambda entry: entry[0]):
            nums += [key, value]
        self.root.ParentTree = self.pack.make_indirect(Dictionary(Nums=Array(nums)))
        self.root.ParentTreeNextKey = self.next_key
        for name, mapping in (("/RoleMap", self.role_map), ("/ClassMap", self.class_map)):
            if mapping:
                self.root[name] = Dictionary(mapping)
        if self.ids:
            names = Array()
            for name in sorted(self.ids):
                names.extend([pikepdf.String(name), self.ids[name]])
            self.root.IDTree = Dictionary(Names=names)
        self.pack.Root.StructTreeRoot = self.root
        self.pack.Root.MarkInfo = Dictionary(Marked=True)
