"""`pack check`: everything wrong with the pack, in the order of the form, without LibreOffice.

Longer than most: one method per stage of the check (settings, answers, plan, appendices, the
deadline), run on whatever loaded; the plan's own checks are in `plan_check`, the fields' in
`fields`, the names' in `names`."""

from __future__ import annotations

import datetime as dt
import re
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path
from urllib.parse import urlparse

from pipeline.conformance import UNTAGGED, appendix_reasons, stops_message
from pipeline.errors import UnsafeFile
from pipeline.form import Form
from pipeline.inputs.lint import lint_markdown
from pipeline.inputs.load import Loader, load_all
from pipeline.inputs.names import appendix_names
from pipeline.inputs.plan_check import plan_problems
from pipeline.inputs.unfinished import unapplied_redactions, unfinished_review
from pipeline.markdown.syntax import count_words
from pipeline.model import Answer, Appendix, Pack, Plan, Problem
from pipeline.pdf import check_pdf, open_qpdf
from pipeline.safety import parse_xml
from pipeline.settings import key_line
from pipeline.text import plural
from pipeline.window import Window, deadline_problem, window_for

_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


REQUIRED_STYLES = (
    "Normal", "Title", "Subtitle", "Heading 1", "Heading 2", "Heading 3", "Heading 4", "Body Text",
    "List Paragraph", "Quote", "Code", "Code Char", "Hyperlink", "Table Text", "Table Grid",
    "Prompt", "Field Label", "Footnote Text", "Footnote Reference", "toc 1",
)  # fmt: skip
"""Styles the renderer maps Markdown to, by name."""


def template_styles(path: Path) -> set[str]:
    """The style names (lower case, as Word stores built-in ones) in a .docx's styles part
    (read again only when the file changed: `--watch` checks at every save)."""
    stat = path.stat()
    seen = (str(path), stat.st_ino, stat.st_size, stat.st_mtime_ns, stat.st_ctime_ns)
    if seen not in _STYLES:
        with zipfile.ZipFile(path) as archive:
            root = parse_xml(archive.read("word/styles.xml"))
        names = root.xpath("//w:style/w:name/@w:val", namespaces=_W)
        _STYLES[seen] = frozenset(str(name).lower() for name in names)
    return set(_STYLES[seen])


_STYLES: dict[tuple[str, int, int, int, int], frozenset[str]] = {}


_W = {"w": "http://schemas.openxmlformats.org/wordprocessingml/2006/main"}


def _order(problem: Problem) -> tuple[int, int, str, int]:
    """pack.toml, then answers by question, then the plan, then appendices: the form's order."""
    path = problem.path
    if path.name == "pack.toml":
        rank, number = 0, 0
    elif path.parent.name == "answers":
        match = re.match(r"\d+", path.name)
        rank, number = 1, int(match[0]) if match else 99
    elif path.name.startswith("action-plan"):
        rank, number = 2, 0
    elif path.parent.name == "appendices":
        rank, number = 3, 0
    else:
        rank, number = 4, 0
    return rank, number, str(path), problem.line or 1 << 30  # whole-file problems last


def _text(data: dict[str, object], key: str) -> str | None:
    """A text setting (dotted: `lead.email`), if it is set as text."""
    value: object = data
    for part in key.split("."):
        value = value.get(part) if isinstance(value, dict) else None
    return value if isinstance(value, str) else None


def _day(data: dict[str, object], key: str) -> dt.date | None:
    """A date setting, if it is set as a date (load reports it otherwise)."""
    value: object = data
    for part in key.split("."):
        value = value.get(part) if isinstance(value, dict) else None
    return value if isinstance(value, dt.date) and not isinstance(value, dt.datetime) else None


@dataclass
class _Checker:
    """Checks whatever was read, each part on its own: a missing answer does not hide an
    answer over its limit, nor a damaged pack.toml the plan's problems."""

    root: Path
    data: dict[str, object]
    """pack.toml as read ({} when TOML could not read it)."""
    settings_text: str | None
    form: Form
    answers_read: tuple[Answer, ...]
    plan_read: Plan | None
    appendices_read: tuple[Appendix, ...]
    today: dt.date
    window: Window
    draft: bool
    earlier: tuple[Problem, ...] = ()
    """What loading found: a cause it reported is not reported again."""
    accept_changes: bool = False
    """`--accept-changes` was given."""
    problems: list[Problem] = field(default_factory=list)

    @property
    def accepting(self) -> bool:
        """Reviews in appendices are accepted in the pack's copy: by `--accept-changes`, or by
        `accept_changes = true` in pack.toml (for CI)."""
        return self.accept_changes or self.data.get("accept_changes") is True

    def add(self, path: Path, line: int | None, level: str, code: str, message: str) -> None:
        self.problems.append(Problem(path, line, level, code, message))

    def template(self) -> None:
        """Every style the renderer uses must be in the Word template (a restyled one too)."""
        for template in (self.form.template, self.form.appendix_template, self.form.plan_template):
            try:
                names = template_styles(template)
            except (OSError, KeyError, SyntaxError, zipfile.BadZipFile) as exc:
                self.add(
                    template,
                    None,
                    "error",
                    "template",
                    f"not a readable Word template ({exc}); save it again from Word as .docx",
                )
                continue
            for style in REQUIRED_STYLES:
                if style.lower() not in names:
                    self.add(
                        template,
                        None,
                        "error",
                        "template-style",
                        f"the template has no style {style!r}, which the pack's text is set in; "
                        "add it back (Word: Styles > New Style, with that name)",
                    )

    def settings(self) -> None:
        if self.settings_text is None or not self.data:
            return  # missing, unreadable or not TOML: load said so
        toml, text, data = self.root / "pack.toml", self.settings_text, self.data

        def at(key: str, level: str, code: str, message: str) -> None:
            self.add(toml, key_line(text, key), level, code, message)

        email = _text(data, "lead.email")
        if email and not _EMAIL.match(email):
            at(
                "lead.email",
                "error",
                "email",
                f"lead.email {email!r} is not an e-mail address; write it as name@example.ac.uk",
            )
        website = (_text(data, "website") or "").strip()
        url = urlparse(website)
        if website and (url.scheme not in ("http", "https") or not url.netloc):
            at(
                "website",
                "error",
                "url",
                f"website {website!r} must be a full web address; write it as https://{website.split('://')[-1].lstrip('/')}",
            )
        joined = _day(data, "date_joined")
        if joined is not None and joined > self.today:
            at(
                "date_joined",
                "error",
                "date-future",
                f"date_joined {joined} is in the future; give the date the institution signed the Commitment",
            )
        signoff = data.get("signoff")
        if signoff is not None and not isinstance(signoff, dict):
            return  # not a table: load said so
        missing = []
        for who in ("lead", "leader"):
            signed = _day(data, f"signoff.{who}")
            if signed is None and isinstance(signoff, dict) and who in signoff:
                continue  # set, but not as a date: load said so
            if signed is None:
                missing.append(who)
            elif signed > self.today:
                at(
                    f"signoff.{who}",
                    "error",
                    "signoff-future",
                    f"signoff.{who} {signed} is in the future; give the day it was signed",
                )
        if missing:
            self.signoff_missing(at, missing)

    def signoff_missing(self, at: Callable[[str, str, str, str], None], who: list[str]) -> None:
        """One problem for the dates not given (both, when [signoff] is left out)."""
        names = {"lead": "institutional lead", "leader": "leader of the institution"}
        whose = " or ".join(f"the {names[w]}" for w in who)
        message = f"no sign-off date for {whose}"
        if self.draft:
            at(
                "signoff",
                "warning",
                "signoff-missing",
                f"{message}: fine for a --draft build; add the dates under [signoff] for the final one",
            )
            return
        dates = " and ".join(f"{w} = YYYY-MM-DD" for w in who)
        at(
            "signoff",
            "error",
            "signoff-missing",
            f"{message}; add {dates} under [signoff], or build a review copy with --draft",
        )

    def answers(self) -> None:
        answers = {a.number: a for a in self.answers_read}
        for question in self.form.questions:
            answer = answers.get(question.number)
            if answer is None or not answer.path.is_file():
                continue  # missing: load reported it; a default: the form's own text
            self.problems += lint_markdown(answer.path, answer.text)
            if question.limit is not None:
                words = count_words(answer.text)
                if words > question.limit:
                    self.add(
                        answer.path,
                        None,
                        "error",
                        "word-limit",
                        f"{words} words, {words - question.limit} over the limit of {question.limit}; shorten it",
                    )
            if question.must_contain:
                value = (_text(self.data, question.must_contain) or "").strip()
                if value and value.rstrip("/") not in answer.text:
                    self.add(
                        answer.path,
                        None,
                        "error",
                        "answer-needs",
                        f"question {question.number} must give the {question.must_contain} {value} (from pack.toml); add it to the answer",
                    )
        for appendix in self.appendices_read:
            if appendix.kind == "markdown":
                text = appendix.path.read_text(encoding="utf-8-sig")
                self.problems += lint_markdown(appendix.path, text)

    def plan(self) -> None:
        if self.plan_read is not None:  # not read: load said why
            self.problems += plan_problems(self.plan_read, self.form, self.window, self.earlier)

    def appendices(self) -> None:
        appendices = self.appendices_read
        for appendix in appendices:
            if appendix.kind == "pdf":
                try:
                    check_pdf(appendix.path)  # first: what follows reads it unbounded
                except UnsafeFile as exc:
                    self.add(
                        appendix.path,
                        None,
                        "error",
                        "appendix-pdf",
                        str(exc).removeprefix(f"{appendix.path}: "),
                    )
                    continue
                with open_qpdf(appendix.path) as source:
                    stops = appendix_reasons(source)  # what keeps the pack from PDF/UA
                if stops:
                    code = "appendix-untagged" if stops == [UNTAGGED] else "appendix-not-ua"
                    self.add(appendix.path, None, "warning", code, stops_message(stops))
            for found in (
                unfinished_review(appendix, self.draft, self.accepting),
                unapplied_redactions(appendix, self.draft),
            ):
                if found is not None:
                    self.problems.append(found)
        names = [a.path.name for a in appendices]
        natural = sorted(
            names,
            key=lambda n: [int(p) if p.isdigit() else p.lower() for p in re.split(r"(\d+)", n)],
        )
        if names != natural:
            moved = next(n for n, m in zip(names, natural, strict=True) if n != m)
            self.add(
                appendices[names.index(moved)].path,
                None,
                "warning",
                "appendix-order",
                f"appendices go in name order, so {moved} comes before {natural[names.index(moved)]}; "
                "number them with leading zeros (01-, 02-, ... 10-)",
            )
        self.problems += appendix_names(appendices)

    def deadline(self) -> None:
        found = deadline_problem(self.window, self.today)
        if found is not None:
            self.add(self.root / "pack.toml", None, *found)


def check(
    root: Path,
    today: dt.date,
    window: Window | None = None,
    draft: bool = False,
    accept_changes: bool = False,
) -> tuple[Pack | None, list[Problem]]:
    """Load and validate the pack in `root` as of `today`: every check that can be made on what
    could be read, its problems in the order of the form, each cause reported once.

    The pack is returned only when no problem is an error (`accept_changes` set in it when
    `--accept-changes` was given).
    """
    pack, loader = load_all(root)
    problems = list(loader.problems)
    if loader.form is not None:
        checker = _checker(loader, today, window or window_for(today), draft)
        checker.accept_changes = accept_changes
        checker.template()
        checker.settings()
        checker.answers()
        checker.plan()
        checker.appendices()
        checker.deadline()
        problems += checker.problems
    problems.sort(key=_order)
    if any(p.level == "error" for p in problems):
        pack = None
    elif pack is not None and accept_changes:
        pack = replace(pack, accept_changes=True)
    return pack, problems


def _checker(loader: Loader, today: dt.date, window: Window, draft: bool) -> _Checker:
    assert loader.form is not None
    return _Checker(
        loader.root, loader.data, loader.settings_text, loader.form, loader.read_answers,
        loader.plan, loader.read_appendices, today, window, draft, tuple(loader.problems),
    )  # fmt: skip


def summary(problems: list[Problem], strict: bool = False) -> str:
    """`2 errors, 1 warning`; under --strict, why warnings alone fail."""
    errors = sum(p.level == "error" for p in problems)
    warnings = sum(p.level == "warning" for p in problems)
    line = f"{plural(errors, 'error')}, {plural(warnings, 'warning')}"
    if strict and warnings:
        line += " (--strict: warnings fail the check too; fix them, or leave out --strict)"
    return line
