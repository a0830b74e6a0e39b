"""The README documents every command and option that exists."""

from __future__ import annotations

import click
import pytest

from helpers.packs import REPO
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
