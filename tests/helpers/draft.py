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


def shared(draft: Path) -> Path:
    """`draft`, made read-only: one draft made once for a test module, which every test reads
    and none may change (a test that tries fails at once)."""
    draft.chmod(0o444)
    return draft
