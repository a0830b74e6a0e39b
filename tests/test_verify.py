"""`pack verify`: the pack just built is accepted; a pack whose sources changed since, with a
page cut out, a page replaced, its text altered or its metadata edited is refused by name."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner
from pypdf import PdfReader, PdfWriter
from pypdf.generic import ContentStream, NameObject, TextStringObject

from helpers.packs import built_example
from pipeline.cli import cli
from pipeline.incremental.record import INFO_KEY
from pipeline.verify.parts import check_contents, sections

STEM = "University-of-Kelderwick_January_2027"
APPENDIX_B = "Appendix B: Technician network terms of reference"


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """The example pack, built once by the real LibreOffice: (inputs, pack)."""
    inputs, out, _ = built_example(tmp_path_factory.mktemp("verify"))
    return inputs, out / f"{STEM}.pdf"


def verify(pack: Path, inputs: Path, *options: str) -> tuple[int, list[str]]:
    result = CliRunner().invoke(cli, ["verify", str(pack), str(inputs), *options])
    return result.exit_code, result.stdout.splitlines()


def tampered(pack: Path, target: Path, edit: object) -> Path:
    """A copy of `pack` with `edit(writer)` applied, metadata and all kept."""
    writer = PdfWriter(clone_from=pack)
    edit(writer)  # type: ignore[operator]
    with target.open("wb") as handle:
        writer.write(handle)
    return target


def outline_page(pack: Path, title: str) -> int:
    reader = PdfReader(pack)
    for item in reader.outline:
        if not isinstance(item, list) and item.title == title:
            page = reader.get_destination_page_number(item)
            assert page is not None
            return page
    raise AssertionError(title)


@pytest.mark.libreoffice
def test_the_pack_just_built_is_verified(built: tuple[Path, Path]) -> None:
    inputs, pack = built
    status, lines = verify(pack, inputs)
    assert status == 0, lines
    assert lines == [f"{pack}: the pack built from {inputs}, whole (17 pages)"]
    result = CliRunner().invoke(cli, ["verify", str(pack), str(inputs), "--json"])
    assert result.exit_code == 0
    verdict = json.loads(result.stdout)
    assert (verdict["ok"], verdict["pages"], verdict["problems"]) == (True, 17, [])


@pytest.mark.libreoffice
def test_verify_loads_no_libreoffice_and_no_template_engine(built: tuple[Path, Path]) -> None:
    inputs, pack = built
    code = (
        "import sys; from pathlib import Path; from pipeline.verify.pack import verify; "
        f"v = verify(Path({str(pack)!r}), Path({str(inputs)!r})); assert v.ok, v.problems; "
        "print(sorted(m for m in sys.modules if m.split('.')[0] in "
        "('docxtpl', 'docx', 'jinja2', 'uno') or m.startswith('pipeline.libreoffice')))"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "[]"


@pytest.mark.libreoffice
def test_an_answer_changed_since_the_build(built: tuple[Path, Path], tmp_path: Path) -> None:
    _, pack = built
    inputs = Path(shutil.copytree(built[0], tmp_path / "inputs"))
    answer = inputs / "answers" / "4-before-signing.md"
    answer.write_text(answer.read_text(encoding="utf-8") + "\nOne more line.\n", encoding="utf-8")
    assert verify(pack, inputs) == (
        1,
        [
            f"{inputs}/answers/4-before-signing.md changed since this pack was built",
            f"{pack}: 1 problem; not the pack {inputs} builds",
        ],
    )


@pytest.mark.libreoffice
def test_files_added_and_removed_since_the_build(built: tuple[Path, Path], tmp_path: Path) -> None:
    _, pack = built
    inputs = Path(shutil.copytree(built[0], tmp_path / "inputs"))
    (inputs / "appendices" / "9-late.md").write_text("# Late\n\nA late appendix.\n", "utf-8")
    (inputs / "appendices" / "3-data-sources-and-methods.md").unlink()
    status, lines = verify(pack, inputs)
    assert status == 1
    assert lines[:2] == [
        f"{inputs}/appendices/3-data-sources-and-methods.md was removed since this pack was built",
        f"{inputs}/appendices/9-late.md was added since this pack was built",
    ]
    # the late appendix is lettered C now: the pack has no such part, and one too many
    late = inputs / "appendices" / "9-late.md"
    assert f"{pack}: no 'Appendix C: Late' in its outline ({late})" in lines
    assert (
        f"{pack}: 'Appendix C: Data sources and methods' is not a part these inputs make" in lines
    )


@pytest.mark.libreoffice
def test_a_page_cut_out(built: tuple[Path, Path], tmp_path: Path) -> None:
    inputs, pack = built
    first = outline_page(pack, APPENDIX_B)

    def cut(writer: PdfWriter) -> None:
        del writer.pages[first]

    status, lines = verify(tampered(pack, tmp_path / "cut.pdf", cut), inputs)
    assert status == 1
    cut_pdf = tmp_path / "cut.pdf"
    assert f"{cut_pdf}: 16 pages, but the build made 17" in lines
    assert f"{cut_pdf}: page {first + 1} as built ({APPENDIX_B}, its page 1) is missing" in lines
    assert (
        f"{cut_pdf}: the outline entry {APPENDIX_B!r} points at a page no longer in the pack"
        in lines
    )


@pytest.mark.libreoffice
def test_a_page_replaced(built: tuple[Path, Path], tmp_path: Path) -> None:
    inputs, pack = built
    first = outline_page(pack, APPENDIX_B)
    other = PdfWriter()
    other.add_blank_page(595, 842)
    blank = tmp_path / "blank.pdf"
    other.write(str(blank))

    def swap(writer: PdfWriter) -> None:
        writer.insert_page(PdfReader(blank).pages[0], first + 1)
        del writer.pages[first + 2]  # the appendix's second page, replaced by a blank one

    replaced = tampered(pack, tmp_path / "replaced.pdf", swap)
    status, lines = verify(replaced, inputs)
    assert status == 1
    assert (
        f"{replaced}: page {first + 2} as built ({APPENDIX_B}, its page 2) was replaced or altered"
        in lines
    )
    source = inputs / "appendices" / "2-technician-network-terms-of-reference.pdf"
    assert f"{source}: its page 2 is not page {first + 2} of the pack (text differs)" in lines


@pytest.mark.libreoffice
@pytest.mark.parametrize(
    ("entry", "offset", "found_in", "source"),
    [
        ("Self-assessment form", 2, "text not found in Question ", "answers/"),
        ("24-month action plan", 1, " not found in the plan ", "action-plan.xlsx:"),
        (
            "Appendix C: Data sources and methods",
            0,
            "text not found in Appendix C",
            "appendices/3-",
        ),
    ],
)
def test_text_altered(
    built: tuple[Path, Path], tmp_path: Path, entry: str, offset: int, found_in: str, source: str
) -> None:
    inputs, pack = built
    page_index = outline_page(pack, entry) + offset

    def blank_out(writer: PdfWriter) -> None:
        page = writer.pages[page_index]
        content = ContentStream(page.get_contents(), writer)
        shown = [i for i, (_, op) in enumerate(content.operations) if op in (b"TJ", b"Tj")]
        for index in shown[len(shown) // 2 :]:  # the second half of its text, gone
            content.operations[index] = ([], b"n")
        page.replace_contents(content)

    altered = tampered(pack, tmp_path / "altered.pdf", blank_out)
    status, lines = verify(altered, inputs)
    assert status == 1
    assert lines[0].startswith(f"{altered}: page {page_index + 1} as built (")
    assert lines[0].endswith("was replaced or altered")
    missing = [line for line in lines if found_in in line]
    assert missing, lines
    assert all(line.startswith(f"{inputs}/{source}") for line in missing)


@pytest.mark.libreoffice
def test_metadata_edited(built: tuple[Path, Path], tmp_path: Path) -> None:
    inputs, pack = built

    def retitle(writer: PdfWriter) -> None:
        writer.add_metadata({"/Title": "University of Kelderwick/July/2027"})

    retitled = tampered(pack, tmp_path / "title.pdf", retitle)
    assert verify(retitled, inputs) == (
        1,
        [
            f"{retitled}: its Title is 'University of Kelderwick/July/2027', not "
            "'University of Kelderwick/January/2027'",
            f"{retitled}: 1 problem; not the pack {inputs} builds",
        ],
    )

    def rewrite_record(writer: PdfWriter) -> None:
        record = json.loads(str(writer.metadata[INFO_KEY]))  # type: ignore[index]
        record["sources"]["answers/1-profile.md"] = "0" * 64
        writer.add_metadata({INFO_KEY: json.dumps(record)})

    edited = tampered(pack, tmp_path / "record.pdf", rewrite_record)
    status, lines = verify(edited, inputs)
    assert status == 1
    assert lines[:2] == [
        f"{edited}: its build record was edited after the build",
        f"{inputs}/answers/1-profile.md changed since this pack was built",
    ]

    def drop_record(writer: PdfWriter) -> None:
        del writer._info.get_object()[NameObject(INFO_KEY)]  # type: ignore[union-attr]

    dropped = tampered(pack, tmp_path / "none.pdf", drop_record)
    status, lines = verify(dropped, inputs)
    assert status == 1
    assert lines[0] == (
        f"{dropped}: its build record is missing, so it cannot be matched with its sources; "
        "build it again with `pack assemble`"
    )

    def damage_record(writer: PdfWriter) -> None:
        writer.add_metadata({INFO_KEY: TextStringObject("{not json")})

    status, lines = verify(tampered(pack, tmp_path / "bad.pdf", damage_record), inputs)
    assert status == 1
    assert "its build record is damaged" in lines[0]


@pytest.mark.libreoffice
def test_not_a_pdf_is_one_line(built: tuple[Path, Path], tmp_path: Path) -> None:
    inputs, _ = built
    fake = tmp_path / "pack.pdf"
    fake.write_text("not a PDF", encoding="utf-8")
    result = CliRunner().invoke(cli, ["verify", str(fake), str(inputs)])
    assert result.exit_code == 1
    assert result.stderr.startswith(f"Error: {fake}: cannot read the PDF")
    assert "Traceback" not in result.output


def test_contents_numbers_against_the_outline() -> None:
    outline = [
        ("Form", 0, 0),
        ("Question 1: Profile", 1, 1),
        ("Plan", 0, 3),
        ("Appendix A: X", 0, 5),
    ]
    contents = "Contents\nQuestion 1: Profile.........2\nPlan........4\nAppendix A: X......7\n"
    problems, numbered = check_contents(outline, contents)
    assert numbered
    assert problems == ["the contents give page 7 for 'Appendix A: X', which starts on page 6"]
    problems, numbered = check_contents(outline, "Contents\nQuestion 1: Profile\nPlan\n")
    assert (problems, numbered) == ([], False)
    found = sections(outline, ["p1", "p2", "p3", "p4", "p5", "p6"])
    assert (found["Question 1: Profile"].first, found["Question 1: Profile"].last) == (1, 2)
    assert (found["Plan"].first, found["Plan"].last) == (3, 4)
