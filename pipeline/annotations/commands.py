"""`pack review FILE.pdf [INPUTS]` and `pack harvest FILE.pdf [INPUTS]` end to end.

Review lists every annotation where it sits. Harvest works out every suggested edit first,
then writes each answer it changes (atomically, unless a dry run), with the DOCX harvest's own
writer and diff; what it does not apply is listed with the reason, and with the comments it can
be written out with `--comments`. An answer file that changed since the pack was built is
never edited from it: the page no longer shows that file.
"""

from __future__ import annotations

import json
import re
from collections import defaultdict
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pipeline import limits
from pipeline.annotations.edits import Edit, Splice, apply, splice
from pipeline.annotations.locate import blocks_of
from pipeline.annotations.place import Placed, place_all
from pipeline.annotations.report import PdfItem, comments_markdown, items
from pipeline.annotations.source import visible
from pipeline.errors import InputError, UnsafeFile
from pipeline.pdf import AGAIN, reason
from pipeline.text import plural

if TYPE_CHECKING:
    from pipeline.review.apply import Harvested

_PLAN = re.compile(r"^action-plan\.(?:xlsx|csv|tsv)$")


def open_annotated(path: Path) -> Any:
    """The PDF read with pypdf, decrypted where it opens without a password; else an
    `InputError` naming it (a user password, damage, not a PDF)."""
    from pipeline.pdf import open_pdf

    try:
        return open_pdf(path)
    except UnsafeFile as exc:
        raise InputError(str(exc)) from exc


def _headings(inputs: Path | None) -> dict[str, int]:
    """The form's question headings -> numbers, from the inputs' form; {} without it."""
    if inputs is None:
        return {}
    from pipeline.form import load_form
    from pipeline.settings import peek

    framework = peek(inputs).get("framework")
    try:
        form = load_form(framework if isinstance(framework, str) else "initial", inputs)
    except InputError:
        return {}
    return {q.heading: q.number for q in form.questions}


def _plan_rows(
    placed: list[Placed], record: dict[str, Any] | None, inputs: Path | None
) -> dict[int, str]:
    """For marks on the plan: the goal and the action row their words are in."""
    on_plan = [i for i, p in enumerate(placed) if p.section.kind == "plan"]
    names = [n for n in (record or {}).get("sources", {}) if _PLAN.match(n)]
    if not on_plan or inputs is None or not names:
        return {}
    from pipeline.annotations.plan_rows import plan_rows

    return plan_rows([placed[i] for i in on_plan], on_plan, inputs, names[0])


def _read(
    path: Path, inputs: Path | None, headings: dict[str, int]
) -> tuple[dict[str, Any] | None, list[Placed]]:
    from pipeline.annotations.places import record_of

    reader = open_annotated(path)
    try:
        return record_of(reader), place_all(reader, inputs, headings)
    except MemoryError:
        raise  # over the limit: said as such by `limits.bounded`
    except Exception as exc:  # a parser of an untrusted file, in the child that bounds it
        raise InputError(
            f"{path}: damaged; its annotations cannot be read ({reason(exc)}); {AGAIN}"
        ) from exc


def read_placed(path: Path, inputs: Path | None) -> tuple[dict[str, Any] | None, list[Placed]]:
    """The PDF's build record (None for a PDF `pack` did not make) and its marks, placed: read
    under the time and memory limit of every untrusted PDF."""
    headings = _headings(inputs)
    try:
        return limits.bounded(path, lambda: _read(path, inputs, headings))
    except limits.Exceeded as exc:
        raise InputError(str(exc)) from exc


def review_pdf(path: Path, inputs: Path | None) -> tuple[list[PdfItem], str]:
    """(items, a warning or '') for `pack review FILE.pdf`."""
    record, placed = read_placed(path, inputs)
    warning = ""
    if record is None:
        warning = f"{path}: not a pack made by pack (it has no build record): annotations are listed by page"
    elif inputs is None:
        warning = f"{path}: no inputs folder given, so answer lines are not named"
    return items(placed, _plan_rows(placed, record, inputs)), warning


def _reason(place: Placed) -> str:
    """Why a suggested edit cannot be applied; '' when it can be tried."""
    if place.section.kind != "question" or place.answer is None:
        return f"not on an answer's text ({place.section.label(place.mark.page)})"
    if place.answer.stale:
        return f"{place.answer.path} changed since this pack was built; make it by hand"
    if place.answer.text is None:
        return f"{place.answer.path} is not in the inputs"
    if place.context is None:
        return "it is not on the answer's words"
    found = place.found
    if found is None or not found.unique:
        count = found.count if found else 0
        if count:
            return f"the marked words are in {place.answer.path} {plural(count, 'time')}; make it by hand"
        return f"the marked words are not in {place.answer.path} (on the question's own wording?)"
    if len(blocks_of(visible(place.answer.text), found)) > 1:
        return "the marked words run across paragraphs; make it by hand"
    return ""


def plan_edits(
    placed: list[Placed],
) -> tuple[dict[str, list[tuple[Placed, Splice]]], list[tuple[Placed, str]]]:
    """The edits that can be made, per answer file, and the others with the reason."""
    from pipeline.review.to_markdown import escape

    ready: dict[str, list[tuple[Placed, Splice]]] = defaultdict(list)
    refused: list[tuple[Placed, str]] = []
    for place in placed:
        if not place.edit:
            continue
        reason = _reason(place)
        if reason:
            refused.append((place, reason))
            continue
        assert place.answer is not None
        assert place.answer.text is not None
        assert place.found
        view = visible(place.answer.text)
        edit = Edit(place.found.start, place.found.end, place.new, place.edit)
        ready[place.answer.path].append((place, splice(view, edit, escape)))
    return ready, refused


def harvest_pdf(
    file: Path, inputs: Path, *, dry_run: bool = False, comments_file: Path | None = None
) -> Harvested:
    """Bring the suggested edits on the PDF `file` into the answers under `inputs`."""
    from pipeline.review.apply import Harvested
    from pipeline.review.harvest import Outcome, write

    record, placed = read_placed(file, inputs)
    if record is None:
        raise InputError(
            f"{file}: not a pack made by pack (it has no build record), so its annotations "
            "cannot be matched with answer files; `pack review` lists them"
        )
    ready, refused = plan_edits(placed)
    outcomes: list[Outcome] = []
    applied: set[int] = set()
    for name, edits in sorted(ready.items()):
        source = inputs / name
        before = edits[0][0].answer.text if edits[0][0].answer else None
        assert before is not None
        view = visible(before)
        kept: list[tuple[Placed, Splice]] = []
        for place, change in edits:  # each kept while all kept so far still read right
            if apply(view, [c for _, c in kept] + [change]) is not None:
                kept.append((place, change))
        after = apply(view, [c for _, c in kept]) if kept else None
        for place, _ in edits:
            if after is not None and any(place is p for p, _ in kept):
                applied.add(id(place))
            else:
                refused.append(
                    (place, f"{name} would not read as the page suggests; make it by hand")
                )
        if after is not None and after != before:
            outcomes.append(
                Outcome(edits[0][0].section.number or 0, source, source, before, after, len(kept))
            )
    for outcome in outcomes:
        if not dry_run:
            write(outcome)
    found = items(placed, _plan_rows(placed, record, inputs))
    reasons = {id(place): reason for place, reason in refused}
    notes = []
    for item, owner in zip(found, _owners(placed), strict=True):
        if id(owner) in applied:
            continue
        if id(owner) in reasons and not item.reply:
            item.detail = f"{item.detail}, not applied: {reasons[id(owner)]}"
        notes.append(item)
    if comments_file is not None and not dry_run:
        from pipeline.files import atomic_path

        if comments_file.suffix.lower() == ".json":
            text = json.dumps([n.public() for n in notes], indent=2, ensure_ascii=False) + "\n"
        else:
            text = comments_markdown(file.name, notes)
        with atomic_path(comments_file) as tmp:
            tmp.write_text(text, encoding="utf-8")
    report = _report(refused, notes, outcomes, len(applied), dry_run, comments_file)
    stale = sorted({p.answer.path for p, _ in refused if p.answer is not None and p.answer.stale})
    warnings = tuple(
        f"{name}: warning: changed since this pack was built, so the edits marked on it are "
        "not applied; build the pack again and have it reviewed, or make them by hand"
        for name in stale
    )
    return Harvested(tuple(o.diff(inputs) for o in outcomes), warnings, tuple(report))


def _owners(placed: list[Placed]) -> list[Placed]:
    """The placed mark each item (a mark, then its replies) comes from, in `items` order."""
    return [p for p in placed for _ in range(1 + len(p.mark.replies))]


def _report(refused: list[tuple[Placed, str]], notes: list[PdfItem], outcomes: list[Any],
            applied: int, dry_run: bool, comments_file: Path | None) -> list[str]:  # fmt: skip
    lines: list[str] = []
    if refused:
        lines.append(f"Suggested edits not applied ({len(refused)}):")
        for place, reason in refused:
            words = {
                "delete": repr(place.quote),
                "insert": repr(place.new),
                "replace": f"{place.quote!r} with {place.new!r}",
            }[place.edit]
            where = f"{place.section.label(place.mark.page)}, page {place.mark.page + 1}"
            lines.append(f"  {where}: {place.edit} {words}: {reason}")
    comments = [n for n in notes if n.kind == "comment"]
    if comments:
        lines.append(f"Comments ({len(comments)}), not part of the Markdown:")
        for note in comments:
            lines.append(
                f"  {note.where}: {note.detail} by {note.author or 'unknown'}: {note.text!r}"
            )
    verb = "would change" if dry_run else "changed"
    lines.append(
        f"{plural(len(outcomes), 'answer')} {verb} ({plural(applied, 'edit')} applied), "
        f"{plural(len(refused), 'edit')} not applied, {plural(len(comments), 'comment')}"
        + (f" (written to {comments_file})" if comments_file and not dry_run else "")
    )
    return lines
