"""`pack init`: a new institution's inputs folder, ready for version control and CI.

Everything the folder needs and nothing to delete: pack.toml with the fields to fill, one
Markdown file per question holding its prompt as a comment (comments are not rendered), a blank
plan in the documented layout, an empty appendices/ folder, a .gitignore for build/ and a CI
workflow that checks the inputs and keeps the pack as an artifact. `pack check` on the new folder
lists what is left to do.
"""

from __future__ import annotations

import re
import textwrap
from pathlib import Path

from pipeline.errors import InputError
from pipeline.files import atomic_path
from pipeline.form import Form, Question, load_form
from pipeline.inputs.names import slug

PACK_TOML = """\
# The institution's details for the Technician Commitment self-assessment.
# Fill in each field; `pack check` lists what is still missing.
institution = ""                  # as it should appear on the form, e.g. "University of Example"
framework = "{framework}"{framework_note}
# date_joined = 2025-05-14        # the date the institution signed the Commitment (no quotes)
website = ""                      # the page where the Commitment and the action plan are published
# Reviews left in appendices (tracked changes, comments, PDF notes) stop a final build; this
# accepts them in the pack's copy only, the files unchanged, as --accept-changes does:
# accept_changes = true

[lead]                            # the nominated institutional lead
name = ""
email = ""
role = ""

[leader]                          # the leader of the institution (the Commitment's signatory)
name = ""
role = ""

# The dates the two signatories signed the final form; leave them out for a --draft build.
# [signoff]
# lead = 2027-01-20
# leader = 2027-01-22
"""

_GITIGNORE = """\
# What `pack` writes: rebuilt from the sources on every run.
build/
# Word's lock files, while a reviewer has a draft open.
~$*.docx
"""

_WORKFLOW = """\
# Checks the inputs and builds the submission pack on every push; the pack is kept as an
# artifact of the run (Actions > this run > Artifacts).
name: pack
on: [push, pull_request]
jobs:
  pack:
    runs-on: ubuntu-24.04
    steps:
      - uses: actions/checkout@v4
      - uses: actions/setup-python@v5
        with:
          python-version: "3.11"
      - name: LibreOffice, the fonts the form uses, and the pack tool
        run: |
          sudo apt-get update -qq
          sudo apt-get install -y -qq --no-install-recommends libreoffice-writer-nogui \\
            python3-uno fonts-liberation fonts-crosextra-carlito fonts-crosextra-caladea
          python -m pip install "{requirement}"
      # a review left in an appendix fails the build; `accept_changes = true` in pack.toml
      # accepts it in the pack's copy instead (notes, not warnings: --strict still passes)
      - run: pack check --strict
      - run: pack assemble --out build
      - uses: actions/upload-artifact@v4
        with:
          name: submission-pack
          path: build/*.pdf
          if-no-files-found: error
"""

REQUIREMENT = "tc-pack"
"""What the CI workflow installs; an institution pins a version or a git URL here."""


def answer_stub(question: Question) -> str:
    """An answer file holding only its question, as a comment for the author."""
    lines = [
        f"Question {question.number}: {question.title}",
        "",
        *textwrap.wrap(question.prompt, 90),
    ]
    if question.limit:
        lines += ["", f"Word limit: {question.limit} words."]
    lines += ["", "Write the answer below this comment, in Markdown. This comment is not shown."]
    if question.default:
        lines += [
            "With only this comment here, the answer is the form's own (a file with nothing in",
            "it at all is an empty answer):",
            *textwrap.wrap(question.default, 90),
        ]
    body = "\n".join(f"  {line}" if line else "" for line in lines)
    return f"<!--\n{body}\n-->\n"


def init(folder: Path, framework: str = "initial", requirement: str = REQUIREMENT) -> list[Path]:
    """Make `folder` (new or empty) an inputs folder for `framework`, a built-in form's name or
    a form file (copied into the folder with the Word templates beside it). Returns the files
    written."""
    if folder.exists() and (not folder.is_dir() or any(folder.iterdir())):
        raise InputError(f"{folder}: already exists and is not empty; give a new folder")
    own = not re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9_-]*", framework)
    source = Path(framework)
    form = load_form(source.name, source.parent.resolve()) if own else load_form(framework)
    folder.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []

    def write(relative: str, data: str | bytes) -> None:
        target = folder / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        with atomic_path(target) as tmp:
            if isinstance(data, str):
                tmp.write_text(data, encoding="utf-8")
            else:
                tmp.write_bytes(data)
        written.append(target)

    name = framework
    if own:
        name = source.name
        write(name, source.read_bytes())
        for template in {form.template, form.appendix_template, form.plan_template}:
            if template.parent == source.parent.resolve():
                write(template.name, template.read_bytes())
    note = (
        ""
        if own
        else f"             # the form: {framework} (built in), or a form file of your own"
    )
    write("pack.toml", PACK_TOML.format(framework=name, framework_note=note))
    for question in form.questions:
        stem = f"{question.number}-{slug(question.title)}"
        write(
            f"answers/{stem}.md",
            answer_stub(question),
        )
    write("action-plan.xlsx", blank_plan(form))
    (folder / "appendices").mkdir(exist_ok=True)
    write("appendices/.gitkeep", "")
    write(".gitignore", _GITIGNORE)
    write(".github/workflows/pack.yml", _WORKFLOW.format(requirement=requirement))
    return written


def blank_plan(form: Form) -> bytes:
    """The plan's spreadsheet with its header and a banner row per theme, ready for actions."""
    import io

    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill

    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "Action plan"
    header = ["Goal", "Actions", "Success measures", "Year", "Theme Alignment"]
    sheet.append(header)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    for theme in form.themes:
        sheet.append([f"{theme.name}: {theme.aim}".rstrip(": ")])
        row = sheet.max_row
        sheet.cell(row, 1).font = Font(bold=True)
        for column in range(1, len(header) + 1):
            sheet.cell(row, column).fill = PatternFill("solid", fgColor="DDEBF7")
    for letter, width in zip("ABCDE", (34, 48, 40, 12, 18), strict=True):
        sheet.column_dimensions[letter].width = width
    sheet.freeze_panes = "A2"
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
