"""The `pack` command: parses arguments, calls the stages, turns their errors into exit codes.

The only module that imports click. Exit status: 0 done, 1 the pack has problems, 2 usage,
130 interrupted.

Longer than most: a command's options and its help (what it does, with examples: the README's
own words) are declared here, one block per command, and there are fourteen; what each command
does is a function elsewhere, called with plain values.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import functools
import json
import os
import re
import signal
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import click

from pipeline.errors import PackError
from pipeline.text import plural
from pipeline.window import Window, parse_window, window_for

if TYPE_CHECKING:
    from pipeline.model import Problem

# Only light modules above: `pack assemble` with nothing to rebuild, `pack window` and the help
# answer before python-docx, docxtpl and pypdf are imported (each command imports its own).

F = TypeVar("F", bound=Callable[..., Any])
CONTEXT = {"help_option_names": ["-h", "--help"]}


def _date(ctx: click.Context, param: click.Parameter, value: str | None) -> dt.date:
    if value is None:
        return dt.date.today()
    try:
        return dt.date.fromisoformat(value)
    except ValueError as exc:
        from pipeline.inputs.hints import no_such_day

        parts = re.fullmatch(r"(\d{4})-(\d{2})-(\d{2})", value)
        wrong = parts and no_such_day(*(int(part) for part in parts.groups()))
        if wrong:
            raise click.BadParameter(f"{value!r}: {wrong}; give a real date") from exc
        raise click.BadParameter(
            f"{value!r} is not a date in the form YYYY-MM-DD, e.g. 2026-11-22"
        ) from exc


def _window(ctx: click.Context, param: click.Parameter, value: str | None) -> Window | None:
    if value is None:
        return None
    try:
        return parse_window(value)
    except PackError as exc:
        raise click.BadParameter(str(exc)) from exc


def _inputs(ctx: click.Context, param: click.Parameter, value: Path | None) -> Path:
    """INPUTS as given, else the current folder when it holds pack.toml, else inputs/. A
    folder that does not exist, or one inside an inputs folder, is a usage error."""
    from pipeline import settings

    folder = value if value is not None else settings.default_inputs(Path.cwd())
    problem = None
    if value is None and not folder.is_dir():
        above = settings.nearest_pack(Path.cwd())  # run in a folder inside an inputs folder
        if above is not None:
            shown = f"{os.path.relpath(above)}/"
            problem = (
                f"no {settings.FILE} in the current folder; did you mean {shown}? "
                f"(run pack there, or name it: pack {ctx.info_name} {shown})"
            )
    if problem is not None:
        pass
    elif not folder.is_dir():
        hint = "" if value is not None else " (run pack in a folder with a pack.toml, or name one)"
        problem = f"{folder}: no such folder{hint}"
    elif not (folder / settings.FILE).is_file():
        parent = settings.nearest_pack(folder)
        if parent is not None:
            problem = f"no {settings.FILE} in {folder}; did you mean {_shown(parent)}?"
    if problem is not None:
        if ctx.params.get("as_json"):  # --json (eager) promises JSON whatever happens
            click.echo(json.dumps({"error": problem}))
            ctx.exit(2)
        raise click.BadParameter(problem, ctx, param)
    return folder


def _shown(folder: Path) -> str:
    """A folder as the user would type it: relative to the current folder where it can be."""
    with contextlib.suppress(ValueError, OSError):
        relative = folder.resolve().relative_to(Path.cwd().resolve())
        return "./" if relative == Path(".") else f"{relative.as_posix()}/"
    return f"{folder}/"


def _inputs_many(
    ctx: click.Context, param: click.Parameter, value: tuple[Path, ...]
) -> tuple[Path, ...]:
    """Each of several INPUTS checked as `_inputs` checks one; none: the default folder."""
    return tuple(_inputs(ctx, param, folder) for folder in value) or (_inputs(ctx, param, None),)


inputs_argument = click.argument(
    "inputs",
    required=False,
    callback=_inputs,
    type=click.Path(file_okay=False, path_type=Path),
)
out_option = click.option(
    "--out",
    "out_dir",
    default=Path("build"),
    show_default=True,
    type=click.Path(file_okay=False, path_type=Path),
    help="Output (build) folder.",
)
date_option = click.option(
    "--date",
    "today",
    callback=_date,
    metavar="YYYY-MM-DD",
    help="As of this date (default today): decides the window.",
)
window_option = click.option(
    "--window",
    callback=_window,
    metavar="YYYY-MM",
    help="Target window, YYYY-01 or YYYY-07 (default: the next one).",
)
draft_option = click.option(
    "--draft", is_flag=True, help="A review copy: missing sign-off dates are warnings, not errors."
)


def options(*decorators: Callable[[F], F]) -> Callable[[F], F]:
    """Several options as one decorator, in the order given."""

    def apply(function: F) -> F:
        for decorator in reversed(decorators):
            function = decorator(function)
        return function

    return apply


build_options = options(out_option, date_option, window_option, draft_option)
"""--out, --date, --window and --draft, shared by the commands that build."""


INTERRUPTED = 130
"""The exit status after Ctrl-C (128 + SIGINT), as shells give it."""


def reported(function: F) -> F:
    """Turn the pipeline's errors into one line on stderr and exit status 1; Ctrl-C into
    exit status 130, once every temporary file is gone and LibreOffice stopped (the stages'
    own clean-up runs as the interruption unwinds them)."""

    @functools.wraps(function)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return function(*args, **kwargs)
        except (click.ClickException, click.exceptions.Exit, click.Abort):
            raise  # click's own: already one line (usage errors exit 2)
        except KeyboardInterrupt:
            click.echo("\npack: interrupted; nothing was replaced", err=True)
            raise SystemExit(INTERRUPTED) from None
        except PackError as exc:
            raise click.ClickException(str(exc)) from exc
        except Exception as exc:  # a bug of ours: still one line, never a traceback
            raise click.ClickException(
                f"internal error ({type(exc).__name__}: {exc}); nothing was replaced. "
                "Please report it with the command you ran."
            ) from exc

    return wrapper  # type: ignore[return-value]


def _report(problem: Problem) -> None:
    click.echo(problem.format(), err=True)


def _progress(message: str) -> None:
    click.echo(f"pack: {message}", err=True)


@click.group(context_settings=CONTEXT)
@click.version_option(package_name="tc-pack")
def cli() -> None:
    """Build a Technician Commitment self-assessment submission pack.

    Markdown answers, the action-plan spreadsheet and appendices in INPUTS (default inputs/)
    become one PDF named for the next submission window, in build/.
    """


@cli.command()
@click.argument(
    "inputs", nargs=-1, callback=_inputs_many, type=click.Path(file_okay=False, path_type=Path)
)
@build_options
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
    watch: bool,
    timings: bool,
) -> None:
    """Check, render, convert and combine: the whole pack. Prints the PDF's path last.

    Only what changed is made again; with nothing changed, nothing is. Several INPUTS
    folders build several packs at once, sharing LibreOffice across the cores. --watch keeps
    LibreOffice running and rebuilds on every change, until Ctrl-C. --timings (-v) says
    where the time went.

    Example:

    \b
        pack assemble inputs/ --date 2026-11-22
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
        from pipeline.build.up_to_date import (  # before anything heavy is imported
            announce,
            fresh_pack,
        )

        found = fresh_pack(folders[0], out_dir, window or window_for(today), today, draft)
        if found is not None:
            announce(found, click.echo, _stderr)
            _timed(clock.lines())
            return
    from pipeline.libreoffice.pool import batch_size, take_over

    converters = take_over(batch_size(len(folders)) if len(folders) > 1 else 1, _progress)
    with contextlib.suppress(PackError):  # no LibreOffice: said when a document needs it
        converters.start()  # now, so that LibreOffice comes up while Python checks and renders
    with clock.stage("imports"):  # the stages load docxtpl and python-docx: not for check
        from pipeline.build import assemble as build

    with build.Build(
        out_dir, today, window, draft, _report, _progress, converters, _stderr, clock
    ) as builder:
        if watch:
            from pipeline.build.watch import watch as watching

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


def _stderr(line: str) -> None:
    click.echo(line, err=True)


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


@cli.command()
@inputs_argument
@date_option
@window_option
@click.option("--json", "as_json", is_flag=True, help="Print the problems as a JSON list.")
@click.option("--strict", is_flag=True, help="Treat warnings as errors (for CI).")
@draft_option
@reported
def check(
    inputs: Path, today: dt.date, window: Window | None, as_json: bool, strict: bool, draft: bool
) -> None:
    """Validate the inputs without LibreOffice: `path:line: error|warning: message`.

    Example:

    \b
        pack check inputs/ --strict
    """
    from pipeline.inputs.check import check as run_check
    from pipeline.inputs.check import summary

    _, problems = run_check(inputs, today, window, draft=draft)
    if as_json:
        click.echo(json.dumps([p.public() for p in problems], indent=2))
    else:
        for problem in problems:
            click.echo(problem.format())
        click.echo(summary(problems, strict))
    failing = [p for p in problems if p.level == "error" or strict]
    if failing:
        raise SystemExit(1)


@cli.command()
@inputs_argument
@build_options
@reported
def render(inputs: Path, out_dir: Path, today: dt.date, window: Window | None, draft: bool) -> None:
    """Check and render the Word documents and the build manifest into --out.

    Example:

    \b
        pack render inputs/ --out build/
    """
    from pipeline.build import assemble as build  # the stages load docxtpl and pypdf: not for check

    pack, _ = build.checked(inputs, today, window, _report, draft=draft)
    manifest = build.render_stage(pack, today, window, out_dir, draft)
    for part in manifest.to_convert:
        click.echo(part.source)


@cli.command()
@out_option
@reported
def convert(out_dir: Path) -> None:
    """Convert the rendered Word documents of every pack in --out to PDF with LibreOffice
    (those that changed since they were last converted).

    Example:

    \b
        pack convert --out build/
    """
    from pipeline.build import assemble as build  # the stages load docxtpl and pypdf: not for check

    for path in build.convert_stage(out_dir, _progress):
        click.echo(str(path))


@cli.command()
@out_option
@reported
def combine(out_dir: Path) -> None:
    """Combine the converted PDFs and PDF appendices into each named pack in --out.

    Example:

    \b
        pack combine --out build/
    """
    from pipeline.build import assemble as build  # the stages load docxtpl and pypdf: not for check

    for path in build.combine_stage(out_dir, _progress):
        click.echo(str(path))


@cli.command()
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
    from pipeline.build import assemble as build
    from pipeline.review.draft import draft as make_draft

    pack, _ = build.checked(inputs, today, window, _report, draft=True)
    path = make_draft(pack, pack.form, window or window_for(today), out_dir)
    click.echo(str(path))


reviewed_argument = click.argument(
    "file", type=click.Path(dir_okay=False, path_type=Path), metavar="FILE.docx"
)


@cli.command()
@reviewed_argument
@click.option("--json", "as_json", is_flag=True, help="Print the items as a JSON list.")
@reported
def review(file: Path, as_json: bool) -> None:
    """What reviewers did to a draft, per question: comments, every tracked change (text,
    paragraph and line breaks, footnotes, table rows, moves, formatting), and edits made with
    tracking off (text or structure that differs from the sources).

    Example:

    \b
        pack review University-of-Kelderwick_January_2027-reviewed.docx
        pack review reviewed.docx --json
    """
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


@cli.command()
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

    Example:

    \b
        pack harvest reviewed.docx inputs/ --dry-run
        pack harvest reviewed.docx inputs/ --comments build/comments.md
    """
    from pipeline.review.apply import harvest_file

    harvested = harvest_file(file, inputs, dry_run=dry_run, comments_file=comments_file)
    for line in harvested.diffs:
        click.echo(line, nl=False)
    for line in harvested.warnings:
        click.echo(line, err=True)
    for line in harvested.report:
        click.echo(line)


@cli.command()
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
    from pipeline.build.plan_command import plan_command

    result = plan_command(
        inputs, sheet=sheet, publish=publish, out_dir=out_dir, today=today, window=window,
        progress=_progress,
    )  # fmt: skip
    if as_json:
        click.echo(json.dumps(result.data, indent=2, ensure_ascii=False))
    else:
        for problem in result.problems:
            _report(problem)
        for line in result.lines:
            click.echo(line)
    if result.error:
        raise click.ClickException(result.error)


@cli.command()
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
    from pipeline.build.verify import verify as run_verify

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


@cli.command()
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


@cli.command()
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


def _stopped(number: int, frame: object) -> None:
    raise SystemExit(128 + number)


def main() -> None:
    """The `pack` program.

    It ends with `os._exit` once its output is flushed: by then every file is closed and moved
    into place and LibreOffice is stopped, and Python's own teardown of the five hundred
    modules and the documents a build held would cost 0.1 s more, a tenth of a warm build.
    """
    for number in (signal.SIGTERM, signal.SIGHUP):  # stopped: unwind as Ctrl-C does, so that
        signal.signal(number, _stopped)  # no temporary file stays and LibreOffice is stopped
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
