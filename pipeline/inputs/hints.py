"""What to do about a pack.toml that TOML cannot read, or a date written the wrong way: the
messages name the line as the user wrote it and the line as it should be."""

from __future__ import annotations

import calendar
import datetime as dt
import re

_SETTING = re.compile(r"^\s*([A-Za-z0-9_.-]+)\s*=\s*(.*?)\s*(#.*)?$")
_LOOSE_DATE = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})")
_BARE = re.compile(r"(true|false|[+-]?\d[\d_]*(\.\d+)?|\d{4}-\d{2}-\d{2})")
_LOCATION = re.compile(r"\s*\(at line \d+, column \d+\)|\s*\(at end of document\)")


def no_such_day(year: int, month: int, day: int) -> str | None:
    """Why year-month-day is not a day of the calendar (`February 2027 has 28 days`), or None."""
    if not 1 <= month <= 12:
        return f"there is no month {month}"
    days = calendar.monthrange(year, month)[1]
    if not 1 <= day <= days:
        return f"{calendar.month_name[month]} {year} has {days} days"
    return None


def toml_syntax(text: str, line: int | None, raw: str) -> tuple[int | None, str]:
    """The line and message for a pack.toml that is not valid TOML: what is wrong and the line
    as it should be, where the mistake is a usual one; TOML's own words otherwise. TOML names
    no line for a mistake it finds at the end of the file: the first line that shows one is
    named then."""
    lines = text.splitlines()
    if line and 0 < line <= len(lines):
        hint = _line_hint(lines[line - 1], raw)
        if hint:
            return line, hint
    elif "at end of document" in raw:
        seen: set[tuple[str, str]] = set()
        table = ""
        for number, source in enumerate(lines, start=1):
            stripped = source.split("#")[0].strip()
            if stripped.startswith("["):
                table = stripped.strip("[] ")
            setting = _SETTING.match(source)
            if setting and "Cannot overwrite" in raw:
                if (table, setting[1]) in seen:
                    return number, f"{setting[1]} is set twice; keep one"
                seen.add((table, setting[1]))
            hint = _line_hint(source, "")
            if hint:
                return number, hint
    reason = _LOCATION.sub("", raw)
    return line, (
        f"not valid TOML ({reason[:1].lower()}{reason[1:]}); compare it with the README's pack.toml"
    )


def _line_hint(source: str, raw: str) -> str | None:
    stripped = source.split("#")[0].strip()
    if re.fullmatch(r"\[\s*[A-Za-z0-9_.-]+\s*", stripped):
        return f"{stripped}: a table's name ends with a square bracket: {stripped}]"
    setting = _SETTING.match(source)
    if not setting or stripped.startswith("["):
        return None
    key, value = setting[1], setting[2]
    date = _LOOSE_DATE.fullmatch(value)
    if date:
        year, month, day = (int(part) for part in date.groups())
        wrong = no_such_day(year, month, day)
        if wrong:
            return f"{key} = {value}: {wrong}; give a real date"
        if value != f"{year:04d}-{month:02d}-{day:02d}":
            return (
                f"{key} = {value}: write dates with a two-digit month and day: "
                f"{key} = {year:04d}-{month:02d}-{day:02d}"
            )
        return None
    if not value:
        return f'{key} has no value; write {key} = "..." or delete the line'
    if "Cannot overwrite a value" in raw or "Cannot declare" in raw:
        return f"{key} is set twice; keep one"
    if value.startswith('"') and (len(value) == 1 or not value.endswith('"')):
        return f'{key} = {value}: the closing quote is missing: {key} = {value}"'
    if not value.startswith(('"', "'", "[", "{")) and not _BARE.fullmatch(value):
        return f'{key} = {value}: text goes in double quotes: {key} = "{value}"'
    return None


def date_type(key: str, value: object, example: str) -> str:
    """The message for a setting that must be a date but is not one (usually: in quotes)."""
    if isinstance(value, str):
        try:
            day = dt.date.fromisoformat(value.strip())
        except ValueError:
            pass
        else:
            return f'{key} = "{value}" is text, not a date; remove the quotes: {key} = {day}'
        return f"{key} must be a date such as {example}, without quotes"
    if isinstance(value, dt.datetime):
        return f"{key} must be a day, without a time: {key} = {value.date()}"
    return f"{key} must be a date such as {example}, without quotes"
