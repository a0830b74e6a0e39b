"""`pack plan`: the action plan as read, or published for the website with `--publish`."""

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
    progress,
    report,
    reported,
    window_option,
)
from pipeline.window import Window


@click.command()
@inputs_argument
@click.option(
    "--json",
    "as_json",
    is_flag=True,
    is_eager=True,  # known before INPUTS is checked: a usage error is JSON too
    help="Print the plan as read (or the files written), as JSON.",
)
@click.option("--sheet", help="The sheet that holds the plan (default: found by its Goal header).")
@click.option(
    "--publish",
    is_flag=True,
    help="Write the stand-alone plan (tagged PDF, XLSX, HTML page) to --out/publish.",
)
@options(out_option, date_option, window_option)
@reported
def plan(
    inputs: Path,
    as_json: bool,
    sheet: str | None,
    publish: bool,
    out_dir: Path,
    today: dt.date,
    window: Window | None,
) -> None:
    """The action plan as read from the spreadsheet, with what was repaired.

    Example:

    \b
        pack plan inputs/ --json
        pack plan inputs/ --publish
    """
    from pipeline.publish.command import plan_command

    result = plan_command(
        inputs, sheet=sheet, publish=publish, out_dir=out_dir, today=today, window=window,
        progress=progress,
    )  # fmt: skip
    if as_json:
        click.echo(json.dumps(result.data, indent=2, ensure_ascii=False))
    else:
        for problem in result.problems:
            report(problem)
        for line in result.lines:
            click.echo(line)
    if result.error:
        raise click.ClickException(result.error)
