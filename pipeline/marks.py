"""What a PDF appendix's annotations are: a review left on it, content a person put on the page,
a redaction marked and never applied, or a form filled in. One table, read by `pack check`
(which refuses an unfinished review in a final build) and by the combine stage (which, with
`--accept-changes`, leaves the review out of the pack's copy).

- **A review**: sticky notes (`/Text`) and their replies (any annotation "in reply to" another,
  `/IRT`), and marks on the page's text (highlight, underline, squiggly, strike-out, insertion
  mark). Their pop-up windows (`/Popup`) belong to them and are never printed.
- **Content** a person put on the page, printed as it shows and never a reason to refuse: text
  boxes (`/FreeText`: Preview's "text box" is how people fill in a form on a Mac), stamps
  (signatures, "Approved"), ink (a hand-drawn signature), shapes and watermarks.
- **A redaction marked but not applied** (`/Redact`): the text under it is still in the file,
  and every reader shows it; refused until the redaction is applied.
- **Form fields** (`/Widget`) are flattened by `finish/sanitize.py`; a field that has a value
  but no appearance (`/NeedAppearances`, as some form fillers leave it) gets one first
  (`fill_appearances`), or its value would be lost.
"""

from __future__ import annotations

import contextlib
from collections import Counter
from typing import Any

REVIEW = {
    "/Text": "sticky note",
    "/Highlight": "highlight",
    "/Underline": "underline",
    "/Squiggly": "squiggly underline",
    "/StrikeOut": "strike-out",
    "/Caret": "insertion mark",
}
"""Annotation subtypes a reviewer leaves -> what they are called in messages."""
REPLY = "reply"
CONTENT = frozenset(
    {"/FreeText", "/Stamp", "/Ink", "/Square", "/Circle", "/Line", "/Polygon", "/PolyLine",
     "/Watermark"}
)  # fmt: skip
"""Annotation subtypes that are content a person put on the page: printed, never refused."""
REDACT = "/Redact"


def _annotations(page: Any) -> list[Any]:
    import pikepdf

    found = page.obj.get("/Annots")
    if not isinstance(found, pikepdf.Array):
        return []
    return [a for a in found if isinstance(a, pikepdf.Dictionary)]  # damaged: none left


def kind(annotation: Any) -> str | None:
    """What a reviewer's annotation is called (`sticky note`, `reply`...); None for anything
    that is not a review (content, links, fields, pop-ups)."""
    reply_type = annotation.get("/RT")
    if "/IRT" in annotation and str(reply_type) != "/Group":
        return REPLY
    return REVIEW.get(str(annotation.get("/Subtype")))


def review_marks(pdf: Any) -> Counter[str]:
    """How many annotations of each reviewer's kind the pages of `pdf` (a pikepdf `Pdf`) carry."""
    found: Counter[str] = Counter()
    for page in pdf.pages:
        for annotation in _annotations(page):
            named = kind(annotation)
            if named is not None:
                found[named] += 1
    return found


def redactions(pdf: Any) -> int:
    """How many redactions are marked on the pages of `pdf` and not applied."""
    return sum(
        1 for page in pdf.pages for a in _annotations(page) if str(a.get("/Subtype")) == REDACT
    )


def drop_review(pdf: Any) -> Counter[str]:
    """Leave the review out of `pdf` (open in memory, never saved over its file): every
    reviewer's annotation and every pop-up window, from every page; what was left out."""
    import pikepdf

    dropped: Counter[str] = Counter()
    gone: set[tuple[int, int]] = set()
    for page in pdf.pages:
        annotations = _annotations(page)
        kept = []
        for annotation in annotations:
            named = kind(annotation)
            if named is not None:
                dropped[named] += 1
            if named is not None or str(annotation.get("/Subtype")) == "/Popup":
                if annotation.is_indirect:
                    gone.add(annotation.objgen)
                continue
            if "/Popup" in annotation:  # its window went with the others
                del annotation["/Popup"]
            kept.append(annotation)
        if len(kept) != len(annotations):
            page.obj.Annots = pikepdf.Array(kept)
    tree = pdf.Root.get("/StructTreeRoot")
    if gone and isinstance(tree, pikepdf.Dictionary):
        with contextlib.suppress(RecursionError):  # a tree too deep to be real: left as is
            _untag(tree, gone, set())
    return dropped


def _untag(element: Any, gone: set[tuple[int, int]], seen: set[tuple[int, int]]) -> bool:
    """Take out of a tagged PDF's structure the references to annotations that are `gone`;
    whether `element` is left with nothing in it (its parent then drops it)."""
    import pikepdf

    if element.is_indirect:
        if element.objgen in seen:
            return False
        seen.add(element.objgen)
    kids = element.get("/K")
    items = list(kids) if isinstance(kids, pikepdf.Array) else [kids] if kids is not None else []
    kept = []
    for item in items:
        if isinstance(item, pikepdf.Dictionary):
            target = item.get("/Obj")
            if isinstance(target, pikepdf.Dictionary) and target.is_indirect:
                if target.objgen in gone:
                    continue  # a reference to an annotation left out
            elif item.get("/Type") != "/MCR" and _untag(item, gone, seen):
                continue  # an element that held only such references
        kept.append(item)
    if len(kept) == len(items):
        return False
    if kept:
        element.K = pikepdf.Array(kept) if len(kept) > 1 else kept[0]
        return False
    del element["/K"]
    return True


def _value(widget: Any) -> Any:
    """A widget's field value, its own or inherited from its field (`/Parent`)."""
    for _ in range(20):  # a loop of parents is not followed
        if "/V" in widget:
            return widget.get("/V")
        widget = widget.get("/Parent")
        if widget is None or not hasattr(widget, "get"):
            return None
    return None


def fill_appearances(pdf: Any) -> None:
    """Give every filled form field of `pdf` an appearance that shows its value, where the file
    left that to the reader (`/NeedAppearances`, or a value with no appearance at all): qpdf
    draws text and choice fields and sets boxes from their values, as a reader would."""
    import pikepdf

    form = pdf.Root.get("/AcroForm")
    if not isinstance(form, pikepdf.Dictionary):
        return
    missing = any(
        _value(widget) is not None and "/AP" not in widget
        for page in pdf.pages
        for widget in _annotations(page)
        if str(widget.get("/Subtype")) == "/Widget"
    )
    if missing:
        form.NeedAppearances = True
    needed = form.get("/NeedAppearances")
    if isinstance(needed, bool) and needed:
        try:
            pdf.generate_appearance_streams()
        except (pikepdf.PdfError, ValueError, TypeError, RuntimeError):
            return  # a field qpdf cannot draw: flattened as it shows, as before
