"""A reviewers' draft made through the command line, as a reviewer would receive it."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

from pipeline.cli import cli


def make_draft(inputs: Path, out: Path) -> Path:
    result = CliRunner().invoke(
        cli, ["draft", str(inputs), "--out", str(out), "--date", "2026-11-22"]
    )
    assert result.exit_code == 0, result.output
    return Path(result.stdout.splitlines()[-1])
