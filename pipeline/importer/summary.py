"""What `pack import` says: per question where its text came from, its words against the
limit and what was left out; the fields, plan, signatures and appendices written; the
reviewers' comments in the file (listed, never imported). As lines, or as JSON."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import TYPE_CHECKING, Any

from pipeline.word.blocks import Reader
from pipeline.word.package import W

if TYPE_CHECKING:
    from pipeline.importer.plan_table import PlanRows
    from pipeline.importer.source import Source


@dataclass
class QuestionReport:
    number: int
    title: str
    source: str
    """Where the answer was found and how its prompt was known, or `not found in the file`."""
    words: int = 0
    limit: int | None = None
    path: str | None = None
    """The file written, relative to the inputs folder."""
    beside: bool = False
    """Written beside an answer that already had text."""
    left_out: list[str] = field(default_factory=list)
    unchanged: bool = False
    """The answer there already says this: nothing written."""


@dataclass
class Comment:
    author: str
    text: str
    question: int | None


@dataclass
class Imported:
    file: str
    inputs: str
    questions: list[QuestionReport] = field(default_factory=list)
    found: dict[str, Any] = field(default_factory=dict)
    """pack.toml's fields found in the file."""
    written_fields: list[str] = field(default_factory=list)
    kept_fields: list[str] = field(default_factory=list)
    """Found, but pack.toml already says something else (kept without --replace)."""
    notes: list[str] = field(default_factory=list)
    plan: str | None = None
    plan_actions: int = 0
    plan_problems: list[str] = field(default_factory=list)
    plan_rows: PlanRows | None = None
    plan_unchanged: bool = False
    signatures: list[str] = field(default_factory=list)
    appendices: list[str] = field(default_factory=list)
    left_out: list[str] = field(default_factory=list)
    """The form's own text, not imported: the title page, contents, guidance, Appendix A."""
    comments: list[Comment] = field(default_factory=list)
    accepted_changes: int = 0
    created: bool = False

    def public(self) -> dict[str, Any]:
        data = asdict(self)
        data.pop("plan_rows")
        data["found"] = {k: str(v) for k, v in self.found.items()}
        data["plan"] = {
            "path": self.plan, "actions": self.plan_actions, "problems": self.plan_problems,
        } if self.plan else None  # fmt: skip
        return data

    def lines(self) -> list[str]:
        out = []
        for q in self.questions:
            if q.path is None:
                out.append(f"question {q.number}: {q.source}")
                continue
            limit = f" of {q.limit}" if q.limit else ""
            over = " (over the limit)" if q.limit and q.words > q.limit else ""
            where = f"{q.path} (beside the answer already there)" if q.beside else q.path
            where += " (unchanged: it already says this)" if q.unchanged else ""
            out.append(
                f"question {q.number}: {where}: from {q.source}, {q.words} words{limit}{over}"
            )
            out += [f"  left out: {item}" for item in q.left_out]
        if self.written_fields:
            out.append(f"pack.toml: {', '.join(self.written_fields)} written")
        if self.kept_fields:
            out.append(
                f"pack.toml: {', '.join(self.kept_fields)} kept as they were (the file says "
                "otherwise; --replace to take the file's)"
            )
        out += [f"note: {note}" for note in self.notes]
        if self.plan_unchanged:
            out.append(f"plan: {self.plan} (unchanged: it already holds these actions)")
        elif self.plan:
            out.append(f"plan: {self.plan}, {self.plan_actions} actions read back by pack plan")
            out += [f"  plan: {problem}" for problem in self.plan_problems]
        out += [f"signature: {path}" for path in self.signatures]
        out += [f"appendix: {path}" for path in self.appendices]
        out += [f"left out: {item}" for item in self.left_out]
        if self.accepted_changes:
            out.append(f"tracked changes: {self.accepted_changes} accepted (--accept-changes)")
        for comment in self.comments:
            at = f"question {comment.question}" if comment.question else "outside the answers"
            out.append(f"comment ({at}, not imported): {comment.author}: {comment.text}")
        return out


def comments(source: Source, regions: dict[int, set[int]]) -> list[Comment]:
    """Every comment in the file, with the question whose answer holds it."""
    lookups = source.docx.lookups()
    name = next(
        (
            t
            for kind, t, _ in source.docx.relationships(source.docx.main).values()
            if kind == "comments"
        ),
        None,
    )
    folder = source.docx.main.rsplit("/", 1)[0]
    root = source.docx.part(f"{folder}/{name}") if name else None
    if root is None:
        return []
    at: dict[str, int] = {}
    for index, child in enumerate(source.children):
        for mark in child.iter(f"{W}commentRangeStart", f"{W}commentReference"):
            at.setdefault(mark.get(f"{W}id") or "", index)
    reader = Reader(lookups)
    found = []
    for comment in root.iter(f"{W}comment"):
        text = " ".join(b.text for b, _ in reader.blocks(list(comment))).strip()
        index = at.get(comment.get(f"{W}id") or "", -1)
        question = next((n for n, tops in regions.items() if index in tops), None)
        found.append(
            Comment(comment.get(f"{W}author") or "someone", " ".join(text.split()), question)
        )
    return found
