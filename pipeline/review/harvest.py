"""`pack harvest`: reviewers' edits, with every tracked change accepted, back into the Markdown.

For each answer, the source the draft was made from is rendered afresh and read back, block by
block, beside the reviewed answer; blocks whose signatures agree are untouched and keep their
source lines byte for byte. A changed block is written in the canonical Markdown of `to_markdown`,
merged word by word into its old lines so that a changed word changes one line. Every result
is proved by rendering it again: it must read exactly as the reviewed answer does, or a plainer
way of writing it is tried, and failing all, the answer is refused by name, never written wrong.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field
from pathlib import Path

from pipeline.errors import HarvestError, InputError
from pipeline.files import atomic_path
from pipeline.form import Question, load_form
from pipeline.review import lines
from pipeline.review.baseline import Drafted, Rereader, drafted
from pipeline.review.document import Reviewed
from pipeline.review.record import Source, sha256
from pipeline.review.to_markdown import escape, shows_something, signature
from pipeline.review.writer import MARKER, Writer, separator
from pipeline.word.blocks import Block, Para


@dataclass
class Outcome:
    """What harvesting one answer came to."""

    number: int
    source: Path
    """The answer file."""
    target: Path
    """Where the reviewers' version goes: the answer file, or beside it."""
    before: str
    after: str
    changed: int
    """Blocks added, removed or changed."""
    beside: bool = False
    """Written beside the answer file, because that file changed after the draft was made."""
    pictures: dict[Path, bytes] = field(default_factory=dict)
    """New pictures to write with the answer."""
    removed: bool = False
    """Reviewers deleted the whole answer, and the form's own answer takes its place."""

    def diff(self, root: Path) -> str:
        """A unified diff, from what the answer was to what reviewers made of it."""
        name = (
            self.source.relative_to(root).as_posix()
            if self.source.is_relative_to(root)
            else str(self.source)
        )
        after = (
            self.target.relative_to(root).as_posix()
            if self.target.is_relative_to(root)
            else str(self.target)
        )
        return "".join(
            difflib.unified_diff(
                self.before.splitlines(keepends=True),
                self.after.splitlines(keepends=True),
                f"a/{name}",
                "/dev/null" if self.removed else f"b/{after}",
            )
        )


def _assemble(base: Drafted, reviewed: list[Block], writer: Writer, merge: set[int]) -> str:
    """The answer rewritten: untouched blocks as their source lines, the rest written anew."""
    spans = base.spans

    def source(i: int) -> str:
        return "".join(base.lines[spans[i][0] : spans[i][1]])

    def gap(i: int) -> str:
        return "".join(base.lines[spans[i - 1][1] : spans[i][0]])

    item_gaps = [
        gap(i)
        for i in range(1, len(spans))
        if getattr(base.blocks[i], "kind", "") == getattr(base.blocks[i - 1], "kind", "") == "item"
    ]
    tight = not item_gaps or "" in item_gaps
    out: list[str] = ["".join(base.lines[: spans[0][0]]) if spans else ""]
    previous: Block | None = None
    previous_base: int | None = None  # the base block written last, if it was the last written

    verbatim = False  # whether the last block written is its source's own lines

    def emit(text: str, block: Block, at: int | None, same: bool = False) -> None:
        """Write a block; `at` is the base block whose place it takes, if any; `same` when
        `text` is that block's source, unchanged."""
        nonlocal previous, previous_base, verbatim
        verbatim = same
        if previous is None:
            between = ""
        elif at is not None and previous_base == at - 1:
            between = gap(at)
        else:
            between = separator(previous, block, tight)
        if previous is not None and not out[-1].endswith("\n"):
            out.append("\n")
        out.append(between)
        out.append(text)
        writer.remember(text, block)
        previous, previous_base = block, at

    def written(j: int, i: int | None) -> str:
        """Reviewed block `j` as Markdown, in the lines of base block `i` where it has one."""
        old = source(i).rstrip("\n") if i is not None else ""
        text = writer.block(reviewed[j], old or None, base.blocks[i] if i is not None else None)
        indent = _indent(text, reviewed[j])
        if j in merge and old:
            text = lines.keep_links(old, lines.merge(old, text, indent))
        return lines.wrap(text, old, width, indent) if indent is not None else text

    width = lines.width_of(base.lines, spans)
    before = [signature(b) for b in base.blocks]
    after = [signature(b) for b in reviewed]
    matcher = difflib.SequenceMatcher(None, before, after, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            for i in range(i1, i2):
                emit(source(i), base.blocks[i], i, same=True)
        elif tag == "replace" and i2 - i1 == j2 - j1:
            for i, j in zip(range(i1, i2), range(j1, j2), strict=True):
                emit(written(j, i), reviewed[j], i)
        else:
            for j in range(j1, j2):
                first = j == j1 and i1 < i2  # takes the place of the first block it replaces
                like = _likeness(reviewed[j], base.blocks[i1:i2])
                made_from = i1 + like if like is not None else (i1 if first else None)
                emit(written(j, made_from), reviewed[j], i1 if first else None)
            previous_base = None
    rest = "".join(base.lines[spans[-1][1] :]) if spans else ""
    if not out[-1].endswith("\n") and (rest or not verbatim):
        out.append("\n")  # a block written anew ends its line; the source's last line may not
    return _finish("".join(out) + rest, base, writer)


def _indent(text: str, block: Block) -> str | None:
    """The indentation of a paragraph's continuation lines, where it may be wrapped."""
    if not isinstance(block, Para):
        return None
    if block.kind == "item":
        match = MARKER.match(text)
        return " " * (len(match[0]) + (0 if match[4] else 1)) if match else None
    if block.kind == "p":
        return ""
    if block.kind == "cont":
        return text[: len(text) - len(text.lstrip(" "))]
    return None


def _likeness(block: Block, olds: list[Block]) -> int | None:
    """Which of `olds` a reviewed block was made from (most of its words are that block's,
    as when a paragraph is split or two are joined), if one was."""
    words = block.text.split()
    best, best_share = None, 0.5
    for n, old in enumerate(olds):
        if type(old) is not type(block):
            continue
        shared = sum(
            size
            for size in (
                m.size
                for m in difflib.SequenceMatcher(
                    None, old.text.split(), words, autojunk=False
                ).get_matching_blocks()
            )
        )
        share = shared / max(len(words), 1)
        if share > best_share:
            best, best_share = n, share
    return best


def _finish(text: str, base: Drafted, writer: Writer) -> str:
    """The answer with every footnote and link definition it needs: the source's own where the
    blocks beside them were rewritten, and one for each footnote reviewers added."""
    edited = {
        group: label
        for group in base.definitions
        for label in writer.edited_notes
        if group.startswith(f"[^{label}]:")
    }
    missing = [group for group in base.definitions if group not in text and group not in edited]
    missing += [f"[^{label}]: {escape(note)}\n" for note, label in writer.new_notes]
    for group, label in edited.items():  # rewritten where it stands, in its own lines
        new = f"[^{label}]: {escape(writer.edited_notes[label])}"
        text = text.replace(group, lines.merge(group.rstrip("\n"), new) + "\n", 1)
    return text.rstrip("\n") + "\n\n" + "\n".join(missing) if missing else text


def _regenerate(base: Drafted, reviewed: list[Block], writer: Writer) -> str:
    """The whole answer written anew from the reviewed blocks: the last resort."""
    writer.items = []
    out: list[str] = []
    previous: Block | None = None
    for block in reviewed:
        text = writer.block(block)
        out.append(separator(previous, block, True) + text + "\n")
        writer.remember(text, block)
        previous = block
    return _finish("".join(out), base, writer)


def harvest_answer(
    reviewed: Reviewed, rereader: Rereader, source: Source, path: Path, folder: Path
) -> tuple[str, str, int, dict[Path, bytes]] | None:
    """(base text, reviewers' text, blocks changed, new pictures) for one answer; None if the
    reviewers left it as it was."""
    raw = source.data.decode("utf-8-sig")
    text = raw.replace("\r\n", "\n").replace("\r", "\n")
    base = drafted(rereader, text, path)
    now = [b for b in reviewed.blocks(source.number) if shows_something(b)]
    wanted = [signature(b) for b in now]
    before = [signature(b) for b in base.blocks]
    if wanted == before:
        return None
    changed = sum(
        max(i2 - i1, j2 - j1)
        for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(
            None, before, wanted, autojunk=False
        ).get_opcodes()
        if tag != "equal"
    )
    overlapping = any(base.spans[i][0] < base.spans[i - 1][1] for i in range(1, len(base.spans)))
    # merged word by word where that reads right, else each changed block written whole, else
    # the whole answer written anew: the first that renders as the reviewed answer is kept
    merge = {j for j, b in enumerate(now) if isinstance(b, Para) and b.kind != "code"}
    attempts: list[set[int] | None] = [] if overlapping else [merge, set()]
    while attempts:
        attempt = attempts.pop(0)
        writer = Writer(base, reviewed, folder, source.number)
        result = (
            _regenerate(base, now, writer)
            if attempt is None
            else _assemble(base, now, writer, attempt)
        )
        check = [signature(b) for b, _ in rereader.blocks(result, path) if shows_something(b)]
        if check != wanted and attempt and len(check) == len(wanted):
            wrong = {j for j, (a, b) in enumerate(zip(check, wanted, strict=True)) if a != b}
            if attempt - wrong != attempt and attempt - wrong not in attempts:
                attempts.insert(0, attempt - wrong)  # merge all but the blocks that read wrong
        if not attempts and attempt is not None and check != wanted:
            attempts.append(None)
        if check == wanted:
            if "\r\n" in raw:
                result = result.replace("\n", "\r\n")
            bom = "\ufeff" if source.data.startswith(b"\xef\xbb\xbf") else ""
            return raw, bom + result, changed, writer.pictures
    raise HarvestError(
        f"{reviewed.path}: question {source.number}: the reviewed answer cannot be written as "
        "Markdown that reads the same; copy its changes by hand"
    )


def _answer_file(inputs: Path, question: Question) -> Path | None:
    folder = inputs / "answers"
    found = sorted(
        p
        for p in folder.glob(f"{question.number}[-_ .]*.md")
        if not p.name.endswith(".reviewed.md")
    )
    return found[0] if found else None


def _beside(path: Path, text: str) -> Path:
    """Where reviewers' version of `path` goes: never over a different earlier one."""
    stem = path.name.removesuffix(".md")
    for n in range(1, 1000):
        candidate = path.with_name(f"{stem}.reviewed{'' if n == 1 else f'-{n}'}.md")
        if not candidate.exists() or candidate.read_bytes() == text.encode("utf-8"):
            return candidate
    raise HarvestError(f"{path}: too many reviewed versions beside it; merge and delete them")


def write(outcome: Outcome) -> None:
    """Write an answer's reviewed version (and any new pictures), each file atomically; or
    remove an answer reviewers deleted whole, where the form has its own."""
    if outcome.removed:
        outcome.target.unlink(missing_ok=True)
        return
    for path, data in outcome.pictures.items():
        if not path.exists():
            with atomic_path(path) as tmp:
                tmp.write_bytes(data)
    with atomic_path(outcome.target) as tmp:
        tmp.write_bytes(outcome.after.encode("utf-8"))


def _deleted_whole(
    reviewed: Reviewed, question: Question, target: Path, source: Source, current: bytes | None
) -> Path | None:
    """An answer reviewers deleted whole: the file to remove, where the form lets the answer be
    left out (None when there is nothing to remove); refused by name where it does not."""
    if question.default is None:
        raise HarvestError(
            f"{reviewed.path}: question {question.number}: reviewers deleted the whole answer, "
            "and the form needs one; reject that deletion in the reviewed file (or write the "
            "answer by hand) and run again"
        )
    if current is None:
        return None  # the draft showed the form's own answer: nothing to remove
    if not source.sha256 or sha256(current) != source.sha256:
        raise HarvestError(
            f"{reviewed.path}: question {question.number}: reviewers deleted the whole answer, "
            f"but {target.name} changed after the draft was made; delete it by hand if that "
            "still stands, or reject the deletion in the reviewed file, and run again"
        )
    return target


def harvest(reviewed: Reviewed, inputs: Path, institution: str | None = None) -> list[Outcome]:
    """What harvesting each changed answer comes to; nothing is written here."""
    record = reviewed.record
    if record is None:
        raise InputError(
            f"{reviewed.path}: the draft's record of its sources is missing (was it saved by a "
            "program that drops custom XML parts?); make a new draft with `pack draft`"
        )
    if institution is not None and record.institution != institution:
        raise InputError(
            f"{reviewed.path}: a draft of {record.institution!r}, but {inputs} is "
            f"{institution!r}; give the inputs it was made from"
        )
    form = load_form(record.framework)
    questions = {q.number: q for q in form.questions}
    rereader = Rereader(form.template)
    outcomes = []
    for number, source in sorted(record.sources.items()):
        if number not in reviewed.regions or number not in questions:
            continue
        question = questions[number]
        path = inputs / source.path if source.path else _answer_file(inputs, question)
        slug = re.sub(r"[^a-z0-9]+", "-", question.title.lower()).strip("-")
        target = path or inputs / "answers" / f"{number}-{slug}.md"
        done = harvest_answer(reviewed, rereader, source, target, target.parent)
        if done is None:
            continue
        before, after, changed, pictures = done
        current = target.read_bytes() if target.is_file() else None
        if not after.strip("\ufeff \t\r\n"):
            removal = _deleted_whole(reviewed, question, target, source, current)
            if removal is not None:
                outcomes.append(Outcome(number, target, target, before, "", changed, removed=True))
            continue
        if current == after.encode("utf-8"):
            continue  # harvested already
        moved_on = current is not None and (not source.sha256 or sha256(current) != source.sha256)
        if moved_on:
            beside = _beside(target, after)
            outcomes.append(Outcome(number, target, beside, before, after, changed, True, pictures))
        else:
            outcomes.append(
                Outcome(number, target, target, before, after, changed, False, pictures)
            )
    return outcomes
