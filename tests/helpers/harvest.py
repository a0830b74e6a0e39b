"""Running `pack harvest` in tests and seeing what it changed."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner, Result

from pipeline.cli import cli


def files(folder: Path) -> dict[str, bytes]:
    return {
        p.relative_to(folder).as_posix(): p.read_bytes() for p in folder.rglob("*") if p.is_file()
    }


def run_harvest(reviewed: Path, inputs: Path, *options: str) -> Result:
    return CliRunner().invoke(cli, ["harvest", str(reviewed), str(inputs), *options])


def changes(before: dict[str, bytes], inputs: Path) -> dict[str, str]:
    """The files that differ from `before` (new ones included), with their text now."""
    after = files(inputs)
    return {
        name: data.decode("utf-8") for name, data in after.items() if before.get(name) != data
    } | {name: "(deleted)" for name in before if name not in after}
