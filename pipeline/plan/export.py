"""The action plan out again as JSON (`pack plan --json`): the plan as read, every repair with
its cell, and the problems found."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from collections.abc import Iterable

    from pipeline.model import Plan, Problem


def year_columns(plan: Plan) -> list[str]:
    """The years the plan's actions name, in order, then `All`, then `(none)` when an action
    names none: the summary's columns (an action of `2023/All` counts under both)."""
    parts = {p for a in plan.actions for p in (a.years or ("(none)",))}
    years = sorted(p for p in parts if p.isdigit())
    return (
        years
        + [p for p in ("All", "(none)") if p in parts]
        + sorted(p for p in parts if not p.isdigit() and p not in ("All", "(none)"))
    )


def counts_by_year(actions: Iterable[Any], years: list[str]) -> list[int]:
    """How many of `actions` name each of `years` (an action naming two counts under both)."""
    found = [a.years or ("(none)",) for a in actions]
    return [sum(year in parts for parts in found) for year in years]


def problems_json(problems: Iterable[Problem]) -> list[dict[str, Any]]:
    """Problems as `pack check --json` gives them."""
    return [
        {
            "path": str(p.path),
            "line": p.line,
            "level": p.level,
            "code": p.code,
            "message": p.message,
        }
        for p in problems
    ]


def plan_json(plan: Plan) -> dict[str, Any]:
    """The plan as read, with every repair made on the way (row and cell)."""
    return {
        "columns": list(plan.columns),
        "themes": [
            {
                "name": theme.name,
                "aim": theme.aim,
                "goals": [
                    {
                        "code": goal.code,
                        "title": goal.title,
                        "actions": [
                            {
                                "action": action.text,
                                "measure": action.measure,
                                "year": action.year,
                                "years": list(action.years),
                                "alignment": action.alignment,
                                "flags": dict(zip(plan.columns, action.flags, strict=True)),
                            }
                            for action in goal.actions
                        ],
                    }
                    for goal in theme.goals
                ],
            }
            for theme in plan.themes
        ],
        "repairs": [
            {"row": r.row, "cell": r.cell, "kind": r.kind, "message": r.message}
            for r in plan.repairs
        ],
    }
