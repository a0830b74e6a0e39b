"""Table XML that python-docx does not offer, shared by the Markdown renderer and the plan
table: header rows that repeat on every page, fixed column widths sized by content."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.shared import Length

if TYPE_CHECKING:
    from docx.table import Table


def repeat_header(row: Any) -> None:
    """Mark a table row as a header row, repeated at the top of every page."""
    tr_pr = row._tr.get_or_add_trPr()
    tr_pr.append(parse_xml(f'<w:tblHeader {nsdecls("w")} w:val="true"/>'))


def cell_widths(rows: list[list[str]], columns: int, total: Length) -> list[Length]:
    """Widths that share `total` by how much each column holds (its longest cell, within
    limits), so a column of figures stays narrow and a column of sentences gets the room."""
    weights = []
    for c in range(columns):
        cells = [row[c] for row in rows if c < len(row)]
        longest = max((len(cell) for cell in cells), default=0)
        word = max((len(w) for cell in cells for w in cell.split()), default=0)
        weights.append(min(max(longest, 6), 60) + word)  # never break inside a word
    return [Length(int(total * w / sum(weights))) for w in weights]


def fix_widths(table: Table, widths: list[Length]) -> None:
    """Fixed layout with the given column widths: Word and LibreOffice then agree."""
    table.autofit = False
    table._tbl.tblPr.append(parse_xml(f'<w:tblLayout {nsdecls("w")} w:type="fixed"/>'))
    tbl_w = table._tbl.tblPr.find(qn("w:tblW"))
    if tbl_w is not None:
        tbl_w.set(qn("w:type"), "dxa")
        tbl_w.set(qn("w:w"), str(sum(w.twips for w in widths)))
    for column, width in zip(table.columns, widths, strict=True):
        column.width = width
        for cell in column.cells:
            cell.width = width
