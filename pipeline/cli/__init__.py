"""The `pack` command: parses arguments, calls the stages, turns their errors into exit codes.
Takes the command line; gives what the stages print and an exit status: 0 done, 1 the pack has
problems, 2 usage, 130 interrupted.

The only package that imports click. A module per group of commands (`build`, `check`,
`review`, `importing`, `plan`, `setup`, `preview`) declares each command's options and help
(what it does, with examples: the README's own words); what a command does is a function
elsewhere, called with plain values and imported only when the command runs, so that the help
and `pack window` answer before python-docx, docxtpl and pypdf are imported. May import every
subsystem."""

from __future__ import annotations

import os
import signal
import sys

import click

from pipeline import posix
from pipeline.cli import build, check, importing, plan, preview, review, setup
from pipeline.cli.common import CONTEXT


@click.group(context_settings=CONTEXT)
@click.version_option(package_name="tc-pack")
def cli() -> None:
    """Build a Technician Commitment self-assessment submission pack.

    Markdown answers, the action-plan spreadsheet and appendices in INPUTS (default inputs/)
    become one PDF named for the next submission window, in build/.
    """


for command in (
    build.assemble,
    check.check,
    build.render,
    build.convert,
    build.combine,
    review.draft,
    review.review,
    review.harvest,
    importing.import_,
    plan.plan,
    check.verify,
    setup.init,
    setup.window,
    preview.preview,
):
    cli.add_command(command)


def _stopped(number: int, frame: object) -> None:
    raise SystemExit(128 + number)


def main() -> None:
    """The `pack` program.

    It ends with `os._exit` once its output is flushed: by then every file is closed and moved
    into place and LibreOffice is stopped, and Python's own teardown of the five hundred
    modules and the documents a build held would cost 0.1 s more, a tenth of a warm build.
    """
    for number in posix.stop_signals():  # stopped: unwind as Ctrl-C does, so that no
        signal.signal(number, _stopped)  # temporary file stays and LibreOffice is stopped
    try:
        cli(prog_name="pack")  # standalone: always ends in SystemExit
        status: object = 0
    except SystemExit as end:
        status = end.code
    if isinstance(status, str):  # as Python prints a SystemExit's message
        click.echo(status, err=True)
    if "pipeline.libreoffice.pool" in sys.modules:  # LibreOffice started, not used (usage error)
        from pipeline.libreoffice.pool import close_all

        close_all()
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(status if isinstance(status, int) else 0 if status is None else 1)
