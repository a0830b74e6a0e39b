"""File names in the inputs folder: which answer a file is, and where appendices go.

A file in answers/ that is not Markdown is never read, so it is named (a Word answer left there
is otherwise reported as a missing answer, the file itself never mentioned); appendices whose
names leave their order to chance (two numbered alike, or one with no number) are named with
the fix.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import TYPE_CHECKING

from pipeline.model import Appendix, Problem

if TYPE_CHECKING:
    from pipeline.form import Question

NUMBERED = re.compile(r"^(\d+)[-_ .]")
"""A name that starts with a number: `2-definition.md`, `02_terms.pdf`."""
_PICTURES = frozenset({".png", ".jpg", ".jpeg", ".gif", ".bmp", ".tif", ".tiff", ".svg", ".webp"})


def _skipped(path: Path) -> bool:
    """Hidden files and Office lock files, never part of the pack."""
    return path.name.startswith((".", "~$"))


def answer_files(folder: Path) -> tuple[dict[int | None, list[Path]], dict[int | None, list[Path]]]:
    """The files of answers/ by question number (None: no number), Markdown ones and others
    (pictures aside: a Markdown file may show one kept beside it)."""
    markdown: dict[int | None, list[Path]] = {}
    others: dict[int | None, list[Path]] = {}
    if not folder.is_dir():
        return markdown, others
    for path in sorted(folder.iterdir()):
        if _skipped(path) or path.is_dir() or path.suffix.lower() in _PICTURES:
            continue  # a pipe or a link leading out is kept: the loader refuses it by name
        match = NUMBERED.match(path.name)
        number = int(match[1]) if match else None
        (markdown if path.suffix == ".md" else others).setdefault(number, []).append(path)
    return markdown, others


def slug(title: str) -> str:
    """`Profile of the organisation` -> `profile-of-the-organisation` (at most five words)."""
    words = re.findall(r"[a-z0-9]+", title.lower())
    return "-".join(words[:5]) or "answer"


def answer_path(folder: Path, question: Question) -> Path:
    """Where the answer to `question` goes, named as `pack init` names it."""
    return folder / f"{question.number}-{slug(question.title)}.md"


def appendix_names(appendices: tuple[Appendix, ...]) -> list[Problem]:
    """Warnings for appendices whose place is left to the alphabet: a number shared with
    another, or no number at all; each with a free number to give it."""
    found: list[Problem] = []
    numbers = [NUMBERED.match(a.path.name) for a in appendices]
    used = {int(m[1]) for m in numbers if m}
    width = max((len(m[1]) for m in numbers if m), default=1)
    free = max(used, default=0) + 1
    seen: dict[int, Path] = {}
    for appendix, match in zip(appendices, numbers, strict=True):
        path = appendix.path
        if match is None:
            found.append(
                Problem(
                    path,
                    None,
                    "warning",
                    "appendix-unnumbered",
                    "no number at the start of the name, so its place among the appendices "
                    f"is left to the alphabet; rename it, e.g. {free:0{width}d}-{path.name}",
                )
            )
            free += 1
            continue
        number = int(match[1])
        if number in seen:
            rest = path.name[match.end() :]
            found.append(
                Problem(
                    path,
                    None,
                    "warning",
                    "appendix-number-twice",
                    f"numbered {match[1]} like {seen[number].name}, so which comes first is left "
                    f"to the alphabet; give it a number of its own, e.g. {free:0{width}d}-{rest}",
                )
            )
            free += 1
            continue
        seen[number] = path
    return found
