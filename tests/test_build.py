"""Fast builds: nothing done twice, the contents page's numbers, the warm converter.

What a build did is read from its own progress lines (`pack: rendered ...`, `pack: converting
...`) and from the times of the files it kept, never from timings."""

from __future__ import annotations

import datetime as dt
import os
import re
import shutil
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from pypdf import PdfReader

from helpers.libreoffice import Lines
from helpers.packs import EXAMPLE, REPO, write_pack
from helpers.pdf import pdf_text
from pipeline.cli import cli
from pipeline.errors import ConversionError
from pipeline.form import TEMPLATES
from pipeline.incremental.up_to_date import fresh_pack
from pipeline.libreoffice.jobs import Job
from pipeline.libreoffice.pool import Converters
from pipeline.libreoffice.warm import WarmConverter
from pipeline.window import Window

pytestmark = pytest.mark.libreoffice
DATE = "2026-11-22"
STEM = "University-of-Kelderwick_January_2027"


def assemble(inputs: Path, out: Path, *more: str) -> Result:
    result = CliRunner().invoke(
        cli, ["assemble", str(inputs), "--out", str(out), "--date", DATE, *more]
    )
    assert result.exit_code == 0, result.output
    return result


def did(result: Result) -> list[str]:
    """The build's own account of what it did, one line per step."""
    return [
        line.removeprefix("pack: ")
        for line in result.stderr.splitlines()
        if line.startswith("pack: ")
    ]


def times(folder: Path) -> dict[str, int]:
    return {
        p.relative_to(folder).as_posix(): p.stat().st_mtime_ns
        for p in folder.rglob("*")
        if p.is_file()
    }


def tripwire(folder: Path) -> Path:
    """A LibreOffice that leaves `tripped` if it is ever started, of the real one's version."""
    from helpers.libreoffice import tripwire_soffice

    return tripwire_soffice(folder)


def outline(path: Path) -> dict[str, int]:
    reader = PdfReader(path)
    found: dict[str, int] = {}

    def walk(items: list[object]) -> None:
        for item in items:
            if isinstance(item, list):
                walk(item)
            else:
                found[str(item.title)] = reader.get_destination_page_number(item) + 1  # type: ignore[attr-defined]

    walk(reader.outline)
    return found


def contents(path: Path) -> dict[str, str]:
    """The contents page: each entry's title and the page number printed beside it."""
    text = pdf_text(path, 1, 1)
    return {m[1].strip(): m[2] for m in re.finditer(r"^(\S.*?)\.{3,}\s*(\d*)\s*$", text, re.M)}


@pytest.fixture
def example(tmp_path: Path) -> Path:
    return Path(shutil.copytree(EXAMPLE, tmp_path / "inputs"))


def test_the_contents_page_numbers_are_the_pdfs_pages(example: Path, tmp_path: Path) -> None:
    pack = Path(assemble(example, tmp_path / "build").stdout.splitlines()[-1])
    printed = contents(pack)
    pages = outline(pack)
    assert list(printed) == [t for t in pages if t != "Self-assessment form"]
    assert printed == {title: str(page) for title, page in pages.items() if title in printed}
    reader = PdfReader(pack)
    for title, page in printed.items():  # the heading is on that page, not on the one before
        if title.startswith("Appendix B"):  # a PDF made elsewhere: its own first words
            assert "Kelderwick Technician Network: Terms of Reference" in pdf_text(
                pack, int(page), int(page)
            )
        else:
            assert title in " ".join(pdf_text(pack, int(page), int(page)).split())
    assert int(printed["Appendix C: Data sources and methods"]) == len(reader.pages) - 1
    # the form's entries are links, each to the page it names
    ids = {p.indirect_reference.idnum: n for n, p in enumerate(reader.pages, start=1)}
    targets = sorted(ids[a.get_object()["/Dest"][0].idnum] for a in reader.pages[0]["/Annots"])
    assert targets == sorted(int(n) for t, n in printed.items() if not t.startswith("Appendix"))


def test_nothing_changed_does_nothing(
    example: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "build"
    first = assemble(example, out)
    before = times(out)
    wire = tripwire(tmp_path / "tripwire")
    monkeypatch.setenv("PACK_SOFFICE", str(wire))
    again = assemble(example, out)
    assert did(again) == ["nothing changed since the last build"]
    assert again.stdout == first.stdout
    assert times(out) == before
    assert not (wire.parent / "tripped").exists()  # LibreOffice was not even started
    os.utime(next((example / "answers").glob("3-*.md")))  # touched, not changed
    assert did(assemble(example, out)) == ["nothing changed since the last build"]


def test_an_edited_answer_remakes_only_the_form(example: Path, tmp_path: Path) -> None:
    out = tmp_path / "build"
    assemble(example, out)
    before = times(out)
    answer = next((example / "answers").glob("3-*.md"))
    answer.write_text(
        answer.read_text(encoding="utf-8") + "\nA sentence added for the test.\n", encoding="utf-8"
    )
    result = assemble(example, out)
    assert did(result) == [
        "rendered answer 3 of the Self-assessment form",  # into the form the last build made
        "converting the form with LibreOffice",
        "combining the PDFs",
    ]
    after = times(out)
    kept = [name for name in before if "appendix" in name]
    assert kept
    assert all(after[name] == before[name] for name in kept)
    assert "A sentence added for the test." in pdf_text(out / f"{STEM}.pdf")


def test_a_changed_template_remakes_what_uses_it(example: Path, tmp_path: Path) -> None:
    templates = Path(shutil.copytree(TEMPLATES, example / "form"))
    toml = example / "pack.toml"
    toml.write_text(
        toml.read_text(encoding="utf-8").replace('"initial"', '"form/initial.toml"'),
        encoding="utf-8",
    )
    out = tmp_path / "build"
    assemble(example, out)

    restyle(templates / "appendix.docx")
    result = assemble(example, out)
    assert did(result)[:2] == [
        "rendered Appendix A: Technician survey 2026: summary of results, Appendix C: Data sources and methods",
        "converting 2 appendix document(s) with LibreOffice",
    ]
    assert "converting the form with LibreOffice" not in did(result)  # its contents still hold

    restyle(templates / "self-assessment.docx")
    result = assemble(example, out)
    assert did(result) == [
        "rendered Self-assessment form",
        "converting the form with LibreOffice",
        "combining the PDFs",
    ]


def restyle(template: Path) -> None:
    import docx
    from docx.shared import Pt

    document = docx.Document(str(template))
    document.styles["Body Text"].font.size = Pt(10.5)
    document.save(str(template))


def test_a_longer_appendix_renumbers_the_contents(example: Path, tmp_path: Path) -> None:
    out = tmp_path / "build"
    pack = Path(assemble(example, out).stdout.splitlines()[-1])
    before = contents(pack)
    survey = example / "appendices" / "1-technician-survey.md"
    survey.write_text(
        survey.read_text(encoding="utf-8") + "\n\n" + "More findings. " * 900 + "\n",
        encoding="utf-8",
    )
    result = assemble(example, out)
    assert did(result) == [
        "rendered Appendix A: Technician survey 2026: summary of results",
        "converting 1 appendix document(s) with LibreOffice",
        # the pages after appendix A moved: the form's contents and total, appendix C's numbers
        "converting the form and 1 appendix document(s) with LibreOffice",
        "combining the PDFs",
    ]
    after = contents(pack)
    assert int(after["Appendix B: Technician network terms of reference"]) > int(
        before["Appendix B: Technician network terms of reference"]
    )
    assert after == {t: str(p) for t, p in outline(pack).items() if t in after}
    pages = PdfReader(pack).pages  # and every footer numbers the pack anew, the kept parts' too
    assert [re.findall(r"Page (\d+) of (\d+)", p.extract_text()) for p in pages] == [
        [(str(k), str(len(pages)))] for k in range(1, len(pages) + 1)
    ]


def test_without_uno_the_contents_have_no_numbers_and_it_says_so(
    example: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PACK_UNO_PYTHON", sys.executable)  # this Python has no uno
    result = assemble(example, tmp_path / "build")
    assert "warning: LibreOffice's Python module uno is missing" in result.stderr
    assert "contents page has no page numbers" in result.stderr
    text = pdf_text(Path(result.stdout.splitlines()[-1]), 1, 1)
    assert "Appendix C: Data sources and methods" in text
    assert "\u27e6" not in text  # no placeholder is left showing


def soffice_bin(converter: WarmConverter) -> int:
    """The pid of the converter's soffice.bin."""
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                stat = Path(f"/proc/{entry}/stat").read_text()
            except OSError:
                continue
            name, rest = stat.split("(", 1)[1].rsplit(")", 1)
            if name == "soffice.bin" and int(rest.split()[2]) == converter.soffice_pid:
                return int(entry)
    raise AssertionError("no soffice.bin in the converter's process group")


@pytest.fixture
def rendered(tmp_path: Path) -> Path:
    out = tmp_path / "rendered"
    result = CliRunner().invoke(cli, ["render", str(EXAMPLE), "--out", str(out), "--date", DATE])
    assert result.exit_code == 0, result.output
    return Path(result.stdout.splitlines()[0])


@pytest.mark.usefixtures("uno")  # a failure under CI=true without it, never a skip
def test_the_converter_starts_again_when_libreoffice_dies(
    rendered: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with Converters(1) as converters:
        assert converters.convert(Job(rendered, tmp_path / "one.pdf")) > 10
        (converter,) = converters.made
        assert isinstance(converter, WarmConverter)
        os.kill(soffice_bin(converter), signal.SIGKILL)  # dies between two documents
        assert converters.convert(Job(rendered, tmp_path / "two.pdf")) > 10
        assert converters.restarts == 1
        # dies in the middle of one: killed once the document has been sent to it, as the
        # converter starts waiting for the answer (an event, not a timer racing LibreOffice)
        victim = soffice_bin(converter)
        wait_for_answer = converter._line

        def killed_first(deadline: float) -> dict[str, object] | None:
            monkeypatch.setattr(converter, "_line", wait_for_answer)
            os.kill(victim, signal.SIGKILL)
            return wait_for_answer(deadline)

        monkeypatch.setattr(converter, "_line", killed_first)
        assert converters.convert(Job(rendered, tmp_path / "three.pdf")) > 10
        assert converters.restarts == 2
        assert len(PdfReader(tmp_path / "three.pdf").pages) > 10
        group = converter.soffice_pid
    assert group is not None
    assert gone(group)  # nothing of it is left


@pytest.mark.usefixtures("uno")
def test_converters_closed_while_another_thread_converts(
    rendered: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The build ends (Ctrl-C, a failure elsewhere) while a pack is converting in another thread:
    that thread's conversion ends in a ConversionError (never an AttributeError on a converter
    stopped under it, reported as an internal error), no LibreOffice is started again, and
    nothing of it is left. Closed as the converting thread starts waiting for the answer."""
    converters = Converters(1)
    assert converters.convert(Job(rendered, tmp_path / "one.pdf")) > 10
    (converter,) = converters.made
    assert isinstance(converter, WarmConverter)
    group = converter.soffice_pid
    waiting, closed = threading.Event(), threading.Event()
    wait_for_answer = converter._line

    def closed_meanwhile(deadline: float) -> dict[str, object] | None:
        waiting.set()
        closed.wait(30)
        return wait_for_answer(deadline)

    monkeypatch.setattr(converter, "_line", closed_meanwhile)
    outcome: list[BaseException | int] = []

    def convert() -> None:
        try:
            outcome.append(converters.convert(Job(rendered, tmp_path / "two.pdf")))
        except BaseException as exc:  # what the thread ended with is the point
            outcome.append(exc)

    thread = threading.Thread(target=convert)
    thread.start()
    assert waiting.wait(60)
    converters.close()
    closed.set()
    thread.join(60)
    assert not thread.is_alive()
    (ended,) = outcome
    assert isinstance(ended, ConversionError), repr(ended)
    assert "the build is ending" in str(ended)
    assert converter.process is None  # not started again
    assert not (tmp_path / "two.pdf").exists()
    assert group is not None
    assert gone(group)


def gone(group: int, seconds: float = 5.0) -> bool:
    """Whether process group `group` is empty (killed processes are reaped a moment later)."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            os.killpg(group, 0)
        except ProcessLookupError:
            return True
        time.sleep(0.05)
    return False


@pytest.mark.usefixtures("uno")
def test_a_libreoffice_that_exits_as_it_starts_is_started_once_more_on_a_fresh_profile(
    rendered: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """LibreOffice exits at once on a profile it cannot use: its kept profile is set up afresh
    and LibreOffice started once more, and the document converts; one that exits every time
    is one clear error."""
    from pipeline.libreoffice.soffice import find_soffice

    real = shutil.which(find_soffice()) or find_soffice()
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    flaky = tmp_path / "flaky" / "soffice"
    flaky.parent.mkdir()
    flaky.write_text(
        f'#!/bin/sh\n[ -e {tmp_path}/failed ] && exec {real} "$@"\n'
        f"touch {tmp_path}/failed\nexit 1\n"
    )
    flaky.chmod(0o755)
    monkeypatch.setenv("PACK_SOFFICE", str(flaky))
    profiles = tmp_path / "cache" / "tc-pack"
    with Converters(1) as converters:
        assert converters.convert(Job(rendered, tmp_path / "one.pdf")) > 10
        converter = converters.made[0]
        assert [name for name, *_ in converter.spans].count("LibreOffice started") == 2
        assert converter.restarts == 0  # not a LibreOffice that died on a document
    assert (tmp_path / "failed").exists()
    assert list(profiles.glob("libreoffice-*/libreoffice-0/user"))  # made afresh, and used

    never = tmp_path / "never" / "soffice"
    never.parent.mkdir()
    never.write_text(f"#!/bin/sh\necho started >>{tmp_path}/starts\nexit 1\n")
    never.chmod(0o755)
    monkeypatch.setenv("PACK_SOFFICE", str(never))
    with (
        Converters(1) as converters,
        pytest.raises(ConversionError, match=r"LibreOffice exited \(1\) as it started"),
    ):
        converters.convert(Job(rendered, tmp_path / "two.pdf"))
    assert (tmp_path / "starts").read_text().count("started") == 2  # once more, no more
    assert not (tmp_path / "two.pdf").exists()


@pytest.mark.usefixtures("uno")
def test_a_libreoffice_that_never_answers_is_stopped(
    rendered: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    hang = tmp_path / "soffice"
    hang.write_text("#!/bin/sh\nsleep 600\n")
    hang.chmod(0o755)
    monkeypatch.setenv("PACK_SOFFICE", str(hang))
    monkeypatch.setattr("pipeline.libreoffice.warm.READY_TIMEOUT", 2.0)
    with (
        Converters(1) as converters,
        pytest.raises(ConversionError, match="did not start through UNO"),
    ):
        converters.convert(Job(rendered, tmp_path / "x.pdf"))
    assert not (tmp_path / "x.pdf").exists()
    assert subprocess.run(["pgrep", "-f", str(hang)], capture_output=True).returncode == 1


def test_a_batch_builds_each_pack_and_reports_each_failure(tmp_path: Path) -> None:
    from helpers.packs import make_pack

    good = [make_pack(tmp_path / f"in-{n}", 0, 0, f"University of Batchford {n}") for n in range(3)]
    broken = write_pack(tmp_path / "broken")
    (broken / "answers" / "4-answer.md").unlink()
    out = tmp_path / "build"
    result = CliRunner().invoke(
        cli,
        ["assemble", *map(str, [good[0], broken, *good[1:]]), "--out", str(out), "--date", DATE],
    )
    assert result.exit_code == 1
    assert result.stdout.splitlines() == [
        str(out / f"University-of-Batchford-{n}_January_2027.pdf") for n in range(3)
    ]
    assert f"Error: {broken}: 1 error; nothing was built" in result.stderr
    for n in range(3):
        assert f"University of Batchford {n}" in pdf_text(
            out / f"University-of-Batchford-{n}_January_2027.pdf", 1, 1
        )


def test_watch_rebuilds_when_an_answer_changes(example: Path, tmp_path: Path) -> None:
    out = tmp_path / "build"
    command = [
        sys.executable,
        "-m",
        "pipeline",
        "assemble",
        str(example),
        "--out",
        str(out),
        "--date",
        DATE,
        "--watch",
    ]
    log = tmp_path / "watch.log"  # a file: a full stderr pipe could stall the build
    with log.open("w") as errors:
        process = subprocess.Popen(
            command, stdout=subprocess.PIPE, stderr=errors, text=True, cwd=REPO
        )
    assert process.stdout is not None
    lines = Lines(process.stdout)  # each wait bounded: a build that hangs fails the test
    try:
        assert lines.next(timeout=300).strip() == str(out / f"{STEM}.pdf")
        answer = next((example / "answers").glob("7-*.md"))
        answer.write_text(
            answer.read_text(encoding="utf-8") + "\nWritten while watching.\n", encoding="utf-8"
        )
        assert lines.next(timeout=300).strip() == str(out / f"{STEM}.pdf")
        assert "Written while watching." in pdf_text(out / f"{STEM}.pdf")
    finally:
        process.send_signal(signal.SIGINT)
        process.wait(timeout=30)
        lines.close()
    stderr = log.read_text()
    assert process.returncode == 0, stderr
    assert "stopped watching" in stderr
    assert "Traceback" not in stderr
    said = stderr.split(f"pack: {answer} changed\n", 1)[1].splitlines()
    assert said[:3] == [
        "pack: rendered answer 7 of the Self-assessment form",
        "pack: converting the form with LibreOffice",
        "pack: combining the PDFs",
    ]
    assert re.fullmatch(r"pack: built in \d+\.\d\d s", said[3])
    assert "where the time went" not in stderr  # --timings was not asked for


def test_stage_by_stage_builds_the_same_pack(tmp_path: Path) -> None:
    out = tmp_path / "build"
    runner = CliRunner()
    for arguments in (["render", str(EXAMPLE)], ["convert"], ["combine"]):
        result = runner.invoke(
            cli,
            [
                *arguments,
                "--out",
                str(out),
                *(["--date", DATE] if arguments[0] == "render" else []),
            ],
        )
        assert result.exit_code == 0, result.output
    assert result.stdout == f"{out / f'{STEM}.pdf'}\n"
    assert contents(out / f"{STEM}.pdf")["Appendix C: Data sources and methods"] == str(
        outline(out / f"{STEM}.pdf")["Appendix C: Data sources and methods"]
    )


def test_a_pack_changed_on_disk_is_built_again(example: Path, tmp_path: Path) -> None:
    out = tmp_path / "build"
    assemble(example, out)
    window = Window(2027, 1)
    assert fresh_pack(example, out, window, dt.date(2026, 11, 22), False) is not None
    (out / f"{STEM}.pdf").write_bytes(b"%PDF-1.4 someone else's file")
    assert fresh_pack(example, out, window, dt.date(2026, 11, 22), False) is None
    assert did(assemble(example, out)) == ["combining the PDFs"]


@pytest.mark.usefixtures("uno")
def test_libreoffice_does_not_outlive_a_build_that_dies(rendered: Path, tmp_path: Path) -> None:
    """However the build ends (here: killed outright), its LibreOffice stops with it, and its
    kept profile is free for the next build."""
    script = (
        "import os, signal, sys\n"
        "from pathlib import Path\n"
        "from pipeline.libreoffice.pool import Converters\n"
        "from pipeline.libreoffice.jobs import Job\n"
        "converters = Converters(1)\n"
        f"converters.convert(Job(Path({str(rendered)!r}), Path({str(tmp_path / 'a.pdf')!r})))\n"
        "print(converters.made[0].soffice_pid, flush=True)\n"
        "os.kill(os.getpid(), signal.SIGKILL)\n"
    )
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, cwd=REPO)
    assert done.returncode == -signal.SIGKILL, done.stderr
    assert gone(int(done.stdout.split()[0]))  # its worker saw it go and stopped LibreOffice
    with Converters(1) as converters:  # the profile is free again: a LibreOffice of its own
        assert converters.convert(Job(rendered, tmp_path / "b.pdf")) > 10
        (converter,) = converters.made
        assert isinstance(converter, WarmConverter)
        assert soffice_bin(converter)
