"""`pack import` end to end: open the file, find the form in it, write the inputs.

Everything is worked out before anything is written, so a file refused halfway leaves the
folder as it was; each file is then written atomically. Nothing is overwritten: an answer that
already has text gets the imported one beside it (`3-numbers.imported.md`), pack.toml keeps the
values it has, a plan with actions gets `action-plan.imported.xlsx` beside it, unless
`replace`."""

from __future__ import annotations

import re
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from pipeline.errors import InputError
from pipeline.files import atomic_path
from pipeline.form import Form, load_form
from pipeline.importer import fields as fieldwork
from pipeline.importer.after import details
from pipeline.importer.locate import Answer, Found, Locator, Piece
from pipeline.importer.markdown import Written, write_markdown
from pipeline.importer.plan_table import PlanRows, banner_of, is_plan_table
from pipeline.importer.source import Source, open_source
from pipeline.importer.summary import Imported, QuestionReport, comments
from pipeline.inputs.names import answer_path
from pipeline.markdown.syntax import count_words
from pipeline.settings import FILE
from pipeline.text import plural
from pipeline.word.blocks import Para, TableBlock

_COMMENT = re.compile(r"<!--.*?-->", re.S)


@dataclass
class Plan:
    """What will be written, by path, and what the summary says."""

    files: dict[Path, bytes] = field(default_factory=dict)
    report: Imported | None = None
    replace: bool = False


def has_text(path: Path) -> bool:
    """Whether an answer file says anything beyond `pack init`'s comment."""
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError):
        return True  # something is there: never replaced unasked
    return bool(_COMMENT.sub("", text).strip())


def _existing_answer(inputs: Path, number: int) -> Path | None:
    folder = inputs / "answers"
    found = (
        sorted(
            p
            for p in folder.glob(f"{number}[-_ .]*.md")
            if not p.name.endswith((".reviewed.md", ".imported.md"))
        )
        if folder.is_dir()
        else []
    )
    return found[0] if found else None


def _beside(path: Path, data: bytes) -> Path:
    """Where the imported version of `path` goes: never over a different earlier one."""
    stem = path.name.removesuffix(".md")
    for n in range(1, 1000):
        candidate = path.with_name(f"{stem}.imported{'' if n == 1 else f'-{n}'}.md")
        if not candidate.exists() or candidate.read_bytes() == data:
            return candidate
    raise InputError(f"{path}: too many imported versions beside it; merge and delete them")


def _form(inputs: Path) -> Form:
    framework = "initial"
    if (inputs / FILE).is_file():
        from pipeline.settings import peek

        value = peek(inputs).get("framework")
        framework = value if isinstance(value, str) and value else "initial"
    return load_form(framework, inputs)


def import_file(
    path: Path,
    inputs: Path,
    question: int | None = None,
    accept_changes: bool = False,
    replace: bool = False,
) -> tuple[Imported, Plan]:
    """What importing `path` into `inputs` comes to; nothing is written here (see `write`)."""
    if inputs.exists() and not (inputs / FILE).is_file() and any(inputs.iterdir()):
        raise InputError(
            f"{inputs}: not an inputs folder (no {FILE}) and not empty; give a new folder, an "
            "empty one, or an inputs folder"
        )
    form = _form(inputs)
    numbers = {q.number: q for q in form.questions}
    if question is not None and question not in numbers:
        raise InputError(f"the form has no question {question} (it has 1 to {max(numbers)})")
    with tempfile.TemporaryDirectory(prefix="pack-import-") as work:
        source = open_source(path, Path(work))
        changes = source.tracked_changes()
        if changes and not accept_changes:
            raise InputError(
                f"{path}: {plural(changes, 'tracked change')} not yet accepted or rejected; "
                "accept or reject them in Word (Review > Accept All, or Reject) and run again, "
                "or import with --accept-changes"
            )
        report = Imported(str(path), str(inputs), accepted_changes=changes)
        if source.converted:
            report.notes.append(f"{path.name} was read as LibreOffice saves it as .docx")
        plan = Plan(report=report, replace=replace)
        locator = Locator(form, source.docx.lookups(), source.children)
        if question is not None:
            pieces = locator.pieces()
            found = Found()
            found.answers[question] = Answer(
                question, "as --question asked", "the whole file", pieces
            )
        else:
            found = locator.locate()
            if not found.answers:
                raise InputError(
                    f"{path}: none of the form's questions found in it; to import the whole "
                    "file as one answer, give --question N"
                )
        _answers(found, form, source, inputs, replace, plan, question is None)
        if question is None:
            details(found, locator, source, inputs, form, replace, plan)
        report.comments = comments(source, _regions(found))
        return report, plan


def _regions(found: Found) -> dict[int, set[int]]:
    return {n: {p.top for p in a.pieces} for n, a in found.answers.items()}


def _answers(
    found: Found,
    form: Form,
    source: Source,
    inputs: Path,
    replace: bool,
    plan: Plan,
    whole_form: bool,
) -> None:
    report = plan.report
    assert report is not None
    rows = PlanRows()
    for q in form.questions:
        answer = found.answers.get(q.number)
        if answer is None:
            if whole_form:
                report.questions.append(
                    QuestionReport(q.number, q.title, "not found in the file", limit=q.limit)
                )
            continue
        pieces = answer.pieces
        left_out = list(answer.left_out)
        if whole_form:
            pieces = _take_plan(pieces, rows, form, left_out)
        existing = _existing_answer(inputs, q.number)
        target = existing or answer_path(inputs / "answers", q)
        written = write_markdown(pieces, source, target.parent, target.stem.split(".")[0])
        text = written.text
        same = existing is not None and existing.read_bytes() == text.encode("utf-8")
        beside = existing is not None and has_text(existing) and not replace and not same
        if beside:
            target = _beside(target, text.encode("utf-8"))
        report.questions.append(
            QuestionReport(
                q.number,
                q.title,
                f"{answer.where}, {answer.how}",
                count_words(text),
                q.limit,
                _rel(target, inputs),
                beside,
                left_out + written.left_out,
            )
        )
        if not text.strip():
            report.questions[-1].left_out.append("no text under the prompt: nothing written")
            continue
        if same:
            report.questions[-1].unchanged = True
            continue
        plan.files[target] = text.encode("utf-8")
        _pictures(written, plan, inputs)
        if q.must_contain == "website":
            links = [
                s.link for p in pieces if isinstance(p.block, Para) for s in p.block.spans if s.link
            ]
            url = fieldwork.website(text, links)
            if url:
                report.found["website"] = url
    if rows.rows:
        report.plan_rows = rows


def _pictures(written: Written, plan: Plan, inputs: Path) -> None:
    for picture, data in written.pictures.items():
        if not picture.exists() or picture.read_bytes() == data:
            plan.files[picture] = data


def _take_plan(pieces: list[Piece], rows: PlanRows, form: Form, left_out: list[str]) -> list[Piece]:
    """The answer without its plan tables (and their banners), which go to `rows`."""
    kept: list[Piece] = []
    for piece in pieces:
        block = piece.block
        if isinstance(block, TableBlock) and is_plan_table(block):
            banner = None
            if (
                kept
                and isinstance(kept[-1].block, Para)
                and banner_of(kept[-1].block.text, form.themes)
            ):
                banner = kept.pop().block.text.strip()
            rows.add(piece, banner, form.themes)
            left_out.append(
                f"the action plan's table ({piece.where}): written to the plan spreadsheet"
            )
            continue
        kept.append(piece)
    return kept


def _rel(path: Path, inputs: Path) -> str:
    try:
        return path.relative_to(inputs).as_posix()
    except ValueError:
        return str(path)


def write(inputs: Path, plan: Plan) -> list[Path]:
    """Write what `import_file` worked out, each file atomically; the folder is made as
    `pack init` makes it when it has no pack.toml. Returns the files written."""
    report = plan.report
    assert report is not None
    written: list[Path] = []
    if not (inputs / FILE).is_file():
        from pipeline.inputs.init import init

        init(inputs)
        report.created = True
    for path, data in plan.files.items():
        path.parent.mkdir(parents=True, exist_ok=True)
        with atomic_path(path) as tmp:
            tmp.write_bytes(data)
        written.append(path)
    values = {k: v for k, v in report.found.items() if v}
    if values:
        text = (inputs / FILE).read_text(encoding="utf-8-sig")
        result, _, _ = fieldwork.set_fields(text, values, plan.replace)
        if result != text:
            with atomic_path(inputs / FILE) as tmp:
                tmp.write_text(result, encoding="utf-8")
            written.append(inputs / FILE)
    return written
