"""Markdown as text: the parser, what the Word renderer supports, images, words.

No python-docx here, so `pack check` can judge Markdown without loading Word machinery; the
renderer (`renderer.py`) dispatches every token, block and inline, through the same tables, so
the two cannot drift apart.
"""

from __future__ import annotations

import functools
import re
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import unquote

from markdown_it import MarkdownIt
from markdown_it.rules_core import StateCore
from mdit_py_plugins.footnote import footnote_plugin

from pipeline.errors import MarkdownError
from pipeline.limits import NESTING
from pipeline.markdown.picture import picture_problem
from pipeline.safety import image_suffix, inside

if TYPE_CHECKING:
    from markdown_it.token import Token

BLOCK_RULES = {
    "paragraph_open": "paragraph",
    "heading_open": "heading",
    "bullet_list_open": "list_open",
    "ordered_list_open": "list_open",
    "bullet_list_close": "list_close",
    "ordered_list_close": "list_close",
    "list_item_open": "item_open",
    "list_item_close": "item_close",
    "blockquote_open": "quote_open",
    "blockquote_close": "quote_close",
    "code_block": "code_block",
    "fence": "code_block",
    "hr": "hr",
    "table_open": "table",
    "footnote_block_open": "footnote_block",
    "footnote_anchor": "skip",  # the back-link HTML puts after a footnote: Word needs none
}
"""Block token type -> the renderer's method for it; other `*_close` tokens need nothing."""
INLINE_RULES = {
    "text": "text",
    "code_inline": "code_inline",
    "softbreak": "softbreak",
    "hardbreak": "hardbreak",
    "strong_open": "strong",
    "strong_close": "strong",
    "em_open": "em",
    "em_close": "em",
    "s_open": "strike",
    "s_close": "strike",
    "link_open": "link_open",
    "link_close": "link_close",
    "image": "image",
    "footnote_ref": "footnote_ref",
    "footnote_anchor": "skip",
}
"""Inline token type (a child of an `inline` token) -> the renderer's method for it."""
RULES = {**BLOCK_RULES, **INLINE_RULES}
"""Every token type the renderer handles -> its method: the renderer's `rules` are made from
this table, and `problems` (for `pack check`) reads the same two tables."""
_INSIDE = frozenset({"inline", "thead_open", "tbody_open", "tr_open", "th_open", "td_open",
                     "footnote_open", "footnote_close"})  # fmt: skip


@functools.cache
def parser() -> MarkdownIt:
    """CommonMark with GFM tables, strikethrough, bare-URL links and footnotes; HTML stays text."""
    md = MarkdownIt("commonmark", {"html": False, "linkify": True})
    md.core.ruler.after("normalize", "comments", _blank_comments)
    return md.enable(["table", "strikethrough", "linkify"]).use(footnote_plugin)


_COMMENT = re.compile(r"^ {0,3}<!--(?:(?!-->).)*-->[ \t]*$", re.M | re.S)


def without_comments(text: str) -> str:
    """`text` with its comment lines blanked (see `_blank_comments`)."""
    return _COMMENT.sub(lambda m: "\n" * m[0].count("\n"), text)


def answer_shown(text: str, default: str | None) -> str | None:
    """What an answer file holding `text` shows, for a question whose form's own answer is
    `default`: its text; the form's own where it holds only comments (as `pack init` writes
    it); nothing where it holds nothing at all (an answer reviewers deleted, as harvest writes
    it: it stays empty); None where it is empty and the form has no answer of its own."""
    if without_comments(text).strip():
        return text
    if default is None:
        return None
    return "" if not text.strip() else default


def _blank_comments(state: StateCore) -> None:
    """HTML comments standing on lines of their own (notes to the author, such as the prompts
    `pack init` writes) are not part of the answer: blanked, lines kept, so that every other
    token keeps its line. Raw HTML is otherwise text, shown as typed."""
    state.src = without_comments(state.src)


def unsupported(token: Token, source: Path, line: int | None = None) -> MarkdownError:
    line = line or (token.map[0] + 1 if token.map else 1)
    name = token.type.removesuffix("_open").replace("_", " ")
    return MarkdownError(
        source, line, "markdown-unsupported", f"{name} is not supported here; remove it"
    )


def inputs_folder(source: Path) -> Path:
    """The inputs folder a Markdown file belongs to: the nearest folder above it, its own or
    its parent's, that holds `pack.toml` (its own folder when there is none)."""
    for folder in (source.parent, source.parent.parent):
        if (folder / "pack.toml").is_file():
            return folder
    return source.parent


def image_file(src: str, source: Path, line: int) -> Path:
    """The picture `src` names, relative to the Markdown file `source`; refused unless it is
    inside the inputs folder (symlinks and `..` resolved), there, a PNG, JPEG, GIF, BMP or TIFF
    by content and within `limits.IMAGE_PIXELS`."""
    src = unquote(src)  # the parser writes a space, an accented letter as %20, %C3%BC
    if ":" in src.split("/")[0] or src.startswith("/"):
        raise MarkdownError(
            source, line, "image-path", f"image {src!r}: use a path relative to this file"
        )
    path = source.parent / src
    if not inside(path, inputs_folder(source)):
        raise MarkdownError(
            source,
            line,
            "image-outside",
            f"image {src!r} leads outside the inputs folder; put the picture in it",
        )
    if not path.is_file():
        raise MarkdownError(source, line, "image-missing", f"image {src!r} not found")
    with path.open("rb") as handle:
        head = handle.read(8)
    if image_suffix(head) is None:
        raise MarkdownError(
            source, line, "image-type", f"{src!r} is not a PNG, JPEG, GIF, BMP or TIFF image"
        )
    problem = picture_problem(path)
    if problem is not None:
        code, words = problem
        named = f"image {src!r}" if code == "image-too-big" else repr(src)
        raise MarkdownError(source, line, code, f"{named} {words}")
    return path


def nesting_error(token: Token, depth: int, source: Path) -> MarkdownError:
    line = token.map[0] + 1 if token.map else 1
    return MarkdownError(
        source,
        line,
        "markdown-nesting",
        f"block quotes and lists nested {depth} deep; at most {NESTING} levels can be shown, "
        "so nest them less",
    )


_CONTAINERS = {"blockquote_open": 1, "bullet_list_open": 1, "ordered_list_open": 1}
_CONTAINERS |= {name.replace("_open", "_close"): -1 for name in list(_CONTAINERS)}


def problems(tokens: list[Token], source: Path) -> list[MarkdownError]:
    """Everything the renderer would refuse, without rendering: unsupported constructs, images."""
    found = []
    depth = 0
    for token in tokens:
        depth += _CONTAINERS.get(token.type, 0)
        if depth > NESTING:
            found.append(nesting_error(token, depth, source))
            break  # the parser stops at its own limit: what follows may be missing
        if (
            token.type not in BLOCK_RULES
            and token.type not in _INSIDE
            and not token.type.endswith("_close")
        ):
            found.append(unsupported(token, source))
        line = token.map[0] + 1 if token.map else 1
        offset = 0
        for child in token.children or []:
            if child.type in ("softbreak", "hardbreak"):
                offset += 1
            if child.type not in INLINE_RULES:
                found.append(unsupported(child, source, line + offset))
            elif child.type == "image":
                try:
                    image_file(str(child.attrGet("src") or ""), source, line + offset)
                except MarkdownError as exc:
                    found.append(exc)
    return found


_MARKUP = re.compile(r"[*_`\[\]<>#|!~\\&]|^\s*([-+>]|\d+[.)])(\s|$)|://|www\.|^\s{4}|\n\s*\n", re.M)


def has_markup(text: str) -> bool:
    """Whether Markdown could render `text` as anything but itself (one plain paragraph)."""
    return bool(_MARKUP.search(text))


def plain_text(text: str) -> str:
    """The words a reader sees: Markdown syntax removed, for counting against word limits."""
    words: list[str] = []
    for token in parser().parse(text):
        if token.type == "inline":
            for child in token.children or []:
                if child.type in ("text", "code_inline"):
                    words.append(child.content)
                elif child.type in ("softbreak", "hardbreak"):
                    words.append(" ")
            words.append("\n")
        elif token.type in ("code_block", "fence"):
            words.append(token.content)
    return "".join(words)


def alt_text(image: Token) -> str:
    """A picture's description as plain text, as CommonMark renders an image's `alt`: the words
    of its description with the Markdown syntax removed (`![a *big* chart](...)`: "a big
    chart"), a picture inside it by its own description, white space as single spaces."""
    words: list[str] = []
    for child in image.children or []:
        if child.type in ("text", "text_special", "code_inline"):  # text_special: a character
            words.append(child.content)  # reference, left unjoined in a description before 4.0
        elif child.type == "image":
            words.append(alt_text(child))
        elif child.type in ("softbreak", "hardbreak"):
            words.append(" ")
    return " ".join("".join(words).split())


def count_words(text: str) -> int:
    """Words as a reader (and Word) counts them: runs of characters between spaces."""
    return len(plain_text(text).split())


def pictures(path: Path) -> list[Path]:
    """The pictures a Markdown file shows (those that exist): what its key depends on."""
    found = (path.parent / source for source in _sources(path.read_text(encoding="utf-8-sig")))
    return [picture for picture in found if picture.is_file()]


@functools.lru_cache(maxsize=64)
def _sources(text: str) -> tuple[str, ...]:
    """Where the pictures of a Markdown text are, as written: each answer is parsed once for
    as long as its text stays the same (a watch renders at every save)."""
    return tuple(
        unquote(str(child.attrGet("src") or ""))
        for token in parser().parse(text)
        for child in token.children or []
        if child.type == "image"
    )
