"""A page's text as glyphs with their boxes, in the order the page draws them, to quote the
words a reviewer marked.

A small interpreter of the text operators (`BT`..`ET`, the text state, `Tj`, `TJ`, `'`, `"`),
the graphics state (`q`, `Q`, `cm`) and form XObjects (`Do`), over pypdf's parsing of the
content streams. Producers draw a page's text in reading order (LibreOffice paragraph by
paragraph, a table cell by cell), so the drawing order is the order words are read in; page
furniture (running headers, footers, the pack's stamps) is marked `/Artifact` and left out.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from pipeline.annotations.fonts import Font, read_font

_OPERATIONS = 2_000_000
"""Content operators read on one page (forms included) before the rest is given up."""
_DEPTH = 8
"""Forms inside forms followed."""

Matrix = tuple[float, float, float, float, float, float]
IDENTITY: Matrix = (1.0, 0.0, 0.0, 1.0, 0.0, 0.0)


def multiply(a: Matrix, b: Matrix) -> Matrix:
    """`a` then `b` (PDF's row-vector convention)."""
    return (
        a[0] * b[0] + a[1] * b[2],
        a[0] * b[1] + a[1] * b[3],
        a[2] * b[0] + a[3] * b[2],
        a[2] * b[1] + a[3] * b[3],
        a[4] * b[0] + a[5] * b[2] + b[4],
        a[4] * b[1] + a[5] * b[3] + b[5],
    )


def _apply(m: Matrix, x: float, y: float) -> tuple[float, float]:
    return (m[0] * x + m[2] * y + m[4], m[1] * x + m[3] * y + m[5])


@dataclass(frozen=True, slots=True)
class Glyph:
    """One glyph drawn on the page."""

    text: str
    x0: float
    y0: float
    x1: float
    y1: float
    """Its box in the page's default space (where annotations' rectangles are)."""
    size: float
    """Its height on the page: the font size as drawn."""
    run: int
    """Glyphs of one run share a baseline and follow each other; a new line starts a new run."""

    @property
    def space(self) -> bool:
        return not self.text.strip()


def _float(value: Any) -> float:
    try:
        return float(value)
    except (TypeError, ValueError):
        return 0.0


class _Reader:
    """Walks content streams, collecting glyphs."""

    def __init__(self, reader: Any) -> None:
        self.reader = reader
        self.glyphs: list[Glyph] = []
        self.fonts: dict[int, Font] = {}
        self.budget = _OPERATIONS
        self.run = 0
        self.last: tuple[float, float, float] | None = None  # the last glyph's end and baseline

    def font(self, resource: Any) -> Font:
        key = id(resource)
        if key not in self.fonts:
            self.fonts[key] = read_font(resource)
        return self.fonts[key]

    def walk(self, content: Any, resources: Any, ctm: Matrix, depth: int) -> None:
        from pypdf.generic import ContentStream

        if depth > _DEPTH or content is None:
            return
        stream = (
            content if isinstance(content, ContentStream) else ContentStream(content, self.reader)
        )
        fonts = resources.get("/Font", {}) if hasattr(resources, "get") else {}
        xobjects = resources.get("/XObject", {}) if hasattr(resources, "get") else {}
        stack: list[Matrix] = []
        marks: list[bool] = []  # marked content: is it an artifact
        font, size, tm, tlm = Font(), 0.0, IDENTITY, IDENTITY
        char_space = word_space = rise = leading = 0.0
        scale = 1.0
        for operands, operator in stream.operations:
            self.budget -= 1
            if self.budget < 0:
                return
            op = operator if isinstance(operator, bytes) else b""
            artifact = any(marks)
            if op == b"q":
                stack.append(ctm)
            elif op == b"Q":
                ctm = stack.pop() if stack else ctm
            elif op == b"cm" and len(operands) == 6:
                ctm = multiply(tuple(_float(v) for v in operands), ctm)  # type: ignore[arg-type]
            elif op in (b"BMC", b"BDC"):
                marks.append(bool(operands) and operands[0] == "/Artifact")
            elif op == b"EMC":
                if marks:
                    marks.pop()
            elif op == b"BT":
                tm = tlm = IDENTITY
            elif op == b"Tf" and len(operands) == 2:
                resource = fonts.get(operands[0]) if hasattr(fonts, "get") else None
                font = self.font(resource.get_object() if resource is not None else None)
                size = _float(operands[1])
            elif op == b"Tc" and operands:
                char_space = _float(operands[0])
            elif op == b"Tw" and operands:
                word_space = _float(operands[0])
            elif op == b"Tz" and operands:
                scale = _float(operands[0]) / 100.0
            elif op == b"TL" and operands:
                leading = _float(operands[0])
            elif op == b"Ts" and operands:
                rise = _float(operands[0])
            elif op in (b"Td", b"TD") and len(operands) == 2:
                tx, ty = _float(operands[0]), _float(operands[1])
                if op == b"TD":
                    leading = -ty
                tm = tlm = multiply((1.0, 0.0, 0.0, 1.0, tx, ty), tlm)
            elif op == b"Tm" and len(operands) == 6:
                tm = tlm = tuple(_float(v) for v in operands)  # type: ignore[assignment]
            elif op == b"T*":
                tm = tlm = multiply((1.0, 0.0, 0.0, 1.0, 0.0, -leading), tlm)
            elif op in (b"Tj", b"'", b'"', b"TJ") and operands:
                if op in (b"'", b'"'):
                    if op == b'"' and len(operands) == 3:
                        word_space, char_space = _float(operands[0]), _float(operands[1])
                    tm = tlm = multiply((1.0, 0.0, 0.0, 1.0, 0.0, -leading), tlm)
                items = operands[0] if op == b"TJ" else [operands[-1]]
                state = (font, size, char_space, word_space, scale, rise, ctm, artifact)
                tm = self.show(items if isinstance(items, list) else [items], tm, state)
            elif op == b"Do" and operands and hasattr(xobjects, "get"):
                self.form(xobjects.get(operands[0]), resources, ctm, depth)

    def form(self, ref: Any, resources: Any, ctm: Matrix, depth: int) -> None:
        xobject: Any = ref.get_object() if ref is not None else None
        if not hasattr(xobject, "get") or xobject.get("/Subtype") != "/Form":
            return
        matrix = xobject.get("/Matrix")
        m = tuple(_float(v) for v in matrix) if matrix and len(matrix) == 6 else IDENTITY
        own = xobject.get("/Resources")
        self.walk(xobject, own.get_object() if own is not None else resources,
                  multiply(m, ctm), depth + 1)  # type: ignore[arg-type]  # fmt: skip

    def show(self, items: list[Any], tm: Matrix, state: tuple[Any, ...]) -> Matrix:
        font, size, char_space, word_space, scale, rise, ctm, artifact = state
        for item in items:
            if isinstance(item, int | float) or hasattr(item, "as_numeric"):
                tm = multiply((1.0, 0.0, 0.0, 1.0, -_float(item) / 1000.0 * size * scale, 0.0), tm)
                continue
            data = getattr(item, "original_bytes", None)
            data = (
                data if isinstance(data, bytes) else bytes(item) if isinstance(item, bytes) else b""
            )
            for code in font.codes(data):
                width = font.width(code) / 1000.0 * size
                space = word_space if not font.two_bytes and code == 32 else 0.0
                advance = (width + char_space + space) * scale
                if not artifact:
                    self.add(font.char(code), width * scale, size, rise, multiply(tm, ctm), font)
                tm = multiply((1.0, 0.0, 0.0, 1.0, advance, 0.0), tm)
        return tm

    def add(self, text: str, width: float, size: float, rise: float, m: Matrix, font: Font) -> None:
        corners = [
            _apply(m, x, y)
            for x in (0.0, width)
            for y in (rise + font.descent * size, rise + font.ascent * size)
        ]
        xs, ys = [c[0] for c in corners], [c[1] for c in corners]
        origin = _apply(m, 0.0, rise)
        height = abs(_apply(m, 0.0, size)[1] - origin[1]) or abs(
            _apply(m, size, 0.0)[1] - origin[1]
        )
        if self.last is not None:
            end_x, base, last_size = self.last
            tolerance = max(height, last_size) * 0.5
            if abs(origin[1] - base) > tolerance or origin[0] < end_x - tolerance * 2:
                self.run += 1
        self.last = (max(xs), origin[1], height)
        self.glyphs.append(Glyph(text, min(xs), min(ys), max(xs), max(ys), height, self.run))


def page_glyphs(reader: Any, page: Any) -> list[Glyph]:
    """The glyphs `page` draws, in drawing order, page furniture left out."""
    walker = _Reader(reader)
    resources = page.get("/Resources")
    contents = page.get_contents()
    if contents is not None:
        walker.walk(contents, resources.get_object() if resources is not None else {}, IDENTITY, 0)
    return walker.glyphs
