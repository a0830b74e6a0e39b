"""No active content in the pack: what the combined PDF may do when opened is show its pages.

Appendix PDFs come from elsewhere. Before the pack is written:
- filled form fields are flattened: each widget's visible appearance (the text typed in, the box
  ticked, the item chosen) is drawn into its page's content, then the field is removed;
- active content is removed wherever it sits: JavaScript, launch and other actions (also one
  hidden in another action's `/Next`, or behind an indirect `/S`), auto-actions, embedded files,
  multimedia and attachment annotations, the form itself;
- only the objects reachable from the document's catalogue and information dictionary are
  written: an embedded file or script left unreferenced does not travel with the pack.
Not active content, and kept: the outline, the structure tree (`/StructTreeRoot`, `/MarkInfo`,
`/StructParents`), `/Lang`, `/ViewerPreferences`, links to web addresses and within the pack.
"""

from __future__ import annotations

from typing import Any

from pypdf import PdfWriter
from pypdf.generic import (
    ArrayObject,
    DecodedStreamObject,
    DictionaryObject,
    FloatObject,
    IndirectObject,
    NameObject,
    StreamObject,
)

ACTIVE_KEYS = frozenset(
    {
        "/OpenAction",
        "/AA",
        "/JavaScript",
        "/JS",
        "/EmbeddedFiles",
        "/EmbeddedFile",
        "/AcroForm",
        "/XFA",
        "/Launch",
        "/RichMedia",
    }
)
"""Keys that make a PDF do things when opened; none may appear anywhere in the pack."""
BAD_ACTIONS = frozenset(
    {
        "/JavaScript",
        "/Launch",
        "/SubmitForm",
        "/ResetForm",
        "/ImportData",
        "/GoToE",
        "/GoToR",
        "/RichMediaExecute",
        "/Rendition",
        "/Sound",
        "/Movie",
    }
)
"""Action types that run code, reach files or the network, or play media."""
BAD_ANNOTS = frozenset(
    {"/FileAttachment", "/Widget", "/Screen", "/Movie", "/Sound", "/RichMedia", "/3D"}
)
"""Annotation types that are active (a widget is flattened into the page first)."""
_HIDDEN = 2 | 32
"""Annotation flags Hidden and NoView: such a widget shows nothing, so nothing is drawn."""


def _resolve(value: Any) -> Any:
    return value.get_object() if isinstance(value, IndirectObject) else value


def is_bad_action(value: Any) -> bool:
    """Whether `value` (a reference or a dictionary) is an action of a forbidden type; `/S` may
    itself be an indirect reference."""
    value = _resolve(value)
    return isinstance(value, DictionaryObject) and _resolve(value.get("/S")) in BAD_ACTIONS


def strip_active(root: Any) -> None:
    """Remove active content from `root` and every object it reaches (iteratively, each object
    once): forbidden keys, forbidden actions wherever they appear (a dictionary's value, an
    array's element such as one of a `/Next` chain), active annotations."""
    seen: set[int] = set()
    stack = [root]
    while stack:
        obj = stack.pop()
        if isinstance(obj, IndirectObject):
            if obj.idnum in seen:
                continue
            seen.add(obj.idnum)
            obj = obj.get_object()
        if isinstance(obj, StreamObject | DictionaryObject):
            for key in list(obj.keys()):
                raw = obj.raw_get(key)
                if key in ACTIVE_KEYS or is_bad_action(raw):
                    del obj[key]
                    continue
                value = _resolve(raw)
                if key == "/Annots" and isinstance(value, ArrayObject):
                    keep = [a for a in value if _resolve(a).get("/Subtype") not in BAD_ANNOTS]
                    if len(keep) != len(value):
                        obj[NameObject(key)] = raw = ArrayObject(keep)
                stack.append(raw)
        elif isinstance(obj, ArrayObject):
            obj[:] = [item for item in obj if not is_bad_action(item)]
            stack.extend(obj)


def _appearance(widget: DictionaryObject) -> StreamObject | None:
    """The widget's normal appearance as shown (a state's, for a box or a radio button)."""
    flags = int(_resolve(widget.get("/F", 0)) or 0)
    appearances = _resolve(widget.get("/AP"))
    if flags & _HIDDEN or not isinstance(appearances, DictionaryObject):
        return None
    normal = _resolve(appearances.get("/N"))
    if isinstance(normal, DictionaryObject) and not isinstance(normal, StreamObject):
        state = _resolve(widget.get("/AS"))
        normal = _resolve(normal.get(state)) if state is not None else None
    return normal if isinstance(normal, StreamObject) else None


def _placement(form: StreamObject, rect: list[float]) -> list[float]:
    """The matrix that puts the form's box (its `/BBox` through its `/Matrix`) on `rect`, as
    a viewer shows an annotation (PDF 32000-1, 12.5.5)."""
    box = [float(v) for v in _resolve(form.get("/BBox", [0, 0, 1, 1]))]
    a, b, c, d, e, f = [float(v) for v in _resolve(form.get("/Matrix", [1, 0, 0, 1, 0, 0]))]
    corners = [(x, y) for x in (box[0], box[2]) for y in (box[1], box[3])]
    xs = [a * x + c * y + e for x, y in corners]
    ys = [b * x + d * y + f for x, y in corners]
    width, height = max(xs) - min(xs), max(ys) - min(ys)
    left, bottom = min(rect[0], rect[2]), min(rect[1], rect[3])
    sx = abs(rect[2] - rect[0]) / width if width else 1.0
    sy = abs(rect[3] - rect[1]) / height if height else 1.0
    return [sx, 0.0, 0.0, sy, left - min(xs) * sx, bottom - min(ys) * sy]


def flatten_widgets(writer: PdfWriter) -> None:
    """Draw every visible form field's appearance into its page's content (the widgets are
    removed afterwards with the other active annotations)."""
    for page in writer.pages:
        annots = _resolve(page.get("/Annots"))
        if not isinstance(annots, ArrayObject):
            continue
        drawn: list[str] = []
        resources = _resolve(page.get("/Resources"))
        if not isinstance(resources, DictionaryObject):
            resources = DictionaryObject()
            page[NameObject("/Resources")] = resources
        for annot in annots:
            widget = _resolve(annot)
            if not isinstance(widget, DictionaryObject) or widget.get("/Subtype") != "/Widget":
                continue
            form = _appearance(widget)
            rect = _resolve(widget.get("/Rect"))
            if form is None or not isinstance(rect, ArrayObject) or len(rect) != 4:
                continue
            form[NameObject("/Type")] = NameObject("/XObject")
            form[NameObject("/Subtype")] = NameObject("/Form")
            xobjects = _resolve(resources.get("/XObject"))
            if not isinstance(xobjects, DictionaryObject):
                xobjects = DictionaryObject()
                resources[NameObject("/XObject")] = xobjects
            name = f"/PackField{len(drawn)}"
            while name in xobjects:
                name += "x"
            reference = form.indirect_reference or writer._add_object(form)
            xobjects[NameObject(name)] = reference
            matrix = " ".join(f"{FloatObject(v)}" for v in _placement(form, list(rect)))
            drawn.append(f"q {matrix} cm {name} Do Q")
        if drawn:
            _append_content(writer, page, "\n".join(drawn))


def _append_content(writer: PdfWriter, page: Any, commands: str) -> None:
    """Draw `commands` over the page, the page's own content kept in its graphics state."""
    before, after = DecodedStreamObject(), DecodedStreamObject()
    before.set_data(b"q\n")
    after.set_data(f"\nQ\n{commands}\n".encode("latin-1"))
    contents = _resolve(page.get("/Contents"))
    existing = (
        list(contents)
        if isinstance(contents, ArrayObject)
        else [page.raw_get("/Contents")]
        if contents is not None
        else []
    )
    page[NameObject("/Contents")] = ArrayObject(
        [writer._add_object(before), *existing, writer._add_object(after)]
    )


def keep_reachable(writer: PdfWriter) -> None:
    """Drop every object that the catalogue and the information dictionary do not reach
    (pypdf's own pruning keeps whatever any object refers to, orphans among them)."""
    reached: set[int] = set()
    stack: list[Any] = []
    for start in (writer.root_object, writer._info):  # pypdf keeps the trailer's /Info here
        if start is not None and start.indirect_reference is not None:
            stack.append(start.indirect_reference)
    while stack:
        obj = stack.pop()
        if isinstance(obj, IndirectObject):
            if obj.pdf is not writer or obj.idnum in reached:
                continue
            reached.add(obj.idnum)
            obj = obj.get_object()
        if isinstance(obj, DictionaryObject):  # streams too
            stack.extend([obj.raw_get(key) for key in obj.keys()])  # noqa: SIM118 (a TreeObject iterates its children)
        elif isinstance(obj, ArrayObject):
            stack.extend(obj)
    for index in range(len(writer._objects)):
        if index + 1 not in reached:
            writer._objects[index] = None


def sanitize(writer: PdfWriter) -> None:
    """Flatten form fields, remove active content, and keep only reachable objects."""
    flatten_widgets(writer)
    strip_active(writer.root_object)
    keep_reachable(writer)
