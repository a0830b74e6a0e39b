"""The form's data (questions, prompts, limits, themes), read from a TOML file.

`framework` in pack.toml names a built-in form (`initial`: `templates/initial.toml`, shipped
inside the package) or a form file of the institution's own, relative to pack.toml and inside
the inputs folder. Word templates named in an institution's form file resolve beside it, falling
back to the built-in ones by name. Any number of questions and themes: other stages of the
self-assessment, and institutions with their own pillars, are new form files, not new code.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from pathlib import Path

from pipeline.errors import InputError
from pipeline.safety import inside
from pipeline.settings import key_line

_PACKAGED = Path(__file__).resolve().parent / "templates"
TEMPLATES = _PACKAGED if _PACKAGED.is_dir() else _PACKAGED.parent.parent / "templates"
"""The built-in forms and Word templates. One source: the repository's top-level `templates/`,
which a wheel carries as `pipeline/templates/` (pyproject.toml maps it there); a checkout or an
editable install reads it where it is."""
_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9_-]*")
_CODE = re.compile(r"[A-Z][A-Z0-9]{0,3}")
MAX_FORM_BYTES = 256 * 1024
"""A form file is a page of TOML; anything larger is not one."""


@dataclass(frozen=True, slots=True)
class Question:
    """A question of the form."""

    number: int
    title: str
    """A short title, used in headings and the PDF outline."""
    prompt: str
    """The form's own wording, shown above the answer."""
    limit: int | None
    """Word limit, when the form sets one."""
    default: str | None = None
    """The answer when there is no answer file (e.g. pointing to the action plan)."""
    must_contain: str | None = None
    """A pack.toml field whose value the answer must contain (e.g. `website`)."""

    @property
    def heading(self) -> str:
        return f"Question {self.number}: {self.title}"


@dataclass(frozen=True, slots=True)
class Theme:
    """A theme of the commitment (or an institution's own pillar)."""

    name: str
    code: str
    """Prefix of the theme's goal codes (V for V1, V2...)."""
    aim: str


@dataclass(frozen=True, slots=True)
class Form:
    """A framework's form: what the pack must contain."""

    name: str
    """As pack.toml names it: `initial`, or the form file's path relative to pack.toml."""
    path: Path
    """The form file."""
    title: str
    subtitle: str
    subject: str
    template: Path
    appendix_template: Path
    plan_template: Path
    plan_months: int
    questions: tuple[Question, ...]
    themes: tuple[Theme, ...]
    signoff: tuple[str, str]
    """Captions of the two signature blocks: the lead's, then the leader's."""

    @property
    def built_in(self) -> bool:
        """A form shipped with the tool (its templates are trusted) rather than an institution's."""
        return self.path.parent == TEMPLATES

    @property
    def files(self) -> tuple[Path, ...]:
        """The form file and its Word templates: what a build made from this form depends on."""
        return (self.path, self.template, self.appendix_template, self.plan_template)


def built_in_forms() -> list[str]:
    return sorted(p.stem for p in TEMPLATES.glob("*.toml"))


def form_file(framework: str, root: Path | None = None) -> Path:
    """The form file `framework` names: a built-in form's, or one inside `root` (the folder
    holding pack.toml). `InputError` saying what to do when there is none."""
    if len(framework) > 200:  # no file name at all: the system would refuse to look it up
        raise InputError(f"framework {framework[:40]!r}... is far too long to name a form")
    if _NAME.fullmatch(framework):
        path = TEMPLATES / f"{framework}.toml"
        if path.is_file():
            return path
        raise InputError(
            f"no built-in form called {framework!r} (known: {', '.join(built_in_forms())}); "
            'name one of those, or a form file of your own such as "my-form.toml"'
        )
    if root is None:
        raise InputError(
            f"{framework}: a form file of the institution's own needs its inputs folder"
        )
    if not framework.lower().endswith(".toml"):
        raise InputError(
            f"{framework!r} is neither a built-in form ({', '.join(built_in_forms())}) "
            "nor a form file ending .toml"
        )
    path = root / framework
    if Path(framework).is_absolute() or not inside(path, root):
        raise InputError(
            f"{framework}: outside the inputs folder; keep the form file beside pack.toml"
        )
    if not path.is_file():
        raise InputError(f"{framework}: no such form file beside pack.toml")
    return path


def load_form(framework: str = "initial", root: Path | None = None) -> Form:
    """The form `framework` names (see `form_file`), checked; `InputError` with file and line."""
    path = form_file(framework, root)
    if path.stat().st_size > MAX_FORM_BYTES:
        raise InputError(f"{path}: larger than {MAX_FORM_BYTES // 1024} KiB; not a form file")
    try:
        text = path.read_text(encoding="utf-8-sig")
        data = tomllib.loads(text)
    except UnicodeDecodeError as exc:
        raise InputError(f"{path}: not UTF-8 text; save it as UTF-8") from exc
    except tomllib.TOMLDecodeError as exc:
        match = re.search(r"at line (\d+)", str(exc))
        raise InputError(f"{path}:{match[1] if match else 1}: not valid TOML: {exc}") from exc
    return _Reader(path, text, root).form(framework, data)


class _Reader:
    """Checks a form file's fields one by one, naming the line of the first wrong one."""

    def __init__(self, path: Path, text: str, root: Path | None) -> None:
        self.path, self.text, self.root = path, text, root

    def fail(self, key: str, message: str, item: int | None = None) -> InputError:
        """An error at `key`'s line, or at the `item`th `[[key]]` table's header."""
        line = key_line(self.text, key) if item is None else self.item_line(key, item)
        return InputError(f"{self.path}{f':{line}' if line else ''}: {message}")

    def item_line(self, array: str, item: int) -> int | None:
        headers = [
            number
            for number, line in enumerate(self.text.splitlines(), start=1)
            if re.match(rf"\s*\[\[\s*{re.escape(array)}\s*\]\]", line)
        ]
        return headers[item] if item < len(headers) else None

    def text_of(self, table: dict[str, object], key: str, where: str = "") -> str:
        value = table.get(key)
        if not isinstance(value, str) or not value.strip():
            raise self.fail(where or key, f"{where or key} must be text in quotes; add it")
        return value.strip()

    def template(self, data: dict[str, object], key: str) -> Path:
        name = self.text_of(data, key)
        if self.path.parent == TEMPLATES:
            found = TEMPLATES / name
        else:
            beside = self.path.parent / name
            assert self.root is not None  # an institution's form is always read from its folder
            if Path(name).is_absolute() or not inside(beside, self.root):
                raise self.fail(
                    key, f"{key} {name!r} is outside the inputs folder; keep it beside the form"
                )
            found = beside if beside.is_file() else TEMPLATES / Path(name).name
        if not found.is_file() or found.suffix.lower() != ".docx":
            raise self.fail(
                key, f"{key} {name!r}: no such Word template beside the form nor built in"
            )
        return found

    def form(self, framework: str, data: dict[str, object]) -> Form:
        questions = self.questions(data.get("questions"))
        themes = self.themes(data.get("themes"))
        months = data.get("plan_months")
        if not isinstance(months, int) or isinstance(months, bool) or not 1 <= months <= 120:
            raise self.fail("plan_months", "plan_months must be a number of months, 1 to 120")
        signoff = data.get("signoff")
        if not isinstance(signoff, dict):
            raise self.fail("signoff", "[signoff] with the captions lead and leader is missing")
        return Form(
            name=framework,
            path=self.path,
            title=self.text_of(data, "title"),
            subtitle=str(data.get("subtitle", "")),
            subject=self.text_of(data, "subject"),
            template=self.template(data, "template"),
            appendix_template=self.template(data, "appendix_template"),
            plan_template=self.template(data, "plan_template"),
            plan_months=months,
            questions=questions,
            themes=themes,
            signoff=(
                self.text_of(signoff, "lead", "signoff.lead"),
                self.text_of(signoff, "leader", "signoff.leader"),
            ),
        )

    def questions(self, items: object) -> tuple[Question, ...]:
        if not isinstance(items, list) or not items:
            raise self.fail("questions", "no [[questions]]; a form needs at least one")
        questions: list[Question] = []
        for index, item in enumerate(items):
            if not isinstance(item, dict):
                raise self.fail("questions", "each [[questions]] must be a table", index)
            number = item.get("number")
            if not isinstance(number, int) or isinstance(number, bool) or not 1 <= number <= 99:
                raise self.fail("questions", "each question needs a number from 1 to 99", index)
            if any(q.number == number for q in questions):
                raise self.fail("questions", f"question {number} is given twice", index)
            limit = item.get("limit")
            if limit is not None and (not isinstance(limit, int) or limit < 1):
                raise self.fail(
                    "questions", f"question {number}: limit must be a number of words", index
                )
            default, must = item.get("default"), item.get("must_contain")
            questions.append(
                Question(
                    number,
                    self.text_of(item, "title", "questions.title"),
                    self.text_of(item, "prompt", "questions.prompt"),
                    limit,
                    default if isinstance(default, str) else None,
                    must if isinstance(must, str) else None,
                )
            )
        return tuple(sorted(questions, key=lambda q: q.number))

    def themes(self, items: object) -> tuple[Theme, ...]:
        if not isinstance(items, list) or not items:
            raise self.fail("themes", "no [[themes]]; a form needs at least one")
        themes: list[Theme] = []
        for index, item in enumerate(items):
            if not isinstance(item, dict):
                raise self.fail("themes", "each [[themes]] must be a table", index)
            name = self.text_of(item, "name", "themes.name")
            code = self.text_of(item, "code", "themes.code")
            if not _CODE.fullmatch(code):
                raise self.fail(
                    "themes",
                    f"theme {name!r}: code {code!r} must be 1 to 4 capital letters (V, CD)",
                    index,
                )
            if any(t.code == code or t.name.casefold() == name.casefold() for t in themes):
                raise self.fail(
                    "themes", f"theme {name!r} ({code}) repeats another's name or code", index
                )
            themes.append(Theme(name, code, str(item.get("aim", "")).strip()))
        return tuple(themes)
