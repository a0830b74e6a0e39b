"""A Word file from outside, whole: every XML part well formed, each part what its content type
says it is, and every part its relationships name there.

`safety.check_zip` has already refused what is dangerous (zip bombs, DOCTYPEs, encodings it
cannot read); this finds what is merely broken, so that `pack check` names the file and the part
instead of the build failing halfway through with a parser's message. A tool that writes Office
files by hand (a script, a converter) can leave a tag unclosed, an encoding declared that the
bytes are not in, a styles part that holds something else, or a relationship to a part it never
wrote: Word opens none of these without "repairing" them first.
"""

from __future__ import annotations

import posixpath
import zipfile
from pathlib import Path
from urllib.parse import unquote

from lxml import etree

from pipeline.errors import UnsafeFile
from pipeline.safety import parse_xml

_WORDML = "application/vnd.openxmlformats-officedocument.wordprocessingml."
ROOTS = {
    f"{_WORDML}document.main+xml": "document",
    f"{_WORDML}template.main+xml": "document",
    "application/vnd.ms-word.document.macroEnabled.main+xml": "document",
    f"{_WORDML}styles+xml": "styles",
    f"{_WORDML}numbering+xml": "numbering",
    f"{_WORDML}header+xml": "hdr",
    f"{_WORDML}footer+xml": "ftr",
    f"{_WORDML}footnotes+xml": "footnotes",
    f"{_WORDML}endnotes+xml": "endnotes",
    f"{_WORDML}comments+xml": "comments",
    f"{_WORDML}settings+xml": "settings",
    f"{_WORDML}fontTable+xml": "fonts",
    "application/vnd.openxmlformats-package.relationships+xml": "Relationships",
}
"""Content type -> the root element (its local name: Strict Open XML has other namespaces) a
part of that type holds. Parts of other types are only required to be well formed."""
_TYPES = "[Content_Types].xml"
_WHAT = {
    "document": "the document",
    "styles": "styles",
    "numbering": "list numbering",
    "hdr": "a header",
    "ftr": "a footer",
    "footnotes": "footnotes",
    "endnotes": "endnotes",
    "comments": "comments",
    "settings": "settings",
    "fonts": "a font table",
    "Relationships": "relationships",
}
AGAIN = "open it in Word or LibreOffice and save it again"
"""What mends a Word file that is broken inside: the program rewrites every part."""


def _reason(exc: etree.XMLSyntaxError) -> str:
    text = str(exc) or "not XML"
    return text if len(text) <= 160 else f"{text[:160]}..."


def check_word(path: Path) -> None:
    """Refuse a Word file (already through `check_zip`) that is broken inside, naming the part:
    `UnsafeFile` with what is wrong and what to do."""
    with zipfile.ZipFile(path) as archive:
        names = set(archive.namelist())
        roots = {}
        for name in sorted(names):
            if not name.endswith((".xml", ".rels")):
                continue
            try:
                roots[name] = parse_xml(archive.read(name))
            except etree.XMLSyntaxError as exc:
                raise UnsafeFile(
                    f"{path}: part {name} is not well-formed XML ({_reason(exc)}); {AGAIN}"
                ) from exc
    types = roots.get(_TYPES)
    if types is None or etree.QName(types).localname != "Types":
        raise UnsafeFile(f"{path}: part {_TYPES} does not list the file's parts; {AGAIN}")
    for name, expected in _declared(types, names).items():
        root = roots.get(name)
        found = etree.QName(root).localname if root is not None else None
        if found is not None and found != expected:
            raise UnsafeFile(
                f"{path}: part {name} should hold {_WHAT[expected]} but holds <{found}>; {AGAIN}"
            )
    for name, root in roots.items():
        if name.endswith(".rels"):
            _targets(path, name, root, names)


def _declared(types: etree._Element, names: set[str]) -> dict[str, str]:
    """Each part whose content type says what its root must be -> that root's local name."""
    defaults = {
        d.get("Extension", "").lower(): d.get("ContentType", "") for d in types.iter("{*}Default")
    }
    found = {}
    for name in names:
        kind = defaults.get(name.rpartition(".")[2].lower(), "")
        if kind in ROOTS and ROOTS[kind] != "document":  # `.xml` may default to the document
            found[name] = ROOTS[kind]
    for override in types.iter("{*}Override"):
        name = unquote(override.get("PartName", "")).lstrip("/")
        kind = override.get("ContentType", "")
        if kind in ROOTS:
            found[name] = ROOTS[kind]
        else:
            found.pop(name, None)
    return found


def _targets(path: Path, rels: str, root: etree._Element, names: set[str]) -> None:
    """Every part a relationships part names, inside the package, must be there."""
    folder = posixpath.dirname(posixpath.dirname(rels))  # word/_rels/x.xml.rels -> word
    for rel in root.iter("{*}Relationship"):
        if rel.get("TargetMode") == "External":
            continue
        target = unquote(rel.get("Target", "")).partition("#")[0]
        if not target:
            continue
        part = posixpath.normpath(
            target.lstrip("/") if target.startswith("/") else posixpath.join(folder, target)
        )
        if part not in names:
            raise UnsafeFile(
                f"{path}: part {rels} names a part {part} that is not in the file; {AGAIN}"
            )
