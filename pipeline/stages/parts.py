"""The parts of a pack and the render stage: which documents a build makes (the form, one per
non-PDF appendix), the key of what each is made from, and the pack's `manifest.json` (see
`manifest.py`): what to convert, in which order the parts go, which headings the PDF outline
points at. A document whose key did not change is not made again.
"""

from __future__ import annotations

import json
import tempfile
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

from pipeline.files import atomic_path
from pipeline.form import Form
from pipeline.incremental import keys, stale
from pipeline.incremental.manifest import MANIFEST, Manifest, Part, work_folder
from pipeline.incremental.record import sources_record
from pipeline.incremental.up_to_date import settings_key
from pipeline.markdown.syntax import pictures
from pipeline.model import Pack
from pipeline.render.form import render_form
from pipeline.render.template import (
    FORM_OUTLINE,
    appendix_placeholders,
    plan_title,
    render_appendix,
)
from pipeline.window import Window
from pipeline.word.accept import accept_changes
from pipeline.word.external import one_sided, private_copy
from pipeline.word.revisions import copy_without_comments

if TYPE_CHECKING:
    from pipeline.render.answers import KeptForms


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
        accepted = ("accept-changes",) if pack.accept_changes else ()
        if appendix.kind == "pdf":
            key = keys.digest(keys.tree_key([appendix.path]), *accepted)
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
            depends += [form.appendix_template, form_files[1], *pictures(appendix.path)]
        key = keys.digest(
            code,
            keys.tree_key(depends),
            appendix.kind,
            appendix.heading,
            pack.institution,
            pack.language,
            *accepted,
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
    when, mode = settings_key(window, draft)
    record = sources_record(root, when, mode, out_dir=out_dir)
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
        accepted=pack.accept_changes,
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
            one_sided(Path(part.source))
        elif index == 0:
            render_form(
                pack, form, window, Path(part.source), numbered=True, draft=draft, signed=not draft
            )
            one_sided(Path(part.source))
        else:
            appendix = next(a for a in pack.appendices if a.letter == part.letter)
            if appendix.kind == "markdown":
                render_appendix(pack, form, appendix, Path(part.source))
                one_sided(Path(part.source))
            else:  # converted from a private copy: no links to outside, no comments
                with (
                    atomic_path(Path(part.source)) as tmp,
                    tempfile.TemporaryDirectory() as scratch,
                ):
                    unlinked = Path(scratch) / "unlinked.docx"
                    private_copy(appendix.path, unlinked)
                    if pack.accept_changes:  # said per file by the check's note
                        accepted_copy = Path(scratch) / "accepted.docx"
                        accept_changes(unlinked, accepted_copy)
                        unlinked = accepted_copy
                    if copy_without_comments(unlinked, tmp) and not pack.accept_changes:
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
