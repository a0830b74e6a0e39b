"""Is the pack already built from exactly these inputs? Answered before anything heavy is
imported, so that a build where nothing changed costs little more than starting Python."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from pathlib import Path

from pipeline import settings
from pipeline.hashing import sha256_file as sha256_file  # re-exported for the build
from pipeline.incremental.keys import inputs_key
from pipeline.window import Window, deadline_problem

# Plain JSON and strings only: the dataclass-heavy modules (manifest, model) cost more to
# import than everything else this does.

WINDOW_CODES = ("window-passed", "window-close")
"""Problems that depend on the day, not on the inputs: worked out afresh every time."""


def settings_key(window: Window, draft: bool, accepted: bool = False) -> tuple[str, ...]:
    """The settings a build's key and record are made of: the window, final or draft, and
    (in the key only) whether `--accept-changes` was given (pack.toml's own setting is in
    pack.toml's bytes)."""
    mode = (f"{window.year}-{window.month:02d}", "draft" if draft else "final")
    return (*mode, "accept-changes") if accepted else mode


def stem_of(inputs: Path, window: Window, draft: bool = False) -> str | None:
    """The pack's file name (without .pdf), if pack.toml can be read; else None."""
    name = settings.institution(inputs)
    return window.file_stem(name, draft) if name else None


def announce(
    found: tuple[Path, list[str]], out: Callable[[str], None], err: Callable[[str], None]
) -> None:
    """What `pack assemble` says when nothing changed: the problems again, then the pack."""
    path, problems = found
    for line in problems:
        err(line)
    err("pack: nothing changed since the last build")
    out(str(path))


def fresh_pack(
    inputs: Path, out_dir: Path, window: Window, today: dt.date, draft: bool, accepted: bool = False
) -> tuple[Path, list[str]] | None:
    """The pack and the problems to report again (as lines), if the last build made it from
    exactly these inputs, templates, code and settings and it is still there, untouched."""
    stem = stem_of(inputs, window, draft)
    late = deadline_problem(window, today)
    if stem is None or (late is not None and late[0] == "error"):
        return None  # a closed window is an error: the full check says so
    target = out_dir / f"{stem}.pdf"
    try:  # the manifest of `manifest.py`, read as JSON
        manifest = json.loads((out_dir / stem / "manifest.json").read_text(encoding="utf-8"))
        recorded, pack_sha256, lines = (
            manifest["inputs"],
            manifest["pack_sha256"],
            manifest["problems"],
        )
    except (OSError, ValueError, KeyError, TypeError):
        return None
    if not recorded or not target.is_file():
        return None
    if recorded != inputs_key(inputs, *settings_key(window, draft, accepted), out_dir=out_dir):
        return None
    if sha256_file(target) != pack_sha256:
        return None
    problems = [str(line) for line in lines]
    if late is not None:
        level, _, message = late
        problems.append(f"{inputs / 'pack.toml'}: {level}: {message}")
    return target, problems
