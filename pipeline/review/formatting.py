"""What a tracked formatting change did, in words: `italic`, `not bold`, `list level 2 to 3`,
`style body text to quote`. Word keeps the properties a change replaced inside it
(`w:rPrChange`, `w:pPrChange`); they are compared with the properties the text has now."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from pipeline.word.package import W

if TYPE_CHECKING:
    from pipeline.word.package import Lookups

_TOGGLES = {
    "b": "bold",
    "i": "italic",
    "strike": "struck out",
    "dstrike": "double struck out",
    "caps": "capitals",
    "smallCaps": "small capitals",
    "vanish": "hidden",
}
_VALUES = {
    "rFonts": "font",
    "sz": "size",
    "color": "colour",
    "highlight": "highlight",
    "shd": "shading",
    "rStyle": "character style",
    "vertAlign": "superscript or subscript",
    "u": "underline",
}


def paragraph_change(now: Any, change: Any, lookups: Lookups) -> str:
    """What a paragraph's formatting change did: its style, list level, alignment..."""
    before = change.find(f"{W}pPr")
    said: list[str] = []
    styles = [_value(p, "pStyle") for p in (before, now)]
    if styles[0] != styles[1]:
        names = [lookups.style_name(s) or "none" for s in styles]
        said.append(f"style {names[0]} to {names[1]}")
    levels = [_level(p) for p in (before, now)]
    if levels[0] != levels[1]:
        if levels[0] is None:
            said.append("made a list item")
        elif levels[1] is None:
            said.append("no longer a list item")
        else:
            said.append(f"list level {levels[0] + 1} to {levels[1] + 1}")
    for tag, name in (("jc", "alignment"), ("ind", "indentation"), ("spacing", "spacing")):
        if _attributes(before, tag) != _attributes(now, tag):
            said.append(name)
    return ", ".join(said) or "paragraph formatting"


def _value(props: Any | None, tag: str) -> str | None:
    found = props.find(f"{W}{tag}") if props is not None else None
    return found.get(f"{W}val") if found is not None else None


def _level(props: Any | None) -> int | None:
    num = props.find(f"{W}numPr") if props is not None else None
    if num is None or _value(num, "numId") == "0":
        return None
    level = _value(num, "ilvl")
    return int(level) if level and level.isdigit() else 0


def _attributes(props: Any | None, tag: str) -> dict[str, str]:
    found = props.find(f"{W}{tag}") if props is not None else None
    return dict(found.attrib) if found is not None else {}


def _on(props: Any | None, tag: str) -> bool:
    found = props.find(f"{W}{tag}") if props is not None else None
    if found is None:
        return False
    return found.get(f"{W}val", "true").lower() not in ("0", "false", "off", "none")


def run_change(now: Any, change: Any) -> str:
    """What a run's formatting change did: `italic`, `not bold`, `font`..."""
    before = change.find(f"{W}rPr")
    said = []
    for tag, name in _TOGGLES.items():
        was, is_ = _on(before, tag), _on(now, tag)
        if was != is_:
            said.append(name if is_ else f"not {name}")
    for tag, name in _VALUES.items():  # a value set where none was is often a program's own
        new, old = _attributes(now, tag), _attributes(before, tag)
        if new and new != old and (old or tag in ("rStyle", "vertAlign", "u")):
            said.append(name)
    return ", ".join(said) or "formatting"
