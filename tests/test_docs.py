"""The README documents every command and option that exists."""

from __future__ import annotations

import click
import pytest

from conftest import REPO
from pipeline.cli import cli

README = (REPO / "README.md").read_text(encoding="utf-8")


@pytest.mark.parametrize("name", sorted(cli.commands))
def test_every_command_is_in_the_readme(name: str) -> None:
    assert f"`pack {name}" in README


@pytest.mark.parametrize(
    ("name", "option"),
    [
        (n, o)
        for n, c in sorted(cli.commands.items())
        for p in c.params
        if isinstance(p, click.Option)
        for o in p.opts
    ],
)
def test_every_option_is_in_the_readme(name: str, option: str) -> None:
    assert option in README, f"pack {name} {option}"


def test_every_command_has_an_example() -> None:
    for name, command in cli.commands.items():
        assert f"pack {name}" in (command.help or ""), name


def test_every_limit_is_in_the_readme() -> None:
    """The README's table of budgets gives each limit's value as it is in the code."""
    from pipeline import limits

    section = README.split("what it defends against", 1)[1].split("## Fast builds", 1)[0]
    shown = {
        "TEXT_BYTES": f"{limits.TEXT_BYTES // 2**20} MiB of text",
        "NESTING": f"{limits.NESTING} levels",
        "IMAGE_PIXELS": f"{limits.IMAGE_PIXELS:,} pixels",
        "PLAN_ROWS": f"{limits.PLAN_ROWS:,} rows and {limits.PLAN_COLUMNS} columns",
        "PLAN_CELL_CHARS": f"{limits.PLAN_CELL_CHARS:,} characters",
        "PDF_BYTES": f"{limits.PDF_BYTES // 2**20} MiB, {limits.PDF_PAGES:,} pages",
        "PARSE_SECONDS": f"limited to {limits.PARSE_SECONDS} s and {limits.PARSE_MEMORY // 2**30} GiB",
        "WORD_BYTES": f"| a Word appendix | {limits.WORD_BYTES // 2**20} MiB |",
        "OFFICE_PART_BYTES": f"{limits.OFFICE_PART_BYTES // 2**20} MiB each",
    }
    for name, text in shown.items():
        assert text in section, name
