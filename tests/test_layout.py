"""The package's shape: subsystems that import one way, click only in the command-line package,
no module over 400 lines, no source that a standard Python `.gitignore` hides, and `pack
review` without the template engine."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

from helpers.packs import REPO

PACKAGE = REPO / "pipeline"
CORE = "core"
"""The top-level modules: errors, model, form, window, files, safety, settings, text."""
ALLOWED = {
    CORE: {CORE},
    "word": {CORE},
    "markdown": {CORE, "word"},
    "plan": {CORE, "markdown", "word"},
    "inputs": {CORE, "markdown", "word", "plan"},
    "render": {CORE, "markdown", "word", "plan"},
    "libreoffice": {CORE},
    "incremental": {CORE},
    "finish": {CORE, "incremental"},
    "stages": {
        CORE, "markdown", "word", "plan", "inputs", "render", "libreoffice", "incremental",
        "finish",
    },
    "verify": {CORE, "markdown", "inputs", "incremental"},
    "publish": {
        CORE, "markdown", "word", "plan", "render", "libreoffice", "incremental", "stages",
        "finish",
    },
    "review": {CORE, "markdown", "word", "render"},
    "annotations": {CORE, "markdown", "plan", "incremental", "verify", "review"},
    "importer": {CORE, "markdown", "word", "plan", "inputs", "review", "libreoffice"},
    "preview": {
        CORE, "markdown", "plan", "inputs", "render", "libreoffice", "incremental", "stages",
    },
    "cli": {
        CORE, "markdown", "word", "plan", "inputs", "render", "libreoffice", "review",
        "incremental", "finish", "stages", "verify", "publish", "annotations", "importer",
        "preview",
    },
}  # fmt: skip
"""Subsystem -> the subsystems it may import (its `__init__.py` says the same in words)."""
SHELL = {"launch", "__main__"}
"""The program's entry points: they may import anything (`launch` answers a rebuild with nothing
to do before the command line is imported)."""
LONGEST = 400
"""Lines a module may have: past this it is two things, and is split."""


def subsystem(module: str) -> str:
    """`pipeline.plan.read` -> `plan`; `pipeline.errors` -> `core`; `pipeline.cli.build` and
    `pipeline.cli` -> `cli`; `pipeline.launch` -> `shell`."""
    parts = module.split(".")
    if len(parts) > 2 or (len(parts) == 2 and (PACKAGE / parts[1]).is_dir()):
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
            if theirs != mine and mine != "shell" and theirs not in ALLOWED[mine]:
                wrong.append(f"{name} ({mine}) imports {imported} ({theirs})")
    assert wrong == []


def test_every_subpackage_says_what_it_is_and_what_it_may_import() -> None:
    for init in PACKAGE.glob("*/__init__.py"):
        doc = ast.get_docstring(ast.parse(init.read_text(encoding="utf-8"))) or ""
        assert len(doc) > 80, init
        assert "import" in doc.lower(), init


def test_only_the_command_line_imports_click() -> None:
    users = sorted(name for name, path in modules().items() if "click" in third_party(path))
    assert users
    assert [name for name in users if not name.startswith("pipeline.cli")] == []


def test_no_module_is_over_400_lines() -> None:
    long = []
    for name, path in modules().items():
        lines = path.read_text(encoding="utf-8").count("\n")
        if lines > LONGEST:
            long.append(f"{name}: {lines} lines")
    assert long == []


PYTHON_GITIGNORE = """
__pycache__/
*.py[codz]
*$py.class
*.so
.Python
build/
develop-eggs/
dist/
downloads/
eggs/
.eggs/
lib/
lib64/
parts/
sdist/
var/
wheels/
share/python-wheels/
*.egg-info/
.installed.cfg
*.egg
MANIFEST
*.manifest
*.spec
pip-log.txt
pip-delete-this-directory.txt
htmlcov/
.tox/
.nox/
.coverage
.coverage.*
.cache
nosetests.xml
coverage.xml
*.cover
*.py.cover
.hypothesis/
.pytest_cache/
cover/
*.mo
*.pot
*.log
local_settings.py
db.sqlite3
db.sqlite3-journal
instance/
.webassets-cache
.scrapy
docs/_build/
.pybuilder/
target/
.ipynb_checkpoints
profile_default/
ipython_config.py
__pypackages__/
celerybeat-schedule
celerybeat.pid
*.sage.py
.env
.envrc
.venv
env/
venv/
ENV/
env.bak/
venv.bak/
.spyderproject
.spyproject
.ropeproject
/site
.mypy_cache/
.dmypy.json
dmypy.json
.pyre/
.pytype/
cython_debug/
.ruff_cache/
.pypirc
"""
"""The patterns of the Python `.gitignore` that GitHub offers for a new repository (its folder
and file names: many tools skip the same folders, coverage and code browsers among them)."""


def test_no_tracked_source_is_hidden_by_a_standard_python_gitignore(tmp_path: Path) -> None:
    """`build/` and the like are where tools expect output: a source folder of that name is
    ignored by a newcomer's `.gitignore`, skipped by coverage, linters and code browsers."""
    if not (REPO / ".git").exists():
        pytest.skip("not a git checkout")
    patterns = tmp_path / "python.gitignore"
    patterns.write_text(PYTHON_GITIGNORE, encoding="utf-8")
    tracked = subprocess.run(
        ["git", "ls-files"], cwd=REPO, capture_output=True, text=True, check=True
    ).stdout
    assert "pipeline/cli/__init__.py" in tracked  # the listing is the repository's
    ignored = subprocess.run(
        ["git", "-c", f"core.excludesFile={patterns}", "check-ignore", "--no-index", "--stdin"],
        cwd=REPO,
        input=tracked,
        capture_output=True,
        text=True,
    )
    assert ignored.returncode in (0, 1), ignored.stderr  # 1: nothing matched
    assert ignored.stdout.splitlines() == []


@pytest.mark.parametrize(
    ("modules_imported", "absent"),
    [
        (["pipeline.review.report", "pipeline.review.document"], {"docxtpl", "jinja2", "PIL"}),
        (["pipeline.inputs.check"], {"docxtpl", "pypdf", "PIL", "openpyxl"}),
        (["pipeline.incremental.up_to_date"], {"docx", "docxtpl", "pypdf", "lxml", "click"}),
        (["pipeline.cli"], {"starlette", "uvicorn", "pypdfium2", "anyio"}),
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
