"""The published plan as a web page: one self-contained HTML file, ready to paste into a page of
the institution's website (question 8), accessible as the regulations ask.

No scripts, no external requests (styles inline, the chart a `data:` image with its
description as alt text, and the same numbers as a table); the document's `lang` and `<title>`;
every table with a caption and headers (`<th scope>`), a table per theme; text that reflows on
a phone, wide tables scrolling on their own.
"""

from __future__ import annotations

import base64
import functools
import html
from typing import TYPE_CHECKING

from markdown_it import MarkdownIt

from pipeline.plan.chart import actions_chart, describe
from pipeline.plan.export import counts_by_year, year_columns

if TYPE_CHECKING:
    from pipeline.model import Plan, ThemePlan

STYLE = """
body { font-family: Calibri, Carlito, Arial, sans-serif; line-height: 1.45; color: #1a1a1a;
  margin: 0 auto; max-width: 72rem; padding: 1rem; }
h1, h2, h3 { color: #1f4e6b; line-height: 1.2; }
.scroll { overflow-x: auto; margin: 0 0 1.5rem; }
table { border-collapse: collapse; width: 100%; min-width: 40rem; }
caption { text-align: left; font-weight: bold; padding: 0.4rem 0; }
th, td { border: 1px solid #8c8c8c; padding: 0.35rem 0.5rem; vertical-align: top;
  text-align: left; }
thead th { background: #1f4e6b; color: #fff; }
tbody th { background: #eaf1f5; }
td.n { text-align: center; }
img { max-width: 100%; height: auto; }
.sr { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0);
  white-space: nowrap; }
a { color: #0b5394; }
"""


def _e(text: str) -> str:
    return html.escape(text, quote=True)


@functools.cache
def _cells() -> MarkdownIt:
    """The pack's Markdown for a cell, pictures left as text (a web page fetches pictures).
    Its own parser: the pack's is shared, so it is never changed."""
    md = MarkdownIt("commonmark", {"html": False, "linkify": True})
    return md.enable(["strikethrough", "linkify"]).disable("image")


def _inline(text: str) -> str:
    """A cell's Markdown (bold, italic, links) as HTML; raw HTML and pictures stay text."""
    return str(_cells().renderInline(text))


def _table(caption: str, head: list[str], rows: list[list[str]], numeric: bool = True) -> str:
    """A table whose first column heads each row."""
    out = ['<div class="scroll"><table>', f"<caption>{_e(caption)}</caption>", "<thead><tr>"]
    out += [f'<th scope="col">{_e(h)}</th>' for h in head]
    out.append("</tr></thead><tbody>")
    for row in rows:
        cells = "".join(f"<td{' class=n' if numeric else ''}>{_e(v)}</td>" for v in row[1:])
        out.append(f'<tr><th scope="row">{_e(row[0])}</th>{cells}</tr>')
    out.append("</tbody></table></div>")
    return "\n".join(out)


def summary_rows(plan: Plan) -> tuple[list[str], list[list[str]]]:
    """Actions per theme and year: the header and one row per theme, then the total."""
    years = year_columns(plan)  # as the pack's summary: a two-part year counts under both
    rows = []
    for theme in plan.themes:
        actions = [a for g in theme.goals for a in g.actions]
        counts = [str(n) for n in counts_by_year(actions, years)]
        rows.append([theme.name, str(len(theme.goals)), str(len(actions)), *counts])
    totals = [str(n) for n in counts_by_year(plan.actions, years)]
    goals = sum(len(t.goals) for t in plan.themes)
    rows.append(["Total", str(goals), str(len(plan.actions)), *totals])
    return ["Theme", "Goals", "Actions", *years], rows


def _theme(plan: Plan, theme: ThemePlan) -> str:
    head = ["Goal", "Action", "Success measure", "Year", "Theme alignment", *plan.columns]
    out = [f"<h3>{_e(theme.name)}</h3>", '<div class="scroll"><table>']
    out.append(f"<caption>{_e(theme.name)}: {_e(theme.aim)}</caption><thead><tr>")
    out += [f'<th scope="col">{_e(h)}</th>' for h in head]
    out.append("</tr></thead>")
    for goal in theme.goals:  # a row group per goal, headed by the goal
        out.append("<tbody>")
        for index, action in enumerate(goal.actions):
            cells = []
            if index == 0:
                span = f' rowspan="{len(goal.actions)}"' if len(goal.actions) > 1 else ""
                cells.append(f'<th scope="rowgroup"{span}>{_e(goal.code)}: {_e(goal.title)}</th>')
            cells += [f"<td>{_inline(action.text)}</td>", f"<td>{_inline(action.measure)}</td>"]
            cells += [f"<td>{_e(action.year)}</td>", f"<td>{_inline(action.alignment)}</td>"]
            cells += [
                '<td class="n"><span aria-hidden="true">✓</span><span class="sr">yes</span></td>'
                if flag
                else '<td class="n"><span class="sr">no</span></td>'
                for flag in action.flags
            ]
            out.append(f"<tr>{''.join(cells)}</tr>")
        out.append("</tbody>")
    out.append("</table></div>")
    return "\n".join(out)


def plan_html(plan: Plan, title: str, intro: str, language: str) -> str:
    """The plan as one self-contained, accessible HTML page."""
    head, rows = summary_rows(plan)
    chart = base64.b64encode(actions_chart(plan)).decode("ascii")
    body = [
        f"<h1>{_e(title)}</h1>",
        f"<p>{_e(intro)}</p>",
        "<h2>Summary</h2>",
        _table("Actions by theme and year", head, rows),
        f'<p><img src="data:image/png;base64,{chart}" alt="{_e(describe(plan))}"></p>',
    ]
    if plan.columns:
        served = [
            [
                theme.name,
                *(
                    str(sum(a.flags[i] for g in theme.goals for a in g.actions))
                    for i in range(len(plan.columns))
                ),
            ]
            for theme in plan.themes
        ]
        caption = "Strategic priorities each theme serves (actions ticked)"
        body.append(_table(caption, ["Theme", *plan.columns], served))
    body.append("<h2>The plan</h2>")
    body += [_theme(plan, theme) for theme in plan.themes]
    return "\n".join(
        [
            "<!DOCTYPE html>",
            f'<html lang="{_e(language)}">',
            "<head>",
            '<meta charset="utf-8">',
            '<meta name="viewport" content="width=device-width, initial-scale=1">',
            f"<title>{_e(title)}</title>",
            f"<style>{STYLE}</style>",
            "</head>",
            "<body>",
            "<main>",
            *body,
            "</main>",
            "</body>",
            "</html>",
            "",
        ]
    )
