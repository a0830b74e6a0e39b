"""The action plan as a Word table: a banner row per theme, goal cells spanning their actions."""

from __future__ import annotations

import io
from typing import TYPE_CHECKING, Any

from docx.enum.style import WD_STYLE_TYPE
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.shared import Cm, Length, Pt
from docx.table import _Cell

from pipeline.errors import MarkdownError
from pipeline.markdown.renderer import render_markdown
from pipeline.markdown.syntax import has_markup
from pipeline.plan.chart import actions_chart, describe
from pipeline.plan.export import counts_by_year, year_columns
from pipeline.word.tables import fix_widths, repeat_header

if TYPE_CHECKING:
    from pipeline.model import Plan, ThemePlan
    from pipeline.word.context import DocumentContext, WordContent

TICK = "\u2713"
TEXT_WIDTH_CM = 26.7
"""Landscape A4 less the template's 1.5 cm margins."""
_FIXED = {"goal": 3.8, "year": 2.0, "alignment": 2.4}  # year: room for "2027/2028"
_FLAG_CM = 2.3  # room for a priority's name such as "Education and student experience"


def plan_widths(plan: Plan) -> list[float]:
    """Widths in cm: goal, actions, measures, year, alignment, then one per strategic column.

    Actions and success measures share what is left by how much text each holds."""
    flags = len(plan.columns)
    rest = TEXT_WIDTH_CM - sum(_FIXED.values()) - flags * _FLAG_CM
    actions = sum(len(a.text) for a in plan.actions) or 1
    measures = sum(len(a.measure) for a in plan.actions) or 1
    share = min(max(actions / (actions + measures), 0.4), 0.6)
    return [
        _FIXED["goal"],
        rest * share,
        rest * (1 - share),
        _FIXED["year"],
        _FIXED["alignment"],
        *[_FLAG_CM] * flags,
    ]


def _shade(cell: _Cell, fill: str) -> None:
    cell._tc.get_or_add_tcPr().append(
        parse_xml(f'<w:shd {nsdecls("w")} w:val="clear" w:color="auto" w:fill="{fill}"/>')
    )


def _no_split(tr: Any) -> None:
    tr.get_or_add_trPr().append(parse_xml(f'<w:cantSplit {nsdecls("w")} w:val="true"/>'))


def _write(
    doc: DocumentContext,
    cell: _Cell,
    text: str,
    bold: bool = False,
    center: bool = False,
    italic: bool = False,
) -> None:
    paragraph = cell.paragraphs[0]
    doc.styles.apply(paragraph._p, "Table Text", WD_STYLE_TYPE.PARAGRAPH)
    if center:
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = paragraph.add_run(text)
    run.bold = bold or None
    run.italic = italic or None


def _markdown(cell: _Cell, text: str, doc: DocumentContext, plan: Plan, row: int) -> None:
    """A cell's text through the one Markdown converter: **bold**, links, lists work here too."""
    if not has_markup(text):  # most cells: plain sentences, which render as themselves
        _write(doc, cell, text.strip())
        return
    try:
        rendered = render_markdown(
            text, doc, plan.path, paragraph_style="Table Text", text_width=Cm(5)
        )
    except MarkdownError as exc:  # its line is within the cell: name the spreadsheet's row
        raise MarkdownError(plan.path, row, exc.code, exc.message) from exc
    blocks = list(rendered.body)
    if not blocks:
        _write(doc, cell, "")
        return
    for paragraph in cell._tc.findall(qn("w:p")):
        cell._tc.remove(paragraph)
    for block in blocks:
        cell._tc.append(block)


def _small_table(content: WordContent, rows: list[list[str]]) -> None:
    """A compact table with a bold header row and figures centred."""
    table = content.container.add_table(rows=len(rows), cols=len(rows[0]), width=Cm(TEXT_WIDTH_CM))
    content.doc.styles.apply(table._tbl, "Table Grid", WD_STYLE_TYPE.TABLE)
    first = 6.0
    rest = (TEXT_WIDTH_CM - first) / (len(rows[0]) - 1)
    fix_widths(table, [Cm(first), *[Cm(rest)] * (len(rows[0]) - 1)])
    repeat_header(table.rows[0])
    for r, (tr, values) in enumerate(zip(table._tbl.tr_lst, rows, strict=True)):
        for c, (tc, value) in enumerate(zip(tr.tc_lst, values, strict=True)):
            cell = _Cell(tc, table)
            _write(
                content.doc, cell, value, bold=r == 0 or (c == 0 and value == "Total"), center=c > 0
            )
            if r == 0:
                _shade(cell, "DCE8EF")


def plan_summary(plan: Plan, content: WordContent) -> WordContent:
    """A page before the table: actions per theme and year, and the priorities each theme serves."""
    years = year_columns(plan)
    rows = [["Theme", "Goals", "Actions", *years]]
    for theme in plan.themes:
        actions = [a for g in theme.goals for a in g.actions]
        rows.append(
            [
                theme.name,
                str(len(theme.goals)),
                str(len(actions)),
                *(str(n or "") for n in counts_by_year(actions, years)),
            ]
        )
    rows.append(
        [
            "Total",
            str(sum(len(t.goals) for t in plan.themes)),
            str(len(plan.actions)),
            *(str(n) for n in counts_by_year(plan.actions, years)),
        ]
    )
    heading = content.container.add_paragraph()
    content.doc.styles.apply(heading._p, "Heading 2", WD_STYLE_TYPE.PARAGRAPH)
    heading.add_run("Summary: actions by theme and year")
    _small_table(content, rows)
    several = next((a.year for a in plan.actions if len(a.years) > 1), None)
    if several:
        note = content.container.add_paragraph()
        content.doc.styles.apply(note._p, "Table Text", WD_STYLE_TYPE.PARAGRAPH)
        note.add_run(
            f"An action planned for more than one year (such as {several}) counts under each."
        )
    picture = content.container.add_paragraph()
    picture.alignment = WD_ALIGN_PARAGRAPH.CENTER
    picture.paragraph_format.space_before = Pt(10)
    run = picture.add_run()
    run.add_picture(io.BytesIO(actions_chart(plan)), width=Cm(19))
    for doc_pr in run._r.xpath(".//wp:docPr"):
        doc_pr.set("descr", describe(plan))
    if plan.columns:
        heading = content.container.add_paragraph()
        content.doc.styles.apply(heading._p, "Heading 2", WD_STYLE_TYPE.PARAGRAPH)
        heading.add_run("Strategic priorities each theme serves (actions ticked)")
        served = [["Theme", *plan.columns]]
        for theme in plan.themes:
            actions = [a for g in theme.goals for a in g.actions]
            served.append(
                [
                    theme.name,
                    *(
                        str(sum(a.flags[i] for a in actions) or "")
                        for i in range(len(plan.columns))
                    ),
                ]
            )
        _small_table(content, served)
    end = content.container.add_paragraph()
    end.add_run().add_break(WD_BREAK.PAGE)  # the plan's table starts on a page of its own
    return content


def plan_table(plan: Plan, content: WordContent) -> WordContent:
    """Append the plan to `content`: per theme, its banner, then its table, opening with the
    header row (repeated on every page).

    One table per theme, not one for the whole plan: LibreOffice lays out a table in time that
    grows faster than its rows (a 1,000-row plan converts in 8.6 s as one table, 5.5 s as
    four). Rows are written straight into the XML: python-docx's `table.cell()` and
    `row.cells` rebuild the whole grid on every call."""
    headers = ["Goal", "Actions", "Success measures", "Year", "Theme alignment", *plan.columns]
    widths: list[Length] = [Cm(w) for w in plan_widths(plan)]
    for number, theme in enumerate(plan.themes):
        # the theme's banner, above its table and kept with its header and first rows
        banner = content.container.add_paragraph()
        content.doc.styles.apply(banner._p, "Table Text", WD_STYLE_TYPE.PARAGRAPH)
        banner.paragraph_format.keep_with_next = True
        banner.paragraph_format.space_before = Pt(10 if number else 0)
        banner.paragraph_format.space_after = Pt(0)
        banner._p.get_or_add_pPr().append(
            parse_xml(f'<w:shd {nsdecls("w")} w:val="clear" w:color="auto" w:fill="DCE8EF"/>')
        )
        banner.add_run(f"{theme.name}: ").bold = True
        banner.add_run(theme.aim)
        _theme_table(plan, theme, content, headers, widths)
    return content


def _theme_table(
    plan: Plan, theme: ThemePlan, content: WordContent, headers: list[str], widths: list[Length]
) -> None:
    table = content.container.add_table(rows=1, cols=len(headers), width=Cm(TEXT_WIDTH_CM))
    content.doc.styles.apply(table._tbl, "Table Grid", WD_STYLE_TYPE.TABLE)
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    fix_widths(table, widths)
    repeat_header(table.rows[0])
    for tc, text in zip(table._tbl.tr_lst[0].tc_lst, headers, strict=True):
        head = _Cell(tc, table)
        _write(content.doc, head, text, bold=True)
        _shade(head, "1F4E6B")
        head.paragraphs[0].runs[0]._r.get_or_add_rPr().append(
            parse_xml(f'<w:color {nsdecls("w")} w:val="FFFFFF"/>')
        )

    def row() -> Any:
        tr = table._tbl.add_tr()
        _no_split(tr)
        return tr

    def cell(tr: Any, column: int, span: int = 1) -> _Cell:
        tc = tr.add_tc()
        tc.width = sum(widths[column : column + span])
        if span > 1:
            tc.grid_span = span
        return _Cell(tc, table)

    written: list[tuple[Any, bool]] = []  # each row, and whether it is kept with the next
    for goal in theme.goals:
        for part, (start, end) in enumerate(goal_parts(len(goal.actions))):
            for index in range(start, end):
                action = goal.actions[index]
                tr = row()
                goal_cell = cell(tr, 0)
                if end - start > 1:  # the goal's cell spans the part's rows
                    goal_cell._tc.vMerge = "restart" if index == start else "continue"
                if index > start:
                    _write(content.doc, goal_cell, "")
                elif part == 0:
                    _write(content.doc, goal_cell, f"{goal.code}: {goal.title}", bold=True)
                else:
                    _write(content.doc, goal_cell, f"{goal.code} (continued)", italic=True)
                _markdown(cell(tr, 1), action.text, content.doc, plan, action.row)
                _markdown(cell(tr, 2), action.measure, content.doc, plan, action.row)
                _write(content.doc, cell(tr, 3), action.year, center=True)
                _markdown(cell(tr, 4), action.alignment, content.doc, plan, action.row)
                for column, flag in enumerate(action.flags, start=5):
                    _write(
                        content.doc, cell(tr, column), TICK if flag else "", bold=True, center=True
                    )
                written.append((tr, index < end - 1))
    _keep_with_next(table._tbl.tr_lst[0])  # the header, with the theme's first rows
    for number, (tr, keep) in enumerate(written):
        if keep or number < KEPT_FIRST - 1:
            _keep_with_next(tr)


KEPT_FIRST = 3
"""A theme's banner and header go to the next page with at least this many of its rows."""
WHOLE_GOAL, GOAL_PART = 6, 4
"""A goal of up to WHOLE_GOAL actions is kept on one page; a longer one is kept in parts of
GOAL_PART rows, each after the first labelled `V1 (continued)`: a page break falls only between
parts, so a goal continued on a new page says which goal it is in the first row there."""


def goal_parts(actions: int) -> list[tuple[int, int]]:
    """(first, last + 1) of each part of a goal's rows kept together on a page."""
    if actions <= WHOLE_GOAL:
        return [(0, actions)]
    return [(start, min(start + GOAL_PART, actions)) for start in range(0, actions, GOAL_PART)]


def _keep_with_next(tr: Any) -> None:
    """Keep a row on the page of the next row (Word and LibreOffice both read a row's
    paragraphs' keep-with-next so)."""
    for paragraph in tr.iter(qn("w:p")):
        paragraph.get_or_add_pPr().keepNext_val = True
