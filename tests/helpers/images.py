"""PDF pages as images, and how much two of them differ (tests of what a page shows)."""

from __future__ import annotations

import subprocess
from pathlib import Path

from PIL import Image, ImageChops


def png(pdf: Path, page: int, stem: Path, dpi: int = 60) -> Image.Image:
    """Page `page` (from 1) of `pdf` drawn by poppler, as `stem`.png."""
    subprocess.run(
        ["pdftoppm", "-png", "-r", str(dpi), "-f", str(page), "-l", str(page), "-singlefile",
         str(pdf), str(stem)],
        check=True,
    )  # fmt: skip
    return Image.open(f"{stem}.png").convert("RGB")


def differing(a: Image.Image, b: Image.Image) -> int:
    """How many pixels of two same-sized images differ clearly (not by anti-aliasing)."""
    assert a.size == b.size
    mask = ImageChops.difference(a, b).convert("L").point(lambda v: 255 if v > 40 else 0)
    return mask.histogram()[255]


def body(page: Image.Image) -> Image.Image:
    """The page without its top and bottom eighths, where the pack stamps its header and footer."""
    return page.crop((0, page.height // 8, page.width, page.height - page.height // 8))
