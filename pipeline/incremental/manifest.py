"""What a build made, and from what: one `manifest.json` per pack, in the pack's work folder.

`build/<pack>/manifest.json` lists the pack's parts in order, each with the key of what its
document was made from and of what its PDF was converted from, so the next build redoes only
what changed; and the key of the whole build, so that a build where nothing changed does
nothing at all.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path
from typing import Any

from pipeline.errors import InputError
from pipeline.files import atomic_path

MANIFEST = "manifest.json"


@dataclass(frozen=True, slots=True)
class Part:
    """One document of the pack, in order."""

    title: str
    """Its top-level outline entry."""
    source: str
    """The DOCX to convert, or the appendix PDF."""
    pdf: str
    """Where its PDF is (after conversion)."""
    headings: tuple[tuple[str, int], ...] = ()
    """Headings to find in its PDF: (text, outline level; 0 is top level)."""
    key: str = ""
    """The key of everything `source` was made from."""
    fill: tuple[tuple[str, str], ...] = ()
    """Contents placeholders: (placeholder, `@bookmark` or `#letter` of an appendix)."""
    letter: str = ""
    """An appendix's letter."""
    converted: str = ""
    """What `pdf` was converted from: the key of `key` and LibreOffice's, then `/` and the key
    of its page numbers (its first page, the pack's total, the contents' numbers)."""
    pages: int = 0
    """Its PDF's page count."""
    origin: str = ""
    """The user's file it was made from (an appendix), named in messages."""
    sources: tuple[tuple[str, str], ...] = ()
    """(path, SHA-256) of each input file it was rendered from (`stale.py`)."""
    converted_from: str = ""
    """`key` when its PDF was made: the PDF is of the latest rendering when the two agree."""
    converted_sources: tuple[tuple[str, str], ...] = ()
    """`sources` when its PDF was made, to name what changed since."""

    @property
    def needs_conversion(self) -> bool:
        return self.source.endswith(".docx")


@dataclass(frozen=True, slots=True)
class Manifest:
    """What render made, for convert and combine; and what the last build came to."""

    stem: str
    title: str
    author: str
    subject: str
    keywords: str
    parts: tuple[Part, ...]
    language: str = "en-GB"
    """The pack's language (`/Lang`), from pack.toml."""
    inputs: str = ""
    """The key of the whole build that made the pack, once it is made."""
    packed: str = ""
    """The key the pack was combined from."""
    pack_sha256: str = ""
    """Of the pack's bytes, to know it is still the one this build made."""
    record: str = ""
    """What the pack is built from (`record.sources_record`, as JSON): the pack carries it."""
    problems: tuple[str, ...] = field(default=())
    """The check's warnings (the window's aside) as printed, shown again when nothing is
    rebuilt."""
    draft: bool = False
    """A review copy: every page of the pack is marked DRAFT."""
    accepted: bool = False
    """`--accept-changes`: the reviews left on PDF appendices (sticky notes, replies, marks on
    their text) are left out of the pack's copy."""

    @property
    def to_convert(self) -> list[Part]:
        return [p for p in self.parts if p.needs_conversion]

    def with_part(self, index: int, **changes: Any) -> Manifest:
        parts = list(self.parts)
        parts[index] = replace(parts[index], **changes)
        return replace(self, parts=tuple(parts))

    def save(self, path: Path) -> None:
        with atomic_path(path) as tmp:
            tmp.write_text(json.dumps(asdict(self), indent=2, ensure_ascii=False), encoding="utf-8")

    @classmethod
    def read(cls, path: Path) -> Manifest:
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            parts = tuple(
                Part(
                    **{
                        **p,
                        "headings": tuple((h, int(n)) for h, n in p.get("headings", [])),
                        "fill": tuple((k, v) for k, v in p.get("fill", [])),
                        "sources": tuple((k, v) for k, v in p.get("sources", [])),
                        "converted_sources": tuple(
                            (k, v) for k, v in p.get("converted_sources", [])
                        ),
                    }
                )
                for p in data.pop("parts")
            )
            data["problems"] = tuple(data.get("problems", ()))
            return cls(**data, parts=parts)
        except FileNotFoundError as exc:
            raise InputError(f"{path}: not found; run `pack render` first") from exc
        except (ValueError, KeyError, TypeError) as exc:
            raise InputError(
                f"{path}: damaged build manifest ({exc}); run `pack render` again"
            ) from exc

    @classmethod
    def previous(cls, path: Path) -> Manifest | None:
        """The manifest a previous build left, or None (none, or not readable: rebuild all)."""
        try:
            return cls.read(path)
        except InputError:
            return None


def work_folder(out_dir: Path, stem: str) -> Path:
    """Where one pack's documents, PDFs and manifest live: `build/<pack>/`."""
    return out_dir / stem


def manifests(out_dir: Path) -> list[Path]:
    """The manifests of every pack rendered into `out_dir`; an error if there is none."""
    found = sorted(out_dir.glob(f"*/{MANIFEST}"))
    if not found:
        raise InputError(f"{out_dir}: no rendered pack in it; run `pack render` first")
    return found
