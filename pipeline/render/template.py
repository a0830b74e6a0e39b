"""Render stage: the pack into Word documents (the form, and one per non-PDF appendix).

It also writes the pack's `manifest.json` (see `manifest.py`): what to convert, in which order
the parts go, which headings the PDF outline points at, and the key of what each document was
made from, so that a document whose inputs did not change is not made again.
"""

from __future__ import annotations

import datetime as dt
import json
import tempfile
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from docx.enum.style import WD_STYLE_TYPE
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls, qn

from pipeline.build import keys, stale
from pipeline.build.manifest import MANIFEST, Manifest, Part, work_folder
from pipeline.build.record import sources_record
from pipeline.build.up_to_date import settings_key
from pipeline.errors import TemplateError
from pipeline.files import atomic_path
from pipeline.form import Form
from pipeline.markdown.renderer import render_markdown
from pipeline.markdown.syntax import parser
from pipeline.model import Answer, Appendix, Pack
from pipeline.plan.table import plan_summary, plan_table
from pipeline.window import Window
from pipeline.word.context import DocumentContext, WordContent
from pipeline.word.external import private_copy
from pipeline.word.revisions import copy_without_comments
from pipeline.word.signature import place_signatures

if TYPE_CHECKING:
    from pipeline.render.answers import KeptForms

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
                    (pack.signatures[0], f"Signature of {pack.lead.name}"),
                    (pack.signatures[1], f"Signature of {pack.leader.name}"),
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
    return _images(answer.path) if answer.path.is_file() else []


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


def _images(path: Path) -> list[Path]:
    """The pictures a Markdown file shows (those that exist), for its key."""
    found = []
    for token in parser().parse(path.read_text(encoding="utf-8-sig")):
        for child in token.children or []:
            if child.type == "image":
                picture = path.parent / str(child.attrGet("src") or "")
                if picture.is_file():
                    found.append(picture)
    return found


def _sources(root: Path, paths: list[Path]) -> tuple[tuple[str, str], ...]:
    """The input files (those inside the inputs folder) among `paths`, with their hashes."""
    inside = root.resolve()
    found = [f for path in paths for f in keys.files(path) if f.resolve().is_relative_to(inside)]
    return stale.sources(found)


def plan_parts(
    pack: Pack, form: Form, window: Window, out_dir: Path, draft: bool = False
) -> Manifest:
    """The pack's parts and the key of each, before anything is made."""
    stem = window.file_stem(pack.institution, draft)
    work = work_folder(out_dir, stem)
    root = pack.root
    code = keys.code_version()
    form_files = [form.template, form.path]
    signatures = [path for path in pack.signatures if path is not None]
    form_inputs = [root / "pack.toml", root / "answers", pack.plan.path, *signatures]
    form_key = keys.digest(
        code,
        keys.tree_key([*form_files, *form_inputs]),
        window.title(pack.institution, draft),
        "draft" if draft else "final",
        *(a.heading for a in pack.appendices),
    )
    headings = ((q.heading, 1) for q in form.questions)
    parts = [
        Part(
            FORM_OUTLINE,
            str(work / f"{stem}.docx"),
            str(work / "pdf" / f"{stem}.pdf"),
            (*headings, ("Sign-off", 1), (plan_title(form), 0)),
            key=form_key,
            fill=tuple(appendix_placeholders(pack).items()),
            sources=_sources(root, [*form_files, *form_inputs]),
        )
    ]
    for appendix in pack.appendices:
        name = f"appendix-{appendix.letter}"
        if appendix.kind == "pdf":
            key = keys.digest(keys.tree_key([appendix.path]))
            parts.append(
                Part(
                    appendix.heading,
                    str(appendix.path),
                    str(appendix.path),
                    key=key,
                    letter=appendix.letter,
                    sources=_sources(root, [appendix.path]),
                )
            )
            continue
        depends = [appendix.path]
        if appendix.kind == "markdown":
            depends += [form.appendix_template, form_files[1], *_images(appendix.path)]
        key = keys.digest(
            code,
            keys.tree_key(depends),
            appendix.kind,
            appendix.heading,
            pack.institution,
            pack.language,
        )
        parts.append(
            Part(
                appendix.heading,
                str(work / "appendices" / f"{name}.docx"),
                str(work / "pdf" / f"{name}.pdf"),
                key=key,
                letter=appendix.letter,
                origin=str(appendix.path),
                sources=_sources(root, depends),
            )
        )
    record = sources_record(root, *settings_key(window, draft), out_dir=out_dir)
    return Manifest(
        stem=stem,
        title=window.title(pack.institution, draft),
        draft=draft,
        author=pack.lead.name,
        subject=form.subject,
        keywords="Technician Commitment; self-assessment; action plan",
        parts=tuple(parts),
        record=json.dumps(record, sort_keys=True),
        language=pack.language,
    )


def render(
    pack: Pack,
    form: Form,
    window: Window,
    out_dir: Path,
    draft: bool = False,
    progress: Callable[[str], None] = lambda message: None,
    planned: Manifest | None = None,
    kept: KeptForms | None = None,
    rendered: Callable[[Part], None] | None = None,
) -> Manifest:
    """Write the pack's DOCX files and manifest into its work folder, making only the
    documents whose key changed since the last build (`planned`: the parts, if known). With
    `kept`, only the answers that changed are rendered into the form the last build made.
    `rendered` is told of each appendix document as soon as it is written, before the form."""
    manifest = planned or plan_parts(pack, form, window, out_dir, draft)
    work = work_folder(out_dir, manifest.stem)
    previous = Manifest.previous(work / MANIFEST)
    before = {p.source: p for p in previous.parts} if previous else {}
    made: dict[int, str] = {}
    # the appendices first: each can be converted (`rendered`) while the form is rendered
    for index in [*range(1, len(manifest.parts)), 0]:
        part = manifest.parts[index]
        old = before.get(part.source)
        if old is not None and old.key == part.key and Path(part.source).is_file():
            # unchanged: keep what the last build converted it to as well
            manifest = manifest.with_part(
                index,
                converted=old.converted,
                pages=old.pages,
                converted_from=old.converted_from,
                converted_sources=old.converted_sources,
            )
            continue
        if old is not None:  # what its PDF, now out of date, was made from: `stale.py` names it
            manifest = manifest.with_part(
                index, converted_from=old.converted_from, converted_sources=old.converted_sources
            )
        if not part.needs_conversion:
            continue
        made[index] = part.title
        if index == 0 and kept is not None:  # only its changed answers, if that is all
            made[index] = kept.render(pack, form, window, Path(part.source), part.title, draft)
        elif index == 0:
            render_form(
                pack, form, window, Path(part.source), numbered=True, draft=draft, signed=not draft
            )
        else:
            appendix = next(a for a in pack.appendices if a.letter == part.letter)
            if appendix.kind == "markdown":
                render_appendix(pack, form, appendix, Path(part.source))
            else:  # converted from a private copy: no links to outside, no comments
                with (
                    atomic_path(Path(part.source)) as tmp,
                    tempfile.TemporaryDirectory() as scratch,
                ):
                    unlinked = Path(scratch) / "unlinked.docx"
                    private_copy(appendix.path, unlinked)
                    if copy_without_comments(unlinked, tmp):
                        progress(f"{appendix.path}: its comments are left out of the pack")
            if rendered is not None:
                rendered(part)
    made = dict(sorted(made.items()))
    if made:
        progress(f"rendered {', '.join(made.values())}")
    if previous is not None:  # what the last build knew of the pack itself
        manifest = replace(
            manifest,
            inputs=previous.inputs,
            packed=previous.packed,
            pack_sha256=previous.pack_sha256,
        )
    manifest.save(work / MANIFEST)
    return manifest
