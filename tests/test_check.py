"""Bad inputs: each defect is found with its code, file and line, and blocks the build."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from helpers.edits import removed, replaced, written
from helpers.packs import TODAY, encrypted_pdf
from pipeline.inputs.check import check

CASES = [
    # (id, edit, code, file, line)
    ("no pack.toml", removed("pack.toml"), "no-pack-toml", "pack.toml", None),
    (
        "toml syntax",
        replaced("pack.toml", 'name = "Dr Ada Lead"', "name = Dr Ada Lead"),
        "toml-syntax",
        "pack.toml",
        7,
    ),
    (
        "missing e-mail",
        replaced("pack.toml", 'email = "a.lead@testshire.example"\n', ""),
        "field-missing",
        "pack.toml",
        None,
    ),
    (
        "empty institution",
        replaced("pack.toml", '"University of Testshire"', '""'),
        "field-missing",
        "pack.toml",
        1,
    ),
    (
        "date as text",
        replaced("pack.toml", "2025-05-14", '"May 2025"'),
        "field-type",
        "pack.toml",
        3,
    ),
    (
        "bad e-mail",
        replaced("pack.toml", "a.lead@testshire.example", "a.lead at testshire"),
        "email",
        "pack.toml",
        8,
    ),
    (
        "relative URL",
        replaced("pack.toml", "https://www.testshire.example/technicians", "www.testshire.example"),
        "url",
        "pack.toml",
        4,
    ),
    (
        "joined in future",
        replaced("pack.toml", "2025-05-14", "2027-05-14"),
        "date-future",
        "pack.toml",
        3,
    ),
    (
        "unknown framework",
        replaced("pack.toml", 'framework = "initial"', 'framework = "stage9"'),
        "framework",
        "pack.toml",
        2,
    ),
    (
        "unknown key",
        replaced("pack.toml", "website =", "webiste ="),
        "field-unknown",
        "pack.toml",
        4,
    ),
    (
        "lead not a table",
        replaced("pack.toml", "[lead]\n", 'lead = "Ada"\n[lead2]\n'),
        "field-type",
        "pack.toml",
        6,
    ),
    (
        "sign-off not a date",
        replaced("pack.toml", "lead = 2026-11-02", 'lead = "soon"'),
        "field-type",
        "pack.toml",
        15,
    ),
    (
        "language not a language tag",
        replaced(
            "pack.toml", 'framework = "initial"', 'framework = "initial"\nlanguage = "English"'
        ),
        "field-type",
        "pack.toml",
        3,
    ),
    (
        "missing answer",
        removed("answers/4-answer.md"),
        "answer-missing",
        "answers/4-initiatives-before-signing.md",
        None,
    ),
    (
        "doubled answer",
        written("answers/4-again.md", "More."),
        "answer-doubled",
        "answers/4-answer.md",
        None,
    ),
    (
        "empty answer",
        written("answers/2-answer.md", "  \n"),
        "answer-empty",
        "answers/2-answer.md",
        1,
    ),
    (
        "unknown question",
        written("answers/9-extra.md", "Extra."),
        "answer-unknown",
        "answers/9-extra.md",
        None,
    ),
    (
        "unnumbered answer",
        written("answers/profile.md", "Text."),
        "answer-name",
        "answers/profile.md",
        None,
    ),
    (
        "over the limit",
        written("answers/1-answer.md", "word " * 251),
        "word-limit",
        "answers/1-answer.md",
        None,
    ),
    (
        "control character",
        written("answers/3-answer.md", "fine\nbell \x07 here\n"),
        "control-character",
        "answers/3-answer.md",
        2,
    ),
    (
        "not UTF-8",
        written("answers/5-answer.md", "caf\xe9".encode("latin-1")),
        "not-utf8",
        "answers/5-answer.md",
        None,
    ),
    ("no plan", removed("action-plan.csv"), "plan-missing", "action-plan.xlsx", None),
    (
        "no success measure",
        replaced(
            "action-plan.csv", "Fund registration fees,50 registrations", "Fund registration fees,"
        ),
        "plan-no-measure",
        "action-plan.csv",
        6,
    ),
    (
        "theme missing",
        replaced(
            "action-plan.csv",
            '"Sustainability: Skills that last",,,,,,\nS1: Apprentices,Recruit apprentices,Ten apprentices hired,All,,x,\n',
            "",
        ),
        "plan-theme-missing",
        "action-plan.csv",
        None,
    ),
    (
        "no header",
        replaced("action-plan.csv", "Goal,Actions", "Aim,Actions"),
        "plan-no-header",
        "action-plan.csv",
        None,
    ),
    (
        "fake PDF appendix",
        written("appendices/2-terms.pdf", "just text"),
        "appendix-type",
        "appendices/2-terms.pdf",
        None,
    ),
    (
        "fake DOCX appendix",
        written("appendices/2-terms.docx", "just text"),
        "appendix-type",
        "appendices/2-terms.docx",
        None,
    ),
    (
        "spreadsheet appendix",
        written("appendices/2-data.xlsx", b"PK\x03\x04junk"),
        "appendix-type",
        "appendices/2-data.xlsx",
        None,
    ),
    (
        "empty PDF appendix",
        written("appendices/2-terms.pdf", b""),
        "appendix-empty",
        "appendices/2-terms.pdf",
        None,
    ),
]


def locked_pdf(root: Path) -> None:
    encrypted_pdf(root / "appendices" / "2-locked.pdf", "secret")


CASES += [
    (
        "no sign-off date",
        replaced("pack.toml", "leader = 2026-11-09\n", ""),
        "signoff-missing",
        "pack.toml",
        14,
    ),
    (
        "sign-off in the future",
        replaced("pack.toml", "leader = 2026-11-09", "leader = 2026-12-09"),
        "signoff-future",
        "pack.toml",
        16,
    ),
    (
        "no URL in question 8",
        written("answers/8-answer.md", "Our page is published."),
        "answer-needs",
        "answers/8-answer.md",
        None,
    ),
    (
        "missing image",
        written("answers/3-answer.md", "Staff:\n\n![chart](chart.png)\n"),
        "image-missing",
        "answers/3-answer.md",
        3,
    ),
    (
        "image that is not one",
        lambda r: (
            written("answers/chart.png", "text")(r),
            written("answers/3-answer.md", "![c](chart.png)")(r),
        ),
        "image-type",
        "answers/3-answer.md",
        1,
    ),
    (
        "remote image",
        written("answers/3-answer.md", "One\ntwo ![c](https://x.example/c.png)"),
        "image-path",
        "answers/3-answer.md",
        2,  # the line the image is on, not where its paragraph starts
    ),
    (
        "empty link",
        written("answers/4-answer.md", "Para.\n\nSee [our page]() now."),
        "link-empty",
        "answers/4-answer.md",
        3,
    ),
    (
        "year outside the plan",
        replaced("action-plan.csv", "50 registrations,2028", "50 registrations,2031"),
        "plan-year-horizon",
        "action-plan.csv",
        6,
    ),
    (
        "misspelt theme",
        replaced(
            "action-plan.csv",
            '"Recognition: Professional registration"',
            '"Recogniton: Professional registration"',
        ),
        "plan-theme-unknown",
        "action-plan.csv",
        5,
    ),
    (
        "appendix image missing",
        written("appendices/1-survey.md", "# Survey\n\n![c](c.png)\n"),
        "image-missing",
        "appendices/1-survey.md",
        3,
    ),
    ("password-protected PDF", locked_pdf, "appendix-pdf", "appendices/2-locked.pdf", None),
]


@pytest.mark.parametrize(
    ("edit", "code", "name", "line"), [c[1:] for c in CASES], ids=[c[0] for c in CASES]
)
def test_each_defect_is_reported(
    pack_dir: Path, edit, code: str, name: str, line: int | None
) -> None:
    edit(pack_dir)
    pack, problems = check(pack_dir, TODAY)
    assert pack is None
    errors = [
        (p.code, p.path.relative_to(pack_dir).as_posix(), p.line)
        for p in problems
        if p.level == "error"
    ]
    assert (code, name, line) in errors, errors


WARNINGS = [
    (
        "raw HTML",
        written("answers/2-answer.md", "Line one\nwith <b>bold</b>."),
        "raw-html",
        "answers/2-answer.md",
        2,
    ),
    (
        "relative link",
        written("answers/2-answer.md", "See [page](www.x.example)."),
        "link-relative",
        "answers/2-answer.md",
        1,
    ),
    (
        "unclosed fence",
        written("answers/2-answer.md", "Text\n\n```\ncode\n"),
        "fence-unclosed",
        "answers/2-answer.md",
        3,
    ),
    (
        "unclear year",
        replaced(
            "action-plan.csv",
            "Write role profiles,Profiles for every grade,2027/2028",
            "Write role profiles,Profiles for every grade,soon",
        ),
        "plan-year-unclear",
        "action-plan.csv",
        8,
    ),
    (
        "no year",
        replaced(
            "action-plan.csv",
            "Write role profiles,Profiles for every grade,2027/2028",
            "Write role profiles,Profiles for every grade,",
        ),
        "plan-year-missing",
        "action-plan.csv",
        8,
    ),
    (
        "unknown alignment",
        replaced("action-plan.csv", "All,Recognition,", "All,Recogniton,"),
        "plan-alignment",
        "action-plan.csv",
        4,
    ),
    (
        "appendix order",
        lambda r: (
            written("appendices/10-late.md", "Late.")(r),
            written("appendices/2-early.md", "Early.")(r),
        ),
        "appendix-order",
        "appendices/10-late.md",
        None,
    ),
]


@pytest.mark.parametrize(
    ("edit", "code", "name", "line"), [c[1:] for c in WARNINGS], ids=[c[0] for c in WARNINGS]
)
def test_each_doubt_is_a_warning(
    pack_dir: Path, edit, code: str, name: str, line: int | None
) -> None:
    edit(pack_dir)
    pack, problems = check(pack_dir, TODAY)
    assert pack is not None, problems
    found = [(p.level, p.code, p.path.relative_to(pack_dir).as_posix(), p.line) for p in problems]
    assert found == [("warning", code, name, line)]


def test_draft_relaxes_the_sign_off(pack_dir: Path) -> None:
    replaced("pack.toml", "lead = 2026-11-02\nleader = 2026-11-09\n", "")(pack_dir)
    pack, problems = check(pack_dir, TODAY, draft=True)
    assert pack is not None
    assert [(p.level, p.code) for p in problems] == [("warning", "signoff-missing")]


def test_question_6_may_point_to_the_plan(pack_dir: Path) -> None:
    (pack_dir / "answers" / "6-answer.md").unlink()
    pack, problems = check(pack_dir, TODAY)
    assert problems == []
    assert pack is not None
    assert (
        pack.answers[5].text
        == "The full 24-month action plan follows the sign-off in this document."
    )


def test_the_language_is_en_gb_unless_pack_toml_says(pack_dir: Path) -> None:
    pack, _ = check(pack_dir, TODAY)
    assert pack is not None
    assert pack.language == "en-GB"
    toml = pack_dir / "pack.toml"
    toml.write_text(
        toml.read_text().replace('framework = "initial"', 'framework = "initial"\nlanguage = "cy"')
    )
    pack, problems = check(pack_dir, TODAY)
    assert problems == []
    assert pack is not None
    assert pack.language == "cy"


def test_the_small_pack_checks_clean(pack_dir: Path) -> None:
    pack, problems = check(pack_dir, TODAY)
    assert problems == []
    assert pack is not None
    assert [a.number for a in pack.answers] == list(range(1, 9))
    assert [t.name for t in pack.plan.themes] == [
        "Visibility",
        "Recognition",
        "Career Development",
        "Sustainability",
    ]


def test_the_example_checks_clean(example: Path) -> None:
    pack, problems = check(example, TODAY)
    assert problems == []
    assert pack is not None


def test_plan_reads_ticks_in_any_alphabet(pack_dir: Path) -> None:
    pack, _ = check(pack_dir, TODAY)
    assert pack is not None
    flags = [a.flags for a in pack.plan.actions]
    assert flags == [(True, False), (False, True), (True, True), (False, False), (True, False)]
    assert pack.plan.columns == ("Research", "Education")


def test_deadline_passed_is_an_error_and_near_is_a_warning(pack_dir: Path) -> None:
    import datetime as dt

    from pipeline.window import Window

    _, problems = check(pack_dir, dt.date(2027, 1, 25))
    assert [(p.level, p.code) for p in problems] == [("warning", "window-close")]
    pack, problems = check(pack_dir, dt.date(2027, 2, 3), Window(2027, 1))
    assert pack is None
    assert [(p.level, p.code) for p in problems] == [("error", "window-passed")]


def test_problems_come_in_the_order_of_the_form(pack_dir: Path) -> None:
    """Found stage by stage (the deadline's nearness last of all), reported in the form's
    order: pack.toml (its lines first), the answers by question, the plan, the appendices."""
    import datetime as dt

    replaced("pack.toml", "a.lead@testshire.example", "nobody")(pack_dir)
    (pack_dir / "answers" / "3-answer.md").write_text("See ![chart](chart.png)\n", encoding="utf-8")
    replaced("action-plan.csv", "2027/2028", "2031")(pack_dir)
    (pack_dir / "appendices" / "10-later.md").write_text("# Later\n\nText.\n", encoding="utf-8")
    (pack_dir / "appendices" / "2-sooner.md").write_text("# Sooner\n\nText.\n", encoding="utf-8")
    _, problems = check(pack_dir, dt.date(2027, 1, 25))
    assert [(p.code, p.path.name, p.line) for p in problems] == [
        ("email", "pack.toml", 8),
        ("window-close", "pack.toml", None),
        ("image-missing", "3-answer.md", 1),
        ("plan-year-horizon", "action-plan.csv", 8),
        ("appendix-order", "10-later.md", None),
    ]


def test_problems_found_while_loading_come_in_the_order_of_the_form(pack_dir: Path) -> None:
    (pack_dir / "appendices" / "9.pdf").write_text("x", encoding="utf-8")
    (pack_dir / "answers" / "7-answer.md").unlink()
    (pack_dir / "answers" / "2-answer.md").write_text("", encoding="utf-8")
    replaced("pack.toml", "website =", "webiste =")(pack_dir)
    _, problems = check(pack_dir, TODAY)
    assert [(p.code, p.path.name, p.line) for p in problems] == [
        ("field-unknown", "pack.toml", 4),
        ("field-missing", "pack.toml", None),
        ("answer-empty", "2-answer.md", 1),
        ("answer-missing", "7-the-technician-voice.md", None),
        ("appendix-type", "9.pdf", None),
    ]


def test_a_restyled_template_missing_a_style_is_reported(pack_dir: Path) -> None:
    import zipfile

    from pipeline.form import TEMPLATES

    (pack_dir / "form").mkdir()
    shutil.copy(TEMPLATES / "initial.toml", pack_dir / "form" / "own.toml")
    broken = pack_dir / "form" / "self-assessment.docx"
    with (
        zipfile.ZipFile(TEMPLATES / "self-assessment.docx") as old,
        zipfile.ZipFile(broken, "w") as new,
    ):
        for item in old.infolist():
            data = old.read(item)
            if item.filename == "word/styles.xml":
                data = data.replace(b'w:val="Prompt"', b'w:val="Question prompt"')
            new.writestr(item, data)
    toml = pack_dir / "pack.toml"
    toml.write_text(
        toml.read_text(encoding="utf-8").replace('"initial"', '"form/own.toml"'), encoding="utf-8"
    )
    pack, problems = check(pack_dir, TODAY)
    assert pack is None
    assert [(p.path, p.code, p.message) for p in problems] == [
        (
            broken,
            "template-style",
            "the template has no style 'Prompt', which the pack's text is set in; add it back "
            "(Word: Styles > New Style, with that name)",
        )
    ]
