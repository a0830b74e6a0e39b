"""The commands that check without LibreOffice: `pack check` (the inputs) and `pack verify` (a
pack on disk against its inputs)."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import click

from pipeline.cli.common import (
    accept_option,
    date_option,
    draft_option,
    inputs_argument,
    reported,
    window_option,
)
from pipeline.window import Window


@click.command()
@inputs_argument
@date_option
@window_option
@click.option("--json", "as_json", is_flag=True, help="Print the problems as a JSON list.")
@click.option("--strict", is_flag=True, help="Treat warnings as errors (for CI).")
@draft_option
@accept_option
@reported
def check(
    inputs: Path,
    today: dt.date,
    window: Window | None,
    as_json: bool,
    strict: bool,
    draft: bool,
    accept_changes: bool,
) -> None:
    """Validate the inputs without LibreOffice: `path:line: error|warning|note: message`.

    Example:

    \b
        pack check inputs/ --strict
        pack check inputs/ --accept-changes
    """
    from pipeline.inputs.check import check as run_check
    from pipeline.inputs.check import summary

    _, problems = run_check(inputs, today, window, draft=draft, accept_changes=accept_changes)
    if as_json:
        click.echo(json.dumps([p.public() for p in problems], indent=2))
    else:
        for problem in problems:
            click.echo(problem.format())
        click.echo(summary(problems, strict))
    failing = [p for p in problems if p.level == "error" or (strict and p.level == "warning")]
    if failing:
        raise SystemExit(1)


@click.command()
@click.argument("pack_pdf", type=click.Path(dir_okay=False, path_type=Path), metavar="PACK.pdf")
@inputs_argument
@click.option("--json", "as_json", is_flag=True, help="Print the verdict as JSON (for CI).")
@click.option("--draft", is_flag=True, help="Accept a draft build (made with --draft).")
@reported
def verify(pack_pdf: Path, inputs: Path, as_json: bool, draft: bool) -> None:
    """Is PACK.pdf the pack built from exactly these INPUTS, with every part whole?

    Exit 0 when it is; 1 otherwise, naming each source file that changed since the build,
    each page missing, extra or altered, and each text not found. No LibreOffice.

    Example:

    \b
        pack verify build/University-of-Kelderwick_January_2027.pdf inputs/
        pack verify build/University-of-Kelderwick_January_2027.pdf --json
    """
    from pipeline.verify.pack import verify as run_verify

    verdict = run_verify(pack_pdf, inputs, draft=draft)
    if as_json:
        click.echo(json.dumps(verdict.public(), indent=2, ensure_ascii=False))
    else:
        for line in verdict.problems:
            click.echo(line)
        for line in verdict.notes:
            click.echo(f"note: {line}", err=True)
        click.echo(verdict.summary())
    if not verdict.ok:
        raise SystemExit(1)
