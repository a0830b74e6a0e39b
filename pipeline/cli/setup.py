"""Starting out: `pack init` (a new institution's inputs folder) and `pack window` (the next
submission window and its deadline)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import click

from pipeline.cli.common import (
    date_option,
    reported,
)
from pipeline.text import plural
from pipeline.window import window_for


@click.command()
@click.argument("folder", type=click.Path(path_type=Path))
@click.option(
    "--framework",
    default="initial",
    show_default=True,
    metavar="NAME|FILE",
    help="The form: a built-in one's name, or a form file of your own (copied in).",
)
@reported
def init(folder: Path, framework: str) -> None:
    """A new institution's inputs folder, ready for version control and CI: pack.toml to
    fill in, one Markdown file per question (its prompt as a comment), a blank plan, an empty
    appendices/ folder, a .gitignore and a CI workflow.

    Example:

    \b
        pack init myuni && cd myuni && pack check
        pack init myuni --framework six-pillars.toml
    """
    from pipeline.inputs.init import init as make

    if folder.exists() and (not folder.is_dir() or any(folder.iterdir())):
        raise click.BadParameter(f"{folder}: already exists and is not empty; give a new folder")
    written = make(folder, framework)
    click.echo(
        f"{folder}: {plural(len(written), 'file')} written; fill in pack.toml, then run pack check"
    )


@click.command()
@date_option
@reported
def window(today: dt.date) -> None:
    """The next submission window, its deadline and the days left.

    Example:

    \b
        pack window --date 2026-11-22
    """
    target = window_for(today)
    days = (target.deadline - today).days
    deadline = f"{target.deadline:%A} {target.deadline.day} {target.deadline:%B %Y}"
    click.echo(
        f"{target.month_name} {target.year} window: deadline {deadline}, "
        f"{days} day{'s' if days != 1 else ''} left"
    )
