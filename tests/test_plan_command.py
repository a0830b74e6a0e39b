"""`pack plan`: input mistakes are ordinary errors naming file, sheet, row and column (exit 1,
never an internal error); `--json` is valid JSON in every case; `--publish` says what it does
and reuses what did not change."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from openpyxl import Workbook

from helpers.packs import TODAY
from helpers.plan_shapes import rows_of, write
from pipeline.cli import cli
from pipeline.inputs.check import check


def _run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, ["plan", *args])
    return result.exit_code, result.stdout, result.stderr


def test_no_such_folder(tmp_path: Path) -> None:
    missing = tmp_path / "inputs"
    code, out, err = _run(str(missing))
    assert code == 2  # a usage error, as for every command
    assert err.endswith(f"Error: Invalid value for '[INPUTS]': {missing}: no such folder\n")
    code, out, err = _run(str(missing), "--json")
    assert code == 2
    assert json.loads(out) == {"error": f"{missing}: no such folder"}


def test_no_such_sheet_and_a_missing_column(pack_dir: Path) -> None:
    (pack_dir / "action-plan.csv").unlink()
    book = Workbook()
    book.active.title = "Plan 2027"
    book.active.append(["Goal", "Actions", "Year"])
    book.save(pack_dir / "action-plan.xlsx")
    code, out, err = _run(str(pack_dir), "--sheet", "Plan 2028")
    assert code == 1
    assert "internal error" not in err
    assert err.splitlines() == [
        f"{pack_dir / 'action-plan.xlsx'}: error: cannot read the action plan: no sheet "
        "'Plan 2028' (sheets: Plan 2027); give one of those names",
        f"Error: {pack_dir / 'action-plan.xlsx'}: the action plan could not be read (1 error); fix the problems above and run again",
    ]
    code, out, err = _run(str(pack_dir), "--json")
    assert code == 1
    data = json.loads(out)
    assert [(p["line"], p["message"]) for p in data["problems"]] == [
        (1, "the header row has no 'Success measures' column; add one (sheet 'Plan 2027', cell A1)")
    ]


def test_an_export_that_cannot_be_read_says_where(pack_dir: Path) -> None:
    rows = rows_of("all")
    rows[18][0] = "Improved signage"  # a goal of its own with no code, or R1's next line?
    write(rows, pack_dir / "action-plan.tsv")
    (pack_dir / "action-plan.csv").unlink()
    code, out, err = _run(str(pack_dir))
    assert code == 1
    assert "internal error" not in err
    assert err.splitlines()[0] == (
        f"{pack_dir / 'action-plan.tsv'}:19: error: goal 'Improved signage' has no code such "
        "as V1:; write its code, or join it to R1's text if it is the next line of it "
        "(cell A19)"
    )
    code, out, _ = _run(str(pack_dir), "--json")
    assert code == 1
    assert [p["code"] for p in json.loads(out)["problems"]][:1] == ["plan-goal-code"]


def test_the_repair_log_in_plan_and_check(pack_dir: Path) -> None:
    (pack_dir / "action-plan.csv").unlink()
    write(rows_of("all"), pack_dir / "action-plan.tsv")
    code, out, _ = _run(str(pack_dir))
    assert code == 0
    tsv = pack_dir / "action-plan.tsv"
    repaired = [line for line in out.splitlines() if ": repaired: " in line]
    assert [line.split(": repaired: ")[1].split(":")[0] for line in repaired] == [
        "rows", "banners", "ticks", "goals", "years",
    ]  # fmt: skip
    assert f"{tsv}:5: repaired: ticks: 3 Cyrillic 'х' read as ticks, rows 5, 10, 17;" in out
    data = json.loads(_run(str(pack_dir), "--json")[1])
    assert len(data["repairs"]) == 22  # every repair, with its cell
    assert {"row": 10, "cell": "I10", "kind": "ticks", "message": (
        "Global University: 'Х' read as a tick"
    )} in data["repairs"]  # fmt: skip
    _, problems = check(pack_dir, TODAY)
    repairs = [p for p in problems if p.code == "plan-repaired"]
    assert [p.message.split(":")[0] for p in repairs] == [
        "rows",
        "banners",
        "ticks",
        "goals",
        "years",
    ]  # fmt: skip  (each kind once)


@pytest.mark.libreoffice
def test_publish_says_what_it_does_and_reuses(pack_dir: Path, tmp_path: Path) -> None:
    out = tmp_path / "build"
    args = [str(pack_dir), "--publish", "--out", str(out), "--date", "2026-11-22", "--json"]
    code, stdout, stderr = _run(*args)
    assert code == 0, stderr
    first = json.loads(stdout)
    pdf, xlsx, html = (Path(p) for p in first["paths"])
    assert (pdf.suffix, xlsx.suffix, html.suffix) == (".pdf", ".xlsx", ".html")
    assert first["reused"] == []
    assert "pack: converting" in stderr
    code, stdout, stderr = _run(*args)
    assert code == 0
    again = json.loads(stdout)
    assert again["paths"] == first["paths"]
    assert again["reused"] == first["paths"]
    assert "converting" not in stderr
    assert "has not changed since it was last published" in stderr
    toml = pack_dir / "pack.toml"  # the spreadsheet's title changes: both are made again
    plan = pack_dir / "action-plan.csv"
    plan.write_text(plan.read_text().replace("Ten apprentices", "Twelve apprentices"))
    code, stdout, stderr = _run(*args)
    assert code == 0
    assert json.loads(stdout)["reused"] == []
    pdf.write_bytes(b"damaged")  # an output changed by hand is made again, not trusted
    code, stdout, stderr = _run(*args)
    assert json.loads(stdout)["reused"] == [str(xlsx), str(html)]
    assert pdf.read_bytes().startswith(b"%PDF")
    assert toml.is_file()
