"""The package's shape: subsystems that import one way, click only in the CLI, short modules,
and `pack review` without the template engine."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import REPO

PACKAGE = REPO / "pipeline"
CORE = "core"
"""The top-level modules: errors, model, form, window, files, safety, settings, text."""
ALLOWED = {
    CORE: {CORE},
    "word": {CORE},
    "markdown": {CORE, "word"},
    "plan": {CORE, "markdown", "word"},
    "inputs": {CORE, "markdown", "plan"},
    "render": {CORE, "markdown", "word", "plan"},
    "libreoffice": {CORE},
    "review": {CORE, "markdown", "word", "render"},
    "build": {CORE, "markdown", "word", "plan", "inputs", "render", "libreoffice"},
    "shell": {
        CORE,
        "markdown",
        "word",
        "plan",
        "inputs",
        "render",
        "libreoffice",
        "review",
        "build",
    },
}
"""Subsystem -> the subsystems it may import (its `__init__.py` says the same in words)."""
SHELL = {"cli", "launch", "__main__"}
LONG = 300


def subsystem(module: str) -> str:
    """`pipeline.plan.read` -> `plan`; `pipeline.errors` -> `core`; `pipeline.cli` -> `shell`."""
    parts = module.split(".")
    if len(parts) > 2:
        return parts[1]
    return "shell" if parts[-1] in SHELL else CORE


def modules() -> dict[str, Path]:
    found = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        relative = path.relative_to(REPO).with_suffix("")
        name = ".".join(relative.parts).removesuffix(".__init__")
        found[name] = path
    return found


def imports(path: Path) -> set[str]:
    """Every pipeline module `path` imports, at the top or inside a function."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("pipeline"):
            for alias in node.names:
                candidate = f"{node.module}.{alias.name}"
                found.add(candidate if candidate in modules() else node.module)
        elif isinstance(node, ast.Import):
            found |= {a.name for a in node.names if a.name.startswith("pipeline")}
    return found


def third_party(path: Path) -> set[str]:
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module.split(".")[0])
        elif isinstance(node, ast.Import):
            found |= {a.name.split(".")[0] for a in node.names}
    return found


def test_subsystems_import_one_way() -> None:
    wrong = []
    for name, path in modules().items():
        if name == "pipeline":
            continue
        mine = subsystem(name)
        for imported in imports(path):
            theirs = subsystem(imported)
            if theirs != mine and theirs not in ALLOWED[mine]:
                wrong.append(f"{name} ({mine}) imports {imported} ({theirs})")
    assert wrong == []


def test_every_subpackage_says_what_it_is_and_what_it_may_import() -> None:
    for init in PACKAGE.glob("*/__init__.py"):
        doc = ast.get_docstring(ast.parse(init.read_text(encoding="utf-8"))) or ""
        assert len(doc) > 80, init
        assert "import" in doc.lower(), init


def test_only_the_command_line_imports_click() -> None:
    users = sorted(name for name, path in modules().items() if "click" in third_party(path))
    assert users == ["pipeline.cli"]


def test_no_module_is_long_without_saying_why() -> None:
    long = []
    for name, path in modules().items():
        lines = path.read_text(encoding="utf-8").count("\n")
        doc = ast.get_docstring(ast.parse(path.read_text(encoding="utf-8"))) or ""
        if lines > LONG and "Longer than most" not in doc:
            long.append(f"{name}: {lines} lines")
    assert long == []


@pytest.mark.parametrize(
    ("modules_imported", "absent"),
    [
        (["pipeline.review.report", "pipeline.review.document"], {"docxtpl", "jinja2", "PIL"}),
        (["pipeline.inputs.check"], {"docxtpl", "pypdf", "PIL", "openpyxl"}),
        (["pipeline.build.up_to_date"], {"docx", "docxtpl", "pypdf", "lxml", "click"}),
    ],
)
def test_light_paths_stay_light(modules_imported: list[str], absent: set[str]) -> None:
    """`pack review` loads no template engine; `pack check` no PDF library; the rebuild with
    nothing to do nothing heavy at all."""
    code = (
        "import sys\n"
        + "".join(f"import {m}\n" for m in modules_imported)
        + "print(sorted({m.split('.')[0] for m in sys.modules}))"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=REPO
    )
    loaded = set(ast.literal_eval(done.stdout.strip()))
    assert loaded & absent == set()
