"""`pack import`: a Word file (the form filled in, a past submission, a colleague's answer)
into an inputs folder."""

from __future__ import annotations

import json
from pathlib import Path

import click

from pipeline.cli.common import reported


def _folder(ctx: click.Context, param: click.Parameter, value: Path | None) -> Path:
    """INPUTS as given (made when it does not exist), else the current folder when it holds a
    pack.toml, else inputs/."""
    from pipeline import settings

    return value if value is not None else settings.default_inputs(Path.cwd())


@click.command("import")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.argument(
    "inputs", required=False, callback=_folder, type=click.Path(file_okay=False, path_type=Path)
)
@click.option(
    "--question",
    type=click.IntRange(min=1),
    metavar="N",
    help="Import the whole file as the answer to question N.",
)
@click.option(
    "--accept-changes",
    is_flag=True,
    help="Import with tracked changes accepted (without it, they stop the import).",
)
@click.option(
    "--replace",
    is_flag=True,
    help="Overwrite answers, pack.toml values, the plan and signatures already there.",
)
@click.option("--json", "as_json", is_flag=True, help="Print the summary as JSON.")
@reported
def import_(
    file: Path,
    inputs: Path,
    question: int | None,
    accept_changes: bool,
    replace: bool,
    as_json: bool,
) -> None:
    """Bring a Word file into INPUTS: the form filled in or a past submission (answers,
    pack.toml's fields, the plan, signatures, appendices), or with --question N one answer.
    FILE is .docx, .docm, .dotx (or .doc, .odt through LibreOffice). INPUTS is made as
    `pack init` makes it when it does not exist. An answer that already has text is left as
    it is and the imported one written beside it (3-numbers.imported.md), unless --replace.

    Example:

    \b
        pack import last-submission.docx myuni/
        pack import colleague.docx --question 3
        pack import reviewed-form.docx --accept-changes --json
    """
    from pipeline.importer.run import import_file, write

    report, plan = import_file(file, inputs, question, accept_changes, replace)
    write(inputs, plan)
    if as_json:
        click.echo(json.dumps(report.public(), indent=2, ensure_ascii=False, default=str))
        return
    if report.created:
        click.echo(f"{inputs}: made as pack init makes it")
    for line in report.lines():
        click.echo(line)
