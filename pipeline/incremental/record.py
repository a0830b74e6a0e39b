"""The build record a pack carries in its metadata, for `pack verify`.

Every source file (by its path in the inputs folder and a hash of its bytes), every built-in
template, and the settings (window, final or draft) go into the record and its key, so that a
pack on disk can be matched against a folder of inputs, and each file that changed since can
be named. The combine stage adds what the pack came to: each part's first page and page count,
the outline, and a hash of every page's content. Standard library only: the record of the
sources is made before anything heavy is imported, and it is read without LibreOffice.

Not part of the key: the time and date of the build, the folders the inputs and the build are
in, the machine's locale and time zone, hidden files (names starting with a dot) and Office lock
files (`~$...`). The tool's code and the LibreOffice it used are recorded beside the key (the
same inputs built by another version may lay pages out differently), not in it.
"""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path
from typing import Any

from pipeline.form import TEMPLATES
from pipeline.incremental.keys import code_version, digest, files, inside

INFO_KEY = "/TCPackBuild"
"""The entry of the PDF's document information dictionary that holds the record (JSON)."""
FORMAT = 1


def _hashes(root: Path, skip: Path | None = None) -> dict[str, str]:
    """Each file under `root` (as `keys.files` lists them) -> the SHA-256 of its bytes."""
    return {
        path.relative_to(root).as_posix(): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in files(root, skip)
    }


def record_key(record: dict[str, Any]) -> str:
    """The key of a record's sources, templates and settings."""
    return digest(
        json.dumps(
            [record.get("settings"), record.get("sources"), record.get("templates")],
            sort_keys=True,
        )
    )


def sources_record(
    inputs: Path, window: str, mode: str, out_dir: Path | None = None
) -> dict[str, Any]:
    """What a pack is built from: the inputs' files (the build's folder `out_dir` aside, when
    it is inside them: recorded as `left_out`, relative to the inputs), the templates, the
    settings."""
    left_out = inside(out_dir, inputs)
    record: dict[str, Any] = {
        "format": FORMAT,
        "settings": {"window": window, "mode": mode},
        "sources": _hashes(inputs, out_dir),
        "templates": _hashes(TEMPLATES),
    }
    if left_out is not None:
        real = Path(os.path.realpath(inputs))
        record["left_out"] = Path(left_out).relative_to(real).as_posix()
    record["key"] = record_key(record)
    record["code"] = code_version()
    return record


def page_digest(box: list[float], rotate: int, contents: list[bytes]) -> str:
    """A short hash of a PDF page: its media box, its rotation and its content streams as
    decoded, in order. Whichever library reads the page (qpdf as the pack is written, pypdf
    when it is verified) gives the same three, so the same page hashes the same."""
    shape = json.dumps([[round(v, 2) for v in box], rotate])
    return digest(shape, *contents)[:16]


def finished(
    sources: str,
    parts: list[tuple[str, int, int]],
    outline: list[tuple[str, int, int]],
    pages: list[str],
) -> str:
    """The record a pack carries, as JSON text: the sources' record (as the manifest keeps
    it), each part as (title, first page, page count), the outline as (title, level, page),
    and every page's digest (`page_digest`); page numbers count from 0."""
    record = json.loads(sources) if sources else {}
    record["parts"] = [list(p) for p in parts]
    record["outline"] = [list(o) for o in outline]
    record["pages"] = pages
    return json.dumps(record, sort_keys=True, separators=(",", ":"))


def read_record(text: str) -> dict[str, Any] | None:
    """A record read back from a pack, or None when it is not one."""
    try:
        record = json.loads(text)
    except ValueError:
        return None
    wanted = ("settings", "sources", "templates", "key", "parts", "outline", "pages")
    if not isinstance(record, dict) or record.get("format") != FORMAT:
        return None
    if not all(key in record for key in wanted):
        return None
    return record
