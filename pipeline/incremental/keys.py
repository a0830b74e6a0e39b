"""Keys for the build's outputs: a hash of everything an output depends on.

An output whose recorded key matches the key computed now is reused, not made again. This
module is imported before anything heavy (a build where nothing changed should cost little
more than starting Python), so it uses the standard library only.
"""

from __future__ import annotations

import functools
import os
import re
import shutil
import sys
from collections.abc import Iterable
from pathlib import Path

from pipeline.form import TEMPLATES
from pipeline.hashing import digest as digest  # re-exported: keys are digests

PACKAGE = Path(__file__).resolve().parent.parent
"""The `pipeline` package: its code is part of every output's key."""
LIBRARIES = (
    "python_docx", "docxtpl", "pypdf", "markdown_it_py", "mdit_py_plugins", "linkify_it_py",
    "pillow", "lxml", "jinja2", "openpyxl", "pikepdf", "fonttools",
)  # fmt: skip
"""The libraries whose versions change what a build makes."""


def inside(folder: Path | None, root: Path) -> str | None:
    """`folder`'s real path if it is inside `root` (a build folder within the inputs), else None."""
    if folder is None:
        return None
    real, base = os.path.realpath(folder), os.path.realpath(root)
    return real if real.startswith(base + os.sep) else None


def files(root: Path, skip: Path | None = None) -> list[Path]:
    """Every file under `root`, in a stable order, without hidden files and Office lock files,
    and without the folder `skip` (the build's own output folder, when it is inside `root`)."""
    if root.is_file():
        return [root]
    left_out = inside(skip, root)
    found = []
    for folder, dirs, names in os.walk(root):
        dirs[:] = sorted(d for d in dirs if not d.startswith(".") and d != "__pycache__")
        if left_out is not None:
            dirs[:] = [d for d in dirs if os.path.realpath(Path(folder) / d) != left_out]
        found += [Path(folder) / n for n in sorted(names) if not n.startswith((".", "~$"))]
    return found


def tree_key(roots: Iterable[Path], skip: Path | None = None) -> str:
    """The key of files and folders: their names (relative to each root) and bytes."""
    parts: list[bytes | str] = []
    for root in roots:
        for path in files(root, skip):
            parts += [
                path.relative_to(root).as_posix() if path != root else path.name,
                path.read_bytes(),
            ]
    return digest(*parts)


def _library_versions() -> list[str]:
    """`name-version` of each library, read from the installed distributions' folder names (no
    `importlib.metadata` scan: this must stay cheap)."""
    wanted = set(LIBRARIES)
    found = []
    for entry in sys.path:
        try:
            names = os.listdir(entry or ".")
        except OSError:
            continue
        for name in names:
            if name.endswith((".dist-info", ".egg-info")):
                project, _, version = name.rsplit(".", 1)[0].partition("-")
                if re.sub(r"[-_.]+", "_", project).lower() in wanted:
                    found.append(f"{project}-{version}")
    return sorted(set(found))


def libreoffice_version() -> str:
    """LibreOffice's build id (from its `versionrc`), or `none`: converted PDFs depend on it."""
    program = (
        os.environ.get("PACK_SOFFICE") or shutil.which("soffice") or shutil.which("libreoffice")
    )
    if not program:
        return "none"
    folder = Path(os.path.realpath(shutil.which(program) or program)).parent
    for name in ("versionrc", "version.ini"):
        try:
            text = (folder / name).read_text(encoding="utf-8", errors="replace")
        except OSError:
            continue
        found = re.findall(r"^(?:buildid|ProductMajor|ProductMinor|UpdateID)=(.*)$", text, re.M)
        if found:
            return " ".join(found)[:200]
    return f"{program} (version unknown)"


@functools.cache
def _code() -> str:
    return digest(tree_key([PACKAGE]), *_library_versions())


def code_version() -> str:
    """The pipeline's own code, the libraries it renders with (both read once per process),
    and LibreOffice's version (looked up every time: $PACK_SOFFICE may change)."""
    return digest(_code(), libreoffice_version())


def inputs_key(inputs: Path, *settings: str, out_dir: Path | None = None) -> str:
    """The key of a whole build: every input file (the build's own folder `out_dir` aside,
    when it is inside the inputs), the templates, the code, the settings."""
    return digest(code_version(), tree_key([TEMPLATES]), tree_key([inputs], out_dir), *settings)
