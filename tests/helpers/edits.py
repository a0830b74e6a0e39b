"""Edits to a copy of an inputs folder, made later by the test that names them: a file's text
replaced, a file written, a file removed (tables of mistakes list them beside their messages)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

Edit = Callable[[Path], None]


def edit(path: Path, old: str, new: str) -> None:
    """Replace `old` (which must be there) with `new` in a text file."""
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new), encoding="utf-8")


def replaced(name: str, old: str, new: str) -> Edit:
    return lambda root: edit(root / name, old, new)


def written(name: str, data: bytes | str) -> Edit:
    def write(root: Path) -> None:
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(data, bytes):
            path.write_bytes(data)
        else:
            path.write_text(data, encoding="utf-8")

    return write


def removed(name: str) -> Edit:
    return lambda root: (root / name).unlink()
