"""The summary chart: actions per theme, stacked by year, drawn as a PNG with Pillow."""

from __future__ import annotations

import io
from typing import TYPE_CHECKING

from pipeline.plan.export import counts_by_year, year_columns

if TYPE_CHECKING:
    from pipeline.model import Plan

WIDTH, ROW, TOP, LEFT, RIGHT = 1800, 90, 110, 420, 60
PALETTE = ("#1F4E6B", "#4F8FB0", "#8CBFD6", "#D9A441", "#B5651D", "#7A9A3A", "#999999")


def actions_chart(plan: Plan) -> bytes:
    """A horizontal bar per theme, one segment per year, labelled; PNG bytes. An action of two
    years (`2023/All`) has a segment in each; the figure at the end is the number of actions."""
    from PIL import Image, ImageDraw, ImageFont  # only rendering draws charts

    years = year_columns(plan)
    colours = {year: PALETTE[i % len(PALETTE)] for i, year in enumerate(years)}
    most = (
        max(
            (
                sum(counts_by_year([a for g in t.goals for a in g.actions], years))
                for t in plan.themes
            ),
            default=1,
        )
        or 1
    )
    height = TOP + ROW * len(plan.themes) + 40
    image = Image.new("RGB", (WIDTH, height), "white")
    draw = ImageDraw.Draw(image)
    font = ImageFont.load_default(size=34)
    small = ImageFont.load_default(size=28)
    x: float = LEFT
    for year in years:  # legend
        draw.rectangle((x, 30, x + 34, 64), fill=colours[year])
        draw.text((x + 44, 30), year, fill="black", font=small)
        x += 60 + int(draw.textlength(year, font=small)) + 30
    scale = (WIDTH - LEFT - RIGHT - 80) / most
    for index, theme in enumerate(plan.themes):
        y = TOP + index * ROW
        draw.text((20, y + 18), theme.name, fill="black", font=font)
        x = LEFT
        actions = [a for g in theme.goals for a in g.actions]
        for year in years:
            count = counts_by_year(actions, [year])[0]
            if count:
                draw.rectangle((x, y + 10, x + count * scale - 2, y + ROW - 14), fill=colours[year])
                x += count * scale
        draw.text((x + 14, y + 18), str(len(actions)), fill="black", font=font)
    buffer = io.BytesIO()
    image.save(buffer, format="PNG", optimize=True)
    return buffer.getvalue()


def describe(plan: Plan) -> str:
    """The chart in words: its alt text."""
    parts = [f"{t.name} {sum(len(g.actions) for g in t.goals)}" for t in plan.themes]
    return "Bar chart of actions per theme, by year: " + ", ".join(parts) + "."
