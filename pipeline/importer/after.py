"""What surrounds the answers: the fields before them, the sign-off, and what follows it
(the plan's section, the form's Appendix A, the institution's appendices)."""

from __future__ import annotations

import re
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING

from pipeline.errors import InputError
from pipeline.form import Form
from pipeline.importer import fields as fieldwork
from pipeline.importer.locate import Found, Locator, Piece, appendix_title, is_appendix_a
from pipeline.importer.markdown import write_markdown
from pipeline.importer.plan_table import PlanRows, banner_of, is_plan_table, workbook
from pipeline.inputs.names import NUMBERED, slug
from pipeline.safety import image_suffix
from pipeline.settings import FILE
from pipeline.word.blocks import Para, TableBlock

if TYPE_CHECKING:
    from pipeline.importer.run import Plan
    from pipeline.importer.source import Source
    from pipeline.model import Plan as ReadPlan

_PLAN_HEADING = re.compile(r"action\s+plan", re.I)


def details(
    found: Found,
    locator: Locator,
    source: Source,
    inputs: Path,
    form: Form,
    replace: bool,
    plan: Plan,
) -> None:
    report = plan.report
    assert report is not None
    fields = fieldwork.read_fields(found.front, locator.cells)
    fieldwork.read_signoff(found.signoff, locator.cells, fields)
    if found.front:
        report.left_out.append(
            "the form's own text before question 1 (title, contents, guidance): not answers"
        )
    rows = report.plan_rows or PlanRows()
    _after(found.after, rows, source, inputs, form, plan)
    for who, span in fields.signatures.items():
        if span.media not in source.docx.names:
            report.notes.append(f"the {who}'s signature picture is missing from the file")
            continue
        data = source.docx.data(span.media)
        suffix = image_suffix(data)
        if suffix is None:
            report.notes.append(f"the {who}'s signature is a picture the pack cannot show")
            continue
        target = inputs / "signatures" / f"{who}{suffix}"
        if target.exists() and target.read_bytes() != data and not replace:
            report.notes.append(
                f"signatures/{target.name} kept as it was (--replace to take the file's)"
            )
            continue
        plan.files[target] = data
        fields.values[f"signoff.{who}_signature"] = f"signatures/{target.name}"
        report.signatures.append(f"signatures/{target.name}")
    report.found.update(fields.values)
    report.notes += fields.notes
    if rows.rows:
        _plan_file(rows, inputs, form, replace, plan)
    _toml(inputs, replace, plan)


def _after(
    pieces: list[Piece], rows: PlanRows, source: Source, inputs: Path, form: Form, plan: Plan
) -> None:
    """The plan's section and tables, Appendix A left out, the rest as appendices."""
    report = plan.report
    assert report is not None
    mode = "appendix"
    sections: list[tuple[str | None, list[Piece]]] = []
    skipped: list[str] = []
    for i, piece in enumerate(pieces):
        block = piece.block
        title = appendix_title(block)
        following = pieces[i + 1].block if i + 1 < len(pieces) else None
        if isinstance(block, TableBlock) and is_plan_table(block):
            rows.add(piece, None, form.themes)
            continue
        if (
            isinstance(block, Para)
            and isinstance(following, TableBlock)
            and is_plan_table(following)
            and banner_of(block.text, form.themes)
        ):
            rows.rows.append([block.text.strip()])
            continue
        if title is not None:
            if is_appendix_a(block):
                mode = "appendix-a"
                report.left_out.append(
                    f"the form's Appendix A of examples ({piece.where}): the form's, not the institution's"
                )
                continue
            if _PLAN_HEADING.search(title) and not title.lower().startswith("appendix"):
                mode = "plan"
                continue
            mode = "appendix"
            sections.append((title, []))
            continue
        if mode == "appendix-a":
            continue
        if mode == "plan":
            if block.text.strip():
                skipped.append(piece.where)
            continue
        if not sections:
            sections.append((None, []))
        sections[-1][1].append(piece)
    if skipped:
        report.left_out.append(
            f"the plan section's own text and summary ({skipped[0]} to {skipped[-1]}): made again from the spreadsheet"
        )
    number = _first_free(inputs / "appendices")
    for title, body in sections:
        if not title and not any(p.block.text.strip() for p in body):
            continue
        name = title or "Text after the sign-off"
        clean = re.sub(r"^\s*appendix\s+([a-z]|\d+)\s*[:.\-–]?\s*", "", name, flags=re.I) or name
        target = inputs / "appendices" / f"{number:02d}-{slug(clean)}.md"
        written = write_markdown(
            body, source, target.parent, target.stem, appendix=True, title=clean
        )
        plan.files[target] = written.text.encode("utf-8")
        for path, data in written.pictures.items():
            if not path.exists():
                plan.files[path] = data
        report.appendices.append(f"appendices/{target.name}")
        report.left_out += [f"{item} in appendices/{target.name}" for item in written.left_out]
        number += 1


def _first_free(folder: Path) -> int:
    taken = (
        [int(m[1]) for p in folder.iterdir() if (m := NUMBERED.match(p.name))]
        if folder.is_dir()
        else []
    )
    return max(taken, default=0) + 1


def _plan_file(rows: PlanRows, inputs: Path, form: Form, replace: bool, plan: Plan) -> None:
    from pipeline.plan.read import load_plan
    from pipeline.plan.sheet import find_plan

    report = plan.report
    assert report is not None
    data = workbook(rows)
    with tempfile.TemporaryDirectory(prefix="pack-import-") as work:
        probe = Path(work) / "action-plan.xlsx"
        probe.write_bytes(data)
        read, problems = load_plan(probe, form.themes)
    report.plan_actions = len(read.actions) if read else 0
    report.plan_problems = [p.message for p in problems]
    existing = find_plan(inputs) if inputs.is_dir() else None
    target = inputs / "action-plan.xlsx"
    if existing is not None and not replace:
        old, _ = load_plan(existing, form.themes)
        if old is not None and read is not None and _rows(old) == _rows(read):
            report.plan, report.plan_unchanged = existing.relative_to(inputs).as_posix(), True
            return
        if old is None or old.actions:
            target = inputs / "action-plan.imported.xlsx"
        else:
            target = existing if existing.suffix == ".xlsx" else target
    plan.files[target] = data
    report.plan = target.relative_to(inputs).as_posix()


def _rows(plan: ReadPlan) -> list[tuple[object, ...]]:
    """What a plan says, row for row, whatever spreadsheet it was read from."""
    return [
        (t.name, g.code, g.title, a.text, a.measure, a.year, a.alignment, a.flags)
        for t in plan.themes
        for g in t.goals
        for a in g.actions
    ]


def _toml(inputs: Path, replace: bool, plan: Plan) -> None:
    report = plan.report
    assert report is not None
    values = {k: v for k, v in report.found.items() if k != "website" or v}
    if not values:
        return
    path = inputs / FILE
    if path.is_file():
        text = path.read_text(encoding="utf-8-sig")
    else:
        from pipeline.inputs.init import PACK_TOML

        text = PACK_TOML.format(framework="initial", framework_note="")
    try:
        _, written, kept = fieldwork.set_fields(text, values, replace)  # written by run.write
    except ValueError as exc:  # tomllib's TOMLDecodeError
        raise InputError(f"{path}: not valid TOML ({exc}); mend it and run again") from exc
    report.written_fields, report.kept_fields = written, kept
