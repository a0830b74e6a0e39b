"""The self-assessment form as DOCX: the title page, the contents (a Word contents field and a
line per appendix whose page number is filled in at conversion), each question's prompt and
answer, the sign-off and the plan, through the form's template (`template.render_template`).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from docx.enum.style import WD_STYLE_TYPE
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls, qn

from pipeline.errors import InputError
from pipeline.form import Form
from pipeline.markdown.picture import Picture, PictureError, read_picture
from pipeline.markdown.renderer import render_markdown
from pipeline.markdown.syntax import pictures
from pipeline.model import Answer, Pack
from pipeline.plan.table import plan_summary, plan_table
from pipeline.render.template import (
    PLACEHOLDER,
    long_date,
    plan_period,
    plan_title,
    render_template,
)
from pipeline.window import Window
from pipeline.word.context import DocumentContext, WordContent
from pipeline.word.signature import place_signatures


def _toc_field(paragraphs: list[Any]) -> Any:
    """A Word contents field around `paragraphs` (its last result, as shown until updated):
    the form's Heading 1s, numbered when LibreOffice (or Word) updates it."""
    sdt = parse_xml(
        f"<w:sdt {nsdecls('w')}><w:sdtPr><w:docPartObj>"
        '<w:docPartGallery w:val="Table of Contents"/><w:docPartUnique/></w:docPartObj>'
        "</w:sdtPr><w:sdtContent/></w:sdt>"
    )
    begin = (
        f'<w:r {nsdecls("w")}><w:fldChar w:fldCharType="begin"/></w:r>',
        f'<w:r {nsdecls("w")}><w:instrText xml:space="preserve"> TOC \\o "1-1" \\h \\z \\u </w:instrText></w:r>',
        f'<w:r {nsdecls("w")}><w:fldChar w:fldCharType="separate"/></w:r>',
    )
    first = paragraphs[0]
    at = 1 if first.find(qn("w:pPr")) is not None else 0
    for offset, run in enumerate(begin):
        first.insert(at + offset, parse_xml(run))
    paragraphs[-1].append(parse_xml(f'<w:r {nsdecls("w")}><w:fldChar w:fldCharType="end"/></w:r>'))
    content = sdt.find(qn("w:sdtContent"))
    for paragraph in paragraphs:
        content.append(paragraph)
    return sdt


def contents_block(pack: Pack, form: Form, doc: DocumentContext, numbered: bool) -> WordContent:
    """The contents page: a contents field for the form's headings, then a line per appendix
    whose page number (`numbered`) is a placeholder filled in when the form is converted."""
    content = WordContent(doc)
    lines = [
        *(q.heading for q in form.questions), "Sign-off", plan_title(form),
    ]  # fmt: skip
    paragraphs = []
    for title in lines:
        paragraph = content.container.add_paragraph()
        doc.styles.apply(paragraph._p, "toc 1", WD_STYLE_TYPE.PARAGRAPH)
        paragraph.add_run(f"{title}\t")
        paragraphs.append(paragraph._p)
    content.body.append(_toc_field(paragraphs))
    for appendix in pack.appendices:
        paragraph = content.container.add_paragraph()
        doc.styles.apply(paragraph._p, "toc 1", WD_STYLE_TYPE.PARAGRAPH)
        page = PLACEHOLDER.format(appendix.letter) if numbered else ""
        paragraph.add_run(f"{appendix.heading}\t{page}")
    return content


def _picture(path: Path | None) -> tuple[Path, Picture] | None:
    """A signature image as an answer's picture is shown: decoded whole, turned upright as its
    orientation says, written again where Word or LibreOffice would not take it as it is."""
    if path is None:
        return None
    try:
        return path, read_picture(path)
    except PictureError as exc:  # `pack check` refuses it first; changed since, say so here
        raise InputError(f"{path}: a {exc} image; save or export it again") from exc


def _new_page_before(document: Any, heading: str) -> None:
    """The first question starts a page: the contents page is the form's first."""
    for paragraph in document.paragraphs:
        if paragraph.text.strip() == heading and paragraph.style.name.startswith("Heading"):
            paragraph.paragraph_format.page_break_before = True
            return


def render_form(
    pack: Pack,
    form: Form,
    window: Window,
    target: Path,
    mark: Callable[[WordContent, int], WordContent] | None = None,
    finish: Callable[[Any], None] | None = None,
    numbered: bool = False,
    draft: bool = False,
    signed: bool = False,
) -> tuple[tuple[str, int], ...]:
    """The self-assessment form as DOCX; returns the headings the outline points at.

    `mark` may wrap each answer's content (the draft bookmarks them), `finish` sees the
    document before it is saved; `numbered` leaves page-number placeholders in the contents;
    a `draft` is titled so, its missing sign-off dates shown as not yet signed; only a `signed`
    form (a final build's) carries the signature images, never a copy sent round for review."""
    plan_heading = plan_title(form)
    months = form.plan_months
    plan = pack.plan
    goals = sum(len(t.goals) for t in plan.themes)
    unsigned = "DRAFT: not yet signed" if draft else ""

    def context(doc: DocumentContext) -> dict[str, Any]:
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
                        answer_content(answer, doc), q.number
                    ),
                }
            )
        return {
            "contents": contents_block(pack, form, doc, numbered),
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
                    "date": long_date(pack.signed[0]) or unsigned,
                },
                "leader": {
                    "caption": form.signoff[1],
                    "name": ", ".join(x for x in (pack.leader.name, pack.leader.role) if x),
                    "date": long_date(pack.signed[1]) or unsigned,
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
            "plan_table": plan_table(plan, plan_summary(plan, render_markdown("", doc, plan.path))),
        }

    def finished(document: Any) -> None:
        _new_page_before(document, form.questions[0].heading)
        if signed:
            place_signatures(
                document,
                [
                    (_picture(pack.signatures[0]), f"Signature of {pack.lead.name}"),
                    (_picture(pack.signatures[1]), f"Signature of {pack.leader.name}"),
                ],
                form.template,
            )
        if finish is not None:
            finish(document)

    render_template(
        form.template,
        context,
        target,
        window.title(pack.institution, draft),
        pack,
        form.subject,
        finished,
    )
    return (
        *((q.heading, 1) for q in form.questions),
        ("Sign-off", 1),
        (plan_heading, 0),
    )


def answer_content(answer: Answer, doc: DocumentContext) -> WordContent:
    """An answer's Markdown as Word content in the form's document."""
    return render_markdown(answer.text, doc, answer.path)


def answer_pictures(answer: Answer) -> list[Path]:
    """The pictures an answer shows (those that exist)."""
    return pictures(answer.path) if answer.path.is_file() else []
