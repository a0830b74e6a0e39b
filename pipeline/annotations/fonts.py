"""What a PDF font's codes mean, for finding the words under a mark: each code's text (from the
font's `/ToUnicode` map, else its encoding) and its advance width.

Written for the fonts producers of packs and appendices use: simple fonts (one byte a code,
`/Widths`; LibreOffice's subsets), composite fonts (`Type0`, two bytes a code, `/W`; Word's and
most others'), Type 3 fonts (widths in their own glyph space). A code the font does not map
reads as U+FFFD; text is for locating marks, so an odd font costs a quote, never the review.
"""

from __future__ import annotations

import codecs
import contextlib
import re
from dataclasses import dataclass, field
from typing import Any

_HEX = re.compile(rb"<([0-9A-Fa-f\s]*)>")
_SECTION = re.compile(rb"begin(bfchar|bfrange)(.*?)end\1", re.S)
_RANGE = re.compile(rb"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>\s*(<[0-9A-Fa-f\s]*>|\[[^\]]*\])")
_ENTRIES = 65_536
"""Codes one `/ToUnicode` map may define: a font has at most 65,536 codes."""
_ENCODINGS = {"/WinAnsiEncoding": "cp1252", "/MacRomanEncoding": "mac_roman"}
_NAMES = {
    "space": " ", "hyphen": "-", "period": ".", "comma": ",", "colon": ":", "semicolon": ";",
    "quoteright": "\u2019", "quoteleft": "\u2018", "quotedblleft": "\u201c",
    "quotedblright": "\u201d", "endash": "\u2013", "emdash": "\u2014", "fi": "fi", "fl": "fl",
    "parenleft": "(", "parenright": ")", "slash": "/", "ampersand": "&", "bullet": "\u2022",
    "question": "?", "exclam": "!", "quotesingle": "'", "quotedbl": '"', "percent": "%",
    "zero": "0", "one": "1", "two": "2", "three": "3", "four": "4", "five": "5", "six": "6",
    "seven": "7", "eight": "8", "nine": "9",
}  # fmt: skip
"""Glyph names of `/Differences` that are not one letter or `uniXXXX` (the common ones)."""


def _utf16(data: bytes) -> str:
    try:
        return data.decode("utf-16-be")
    except UnicodeDecodeError:
        return "\ufffd"


def _hex(text: bytes) -> bytes:
    digits = re.sub(rb"\s", b"", text)
    return bytes.fromhex((digits + b"0" * (len(digits) % 2)).decode("ascii"))


def parse_to_unicode(data: bytes) -> dict[int, str]:
    """A `/ToUnicode` CMap's `bfchar` and `bfrange` entries: code -> text."""
    found: dict[int, str] = {}
    for kind, body in _SECTION.findall(data):
        if kind == b"bfchar":
            pairs = _HEX.findall(body)
            for source, target in zip(pairs[::2], pairs[1::2], strict=False):
                if source.strip():
                    found[int.from_bytes(_hex(source), "big")] = _utf16(_hex(target))
        else:
            for low, high, target in _RANGE.findall(body):
                first, last = int(low, 16), int(high, 16)
                if last < first or last - first + len(found) > _ENTRIES:
                    continue
                if target.startswith(b"["):
                    for code, each in zip(
                        range(first, last + 1), _HEX.findall(target), strict=False
                    ):
                        found[code] = _utf16(_hex(each))
                    continue
                start = _hex(target[1:-1])
                if not start:
                    continue
                base = int.from_bytes(start, "big")
                for offset in range(last - first + 1):
                    value = (base + offset).to_bytes(max(len(start), 2), "big")
                    found[first + offset] = _utf16(value)
        if len(found) > _ENTRIES:
            break
    return found


def _glyph(name: str) -> str:
    if len(name) == 1:
        return name
    if name.startswith("uni") and len(name) == 7:
        try:
            return chr(int(name[3:], 16))
        except ValueError:
            return "\ufffd"
    return _NAMES.get(name, "\ufffd")


def _number(value: Any, default: float = 0.0) -> float:
    try:
        return float(value)
    except (TypeError, ValueError):
        return default


@dataclass(slots=True)
class Font:
    """One font resource, read for what its codes show and how far each advances."""

    two_bytes: bool = False
    """A composite font (`Type0`): codes of two bytes."""
    text: dict[int, str] = field(default_factory=dict)
    widths: dict[int, float] = field(default_factory=dict)
    """Code -> advance in thousandths of the font size."""
    default_width: float = 500.0
    encoding: str = "latin-1"
    ascent: float = 0.8
    descent: float = -0.2
    """Above and below the baseline, in units of the font size."""

    def codes(self, data: bytes) -> list[int]:
        if self.two_bytes:
            return [int.from_bytes(data[i : i + 2], "big") for i in range(0, len(data) - 1, 2)]
        return list(data)

    def char(self, code: int) -> str:
        known = self.text.get(code)
        if known is not None:
            return known
        if self.two_bytes:
            return "\ufffd"
        return bytes([code]).decode(self.encoding, errors="replace")

    def width(self, code: int) -> float:
        return self.widths.get(code, self.default_width)


def read_font(resource: Any) -> Font:
    """A `Font` from a font dictionary (pypdf's objects); plain defaults where it is odd."""
    font = Font()
    if not hasattr(resource, "get"):
        return font
    subtype = resource.get("/Subtype")
    described = resource
    if subtype == "/Type0":
        font.two_bytes = True
        descendants = resource.get("/DescendantFonts")
        described = descendants[0].get_object() if descendants else {}
        font.default_width = _number(described.get("/DW"), 1000.0)
        _cid_widths(described.get("/W"), font.widths)
    else:
        first = int(_number(resource.get("/FirstChar"), 0))
        scale = 1000.0
        if subtype == "/Type3":
            matrix = resource.get("/FontMatrix")
            scale = _number(matrix[0], 0.001) * 1_000_000 if matrix else 1000.0
        for offset, width in enumerate(resource.get("/Widths") or []):
            font.widths[first + offset] = _number(width) * scale / 1000.0
        _encoding(resource.get("/Encoding"), font)
    descriptor = described.get("/FontDescriptor") if hasattr(described, "get") else None
    if descriptor is not None and hasattr(descriptor, "get"):
        missing = descriptor.get("/MissingWidth")
        if missing is not None and not font.two_bytes:
            font.default_width = _number(missing, font.default_width)
        ascent, descent = _number(descriptor.get("/Ascent")), _number(descriptor.get("/Descent"))
        if 0 < ascent <= 1500 and -1000 <= descent < 0:
            font.ascent, font.descent = ascent / 1000.0, descent / 1000.0
    unicode = resource.get("/ToUnicode")
    if unicode is not None and hasattr(unicode, "get_data"):
        # a damaged stream: codes read as encoded
        with contextlib.suppress(ValueError, OSError, NotImplementedError):
            font.text.update(parse_to_unicode(unicode.get_data()))
    return font


def _encoding(encoding: Any, font: Font) -> None:
    name = encoding.get("/BaseEncoding") if hasattr(encoding, "get") else encoding
    font.encoding = _ENCODINGS.get(str(name), "cp1252")
    codecs.lookup(font.encoding)
    differences = encoding.get("/Differences") if hasattr(encoding, "get") else None
    code = 0
    for entry in differences or []:
        if isinstance(entry, int | float):
            code = int(entry)
        else:
            font.text.setdefault(code, _glyph(str(entry).lstrip("/")))
            code += 1


def _cid_widths(array: Any, widths: dict[int, float]) -> None:
    """A composite font's `/W`: `c [w1 w2 ...]` and `c_first c_last w` entries."""
    items = list(array or [])
    index = 0
    while index < len(items) and len(widths) < _ENTRIES:
        first = int(_number(items[index]))
        following: Any = items[index + 1] if index + 1 < len(items) else None
        if hasattr(following, "__iter__") and not isinstance(following, str | bytes):
            for offset, width in enumerate(following):
                widths[first + offset] = _number(width)
            index += 2
        elif index + 2 < len(items):
            last, width = int(_number(following)), _number(items[index + 2])
            for code in range(first, min(last, first + _ENTRIES) + 1):
                widths[code] = width
            index += 3
        else:
            break
