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

from collections.abc import Iterable
from typing import Any

from pikepdf import Array, Dictionary, Name, Pdf, Stream

from pipeline.finish.stamp import draw_over

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


def strip_active(root: Any, trusted: Iterable[tuple[int, int]] = ()) -> None:
    """Remove active content from `root` and every object it reaches (iteratively, each object
    once): forbidden keys; forbidden actions wherever they appear (a dictionary's value, an
    array's element such as one of a `/Next` chain), each emptied where it is found, so that
    it is no action at all; active annotations.

    Each object is read once (one `items()`: pikepdf makes a Python object of every value it
    hands out, and a large pack has some 100,000). Objects in `trusted` (object, generation)
    are not looked into: the structure elements LibreOffice wrote, which name only the pack's
    own pages, annotations and content, all reached from the pages."""
    seen: set[tuple[int, int]] = set(trusted)
    stack = [root]
    while stack:
        obj = stack.pop()
        if obj.is_indirect:
            if obj.objgen in seen:
                continue
            seen.add(obj.objgen)
        if isinstance(obj, Array):
            stack.extend(item for item in obj if isinstance(item, Dictionary | Array | Stream))
            continue
        items = list(obj.items())
        action = element = False
        for key, value in items:
            if key in ACTIVE_KEYS:
                del obj[key]
                continue
            if key == "/S":
                action = str(value) in BAD_ACTIONS
            elif key == "/Type":
                element = value == Name.StructElem
            elif key == "/Annots" and isinstance(value, Array):
                keep = [
                    a
                    for a in value
                    if isinstance(a, Dictionary) and str(a.get("/Subtype")) not in BAD_ANNOTS
                ]  # fmt: skip (a damaged entry, such as a null, goes too)
                if len(keep) != len(value):
                    obj[key] = value = Array(keep)
            if isinstance(value, Dictionary | Array | Stream):
                stack.append(value)
        if action and not element and not isinstance(obj, Stream):
            for key in list(obj.keys()):
                del obj[key]


def _appearance(widget: Dictionary) -> Stream | None:
    """The widget's normal appearance as shown (a state's, for a box or a radio button)."""
    flags = widget.get("/F", 0)
    flags = flags if isinstance(flags, int) else 0
    appearances = widget.get("/AP")
    if flags & _HIDDEN or not isinstance(appearances, Dictionary):
        return None
    normal = appearances.get("/N")
    if isinstance(normal, Dictionary):
        state = widget.get("/AS")
        normal = normal.get(str(state)) if isinstance(state, Name) else None
    return normal if isinstance(normal, Stream) else None


def _numbers(value: Any, default: list[float]) -> list[float]:
    try:
        return [float(v) for v in value] if isinstance(value, Array) else default
    except (TypeError, ValueError):
        return default


def _placement(form: Stream, rect: list[float]) -> list[float]:
    """The matrix that puts the form's box (its `/BBox` through its `/Matrix`) on `rect`, as
    a viewer shows an annotation (PDF 32000-1, 12.5.5)."""
    box = _numbers(form.get("/BBox"), [0, 0, 1, 1])
    a, b, c, d, e, f = _numbers(form.get("/Matrix"), [1, 0, 0, 1, 0, 0])
    corners = [(x, y) for x in (box[0], box[2]) for y in (box[1], box[3])]
    xs = [a * x + c * y + e for x, y in corners]
    ys = [b * x + d * y + f for x, y in corners]
    width, height = max(xs) - min(xs), max(ys) - min(ys)
    left, bottom = min(rect[0], rect[2]), min(rect[1], rect[3])
    sx = abs(rect[2] - rect[0]) / width if width else 1.0
    sy = abs(rect[3] - rect[1]) / height if height else 1.0
    return [sx, 0.0, 0.0, sy, left - min(xs) * sx, bottom - min(ys) * sy]


def flatten_widgets(pack: Pdf) -> None:
    """Draw every visible form field's appearance into its page's content (the widgets are
    removed afterwards with the other active annotations)."""
    for page in pack.pages:
        annots = page.obj.get("/Annots")
        if not isinstance(annots, Array):
            continue
        drawn: list[str] = []
        forms: dict[str, Any] = {}
        for widget in annots:
            if not isinstance(widget, Dictionary) or widget.get("/Subtype") != Name.Widget:
                continue
            form = _appearance(widget)
            rect = _numbers(widget.get("/Rect"), [])
            if form is None or len(rect) != 4:
                continue
            form.Type, form.Subtype = Name.XObject, Name.Form
            name = f"/PackField{len(drawn)}"
            forms[name] = form if form.is_indirect else pack.make_indirect(form)
            matrix = " ".join(f"{v:.6f}" for v in _placement(form, rect))
            drawn.append(f"q {matrix} cm {name} Do Q")
        if drawn:
            commands = "Q\n" + "\n".join(drawn) + "\n"
            draw_over(pack, page, commands.encode("latin-1"), {"/XObject": forms})


def sanitize(pack: Pdf, trusted: Iterable[tuple[int, int]] = ()) -> None:
    """Flatten form fields and remove active content (`trusted`: see `strip_active`). Only the
    objects reachable from the catalogue and the information dictionary are written (qpdf
    writes no others)."""
    flatten_widgets(pack)
    strip_active(pack.Root, trusted)
