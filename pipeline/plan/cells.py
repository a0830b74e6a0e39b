"""What one cell of the plan means: ticks, years, debris, and text cut across cells."""

from __future__ import annotations

import re
from dataclasses import dataclass

TICKS = {"x", "х", "✓", "✔", "y", "yes", "true", "1"}  # the second is Cyrillic
_CYRILLIC = {"х"}
_ALL_WORDS = {"all", "aii", "ail", "a11", "every year", "ongoing", "throughout"}
_YEAR = re.compile(r"(?<!\d)(\d{4})(?!\d)")
_RANGE = re.compile(r"(?<!\d)(\d{4})\s*(?:[-–]|to)\s*(\d{4})(?!\d)", re.I)
DEBRIS = " ,;.:-–"
"""What a stray cell holds: punctuation an export left behind."""


def column_letter(index: int) -> str:
    """`A` for column 0, `AA` for column 26: how a spreadsheet names a column."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def is_debris(cell: str) -> bool:
    """A cell holding only punctuation (a stray `,`), or nothing."""
    return not cell.strip(DEBRIS + " \t")


def read_tick(cell: str) -> tuple[bool, str | None]:
    """Whether a cell is a tick, and what was repaired to read it so (`x x x`: marks that
    overflowed merged cells; Cyrillic `х`, which looks like `x`)."""
    marks = cell.strip().lower().split()
    if not marks or not all(m in TICKS for m in marks):
        return False, None
    if len(marks) > 1:
        return True, "overflow"
    if marks[0] in _CYRILLIC:
        return True, "cyrillic"
    return True, None


def is_tick(cell: str) -> bool:
    """`x`, `X`, Cyrillic `х`, `✓`, `yes`, and repeated marks such as `x x x` are ticks."""
    return read_tick(cell)[0]


@dataclass(frozen=True, slots=True)
class Year:
    """A year cell: its words as the author typed them, and what they name."""

    shown: str
    """The text, spacing tidied (`2023/ 2024` shows as `2023/2024`)."""
    parts: tuple[str, ...]
    """Each year it names, then `All` (`2023/All`: 2023 and All); empty when not understood."""
    note: str | None = None
    """What was read through to understand it (`AII` read as All)."""


def tidy(text: str) -> str:
    """Spacing tidied: no spaces around `/`, `-` or `–` between words, single spaces."""
    text = re.sub(r"\s*([/–-])\s*", r"\1", text.strip())
    return re.sub(r"\s+", " ", text)


def read_year(cell: str) -> Year:
    """`All`, `2027`, `2027/2028`, `2027- 2029` (2027, 2028 and 2029), `2023/All`; `AII` (a
    capital I typed for l) read as All. Text not understood keeps no parts (`pack check`
    warns)."""
    shown = tidy(cell)
    if not shown:
        return Year("", ())
    years = {int(y) for y in _YEAR.findall(shown)}
    for first, last in _RANGE.findall(shown):
        low, high = sorted((int(first), int(last)))
        if high - low <= 10:
            years.update(range(low, high + 1))
    rest = _YEAR.sub(" ", shown)
    words = [w for w in re.split(r"[\s/,;&–-]+|\bto\b|\band\b", rest, flags=re.I) if w.strip()]
    words = [w.strip(" .") for w in words]
    typo = None
    has_all = False
    if len(words) == 1 and words[0].lower() in _ALL_WORDS:
        has_all = True
        if words[0].lower() not in ("all", "every year", "ongoing", "throughout"):
            typo = words[0]
    elif words and " ".join(words).lower() in _ALL_WORDS:
        has_all = True
    elif words:
        return Year(shown, ())
    parts = tuple(str(y) for y in sorted(years)) + (("All",) if has_all else ())
    note = None
    if typo:
        note = f"year {typo!r} read as All" + (" (a capital I typed for l)" if "I" in typo else "")
    return Year(shown, parts, note)


def join_cut(first: str, second: str, vocabulary: set[str]) -> str:
    """Text cut across two cells mid-word (`Grow a resi` | `ilient workforce`), joined again.

    An export may double a letter or two at the cut, or lose one: of the joins (with a space,
    straight, with one or two doubled letters dropped, with a lost letter of a known word put
    back) the one whose words at the cut are known words wins; a doubled letter is dropped
    when none is known."""
    first, second = first.rstrip(), second.lstrip()
    if not first or not second:
        return first or second
    if first[-1] in ".,;:!?" or not second[0].isalnum():
        return f"{first} {second}"
    head = re.search(r"(\w*)$", first)
    tail = re.match(r"(\w*)", second)
    a = head[1] if head else ""
    b = tail[1] if tail else ""
    left, right = first[: len(first) - len(a)], second[len(b) :]
    candidates: list[tuple[int, int, str]] = []  # (known words, preference, junction)

    def known(*words: str) -> int:
        return sum(w.lower() in vocabulary for w in words if w)

    # when no join makes known words: a doubled letter dropped, then two, then a straight join
    candidates.append((2 * known(a + b), 1, a + b))
    for k in (1, 2):
        if len(a) > k and len(b) > k and a[-k:].lower() == b[:k].lower():
            candidates.append((2 * known(a + b[k:]), 4 - k, a + b[k:]))
    candidates.append((known(a) + known(b) if a and b else 0, 0, f"{a} {b}"))
    for word in vocabulary:
        if (
            len(word) == len(a) + len(b) + 1
            and word.startswith(a.lower())
            and word.endswith(b.lower())
        ):
            candidates.append((2, 0, a + word[len(a)] + b))
    best = max(candidates, key=lambda c: (c[0], c[1]))
    return left + best[2] + right
