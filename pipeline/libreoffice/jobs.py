"""What a converter is asked to do: a document (`Job`), the parts of a pack numbered as one
(`PackPart`), and the pages of a pack wanted before the rest (`FirstPages`)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any


@dataclass(frozen=True)
class Job:
    """One document to convert."""

    source: Path
    target: Path
    fill: dict[str, str] = field(default_factory=dict)
    """Contents placeholders, left blank where nothing numbers them (`soffice --convert-to`;
    a pack's numbers come through `PackPart`)."""
    to: str = "pdf"
    name: Path | None = None
    """The user's file `source` was made from, for messages (an appendix's own file)."""


@dataclass(frozen=True)
class PackPart:
    """One part of a pack to convert numbered as one document: a document (`source`, `target`),
    or the page count of a part not converted now (converted before, or a PDF appendix)."""

    source: Path | None = None
    target: Path | None = None
    pages: int = 0
    fill: dict[str, int] = field(default_factory=dict)
    """Contents placeholders -> the index of the part whose first page each shows."""
    name: Path | None = None
    """The user's file it was made from (an appendix), named in messages."""


@dataclass(frozen=True)
class FirstPages:
    """Pages of a pack wanted before the rest (the page in view in `pack preview`): once every
    part is numbered, LibreOffice exports them on their own, and `shown` gets that PDF (read it
    there and then: it is removed after) with the pack's number of its first page, before the
    parts are exported whole."""

    first: int
    last: int
    shown: Callable[[Path, int], None]

    def reading(self, written: dict[int, Path]) -> Callable[[dict[str, Any]], None]:
        """What to do with the worker's line saying that a part's first pages are written
        (to `written`, by the part's index): hand them to `shown`."""

        def told(line: dict[str, Any]) -> None:
            path = written.get(int(line["first"]))
            if path is not None and path.is_file():
                self.shown(path, int(line["page"]))

        return told
