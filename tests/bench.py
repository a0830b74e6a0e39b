"""Benchmark of `pack assemble`: `python -m nox -s bench` (or `python tests/bench.py`).

Every figure is a ratio against a reference taken in the same run on the same machine, so a
busy machine moves both sides; each timing is the median of interleaved repetitions. It builds
the example pack and generated packs (a large one: a 500-row action plan and about 30 pages of
answers) and prints:

- a cold `pack assemble` over a bare `soffice --convert-to pdf` of the same DOCX files, each
  pair run back to back, the median of the pairs' ratios (target at most 1.1); the pack is
  tagged and the bare run is not, so the ratio includes what tagging costs;
- what tagging costs LibreOffice: the bare run exporting tagged PDFs over the bare run;
- a rebuild with nothing changed over a cold build (at most 0.05, and LibreOffice not started);
- a one-answer edit, `pack assemble` run once after it, over a cold build (at most 0.7);
- in `pack assemble --watch`, from saving an edited answer to the updated pack, over a cold
  build (at most 0.3);
- a batch of 10 packs over 10 separate cold builds (at most 0.5);
- in `pack preview`, from saving an edited answer to the changed page in view sent and its
  image fetched, over LibreOffice (warm, in the benchmark's own process) converting that edit's
  form on its own, each pair back to back (at most 1.3);
- the peak memory of the Python process building the large pack (under 100 MB);
- how build time grows with pages, from the example to the large pack (linearly);
- `pack import` of the example's form as `pack render` makes it, in seconds (LibreOffice must
  not be started for a DOCX).

Both sides keep their LibreOffice profile between runs, as a user's LibreOffice does, and
Python keeps its bytecode cache, as it does on any machine where `pack` has run once (an
environment's PYTHONDONTWRITEBYTECODE is not passed on: compiling `pipeline` at every run would
be timed instead). The cold ratio, the headline, is the median of twice as many pairs as the
other figures' repetitions, plus one. The exit status is 1 if a target is missed.
"""

from __future__ import annotations

import http.client
import json
import os
import queue
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from urllib.parse import urlsplit

from helpers.libreoffice import tripwire_soffice
from helpers.packs import REPO, make_pack

DATE = "2026-11-22"
REPS = int(os.environ.get("BENCH_REPS", "7"))
PAIRS = 2 * REPS + 1
"""Back-to-back pairs of a bare soffice run and a cold build: the pairs' ratios spread widely
on a shared machine, so the median of the headline figure takes more of them."""
ENVIRONMENT = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
"""The environment of every run timed: a user's, whose Python caches bytecode."""


def timed(command: list[str], env: dict[str, str] | None = None) -> float:
    start = time.perf_counter()
    done = subprocess.run(
        command, capture_output=True, text=True, env={**ENVIRONMENT, **(env or {})}
    )
    elapsed = time.perf_counter() - start
    if done.returncode != 0:
        raise SystemExit(f"failed: {' '.join(command)}\n{done.stderr}")
    return elapsed


def pack(*arguments: str) -> list[str]:
    return [sys.executable, "-m", "pipeline", *arguments]


def assemble(inputs: Path, out: Path, *more: str) -> list[str]:
    return pack("assemble", str(inputs), "--out", str(out), "--date", DATE, *more)


def watch_edits(inputs: Path, out: Path, reps: int) -> list[float]:
    """Seconds from saving an edited answer to `pack assemble --watch` printing the updated
    pack's path (it prints it once the pack is written), for `reps` edits."""
    process = subprocess.Popen(
        assemble(inputs, out, "--watch"),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=ENVIRONMENT,
    )
    assert process.stdout is not None
    try:
        process.stdout.readline()  # the first build
        answer_file = next((inputs / "answers").glob("5-*.md"))
        found = []
        for rep in range(reps + 1):  # the first edit renders the whole form: not counted
            time.sleep(0.5)
            text = answer_file.read_text(encoding="utf-8") + f"\nAn edit while watching, {rep}.\n"
            start = time.perf_counter()
            answer_file.write_text(text, encoding="utf-8")
            line = process.stdout.readline()
            if not line.strip().endswith(".pdf"):
                raise SystemExit(f"watch failed: {line}{process.stderr.read()}")
            found.append(time.perf_counter() - start)
        return found[1:]
    finally:
        process.send_signal(signal.SIGINT)
        process.communicate(timeout=60)


def _events(address: str, found: queue.Queue[tuple[float, dict[str, object]]]) -> None:
    """Each state `pack preview` sends, with the moment it arrived (a thread)."""
    url = urlsplit(address)
    connection = http.client.HTTPConnection(url.hostname, url.port)
    connection.request("GET", "/events")
    for line in connection.getresponse():
        if line.startswith(b"data: "):
            found.put((time.perf_counter(), json.loads(line[6:])))


def preview_edits(inputs: Path, out: Path, reps: int) -> list[tuple[float, float]]:
    """For `reps` edits of one answer: seconds from the save to `pack preview` having sent the
    changed page in view (its image fetched, as the page fetches it), and seconds LibreOffice,
    kept warm in this process, takes to convert the form that edit made on its own."""
    from pipeline.libreoffice.jobs import Job
    from pipeline.libreoffice.pool import Converters

    process = subprocess.Popen(
        pack("preview", str(inputs), "--out", str(out), "--date", DATE, "--port", "0",
             "--no-browser"),
        stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True, env=ENVIRONMENT,
    )  # fmt: skip
    assert process.stdout is not None
    states: queue.Queue[tuple[float, dict[str, object]]] = queue.Queue()
    address = process.stdout.readline().strip()
    threading.Thread(target=_events, args=(address, states), daemon=True).start()
    url = urlsplit(address)
    answer_file = next((inputs / "answers").glob("5-*.md"))
    pairs = []
    try:
        while not states.get(timeout=300)[1].get("panel"):
            pass  # the first build
        form = next(out.glob("*/*.docx"))
        with Converters(1) as converters:
            for rep in range(reps + 1):  # the first edit renders the whole form: not counted
                time.sleep(0.5)
                text = answer_file.read_text(encoding="utf-8") + f"\nAn edit in preview, {rep}.\n"
                start = time.perf_counter()
                answer_file.write_text(text, encoding="utf-8")
                while True:
                    _, state = states.get(timeout=300)
                    if state["changed"]:
                        break
                image = next(p["image"] for p in state["pages"] if p["n"] == state["focus"])  # type: ignore[attr-defined,index]
                connection = http.client.HTTPConnection(url.hostname, url.port)
                connection.request("GET", f"/page/{image}.png")
                connection.getresponse().read()
                shown = time.perf_counter() - start
                while not states.get(timeout=300)[1].get("panel"):
                    pass  # the build's end
                began = time.perf_counter()
                converters.convert(Job(form, out / "reference.pdf"))
                pairs.append((shown, time.perf_counter() - began))
        return pairs[1:]
    finally:  # SIGTERM unwinds as Ctrl-C does, and is not ignored in a background job
        process.send_signal(signal.SIGTERM)
        process.communicate(timeout=60)


def pages(pdf: Path) -> int:
    from pypdf import PdfReader

    return len(PdfReader(pdf).pages)


def peak_memory(inputs: Path, out: Path) -> float:
    """MB: the most the Python process building `inputs` held (LibreOffice not included)."""
    probe = (
        "import datetime, resource, sys\n"
        "from pathlib import Path\n"
        "from pipeline.stages.assemble import assemble\n"
        f"assemble(Path({str(inputs)!r}), Path({str(out)!r}), datetime.date.fromisoformat({DATE!r}))\n"
        "print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True, env=ENVIRONMENT
    )
    return int(done.stdout.split()[-1]) / 1024


def main() -> int:
    from pipeline.libreoffice.soffice import FILTERS, find_soffice

    soffice = find_soffice()
    work = Path(tempfile.mkdtemp(prefix="pack-bench-"))
    example = make_pack(work / "example", 0, 0, "University of Kelderwick")
    medium = make_pack(work / "medium", 250, 15, "University of Mediumshire")
    large = make_pack(work / "large", 500, 26, "University of Largeshire")
    results: dict[str, object] = {"machine": machine(), "repetitions": REPS, "cold pairs": PAIRS}

    # the DOCX files a cold build converts, for the bare soffice run to convert too
    timed(assemble(example, work / "warm-up"))  # also warms both kept profiles
    docx = sorted(str(p) for p in (work / "warm-up").glob("*/**/*.docx"))
    profile = (work / "soffice-profile").as_uri()
    bare_command = [
        soffice,
        f"-env:UserInstallation={profile}",
        "--headless",
        "--convert-to",
        "pdf",
        "--outdir",
        str(work / "bare"),
        *docx,
    ]
    tagged_command = [*bare_command[:4], FILTERS["pdf"], *bare_command[5:]]
    timed(bare_command)
    cold, bare, tagged = [], [], []
    for rep in range(PAIRS):  # in pairs, back to back, so that a busy spell hits both sides
        bare.append(timed(bare_command))
        cold.append(timed(assemble(example, work / f"cold-{rep}")))
        tagged.append(timed(tagged_command))
    results["bare soffice (s)"] = statistics.median(bare)
    results["bare soffice, tagged PDFs (s)"] = statistics.median(tagged)
    results["cold assemble (s)"] = statistics.median(cold)
    pairs = sorted(c / b for c, b in zip(cold, bare, strict=True))
    paired = statistics.median(pairs)
    results["paired ratios"] = [round(r, 3) for r in pairs]

    # nothing changed: LibreOffice must not even be started (a tripwire stands in for it)
    tripwire = tripwire_soffice(work / "tripwire", soffice)
    noop = [
        timed(assemble(example, work / "cold-0"), {"PACK_SOFFICE": str(tripwire)})
        for _ in range(REPS)
    ]
    results["no-op rebuild (s)"] = statistics.median(noop)
    results["no-op started LibreOffice"] = (tripwire.parent / "tripped").exists()

    edits = []
    for rep in range(REPS):
        answer_file = next((example / "answers").glob("5-*.md"))
        answer_file.write_text(
            answer_file.read_text(encoding="utf-8") + f"\nAn edit, number {rep}.\n",
            encoding="utf-8",
        )
        edits.append(timed(assemble(example, work / "cold-0")))
    results["one-answer edit (s)"] = statistics.median(edits)
    watched = make_pack(work / "watched", 0, 0, "University of Kelderwick")
    results["watch: edit to updated pack (s)"] = statistics.median(
        watch_edits(watched, work / "watch", REPS)
    )
    previewed = make_pack(work / "previewed", 0, 0, "University of Kelderwick")
    shown = preview_edits(previewed, work / "preview", REPS)
    results["preview: edit to page in view (s)"] = statistics.median(s for s, _ in shown)
    results["warm LibreOffice: the form alone (s)"] = statistics.median(w for _, w in shown)
    preview_ratio = statistics.median(s / w for s, w in shown)

    folders = [
        make_pack(work / f"batch-{n}", 0, 0, f"University of Batchford {n}") for n in range(10)
    ]
    separate = sum(timed(assemble(folder, work / "separate")) for folder in folders)
    batch = timed(
        pack("assemble", *map(str, folders), "--out", str(work / "batch"), "--date", DATE)
    )
    results["10 separate builds (s)"] = separate
    results["batch of 10 (s)"] = batch

    # `pack import` of the example's form as rendered: no LibreOffice for a DOCX (a tripwire)
    subprocess.run(pack("render", str(example), "--out", str(work / "form"), "--date", DATE),
                   check=True, capture_output=True)  # fmt: skip
    form = next(p for p in (work / "form").glob("*/*.docx"))
    imports = [
        timed(
            pack("import", str(form), str(work / f"imported-{rep}")),
            {"PACK_SOFFICE": str(tripwire)},
        )
        for rep in range(REPS)
    ]
    results["import of the example form (s)"] = statistics.median(imports)
    results["import started LibreOffice"] = (tripwire.parent / "tripped").exists()

    sizes = {}
    for name, folder in (("example", example), ("medium", medium), ("large", large)):
        runs = [timed(assemble(folder, work / f"size-{name}-{rep}")) for rep in range(3)]
        sizes[name] = (
            statistics.median(runs),
            pages(next((work / f"size-{name}-0").glob("*.pdf"))),
        )
    results["builds by size (s, pages)"] = sizes
    results["peak memory, large pack (MB)"] = peak_memory(large, work / "memory")

    cold_s = float(results["cold assemble (s)"])  # type: ignore[arg-type]
    ratios = {
        "cold / bare soffice (median of paired runs)": (paired, 1.1),
        "bare soffice tagged / untagged (what tagging costs)": (
            statistics.median(t / b for t, b in zip(tagged, bare, strict=True)),
            None,
        ),
        "no-op / cold": (results["no-op rebuild (s)"] / cold_s, 0.05),  # type: ignore[operator]
        "one-answer edit / cold": (results["one-answer edit (s)"] / cold_s, 0.7),  # type: ignore[operator]
        "watch: edit to updated pack / cold": (
            results["watch: edit to updated pack (s)"] / cold_s,  # type: ignore[operator]
            0.3,
        ),
        "batch of 10 / 10 separate": (batch / separate, 0.5),
        "preview: edit to page in view / warm LibreOffice converting the form": (
            preview_ratio,
            1.3,
        ),
    }
    (e_s, e_p), (m_s, m_p), (l_s, l_p) = sizes["example"], sizes["medium"], sizes["large"]
    first, second = (m_s - e_s) / (m_p - e_p), (l_s - m_s) / (l_p - m_p)
    ratios["s/page, medium-to-large / example-to-medium"] = (second / first, None)
    print(f"machine: {results['machine']}")
    for key, value in results.items():
        if key != "machine":
            print(f"  {key}: {value if not isinstance(value, float) else round(value, 3)}")
    missed = []
    for name, (value, target) in ratios.items():
        if target is None:
            print(f"{name}: {value:.3f}")
            continue
        print(
            f"{name}: {value:.3f} (target at most {target})  {'ok' if value <= target else 'MISSED'}"
        )
        if value > target:
            missed.append(name)
    memory = results["peak memory, large pack (MB)"]
    print(
        f"peak memory, large pack: {memory:.0f} MB (target under 100)"
        + ("  ok" if memory < 100 else "  MISSED")
    )  # type: ignore[operator]
    if memory >= 100:  # type: ignore[operator]
        missed.append("memory")
    if results["no-op started LibreOffice"]:
        missed.append("no-op started LibreOffice")
    if results["import started LibreOffice"]:
        missed.append("import started LibreOffice")
    print(
        f"growth: {first:.3f} s/page from the example to the medium pack, {second:.3f} s/page from medium to large"
    )
    (REPO / "build").mkdir(exist_ok=True)
    (REPO / "build" / "bench.json").write_text(
        json.dumps(
            results | {"ratios": {k: v[0] for k, v in ratios.items()}}, indent=2, default=str
        )
    )
    shutil.rmtree(work, ignore_errors=True)
    return 1 if missed else 0


def machine() -> str:
    import platform

    cores = os.cpu_count()
    try:
        memory = int(Path("/proc/meminfo").read_text().split()[1]) // 1024 // 1024
    except (OSError, ValueError, IndexError):
        memory = 0
    from pipeline.libreoffice.soffice import find_soffice

    done = subprocess.run([find_soffice(), "--version"], capture_output=True, text=True)
    office = done.stdout.strip()  # the LibreOffice the build and the bare run use
    return f"{platform.system()} {platform.release()}, {cores} cores, {memory} GiB, Python {platform.python_version()}, {office}"


if __name__ == "__main__":
    sys.exit(main())
