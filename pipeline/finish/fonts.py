"""The font of the pack's own words on its pages (the header and "Page k of N" stamped on PDF
appendices, the DRAFT mark), embedded: PDF/UA (7.21.4.1) wants every font that draws text
embedded, and a reader without the font would substitute another.

Liberation Sans (Arial's metrics, in Debian's fonts-liberation), found by fontconfig, else
Carlito; embedded as a TrueType font in WinAnsi encoding, cut down (by fontTools) to the
characters the pack draws. Cutting a font down takes fontTools a tenth of a second to import:
each font's widths and each cut are kept in the user's cache folder (beside LibreOffice's kept
profiles), so a build that has drawn these characters before does without it. The cut font
is the same bytes every time (no timestamps), so the pack is too.
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import json
import os
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

from pikepdf import Array, Dictionary, Name, Pdf

from pipeline.errors import CombineError, PackError
from pipeline.files import atomic_path

FAMILIES = ("Liberation Sans", "Carlito")
"""Fonts tried in order (fontconfig's own fallback may be anything: only these are taken)."""
CODES = range(32, 256)
"""The character codes of WinAnsi text that the font's widths cover."""


def _cache() -> Path:
    base = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
    return base / "tc-pack" / "fonts"


def find_font(bold: bool = False) -> Path:
    """The TrueType file of the first of `FAMILIES` that fontconfig has, or `CombineError`.
    Kept in the cache folder while that file is there (asking fontconfig takes 20 ms)."""
    kept = _cache() / f"found-{'bold' if bold else 'regular'}.txt"
    with contextlib.suppress(OSError):
        found = Path(kept.read_text(encoding="utf-8"))
        if found.is_file():
            return found
    path = _match(bold)
    _keep(kept, str(path).encode("utf-8"))
    return path


def _match(bold: bool) -> Path:
    program = shutil.which("fc-match")
    for family in FAMILIES:
        if program is None:
            break
        pattern = f"{family}:bold" if bold else f"{family}:regular"
        with contextlib.suppress(OSError, subprocess.SubprocessError):
            done = subprocess.run(
                [program, "-f", "%{family}\n%{file}", pattern],
                capture_output=True, text=True, timeout=10, check=False,
            )  # fmt: skip
            names, _, file = done.stdout.partition("\n")
            if family in names.split(",") and file.lower().endswith(".ttf"):
                return Path(file)
    raise CombineError(
        "no font to draw the pack's page numbers with; install Liberation Sans "
        "(Debian/Ubuntu: apt-get install fonts-liberation)"
    )


@dataclass
class Metrics:
    """A font's measures, in thousandths of its size."""

    name: str
    widths: list[int]
    """The width of each code of `CODES` (a character the font lacks: its `?`)."""
    bbox: list[int]
    ascent: int
    descent: int
    cap: int
    bold: bool


class StampFont:
    """One font file, measured and cut down for the characters drawn."""

    def __init__(self, path: Path, bold: bool = False) -> None:
        self.path, self.bold = path, bold
        status = path.stat()
        self.key = f"{path}|{status.st_size}|{status.st_mtime_ns}"
        self._metrics: Metrics | None = None

    @classmethod
    def find(cls, bold: bool = False) -> StampFont:
        return cls(find_font(bold), bold)

    def _cached(self, what: str) -> Path:
        return _cache() / f"{hashlib.sha256(f'{self.key}|{what}'.encode()).hexdigest()[:32]}"

    @property
    def metrics(self) -> Metrics:
        if self._metrics is None:
            cached = self._cached("metrics").with_suffix(".json")
            with contextlib.suppress(OSError, ValueError, TypeError):
                self._metrics = Metrics(**json.loads(cached.read_text(encoding="utf-8")))
            if self._metrics is None:
                self._metrics = self._measure()
                _keep(cached, json.dumps(self._metrics.__dict__).encode())
        return self._metrics

    def _measure(self) -> Metrics:
        from fontTools.ttLib import TTFont

        with TTFont(str(self.path), lazy=True, recalcTimestamp=False) as font:
            scale = 1000 / font["head"].unitsPerEm
            cmap = font.getBestCmap() or {}
            advances = font["hmtx"].metrics
            fallback = cmap.get(ord("?"), ".notdef")
            widths = []
            for code in CODES:
                char = bytes([code]).decode("cp1252", "replace")
                glyph = cmap.get(ord(char), fallback)
                widths.append(round(advances.get(glyph, (0, 0))[0] * scale))
            head, os2 = font["head"], font["OS/2"]
            return Metrics(
                name=str(font["name"].getDebugName(6) or "Font").replace(" ", ""),
                widths=widths,
                bbox=[round(v * scale) for v in (head.xMin, head.yMin, head.xMax, head.yMax)],
                ascent=round(os2.sTypoAscender * scale),
                descent=round(os2.sTypoDescender * scale),
                cap=round(getattr(os2, "sCapHeight", 0) * scale) or 700,
                bold=self.bold,
            )

    def width(self, text: str, size: float) -> float:
        """The width of `text` at `size` points."""
        widths = self.metrics.widths
        return sum(widths[code - 32] if code >= 32 else 0 for code in encode(text)) * size / 1000

    def _subset(self, chars: str) -> bytes:
        cached = self._cached(f"subset|{chars}").with_suffix(".ttf")
        with contextlib.suppress(OSError):
            return cached.read_bytes()
        from fontTools import subset
        from fontTools.ttLib import TTFont

        options = subset.Options()
        options.recalc_timestamp = False  # the same bytes at every build
        options.notdef_outline = True
        options.layout_features = []
        options.hinting = False
        options.name_IDs = [0, 1, 2, 3, 4, 5, 6]
        options.drop_tables += ["GSUB", "GPOS", "GDEF", "kern", "DSIG", "FFTM"]
        with TTFont(str(self.path), recalcTimestamp=False) as font:
            cutter = subset.Subsetter(options)
            cutter.populate(text=chars + "?")
            cutter.subset(font)
            out = io.BytesIO()
            font.save(out)
        data = out.getvalue()
        _keep(cached, data)
        return data

    def embed(self, pdf: Pdf, text: str) -> Dictionary:
        """The font, cut down to the characters of `text`, as an indirect font dictionary."""
        chars = "".join(sorted({bytes([c]).decode("cp1252", "replace") for c in encode(text)}))
        program = self._subset(chars)
        metrics = self.metrics
        tag = "".join(chr(65 + b % 26) for b in hashlib.sha256(program).digest()[:6])
        name = Name(f"/{tag}+{metrics.name}")
        stream = pdf.make_stream(program)
        stream.Length1 = len(program)
        descriptor = Dictionary(
            Type=Name.FontDescriptor,
            FontName=name,
            Flags=32 | (1 << 18 if metrics.bold else 0),  # nonsymbolic (and bold)
            FontBBox=Array(metrics.bbox),
            ItalicAngle=0,
            Ascent=metrics.ascent,
            Descent=metrics.descent,
            CapHeight=metrics.cap,
            StemV=120 if metrics.bold else 80,
            FontFile2=stream,
        )
        return pdf.make_indirect(
            Dictionary(
                Type=Name.Font,
                Subtype=Name.TrueType,
                BaseFont=name,
                FirstChar=CODES[0],
                LastChar=CODES[-1],
                Widths=Array(metrics.widths),
                Encoding=Name.WinAnsiEncoding,
                FontDescriptor=pdf.make_indirect(descriptor),
                ToUnicode=pdf.make_stream(_to_unicode(chars)),
            )
        )


def _to_unicode(chars: str) -> bytes:
    """A ToUnicode map of the WinAnsi codes of `chars`: text extraction and screen readers
    need not know WinAnsi."""
    pairs = sorted((encode(char)[0], char) for char in chars)
    lines = [f"<{code:02X}> <{ord(char):04X}>" for code, char in pairs]
    blocks = "".join(  # at most 100 to a block
        f"{len(lines[at : at + 100])} beginbfchar\n"
        + "\n".join(lines[at : at + 100])
        + "\nendbfchar\n"
        for at in range(0, len(lines), 100)
    )
    return (
        "/CIDInit /ProcSet findresource begin 12 dict begin begincmap\n"
        "/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def\n"
        "/CMapName /Adobe-Identity-UCS def /CMapType 2 def\n"
        "1 begincodespacerange <00> <FF> endcodespacerange\n"
        + blocks
        + "endcmap CMapName currentdict /CMap defineresource pop end end\n"
    ).encode("ascii")


def encode(text: str) -> bytes:
    """`text` in WinAnsi (cp1252): a character it lacks becomes `?`."""
    return text.encode("cp1252", "replace")


def literal(text: str) -> bytes:
    """`text` as a PDF string literal in WinAnsi."""
    raw = encode(text)
    return b"(" + raw.replace(b"\\", b"\\\\").replace(b"(", b"\\(").replace(b")", b"\\)") + b")"


def _keep(path: Path, data: bytes) -> None:
    """Keep `data` in the cache (nothing is lost if it cannot be written)."""
    with contextlib.suppress(OSError, PackError):
        path.parent.mkdir(parents=True, exist_ok=True)
        with atomic_path(path) as tmp:
            tmp.write_bytes(data)
