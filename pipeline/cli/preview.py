"""`pack preview`: the pack live in the browser, rebuilt on every save."""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING

import click

from pipeline.cli.common import build_options, inputs_argument, progress, report, reported, stderr
from pipeline.errors import PackError
from pipeline.window import Window

if TYPE_CHECKING:
    from pipeline.timings import Timings


def _open(address: str) -> None:
    """The page in the user's browser. Without a graphical session Python would run a text
    browser in this terminal and wait for it: the address is enough then."""
    if sys.platform.startswith("linux") and not (
        os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY")
    ):
        progress(f"no graphical session here: open {address} in a browser")
        return
    import webbrowser

    webbrowser.open(address)


@click.command()
@inputs_argument
@build_options
@click.option(
    "--port",
    type=click.IntRange(0, 65535),
    default=None,
    help="The port to serve on (default 8000, or a free one when it is taken; 0: any free one).",
)
@click.option(
    "--host",
    default="127.0.0.1",
    show_default=True,
    help="The address to serve on. Anything but the loopback shows the pack to the network.",
)
@click.option("--no-browser", is_flag=True, help="Do not open the page in a browser.")
@click.option(
    "-v", "--timings", is_flag=True, help="Print on stderr where each rebuild's time went."
)
@reported
def preview(
    inputs: Path,
    out_dir: Path,
    today: dt.date,
    window: Window | None,
    draft: bool,
    port: int | None,
    host: str,
    no_browser: bool,
    timings: bool,
) -> None:
    """The pack in the browser, updated on every save, with what is left to do.

    Serves a page on 127.0.0.1 showing the pack's pages and, beside them, `pack check`'s
    findings, each question's words against its limit, the window and the days left, the
    plan's actions per theme and year, and the appendices with their pages. Saving any input
    rebuilds what changed (LibreOffice is kept running) and updates the page by itself, with
    the part just saved in view; a mistake shows as a finding and the last good pages stay.
    The pack is written to --out as `pack assemble` writes it. Ctrl-C stops.

    Example:

    \b
        pack preview
        pack preview inputs/ --port 8080 --no-browser
    """
    from pipeline.files import writable_folder
    from pipeline.preview.server import is_loopback

    if not is_loopback(host):
        click.echo(
            f"pack: warning: serving on {host}: anyone who can reach this machine can read the "
            "pack while the preview runs; leave out --host to keep it to this machine",
            err=True,
        )
    writable_folder(out_dir)  # before LibreOffice is started: one clear line
    from pipeline.libreoffice.pool import take_over

    converters = take_over(1, progress)
    with contextlib.suppress(PackError):  # no LibreOffice: said when a document needs it
        converters.start()  # comes up while the server starts and the pack is checked
    from pipeline.preview.session import serve
    from pipeline.stages.assemble import Build

    def ready(address: str) -> None:
        progress(f"previewing {inputs} at {address} (Ctrl-C to stop)")
        click.echo(address)
        if not no_browser:
            _open(address)

    with Build(out_dir, today, window, draft, report, progress, converters, stderr) as build:

        def timed(clock: Timings) -> None:
            stderr("pack: where the time went (seconds from the save):")
            for line in build.timing_lines():
                stderr(f"  {line}")

        serve(build, inputs, host, port, ready, timed=timed if timings else None)
