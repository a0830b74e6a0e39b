"""pack.toml: the one place it is read.

`load` validates it field by field (`parse`, with the line of a syntax error); everything else
only peeks at a field or two (`peek`, `institution`) and leaves the reporting of a damaged file
to `pack check`. Only the standard library is imported: a rebuild with nothing to do reads the
institution's name before anything heavy loads.
"""

from __future__ import annotations

import re
from pathlib import Path

from pipeline.errors import InputError

FILE = "pack.toml"
"""The settings file's name, in the inputs folder."""
_PLAIN = re.compile(r'^institution\s*=\s*"([^"\\]*)"\s*(#.*)?$', re.M)


class SettingsSyntax(InputError):
    """pack.toml is not valid TOML."""

    def __init__(self, path: Path, line: int | None, message: str) -> None:
        super().__init__(f"{path}:{line or 1}: {message}")
        self.path, self.line, self.message = path, line, message


def read_text(inputs: Path) -> str:
    """pack.toml's text (a byte-order mark dropped); `OSError`/`UnicodeDecodeError` as raised."""
    return (inputs / FILE).read_text(encoding="utf-8-sig")


def parse(path: Path, text: str) -> dict[str, object]:
    """The TOML table in `text`; `SettingsSyntax` with the line when it is not valid TOML."""
    import tomllib

    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        match = re.search(r"at line (\d+)", str(exc))
        raise SettingsSyntax(
            path, int(match[1]) if match else None, f"not valid TOML: {exc}"
        ) from exc


def peek(inputs: Path) -> dict[str, object]:
    """pack.toml's table, or {} when it is missing or damaged (`pack check` says why)."""
    try:
        return parse(inputs / FILE, read_text(inputs))
    except (OSError, UnicodeDecodeError, SettingsSyntax):
        return {}


def institution(inputs: Path) -> str | None:
    """The institution pack.toml names, if it can be read; else None.

    Read with a pattern when the file says it plainly (as it usually does), which spares the
    TOML parser on the path of a rebuild with nothing to do; else with TOML's own reading."""
    try:
        text = read_text(inputs)
    except (OSError, UnicodeDecodeError):
        return None
    plain = _PLAIN.findall(text)
    if len(plain) == 1 and not text.lstrip().startswith("["):
        return str(plain[0][0]).strip() or None
    try:
        value = parse(inputs / FILE, text).get("institution")
    except SettingsSyntax:
        return None
    return value.strip() if isinstance(value, str) else None


def key_line(text: str, key: str) -> int | None:
    """The line where `key` (dotted: `lead.email`) is set in a TOML text, if it can be found."""
    table, _, name = key.rpartition(".")
    current = ""
    for number, line in enumerate(text.splitlines(), start=1):
        stripped = line.strip()
        if stripped.startswith("["):
            current = stripped.split("#")[0].strip("[] ")
            if current == key:  # the key is a table
                return number
        elif current == table and re.match(rf"{re.escape(name)}\s*=", stripped):
            return number
    return None


def default_inputs(cwd: Path) -> Path:
    """The inputs folder when none is named: the current folder when it holds pack.toml (an
    institution's own repository), else `inputs/` (this repository's example)."""
    return Path(".") if (cwd / FILE).is_file() else Path("inputs")


def nearest_pack(folder: Path) -> Path | None:
    """The nearest folder above `folder` that holds pack.toml, for "did you mean"; else None."""
    try:
        parents = folder.resolve().parents
    except (OSError, RuntimeError):
        return None
    return next((parent for parent in parents if (parent / FILE).is_file()), None)
