"""`pack plan`: the plan as read, its repairs grouped, its problems; or, with `--publish`, the
stand-alone plan written (or reused). Everything the command prints is decided here; `cli` only
prints it, so `--json` is valid JSON whatever happened."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pipeline.errors import PackError
from pipeline.model import Problem
from pipeline.plan.export import plan_json, problems_json
from pipeline.plan.repairs import grouped
from pipeline.plan.standalone import read_plan
from pipeline.text import plural
from pipeline.window import Window, window_for


@dataclass
class PlanResult:
    """What `pack plan` says: JSON, or lines for stdout and problems for stderr; and the error
    it ends with, if any (exit status 1)."""

    data: dict[str, Any] = field(default_factory=dict)
    lines: list[str] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    error: str | None = None


def _folder_problem(inputs: Path) -> str | None:
    if inputs.is_dir():
        return None
    if inputs.exists():
        return f"{inputs}: not a folder; name the inputs folder, the one that holds pack.toml"
    return (
        f"{inputs}: no such folder; run pack plan in the folder above your inputs, or name "
        "the inputs folder (the one that holds pack.toml): pack plan path/to/inputs"
    )


def plan_command(
    inputs: Path,
    *,
    sheet: str | None,
    publish: bool,
    out_dir: Path,
    today: dt.date,
    window: Window | None,
    progress: Callable[[str], None] | None,
) -> PlanResult:
    """Read (or publish) the plan in `inputs`; problems become the result's error, never an
    exception."""
    result = PlanResult()
    missing = _folder_problem(inputs)
    if missing:
        result.error = missing
        result.data = {"problems": [], "error": missing}
        return result
    if publish:
        if sheet:
            result.error = "--sheet is not used with --publish: set plan_sheet in pack.toml"
            result.data = {"problems": [], "error": result.error}
            return result
        return _publish(inputs, out_dir, window or window_for(today), today, progress)
    plan, problems = read_plan(inputs, sheet)
    result.problems = problems
    errors = [p for p in problems if p.level == "error"]
    if plan is None or errors:
        where = problems[0].path if problems else inputs
        result.error = (
            f"{where}: the action plan could not be read ({plural(len(errors), 'error')}); "
            "fix the problems above and run again"
        )
        result.data = {"problems": problems_json(problems), "error": result.error}
        return result
    result.data = {**plan_json(plan), "problems": problems_json(problems)}
    for theme in plan.themes:
        actions = sum(len(g.actions) for g in theme.goals)
        result.lines.append(
            f"{theme.name}: {plural(len(theme.goals), 'goal')}, {plural(actions, 'action')}"
        )
    result.lines.append(f"priorities: {', '.join(plan.columns) or '(none)'}")
    for _, row, line in grouped(plan.repairs):
        result.lines.append(f"{plan.path}:{row}: repaired: {line}")
    if plan.repairs:
        result.lines.append("(pack plan --json lists every repair with its cell)")
    return result


def _publish(
    inputs: Path,
    out_dir: Path,
    window: Window,
    today: dt.date,
    progress: Callable[[str], None] | None,
) -> PlanResult:
    from pipeline.publish.outputs import publish

    result = PlanResult()
    say = progress or (lambda message: None)
    try:
        written = publish(inputs, window, today, out_dir / "publish", say, result.problems)
    except PackError as exc:
        result.error = str(exc)
        result.data = {"problems": problems_json(result.problems), "error": result.error}
        return result
    result.lines = [str(path) for path in written.paths]
    result.data = {
        "paths": [str(path) for path in written.paths],
        "reused": [str(path) for path in written.reused],
        "problems": problems_json(result.problems),
    }
    return result
