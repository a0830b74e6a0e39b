"""Filling a Word template with docxtpl: the sandboxed render every document goes through
(`render_template`), what the form's pages say of dates, periods and the plan, and a Markdown
appendix in the appendix template. The form itself is `form.py`; which documents a build makes
is `stages/parts.py`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import Any

from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls, qn

from pipeline.errors import TemplateError
from pipeline.files import atomic_path
from pipeline.form import Form
from pipeline.markdown.renderer import render_markdown
from pipeline.model import Appendix, Pack
from pipeline.window import Window
from pipeline.word.context import DocumentContext

FORM_OUTLINE = "Self-assessment form"
PLACEHOLDER = "\u27e6{}\u27e7"
"""A contents page number waiting to be filled in when the form is converted: `⟦q1⟧`."""


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
    build: Callable[[DocumentContext], dict[str, Any]],
    target: Path,
    title: str,
    pack: Pack,
    subject: str,
    finish: Callable[[Any], None] | None = None,
) -> None:
    """Load `template`, let `build(doc)` make the context (`doc`: the document being written),
    render with autoescape, save atomically."""
    import jinja2  # here: a build that renders only an edited answer needs no template engine
    from docxtpl import DocxTemplate
    from jinja2.sandbox import SandboxedEnvironment

    if not template.is_file():
        raise TemplateError(f"{template}: template not found")
    tpl = DocxTemplate(str(template))  # python-docx treats only str as a path
    tpl.init_docx()
    doc = DocumentContext(tpl.docx.part)
    context = build(doc)
    try:
        # Sandboxed: an institution's own template (its form file's) must not reach Python.
        tpl.render(context, SandboxedEnvironment(autoescape=True), autoescape=True)
    except jinja2.exceptions.SecurityError as exc:
        raise TemplateError(
            f"{template}: the template tries to reach beyond its data ({exc})"
        ) from exc
    except jinja2.TemplateError as exc:
        where = getattr(exc, "docx_context", None)
        detail = f" near: {' '.join(where)}" if where else ""
        raise TemplateError(f"{template}: {exc}{detail}") from exc
    doc.attach_footnotes()  # after rendering: footnotes are never template source
    set_language(tpl.docx, pack.language)
    props = tpl.docx.core_properties
    props.title, props.author, props.subject = title, pack.lead.name, subject
    props.keywords = "Technician Commitment"
    if finish is not None:
        finish(tpl.docx)
    with atomic_path(target) as tmp:
        tpl.save(str(tmp))


def set_language(document: Any, language: str) -> None:
    """The document's default language (LibreOffice exports it as the PDF's `/Lang`)."""
    styles = document.styles.element
    defaults = styles.find(qn("w:docDefaults"))
    if defaults is None:
        defaults = parse_xml(f"<w:docDefaults {nsdecls('w')}/>")
        styles.insert(0, defaults)
    run_defaults = defaults.find(qn("w:rPrDefault"))
    if run_defaults is None:
        run_defaults = parse_xml(f"<w:rPrDefault {nsdecls('w')}/>")
        defaults.insert(0, run_defaults)
    properties = run_defaults.find(qn("w:rPr"))
    if properties is None:
        properties = parse_xml(f"<w:rPr {nsdecls('w')}/>")
        run_defaults.append(properties)
    lang = properties.find(qn("w:lang"))
    if lang is None:
        lang = parse_xml(f"<w:lang {nsdecls('w')}/>")
        properties.append(lang)
    lang.set(qn("w:val"), language)


def appendix_placeholders(pack: Pack) -> dict[str, str]:
    """Each appendix's page-number placeholder in the contents -> `#letter`."""
    return {PLACEHOLDER.format(a.letter): f"#{a.letter}" for a in pack.appendices}


def plan_title(form: Form) -> str:
    return f"{form.plan_months}-month action plan"


def render_appendix(pack: Pack, form: Form, appendix: Appendix, target: Path) -> None:
    """A Markdown appendix as DOCX, in the appendix template."""
    text = appendix.path.read_text(encoding="utf-8-sig")
    lines = text.lstrip().split("\n", 1)
    if lines[0].startswith("# "):  # its title heads the appendix already
        text = lines[1] if len(lines) > 1 else ""

    def context(doc: DocumentContext) -> dict[str, Any]:
        body = render_markdown(text, doc, appendix.path, base_level=0)
        return {"institution": pack.institution, "heading": appendix.heading, "body": body}

    render_template(form.appendix_template, context, target, appendix.heading, pack, form.subject)
