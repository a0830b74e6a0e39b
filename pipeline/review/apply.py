"""`pack harvest` end to end: every answer worked out before anything is written, then the
answers written (unless a dry run), the comments kept, and what was done said in one summary."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from pipeline.files import atomic_path
from pipeline.review import report as reviewing
from pipeline.review.document import open_reviewed
from pipeline.review.harvest import harvest, write
from pipeline.settings import institution
from pipeline.text import plural


@dataclass(frozen=True, slots=True)
class Harvested:
    """What `pack harvest` prints: the diffs (stdout), the warnings (stderr), then the report."""

    diffs: tuple[str, ...]
    warnings: tuple[str, ...]
    report: tuple[str, ...]


def harvest_file(
    file: Path, inputs: Path, *, dry_run: bool = False, comments_file: Path | None = None
) -> Harvested:
    """Bring the reviewed `file` back into the answers under `inputs`."""
    reviewed = open_reviewed(file)
    outcomes = harvest(reviewed, inputs, institution(inputs))
    notes = [item for item in reviewing.review(reviewed) if item.kind == "comment"]
    diffs = tuple(outcome.diff(inputs) for outcome in outcomes)
    warnings = []
    for outcome in outcomes:
        if not dry_run:
            write(outcome)
        name = (
            outcome.source.relative_to(inputs)
            if outcome.source.is_relative_to(inputs)
            else outcome.source
        )
        if outcome.emptied:
            warnings.append(
                f"{name}: reviewers deleted the whole answer, so it {'would be' if dry_run else 'is'} "
                "written empty and the pack shows no answer there; for the form's own answer "
                "instead, delete the file"
            )
        if outcome.beside:
            warnings.append(
                f"{name}: warning: changed after the draft was made, so it is left as it is; "
                f"reviewers' version {'would be' if dry_run else 'is'} {outcome.target.name} "
                "(the diff above is against the draft's version): merge it by hand"
            )
    if comments_file is not None and not dry_run:
        if comments_file.suffix.lower() == ".json":
            text = json.dumps([n.public() for n in notes], indent=2, ensure_ascii=False) + "\n"
        else:
            text = reviewing.comments_markdown(reviewed, notes)
        with atomic_path(comments_file) as tmp:
            tmp.write_text(text, encoding="utf-8")
    report = []
    if notes:
        report.append(f"Comments ({len(notes)}), not part of the Markdown:")
        report.extend(reviewing.report(reviewed, notes))
    changed = [o for o in outcomes if not o.beside]
    verb = "would change" if dry_run else "changed"
    report.append(
        f"{plural(len(changed), 'answer')} {verb}"
        + (
            f", {plural(len(outcomes) - len(changed), 'reviewed version')} beside a changed answer"
            if len(changed) < len(outcomes)
            else ""
        )
        + f", {plural(len(notes), 'comment')}"
        + (f" (written to {comments_file})" if comments_file and not dry_run else "")
    )
    return Harvested(diffs, tuple(warnings), tuple(report))
