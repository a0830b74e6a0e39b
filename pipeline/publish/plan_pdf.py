"""The published plan as PDF: the plan template filled with the summary and the table, then
converted by LibreOffice and finished as the pack is (accessible, PDF/UA-1 where it can
claim it)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from pipeline.files import atomic_path
from pipeline.finish.accessible import finish_document
from pipeline.form import Form
from pipeline.libreoffice.soffice import convert
from pipeline.markdown.renderer import render_markdown
from pipeline.model import Pack
from pipeline.plan.table import plan_summary, plan_table
from pipeline.render.template import plan_period, render_template
from pipeline.window import Window
from pipeline.word.context import DocumentContext


def intro(pack: Pack, form: Form, window: Window) -> str:
    """The line under the published plan's title: its period, who approved it, whom to ask."""
    return (
        f"{plan_period(window, form.plan_months)}. Approved by {pack.leader.name}"
        + (f", {pack.leader.role}" if pack.leader.role else "")
        + f". Contact: {pack.lead.name}, {pack.lead.email}."
    )


def write_html(pack: Pack, form: Form, window: Window, target: Path, title: str) -> Path:
    """The plan as a self-contained, accessible web page."""
    from pipeline.plan.html import plan_html

    with atomic_path(target) as tmp:
        tmp.write_text(
            plan_html(pack.plan, title, intro(pack, form, window), pack.language), encoding="utf-8"
        )
    return target


def write_pdf(
    pack: Pack,
    form: Form,
    window: Window,
    out_dir: Path,
    stem: str,
    title: str,
    progress: Callable[[str], None],
) -> Path:
    """`<stem>.docx` from the plan template, then `<stem>.pdf`."""
    period = plan_period(window, form.plan_months)
    plan = pack.plan
    docx_path = out_dir / f"{stem}.docx"

    def context(doc: DocumentContext) -> dict[str, Any]:
        content = render_markdown("", doc, plan.path)
        return {
            "institution": pack.institution,
            "period": period,
            "title": title,
            "intro": intro(pack, form, window),
            "plan": plan_table(plan, plan_summary(plan, content)),
        }

    progress(f"rendering {docx_path.name}")
    render_template(form.plan_template, context, docx_path, title, pack, form.subject)
    progress(f"converting {docx_path.name} to PDF with LibreOffice")
    (pdf,) = convert([(docx_path, out_dir / f"{stem}.pdf")])
    stops = finish_document(pdf, title, pack.language)
    if stops:
        progress(f"warning: {pdf.name} does not claim PDF/UA: {'; '.join(stops)}")
    return pdf
