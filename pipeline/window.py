"""Submission windows: the end of January and the end of July."""

from __future__ import annotations

import calendar
import datetime as dt
import re
from typing import NamedTuple

from pipeline.errors import InputError


class Window(NamedTuple):
    """A submission window, named by the month whose end is its deadline.

    A named tuple, not a dataclass: it is read before anything heavy is imported (a rebuild
    with nothing to do decides that in a few hundredths of a second), and `dataclasses`
    alone would cost a tenth of that."""

    year: int
    month: int
    """1 (January) or 7 (July)."""

    @property
    def month_name(self) -> str:
        return calendar.month_name[self.month]

    @property
    def deadline(self) -> dt.date:
        return dt.date(self.year, self.month, calendar.monthrange(self.year, self.month)[1])

    def title(self, institution: str, draft: bool = False) -> str:
        """The form's own wording: `University of Example/January/2027`; a draft's starts
        `DRAFT: `, so that it cannot be taken for the final pack."""
        return f"{'DRAFT: ' if draft else ''}{institution}/{self.month_name}/{self.year}"

    def file_stem(self, institution: str, draft: bool = False) -> str:
        """`University-of-Example_January_2027`: words joined by hyphens, safe on every OS; a
        draft's ends `_DRAFT`."""
        words = re.findall(r"[^\W_]+(?:['’.][^\W_]+)*", institution)
        name = "-".join(w.replace("'", "").replace("’", "").replace(".", "") for w in words)
        return f"{name or 'Pack'}_{self.month_name}_{self.year}{'_DRAFT' if draft else ''}"


def window_for(day: dt.date) -> Window:
    """The window a build dated `day` targets: Aug..Jan the January one, Feb..Jul the July one."""
    if day.month >= 8:
        return Window(day.year + 1, 1)
    if day.month == 1:
        return Window(day.year, 1)
    return Window(day.year, 7)


def parse_window(text: str) -> Window:
    """Read `--window YYYY-MM`, where MM is 01 or 07."""
    match = re.fullmatch(r"(\d{4})-(\d{1,2})", text.strip())
    if not match or int(match[2]) not in (1, 7):
        raise InputError(
            f"window {text!r}: give YYYY-01 or YYYY-07 (windows close end of January and July)"
        )
    return Window(int(match[1]), int(match[2]))


WARN_DAYS = 14
"""A build in the last days before a deadline is warned."""


def deadline_problem(window: Window, today: dt.date) -> tuple[str, str, str] | None:
    """(level, code, message) when the window has closed or is about to; else None."""
    days = (window.deadline - today).days
    name = f"{window.month_name} {window.year}"
    if days < 0:
        return (
            "error",
            "window-passed",
            f"the {name} window closed {-days} days ago; pass --window for a later one",
        )
    if days < WARN_DAYS:
        return (
            "warning",
            "window-close",
            f"{days} days left before the {name} deadline ({window.deadline}); send the pack "
            "by then, or pass --window for a later one",
        )
    return None
