"""The libraries `pack` imports: declared in pyproject.toml, part of the build's key (a new
version may lay a pack out differently, so an upgrade rebuilds), and pinned in
constraints.txt at versions the declared minimums allow."""

from __future__ import annotations

import ast
import re
import sys
import tomllib
from importlib.metadata import packages_distributions
from pathlib import Path

from packaging.requirements import Requirement
from packaging.version import Version

from pipeline.incremental.keys import LIBRARIES

REPO = Path(__file__).resolve().parents[1]
LIBREOFFICE_SIDE = {"uno", "pyuno", "com", "unohelper", "office"}
"""What the worker imports inside LibreOffice's Python: LibreOffice's own modules, and
`office.py` beside it by name."""


def _name(distribution: str) -> str:
    return re.sub(r"[-_.]+", "_", distribution).lower()


def imported() -> set[str]:
    """The distributions whose modules the package imports, anywhere in it."""
    found = set()
    for path in (REPO / "pipeline").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                found.add(node.module.split(".")[0])
            elif isinstance(node, ast.Import):
                found |= {a.name.split(".")[0] for a in node.names}
    modules = found - set(sys.stdlib_module_names) - LIBREOFFICE_SIDE - {"pipeline"}
    owners = packages_distributions()
    missing = sorted(m for m in modules if m not in owners)
    assert missing == [], f"modules no installed distribution provides: {missing}"
    return {_name(owners[m][0]) for m in modules}


def declared() -> dict[str, Requirement]:
    with (REPO / "pyproject.toml").open("rb") as handle:
        lines = tomllib.load(handle)["project"]["dependencies"]
    return {_name(r.name): r for r in map(Requirement, lines)}


def test_every_library_imported_is_declared() -> None:
    assert sorted(imported() - set(declared())) == []


PREVIEW_ONLY = {"starlette", "uvicorn", "pypdfium2"}
"""`pack preview`'s server and page drawing: they show a pack, never make one."""


def test_every_library_that_shapes_the_pack_is_in_its_key() -> None:
    """All but click, which only reads the command line, and the preview's own (linkify-it-py,
    which markdown-it-py loads for bare URLs, is in the key too, though never imported by
    name)."""
    assert sorted(imported() - {"click"} - PREVIEW_ONLY - set(LIBRARIES)) == []


def test_the_constraints_pin_every_declared_library_within_its_range() -> None:
    pins = {}
    for line in (REPO / "constraints.txt").read_text(encoding="utf-8").splitlines():
        line = line.split("#")[0].strip()
        if line:
            name, _, version = line.partition("==")
            assert version, f"{line!r}: pin one version with =="
            pins[_name(name)] = Version(version)
    for name, requirement in declared().items():
        assert name in pins, f"{name} is not pinned in constraints.txt"
        assert requirement.specifier.contains(pins[name]), f"{name}=={pins[name]}"
