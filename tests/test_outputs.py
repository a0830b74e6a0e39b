"""Outputs are made for others to read: created with the user's umask, temporary files aside."""

from __future__ import annotations

import os
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

from pipeline.cli import cli
from pipeline.files import atomic_path


@pytest.fixture
def mask() -> Iterator[None]:
    old = os.umask(0o022)
    yield
    os.umask(old)


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def outputs(folder: Path) -> list[Path]:
    return sorted(p for p in folder.rglob("*") if p.is_file())


@pytest.mark.parametrize(("umask", "expected"), [(0o022, 0o644), (0o027, 0o640), (0o077, 0o600)])
def test_rendered_outputs_follow_the_umask(
    mask: None, pack_dir: Path, tmp_path: Path, umask: int, expected: int
) -> None:
    os.umask(umask)
    out = tmp_path / "build"
    result = CliRunner().invoke(
        cli, ["render", str(pack_dir), "--out", str(out), "--date", "2026-11-22"]
    )
    assert result.exit_code == 0, result.output
    written = outputs(out)
    assert len(written) == 3  # the form, the Markdown appendix, the manifest
    assert {p.name: oct(mode(p)) for p in written} == {p.name: oct(expected) for p in written}


def test_a_replaced_file_keeps_its_mode(mask: None, tmp_path: Path) -> None:
    answer = tmp_path / "2-answer.md"
    answer.write_text("old\n", encoding="utf-8")
    answer.chmod(0o664)
    with atomic_path(answer) as tmp:
        assert mode(tmp) == 0o600  # private while it is written
        tmp.write_text("new\n", encoding="utf-8")
    assert (answer.read_text(encoding="utf-8"), mode(answer)) == ("new\n", 0o664)


def test_a_new_folder_from_init_is_readable(mask: None, tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["init", str(tmp_path / "myuni")])
    assert result.exit_code == 0, result.output
    assert {oct(mode(p)) for p in outputs(tmp_path / "myuni")} == {oct(0o644)}


@pytest.mark.libreoffice
def test_a_built_pack_is_readable_by_others(mask: None, pack_dir: Path, tmp_path: Path) -> None:
    out = tmp_path / "build"
    result = CliRunner().invoke(
        cli, ["assemble", str(pack_dir), "--out", str(out), "--date", "2026-11-22"]
    )
    assert result.exit_code == 0, result.output
    written = outputs(out)
    assert any(p.suffix == ".pdf" and p.parent == out for p in written)
    assert {p.relative_to(out).as_posix(): oct(mode(p)) for p in written} == {
        p.relative_to(out).as_posix(): oct(0o644) for p in written
    }
    assert not list(out.rglob("*.part"))
