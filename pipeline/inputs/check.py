"""`pack check`: everything wrong with the pack, in the order of the form, without LibreOffice."""

from __future__ import annotations

import datetime as dt
import difflib
import re
import zipfile
from dataclasses import dataclass, field, replace
from pathlib import Path
from urllib.parse import urlparse

from pipeline.errors import UnsafeFile
from pipeline.form import Form, load_form
from pipeline.inputs.lint import lint_markdown
from pipeline.inputs.load import key_line, load
from pipeline.markdown.syntax import count_words, has_markup
from pipeline.model import Pack, Problem
from pipeline.safety import is_tagged, open_pdf, parse_xml
from pipeline.text import plural
from pipeline.window import Window, deadline_problem, window_for

_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
_YEAR = re.compile(r"\b(\d{4})\b")
_ALL = re.compile(r"^(all|aii|ongoing|throughout|every year)$", re.I)


REQUIRED_STYLES = (
    "Normal", "Title", "Subtitle", "Heading 1", "Heading 2", "Heading 3", "Heading 4", "Body Text",
    "List Paragraph", "Quote", "Code", "Code Char", "Hyperlink", "Table Text", "Table Grid",
    "Prompt", "Field Label", "Footnote Text", "Footnote Reference", "toc 1",
)  # fmt: skip
"""Styles the renderer maps Markdown to, by name."""


def template_styles(path: Path) -> set[str]:
    """The style names (lower case, as Word stores built-in ones) in a .docx's styles part."""
    with zipfile.ZipFile(path) as archive:
        root = parse_xml(archive.read("word/styles.xml"))
    return {str(name).lower() for name in root.xpath("//w:style/w:name/@w:val", namespaces=_W)}


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
    return rank, number, str(path), problem.line or 0


@dataclass
class _Checker:
    pack: Pack
    form: Form
    today: dt.date
    window: Window
    draft: bool
    problems: list[Problem] = field(default_factory=list)

    def add(self, path: Path, line: int | None, level: str, code: str, message: str) -> None:
        self.problems.append(Problem(path, line, level, code, message))

    def template(self) -> None:
        """Every style the renderer uses must be in the Word template (a restyled one too)."""
        for template in (self.form.template, self.form.appendix_template, self.form.plan_template):
            try:
                names = template_styles(template)
            except (OSError, KeyError, SyntaxError, zipfile.BadZipFile) as exc:
                self.add(
                    template, None, "error", "template", f"not a readable Word template ({exc})"
                )
                continue
            for style in REQUIRED_STYLES:
                if style.lower() not in names:
                    self.add(
                        template,
                        None,
                        "error",
                        "template-style",
                        f"the template has no style {style!r}; the renderer needs it",
                    )

    def settings(self) -> None:
        pack, toml = self.pack, self.pack.root / "pack.toml"
        text = toml.read_text(encoding="utf-8-sig")

        def at(key: str, level: str, code: str, message: str) -> None:
            self.add(toml, key_line(text, key), level, code, message)

        if not _EMAIL.match(pack.lead.email):
            at(
                "lead.email",
                "error",
                "email",
                f"lead.email {pack.lead.email!r} is not an e-mail address",
            )
        url = urlparse(pack.website)
        if url.scheme not in ("http", "https") or not url.netloc:
            at(
                "website",
                "error",
                "url",
                f"website {pack.website!r} must be an absolute http(s) URL",
            )
        if pack.date_joined > self.today:
            at(
                "date_joined",
                "error",
                "date-future",
                f"date_joined {pack.date_joined} is in the future",
            )
        for who, signed in zip(("lead", "leader"), pack.signed, strict=True):
            if signed is None:
                message = f"no sign-off date for the {'institutional lead' if who == 'lead' else 'leader of the institution'}"
                if self.draft:
                    at("signoff", "warning", "signoff-missing", f"{message}: a draft build")
                else:
                    at(
                        "signoff",
                        "error",
                        "signoff-missing",
                        f"{message}; add [signoff] {who} = YYYY-MM-DD, or build a review copy with --draft",
                    )
            elif signed > self.today:
                at(
                    f"signoff.{who}",
                    "error",
                    "signoff-future",
                    f"signoff.{who} {signed} is in the future",
                )

    def answers(self) -> None:
        answers = {a.number: a for a in self.pack.answers}
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
                value = str(getattr(self.pack, question.must_contain, ""))
                if value and value.rstrip("/") not in answer.text:
                    self.add(
                        answer.path,
                        None,
                        "error",
                        "answer-needs",
                        f"question {question.number} must give the {question.must_contain} {value} (from pack.toml)",
                    )
        for appendix in self.pack.appendices:
            if appendix.kind == "markdown":
                text = appendix.path.read_text(encoding="utf-8-sig")
                self.problems += lint_markdown(appendix.path, text)

    def plan(self) -> None:
        plan = self.pack.plan
        for row, message in plan.repairs:  # read through, but the lead should know
            self.add(plan.path, row, "warning", "plan-repaired", message)
        for action in plan.actions:  # cells are Markdown too; a problem's line is the row
            for text in (action.text, action.measure, action.alignment):
                if not has_markup(text):
                    continue
                for problem in lint_markdown(plan.path, text):
                    self.problems.append(replace(problem, line=action.row))
        start = self.window.deadline + dt.timedelta(days=1)
        months = start.month - 1 + self.form.plan_months - 1
        first, last = start.year, start.year + months // 12
        themes = [t.name for t in self.form.themes]
        lowered = {t.lower(): t for t in themes}
        for action in plan.actions:
            years = [int(y) for y in _YEAR.findall(action.year)]
            if not action.year.strip():
                self.add(
                    plan.path,
                    action.row,
                    "warning",
                    "plan-year-missing",
                    f'no year for "{action.text}"',
                )
            elif years:
                outside = [y for y in years if not first <= y <= last]
                if outside:
                    self.add(
                        plan.path,
                        action.row,
                        "error",
                        "plan-year-horizon",
                        f"year {outside[0]} is outside the plan's {self.form.plan_months} months ({first}-{last})",
                    )
            elif not _ALL.match(action.year.strip()):
                self.add(
                    plan.path,
                    action.row,
                    "warning",
                    "plan-year-unclear",
                    f"year {action.year!r} is not understood; write a year, a range such as 2027/2028, or All",
                )
            alignment = action.alignment.strip()
            if alignment and alignment.lower() not in lowered:
                near = difflib.get_close_matches(alignment, themes, n=1, cutoff=0.6)
                hint = (
                    f"; did you mean {near[0]!r}?" if near else f"; use one of {', '.join(themes)}"
                )
                self.add(
                    plan.path,
                    action.row,
                    "warning",
                    "plan-alignment",
                    f"theme alignment {alignment!r} is not a theme{hint}",
                )

    def appendices(self) -> None:
        appendices = self.pack.appendices
        for appendix in appendices:
            if appendix.kind == "pdf":
                try:
                    reader = open_pdf(appendix.path)
                except UnsafeFile as exc:
                    self.add(
                        appendix.path,
                        None,
                        "error",
                        "appendix-pdf",
                        str(exc).removeprefix(f"{appendix.path}: "),
                    )
                    continue
                if not is_tagged(reader):
                    self.add(
                        appendix.path,
                        None,
                        "warning",
                        "appendix-untagged",
                        "the PDF is not tagged, so the pack will not be accessible to screen "
                        "readers there; export it tagged (Word: Save as PDF with 'Document "
                        "structure tags for accessibility'; LibreOffice: 'Universal "
                        "Accessibility (PDF/UA)')",
                    )
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

    def deadline(self) -> None:
        found = deadline_problem(self.window, self.today)
        if found is not None:
            self.add(self.pack.root / "pack.toml", None, *found)


def check(
    root: Path, today: dt.date, window: Window | None = None, draft: bool = False
) -> tuple[Pack | None, list[Problem]]:
    """Load and validate the pack in `root` as of `today`; problems in the order of the form.

    The pack is returned only when no problem is an error.
    """
    pack, problems = load(root)
    if pack is not None:
        checker = _Checker(
            pack, load_form(pack.framework), today, window or window_for(today), draft
        )
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
    return pack, problems


def summary(problems: list[Problem]) -> str:
    """`2 errors, 1 warning`."""
    errors = sum(p.level == "error" for p in problems)
    return f"{plural(errors, 'error')}, {plural(len(problems) - errors, 'warning')}"
