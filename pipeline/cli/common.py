"""What the commands share: the INPUTS argument and its default, --out, --date, --window and
--draft, and `reported`, which turns the pipeline's errors into one line and an exit status
(1 the pack has problems, 130 interrupted; click's own usage errors exit 2)."""

from __future__ import annotations

import contextlib
import datetime as dt
import functools
import json
import os
import re
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import click

from pipeline.errors import PackError
from pipeline.window import Window, parse_window

if TYPE_CHECKING:
    from pipeline.model import Problem

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


def inputs_many(
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


accept_option = click.option(
    "--accept-changes",
    is_flag=True,
    help="Accept the reviews left in appendices, in the pack's copy only: Word's tracked "
    "changes accepted, comments and a PDF's sticky notes left out (pack.toml: "
    "accept_changes = true). The files are never changed.",
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


def report(problem: Problem) -> None:
    click.echo(problem.format(), err=True)


def progress(message: str) -> None:
    click.echo(f"pack: {message}", err=True)


def stderr(line: str) -> None:
    click.echo(line, err=True)
