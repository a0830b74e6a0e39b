"""What is left to do, as the preview's side panel shows it: `pack check`'s findings, each
question's words against its limit, the window and the days left, the plan's actions per theme
and year, the appendices with their pages. Plain data (JSON for the browser), made from the
same readers `pack check` and the build use, whether or not the pack could be built.
"""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pipeline.inputs.check import check, summary
from pipeline.inputs.load import load_all
from pipeline.markdown.syntax import count_words
from pipeline.plan.html import summary_rows
from pipeline.render.template import FORM_OUTLINE, plan_title
from pipeline.window import Window, window_for

if TYPE_CHECKING:
    from pipeline.inputs.load import Loader
    from pipeline.model import Problem
    from pipeline.preview.pages import Section


def split_fix(message: str) -> tuple[str, str]:
    """`247 words, 3 over the limit of 250; shorten it` -> what is wrong, and what to do: the
    check's messages say the second after the first `; ` outside brackets (none: no fix)."""
    depth = 0
    for index, char in enumerate(message):
        depth += char in "([{"
        depth -= char in ")]}"
        if depth == 0 and message.startswith("; ", index):
            return message[:index], message[index + 2 :]
    return message, ""


def _shown(path: Path, root: Path) -> str:
    """A path as the lead knows it: relative to the inputs folder's parent where it can be."""
    try:
        return str(path.relative_to(root.parent))
    except ValueError:
        return os.path.relpath(path, root.parent)


def finding(problem: Problem, root: Path) -> dict[str, Any]:
    what, fix = split_fix(problem.message)
    where = _shown(problem.path, root) + (f":{problem.line}" if problem.line else "")
    return {"where": where, "level": problem.level, "code": problem.code, "message": what,
            "fix": fix}  # fmt: skip


def _words(loader: Loader, root: Path) -> list[dict[str, Any]]:
    if loader.form is None:
        return []
    answers = {answer.number: answer for answer in loader.read_answers}
    rows = []
    for question in loader.form.questions:
        answer = answers.get(question.number)
        written = answer is not None and answer.path.is_file()
        rows.append({
            "question": question.number,
            "title": question.title,
            "file": _shown(answer.path, root) if written and answer else "",
            "words": count_words(answer.text) if written and answer else None,
            "limit": question.limit,
        })  # fmt: skip
    return rows


def _window(window: Window, today: dt.date) -> dict[str, Any]:
    deadline = window.deadline
    return {
        "name": f"{window.month_name} {window.year}",
        "deadline": f"{deadline:%A} {deadline.day} {deadline:%B %Y}",
        "days": (deadline - today).days,
    }


def _plan(loader: Loader, root: Path) -> dict[str, Any] | None:
    if loader.plan is None:
        return None
    head, rows = summary_rows(loader.plan)
    return {"file": _shown(loader.plan.path, root), "head": head, "rows": rows}


def _appendices(
    loader: Loader, root: Path, sections: tuple[Section, ...], total: int
) -> list[dict[str, Any]]:
    """Each appendix with the page it starts on in the pack and its number of pages (None
    while it is not in the pack built last)."""
    parts = [s for s in sections if s.level == 0]
    ends = [after.page for after in parts[1:]] + [total + 1]
    found = {
        part.title: (part.page, end - part.page) for part, end in zip(parts, ends, strict=True)
    }
    rows = []
    for appendix in loader.read_appendices:
        page, pages = found.get(appendix.heading, (None, None))
        rows.append({"heading": appendix.heading, "file": _shown(appendix.path, root),
                     "page": page, "pages": pages})  # fmt: skip
    return rows


def titles(loader: Loader) -> dict[str, str]:
    """Each input file (resolved) -> the outline entry its part starts at: the page to show
    when it is saved."""
    found: dict[str, str] = {}
    if loader.form is None:
        return found
    found[str((loader.root / "pack.toml").resolve())] = FORM_OUTLINE  # the form's first page
    for answer in loader.read_answers:
        question = next((q for q in loader.form.questions if q.number == answer.number), None)
        if question is not None:
            found[str(answer.path.resolve())] = question.heading
    if loader.plan is not None:
        found[str(loader.plan.path.resolve())] = plan_title(loader.form)
    for appendix in loader.read_appendices:
        found[str(appendix.path.resolve())] = appendix.heading
    return found


def left_to_do(
    root: Path, today: dt.date, window: Window | None, draft: bool,
    sections: tuple[Section, ...], pages: int,
) -> tuple[dict[str, Any], dict[str, str]]:  # fmt: skip
    """The side panel's contents, and `titles` (what to show when a file is saved)."""
    _, problems = check(root, today, window, draft=draft)
    _, loader = load_all(root)
    panel = {
        "findings": [finding(problem, root) for problem in problems],
        "summary": summary(problems),
        "words": _words(loader, root),
        "window": _window(window or window_for(today), today),
        "plan": _plan(loader, root),
        "appendices": _appendices(loader, root, sections, pages),
    }
    return panel, titles(loader)
