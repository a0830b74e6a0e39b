"""Render stage: the pack into Word documents (the form, and one per non-PDF appendix).

It also writes `manifest.json`, which tells the later stages what to convert, in which order
the parts go, and which headings the PDF outline points at.
"""

from __future__ import annotations

import datetime as dt
import json
import shutil
from collections.abc import Callable
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import jinja2
from docxtpl import DocxTemplate

from pipeline.errors import InputError, TemplateError
from pipeline.files import atomic_path
from pipeline.footnotes import attach_footnotes
from pipeline.form import Form
from pipeline.markdown import WordContent, render_markdown
from pipeline.model import Appendix, Pack
from pipeline.plan_table import plan_summary, plan_table
from pipeline.window import Window

FORM_OUTLINE = "Self-assessment form"
MANIFEST = "manifest.json"


@dataclass(frozen=True, slots=True)
class Part:
    """One document of the pack, in order."""

    title: str
    """Its top-level outline entry."""
    source: str
    """The DOCX to convert, or the appendix PDF."""
    pdf: str
    """Where its PDF is (after conversion)."""
    headings: tuple[tuple[str, int], ...] = ()
    """Headings to find in its PDF: (text, outline level; 0 is top level)."""


@dataclass(frozen=True, slots=True)
class Manifest:
    """What render made, for convert and combine."""

    stem: str
    title: str
    author: str
    subject: str
    keywords: str
    parts: tuple[Part, ...]

    @property
    def to_convert(self) -> list[Part]:
        return [p for p in self.parts if p.source.endswith(".docx")]

    def save(self, path: Path) -> None:
        with atomic_path(path) as tmp:
            tmp.write_text(json.dumps(asdict(self), indent=2), encoding="utf-8")

    @classmethod
    def read(cls, path: Path) -> Manifest:
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            parts = tuple(
                Part(
                    p["title"], p["source"], p["pdf"], tuple((h, int(n)) for h, n in p["headings"])
                )
                for p in data.pop("parts")
            )
            return cls(**data, parts=parts)
        except FileNotFoundError as exc:
            raise InputError(f"{path}: not found; run `pack render` first") from exc
        except (ValueError, KeyError, TypeError) as exc:
            raise InputError(
                f"{path}: damaged build manifest ({exc}); run `pack render` again"
            ) from exc


def long_date(day: dt.date | None) -> str:
    return f"{day.day} {day:%B %Y}" if day else ""


def plan_period(window: Window, months: int) -> str:
    """`February 2027 to January 2029`: the months after the window's deadline."""
    start = dt.date(window.year + window.month // 12, window.month % 12 + 1, 1)
    end_index = start.year * 12 + start.month - 1 + months - 1
    end = dt.date(end_index // 12, end_index % 12 + 1, 1)
    return f"{start:%B %Y} to {end:%B %Y}"


def render_template(
    template: Path,
    build: Any,
    target: Path,
    title: str,
    pack: Pack,
    subject: str,
    finish: Callable[[Any], None] | None = None,
) -> None:
    """Load `template`, let `build(tpl)` make the context, render with autoescape, save atomically."""
    if not template.is_file():
        raise TemplateError(f"{template}: template not found")
    tpl = DocxTemplate(str(template))  # python-docx treats only str as a path
    tpl.init_docx()
    context = build(tpl)
    try:
        tpl.render(context, autoescape=True)
    except jinja2.TemplateError as exc:
        where = getattr(exc, "docx_context", None)
        detail = f" near: {' '.join(where)}" if where else ""
        raise TemplateError(f"{template}: {exc}{detail}") from exc
    attach_footnotes(tpl.docx.part)  # after rendering: footnotes are never template source
    props = tpl.docx.core_properties
    props.title, props.author, props.subject = title, pack.lead.name, subject
    props.keywords = "Technician Commitment"
    if finish is not None:
        finish(tpl.docx)
    with atomic_path(target) as tmp:
        tpl.save(str(tmp))


def render_form(
    pack: Pack,
    form: Form,
    window: Window,
    target: Path,
    mark: Callable[[WordContent, int], WordContent] | None = None,
    finish: Callable[[Any], None] | None = None,
) -> tuple[tuple[str, int], ...]:
    """The self-assessment form as DOCX; returns the headings the outline points at.

    `mark` may wrap each answer's content (the draft bookmarks them), `finish` sees the
    document before it is saved."""
    months = form.plan_months
    plan_heading = f"{months}-month action plan"
    plan = pack.plan
    goals = sum(len(t.goals) for t in plan.themes)

    def context(tpl: DocxTemplate) -> dict[str, Any]:
        part = tpl.docx.part
        questions = []
        answers = {a.number: a for a in pack.answers}
        for q in form.questions:
            answer = answers[q.number]
            limit = f" (up to {q.limit} words)" if q.limit else ""
            questions.append(
                {
                    "heading": q.heading,
                    "prompt": q.prompt + limit,
                    "answer": (mark or (lambda content, number: content))(
                        render_markdown(answer.text, part, answer.path), q.number
                    ),
                }
            )
        return {
            "title": form.title,
            "subtitle": form.subtitle,
            "institution": pack.institution,
            "window": f"{window.month_name} {window.year}",
            "lead": {"name": pack.lead.name, "email": pack.lead.email},
            "date_joined": long_date(pack.date_joined),
            "questions": questions,
            "signoff": {
                "lead": {
                    "caption": form.signoff[0],
                    "name": pack.lead.name,
                    "date": long_date(pack.signed[0]),
                },
                "leader": {
                    "caption": form.signoff[1],
                    "name": ", ".join(x for x in (pack.leader.name, pack.leader.role) if x),
                    "date": long_date(pack.signed[1]),
                },
            },
            "plan_heading": plan_heading,
            "plan_intro": (
                f"{plan_period(window, months)}: {len(plan.themes)} themes, {goals} goals, "
                f"{len(plan.actions)} actions."
                + (
                    f" Ticks mark the strategic priorities each action serves: {', '.join(plan.columns)}."
                    if plan.columns
                    else ""
                )
            ),
            "plan_table": plan_table(
                plan, plan_summary(plan, render_markdown("", part, plan.path))
            ),
        }

    render_template(
        form.template, context, target, window.title(pack.institution), pack, form.subject, finish
    )
    return (
        *((q.heading, 1) for q in form.questions),
        ("Sign-off", 1),
        (plan_heading, 0),
    )


def render_appendix(pack: Pack, form: Form, appendix: Appendix, target: Path) -> None:
    """A Markdown appendix as DOCX, in the appendix template."""
    text = appendix.path.read_text(encoding="utf-8-sig")
    lines = text.lstrip().split("\n", 1)
    if lines[0].startswith("# "):  # its title heads the appendix already
        text = lines[1] if len(lines) > 1 else ""

    def context(tpl: DocxTemplate) -> dict[str, Any]:
        body = render_markdown(text, tpl.docx.part, appendix.path, base_level=0)
        return {"institution": pack.institution, "heading": appendix.heading, "body": body}

    render_template(form.appendix_template, context, target, appendix.heading, pack, form.subject)


def render(pack: Pack, form: Form, window: Window, out_dir: Path) -> Manifest:
    """Write the pack's DOCX files and manifest into `out_dir`."""
    stem = window.file_stem(pack.institution)
    form_docx = out_dir / f"{stem}.docx"
    headings = render_form(pack, form, window, form_docx)
    parts = [Part(FORM_OUTLINE, str(form_docx), str(out_dir / "pdf" / f"{stem}.pdf"), headings)]
    appendix_dir = out_dir / "appendices"
    if appendix_dir.exists():
        shutil.rmtree(appendix_dir)
    for appendix in pack.appendices:
        name = f"appendix-{appendix.letter}"
        if appendix.kind == "pdf":
            parts.append(Part(appendix.heading, str(appendix.path), str(appendix.path)))
            continue
        if appendix.kind == "markdown":
            source = appendix_dir / f"{name}.docx"
            render_appendix(pack, form, appendix, source)
        else:  # docx: converted as it is, from a private copy
            source = appendix_dir / f"{name}.docx"
            source.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(appendix.path, source)
        parts.append(Part(appendix.heading, str(source), str(out_dir / "pdf" / f"{name}.pdf")))
    manifest = Manifest(
        stem=stem,
        title=window.title(pack.institution),
        author=pack.lead.name,
        subject=form.subject,
        keywords="Technician Commitment; self-assessment; action plan",
        parts=tuple(parts),
    )
    manifest.save(out_dir / MANIFEST)
    return manifest
