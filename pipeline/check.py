"""`pack check`: everything wrong with the pack, in the order of the form, without LibreOffice."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from urllib.parse import urlparse

from pipeline.form import Form, load_form
from pipeline.load import key_line, load
from pipeline.markdown import count_words
from pipeline.model import Pack, Problem
from pipeline.window import Window, window_for

_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
WARN_DAYS = 14


def _order(problem: Problem, root: Path) -> tuple[int, int, str, int]:
    """pack.toml, then answers by question, then the plan, then appendices: the form's order."""
    path = problem.path
    name = path.name
    if name == "pack.toml":
        rank, number = 0, 0
    elif path.parent.name == "answers":
        match = re.match(r"\d+", name)
        rank, number = 1, int(match[0]) if match else 99
    elif name.startswith("action-plan"):
        rank, number = 2, 0
    elif path.parent.name == "appendices":
        rank, number = 3, 0
    else:
        rank, number = 4, 0
    return rank, number, str(path), problem.line or 0


def _semantics(pack: Pack, form: Form, today: dt.date) -> list[Problem]:
    problems: list[Problem] = []
    toml = pack.root / "pack.toml"
    text = toml.read_text(encoding="utf-8-sig")

    def at(key: str, code: str, message: str, level: str = "error") -> None:
        problems.append(Problem(toml, key_line(text, key), level, code, message))

    if not _EMAIL.match(pack.lead.email):
        at("lead.email", "email", f"lead.email {pack.lead.email!r} is not an e-mail address")
    url = urlparse(pack.website)
    if url.scheme not in ("http", "https") or not url.netloc:
        at("website", "url", f"website {pack.website!r} must be an absolute http(s) URL")
    if pack.date_joined > today:
        at("date_joined", "date-future", f"date_joined {pack.date_joined} is in the future")
    for question in form.questions:
        answer = next((a for a in pack.answers if a.number == question.number), None)
        if answer is None or question.limit is None:
            continue
        words = count_words(answer.text)
        if words > question.limit:
            problems.append(
                Problem(
                    answer.path,
                    None,
                    "error",
                    "word-limit",
                    f"{words} words, {words - question.limit} over the limit of {question.limit}; shorten it",
                )
            )
    return problems


def check(
    root: Path, today: dt.date, window: Window | None = None
) -> tuple[Pack | None, list[Problem]]:
    """Load and validate the pack in `root` as of `today`; problems in the order of the form."""
    pack, problems = load(root)
    if pack is not None:
        form = load_form(pack.framework)
        problems += _semantics(pack, form, today)
        target = window or window_for(today)
        days = (target.deadline - today).days
        toml = root / "pack.toml"
        if days < 0:
            problems.append(
                Problem(
                    toml,
                    None,
                    "error",
                    "window-passed",
                    f"the {target.month_name} {target.year} window closed {-days} days ago; pass --window for a later one",
                )
            )
        elif days < WARN_DAYS:
            problems.append(
                Problem(
                    toml,
                    None,
                    "warning",
                    "window-close",
                    f"{days} days left before the {target.month_name} {target.year} deadline ({target.deadline})",
                )
            )
    problems.sort(key=lambda p: _order(p, root))
    if any(p.level == "error" for p in problems):
        pack = None
    return pack, problems


def _plural(count: int, word: str) -> str:
    return f"{count} {word}{'' if count == 1 else 's'}"


def summary(problems: list[Problem]) -> str:
    """`2 errors, 1 warning`."""
    errors = sum(p.level == "error" for p in problems)
    return f"{_plural(errors, 'error')}, {_plural(len(problems) - errors, 'warning')}"
