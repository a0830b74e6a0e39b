"""Wording shared by every message the tool prints."""

from __future__ import annotations


def plural(count: int, word: str, many: str | None = None) -> str:
    """`1 error`, `2 errors`; `many` where the plural is not the word and an s (`replies`)."""
    return f"{count} {word if count == 1 else many or word + 's'}"
