"""Appendices whose review is unfinished: a Word file with tracked changes or comments, a PDF
with the annotations reviewers leave (sticky notes, highlights). An error in a final build, a
warning in a draft; said by `pack check` and before `pack assemble` builds anything."""

from __future__ import annotations

from collections import Counter
from typing import TYPE_CHECKING, Any

from pipeline.errors import UnsafeFile
from pipeline.model import Problem
from pipeline.pdf import open_qpdf
from pipeline.text import plural
from pipeline.word.revisions import counts

if TYPE_CHECKING:
    from pipeline.model import Appendix

REVIEW_ANNOTATIONS = {
    "/Text": "sticky note",
    "/FreeText": "text box",
    "/Highlight": "highlight",
    "/Underline": "underline",
    "/Squiggly": "squiggly underline",
    "/StrikeOut": "strike-out",
    "/Caret": "insertion mark",
    "/Ink": "drawing",
    "/Stamp": "stamp",
    "/Square": "shape",
    "/Circle": "shape",
    "/Line": "shape",
    "/Polygon": "shape",
    "/PolyLine": "shape",
}
"""PDF annotation subtypes a reviewer leaves -> what they are called here. Links, form
fields and the pop-ups that belong to a note are not counted."""


def pdf_annotations(source: Any) -> Counter[str]:
    """How many annotations of each reviewer's kind the PDF's pages carry (a pikepdf `Pdf`)."""
    import pikepdf

    found: Counter[str] = Counter()
    for page in source.pages:
        annotations = page.obj.get("/Annots")
        for annotation in annotations if isinstance(annotations, pikepdf.Array) else []:
            if not isinstance(annotation, pikepdf.Dictionary):  # damaged: nothing a reviewer left
                continue
            kind = REVIEW_ANNOTATIONS.get(str(annotation.get("/Subtype")))
            if kind is not None:
                found[kind] += 1
    return found


def _listed(found: Counter[str]) -> str:
    items = [plural(n, kind) for kind, n in sorted(found.items(), key=lambda x: (-x[1], x[0]))]
    return items[0] if len(items) == 1 else f"{', '.join(items[:-1])} and {items[-1]}"


def unfinished_review(appendix: Appendix, draft: bool) -> Problem | None:
    """The problem with `appendix`, if it still carries a review; None if it is clean (or not
    readable: the other checks say so)."""
    try:
        if appendix.kind == "docx":
            revisions = counts(appendix.path)
            if not revisions:
                return None
            held = revisions.describe()
            them = "it" if revisions.changes + revisions.comments == 1 else "them"
            fix = (
                f"accept or reject {them} in Word"
                if revisions.changes
                else f"delete {them} in Word"
            )
            shown = "; ".join(
                said
                for said, held_here in (
                    ("the pack shows the tracked changes as marked-up text", revisions.changes),
                    ("the comments are left out of the pack", revisions.comments),
                )
                if held_here
            )
        elif appendix.kind == "pdf":
            with open_qpdf(appendix.path) as source:
                found = pdf_annotations(source)
            if not found:
                return None
            held, fix = _listed(found), "remove them in your PDF reader (or save a flattened copy)"
            shown = "the pack shows them as they are"
        else:
            return None
    except UnsafeFile:
        return None
    if draft:
        return Problem(
            appendix.path, None, "warning", "appendix-review", f"{held}: a draft build; {shown}"
        )
    return Problem(
        appendix.path, None, "error", "appendix-review", f"{held}; {fix}, or build with --draft"
    )
