"""A mark on the action plan's table named by its goal and its action's row in the spreadsheet.

The plan is read as `pack check` reads it; a mark's words (or, for a note in the margin, the
line nearest it) are looked for in each action, success measure and goal: the one action they
are in is named with its row (`action-plan.xlsx:14`), else the one goal.
"""

from __future__ import annotations

import unicodedata
from pathlib import Path

from pipeline.annotations.place import Placed
from pipeline.errors import InputError


def _plain(text: str) -> str:
    return " ".join(unicodedata.normalize("NFKC", text).casefold().split())


def plan_rows(placed: list[Placed], indexes: list[int], inputs: Path, name: str) -> dict[int, str]:
    """Item index -> where on the plan its mark is, for each mark whose words are found."""
    from pipeline.form import load_form
    from pipeline.plan.read import load_plan
    from pipeline.settings import peek

    settings = peek(inputs)
    framework = settings.get("framework")
    sheet = settings.get("plan_sheet")
    try:
        form = load_form(framework if isinstance(framework, str) else "initial", inputs)
        plan, _ = load_plan(inputs / name, form.themes, sheet if isinstance(sheet, str) else None)
    except (InputError, OSError):
        return {}
    if plan is None:
        return {}
    found: dict[int, str] = {}
    for place, index in zip(placed, indexes, strict=True):
        spot = place.context if place.context is not None else place.located
        words = _plain(spot.quote) if spot else ""
        if len(words) < 4:
            continue
        actions = [
            (goal, action)
            for theme in plan.themes
            for goal in theme.goals
            for action in goal.actions
            if words in _plain(action.text) or words in _plain(action.measure)
        ]
        goals = {goal.code for goal, _ in actions} or {
            goal.code
            for theme in plan.themes
            for goal in theme.goals
            if words in _plain(goal.title)
        }
        if len(actions) == 1:
            goal, action = actions[0]
            found[index] = f"{name}:{action.row} ({goal.code}: {goal.title})"
        elif len(goals) == 1:
            code = goals.pop()
            title = next(g.title for t in plan.themes for g in t.goals if g.code == code)
            found[index] = f"{name} ({code}: {title})"
    return found
