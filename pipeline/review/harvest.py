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
from pipeline.markdown.syntax import answer_shown
from pipeline.review.assemble import assemble, regenerate
from pipeline.review.baseline import Rereader, drafted
from pipeline.review.document import Reviewed
from pipeline.review.record import Source, sha256
from pipeline.review.to_markdown import shows_something, signatures
from pipeline.review.writer import Writer
from pipeline.word.blocks import Para


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
    emptied: bool = False
    """Reviewers deleted the whole answer: it is written empty, and stays so (the form's own
    answer does not come back in its place)."""

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
                f"b/{after}",
            )
        )


def harvest_answer(
    reviewed: Reviewed,
    rereader: Rereader,
    source: Source,
    path: Path,
    folder: Path,
    default: str | None = None,
) -> tuple[str, str, int, dict[Path, bytes]] | None:
    """(base text, reviewers' text, blocks changed, new pictures) for one answer; None if the
    reviewers left it as it was. The base is what the draft showed: the form's own answer
    (`default`) where the file held only comments."""
    raw = source.data.decode("utf-8-sig")
    text = raw.replace("\r\n", "\n").replace("\r", "\n")
    shown = answer_shown(text, default) if source.path else text
    base = drafted(rereader, shown or "", path)
    now = [b for b in reviewed.blocks(source.number) if shows_something(b)]
    wanted = signatures(now)
    before = signatures(base.blocks)
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
            regenerate(base, now, writer)
            if attempt is None
            else assemble(base, now, writer, attempt)
        )
        check = signatures([b for b, _ in rereader.blocks(result, path) if shows_something(b)])
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
    """Write an answer's reviewed version (and any new pictures), each file atomically (an
    answer reviewers deleted whole is written empty)."""
    for path, data in outcome.pictures.items():
        if not path.exists():
            with atomic_path(path) as tmp:
                tmp.write_bytes(data)
    with atomic_path(outcome.target) as tmp:
        tmp.write_bytes(outcome.after.encode("utf-8"))


def _deleted_whole(
    reviewed: Reviewed, question: Question, target: Path, source: Source, current: bytes | None
) -> Path | None:
    """An answer reviewers deleted whole: the file to write empty, where the form lets the
    answer be left out (None when it is empty already); refused by name where it does not.
    Written empty, not removed: a removed file would bring the form's own answer back."""
    if question.default is None:
        raise HarvestError(
            f"{reviewed.path}: question {question.number}: reviewers deleted the whole answer, "
            "and the form needs one; reject that deletion in the reviewed file (or write the "
            "answer by hand) and run again"
        )
    if current == b"":
        return None  # harvested already
    if current is not None and (not source.sha256 or sha256(current) != source.sha256):
        raise HarvestError(
            f"{reviewed.path}: question {question.number}: reviewers deleted the whole answer, "
            f"but {target.name} changed after the draft was made; empty it by hand if that "
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
    form = load_form(record.framework, inputs)
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
        done = harvest_answer(reviewed, rereader, source, target, target.parent, question.default)
        if done is None:
            continue
        before, after, changed, pictures = done
        current = target.read_bytes() if target.is_file() else None
        if not after.strip("\ufeff \t\r\n"):
            if _deleted_whole(reviewed, question, target, source, current) is not None:
                outcomes.append(Outcome(number, target, target, before, "", changed, emptied=True))
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
