"""The institution's details in the form: Organisation, Name of Institutional Lead, E-mail,
Date joined (a label with its value beside it, below it, or after a colon), the website from
question 8's answer, and the sign-off's names, dates and signature pictures; then written into
pack.toml, line by line, so that its comments stay and a value already there is never changed
without `--replace`."""

from __future__ import annotations

import datetime as dt
import re
import tomllib
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from pipeline.importer.locate import Piece
from pipeline.word.blocks import Para, Span, TableBlock

_LABELS = {
    "institution": ("organisation", "organization", "institution", "name of organisation",
                    "name of institution", "organisation name", "institution name"),
    "lead.name": ("name of institutional lead", "institutional lead", "nominated institutional lead",
                  "name of nominated institutional lead", "lead", "name of lead"),
    "lead.email": ("e-mail", "email", "e-mail address", "email address", "contact e-mail"),
    "date_joined": ("date joined", "date of joining", "joined", "date signed", "date of signing"),
}  # fmt: skip
Cells = Callable[[Piece], list[list[list[Piece]]]]
"""Reads a table piece as rows of cells of pieces (`Locator.cells`)."""
_DATES = ("%d %B %Y", "%d %b %Y", "%B %d, %Y", "%Y-%m-%d", "%d/%m/%Y", "%d.%m.%Y", "%d-%m-%Y")
_URL = re.compile(r"https?://[^\s<>()\[\]\"']+[^\s<>()\[\]\"'.,;:!?]")


def label_of(text: str) -> str | None:
    key = " ".join(text.lower().replace("*", "").split()).rstrip(":").strip()
    return next((name for name, labels in _LABELS.items() if key in labels), None)


def parse_date(text: str) -> dt.date | None:
    cleaned = re.sub(r"(\d)(st|nd|rd|th)\b", r"\1", " ".join(text.split()))
    for pattern in _DATES:
        try:
            return dt.datetime.strptime(cleaned, pattern).date()
        except ValueError:
            continue
    return None


def _cell_text(cell: list[Piece]) -> str:
    return " ".join(p.block.text.strip() for p in cell if isinstance(p.block, Para)).strip()


@dataclass
class Fields:
    values: dict[str, object] = field(default_factory=dict)
    """Dotted pack.toml key -> value (`lead.name`, `date_joined` as a date)."""
    notes: list[str] = field(default_factory=list)
    """What could not be read as it should (a date that is not one)."""
    signatures: dict[str, Span] = field(default_factory=dict)
    """`lead` / `leader` -> the picture signed in its box."""

    def put(self, key: str, text: str) -> None:
        text = " ".join(text.split())
        if not text or key in self.values:
            return
        if key == "date_joined" or key.startswith("signoff."):
            date = parse_date(text)
            if date is None:
                self.notes.append(f"pack.toml: {key}: {text!r} is not a date; fill it in by hand")
                return
            self.values[key] = date
        else:
            self.values[key] = text


def read_fields(pieces: Iterable[Piece], cells: Cells) -> Fields:
    """The form's fields among `pieces` (the front of the form); `cells` reads a table."""
    fields = Fields()
    for piece in pieces:
        block = piece.block
        if isinstance(block, Para):
            name, _, value = block.text.partition(":")
            key = label_of(name) if value.strip() else None
            if key:
                fields.put(key, value)
        elif isinstance(block, TableBlock):
            _table_fields(fields, cells(piece))
    return fields


def _table_fields(
    fields: Fields, rows: list[list[list[Piece]]], keys: dict[str, str] | None = None
) -> None:
    """Labels with their values beside or below them. `keys` maps a label's key to another
    (in the sign-off, `name` to `leader.name`)."""
    texts = [[_cell_text(cell) for cell in row] for row in rows]
    for r, row in enumerate(texts):
        for c, text in enumerate(row):
            name, _, inline = text.partition(":")
            key = label_of(name) if keys is None else keys.get(" ".join(name.lower().split()))
            if key is None:
                continue
            if inline.strip():
                fields.put(key, inline)
            elif c + 1 < len(row) and not _is_label(row[c + 1], keys):
                fields.put(key, row[c + 1])  # label | value (an empty value: none)
            elif r + 1 < len(texts) and c < len(texts[r + 1]):
                below = texts[r + 1][c]
                if not _is_label(below, keys):
                    fields.put(key, below)


_SIGNOFF_LABELS = frozenset({"name", "signature", "signed", "date", "role", "position", "title"})


def _is_label(text: str, keys: dict[str, str] | None) -> bool:
    if keys is not None:
        return " ".join(text.lower().split()).rstrip(":") in _SIGNOFF_LABELS
    return label_of(text) is not None


def website(answer_text: str, links: Iterable[str]) -> str | None:
    for link in links:
        if link.startswith(("http://", "https://")):
            return link
    found = _URL.search(answer_text)
    return found[0] if found else None


def read_signoff(
    pieces: list[Piece], cells: Cells, fields: Fields, leader_role: bool = True
) -> None:
    """Names, dates and signature pictures of the sign-off's two blocks, the lead's first."""
    who = "lead"
    for piece in pieces:
        block = piece.block
        if isinstance(block, Para):
            text = block.text.lower()
            if "leader" in text or "signatory" in text or "vice-chancellor" in text:
                who = "leader"
            elif "lead" in text:
                who = "lead"
            name, _, value = block.text.partition(":")
            key = {"name": f"{who}.name", "date": f"signoff.{who}"}.get(name.strip().lower())
            if key and value.strip():
                fields.put(key, value)
            _pictures(fields, who, block.spans)
            continue
        rows = cells(piece)
        _table_fields(fields, rows, {"name": f"{who}.name", "date": f"signoff.{who}",
                                     "name:": f"{who}.name"})  # fmt: skip
        for row in rows:
            for cell in row:
                for p in cell:
                    if isinstance(p.block, Para):
                        _pictures(fields, who, p.block.spans)
    leader = fields.values.get("leader.name")
    if leader_role and isinstance(leader, str) and ", " in leader:
        name, role = leader.rsplit(", ", 1)
        fields.values["leader.name"], fields.values["leader.role"] = name, role


def _pictures(fields: Fields, who: str, spans: list[Span]) -> None:
    for span in spans:
        if span.kind == "image" and span.media and who not in fields.signatures:
            fields.signatures[who] = span


# -- pack.toml ---------------------------------------------------------------------------
def toml_value(value: object) -> str:
    if isinstance(value, dt.date):
        return value.isoformat()
    text = str(value).replace("\\", "\\\\").replace('"', '\\"')
    return f'"{text}"'


def _section(lines: list[str], table: str) -> tuple[int, int] | None:
    """The lines of `[table]` (commented out or not): (first line after its header, end)."""
    if not table:
        start = 0
    else:
        header = re.compile(rf"^\s*#?\s*\[{re.escape(table)}\]")
        start = next((i + 1 for i, line in enumerate(lines) if header.match(line)), -1)
        if start < 0:
            return None
    end = next(
        (i for i in range(start, len(lines)) if re.match(r"^\s*#?\s*\[\w", lines[i])), len(lines)
    )
    return start, end


def set_fields(
    text: str, values: dict[str, object], replace: bool
) -> tuple[str, list[str], list[str]]:
    """pack.toml's text with `values` written in: (text, keys written, keys left as they were
    because pack.toml already says something else)."""
    current = tomllib.loads(text)
    lines = text.split("\n")
    written, kept = [], []
    for key, value in values.items():
        table, _, name = key.rpartition(".")
        have = current.get(table, {}) if table else current
        old = have.get(name) if isinstance(have, dict) else None
        if old not in (None, "") and not replace:
            if old != value:
                kept.append(key)
            continue
        if old == value:
            continue
        span = _section(lines, table)
        if span is None:
            lines += ["", f"[{table}]", f"{name} = {toml_value(value)}"]
            written.append(key)
            continue
        start, end = span
        if table and start > 0:
            lines[start - 1] = re.sub(r"^\s*#\s*", "", lines[start - 1])  # `# [signoff]` opened
        pattern = re.compile(
            rf"^(\s*#?\s*){re.escape(name)}\s*=\s*(\"(?:[^\"\\]|\\.)*\"|[^#\s]*)(\s*)(#.*)?$"
        )
        at = next((i for i in range(start, end) if pattern.match(lines[i])), None)
        if at is None:
            last = end
            while last > start and not lines[last - 1].strip():
                last -= 1
            lines.insert(last, f"{name} = {toml_value(value)}")
        else:
            found = pattern.match(lines[at])
            assert found is not None
            comment = f"{found[3] or ' '}{found[4]}" if found[4] else ""
            lines[at] = f"{name} = {toml_value(value)}{comment}"
        written.append(key)
    result = "\n".join(lines)
    tomllib.loads(result)  # written right, or a bug of ours: never a damaged pack.toml
    return result, written, kept
