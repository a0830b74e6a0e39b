"""The stages chained: what `pack assemble` does, callable from Python and tests."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path

from pipeline.check import check
from pipeline.combine import combine
from pipeline.convert import convert
from pipeline.errors import CheckFailed
from pipeline.form import load_form
from pipeline.model import Pack, Problem
from pipeline.render import MANIFEST, Manifest, render
from pipeline.window import Window, window_for


def checked(
    inputs: Path,
    today: dt.date,
    window: Window | None,
    report: Callable[[Problem], None],
    draft: bool = False,
) -> Pack:
    """The loaded pack, after reporting every problem; `CheckFailed` if any is an error."""
    pack, problems = check(inputs, today, window, draft=draft)
    for problem in problems:
        report(problem)
    if pack is None:
        errors = sum(p.level == "error" for p in problems)
        raise CheckFailed(
            f"{inputs}: {errors} error{'s' if errors != 1 else ''}; nothing was built"
        )
    return pack


def render_stage(pack: Pack, today: dt.date, window: Window | None, out_dir: Path) -> Manifest:
    return render(pack, load_form(pack.framework), window or window_for(today), out_dir)


def convert_stage(out_dir: Path) -> list[Path]:
    manifest = Manifest.read(out_dir / MANIFEST)
    return convert([(Path(p.source), Path(p.pdf)) for p in manifest.to_convert])


def combine_stage(out_dir: Path) -> Path:
    manifest = Manifest.read(out_dir / MANIFEST)
    return combine(manifest, out_dir / f"{manifest.stem}.pdf")


def assemble(
    inputs: Path,
    out_dir: Path,
    today: dt.date,
    window: Window | None = None,
    report: Callable[[Problem], None] = lambda p: None,
    progress: Callable[[str], None] = lambda s: None,
    draft: bool = False,
) -> Path:
    """Every stage; returns the pack's path. A failure leaves any previous pack untouched."""
    pack = checked(inputs, today, window, report, draft)
    progress("rendering the Word documents")
    manifest = render_stage(pack, today, window, out_dir)
    progress(f"converting {len(manifest.to_convert)} document(s) with LibreOffice")
    convert([(Path(p.source), Path(p.pdf)) for p in manifest.to_convert])
    progress("combining the PDFs")
    return combine(manifest, out_dir / f"{manifest.stem}.pdf")
