"""`pack plan --publish`: the stand-alone action plan for the institution's website (question 8),
as a tagged PDF, a working spreadsheet (XLSX) and an accessible web page (HTML), from the same
data as the pack.

Each output is keyed as the pack's parts are (the code, the libraries and LibreOffice, the
templates, pack.toml and the plan file) and reused when its key and its bytes are those of the
last publish: publishing again with nothing changed loads nothing and starts no LibreOffice."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pipeline.files import atomic_path
from pipeline.form import TEMPLATES
from pipeline.incremental import keys
from pipeline.incremental.up_to_date import sha256_file, stem_of
from pipeline.model import Problem
from pipeline.plan.sheet import find_plan
from pipeline.window import Window

RECORD = ".published.json"
"""What the last publish made, in the publish folder: each output's key and hash, and the
problems it reported (said again when the outputs are reused)."""


@dataclass
class Published:
    """The files of a publish, and those of them reused from the last one."""

    paths: list[Path] = field(default_factory=list)
    reused: list[Path] = field(default_factory=list)


KINDS = ("pdf", "xlsx", "html")
"""What a publish writes, in the order it prints them."""


def _keys(inputs: Path, window: Window) -> dict[str, str]:
    """The key of each output: the spreadsheet depends on the plan and pack.toml (its title);
    the PDF on the templates and LibreOffice too."""
    sources = [inputs / "pack.toml", *sorted(inputs.glob("*.toml"))]  # a form of its own
    plan = find_plan(inputs)
    data = keys.tree_key(sorted(set(sources)) + ([plan] if plan else []))
    base = keys.digest(keys.code_version(), data, window.title("publish"))
    return {
        "pdf": keys.digest(base, keys.tree_key([TEMPLATES])),
        "xlsx": keys.digest(base, "xlsx"),
        "html": keys.digest(base, "html"),
    }


def _previous(folder: Path) -> dict[str, Any]:
    try:
        data = json.loads((folder / RECORD).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def _unchanged(folder: Path, record: dict[str, Any], kind: str, key: str) -> Path | None:
    """The output of `kind` from the last publish, if its key is `key` and its bytes are those
    written then."""
    entry = record.get(kind)
    if not isinstance(entry, dict) or entry.get("key") != key:
        return None
    path = folder / str(entry.get("name", ""))
    if not path.is_file() or sha256_file(path) != entry.get("sha256"):
        return None
    return path


def publish(
    inputs: Path,
    window: Window,
    today: dt.date,
    out_dir: Path,
    progress: Callable[[str], None],
    problems: list[Problem],
) -> Published:
    """Write (or reuse) `<Institution>_Action-Plan_<Month>_<Year>.pdf`, `.xlsx` and `.html` in
    `out_dir`; the problems found are added to `problems`."""
    wanted = _keys(inputs, window)
    record = _previous(out_dir)
    pack_stem = stem_of(inputs, window)
    result = Published()
    found = {kind: _unchanged(out_dir, record, kind, key) for kind, key in wanted.items()}
    expected = f"{pack_stem.split('_')[0]}_Action-Plan" if pack_stem else None
    if expected and all(p is not None and p.name.startswith(expected) for p in found.values()):
        for kind in KINDS:
            path = found[kind]
            assert path is not None
            result.paths.append(path)
            result.reused.append(path)
        problems += [Problem(Path(p[0]), p[1], p[2], p[3], p[4]) for p in record["problems"]]
        progress(f"{inputs}: the plan has not changed since it was last published; reused")
        return result
    from pipeline.plan.spreadsheet import write_xlsx
    from pipeline.publish.plan_pdf import write_html, write_pdf
    from pipeline.stages.assemble import checked  # the heavy part: only when there is work

    progress(f"checking {inputs}")
    pack, _ = checked(inputs, today, window, problems.append, draft=True)
    form = pack.form
    stem = f"{window.file_stem(pack.institution).split('_')[0]}_Action-Plan_{window.month_name}_{window.year}"
    title = f"{pack.institution}: Technician Commitment action plan"
    made: dict[str, Path] = {}
    for kind in KINDS:
        path = found[kind]
        if path is not None and path.name == f"{stem}.{kind}":
            progress(f"{path.name}: unchanged, reused")
            made[kind] = path
            result.reused.append(path)
        elif kind == "pdf":
            made[kind] = write_pdf(pack, form, window, out_dir, stem, title, progress)
        elif kind == "xlsx":
            progress(f"writing {stem}.xlsx")
            made[kind] = write_xlsx(pack.plan, out_dir / f"{stem}.xlsx", title)
        else:
            progress(f"writing {stem}.html")
            made[kind] = write_html(pack, form, window, out_dir / f"{stem}.html", title)
    result.paths = [made[kind] for kind in KINDS]
    entry: dict[str, Any] = {
        kind: {"key": wanted[kind], "name": path.name, "sha256": sha256_file(path)}
        for kind, path in made.items()
    }
    entry["problems"] = [[str(p.path), p.line, p.level, p.code, p.message] for p in problems]
    with atomic_path(out_dir / RECORD) as tmp:
        tmp.write_text(json.dumps(entry, indent=1), encoding="utf-8")
    return result
