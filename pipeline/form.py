"""The form's data (questions, prompts, limits, themes), read from a TOML file under templates/."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from pathlib import Path

from pipeline.errors import InputError

TEMPLATES = Path(__file__).resolve().parent.parent / "templates"
"""The repository's templates folder: the built-in forms and Word templates."""


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


def load_form(name: str, templates: Path | None = None) -> Form:
    """Read `templates/<name>.toml` (from the repository's templates unless told)."""
    templates = templates or TEMPLATES
    path = templates / f"{name}.toml"
    # the name first: a very long one is no file name at all (the system refuses to look it up)
    if (
        len(name) > 100
        or not name.replace("-", "").replace("_", "").isalnum()
        or not path.is_file()
    ):
        known = ", ".join(sorted(p.stem for p in templates.glob("*.toml")))
        shown = name if len(name) <= 100 else f"{name[:40]}..."
        raise InputError(f"no form called {shown!r} (known: {known})")
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
        questions = tuple(
            Question(
                int(q["number"]),
                q["title"],
                q["prompt"],
                q.get("limit"),
                q.get("default"),
                q.get("must_contain"),
            )
            for q in data["questions"]
        )
        themes = tuple(Theme(t["name"], t["code"], t["aim"]) for t in data["themes"])
        return Form(
            name=name,
            title=data["title"],
            subtitle=data["subtitle"],
            subject=data["subject"],
            template=templates / data["template"],
            appendix_template=templates / data["appendix_template"],
            plan_template=templates / data["plan_template"],
            plan_months=int(data["plan_months"]),
            questions=questions,
            themes=themes,
            signoff=(data["signoff"]["lead"], data["signoff"]["leader"]),
        )
    except (tomllib.TOMLDecodeError, KeyError, TypeError, ValueError) as exc:
        raise InputError(f"{path}: not a valid form file: {exc}") from exc
