"""Signature images named in pack.toml (`[signoff] lead_signature = "signatures/lead.png"`):
inside the inputs folder, there, a picture by content, within the picture limits and readable
whole, as an answer's picture must be (`markdown.picture`)."""

from __future__ import annotations

from pathlib import Path

from pipeline.markdown.picture import picture_problem
from pipeline.model import Problem
from pipeline.safety import image_suffix
from pipeline.settings import key_line

KEYS = ("lead_signature", "leader_signature")
"""The [signoff] keys that name signature images, the lead's then the leader's."""
_EXAMPLE = {"lead_signature": "signatures/lead.png", "leader_signature": "signatures/leader.png"}


def signature_images(
    root: Path, signoff: dict[str, object], text: str
) -> tuple[tuple[Path | None, Path | None], list[Problem]]:
    """The lead's and the leader's signature images (None where none is named), and the
    problems with those named."""
    toml = root / "pack.toml"
    found: list[Path | None] = []
    problems: list[Problem] = []
    for key in KEYS:
        value = signoff.get(key)
        path, message = (None, None) if value is None else _image(root, key, value)
        if message:
            problems.append(
                Problem(toml, key_line(text, f"signoff.{key}"), "error", "signature", message)
            )
        found.append(path)
    return (found[0], found[1]), problems


def _image(root: Path, key: str, value: object) -> tuple[Path | None, str | None]:
    name = f"signoff.{key}"
    example = _EXAMPLE[key]
    if not isinstance(value, str) or not value.strip():
        return None, f'{name} must be an image\'s path in quotes, e.g. {key} = "{example}"'
    if value.startswith("/") or ":" in value.split("/")[0] or "\\" in value:
        return None, f"{name} {value!r}: give a path relative to pack.toml, e.g. {example!r}"
    path = root / value
    try:
        inside = path.resolve().is_relative_to(root.resolve())
    except (OSError, RuntimeError):
        inside = False
    if not inside:
        return None, f"{name} {value!r} is outside the inputs folder; keep the image inside it"
    if not path.is_file():
        return None, (
            f"{name} {value!r} not found; save the signature image there, or delete the line "
            "to sign the printed form by hand"
        )
    try:
        with path.open("rb") as handle:
            head = handle.read(8)
    except OSError as exc:
        return None, f"{name} {value!r} cannot be read: {exc.strerror}"
    if image_suffix(head) is None:
        return None, f"{name} {value!r} is not a PNG, JPEG, GIF, BMP or TIFF image; save it as PNG"
    problem = picture_problem(path)  # the limits and the reading an answer's picture gets
    if problem is not None:
        return None, f"{name} {value!r} {problem[1]}"
    return path, None
