"""What `pack check` says: every problem in one pass, each cause once, and every message
saying what to do. Each test asserts the exact text and the exit status."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner

from helpers.edits import edit, removed, replaced, written
from pipeline.cli import cli
from pipeline.text import plural


def run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(cli, list(args))
    return result.exit_code, result.output


def check(root: Path, *options: str) -> tuple[int, list[str]]:
    """`pack check` on `root` as of 2026-11-22: its status and its lines, the folder's path
    taken off the front."""
    status, output = run("check", str(root), "--date", "2026-11-22", *options)
    return status, [line.removeprefix(f"{root}/") for line in output.splitlines()]


def test_ten_mistakes_are_all_reported_in_one_run(pack_dir: Path) -> None:
    toml = pack_dir / "pack.toml"
    edit(toml, "date_joined = 2025-05-14", 'date_joined = "2025-05-14"')
    edit(toml, "a.lead@testshire.example", "a.lead at testshire")
    edit(toml, "[signoff]\nlead = 2026-11-02\nleader = 2026-11-09\n", "")
    answers = pack_dir / "answers"
    (answers / "5-answer.md").unlink()
    (answers / "1-answer.md").write_text(" ".join(["word"] * 308) + "\n", encoding="utf-8")
    (answers / "3-answer.md").rename(answers / "3-numbers.txt")
    (answers / "7-voice.docx").write_bytes(b"PK\x03\x04 a Word file left beside 7-answer.md")
    plan = pack_dir / "action-plan.csv"
    edit(plan, '"Visibility: Make', '"Visibilty: Make')
    edit(plan, "Write role profiles,Profiles for every grade", "Write role profiles,")
    appendices = pack_dir / "appendices"
    (appendices / "2-terms.md").write_text("# Terms\n\nText.\n", encoding="utf-8")
    (appendices / "2-budget.md").write_text("# Budget\n\nText.\n", encoding="utf-8")
    (appendices / "minutes.md").write_text("# Minutes\n\nText.\n", encoding="utf-8")

    assert check(pack_dir) == (
        1,
        [
            'pack.toml:3: error: date_joined = "2025-05-14" is text, not a date; remove the '
            "quotes: date_joined = 2025-05-14",
            "pack.toml:8: error: lead.email 'a.lead at testshire' is not an e-mail address; "
            "write it as name@example.ac.uk",
            "pack.toml: error: no sign-off date for the institutional lead or the leader of the "
            "institution; add lead = YYYY-MM-DD and leader = YYYY-MM-DD under [signoff], or build "
            "a review copy with --draft",
            "answers/1-answer.md: error: 308 words, 58 over the limit of 250; shorten it",
            "answers/3-numbers.txt: error: not read: answers are Markdown files ending .md, so "
            "question 3 has no answer; save it as 3-numbers.md",
            "answers/5-initiatives-since-signing.md: error: no answer to question 5 (Initiatives "
            "since signing); write it in this file (any name starting 5- will do)",
            "answers/7-voice.docx: warning: not read: answers are Markdown files ending .md; "
            "move it out of answers/ (pictures go in answers/images/)",
            "action-plan.csv:2: error: unknown theme 'Visibilty'; did you mean 'Visibility'? (cell A2)",
            'action-plan.csv:8: error: no success measure for "Write role profiles"; add one (cell C8)',
            "appendices/2-terms.md: warning: numbered 2 like 2-budget.md, so which comes first "
            "is left to the alphabet; give it a number of its own, e.g. 3-terms.md",
            "appendices/minutes.md: warning: no number at the start of the name, so its place "
            "among the appendices is left to the alphabet; rename it, e.g. 4-minutes.md",
            "8 errors, 3 warnings",
        ],
    )


def test_a_misspelt_theme_is_one_error(pack_dir: Path) -> None:
    edit(pack_dir / "action-plan.csv", '"Visibility: Make', '"Visibilty: Make')
    assert check(pack_dir) == (
        1,
        [
            "action-plan.csv:2: error: unknown theme 'Visibilty'; did you mean 'Visibility'? (cell A2)",
            "1 error, 0 warnings",
        ],
    )


def test_rows_before_the_first_banner_are_one_error(pack_dir: Path) -> None:
    edit(pack_dir / "action-plan.csv", '"Visibility: Make technicians visible",,,,,,\n', "")
    assert check(pack_dir) == (
        1,
        [
            "action-plan.csv:2: error: row before any theme banner row; add a banner row above "
            "it: 'Visibility: <its aim>' in the first cell (cell A2)",
            "1 error, 0 warnings",
        ],
    )


def test_a_missing_column_is_named_as_its_header(pack_dir: Path) -> None:
    plan = pack_dir / "action-plan.csv"
    edit(plan, "Goal,Actions,Success measures,Year,", "Goal,Actions,Measured by,Year,")
    assert check(pack_dir) == (
        1,
        [
            "action-plan.csv:1: error: the header row has no 'Success measures' column; add one (cell A1)",
            "1 error, 0 warnings",
        ],
    )


def test_a_missing_answer_and_one_over_its_limit_are_both_reported(pack_dir: Path) -> None:
    (pack_dir / "answers" / "5-answer.md").unlink()
    (pack_dir / "answers" / "1-answer.md").write_text(" ".join(["w"] * 308), encoding="utf-8")
    status, lines = check(pack_dir)
    assert (status, lines[-1]) == (1, "2 errors, 0 warnings")
    assert lines[0] == "answers/1-answer.md: error: 308 words, 58 over the limit of 250; shorten it"


def test_a_toml_error_does_not_hide_the_rest(pack_dir: Path) -> None:
    edit(pack_dir / "pack.toml", "date_joined = 2025-05-14", "date_joined = 2025-5-14")
    (pack_dir / "answers" / "2-answer.md").write_text("", encoding="utf-8")
    assert check(pack_dir) == (
        1,
        [
            "pack.toml:3: error: date_joined = 2025-5-14: write dates with a two-digit month and "
            "day: date_joined = 2025-05-14",
            "answers/2-answer.md:1: error: the answer to question 2 is empty; write it",
            "2 errors, 0 warnings",
        ],
    )


TOML_CASES = [
    ("name = Dr Ada Lead", 7, 'name = Dr Ada Lead: text goes in double quotes: name = "Dr Ada Lead"'),
    ("date_joined = 2025-02-30", 3, "date_joined = 2025-02-30: February 2025 has 28 days; give a real date"),
    ("date_joined = 2025-13-01", 3, "date_joined = 2025-13-01: there is no month 13; give a real date"),
    ('name = "Dr Ada Lead', 7, 'name = "Dr Ada Lead: the closing quote is missing: name = "Dr Ada Lead"'),
    ("name =", 7, 'name has no value; write name = "..." or delete the line'),
    ("[lead", 6, "[lead: a table's name ends with a square bracket: [lead]"),
    ("name = 'x' 'y'", 7, "not valid TOML (expected newline or end of document after a statement); compare it with the README's pack.toml"),
]  # fmt: skip


@pytest.mark.parametrize(("line", "number", "message"), TOML_CASES)
def test_toml_mistakes_say_what_the_line_should_be(
    pack_dir: Path, line: str, number: int, message: str
) -> None:
    toml = pack_dir / "pack.toml"
    old = {"[": "[lead]", "d": "date_joined = 2025-05-14"}.get(line[0], 'name = "Dr Ada Lead"')
    edit(toml, old, line)
    assert check(pack_dir) == (1, [f"pack.toml:{number}: error: {message}", "1 error, 0 warnings"])


def test_a_key_set_twice(pack_dir: Path) -> None:
    edit(
        pack_dir / "pack.toml", 'role = "Vice-Chancellor"', 'role = "VC"\nrole = "Vice-Chancellor"'
    )
    assert check(pack_dir) == (
        1,
        ["pack.toml:13: error: role is set twice; keep one", "1 error, 0 warnings"],
    )


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ('"2024-03-07"', 'date_joined = "2024-03-07" is text, not a date; remove the quotes: '
         "date_joined = 2024-03-07"),
        ('"March 2024"', "date_joined must be a date such as 2025-05-14, without quotes"),
        ("2024-03-07T10:00:00", "date_joined must be a day, without a time: date_joined = 2024-03-07"),
    ],
)  # fmt: skip
def test_a_date_that_is_not_a_date(pack_dir: Path, value: str, message: str) -> None:
    edit(pack_dir / "pack.toml", "date_joined = 2025-05-14", f"date_joined = {value}")
    assert check(pack_dir) == (1, [f"pack.toml:3: error: {message}", "1 error, 0 warnings"])


def test_a_sign_off_date_in_quotes(pack_dir: Path) -> None:
    edit(pack_dir / "pack.toml", "lead = 2026-11-02", 'lead = "2026-11-02"')
    assert check(pack_dir) == (
        1,
        [
            'pack.toml:15: error: signoff.lead = "2026-11-02" is text, not a date; remove the '
            "quotes: signoff.lead = 2026-11-02",
            "1 error, 0 warnings",
        ],
    )


SETTINGS_CASES = [
    ("https://www.testshire.example/technicians", "www.testshire.example/technicians", 4,
     "website 'www.testshire.example/technicians' must be a full web address; write it as "
     "https://www.testshire.example/technicians"),
    ("date_joined = 2025-05-14", "date_joined = 2027-05-14", 3,
     "date_joined 2027-05-14 is in the future; give the date the institution signed the "
     "Commitment"),
    ("lead = 2026-11-02", "lead = 2026-12-02", 15,
     "signoff.lead 2026-12-02 is in the future; give the day it was signed"),
    ('institution = "University of Testshire"', 'institution = "University of Testshire"\nwebsit = "x"', 2,
     "unknown key 'websit'; did you mean 'website'?"),
]  # fmt: skip


@pytest.mark.parametrize(("old", "new", "line", "message"), SETTINGS_CASES)
def test_settings_messages(pack_dir: Path, old: str, new: str, line: int, message: str) -> None:
    edit(pack_dir / "pack.toml", old, new)
    status, lines = check(pack_dir)
    assert (status, lines[0]) == (1, f"pack.toml:{line}: error: {message}")


def test_answer_messages(pack_dir: Path) -> None:
    answers = pack_dir / "answers"
    (answers / "3-second.md").write_text("Another.\n", encoding="utf-8")
    (answers / "9-extra.md").write_text("Extra.\n", encoding="utf-8")
    (answers / "notes.md").write_text("Notes.\n", encoding="utf-8")
    edit(answers / "8-answer.md", "https://www.testshire.example/technicians", "our website")
    assert check(pack_dir) == (
        1,
        [
            "answers/3-second.md: error: question 3 has several answers (3-answer.md, "
            "3-second.md); keep one",
            "answers/8-answer.md: error: question 8 must give the website "
            "https://www.testshire.example/technicians (from pack.toml); add it to the answer",
            "answers/9-extra.md: error: the form has no question 9 (its questions: 1, 2, 3, 4, "
            "5, 6, 7, 8); rename or remove the file",
            "answers/notes.md: error: answer file names start with the question number, e.g. "
            "1-profile.md; rename it",
            "4 errors, 0 warnings",
        ],
    )


def test_a_word_answer_is_named_not_reported_missing(pack_dir: Path) -> None:
    answers = pack_dir / "answers"
    (answers / "7-answer.md").unlink()
    (answers / "7-voice.docx").write_bytes(b"PK\x03\x04 a Word file")
    assert check(pack_dir) == (
        1,
        [
            "answers/7-voice.docx: error: not read: answers are Markdown files ending .md, so "
            "question 7 has no answer; save it as 7-voice.md",
            "1 error, 0 warnings",
        ],
    )


def test_pictures_and_hidden_files_in_answers_are_not_warned_about(pack_dir: Path) -> None:
    answers = pack_dir / "answers"
    (answers / "chart.png").write_bytes(b"\x89PNG\r\n\x1a\n")
    (answers / ".DS_Store").write_bytes(b"\0")
    (answers / "~$answer.docx").write_bytes(b"\0")
    (answers / "images").mkdir()
    assert check(pack_dir) == (0, ["0 errors, 0 warnings"])


def test_strict_says_why_warnings_fail(pack_dir: Path) -> None:
    (pack_dir / "appendices" / "minutes.md").write_text("# Minutes\n\nText.\n", encoding="utf-8")
    warning = (
        "appendices/minutes.md: warning: no number at the start of the name, so its place among "
        "the appendices is left to the alphabet; rename it, e.g. 2-minutes.md"
    )
    assert check(pack_dir) == (0, [warning, "0 errors, 1 warning"])
    assert check(pack_dir, "--strict") == (
        1,
        [
            warning,
            "0 errors, 1 warning (--strict: warnings fail the check too; fix them, or leave out "
            "--strict)",
        ],
    )


def test_appendices_numbered_alike_with_leading_zeros(pack_dir: Path) -> None:
    appendices = pack_dir / "appendices"
    (appendices / "1-survey.md").rename(appendices / "01-survey.md")
    (appendices / "01-terms.md").write_text("# Terms\n\nText.\n", encoding="utf-8")
    assert check(pack_dir) == (
        0,
        [
            "appendices/01-terms.md: warning: numbered 01 like 01-survey.md, so which comes "
            "first is left to the alphabet; give it a number of its own, e.g. 02-terms.md",
            "0 errors, 1 warning",
        ],
    )


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("2027-02-30", "'2027-02-30': February 2027 has 28 days; give a real date"),
        ("2027-13-01", "'2027-13-01': there is no month 13; give a real date"),
        ("22/11/2026", "'22/11/2026' is not a date in the form YYYY-MM-DD, e.g. 2026-11-22"),
    ],
)
def test_date_option_messages(value: str, message: str) -> None:
    result = CliRunner().invoke(cli, ["window", "--date", value])
    assert result.exit_code == 2
    assert result.stderr.splitlines()[-1] == f"Error: Invalid value for '--date': {message}"


def test_a_new_folder_lists_what_is_left_to_do(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    assert run("init", "myuni")[0] == 0
    monkeypatch.chdir(tmp_path / "myuni")
    status, output = run("check", "--date", "2026-11-22")
    assert status == 1
    empty = "is empty; fill it in"
    assert output.splitlines() == [
        f"pack.toml:3: error: institution {empty}",
        f"pack.toml:6: error: website {empty}",
        f"pack.toml:12: error: lead.name {empty}",
        f"pack.toml:13: error: lead.email {empty}",
        f"pack.toml:17: error: leader.name {empty}",
        "pack.toml: error: date_joined is missing; add it, e.g. date_joined = 2025-05-14 (no quotes)",
        "pack.toml: error: no sign-off date for the institutional lead or the leader of the "
        "institution; add lead = YYYY-MM-DD and leader = YYYY-MM-DD under [signoff], or build a "
        "review copy with --draft",
        *(
            f"answers/{name}.md:1: error: the answer to question {name[0]} is empty; write it"
            for name in (
                "1-profile-of-the-organisation",
                "2-how-the-organisation-defines-its",
                "3-number-and-structure-of-technicians",
                "4-initiatives-before-signing",
                "5-initiatives-since-signing",
                "7-the-technician-voice",
                "8-publication-on-the-website",
            )
        ),
        "action-plan.xlsx: error: the plan has no actions yet; under each theme's banner row add "
        "its goals (V1: ...) and their actions",
        "15 errors, 0 warnings",
    ]


PLAN = "action-plan.csv"
MESSAGES = [
    ("not-utf8", written("answers/2-answer.md", b"caf\xe9\n"),
     "answers/2-answer.md: error: not UTF-8 text (byte 3); save as UTF-8"),
    ("control-character", written("answers/2-answer.md", "one\ntwo\x07\n"),
     "answers/2-answer.md:2: error: control character U+0007 in the text; delete it"),
    ("answer-reviewed", written("answers/2-answer.reviewed.md", "x\n"),
     "answers/2-answer.reviewed.md: warning: reviewers' version of 2-answer.md, written by "
     "`pack harvest` because 2-answer.md changed after the draft was made: merge it into "
     "2-answer.md, then delete it"),
    ("appendix-empty", written("appendices/2-empty.pdf", b""),
     "appendices/2-empty.pdf: error: the file is empty; delete it, or save the appendix in it"),
    ("plan-goal-code", replaced(PLAN, "R1: Registered technicians", "Registered technicians"),
     "action-plan.csv:6: error: goal 'Registered technicians' has no code such as V1:, and no "
     "goal above it that it could continue; start the goal with its code (cell A6)"),
    ("plan-no-goal", replaced(PLAN, "V1: Seen across the campus,Publish", ",Publish"),
     "action-plan.csv:3: error: action 'Publish a technician directory' comes before any goal; "
     "add its goal above it (cell A3)"),
    ("plan-tick", replaced(PLAN, "50 registrations,2028,,X,x", "50 registrations,2028,,X,maybe"),
     "action-plan.csv:6: warning: Education: 'maybe' is not a tick, so it is read as none; "
     "write x to tick it, or clear the cell (cell G6)"),
    ("plan-theme-missing",
     replaced(PLAN, '"Sustainability: Skills that last",,,,,,\nS1: Apprentices,Recruit '
              "apprentices,Ten apprentices hired,All,,x,\n", ""),
     "action-plan.csv: error: no banner row for the theme Sustainability; add a row with "
     "'Sustainability: <its aim>' in the first cell, its goals under it"),
    ("plan-year-missing", replaced(PLAN, "Ten apprentices hired,All", "Ten apprentices hired,"),
     'action-plan.csv:10: warning: no year for "Recruit apprentices"; write the year it happens '
     "(2027), a range (2027/2028) or All"),
    ("plan-year-horizon", replaced(PLAN, "50 registrations,2028", "50 registrations,2031"),
     "action-plan.csv:6: error: year 2031 is outside the plan's 24 months (2027-2029); give a "
     "year within them"),
    ("plan-year-unclear", replaced(PLAN, "50 registrations,2028", "50 registrations,soon"),
     "action-plan.csv:6: warning: year 'soon' is not understood; write a year, a range such as "
     "2027/2028, or All"),
    ("plan-alignment", replaced(PLAN, "All,Recognition", "All,Recogniton"),
     "action-plan.csv:4: warning: theme alignment 'Recogniton' is not a theme; did you mean "
     "'Recognition'?"),
    ("plan-repaired", replaced(PLAN, "Ten apprentices hired,All", "Ten apprentices hired,AII"),
     "action-plan.csv:10: warning: years: year 'AII' read as All (a capital I typed for l), "
     "row 10"),
    ("plan-row", replaced(PLAN, "hired,All,,x,\n", "hired,All,,x,\n,,,2027,,,\n"),
     "action-plan.csv:11: error: row has no action; remove it or add one (cell B11)"),
    ("plan-no-header", replaced(PLAN, "Goal,Actions", "Aim,Actions"),
     "action-plan.csv: error: no header row starting with 'Goal' was found; the first column "
     "must be headed 'Goal'"),
    ("plan-missing", removed(PLAN),
     "action-plan.xlsx: error: no action plan: save it here (or as action-plan.csv or .tsv)"),
    ("link-empty", written("answers/2-answer.md", "See [the page]().\n"),
     "answers/2-answer.md:1: error: a link has no address; write it in the brackets: "
     "[text](https://...)"),
    ("link-relative", written("answers/2-answer.md", "See [the page](www.example.ac.uk).\n"),
     "answers/2-answer.md:1: warning: link 'www.example.ac.uk' is not a web address; write it "
     "in full, e.g. https://www.example.ac.uk"),
    ("raw-html", written("answers/2-answer.md", "Line <br> break.\n"),
     "answers/2-answer.md:1: warning: raw HTML '<br>' is shown as text; use Markdown instead"),
    ("fence-unclosed", written("answers/2-answer.md", "Text.\n\n```\ncode\n"),
     "answers/2-answer.md:3: warning: code block opened with ``` is never closed, so the rest "
     "of the file is code; close it with ```"),
    ("no-pack-toml", removed("pack.toml"),
     "pack.toml: error: missing; make a new inputs folder with pack init DIR, or copy the "
     "README's example"),
    ("field-unknown", replaced("pack.toml", 'role = "Vice-Chancellor"', 'role = "VC"\nshoe = 3'),
     "pack.toml:13: error: unknown key 'leader.shoe'; delete it"),
    ("field-type", replaced("pack.toml", 'name = "Dr Ada Lead"', "name = 42"),
     'pack.toml:7: error: lead.name must be text in quotes: name = "42"'),
    ("field-type table",
     lambda root: (
         edit(root / "pack.toml", '[leader]\nname = "Professor Ben Leader"\nrole = "Vice-Chancellor"\n', ""),
         edit(root / "pack.toml", "website =", 'leader = "Professor Ben Leader"\nwebsite ='),
     ),
     "pack.toml:4: error: leader must be a table: [leader] on a line of its own, its fields "
     "below it"),
    ("framework text", replaced("pack.toml", 'framework = "initial"', "framework = 3"),
     'pack.toml:2: error: framework must be text in quotes: framework = "3"'),
    ("toml not a table name", replaced("pack.toml", "[lead]", "[[[lead"),
     "pack.toml:6: error: not valid TOML (invalid initial character for a key part); compare it "
     "with the README's pack.toml"),
    ("plan-unsafe", lambda root: (
        (root / PLAN).unlink(), (root / "action-plan.xlsx").write_bytes(b"PK\x03\x04junk")),
     "action-plan.xlsx: error: not an Office file (not a zip archive)"),
    ("framework", replaced("pack.toml", 'framework = "initial"', 'framework = "nonesuch"'),
     "pack.toml:2: error: no built-in form called 'nonesuch' (known: initial); name one of "
     'those, or a form file of your own such as "my-form.toml"'),
]  # fmt: skip


@pytest.mark.parametrize(
    ("change", "message"), [m[1:] for m in MESSAGES], ids=[m[0] for m in MESSAGES]
)
def test_each_message_says_what_to_do(
    pack_dir: Path, change: Callable[[Path], None], message: str
) -> None:
    change(pack_dir)
    status, lines = check(pack_dir)
    level = message.split(": ")[1]
    errors, warnings = (1, 0) if level == "error" else (0, 1)
    assert (status, lines) == (
        errors,
        [message, f"{plural(errors, 'error')}, {plural(warnings, 'warning')}"],
    )


@pytest.mark.parametrize(
    ("day", "message"),
    [
        ("2027-02-03", "pack.toml: error: the January 2027 window closed 3 days ago; pass "
         "--window for a later one"),
        ("2027-01-25", "pack.toml: warning: 6 days left before the January 2027 deadline "
         "(2027-01-31); send the pack by then, or pass --window for a later one"),
    ],
)  # fmt: skip
def test_window_messages(pack_dir: Path, day: str, message: str) -> None:
    result = CliRunner().invoke(cli, ["check", str(pack_dir), "--date", day, "--window", "2027-01"])
    assert result.output.splitlines()[0] == f"{pack_dir}/{message}"


USAGE = "Usage: pack check [OPTIONS] [INPUTS]\nTry 'pack check --help' for help.\n\n"


def test_a_folder_that_does_not_exist_is_a_usage_error(tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["check", str(tmp_path / "nowhere")], prog_name="pack")
    assert (result.exit_code, result.stderr) == (
        2,
        f"{USAGE}Error: Invalid value for '[INPUTS]': {tmp_path / 'nowhere'}: no such folder\n",
    )


def test_a_folder_inside_the_inputs_suggests_them(
    pack_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(pack_dir.parent)
    result = CliRunner().invoke(cli, ["check", "inputs/answers"], prog_name="pack")
    assert (result.exit_code, result.stderr) == (
        2,
        f"{USAGE}Error: Invalid value for '[INPUTS]': no pack.toml in inputs/answers; did you "
        "mean inputs/?\n",
    )
    monkeypatch.chdir(pack_dir / "answers")
    result = CliRunner().invoke(cli, ["check"], prog_name="pack")
    assert (result.exit_code, result.stderr) == (
        2,
        f"{USAGE}Error: Invalid value for '[INPUTS]': no pack.toml in the current folder; did you "
        "mean ../? (run pack there, or name it: pack check ../)\n",
    )


def test_inside_the_inputs_folder_check_needs_no_argument(
    pack_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(pack_dir)
    result = CliRunner().invoke(cli, ["check", "--date", "2026-11-22"])
    assert (result.exit_code, result.output) == (0, "0 errors, 0 warnings\n")


def test_init_refuses_a_folder_in_use(tmp_path: Path) -> None:
    (tmp_path / "myuni").mkdir()
    (tmp_path / "myuni" / "notes.txt").write_text("mine\n", encoding="utf-8")
    result = CliRunner().invoke(cli, ["init", str(tmp_path / "myuni")], prog_name="pack")
    assert (result.exit_code, result.stderr) == (
        2,
        "Usage: pack init [OPTIONS] FOLDER\nTry 'pack init --help' for help.\n\n"
        f"Error: Invalid value: {tmp_path / 'myuni'}: already exists and is not empty; give a "
        "new folder\n",
    )
    assert [p.name for p in (tmp_path / "myuni").iterdir()] == ["notes.txt"]


def test_a_draft_may_leave_out_the_sign_off(pack_dir: Path) -> None:
    edit(pack_dir / "pack.toml", "[signoff]\nlead = 2026-11-02\nleader = 2026-11-09\n", "")
    assert check(pack_dir, "--draft") == (
        0,
        [
            "pack.toml: warning: no sign-off date for the institutional lead or the leader of the "
            "institution: fine for a --draft build; add the dates under [signoff] for the final one",
            "0 errors, 1 warning",
        ],
    )


def test_pack_plan_on_a_plan_it_cannot_read(pack_dir: Path) -> None:
    edit(pack_dir / "action-plan.csv", "Goal,Actions", "Aim,Actions")
    result = CliRunner().invoke(cli, ["plan", str(pack_dir)])
    assert (result.exit_code, result.stdout, result.stderr) == (
        1,
        "",
        f"{pack_dir}/action-plan.csv: error: no header row starting with 'Goal' was found; the "
        "first column must be headed 'Goal'\n"
        f"Error: {pack_dir}/action-plan.csv: the action plan could not be read (1 error); fix the "
        "problems above and run again\n",
    )
