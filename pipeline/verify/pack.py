"""`pack verify PACK.pdf [INPUTS]`: is this PDF the pack built from exactly these inputs, whole?

The pack carries a record of what it was built from (`record.py`): each source file's hash,
the templates', the settings, and what it came to (parts, outline, a hash of every page). Verify
reads it back and compares: the files that changed since the build, by name; the pages missing,
extra or altered; the outline and the Title. Then, from the sources alone (`verify_parts`),
every part is checked whole: each answer's words, each action and success measure, each
appendix's pages, the contents' page numbers. No LibreOffice and no template engine.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pipeline.errors import InputError, PackError, UnsafeFile
from pipeline.incremental.record import (
    INFO_KEY,
    page_digest,
    read_record,
    record_key,
    sources_record,
)
from pipeline.inputs.load import load
from pipeline.pdf import open_pdf
from pipeline.text import plural
from pipeline.verify import parts
from pipeline.window import parse_window


@dataclass
class Verdict:
    """What `pack verify` found: problems (each a line naming what differs) and notes."""

    pack: Path
    inputs: Path
    problems: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    pages: int = 0

    @property
    def ok(self) -> bool:
        return not self.problems

    def public(self) -> dict[str, Any]:
        return {
            "pack": str(self.pack),
            "inputs": str(self.inputs),
            "ok": self.ok,
            "pages": self.pages,
            "problems": self.problems,
            "notes": self.notes,
        }

    def summary(self) -> str:
        if self.ok:
            return f"{self.pack}: the pack built from {self.inputs}, whole ({plural(self.pages, 'page')})"
        return (
            f"{self.pack}: {plural(len(self.problems), 'problem')}; "
            f"not the pack {self.inputs} builds"
        )


def _outline(reader: Any) -> list[tuple[str, int, int]]:
    """(title, level, page index) of the PDF's outline, two levels as the pack has them."""
    found: list[tuple[str, int, int]] = []

    def walk(items: list[Any], level: int) -> None:
        for item in items:
            if isinstance(item, list):
                walk(item, level + 1)
            else:
                page = reader.get_destination_page_number(item)
                found.append((str(item.title), level, -1 if page is None else page))

    walk(reader.outline, 0)
    return found


def _sources(verdict: Verdict, record: dict[str, Any], inputs: Path, draft: bool) -> set[str]:
    """The files that changed, appeared or went since the build (returned, as shown); the
    settings and the tool."""
    changed: set[str] = set()
    settings = record["settings"]
    if record_key(record) != record["key"]:
        verdict.problems.append(f"{verdict.pack}: its build record was edited after the build")
    if settings.get("mode") == "draft" and not draft:
        verdict.problems.append(
            f"{verdict.pack}: a draft build (--draft); build it without --draft to send it"
        )
    left_out = record.get("left_out")  # the build's own folder, inside the inputs
    now = sources_record(
        inputs,
        settings.get("window", ""),
        settings.get("mode", ""),
        inputs / left_out if isinstance(left_out, str) else None,
    )
    for kind, root in (("sources", inputs), ("templates", Path("templates"))):
        then, current = record[kind], now[kind]
        for name in sorted(set(then) | set(current)):
            path = root / name
            if name not in current:
                verdict.problems.append(f"{path} was removed since this pack was built")
            elif name not in then:
                verdict.problems.append(f"{path} was added since this pack was built")
            elif then[name] != current[name]:
                verdict.problems.append(f"{path} changed since this pack was built")
            else:
                continue
            changed.add(str(path))
    if record.get("code") != now["code"]:
        verdict.notes.append(
            "built by another version of pack or LibreOffice: the same inputs built now may "
            "lay pages out differently"
        )
    return changed


def _part_of(record: dict[str, Any], page: int) -> str:
    """Where page `page` (from 0) was in the pack as built: its part, and its question."""
    for title, first, count in record["parts"]:
        if first <= page < first + count:
            where = f"{title}, its page {page - first + 1}"
            entries = [(t, p) for t, _, p in record["outline"] if t != title and first <= p <= page]
            on = [t for t, p in entries if p == page] or [t for t, _ in entries[-1:]]
            return f"{where}: {'; '.join(on)}" if on else where
    return "no part"


def _digest(page: Any) -> str:
    """`page_digest` of a page as pypdf reads it."""
    raw = page.get("/Contents")
    contents = raw.get_object() if raw is not None else None
    streams = list(contents) if isinstance(contents, list) else [contents] if contents else []
    rotate = page.get("/Rotate", 0)
    box = [float(v) for v in page.mediabox]
    data = [stream.get_object().get_data() for stream in streams]
    return page_digest(box, rotate if isinstance(rotate, int) else 0, data)


def _pages(verdict: Verdict, record: dict[str, Any], reader: Any) -> None:
    """Pages missing, extra or altered, against the digests the build recorded."""
    then = list(record["pages"])
    now = [_digest(page) for page in reader.pages]
    if len(now) != len(then):
        verdict.problems.append(
            f"{verdict.pack}: {plural(len(now), 'page')}, but the build made {len(then)}"
        )
    matcher = difflib.SequenceMatcher(a=then, b=now, autojunk=False)
    for tag, a1, a2, b1, b2 in matcher.get_opcodes():
        if tag in ("delete", "replace"):
            for page in range(a1, a2):
                what = "is missing" if tag == "delete" else "was replaced or altered"
                verdict.problems.append(
                    f"{verdict.pack}: page {page + 1} as built ({_part_of(record, page)}) {what}"
                )
        if tag == "insert" or (tag == "replace" and b2 - b1 > a2 - a1):
            start = b1 if tag == "insert" else b1 + (a2 - a1)
            for page in range(start, b2):
                verdict.problems.append(
                    f"{verdict.pack}: page {page + 1} is not one the build made (extra)"
                )


def _structure(verdict: Verdict, record: dict[str, Any], outline: list[Any]) -> None:
    expected = [tuple(entry) for entry in record["outline"]]
    if outline != expected:
        shown = {(t, lvl) for t, lvl, _ in outline}
        pointing = {(t, lvl): page for t, lvl, page in outline}
        for title, level, page in expected:
            if pointing.get((title, level)) == -1:
                verdict.problems.append(
                    f"{verdict.pack}: the outline entry {title!r} points at a page no longer "
                    "in the pack"
                )
            elif (title, level) not in shown:
                verdict.problems.append(f"{verdict.pack}: the outline has no entry {title!r}")
            elif (title, level, page) not in outline:
                verdict.problems.append(
                    f"{verdict.pack}: the outline entry {title!r} no longer points at page {page + 1}"
                )
        wanted = {(t, lvl) for t, lvl, _ in expected}
        verdict.problems += [
            f"{verdict.pack}: the outline has an entry {t!r} the build did not make"
            for t, lvl, _ in outline
            if (t, lvl) not in wanted
        ]


def _capped(lines: list[str], changed: set[str], limit: int = 3) -> list[str]:
    """At most `limit` lines per source file, none for a file already said to have changed
    (its text is bound to differ)."""
    kept: list[str] = []
    counts: dict[str, int] = {}
    for line in lines:
        path = line.split(":", 1)[0]
        if path in changed:
            continue
        counts[path] = counts.get(path, 0) + 1
        if counts[path] <= limit:
            kept.append(line)
    kept += [
        f"{path}: and {plural(n - limit, 'more text')} not found"
        for path, n in counts.items()
        if n > limit
    ]
    return kept


def _metadata(
    verdict: Verdict,
    record: dict[str, Any],
    reader: Any,
    inputs: Path,
    outline: list[Any],
    changed: set[str],
) -> None:
    """The Title and Author the inputs give, and every part whole, from the sources."""
    pack, problems = load(inputs)
    if pack is None:
        errors = sum(p.level == "error" for p in problems)
        verdict.problems.append(
            f"{inputs}: {plural(errors, 'error')} in the inputs (see `pack check`); "
            "their content could not be compared"
        )
        return
    meta: dict[str, Any] = dict(reader.metadata or {})
    try:
        window = parse_window(str(record["settings"]["window"]))
    except (PackError, KeyError, TypeError):
        verdict.problems.append(f"{verdict.pack}: its build record names no window")
        return
    built_draft = record["settings"].get("mode") == "draft"  # its Title says so
    title = window.title(pack.institution, draft=built_draft)
    for key, want in (("/Title", title), ("/Author", pack.lead.name)):
        have = str(meta.get(key, ""))
        if have != want:
            verdict.problems.append(f"{verdict.pack}: its {key[1:]} is {have!r}, not {want!r}")
    form = pack.form
    titles = [title for title, _, _ in outline]
    wanted = [(q.heading, f"question {q.number}") for q in form.questions]
    wanted += [(a.heading, str(a.path)) for a in pack.appendices]
    verdict.problems += [
        f"{verdict.pack}: no {heading!r} in its outline ({source})"
        for heading, source in wanted
        if heading not in titles
    ]
    appendices = {a.heading for a in pack.appendices}
    verdict.problems += [
        f"{verdict.pack}: {title!r} is not a part these inputs make"
        for title in [t for t, level, _ in outline if level == 0][2:]  # the form, the plan
        if title not in appendices
    ]
    texts = parts.page_texts(reader)
    section_of = parts.sections(outline, texts)
    top = [title for title, level, _ in outline if level == 0]
    plan = section_of.get(top[1]) if len(top) > 1 else None
    verdict.problems += _capped(
        [
            *parts.check_answers(pack, form, section_of),
            *parts.check_plan(pack, plan),
            *parts.check_appendices(pack, section_of, texts),
        ],
        changed,
    )
    first_question = section_of.get(form.questions[0].heading)
    if outline and first_question is not None:
        start = outline[0][2]
        contents = "\n".join(texts[start : max(start + 1, first_question.first)])
        found, numbered = parts.check_contents(outline, contents)
        verdict.problems += [f"{verdict.pack}: {line}" for line in found]
        if not numbered:
            verdict.notes.append(
                "the contents page has no page numbers (built without LibreOffice's uno module)"
            )


def verify(pack_pdf: Path, inputs: Path, draft: bool = False) -> Verdict:
    """Compare the pack at `pack_pdf` with what `inputs` build; see the module's docstring."""
    if not inputs.is_dir():
        raise InputError(f"{inputs}: no such folder")
    try:
        reader = open_pdf(pack_pdf)
    except UnsafeFile as exc:
        raise InputError(str(exc)) from exc
    verdict = Verdict(pack_pdf, inputs, pages=len(reader.pages))
    meta: dict[str, Any] = dict(reader.metadata or {})
    text = meta.get(INFO_KEY)
    record = read_record(str(text)) if text is not None else None
    if record is None:
        what = "damaged" if text is not None else "missing"
        verdict.problems.append(
            f"{pack_pdf}: its build record is {what}, so it cannot be matched with its sources; "
            "build it again with `pack assemble`"
        )
        return verdict
    changed = _sources(verdict, record, inputs, draft)
    _pages(verdict, record, reader)
    outline = _outline(reader)
    _structure(verdict, record, outline)
    _metadata(verdict, record, reader, inputs, outline, changed)
    return verdict
