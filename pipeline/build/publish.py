"""`pack plan --publish`: the stand-alone action plan for the institution's website (question 8),
as a tagged PDF, XLSX and an accessible HTML page, from the same data as the pack."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from pipeline.files import atomic_path
from pipeline.form import Form
from pipeline.libreoffice.soffice import convert
from pipeline.markdown.renderer import render_markdown
from pipeline.model import Pack
from pipeline.plan.export import write_xlsx
from pipeline.plan.html import plan_html
from pipeline.plan.table import plan_summary, plan_table
from pipeline.render.template import plan_period, render_template
from pipeline.window import Window


def publish(pack: Pack, form: Form, window: Window, out_dir: Path) -> list[Path]:
    """Write `<Institution>_Action-Plan_<Month>_<Year>.pdf`, `.xlsx` and `.html` into `out_dir`."""
    name = window.file_stem(pack.institution).split("_")[0]
    stem = f"{name}_Action-Plan_{window.month_name}_{window.year}"
    period = plan_period(window, form.plan_months)
    title = f"{pack.institution}: Technician Commitment action plan"
    plan = pack.plan
    docx_path = out_dir / f"{stem}.docx"

    intro = (
        f"{period}. Approved by {pack.leader.name}"
        + (f", {pack.leader.role}" if pack.leader.role else "")
        + f". Contact: {pack.lead.name}, {pack.lead.email}."
    )

    def context(tpl: Any) -> dict[str, Any]:
        content = render_markdown("", tpl.docx.part, plan.path)
        return {
            "institution": pack.institution,
            "period": period,
            "title": title,
            "intro": intro,
            "plan": plan_table(plan, plan_summary(plan, content)),
        }

    render_template(form.plan_template, context, docx_path, title, pack, form.subject)
    (pdf,) = convert([(docx_path, out_dir / f"{stem}.pdf")])
    xlsx = write_xlsx(plan, out_dir / f"{stem}.xlsx", title)
    page = out_dir / f"{stem}.html"
    with atomic_path(page) as tmp:
        tmp.write_text(plan_html(plan, title, intro, pack.language), encoding="utf-8")
    return [pdf, xlsx, page]
