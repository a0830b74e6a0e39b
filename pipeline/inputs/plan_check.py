"""The action plan's checks beyond reading it: an empty plan, the rows repaired, Markdown in
its cells, years inside the plan's months, theme alignments that name a theme."""

from __future__ import annotations

import datetime as dt
import difflib
from dataclasses import replace

from pipeline.form import Form
from pipeline.inputs.lint import lint_markdown
from pipeline.markdown.syntax import has_markup
from pipeline.model import Plan, Problem
from pipeline.plan.repairs import grouped
from pipeline.window import Window


def plan_problems(
    plan: Plan, form: Form, window: Window, earlier: tuple[Problem, ...] = ()
) -> list[Problem]:
    """The plan's problems beyond reading it (`earlier`: what reading it found)."""
    found: list[Problem] = []

    def add(line: int | None, level: str, code: str, message: str) -> None:
        found.append(Problem(plan.path, line, level, code, message))

    if not plan.actions and not any(p.path == plan.path for p in earlier):
        code = form.themes[0].code if form.themes else "V"
        add(
            None,
            "error",
            "plan-empty",
            f"the plan has no actions yet; under each theme's banner row add its goals "
            f"({code}1: ...) and their actions",
        )
    elif plan.actions and not any(p.path == plan.path and p.level == "error" for p in earlier):
        # some themes have actions, and reading found nothing wrong: say which have none
        for theme in plan.themes:
            if not any(goal.actions for goal in theme.goals):
                add(
                    None,
                    "error",
                    "plan-theme-empty",
                    f"no actions under {theme.name!r} yet; add its goals and actions below its "
                    "banner row",
                )
    for _, row, line in grouped(plan.repairs):  # read through; each kind said once
        add(row, "warning", "plan-repaired", line)
    for action in plan.actions:  # cells are Markdown too; a problem's line is the row
        for text in (action.text, action.measure, action.alignment):
            if not has_markup(text):
                continue
            for problem in lint_markdown(plan.path, text):
                found.append(replace(problem, line=action.row))
    start = window.deadline + dt.timedelta(days=1)
    months = start.month - 1 + form.plan_months - 1
    first, last = start.year, start.year + months // 12
    themes = [t.name for t in form.themes]
    lowered = {t.lower(): t for t in themes}
    for action in plan.actions:
        years = [int(y) for y in action.years if y.isdigit()]
        if not action.year.strip():
            add(
                action.row,
                "warning",
                "plan-year-missing",
                f'no year for "{action.text}"; write the year it happens (2027), a range '
                "(2027/2028) or All",
            )
        elif years:
            outside = [y for y in years if not first <= y <= last]
            if outside:
                add(
                    action.row,
                    "error",
                    "plan-year-horizon",
                    f"year {outside[0]} is outside the plan's {form.plan_months} months ({first}-{last}); "
                    "give a year within them",
                )
        elif not action.years:
            add(
                action.row,
                "warning",
                "plan-year-unclear",
                f"year {action.year!r} is not understood; write a year, a range such as 2027/2028, or All",
            )
        alignment = action.alignment.strip()
        if alignment and alignment.lower() not in lowered:
            near = difflib.get_close_matches(alignment, themes, n=1, cutoff=0.6)
            hint = f"; did you mean {near[0]!r}?" if near else f"; use one of {', '.join(themes)}"
            add(
                action.row,
                "warning",
                "plan-alignment",
                f"theme alignment {alignment!r} is not a theme{hint}",
            )
    return found
