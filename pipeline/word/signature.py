"""Signature images in the sign-off tables: each in the box of its "Signature" label (the cell
beside it, or below it where the table reads across), scaled to the box, with alt text. Without
an image the box stays empty, for a wet signature."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any, Protocol

from docx.shared import Cm, Length, Twips

from pipeline.errors import TemplateError

LABEL = "Signature"
"""The label of a signature box's row, in the template's sign-off tables."""
MAX_HEIGHT = Cm(2)
"""A signature taller than this is scaled down: the sign-off keeps to its page."""
_EMU_PER_INCH = 914400
_PADDING = Twips(480)
"""Room left in the cell: its margins (0.19 cm each side by default) and the space LibreOffice
leaves before a picture."""


def signature_boxes(document: Any) -> list[tuple[Any, Length]]:
    """The box of each "Signature" label, in document order, with the width a picture
    in each may take: the narrower of the cell's own width and its grid column's (LibreOffice
    lays an automatic-width table out by its grid), less the cell's margins."""
    boxes = []
    for table in document.tables:
        columns = [column.width for column in table.columns]
        rows = [row.cells for row in table.rows]
        for number, cells in enumerate(rows):
            for index, label in enumerate(cells):
                if label.text.strip() != LABEL:
                    continue
                # the box is the empty cell beside the label (a table that reads down) or,
                # in a table that reads across with a header row, the one below it
                beside = cells[index + 1] if index + 1 < len(cells) else None
                below = rows[number + 1][index] if number + 1 < len(rows) else None
                box, column = next(
                    (
                        (cell, col)
                        for cell, col in ((beside, index + 1), (below, index))
                        if cell is not None and not cell.text.strip()
                    ),
                    (None, 0),
                )
                if box is None:
                    continue
                widths = [w for w in (box.width, columns[column]) if w]
                width = min(widths, default=Cm(8)) - _PADDING
                boxes.append((box, Length(max(int(width), int(Cm(2))))))
    return boxes


class Shown(Protocol):
    """A picture as it is handed to Word (`markdown.picture.Picture`: decoded whole, turned
    upright, in a format every reader takes): the same repairs as an answer's picture."""

    @property
    def data(self) -> bytes: ...
    @property
    def width(self) -> int: ...  # pixels
    @property
    def height(self) -> int: ...
    @property
    def dpi(self) -> float: ...


def place_signatures(
    document: Any, signatures: list[tuple[tuple[Path, Shown] | None, str]], template: Path
) -> None:
    """Each ((image file, its picture), alt text) into the n-th signature box; None leaves
    its box empty."""
    boxes = signature_boxes(document)
    for index, (image, alt) in enumerate(signatures):
        if image is None:
            continue
        path, picture = image
        if index >= len(boxes):
            raise TemplateError(
                f"{template}: no empty cell beside a {LABEL!r} label for the signature "
                f"{path.name}; keep the sign-off tables' {LABEL} rows"
            )
        width = picture.width / picture.dpi * _EMU_PER_INCH
        height = picture.height / picture.dpi * _EMU_PER_INCH
        box, room = boxes[index]
        scale = min(room / width, MAX_HEIGHT / height)
        run = box.paragraphs[0].add_run()
        run.add_picture(
            io.BytesIO(picture.data),
            width=Length(int(width * scale)),
            height=Length(int(height * scale)),
        )
        for doc_pr in run._r.xpath(".//wp:docPr"):
            doc_pr.set("descr", alt)  # alt text, read aloud by screen readers
