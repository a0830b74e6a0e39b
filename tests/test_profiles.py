"""Kept LibreOffice profiles: one set for each LibreOffice installed, and a LibreOffice
upgraded or downgraded where it stands gets a set of its own (7.4 started on a profile 25.2
has used exits, or dies on some documents)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from pipeline.libreoffice.profiles import KeptProfile


def program(folder: Path, version: str) -> str:
    folder.mkdir(parents=True, exist_ok=True)
    soffice = folder / "soffice"
    soffice.write_text("#!/bin/sh\n")
    soffice.chmod(0o755)
    (folder / "versionrc").write_text(f"[Version]\nbuildid={version}\n")
    return str(soffice)


def kept(soffice: str) -> Path:
    profile = KeptProfile.take(soffice)
    assert profile is not None
    profile.release()
    return profile.path.parent


def test_each_installation_and_each_version_has_its_own(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    one = program(tmp_path / "one" / "program", "40(Build:2)")
    other = program(tmp_path / "other" / "program", "40(Build:2)")
    first = kept(one)
    assert kept(one) == first  # kept: the same set the next time
    assert kept(other) != first
    versionrc = tmp_path / "one" / "program" / "versionrc"
    versionrc.write_text("[Version]\nbuildid=520(Build:2)\n")  # upgraded where it stands
    os.utime(versionrc, ns=(1, 1))
    assert kept(one) != first
