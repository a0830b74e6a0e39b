"""The reviewer round trip: `pack draft` (the DOCX reviewers edit), `pack review` (what they did)
and `pack harvest` (their edits back into the answers)."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import click

from pipeline.cli.common import (
    date_option,
    inputs_argument,
    options,
    out_option,
    report,
    reported,
    window_option,
)
from pipeline.window import Window, window_for


@click.command()
@inputs_argument
@options(out_option, date_option, window_option)
@reported
def draft(inputs: Path, out_dir: Path, today: dt.date, window: Window | None) -> None:
    """The DOCX reviewers edit: each answer bookmarked, the sources' hashes recorded.

    Missing sign-off dates are fine here. Prints the draft's path.

    Example:

    \b
        pack draft inputs/
    """
    from pipeline.review.draft import draft as make_draft
    from pipeline.stages import assemble as build

    pack, _ = build.checked(inputs, today, window, report, draft=True)
    path = make_draft(pack, pack.form, window or window_for(today), out_dir)
    click.echo(str(path))


reviewed_argument = click.argument(
    "file", type=click.Path(dir_okay=False, path_type=Path), metavar="FILE.docx|FILE.pdf"
)


def is_pdf(path: Path) -> bool:
    """Whether `path` is a PDF: named so (then a damaged one is refused as a PDF), or by its
    content (a reviewer's copy may be named anything)."""
    if path.suffix.lower() == ".pdf" and path.is_file():
        return True
    try:
        with path.open("rb") as handle:
            return b"%PDF-" in handle.read(1024)
    except OSError:
        return False


def _optional_inputs(ctx: click.Context, param: click.Parameter, value: Path | None) -> Path | None:
    """INPUTS as `inputs_argument` checks it when given; else the default folder if it is an
    inputs folder, else None (a PDF's annotations are still listed, without answer lines)."""
    from pipeline import settings
    from pipeline.cli import common

    if value is not None:
        return common._inputs(ctx, param, value)
    folder = settings.default_inputs(Path.cwd())
    return folder if (folder / settings.FILE).is_file() else None


@click.command()
@reviewed_argument
@click.argument(
    "inputs",
    required=False,
    callback=_optional_inputs,
    type=click.Path(file_okay=False, path_type=Path),
)
@click.option("--json", "as_json", is_flag=True, help="Print the items as a JSON list.")
@reported
def review(file: Path, inputs: Path | None, as_json: bool) -> None:
    """What reviewers did to a draft, per question: comments, every tracked change (text,
    paragraph and line breaks, footnotes, table rows, moves, formatting), and edits made with
    tracking off (text or structure that differs from the sources).

    Or every annotation on a PDF of the pack (notes, highlights, strike-outs, insertions,
    replacements, text boxes, drawings, stamps, replies), grouped by where it sits, with the
    answer file and line of the words it marks (INPUTS: the inputs the pack was built from).

    Example:

    \b
        pack review University-of-Kelderwick_January_2027-reviewed.docx
        pack review reviewed.docx --json
        pack review University-of-Kelderwick_January_2027-commented.pdf inputs/
    """
    if is_pdf(file):
        _review_pdf(file, inputs, as_json)
        return
    # a draft carries its own sources: INPUTS, for a PDF, is not read
    from pipeline.review import report as reviewing
    from pipeline.review.document import open_reviewed

    reviewed = open_reviewed(file)
    items = reviewing.review(reviewed)
    if reviewed.record is None:
        click.echo(
            f"{file}: warning: the draft's record of its sources is missing, so edits made with "
            "tracking off cannot be found",
            err=True,
        )
    if as_json:
        click.echo(json.dumps([item.public() for item in items], indent=2, ensure_ascii=False))
        return
    for line in reviewing.report(reviewed, items):
        click.echo(line)
    click.echo(reviewing.summary(items))


@click.command()
@reviewed_argument
@inputs_argument
@click.option("--dry-run", is_flag=True, help="Print what would change; write nothing.")
@click.option(
    "--comments",
    "comments_file",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Write the reviewers' comments to this file (Markdown; JSON if it ends in .json).",
)
@reported
def harvest(file: Path, inputs: Path, dry_run: bool, comments_file: Path | None) -> None:
    """Bring reviewers' edits (tracked changes accepted) back into the answers' Markdown.

    Untouched paragraphs stay byte for byte; each changed file's diff is printed. An answer
    file that changed after the draft was made is never overwritten: the reviewers' version is
    written beside it (3-numbers.reviewed.md) to merge by hand. Comments are listed, never
    dropped.

    From a PDF of the pack: strike-outs (delete), replacements and insertions, each where the
    marked words are found once in the answer; the rest is listed with the reason.

    Example:

    \b
        pack harvest reviewed.docx inputs/ --dry-run
        pack harvest reviewed.docx inputs/ --comments build/comments.md
        pack harvest commented.pdf inputs/ --dry-run
    """
    if is_pdf(file):
        from pipeline.annotations.commands import harvest_pdf

        harvested = harvest_pdf(file, inputs, dry_run=dry_run, comments_file=comments_file)
    else:
        from pipeline.review.apply import harvest_file

        harvested = harvest_file(file, inputs, dry_run=dry_run, comments_file=comments_file)
    for line in harvested.diffs:
        click.echo(line, nl=False)
    for line in harvested.warnings:
        click.echo(line, err=True)
    for line in harvested.report:
        click.echo(line)


def _review_pdf(file: Path, inputs: Path | None, as_json: bool) -> None:
    from pipeline.annotations.commands import review_pdf
    from pipeline.annotations.report import report as lines
    from pipeline.annotations.report import summary

    found, warning = review_pdf(file, inputs)
    if warning:
        click.echo(f"{warning}", err=True)
    if as_json:
        click.echo(json.dumps([item.public() for item in found], indent=2, ensure_ascii=False))
        return
    for line in lines(found):
        click.echo(line)
    click.echo(summary(found))
