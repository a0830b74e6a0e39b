"""The commands that build: `pack assemble` (every stage, or again on every save with `--watch`)
and the stages one at a time, `pack render`, `pack convert` and `pack combine`."""

from __future__ import annotations

import contextlib
import datetime as dt
from pathlib import Path

import click

from pipeline.cli.common import (
    accept_option,
    build_options,
    inputs_argument,
    inputs_many,
    out_option,
    progress,
    report,
    reported,
    stderr,
)
from pipeline.errors import PackError
from pipeline.window import Window, window_for


@click.command()
@click.argument(
    "inputs", nargs=-1, callback=inputs_many, type=click.Path(file_okay=False, path_type=Path)
)
@build_options
@accept_option
@click.option(
    "--watch", is_flag=True, help="Build, then build again whenever an input or template changes."
)
@click.option(
    "-v",
    "--timings",
    is_flag=True,
    help="Print on stderr how long each stage took, LibreOffice's too.",
)
@reported
def assemble(
    inputs: tuple[Path, ...],
    out_dir: Path,
    today: dt.date,
    window: Window | None,
    draft: bool,
    accept_changes: bool,
    watch: bool,
    timings: bool,
) -> None:
    """Check, render, convert and combine: the whole pack. Prints the PDF's path last.

    Only what changed is made again; with nothing changed, nothing is. Several INPUTS
    folders build several packs at once, sharing LibreOffice across the cores. --watch keeps
    LibreOffice running and rebuilds on every change, until Ctrl-C. --timings (-v) says
    where the time went. --accept-changes accepts the reviews left in appendices, in the
    pack's copy only.

    Example:

    \b
        pack assemble inputs/ --date 2026-11-22
        pack assemble inputs/ --accept-changes
        pack assemble institutions/* --out build/
        pack assemble --watch
        pack assemble -v
    """
    from pipeline.timings import NoTimings, Timings

    clock = Timings() if timings else NoTimings()
    folders = list(inputs)
    from pipeline.files import writable_folder

    writable_folder(out_dir)  # before LibreOffice is started: one clear line
    if len(folders) == 1 and not watch:
        from pipeline.incremental.up_to_date import (  # before anything heavy is imported
            announce,
            fresh_pack,
        )

        target = window or window_for(today)
        found = fresh_pack(folders[0], out_dir, target, today, draft, accept_changes)
        if found is not None:
            announce(found, click.echo, stderr)
            _timed(clock.lines())
            return
    from pipeline.libreoffice.pool import batch_size, take_over

    converters = take_over(batch_size(len(folders)) if len(folders) > 1 else 1, progress)
    with contextlib.suppress(PackError):  # no LibreOffice: said when a document needs it
        converters.start()  # now, so that LibreOffice comes up while Python checks and renders
    with clock.stage("imports"):  # the stages load docxtpl and python-docx: not for check
        from pipeline.stages import assemble as build

    with build.Build(
        out_dir, today, window, draft, report, progress, converters, stderr, clock, accept_changes
    ) as builder:
        if watch:
            from pipeline.stages.watch import watch as watching

            shown = (lambda _: _timed(builder.timing_lines())) if timings else None
            watching(builder, folders, _built, timed=shown)
            return
        if len(folders) == 1:
            click.echo(str(builder.one(folders[0])))
            _timed(builder.timing_lines())
            return
        results = builder.many(folders)
        _timed(builder.timing_lines())
    for result in results:
        _built(result)
    if any(isinstance(result, PackError) for result in results):
        raise SystemExit(1)


def _timed(lines: list[str]) -> None:
    """--timings: each stage's times, on stderr (nothing when they were not asked for)."""
    if len(lines) > 1:
        click.echo("pack: where the time went (seconds from the start):", err=True)
        for line in lines:
            click.echo(f"  {line}", err=True)


def _built(result: Path | PackError) -> None:
    if isinstance(result, PackError):
        click.echo(f"Error: {result}", err=True)
    else:
        click.echo(str(result))


@click.command()
@inputs_argument
@build_options
@accept_option
@reported
def render(
    inputs: Path,
    out_dir: Path,
    today: dt.date,
    window: Window | None,
    draft: bool,
    accept_changes: bool,
) -> None:
    """Check and render the Word documents and the build manifest into --out.

    Example:

    \b
        pack render inputs/ --out build/
    """
    from pipeline.stages import (
        assemble as build,  # the stages load docxtpl and pypdf: not for check
    )

    pack, _ = build.checked(inputs, today, window, report, draft, accept_changes)
    manifest = build.render_stage(pack, today, window, out_dir, draft)
    for part in manifest.to_convert:
        click.echo(part.source)


@click.command()
@out_option
@reported
def convert(out_dir: Path) -> None:
    """Convert the rendered Word documents of every pack in --out to PDF with LibreOffice
    (those that changed since they were last converted).

    Example:

    \b
        pack convert --out build/
    """
    from pipeline.stages import (
        assemble as build,  # the stages load docxtpl and pypdf: not for check
    )

    for path in build.convert_stage(out_dir, progress):
        click.echo(str(path))


@click.command()
@out_option
@reported
def combine(out_dir: Path) -> None:
    """Combine the converted PDFs and PDF appendices into each named pack in --out.

    Example:

    \b
        pack combine --out build/
    """
    from pipeline.stages import (
        assemble as build,  # the stages load docxtpl and pypdf: not for check
    )

    for path in build.combine_stage(out_dir, progress):
        click.echo(str(path))
