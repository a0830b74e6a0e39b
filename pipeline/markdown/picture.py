"""A picture from an answer or appendix, as Word and LibreOffice are given it.

Pictures come from phones, scanners, Photoshop and scripts, and the DOCX reader (python-docx)
and LibreOffice's import each trust less of them than Pillow reads: a CMYK or Adobe JPEG is not
a JPEG to python-docx, an EXIF orientation is ignored by both (a phone's portrait photo lies on
its side), a 32-bit TIFF is dropped without a word, a header's resolution of 0 or 10,000 dpi
makes a picture a hairline. So every picture is decoded whole by Pillow (damaged pixel data is
found at `pack check`, not as a black square in the pack), turned as its orientation says, and
handed on as the file itself where python-docx reads it as it is, else written again as PNG
(or JPEG, for a photograph) in a mode every reader takes.
"""

from __future__ import annotations

import io
import re
import warnings
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pipeline.limits import IMAGE_PIXELS

_KEPT = {"PNG": {"1", "L", "LA", "P", "RGB", "RGBA"}, "JPEG": {"L", "RGB"}, "GIF": {"L", "P"}}
"""Formats and modes handed on as the file is, where nothing else needs changing."""
_DPI = 72.0
"""The resolution a picture is sized by when its own is missing or absurd (python-docx's)."""


class PictureError(ValueError):
    """A picture that cannot be read whole (its message says what is wrong)."""


@dataclass(frozen=True)
class Picture:
    data: bytes
    """PNG, JPEG or GIF bytes python-docx and LibreOffice read."""
    width: int
    """Pixels across, as shown (turned as its orientation says)."""
    height: int
    dpi: float


_CHECKED: dict[tuple[str, int, int, int], Picture] = {}
"""Pictures read in this process by (path, inode, size, modified): `pack check` reads each,
and the build's render reads it again; `--watch` checks at every save."""


def read_picture(path: Path) -> Picture:
    """`path` decoded whole, turned upright, in a format and mode Word and LibreOffice take;
    `PictureError` saying what is wrong."""
    stat = path.stat()
    seen = (str(path), stat.st_ino, stat.st_size, stat.st_mtime_ns)
    if seen not in _CHECKED:
        _CHECKED.clear()  # one picture's bytes at a time: a pack holds few, a watch many saves
        _CHECKED[seen] = _read(path)
    return _CHECKED[seen]


def picture_problem(path: Path) -> tuple[str, str] | None:
    """What is wrong with the picture file `path` (that it is a picture by content is checked
    before), as (code, the words that follow its name in a message): over `IMAGE_PIXELS` (read
    from its header, nothing decoded: `image-too-big`), or damaged (decoded whole:
    `image-type`); None when it reads. The same for an answer's pictures and a signature."""
    pixels = _pixels(path)
    if pixels is None:
        return "image-type", "is a damaged image"
    if pixels > IMAGE_PIXELS:
        return "image-too-big", (
            f"has {pixels:,} pixels, over the limit of {IMAGE_PIXELS:,}; scale it down"
        )
    try:
        read_picture(path)  # decoded whole: its pixels, not only its header
    except PictureError as exc:
        return "image-type", f"is a {exc} image; save or export it again"
    return None


def _pixels(path: Path) -> int | None:
    """Width times height from the image's header (nothing decoded); None when unreadable."""
    from PIL import Image, UnidentifiedImageError

    try:
        with warnings.catch_warnings():  # Pillow's bomb warning (our limit decides), libtiff's
            warnings.simplefilter("ignore")
            with Image.open(path) as image:
                width, height = image.size
    except Image.DecompressionBombError as exc:  # over twice Pillow's limit: size in its message
        found = re.search(r"\((\d+) pixels\)", str(exc))
        return int(found[1]) if found else IMAGE_PIXELS + 1
    except (OSError, UnidentifiedImageError, ValueError):
        return None
    return int(width * height)


def _read(path: Path) -> Picture:
    from PIL import Image, ImageOps, UnidentifiedImageError

    try:
        with warnings.catch_warnings():  # Pillow's and libtiff's, about damage: said below
            warnings.simplefilter("ignore")
            with Image.open(path) as image:
                image.load()  # every pixel: damage shows here, not in the pack
                source = image.format or ""
                orientation = image.getexif().get(0x0112, 1)
                dpi = _dpi(image.info.get("dpi"))
                upright = ImageOps.exif_transpose(image) or image
                data = path.read_bytes()
                as_it_is = source in _KEPT and image.mode in _KEPT[source]
                if as_it_is and orientation in (1, None) and _docx_reads(data):
                    return Picture(data, image.width, image.height, dpi)
                return Picture(_written(upright, source), upright.width, upright.height, dpi)
    except (OSError, UnidentifiedImageError, ValueError, SyntaxError, EOFError) as exc:
        raise PictureError(f"damaged ({exc or type(exc).__name__})") from exc
    except Image.DecompressionBombError as exc:  # limits.IMAGE_PIXELS is checked before
        raise PictureError(str(exc)) from exc


def _dpi(value: object) -> float:
    try:
        dpi = float(value[0]) if isinstance(value, tuple) else 0.0
    except (TypeError, ValueError):
        return _DPI
    return dpi if 36 <= dpi <= 1200 else _DPI


def _docx_reads(data: bytes) -> bool:
    """Whether python-docx reads the file's header as it is (it trusts less than Pillow)."""
    from docx.image.image import Image as DocxImage

    try:
        found = DocxImage.from_blob(data)
        return found.px_width > 0 and found.px_height > 0 and found.horz_dpi > 0
    except Exception:  # a header parser of an untrusted file: written again instead
        return False


def _written(image: object, source: str) -> bytes:
    """The picture as PNG, or as JPEG if it was a photograph (a JPEG, or CMYK)."""
    from PIL import Image

    assert isinstance(image, Image.Image)
    mode = image.mode
    if mode.startswith("I;16"):
        image = image.convert("I")
    if image.mode in ("I", "F"):  # 16- and 32-bit grey: stretched to 8 bits
        extrema: Any = image.getextrema()
        low, high = float(extrema[0]), float(extrema[1])
        span = (high - low) or 1.0
        image = image.point(lambda v: (v - low) * (255 / span)).convert("L")
    buffer = io.BytesIO()
    if source == "JPEG" or mode in ("CMYK", "YCbCr", "LAB"):
        image.convert("RGB").save(buffer, "JPEG", quality=92)
    else:
        if image.mode not in ("1", "L", "LA", "P", "RGB", "RGBA"):
            image = image.convert("RGBA" if "A" in image.mode else "RGB")
        image.save(buffer, "PNG")
    return buffer.getvalue()
