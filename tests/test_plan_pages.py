"""The plan table across pages, checked in the PDF LibreOffice makes: a goal continued on a new
page says which goal it is in the first row there; a theme's banner and header never end a page
with fewer than three of its rows."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner
from pypdf import PdfReader

from pipeline.cli import cli

# V1 crosses a page, and without keeping them, the Recognition banner, header and two rows
# would end the next page
SIZES = {"V1": 21, "V2": 2, "R1": 3, "R2": 5, "CD1": 4, "CD2": 7, "S1": 3, "S2": 2}
BANNERS = {
    "V": "Visibility: Make technicians visible",
    "R": "Recognition: Professional registration",
    "CD": "Career Development: Clear pathways",
    "S": "Sustainability: Skills that last",
}


def _plan() -> str:
    lines = ["Goal,Actions,Success measures,Year,Theme Alignment,Research,Education"]
    for theme, banner in BANNERS.items():
        lines.append(f'"{banner}",,,,,,')
        for code, size in SIZES.items():
            if re.sub(r"\d", "", code) != theme:
                continue
            for n in range(1, size + 1):
                goal = f'"{code}: Goal {code} for the whole of the University"' if n == 1 else ""
                action = (
                    f'"Act {code}-{n:02d}: run a programme of visits, talks and open days so '
                    'that staff and students meet the technicians whose work they rely on"'
                )
                measure = '"Forty visits a year, reported to the technician network each term"'
                lines.append(f"{goal},{action},{measure},2027,,x,")
    return "\n".join(lines) + "\n"


@pytest.mark.libreoffice
def test_goals_and_banners_across_pages(pack_dir: Path, tmp_path: Path) -> None:
    (pack_dir / "action-plan.csv").write_text(_plan(), encoding="utf-8")
    out = tmp_path / "build"
    result = CliRunner().invoke(
        cli, ["plan", str(pack_dir), "--publish", "--out", str(out), "--date", "2026-11-22"]
    )
    assert result.exit_code == 0, result.output
    pdf = Path(result.stdout.splitlines()[0])
    pages = [page.extract_text() for page in PdfReader(pdf).pages]
    continued = 0
    for number, text in enumerate(pages, start=1):
        acts = re.findall(r"Act ([A-Z]+\d)-(\d\d)", text)
        if not acts:
            continue
        code, first = acts[0]
        if first != "01":  # the page opens inside a goal: its first row names the goal
            continued += 1
            label = text.find(f"{code} (continued)")
            assert 0 <= label < text.find(f"Act {code}-{first}"), (number, code, first)
        for theme, banner in BANNERS.items():
            if banner in text:  # a banner keeps at least three of its rows on its page
                after = text[text.find(banner) :]
                rows = [a for a in re.findall(r"Act ([A-Z]+)\d-\d\d", after) if a == theme]
                total = sum(s for c, s in SIZES.items() if re.sub(r"\d", "", c) == theme)
                assert len(rows) >= min(3, total), (number, banner)
    assert continued >= 1  # the long goal did cross a page
    for number, text in enumerate(pages, start=1):
        acts = re.findall(r"Act ([A-Z]+\d)-(\d\d)", text)
        if acts and acts[0][1] != "01":  # and the page image shows the goal there
            assert _goal_cell_inked(pdf, number, tmp_path), number


def _goal_cell_inked(pdf: Path, page: int, tmp_path: Path) -> bool:
    """Whether, in the page's image, the Goal cell of the first row below the header holds
    something drawn: the Goal column's width (from the header's words), the height of the first
    line of the row's action."""
    from PIL import Image

    words = subprocess.run(
        ["pdftotext", "-bbox", "-f", str(page), "-l", str(page), str(pdf), "-"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    boxes = [
        (m[5], float(m[1]), float(m[2]), float(m[3]), float(m[4]))
        for m in re.finditer(
            r'xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)<', words
        )
    ]
    goal = next(b for b in boxes if b[0] == "Goal")
    actions = next(b for b in boxes if b[0] == "Actions")
    first = next(b for b in boxes if b[0] == "Act" and b[2] > goal[4])
    prefix = tmp_path / f"page{page}"
    subprocess.run(
        ["pdftoppm", "-png", "-r", "60", "-f", str(page), "-l", str(page), str(pdf), str(prefix)],
        check=True,
    )
    image = Image.open(next(tmp_path.glob(f"page{page}*.png"))).convert("L")
    scale = 60 / 72
    left, right = (goal[1] + 1) * scale, (actions[1] - 9) * scale  # inside the borders
    top, bottom = (first[2] + first[4]) / 2 * scale, first[4] * scale  # below the header
    region = image.crop((int(left), int(top), int(right), int(bottom) + 1))
    return region.getextrema()[0] < 128
