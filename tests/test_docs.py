"""The README documents every command, and each command's options where that command is
described: its row of the Commands table, or a section whose heading names it."""

from __future__ import annotations

import re

import click
import pytest

from helpers.packs import REPO
from pipeline.cli import cli

README = (REPO / "README.md").read_text(encoding="utf-8")


def sections(name: str) -> str:
    """What the README says of `pack NAME`: its row of the Commands table, and each section
    (down to the next heading of its level or above) whose heading names it."""
    rows = [line for line in README.splitlines() if line.startswith(f"| `pack {name}")]
    found = list(rows)
    lines = README.splitlines()
    for index, line in enumerate(lines):
        heading = re.match(r"(#+) ", line)
        if heading and f"`pack {name}`" in line:
            level = len(heading[1])
            end = next(
                (
                    j
                    for j in range(index + 1, len(lines))
                    if re.match(rf"#{{1,{level}}} ", lines[j])
                ),
                len(lines),
            )
            found += lines[index:end]
    return "\n".join(found)


def mentions(text: str, option: str) -> bool:
    """Whether `text` names `option` itself (not `--out` inside `--outline`)."""
    return re.search(rf"(?<![\w-]){re.escape(option)}(?![\w-])", text) is not None


@pytest.mark.parametrize("name", sorted(cli.commands))
def test_every_command_has_a_row_in_the_commands_table(name: str) -> None:
    assert [line for line in README.splitlines() if line.startswith(f"| `pack {name}")], name


UNDOCUMENTED = {
    ("draft", "--draft"): "accepted and ignored: pack draft always checks as a draft",
}
"""Options known to be missing from their command's description, and why."""


@pytest.mark.parametrize(
    ("name", "option"),
    [
        pytest.param(
            n,
            o,
            marks=[pytest.mark.xfail(strict=True, reason=UNDOCUMENTED[n, o])]
            if (n, o) in UNDOCUMENTED
            else [],
        )
        for n, c in sorted(cli.commands.items())
        for p in c.params
        if isinstance(p, click.Option)
        for o in p.opts
    ],
)
def test_every_option_is_documented_with_its_command(name: str, option: str) -> None:
    assert mentions(sections(name), option), f"pack {name} {option}"


def test_sections_are_those_of_the_command() -> None:
    assert mentions(sections("check"), "--strict")
    assert not mentions(sections("window"), "--strict")  # documented, but for another command
    assert not mentions("| `pack x [--outline]` |", "--out")
    assert "What `pack check` looks at" in sections("check")
    assert "What `pack check` looks at" not in sections("assemble")


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
