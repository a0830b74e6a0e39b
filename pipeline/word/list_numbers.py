"""The numbers Word shows for list items, worked out as Word keeps its counters: one set per
abstract list definition, an instance's `startOverride` restarting it on first use, deeper
levels restarting under a new item above them."""

from __future__ import annotations

from typing import Any

from pipeline.word.package import Lookups, W


class ListNumbers:
    """The numbers Word shows for list items: counters per abstract list, as Word keeps them."""

    def __init__(self, root: Any | None, lookups: Lookups) -> None:
        self.nums: dict[str, Any] = {}
        self.abstracts: dict[str, Any] = {}
        if root is not None:
            for num in root.iter(f"{W}num"):
                self.nums[num.get(f"{W}numId", "")] = num
            for abstract in root.iter(f"{W}abstractNum"):
                self.abstracts[abstract.get(f"{W}abstractNumId", "")] = abstract
        self.lookups = lookups
        self.counters: dict[str, list[int | None]] = {}
        self.seen: set[tuple[str, int]] = set()

    def _abstract(self, num_id: str) -> tuple[str, Any | None]:
        for _ in range(3):  # a list style may point to another numbering definition
            num = self.nums.get(num_id)
            ref = num.find(f"{W}abstractNumId") if num is not None else None
            abstract_id = ref.get(f"{W}val", "") if ref is not None else ""
            abstract = self.abstracts.get(abstract_id)
            link = abstract.find(f"{W}numStyleLink") if abstract is not None else None
            if link is None:
                return abstract_id, abstract
            style = self.lookups.inherited(link.get(f"{W}val"), "num")
            if style is None:
                return abstract_id, abstract
            num_id = style[0]
        return "", None

    def _level(self, num_id: str, level: int) -> tuple[str, int]:
        """(kind, start) of a list level."""
        num = self.nums.get(num_id)
        start = None
        definition = None
        for override in num.iter(f"{W}lvlOverride") if num is not None else ():
            if override.get(f"{W}ilvl") == str(level):
                value = override.find(f"{W}startOverride")
                if value is not None:
                    start = as_int(value.get(f"{W}val"), 1)
                definition = override.find(f"{W}lvl")
        _, abstract = self._abstract(num_id)
        if definition is None and abstract is not None:
            definition = next(
                (lvl for lvl in abstract.iter(f"{W}lvl") if lvl.get(f"{W}ilvl") == str(level)),
                None,
            )
        fmt = definition.find(f"{W}numFmt") if definition is not None else None
        kind = "bullet" if fmt is None or fmt.get(f"{W}val") in ("bullet", "none") else "ordered"
        if start is None:
            first = definition.find(f"{W}start") if definition is not None else None
            start = as_int(first.get(f"{W}val"), 1) if first is not None else 1
        return kind, start

    def item(self, num_id: str, level: int) -> tuple[str, int | None]:
        """(kind, number shown) of the next item of list `num_id` at `level`."""
        kind, start = self._level(num_id, level)
        abstract_id, _ = self._abstract(num_id)
        counters = self.counters.setdefault(abstract_id or f"num{num_id}", [None] * 10)
        level = min(level, 9)
        overridden = self._overrides(num_id, level)
        if (num_id, level) not in self.seen:
            self.seen.add((num_id, level))
            if overridden:
                counters[level] = None
        counters[level] = start if counters[level] is None else counters[level] + 1  # type: ignore[operator]
        for deeper in range(level + 1, 10):
            counters[deeper] = None
        return kind, counters[level] if kind == "ordered" else None

    def saved(self) -> tuple[dict[str, list[int | None]], set[tuple[str, int]]]:
        """The counters as they are, for `restore`."""
        return {key: list(values) for key, values in self.counters.items()}, set(self.seen)

    def restore(self, state: tuple[dict[str, list[int | None]], set[tuple[str, int]]]) -> None:
        """The counters put back as `saved` found them: a paragraph read that Word does not
        number (one joined onto the paragraph before it) counts nothing."""
        self.counters, self.seen = state

    def _overrides(self, num_id: str, level: int) -> bool:
        num = self.nums.get(num_id)
        return num is not None and any(
            o.get(f"{W}ilvl") == str(level) and o.find(f"{W}startOverride") is not None
            for o in num.iter(f"{W}lvlOverride")
        )


def as_int(value: str | None, default: int) -> int:
    try:
        return int(value or "")
    except ValueError:
        return default
