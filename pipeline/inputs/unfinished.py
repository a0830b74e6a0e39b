"""Appendices whose review is unfinished: a Word file with tracked changes or comments, a PDF
with the annotations reviewers leave (sticky notes and their replies, highlights). An error in
a final build, a warning in a draft; with `--accept-changes` (or `accept_changes = true` in
pack.toml) a note saying what the pack's copy accepts and leaves out, the file itself
unchanged. Said by `pack check` and before `pack assemble` builds anything.

A PDF's text boxes, stamps, ink and shapes are what a person put on the page (`marks`):
printed, never counted here. A redaction marked and not applied is refused whatever the mode:
what it covers is still in the file."""

from __future__ import annotations

from collections import Counter
from typing import TYPE_CHECKING

from pipeline.errors import UnsafeFile
from pipeline.marks import redactions, review_marks
from pipeline.model import Problem
from pipeline.pdf import open_qpdf
from pipeline.text import plural
from pipeline.word.revisions import Revisions, counts

if TYPE_CHECKING:
    from pipeline.model import Appendix

ACCEPTED = "in the pack's copy (--accept-changes); the file itself is unchanged"


def _listed(found: Counter[str]) -> str:
    items = [
        plural(n, kind, "replies" if kind == "reply" else None)
        for kind, n in sorted(found.items(), key=lambda x: (-x[1], x[0]))
    ]
    return items[0] if len(items) == 1 else f"{', '.join(items[:-1])} and {items[-1]}"


def _word(revisions: Revisions, accept: bool) -> tuple[str, str, str]:
    """(what it holds, how to fix it, what the pack shows) for a Word file."""
    held = revisions.describe()
    if accept:
        done = [
            said
            for said, held_here in (
                ("the changes accepted", revisions.changes),
                ("the comments left out", revisions.comments),
            )
            if held_here
        ]
        return held, "", f"{' and '.join(done)} {ACCEPTED}"
    them = "it" if revisions.changes + revisions.comments == 1 else "them"
    fix = f"accept or reject {them} in Word" if revisions.changes else f"delete {them} in Word"
    shown = "; ".join(
        said
        for said, held_here in (
            ("the pack shows the tracked changes as marked-up text", revisions.changes),
            ("the comments are left out of the pack", revisions.comments),
        )
        if held_here
    )
    return held, fix, shown


def unfinished_review(appendix: Appendix, draft: bool, accept: bool = False) -> Problem | None:
    """The problem with `appendix`, if it still carries a review; None if it is clean (or not
    readable: the other checks say so)."""
    try:
        if appendix.kind == "docx":
            revisions = counts(appendix.path)
            if not revisions:
                return None
            held, fix, shown = _word(revisions, accept)
        elif appendix.kind == "pdf":
            with open_qpdf(appendix.path) as source:
                found = review_marks(source)
            if not found:
                return None
            held, fix = _listed(found), "remove them in your PDF reader (or save a flattened copy)"
            shown = f"left out {ACCEPTED}" if accept else "the pack shows them as they are"
        else:
            return None
    except UnsafeFile:
        return None
    if accept:
        return Problem(appendix.path, None, "note", "appendix-review", f"{held}: {shown}")
    if draft:
        return Problem(
            appendix.path, None, "warning", "appendix-review", f"{held}: a draft build; {shown}"
        )
    return Problem(
        appendix.path, None, "error", "appendix-review", f"{held}; {fix}, or build with --draft"
    )


def unapplied_redactions(appendix: Appendix, draft: bool) -> Problem | None:
    """A PDF appendix with redactions marked and not applied: what they cover is still there."""
    if appendix.kind != "pdf":
        return None
    try:
        with open_qpdf(appendix.path) as source:
            marked = redactions(source)
    except UnsafeFile:
        return None
    if not marked:
        return None
    what = plural(marked, "redaction")
    return Problem(
        appendix.path,
        None,
        "warning" if draft else "error",
        "appendix-redaction",
        f"{what} marked but not applied: the text under {'it' if marked == 1 else 'them'} is "
        "still in the file and every reader shows it; apply the redactions in your PDF editor "
        "(Acrobat: Redact > Apply), or remove the marks",
    )
