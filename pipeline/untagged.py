"""What a PDF page draws, read from its content stream: what lies outside tagged content (PDF/UA
7.1: every glyph, path and picture belongs to a structure element or is an artifact), which
fonts it draws with that are not embedded (7.21.4.1), and roughly where it draws (so that the
pack's own header and footer can find a free band).

Paths that a part leaves outside its tags are decoration (the rule under a heading, a cell's
border, a background): `mark_decoration` marks them as artifacts, as PDF/UA asks. Text and
pictures outside the tags are content that a screen reader would miss: they are reported, never
hidden as artifacts.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

import pikepdf
from pikepdf import Array, Dictionary, Name, Operator, Stream

TEXT = frozenset({"Tj", "TJ", "'", '"'})
PAINT = frozenset({"S", "s", "f", "F", "f*", "B", "B*", "b", "b*"})
PATH = frozenset({"m", "l", "c", "v", "y", "re", "h"})
Matrix = tuple[float, float, float, float, float, float]
Box = tuple[float, float, float, float]
_IDENTITY: Matrix = (1.0, 0.0, 0.0, 1.0, 0.0, 0.0)
_DEPTH = 12
"""Form XObjects looked into, one inside another (a hostile file may nest them without end)."""


def multiply(m: Matrix, n: Matrix) -> Matrix:
    """m then n (PDF's row-vector convention: a point goes through m first)."""
    a, b, c, d, e, f = m
    p, q, r, s, t, u = n
    return (
        a * p + b * r,
        a * q + b * s,
        c * p + d * r,
        c * q + d * s,
        e * p + f * r + t,
        e * q + f * s + u,
    )


def apply(m: Matrix, x: float, y: float) -> tuple[float, float]:
    return m[0] * x + m[2] * y + m[4], m[1] * x + m[3] * y + m[5]


def _box(m: Matrix, points: list[tuple[float, float]]) -> Box:
    moved = [apply(m, x, y) for x, y in points]
    xs, ys = [p[0] for p in moved], [p[1] for p in moved]
    return min(xs), min(ys), max(xs), max(ys)


def _numbers(values: Any) -> list[float]:
    try:
        return [float(v) for v in values]
    except (TypeError, ValueError):
        return []


def _matrix(values: Any) -> Matrix:
    numbers = _numbers(values)
    return (
        (numbers[0], numbers[1], numbers[2], numbers[3], numbers[4], numbers[5])
        if len(numbers) == 6
        else _IDENTITY
    )


def embedded(font: Any) -> bool:
    """Whether a font dictionary carries its font program (a Type 3 font is its own)."""
    if not isinstance(font, Dictionary):
        return True  # a damaged entry draws nothing
    if font.get("/Subtype") == Name.Type3:
        return True
    if font.get("/Subtype") == Name.Type0:
        descendants = font.get("/DescendantFonts")
        font = descendants[0] if isinstance(descendants, Array) and len(descendants) else None
        if not isinstance(font, Dictionary):
            return False
    descriptor = font.get("/FontDescriptor")
    return isinstance(descriptor, Dictionary) and any(
        key in descriptor for key in ("/FontFile", "/FontFile2", "/FontFile3")
    )


@dataclass
class Found:
    """What a page (with the forms it draws) shows outside tagged content, and where it draws."""

    untagged: dict[str, int] = field(default_factory=dict)
    """Kinds of content ("text", "picture") drawn outside tags -> how many times."""
    decoration: list[int] = field(default_factory=list)
    """Indexes of the page's own instructions that paint untagged paths (or a form of paths
    only): each starts a path or is the painting operator itself."""
    fonts: set[str] = field(default_factory=set)
    """Fonts drawn with but not embedded (their names)."""
    boxes: list[Box] = field(default_factory=list)
    """Rough boxes of what is drawn, in the page's space."""


class _Reader:
    """One walk through a content stream and the forms it draws outside tags."""

    def __init__(self, page_box: Box, found: Found, geometry: bool) -> None:
        self.found, self.geometry = found, geometry
        x0, y0, x1, y1 = page_box
        self.area = abs((x1 - x0) * (y1 - y0)) or 1.0
        self.seen: set[tuple[int, int]] = set()

    def walk(
        self,
        instructions: list[Any],
        resources: Any,
        ctm: Matrix,
        depth: int,
        covered: bool,
        top: bool,
    ) -> set[str]:
        """Walk `instructions`; the kinds of untagged content met (and, at the top, record the
        decoration to mark)."""
        kinds: set[str] = set()
        marks: list[bool] = []
        stack: list[Matrix] = []
        text, line = _IDENTITY, _IDENTITY
        size = leading = 0.0
        start: int | None = None
        points: list[tuple[float, float]] = []
        fonts = resources.get("/Font") if isinstance(resources, Dictionary) else None
        xobjects = resources.get("/XObject") if isinstance(resources, Dictionary) else None
        for index, instruction in enumerate(instructions):
            if isinstance(instruction, pikepdf.ContentStreamInlineImage):
                if not (covered or any(marks)):
                    kinds.add("picture")
                if self.geometry:
                    self._add(_box(ctm, [(0, 0), (1, 1)]))
                continue
            operands, op = instruction.operands, str(instruction.operator)
            inside = covered or any(marks)
            if op in ("BDC", "BMC"):
                props = operands[1] if op == "BDC" and len(operands) > 1 else None
                if isinstance(props, Name) and isinstance(resources, Dictionary):
                    named = resources.get("/Properties")
                    props = named.get(str(props)) if isinstance(named, Dictionary) else None
                tag = operands[0] if operands else None
                marks.append(
                    tag == Name.Artifact or (isinstance(props, Dictionary) and "/MCID" in props)
                )
            elif op == "EMC":
                if marks:
                    marks.pop()
            elif op == "q":
                stack.append(ctm)
            elif op == "Q":
                ctm = stack.pop() if stack else ctm
            elif op == "cm":
                ctm = multiply(_matrix(operands), ctm)
            elif op in PATH:
                if start is None:
                    start = index
                if self.geometry:
                    numbers = _numbers(operands)
                    if op == "re" and len(numbers) == 4:
                        x, y, w, h = numbers
                        points += [(x, y), (x + w, y + h)]
                    else:
                        points += list(zip(numbers[::2], numbers[1::2], strict=False))
            elif op in PAINT or op == "n":
                if op != "n":
                    if not inside and top:
                        self.found.decoration.append(start if start is not None else index)
                    elif not inside:
                        kinds.add("path")
                    if self.geometry and points:
                        self._add(_box(ctm, points), fill=op != "S")
                start, points = None, []
            elif op == "sh" and not inside:
                if top:
                    self.found.decoration.append(index)
                else:
                    kinds.add("path")
            elif op == "BT":
                text = line = _IDENTITY
            elif op == "Tf" and len(operands) == 2:
                size = (_numbers(operands[1:]) or [size])[0]
                font = fonts.get(str(operands[0])) if isinstance(fonts, Dictionary) else None
                if font is not None and not embedded(font):
                    self.found.fonts.add(str(font.get("/BaseFont", operands[0]))[1:])
            elif op == "TL" and operands:
                leading = float(operands[0])
            elif op in ("Td", "TD") and len(operands) == 2:
                tx, ty = float(operands[0]), float(operands[1])
                leading = -ty if op == "TD" else leading
                text = line = multiply((1, 0, 0, 1, tx, ty), line)
            elif op == "Tm":
                text = line = _matrix(operands)
            elif op == "T*":
                text = line = multiply((1, 0, 0, 1, 0, -leading), line)
            if op in TEXT:
                if op in ("'", '"'):
                    text = line = multiply((1, 0, 0, 1, 0, -leading), line)
                if not inside:
                    kinds.add("text")
                if self.geometry:
                    count = sum(len(bytes(o)) for o in _strings(operands))
                    width = 0.5 * size * count
                    self._add(_box(multiply(text, ctm), [(0, -0.25 * size), (width, size)]))
                    text = multiply((1, 0, 0, 1, width, 0), text)
            elif op == "Do" and operands:
                kinds |= self._draw(xobjects, operands[0], ctm, depth, inside, top, index)
        return kinds

    def _add(self, box: Box, fill: bool = True) -> None:
        if fill and (box[2] - box[0]) * (box[3] - box[1]) > 0.9 * self.area:
            return  # a page's background: no band is free of it, nor covered by the stamp
        self.found.boxes.append(box)

    def _draw(
        self, xobjects: Any, name: Any, ctm: Matrix, depth: int, inside: bool, top: bool, index: int
    ) -> set[str]:
        xobject = xobjects.get(str(name)) if isinstance(xobjects, Dictionary) else None
        if not isinstance(xobject, Stream):
            return set()
        subtype = xobject.get("/Subtype")
        if subtype == Name.Image:
            if self.geometry:
                self._add(_box(ctm, [(0, 0), (1, 1)]))
            return set() if inside else {"picture"}
        if subtype != Name.Form or depth >= _DEPTH or (xobject.objgen in self.seen and inside):
            return set()
        self.seen.add(xobject.objgen)
        matrix = multiply(_matrix(xobject.get("/Matrix")), ctm)
        if self.geometry:
            bbox = _numbers(xobject.get("/BBox"))
            if len(bbox) == 4:
                self._add(_box(matrix, [(bbox[0], bbox[1]), (bbox[2], bbox[3])]))
        try:
            inner = pikepdf.parse_content_stream(xobject)
        except pikepdf.PdfError:
            return set()
        saved, self.geometry = self.geometry, False  # the form's box stands for it
        try:
            kinds = self.walk(inner, xobject.get("/Resources"), matrix, depth + 1, inside, False)
        finally:
            self.geometry = saved
        if kinds == {"path"} and top:  # a drawing of lines and fills only: decoration
            self.found.decoration.append(index)
            return set()
        return kinds


def _strings(operands: Any) -> list[Any]:
    found = []
    for operand in operands:
        if isinstance(operand, pikepdf.String):
            found.append(operand)
        elif isinstance(operand, Array):
            found += [item for item in operand if isinstance(item, pikepdf.String)]
    return found


def read_page(page: pikepdf.Page, geometry: bool = False) -> tuple[Found, list[Any]]:
    """What `page` draws outside tags (and, if asked, where it draws); with its instructions."""
    found = Found()
    instructions = list(pikepdf.parse_content_stream(page))
    box = tuple(_numbers(page.mediabox)) or (0.0, 0.0, 1.0, 1.0)
    reader = _Reader(box, found, geometry)  # type: ignore[arg-type]
    kinds = reader.walk(instructions, page.obj.get("/Resources"), _IDENTITY, 0, False, True)
    for kind in kinds - {"path"}:
        found.untagged[kind] = found.untagged.get(kind, 0) + 1
    return found, instructions


def mark_decoration(
    pdf: pikepdf.Pdf, page: pikepdf.Page, found: Found, instructions: list[Any]
) -> None:
    """Mark the untagged paths `found` on `page` as artifacts (`/Artifact BMC ... EMC` around
    each, from where the path starts to its painting operator, or around the form drawn)."""
    if not found.decoration:
        return
    starts = set(found.decoration)
    out: list[Any] = []
    open_at = False
    for index, instruction in enumerate(instructions):
        if index in starts and not open_at:
            out.append(pikepdf.ContentStreamInstruction([Name.Artifact], Operator("BMC")))
            open_at = True
        out.append(instruction)
        if open_at and not isinstance(instruction, pikepdf.ContentStreamInlineImage):
            op = str(instruction.operator)
            if op in PAINT or op in ("sh", "Do"):
                out.append(pikepdf.ContentStreamInstruction([], Operator("EMC")))
                open_at = False
    page.obj.Contents = pdf.make_stream(pikepdf.unparse_content_stream(out))
    found.decoration = []


_STRING = rb"\((?:[^()\\]|\\.|\((?:[^()\\]|\\.)*\))*\)"
_DICT = rb"<<(?:[^<>(]|" + _STRING + rb")*>>"
_TOKENS = re.compile(
    _STRING  # a string (skipped: it may hold anything)
    + rb"|" + _DICT  # a dictionary: the properties of the next BDC
    + rb"|/Artifact\s*(?:" + _DICT + rb"\s*)?(?:BDC|BMC)\b"
    + rb"|\bBI\b.*?\bID\b.*?\bEI\b"  # an inline image
    + rb"|(?<![A-Za-z'\"*])(BDC|BMC|EMC|Tj|TJ|'|\"|S|s|f\*?|F|B\*?|b\*?|sh|Do)(?![A-Za-z*])",
    re.S,
)  # fmt: skip


def _clean(data: bytes) -> bool:
    """Whether everything a content stream draws is inside an artifact or marked content with
    an MCID, read at the speed of a regular expression: a third of the time of parsing it
    (a page LibreOffice tagged whole needs no more). False may be wrong (a named property
    list, a string nested deeper): `read_page` then looks properly."""
    depth = covered = 0  # covered: the depth of the mark that covers what follows (0: none)
    properties = b""
    for match in _TOKENS.finditer(data):
        token, op = match.group(0), match.group(1)
        if op is None:
            if token.startswith(b"/Artifact"):
                depth += 1
                covered = covered or depth
            elif token.startswith(b"<<"):
                properties = token
            elif token.startswith(b"BI") and not covered:
                return False
            continue
        if op in (b"BDC", b"BMC"):
            depth += 1
            if not covered and op == b"BDC" and b"/MCID" in properties:
                covered = depth
        elif op == b"EMC":
            covered = 0 if covered == depth else covered
            depth = max(0, depth - 1)
        elif not covered:
            return False
        properties = b""
    return True


def _fonts(resources: Any, depth: int = 0) -> set[str]:
    """The fonts not embedded among `resources` and those of the forms they hold."""
    if not isinstance(resources, Dictionary) or depth > _DEPTH:
        return set()
    fonts, xobjects = resources.get("/Font"), resources.get("/XObject")
    found = {
        str(font.get("/BaseFont", name))[1:]
        for name, font in (fonts.items() if isinstance(fonts, Dictionary) else ())
        if not embedded(font)
    }
    for xobject in xobjects.values() if isinstance(xobjects, Dictionary) else ():
        if isinstance(xobject, Stream) and xobject.get("/Subtype") == Name.Form:
            found |= _fonts(xobject.get("/Resources"), depth + 1)
    return found


def inspect(
    pdf: pikepdf.Pdf, page: pikepdf.Page, geometry: bool = False, fix: bool = True
) -> Found:
    """What `page` draws outside tags, with the untagged paths marked as artifacts (`fix`), and
    where it draws (if asked: `geometry`)."""
    try:
        if not geometry:
            contents = page.obj.get("/Contents")
            streams = (
                list(contents) if isinstance(contents, Array) else [contents] if contents else []
            )
            data = b"\n".join(s.read_bytes() for s in streams if isinstance(s, Stream))
            if _clean(data):
                return Found(fonts=_fonts(page.obj.get("/Resources")))
        found, instructions = read_page(page, geometry)
    except (pikepdf.PdfError, ValueError, TypeError):  # damaged: combine says so, by page
        return Found(untagged={"content that cannot be read": 1})
    if fix:
        mark_decoration(pdf, page, found, instructions)
    return found
