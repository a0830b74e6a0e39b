"""pack.toml's fields, once TOML has read it: every key known (or a did-you-mean), every
required field there and of its type, dates as dates."""

from __future__ import annotations

import datetime as dt
import difflib
import re
from collections.abc import Callable
from pathlib import Path

from pipeline.inputs.hints import date_type
from pipeline.inputs.signatures import KEYS as SIGNATURE_KEYS
from pipeline.model import DEFAULT_LANGUAGE, Problem
from pipeline.settings import key_line

_KNOWN = {
    "": (
        "institution",
        "framework",
        "date_joined",
        "website",
        "lead",
        "leader",
        "signoff",
        "plan_sheet",
        "language",
        "accept_changes",
    ),
    "lead": ("name", "email", "role"),
    "leader": ("name", "email", "role"),
    "signoff": ("lead", "leader", *SIGNATURE_KEYS),
}
_REQUIRED = (
    ("institution", str),
    ("date_joined", dt.date),
    ("website", str),
    ("lead.name", str),
    ("lead.email", str),
    ("leader.name", str),
)


LANGUAGE_TAG = re.compile(r"[A-Za-z]{2,3}(-[A-Za-z0-9]{1,8})*")
"""A BCP 47 language tag, as PDF's `/Lang` and HTML's `lang` take it."""
_OPTIONAL_TEXT = ("framework", "plan_sheet")
"""Fields that may be left out, but are text when given."""


def _missing(key: str, value: object, kind: type) -> str:
    """What to write for a required field that is missing (None) or empty."""
    if value == "":
        return f"{key} is empty; fill it in"
    if kind is dt.date:
        return f"{key} is missing; add it, e.g. {key} = 2025-05-14 (no quotes)"
    return f"{key} is missing; add it"


def _lookup(data: dict[str, object], key: str) -> object:
    value: object = data
    for part in key.split("."):
        value = value.get(part) if isinstance(value, dict) else None
    return value


def field_problems(path: Path, text: str, data: dict[str, object]) -> list[Problem]:
    """Every problem with pack.toml's fields (`text` for their lines)."""
    found: list[Problem] = []

    def problem(key: str, code: str, message: str) -> None:
        found.append(Problem(path, key_line(text, key), "error", code, message))

    _known_keys(data, problem)
    for key, kind in _REQUIRED:
        table = key.partition(".")[0] if "." in key else ""
        if table and not isinstance(data.get(table, {}), dict):
            continue  # the table is not one: said once, above
        value = _lookup(data, key)
        if value is None or value == "":
            problem(key, "field-missing", _missing(key, value, kind))
        elif kind is dt.date and (not isinstance(value, dt.date) or isinstance(value, dt.datetime)):
            problem(key, "field-type", date_type(key, value, "2025-05-14"))
        elif kind is str and not isinstance(value, str):
            name = key.rpartition(".")[2]
            problem(key, "field-type", f'{key} must be text in quotes: {name} = "{value}"')
    for key in _OPTIONAL_TEXT:
        value = _lookup(data, key)
        if value is not None and not isinstance(value, str):
            problem(key, "field-type", f'{key} must be text in quotes: {key} = "{value}"')
    if not isinstance(data.get("accept_changes", False), bool):
        problem(
            "accept_changes",
            "field-type",
            "accept_changes must be true or false, without quotes: accept_changes = true",
        )
    language = data.get("language", DEFAULT_LANGUAGE)
    if not isinstance(language, str) or not LANGUAGE_TAG.fullmatch(language):
        problem(
            "language",
            "field-type",
            'language must be a language tag such as "en-GB" or "cy" (Welsh)',
        )
    for who in ("lead", "leader"):
        value = _lookup(data, f"signoff.{who}")
        if value is not None and (not isinstance(value, dt.date) or isinstance(value, dt.datetime)):
            problem(
                f"signoff.{who}", "field-type", date_type(f"signoff.{who}", value, "2027-01-20")
            )
    return found


def _known_keys(data: dict[str, object], problem: Callable[[str, str, str], None]) -> None:
    """Name every key the form does not know, with the nearest known one."""
    for table, known in _KNOWN.items():
        values = data if not table else data.get(table)
        if table and values is not None and not isinstance(values, dict):
            problem(
                table,
                "field-type",
                f"{table} must be a table: [{table}] on a line of its own, its fields below it",
            )
            continue
        for key in values if isinstance(values, dict) else {}:
            if key in known or (not table and key in _KNOWN):
                continue
            dotted = f"{table}.{key}" if table else key
            near = difflib.get_close_matches(key, known, n=1)
            hint = f"; did you mean {near[0]!r}?" if near else "; delete it"
            problem(dotted, "field-unknown", f"unknown key {dotted!r}{hint}")
