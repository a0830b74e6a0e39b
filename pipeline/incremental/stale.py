"""The stage commands refuse to build on out-of-date work.

`pack render`, `pack convert` and `pack combine` may be run one by one; a stage run out of turn
(an answer edited, then `pack render` and `pack combine` with no `pack convert` between) would
otherwise make a pack without the edit and say nothing. Each document records the input files
it was made from, with their hashes, when it is rendered, and again when it is converted:
`pack convert` refuses a document whose inputs changed since it was rendered, and `pack
combine` one whose inputs changed since then or whose PDF was made from an older rendering,
naming the file that changed and the command that brings it up to date.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace
from pathlib import Path

from pipeline.errors import InputError
from pipeline.hashing import sha256_file
from pipeline.incremental.manifest import Manifest, Part


def _sha256(path: Path) -> str:
    try:
        return sha256_file(path)
    except OSError:
        return ""  # gone: changed


def sources(files: Iterable[Path]) -> tuple[tuple[str, str], ...]:
    """(path, SHA-256) of each input file a document is made from."""
    return tuple((str(path), _sha256(path)) for path in files)


def converted(manifest: Manifest) -> Manifest:
    """The manifest once every part's PDF is made from its document as rendered now."""
    parts = (replace(p, converted_from=p.key, converted_sources=p.sources) for p in manifest.parts)
    return replace(manifest, parts=tuple(parts))


def _name(part: Part) -> str:
    return f"appendix {part.letter}" if part.letter else "form"


def _changed(recorded: tuple[tuple[str, str], ...], now: dict[str, str] | None = None) -> str:
    """The first recorded file whose bytes differ from `now` (else from what is on disk)."""
    for path, sha in recorded:
        current = now.get(path, "") if now is not None else _sha256(Path(path))
        if current != sha:
            return path
    return ""


def check_rendered(manifest: Manifest) -> None:
    """`InputError` if an input of a rendered document changed since it was rendered."""
    for part in manifest.parts:
        changed = _changed(part.sources)
        if changed:
            raise InputError(f"{_name(part)} not rendered since {changed} changed; run pack render")


def check_converted(manifest: Manifest) -> None:
    """`InputError` if a document's PDF was made before its latest rendering (or never)."""
    for part in manifest.parts:
        if part.converted_from == part.key and Path(part.pdf).is_file():
            continue
        if not part.converted_from or not Path(part.pdf).is_file():
            raise InputError(f"{_name(part)} not converted yet; run pack convert")
        changed = _changed(part.sources, dict(part.converted_sources))
        since = f"{changed} changed" if changed else "it was rendered again"
        raise InputError(f"{_name(part)} not converted since {since}; run pack convert")
