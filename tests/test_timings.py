"""`pack assemble --timings`: where the time went, stage by stage, LibreOffice's own among them.
What is printed, never how long anything took."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from pipeline.cli import cli
from pipeline.timings import Timings

LINE = re.compile(r"^ +(\d+\.\d\d)(?:-(\d+\.\d\d) +(.+) \((\d+\.\d\d) s\)| +(.+))$")


def stages(stderr: str) -> list[str]:
    """The stages printed after the heading, in order, checked for the shape of their times."""
    lines = stderr.split("pack: where the time went (seconds from the start):\n", 1)[1]
    found = []
    for line in lines.splitlines():
        match = LINE.match(line)
        assert match, line
        found.append(match[3] or match[5])
    return found


def test_spans_and_moments_in_order() -> None:
    timings = Timings(start=100.0)
    timings.add("render", 101.0, 101.5)
    timings.add("LibreOffice ready", 100.9)
    lines = timings.lines([("LibreOffice: export a.docx", 101.6, 101.9), ("before", 99.0, 99.5)])
    assert lines[:3] == [
        "  0.90        LibreOffice ready",
        "  1.00-1.50   render (0.50 s)",
        "  1.60-1.90   LibreOffice: export a.docx (0.30 s)",
    ]
    assert lines[-1].endswith("done")


@pytest.mark.libreoffice
def test_assemble_says_where_the_time_went(pack_dir: Path, tmp_path: Path) -> None:
    out = tmp_path / "build"
    arguments = ["assemble", str(pack_dir), "--out", str(out), "--date", "2026-11-22"]
    result = CliRunner().invoke(cli, [*arguments, "--timings"])
    assert result.exit_code == 0, result.output
    printed = stages(result.stderr)
    for stage in ("imports", "check", "render", "convert", "combine", "LibreOffice ready"):
        assert stage in printed
    assert printed[-1] == "done"
    assert "LibreOffice: load appendix-A.docx" in printed
    assert "LibreOffice: export University-of-Testshire_January_2027.docx" in printed
    assert printed.index("render") < printed.index("convert") < printed.index("combine")
    assert result.stdout == f"{out / 'University-of-Testshire_January_2027.pdf'}\n"

    result = CliRunner().invoke(cli, arguments)  # not asked for: not printed
    assert "where the time went" not in result.stderr
