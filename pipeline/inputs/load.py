"""Inputs folder to a validated `Pack`, collecting every problem instead of stopping at the first."""

from __future__ import annotations

import datetime as dt
import difflib
import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from pipeline.errors import InputError, UnsafeFile
from pipeline.form import Form, load_form
from pipeline.model import DEFAULT_LANGUAGE, Answer, Appendix, Pack, Person, Plan, Problem
from pipeline.plan.read import find_plan, load_plan
from pipeline.safety import sniff

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_LANGUAGE = re.compile(r"[A-Za-z]{2,3}(-[A-Za-z0-9]{1,8})*")
"""A BCP 47 language tag, as PDF's `/Lang` and HTML's `lang` take it."""
_NUMBERED = re.compile(r"^(\d+)[-_ .]")
REVIEWED = re.compile(r"\.reviewed(-\d+)?\.md$")
"""The name `pack harvest` gives reviewers' version of an answer that changed after the draft."""
_KNOWN = {
    "": (
        "institution",
        "framework",
        "date_joined",
        "website",
        "lead",
        "leader",
        "signoff",
        "plan_sheet",
        "language",
    ),
    "lead": ("name", "email", "role"),
    "leader": ("name", "email", "role"),
    "signoff": ("lead", "leader"),
}
_REQUIRED = (
    ("institution", str),
    ("date_joined", dt.date),
    ("website", str),
    ("lead.name", str),
    ("lead.email", str),
    ("leader.name", str),
)


def key_line(text: str, key: str) -> int | None:
    """The line where `key` (dotted: `lead.email`) is set in a TOML text, if it can be found."""
    table, _, name = key.rpartition(".")
    current = ""
    for number, line in enumerate(text.splitlines(), start=1):
        stripped = line.strip()
        if stripped.startswith("["):
            current = stripped.split("#")[0].strip("[] ")
            if current == key:  # the key is a table
                return number
        elif current == table and re.match(rf"{re.escape(name)}\s*=", stripped):
            return number
    return None


def _lookup(data: dict[str, object], key: str) -> object:
    value: object = data
    for part in key.split("."):
        value = value.get(part) if isinstance(value, dict) else None
    return value


@dataclass
class Loader:
    """Reads one inputs folder."""

    root: Path
    problems: list[Problem] = field(default_factory=list)

    def problem(self, path: Path, line: int | None, code: str, message: str) -> None:
        self.problems.append(Problem(path, line, "error", code, message))

    def text(self, path: Path) -> str | None:
        """A UTF-8 text file, with control characters refused by line."""
        try:
            text = path.read_text(encoding="utf-8-sig")
        except UnicodeDecodeError as exc:
            self.problem(
                path, None, "not-utf8", f"not UTF-8 text (byte {exc.start}); save as UTF-8"
            )
            return None
        except OSError as exc:
            self.problem(path, None, "unreadable", f"cannot read: {exc.strerror}")
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

    def settings(self) -> tuple[dict[str, object], str] | None:
        path = self.root / "pack.toml"
        if not path.is_file():
            self.problem(
                path, None, "no-pack-toml", "missing; copy inputs/pack.toml from the example"
            )
            return None
        text = self.text(path)
        if text is None:
            return None
        try:
            data = tomllib.loads(text)
        except tomllib.TOMLDecodeError as exc:
            match = re.search(r"at line (\d+)", str(exc))
            line = int(match[1]) if match else None
            self.problem(path, line, "toml-syntax", f"not valid TOML: {exc}")
            return None
        ok = self.known_keys(path, text, data)
        for key, kind in _REQUIRED:
            value = _lookup(data, key)
            line = key_line(text, key)
            if value is None or value == "":
                self.problem(path, line, "field-missing", f"{key} is missing; add it")
                ok = False
            elif kind is dt.date and (
                not isinstance(value, dt.date) or isinstance(value, dt.datetime)
            ):
                self.problem(path, line, "field-type", f"{key} must be a date such as 2025-05-14")
                ok = False
            elif kind is str and not isinstance(value, str):
                self.problem(path, line, "field-type", f'{key} must be text in quotes: "..."')
                ok = False
        for who in ("lead", "leader"):
            value = _lookup(data, f"signoff.{who}")
            if value is not None and (
                not isinstance(value, dt.date) or isinstance(value, dt.datetime)
            ):
                line = key_line(text, f"signoff.{who}")
                self.problem(
                    path, line, "field-type", f"signoff.{who} must be a date such as 2027-01-20"
                )
                ok = False
        language = data.get("language", DEFAULT_LANGUAGE)
        if not isinstance(language, str) or not _LANGUAGE.fullmatch(language):
            self.problem(
                path,
                key_line(text, "language"),
                "field-type",
                'language must be a language tag such as "en-GB" or "cy" (Welsh)',
            )
            ok = False
        return (data, text) if ok else None

    def known_keys(self, path: Path, text: str, data: dict[str, object]) -> bool:
        """Name every key the form does not know, with the nearest known one."""
        ok = True
        for table, known in _KNOWN.items():
            values = data if not table else data.get(table)
            if table and values is not None and not isinstance(values, dict):
                self.problem(
                    path, key_line(text, table), "field-type", f"{table} must be a table: [{table}]"
                )
                ok = False
                continue
            for key in values if isinstance(values, dict) else {}:
                if key in known or (not table and key in _KNOWN):
                    continue
                dotted = f"{table}.{key}" if table else key
                near = difflib.get_close_matches(key, known, n=1)
                hint = f"; did you mean {near[0]!r}?" if near else ""
                self.problem(
                    path, key_line(text, dotted), "field-unknown", f"unknown key {dotted!r}{hint}"
                )
                ok = False
        return ok

    def answers(self, form: Form) -> tuple[Answer, ...]:
        folder = self.root / "answers"
        found: dict[int, list[Path]] = {}
        for path in sorted(folder.glob("*.md")) if folder.is_dir() else []:
            if REVIEWED.search(path.name):
                original = REVIEWED.sub(".md", path.name)
                self.problems.append(
                    Problem(
                        path,
                        None,
                        "warning",
                        "answer-reviewed",
                        f"reviewers' version of {original}, written by `pack harvest` because "
                        f"{original} changed after the draft was made: merge it into {original}, "
                        "then delete it",
                    )
                )
                continue
            match = _NUMBERED.match(path.name)
            if not match:
                self.problem(
                    path,
                    None,
                    "answer-name",
                    "answer file names start with the question number, e.g. 1-profile.md",
                )
                continue
            found.setdefault(int(match[1]), []).append(path)
        answers = []
        for question in form.questions:
            paths = found.pop(question.number, [])
            if not paths and question.default:
                answers.append(
                    Answer(
                        question.number, folder / f"{question.number}-(default)", question.default
                    )
                )
                continue
            if not paths:
                self.problem(
                    folder / f"{question.number}-....md",
                    None,
                    "answer-missing",
                    f"no answer to question {question.number} ({question.title}); add {question.number}-<name>.md",
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
            if not text.strip():
                self.problem(
                    paths[0],
                    1,
                    "answer-empty",
                    f"the answer to question {question.number} is empty",
                )
                continue
            answers.append(Answer(question.number, paths[0], text))
        for number, paths in found.items():
            self.problem(paths[0], None, "answer-unknown", f"the form has no question {number}")
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
            try:
                kind = sniff(path)
            except UnsafeFile as exc:
                self.problem(path, None, "appendix-type", str(exc).removeprefix(f"{path}: "))
                continue
            except OSError as exc:
                self.problem(path, None, "unreadable", f"cannot read: {exc.strerror}")
                continue
            if path.stat().st_size == 0:
                self.problem(path, None, "appendix-empty", "the file is empty")
                continue
            title = _NUMBERED.sub("", path.stem).replace("-", " ").replace("_", " ").strip()
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
        if not self.root.is_dir():
            self.problem(self.root, None, "no-inputs", "no such folder")
            return None
        loaded = self.settings()
        data = loaded[0] if loaded else {}
        framework = str(data.get("framework", "initial"))
        try:
            form = load_form(framework)
        except InputError as exc:
            self.problem(
                self.root / "pack.toml",
                loaded and key_line(loaded[1], "framework"),
                "framework",
                str(exc),
            )
            return None
        answers = self.answers(form)
        plan_path = find_plan(self.root)
        plan: Plan | None = None
        if plan_path is None:
            self.problem(
                self.root / "action-plan.xlsx",
                None,
                "plan-missing",
                "no action plan (action-plan.xlsx, .csv or .tsv)",
            )
        else:
            sheet = data.get("plan_sheet")
            plan, plan_problems = load_plan(plan_path, form.themes, str(sheet) if sheet else None)
            self.problems.extend(plan_problems)
        appendices = self.appendices()
        if not loaded or plan is None or any(p.level == "error" for p in self.problems):
            return None
        signoff = data.get("signoff") or {}
        assert isinstance(signoff, dict)  # settings() refused anything else
        return Pack(
            root=self.root,
            institution=str(data["institution"]).strip(),
            framework=framework,
            date_joined=data["date_joined"],  # type: ignore[arg-type]
            website=str(data["website"]).strip(),
            lead=_person(data["lead"]),
            leader=_person(data["leader"]),
            answers=answers,
            plan=plan,
            appendices=appendices,
            signed=(signoff.get("lead"), signoff.get("leader")),
            language=str(data.get("language", DEFAULT_LANGUAGE)),
        )


def _person(table: object) -> Person:
    assert isinstance(table, dict)  # settings() refused anything else
    return Person(str(table["name"]), str(table.get("email", "")), str(table.get("role", "")))


def load(root: Path) -> tuple[Pack | None, list[Problem]]:
    """The pack in `root` and every problem found; no pack when any problem is an error."""
    loader = Loader(root)
    pack = loader.load()
    return pack, loader.problems
