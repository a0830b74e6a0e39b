"""The plan alone, for `pack plan`: read with the framework pack.toml names, without the rest."""

from __future__ import annotations

from pathlib import Path

from pipeline.form import load_form
from pipeline.model import Plan, Problem
from pipeline.plan.read import find_plan, load_plan
from pipeline.settings import peek


def read_plan(inputs: Path, sheet: str | None = None) -> tuple[Plan | None, list[Problem]]:
    """The plan in `inputs`; the sheet from `sheet`, else pack.toml's `plan_sheet`, else found."""
    settings = peek(inputs)  # damaged: pack check says so; the plan can still be read
    form = load_form(str(settings.get("framework", "initial")), inputs)
    path = find_plan(inputs)
    if path is None:
        missing = Problem(
            inputs / "action-plan.xlsx",
            None,
            "error",
            "plan-missing",
            "no action plan (action-plan.xlsx, .csv or .tsv)",
        )
        return None, [missing]
    chosen = sheet or (str(settings["plan_sheet"]) if settings.get("plan_sheet") else None)
    return load_plan(path, form.themes, chosen)
