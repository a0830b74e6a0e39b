"""Forms: built in or the institution's own, any number of themes, refused clearly when wrong."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import docx
import pytest
from click.testing import CliRunner

from helpers.forms import SIX_PILLARS, six_pillar_pack
from helpers.packs import TODAY
from pipeline.cli import cli
from pipeline.errors import InputError
from pipeline.form import TEMPLATES, load_form
from pipeline.inputs.check import check


def test_the_built_in_form_is_found_and_whole() -> None:
    form = load_form("initial")
    assert form.built_in
    assert [q.number for q in form.questions] == list(range(1, 9))
    assert [t.code for t in form.themes] == ["V", "R", "CD", "S"]
    assert all(path.is_file() for path in form.files)


def test_an_own_form_file_with_six_pillars(tmp_path: Path) -> None:
    root = six_pillar_pack(tmp_path / "inputs")
    form = load_form("six-pillars.toml", root)
    assert not form.built_in
    assert [t.name for t in form.themes] == [
        "Career Development",
        "Supporting Structures",
        "Recognition",
        "Visibility",
        "Sustainable Workforce",
        "Enhanced Training",
    ]
    assert form.template == TEMPLATES / "self-assessment.docx"  # fallen back to the built-in
    pack, problems = check(root, TODAY)
    assert [p.format() for p in problems if p.level == "error"] == []
    assert pack is not None
    assert [t.name for t in pack.plan.themes] == [t.name for t in form.themes]


def test_an_own_template_beside_the_form_wins(tmp_path: Path) -> None:
    root = six_pillar_pack(tmp_path / "inputs")
    shutil.copy(TEMPLATES / "appendix.docx", root / "appendix.docx")
    form = load_form("six-pillars.toml", root)
    assert form.appendix_template == root / "appendix.docx"
    assert form.template == TEMPLATES / "self-assessment.docx"


def _message(framework: str, root: Path) -> str:
    with pytest.raises(InputError) as caught:
        load_form(framework, root)
    return str(caught.value)


def test_unknown_names_and_outside_paths_are_refused(tmp_path: Path) -> None:
    root = six_pillar_pack(tmp_path / "inputs")
    assert _message("stage9", root) == (
        "no built-in form called 'stage9' (known: initial); name one of those, "
        'or a form file of your own such as "my-form.toml"'
    )
    (tmp_path / "outside.toml").write_text(SIX_PILLARS, encoding="utf-8")
    assert _message("../outside.toml", root) == (
        "../outside.toml: outside the inputs folder; keep the form file beside pack.toml"
    )
    absolute = str(tmp_path / "outside.toml")
    assert _message(absolute, root) == (
        f"{absolute}: outside the inputs folder; keep the form file beside pack.toml"
    )
    os.symlink(tmp_path / "outside.toml", root / "linked.toml")
    assert _message("linked.toml", root) == (
        "linked.toml: outside the inputs folder; keep the form file beside pack.toml"
    )
    assert _message("nothing.toml", root) == "nothing.toml: no such form file beside pack.toml"
    assert _message("form.txt", root) == (
        "'form.txt' is neither a built-in form (initial) nor a form file ending .toml"
    )


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (("plan_months = 36", "plan_months = 36\n[oops"), ":7: not valid TOML: "),
        (('code = "SS"', 'code = "ss"'), "theme 'Supporting Structures': code 'ss' must be"),
        (('code = "SS"', 'code = "CD"'), "theme 'Supporting Structures' (CD) repeats another's"),
        (("number = 2", "number = 1"), ":15: question 1 is given twice"),
        (('template = "self-assessment.docx"', 'template = "../../etc/x.docx"'), ":3: template "),
        (('template = "self-assessment.docx"', 'template = "missing.docx"'), ":3: template "),
        (('title = "Technician Commitment Self-Assessment: Phase 2"\n', ""), ": title must be"),
        (("plan_months = 36", "plan_months = 0"), ":6: plan_months must be"),
    ],
)
def test_a_malformed_form_file_names_file_and_line(
    tmp_path: Path, change: tuple[str, str], expected: str
) -> None:
    root = six_pillar_pack(tmp_path / "inputs")
    path = root / "six-pillars.toml"
    path.write_text(SIX_PILLARS.replace(*change, 1), encoding="utf-8")
    message = _message("six-pillars.toml", root)
    assert message.startswith(str(path))
    assert expected in message


def test_a_template_cannot_reach_python(tmp_path: Path) -> None:
    """An institution's own template renders in Jinja's sandbox."""
    root = six_pillar_pack(tmp_path / "inputs")
    document = docx.Document(str(TEMPLATES / "self-assessment.docx"))
    document.add_paragraph("{{ title.__class__.__mro__[1].__subclasses__() }}")
    document.save(str(root / "self-assessment.docx"))
    result = CliRunner().invoke(
        cli, ["render", str(root), "--out", str(tmp_path / "build"), "--date", "2026-11-22"]
    )
    assert result.exit_code == 1
    assert result.output.startswith(
        f"Error: {root / 'self-assessment.docx'}: the template tries to reach beyond its data"
    )
    assert "subclasses" not in result.output.split("(", 1)[0]
