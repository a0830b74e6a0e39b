"""Export shapes of a plan, each read right from .xlsx, .csv and .tsv; what stays ambiguous is
refused with its sheet, row and column."""

from __future__ import annotations

from pathlib import Path

import pytest

from helpers.plan_shapes import (
    SHAPES,
    THEMES,
    reads_right,
    rows_of,
    write,
)
from pipeline.plan.read import load_plan
from pipeline.plan.repairs import grouped


@pytest.mark.parametrize("fmt", ["xlsx", "csv", "tsv"])
@pytest.mark.parametrize("shape", SHAPES)
def test_each_export_shape_reads_right(shape: str, fmt: str, tmp_path: Path) -> None:
    path = write(rows_of(shape), tmp_path / f"action-plan.{fmt}")
    reads_right(path)


def test_the_repair_log_says_each_kind_once(tmp_path: Path) -> None:
    path = write(rows_of("all"), tmp_path / "action-plan.tsv")
    plan, _ = load_plan(path, THEMES)
    assert plan is not None
    lines = [line for _, _, line in grouped(plan.repairs)]
    assert lines == [
        "rows: 'Technician Commitment Themes' above the header, row 1",
        "banners: 4 stray marks in banner rows ignored, rows 4, 14, 23, 34; "
        "2 theme aims rejoined across cells, rows 14, 34",
        "ticks: 3 Cyrillic 'х' read as ticks, rows 5, 10, 17; "
        "Education and student experience: 'x x x x x' read as a tick, row 7",
        "goals: 4 rows above a theme's first goal code given to that goal, rows 5, 15, 24, 35; "
        "4 goal lines joined across rows, rows 7, 21, 27-28; "
        "2 rows above a goal's code given to that goal (centred goal cells), rows 9, 30",
        "years: year 'AII' read as All (a capital I typed for l), row 10",
    ]
    messages = {r.cell: r.message for r in plan.repairs}
    assert messages["A14"] == (
        "the Recognition aim, cut across cells A14:C14, read as "
        "'Grow a resilient workforce and keep skills'"
    )
    assert messages["A34"] == (
        "the Sustainability aim, cut across cells A34:B34, read as "
        "'Keep technical skills and pass them on'"
    )
    assert messages["A15"] == "rows 15-16 read as R1, whose code is on row 17"
    assert messages["A5"] == "row 5 read as V1, whose code is on row 6"
    assert messages["A7"] == "'technicians across the University' joined to V1's text"
    assert messages["I10"] == "Global University: 'Х' read as a tick"


def test_a_goal_cell_that_could_be_either_goal_is_refused(tmp_path: Path) -> None:
    rows = [
        ["Goal", "Actions", "Success measures", "Year"],
        ["Visibility: Seen", "", "", ""],
        ["", "Publish", "Live", "2027"],  # above V1's code: these goal cells are centred
        ["V1: Seen", "Hold an open day", "Held", "2027"],
        ["V2: Known", "Write profiles", "Written", "2027"],
        ["", "Name teams", "Named", "2027"],  # V2's second row, or V3's first?
        ["V3: Abroad", "Present abroad", "Five talks", "2027"],
    ]
    for fmt in ("xlsx", "tsv"):
        _, problems = load_plan(write(rows, tmp_path / f"action-plan.{fmt}"), THEMES)
        sheet = "sheet 'Plan', " if fmt == "xlsx" else ""
        assert [(p.line, p.message) for p in problems if p.line] == [
            (
                6,
                "cannot tell whether 'Name teams' serves V2 or V3 (their Goal cells are "
                f"centred); write the goal's code on the row of its first action ({sheet}cell A6)",
            )
        ]


def test_rows_above_the_header_and_a_missing_column_name_the_users_words(tmp_path: Path) -> None:
    path = write(
        [["Our plan"], [""], ["Goal", "Actions", "Year"], ["Visibility", "", ""]],
        tmp_path / "action-plan.csv",
    )
    _, problems = load_plan(path, THEMES)
    assert [(p.line, p.message) for p in problems] == [
        (3, "the header row has no 'Success measures' column; add one (cell A3)")
    ]


def test_a_goal_line_with_no_code_far_from_any_goal_is_refused(tmp_path: Path) -> None:
    rows = [
        ["Goal", "Actions", "Success measures", "Year"],
        ["Visibility: Seen", "", "", ""],
        ["V1: Seen", "Publish", "Live", "2027"],
        ["", "Hold an open day", "Held", "2027"],
        ["", "Write profiles", "Written", "2027"],
        ["", "Name teams", "Named", "2027"],
        ["Known widely", "Visit schools", "Ten visits", "2027"],
    ]
    _, problems = load_plan(write(rows, tmp_path / "action-plan.tsv"), THEMES)
    assert [(p.code, p.line) for p in problems if p.line] == [("plan-goal-code", 7)]
    assert problems[0].message.startswith("goal 'Known widely' has no code such as V1:")
    assert problems[0].message.endswith("(cell A7)")


@pytest.mark.parametrize(
    ("pieces", "known", "joined"),
    [
        (
            ("Grow a resi", "ilient workforce and ke", "eep skills"),
            set(),
            "Grow a resilient workforce and keep skills",
        ),
        (("Grow a resil", "ilient workforce"), set(), "Grow a resilient workforce"),  # two doubled
        (
            ("Grow a res", "lient workforce"),
            {"resilient"},
            "Grow a resilient workforce",
        ),  # one lost
        (
            ("Grow a", "resilient workforce"),
            {"grow", "a", "resilient"},
            "Grow a resilient workforce",
        ),
        (
            ("Grow a resilient", "workforce"),
            {"resilient", "workforce"},
            "Grow a resilient workforce",
        ),
        (("Keep ski", "kills"), {"skills"}, "Keep skills"),
        (("Skills that last:", "kept and shared"), set(), "Skills that last: kept and shared"),
    ],
)
def test_an_aim_cut_across_cells_is_joined(
    pieces: tuple[str, ...], known: set[str], joined: str
) -> None:
    from pipeline.plan.cells import join_cut

    text = pieces[0]
    for piece in pieces[1:]:
        text = join_cut(text, piece, known)
    assert text == joined


@pytest.mark.parametrize(
    ("goal_cells", "owners", "ambiguous"),
    [
        # top-aligned (no rows above the first code): each goal to the next code
        ("A--B-", [0, 0, 0, 1, 1], []),
        # centred: text at the centre of its block, or a row high of it
        ("-A--B-", [0, 0, 0, 1, 1, 1], []),
        ("-A---B-C", [0, 0, 0, 0, 1, 1, 1, 2], []),
        ("--A---B-", [0, 0, 0, 0, 0, 1, 1, 1], []),
        # two sharings as near the centre: refused, not guessed
        ("-AB-C", [0, 0, 1, 1, 2], [3]),
    ],
)
def test_which_goal_each_row_serves(
    goal_cells: str, owners: list[int], ambiguous: list[int]
) -> None:
    from pipeline.plan.blocks import allocate, find_spans, is_centred

    texts = [f"{c}1: goal {c}" if c != "-" else "" for c in goal_cells]
    spans, troubles = find_spans(texts)
    assert troubles == []
    found, unclear = allocate(len(texts), spans, is_centred(spans))
    assert unclear == ambiguous
    if not ambiguous:
        assert found == owners
