"""Inputs folder to a validated `Pack`, collecting every problem instead of stopping at the first.

Longer than most: the loader reads each kind of input (pack.toml, answers, plan, appendices)
within the folder's boundary and budgets, and keeps what it could read for `pack check` even
when something else failed; the field rules are in `fields`, the names' in `names`."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from pipeline import settings
from pipeline.errors import InputError, UnsafeFile
from pipeline.form import Form, load_form
from pipeline.inputs.fields import field_problems
from pipeline.inputs.hints import toml_syntax
from pipeline.inputs.names import NUMBERED, answer_files, answer_path
from pipeline.inputs.signatures import signature_images
from pipeline.limits import TEXT_BYTES, file_size
from pipeline.markdown.syntax import answer_shown
from pipeline.model import DEFAULT_LANGUAGE, Answer, Appendix, Pack, Person, Plan, Problem
from pipeline.plan.read import find_plan, load_plan
from pipeline.safety import inside, sniff
from pipeline.settings import key_line
from pipeline.word.structure import check_word

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
REVIEWED = re.compile(r"\.(reviewed|imported)(-\d+)?\.md$")
"""An answer's other version waiting to be merged: reviewers' (`pack harvest`) or a Word
file's (`pack import`), written beside an answer that already had text."""


@dataclass
class Loader:
    """Reads one inputs folder."""

    root: Path
    problems: list[Problem] = field(default_factory=list)
    data: dict[str, object] = field(default_factory=dict)
    """pack.toml as parsed ({} when it could not be)."""
    settings_text: str | None = None
    form: Form | None = None
    read_answers: tuple[Answer, ...] = ()
    plan: Plan | None = None
    read_appendices: tuple[Appendix, ...] = ()

    def problem(self, path: Path, line: int | None, code: str, message: str) -> None:
        self.problems.append(Problem(path, line, "error", code, message))

    def outside(self, path: Path) -> bool:
        """Whether `path` leads out of the inputs folder (a symlink, `..`): then a problem."""
        if inside(path, self.root):
            return False
        self.problem(
            path,
            None,
            "outside-inputs",
            "leads outside the inputs folder (a link to a file elsewhere); "
            "put the file itself in the folder",
        )
        return True

    def text(self, path: Path) -> str | None:
        """A UTF-8 text file, with control characters refused by line."""
        if self.outside(path):
            return None
        if not path.is_file():  # a pipe or a device would be read without end
            self.problem(path, None, "not-a-file", "not a regular file; put the file itself here")
            return None
        try:
            file_size(path, TEXT_BYTES, "a text file")
            text = path.read_text(encoding="utf-8-sig")
        except UnsafeFile as exc:
            self.problem(path, None, "too-big", str(exc).removeprefix(f"{path}: "))
            return None
        except UnicodeDecodeError as exc:
            self.problem(
                path, None, "not-utf8", f"not UTF-8 text (byte {exc.start}); save as UTF-8"
            )
            return None
        except OSError as exc:
            self.problem(
                path, None, "unreadable", f"cannot read: {exc.strerror}; check who may read it"
            )
            return None
        text = text.replace("\r\n", "\n").replace("\r", "\n")
        for number, line in enumerate(text.split("\n"), start=1):
            bad = _CONTROL.search(line)
            if bad:
                self.problem(
                    path,
                    number,
                    "control-character",
                    f"control character U+{ord(bad[0]):04X} in the text; delete it",
                )
                return None
        return text

    def read_settings(self) -> tuple[dict[str, object], str] | None:
        path = self.root / "pack.toml"
        if not path.is_file():
            self.problem(
                path,
                None,
                "no-pack-toml",
                "missing; make a new inputs folder with pack init DIR, or copy the README's example",
            )
            return None
        text = self.text(path)
        if text is None:
            return None
        try:
            data = settings.parse(path, text)
        except settings.SettingsSyntax as exc:
            line, message = toml_syntax(text, exc.line, str(exc.__cause__ or exc.message))
            self.problem(path, line, "toml-syntax", message)
            return None
        found = field_problems(path, text, data)
        self.problems += found
        return None if found else (data, text)

    def answers(self, form: Form) -> tuple[Answer, ...]:
        folder = self.root / "answers"
        found, others = answer_files(folder)
        reviewed = [p for paths in found.values() for p in paths if REVIEWED.search(p.name)]
        found = {
            number: kept
            for number, paths in found.items()
            if (kept := [p for p in paths if p not in reviewed])
        }
        for path in [*reviewed, *found.pop(None, [])]:
            other = REVIEWED.search(path.name)
            if other:
                original = REVIEWED.sub(".md", path.name)
                message = (
                    f"reviewers' version of {original}, written by `pack harvest` because "
                    f"{original} changed after the draft was made: merge it into {original}, "
                    "then delete it"
                    if other[1] == "reviewed"
                    else f"the version of {original} that `pack import` read from a Word file, "
                    f"written beside it because {original} already had text: merge it into "
                    f"{original}, then delete it"
                )
                self.problems.append(Problem(path, None, "warning", f"answer-{other[1]}", message))
                continue
            self.problem(
                path,
                None,
                "answer-name",
                "answer file names start with the question number, e.g. 1-profile.md; rename it",
            )
        answers = []
        for question in form.questions:
            paths = found.pop(question.number, [])
            unread = others.get(question.number, []) if not paths else []
            if unread:
                others[question.number] = unread[1:]  # the rest: warned about below
                self.problem(
                    unread[0],
                    None,
                    "answer-not-markdown",
                    f"not read: answers are Markdown files ending .md, so question "
                    f"{question.number} has no answer; save it as {unread[0].stem}.md",
                )
                continue
            if not paths and question.default:
                answers.append(
                    Answer(
                        question.number, folder / f"{question.number}-(default)", question.default
                    )
                )
                continue
            if not paths:
                self.problem(
                    answer_path(folder, question),
                    None,
                    "answer-missing",
                    f"no answer to question {question.number} ({question.title}); write it in "
                    f"this file (any name starting {question.number}- will do)",
                )
                continue
            if len(paths) > 1:
                names = ", ".join(p.name for p in paths)
                self.problem(
                    paths[1],
                    None,
                    "answer-doubled",
                    f"question {question.number} has several answers ({names}); keep one",
                )
                continue
            text = self.text(paths[0])
            if text is None:
                continue
            shown = answer_shown(text, question.default)
            if shown is None:
                self.problem(
                    paths[0],
                    1,
                    "answer-empty",
                    f"the answer to question {question.number} is empty; write it",
                )
                continue
            answers.append(Answer(question.number, paths[0], shown))
        for number, paths in found.items():
            numbers = ", ".join(str(q.number) for q in form.questions)
            self.problem(
                paths[0],
                None,
                "answer-unknown",
                f"the form has no question {number} (its questions: {numbers}); "
                "rename or remove the file",
            )
        for path in (path for paths in others.values() for path in paths):
            self.problems.append(
                Problem(
                    path,
                    None,
                    "warning",
                    "answer-not-markdown",
                    "not read: answers are Markdown files ending .md; "
                    "move it out of answers/ (pictures go in answers/images/)",
                )
            )
        return tuple(answers)

    def appendices(self) -> tuple[Appendix, ...]:
        folder = self.root / "appendices"
        files = (
            sorted(
                p for p in folder.iterdir() if p.is_file() and not p.name.startswith((".", "~$"))
            )
            if folder.is_dir()
            else []
        )
        appendices = []
        for index, path in enumerate(files):
            if self.outside(path):
                continue
            if path.stat().st_size == 0:
                self.problem(
                    path,
                    None,
                    "appendix-empty",
                    "the file is empty; delete it, or save the appendix in it",
                )
                continue
            try:
                kind = sniff(path)
                if kind == "docx":
                    check_word(path)  # broken inside: named by part now, not halfway through
            except UnsafeFile as exc:
                self.problem(path, None, "appendix-type", str(exc).removeprefix(f"{path}: "))
                continue
            except OSError as exc:
                self.problem(
                    path, None, "unreadable", f"cannot read: {exc.strerror}; check who may read it"
                )
                continue
            title = NUMBERED.sub("", path.stem).replace("-", " ").replace("_", " ").strip()
            if kind == "markdown":
                text = self.text(path)
                if text is None:
                    continue
                heading = re.match(r"#\s+(.+)", text.lstrip())
                title = heading[1].strip() if heading else title
            letter = chr(ord("A") + index) if index < 26 else f"A{index - 25}"
            appendices.append(Appendix(path, kind, letter, title[:1].upper() + title[1:]))
        return tuple(appendices)

    def load(self) -> Pack | None:
        """Read everything that can be read, whatever else failed (`pack check` checks what
        was read); the pack only when no problem is an error."""
        if not self.root.is_dir():
            self.problem(self.root, None, "no-inputs", "no such folder")
            return None
        loaded = self.read_settings()
        if loaded is not None:
            self.data, self.settings_text = loaded
        else:
            self.data, self.settings_text = _partial(self.root)
        framework = self.data.get("framework", "initial")
        framework = framework if isinstance(framework, str) else "initial"
        try:
            self.form = load_form(framework, self.root)
        except InputError as exc:
            line = key_line(self.settings_text or "", "framework")
            self.problem(self.root / "pack.toml", line, "framework", str(exc))
        if self.form is not None:
            self.read_answers = self.answers(self.form)
            plan_path = find_plan(self.root)
            others = sorted(self.root.glob("action-plan.*")) if plan_path is None else []
            if plan_path is None and others:  # .xls, .ods, .xlsm, .numbers: not read
                self.problem(
                    others[0],
                    None,
                    "plan-format",
                    f"a {others[0].suffix} file is not read; save it as action-plan.xlsx (Excel "
                    "Workbook) or action-plan.csv (CSV UTF-8)",
                )
            elif plan_path is None:
                self.problem(
                    self.root / "action-plan.xlsx",
                    None,
                    "plan-missing",
                    "no action plan: save it here (or as action-plan.csv or .tsv)",
                )
            elif not self.outside(plan_path):
                sheet = self.data.get("plan_sheet")
                self.plan, plan_problems = load_plan(
                    plan_path, self.form.themes, str(sheet) if sheet else None
                )
                self.problems.extend(plan_problems)
        self.read_appendices = self.appendices()
        signoff = self.data.get("signoff")
        signatures: tuple[Path | None, Path | None] = (None, None)
        if isinstance(signoff, dict):
            signatures, problems = signature_images(self.root, signoff, self.settings_text or "")
            self.problems += problems
        if (
            not loaded
            or self.form is None
            or self.plan is None
            or any(p.level == "error" for p in self.problems)
        ):
            return None
        data = self.data
        signoff = data.get("signoff") or {}
        assert isinstance(signoff, dict)  # read_settings() refused anything else
        return Pack(
            root=self.root,
            institution=str(data["institution"]).strip(),
            framework=framework,
            form=self.form,
            date_joined=data["date_joined"],  # type: ignore[arg-type]
            website=str(data["website"]).strip(),
            lead=_person(data["lead"]),
            leader=_person(data["leader"]),
            answers=self.read_answers,
            plan=self.plan,
            appendices=self.read_appendices,
            signed=(signoff.get("lead"), signoff.get("leader")),
            signatures=signatures,
            language=str(data.get("language", DEFAULT_LANGUAGE)),
            accept_changes=data.get("accept_changes") is True,
        )


def _partial(root: Path) -> tuple[dict[str, object], str | None]:
    """pack.toml as far as TOML can read it, when it has problems (its fields are checked one
    by one; {} when it is not TOML at all)."""
    try:
        text = settings.read_text(root)
    except (OSError, UnicodeDecodeError):
        return {}, None
    try:
        return settings.parse(root / settings.FILE, text), text
    except settings.SettingsSyntax:
        return {}, text


def _person(table: object) -> Person:
    assert isinstance(table, dict)  # read_settings() refused anything else
    return Person(str(table["name"]), str(table.get("email", "")), str(table.get("role", "")))


def load(root: Path) -> tuple[Pack | None, list[Problem]]:
    """The pack in `root` and every problem found; no pack when any problem is an error."""
    loader = Loader(root)
    pack = loader.load()
    return pack, loader.problems


def load_all(root: Path) -> tuple[Pack | None, Loader]:
    """The pack (None when any problem is an error) and the loader, which keeps whatever
    could be read, for `pack check` to check."""
    loader = Loader(root)
    return loader.load(), loader
