"""Fixtures; helpers shared by the test modules are in `helpers/`."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from helpers.libreoffice import has_libreoffice, uno_python
from helpers.packs import EXAMPLE, write_pack


@pytest.fixture
def pack_dir(tmp_path: Path) -> Path:
    return write_pack(tmp_path / "inputs")


@pytest.fixture
def example(tmp_path: Path) -> Path:
    """A private copy of the example institution, safe to break."""
    return Path(shutil.copytree(EXAMPLE, tmp_path / "inputs"))


@pytest.fixture(scope="session")
def uno() -> str:
    """The Python with `uno`; a skip without it locally, a failure under CI=true."""
    found = uno_python()
    if found is None:
        if os.environ.get("CI") == "true":
            pytest.fail("CI=true but no Python with LibreOffice's uno module (python3-uno)")
        pytest.skip("no Python with LibreOffice's uno module (python3-uno)")
    return found


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    if has_libreoffice():
        return
    if os.environ.get("CI") == "true":
        raise pytest.UsageError(
            "CI=true but LibreOffice is not installed: the end-to-end tests must run"
        )
    skip = pytest.mark.skip(reason="LibreOffice is not installed")
    for item in items:
        if "libreoffice" in item.keywords:
            item.add_marker(skip)
