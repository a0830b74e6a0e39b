"""Packs the tests build: a small valid pack written out in full, copies of the example, packs
generated to a size (for the batch test and the benchmark), and files hostile in small ways."""

from __future__ import annotations

import datetime as dt
import random
import shutil
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
EXAMPLE = REPO / "inputs"
TODAY = dt.date(2026, 11, 22)

QUESTIONS = [
    "Question 1: Profile of the organisation",
    "Question 2: How the organisation defines its technicians",
    "Question 3: Number and structure of technicians",
    "Question 4: Initiatives before signing",
    "Question 5: Initiatives since signing",
    "Question 6: The 24-month action plan",
    "Question 7: The technician voice",
    "Question 8: Publication on the website",
]
"""The initial self-assessment's question headings, as the form shows them."""
PROMPTS = [
    "To provide some context, please provide a brief profile of your organisation.",
    "Please tell us how your organisation defines its technicians.",
    "How many technicians are there in your organisation? Please provide some information on "
    "where they are based and/or how they are structured (in terms of "
    "subject/discipline/department).",
    "Please provide details of initiatives/programmes/activities that were already in place for "
    "the technical community within your organisation prior to becoming a signatory of the "
    "Technician Commitment.",
    "The Technician Commitment aims to ensure visibility, recognition, career development and "
    "sustainability for technical staff across higher education and research. Please tell us of "
    "any initiatives your organisation has put in place to address these themes since becoming "
    "a signatory of the Technician Commitment.",
    "Please provide a 24-month action plan, detailing future plans to ensure your institution "
    "addresses the themes of the Technician Commitment and details of how impact will be "
    "evidenced. This may be detailed here or attached to this document as an appendix.",
    "Please evidence how the 'technician voice' was present in the development and formation of "
    "the institutional action plan.",
    "Please confirm that your Technician Commitment status and action plan is published on your "
    "organisation's website and provide the relevant URL below.",
]
"""Its prompts, in the same order, word for word."""

PACK_TOML = """\
institution = "University of Testshire"
framework = "initial"
date_joined = 2025-05-14
website = "https://www.testshire.example/technicians"

[lead]
name = "Dr Ada Lead"
email = "a.lead@testshire.example"

[leader]
name = "Professor Ben Leader"
role = "Vice-Chancellor"

[signoff]
lead = 2026-11-02
leader = 2026-11-09
"""

PLAN_CSV = """\
Goal,Actions,Success measures,Year,Theme Alignment,Research,Education
"Visibility: Make technicians visible",,,,,,
V1: Seen across the campus,Publish a technician directory,Directory live with 90% of staff,2027,,x,
,Hold an open day,Two open days a year,All,Recognition,,x
"Recognition: Professional registration",,,,,,
R1: Registered technicians,Fund registration fees,50 registrations,2028,,X,x
"Career Development: Clear pathways",,,,,,
CD1: Documented pathways,Write role profiles,Profiles for every grade,2027/2028,,,
"Sustainability: Skills that last",,,,,,
S1: Apprentices,Recruit apprentices,Ten apprentices hired,All,,x,
"""


def write_pack(root: Path) -> Path:
    """A small valid pack written by the test itself."""
    (root / "answers").mkdir(parents=True)
    (root / "appendices").mkdir()
    (root / "pack.toml").write_text(PACK_TOML, encoding="utf-8")
    for number in range(1, 9):
        (root / "answers" / f"{number}-answer.md").write_text(
            f"Answer {number}: our technicians, **bold** and *italic*.\n\n- first\n- second\n",
            encoding="utf-8",
        )
    (root / "answers" / "8-answer.md").write_text(
        "Published at https://www.testshire.example/technicians.\n", encoding="utf-8"
    )
    (root / "action-plan.csv").write_text(PLAN_CSV, encoding="utf-8")
    (root / "appendices" / "1-survey.md").write_text(
        "# Survey of technicians\n\nNinety per cent replied.\n", encoding="utf-8"
    )
    return root


def wide_png(width: int, height: int) -> bytes:
    """A valid one-colour PNG, written without an imaging library."""
    import struct
    import zlib

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
        )

    row = b"\x00" + b"\x80\x80\x80" * width
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(row * height))
        + chunk(b"IEND", b"")
    )


def encrypted_pdf(path: Path, user_password: str) -> Path:
    """A one-page PDF encrypted with RC4 (which pypdf opens without extra libraries)."""
    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(595, 842)
    writer.encrypt(user_password=user_password, owner_password="owner", algorithm="RC4-128")
    with path.open("wb") as handle:
        writer.write(handle)
    return path


WORDS = [
    "technicians",
    "laboratory",
    "workshop",
    "facility",
    "training",
    "apprentices",
    "registration",
    "network",
    "career",
    "pathway",
    "recognition",
    "visibility",
    "sustainability",
    "survey",
    "faculty",
    "equipment",
    "support",
    "research",
    "teaching",
    "development",
    "skills",
    "expertise",
    "role",
    "grade",
    "progression",
    "mentoring",
    "review",
    "committee",
    "report",
    "evidence",
    "action",
    "measure",
    "goal",
    "theme",
    "university",
    "staff",
    "community",
    "plan",
]


def words(rng: random.Random, count: int) -> str:
    text = " ".join(rng.choice(WORDS) for _ in range(count))
    return text[0].upper() + text[1:] + "."


def answer(rng: random.Random, pages: float) -> str:
    """Markdown of about `pages` pages: paragraphs, a list, a table, emphasis."""
    blocks = []
    written = 0.0
    while written < pages:
        blocks.append(f"{words(rng, 60)} **{words(rng, 4)}** {words(rng, 50)}")
        blocks.append("\n".join(f"- {words(rng, 12)}" for _ in range(4)))
        rows = "\n".join(
            f"| {words(rng, 3)} | {rng.randint(1, 400)} | {words(rng, 8)} |" for _ in range(5)
        )
        blocks.append(f"| Area | Count | Notes |\n|:--|--:|:--|\n{rows}")
        written += 0.5
    return "\n\n".join(blocks) + "\n"


def make_pack(root: Path, actions: int, answer_pages: float, name: str, seed: int = 7) -> Path:
    """A pack like the example, with `actions` plan rows and about `answer_pages` pages of
    answers (question 1 keeps to its 250 words)."""
    rng = random.Random(seed)
    shutil.copytree(EXAMPLE, root)
    toml = (root / "pack.toml").read_text(encoding="utf-8")
    (root / "pack.toml").write_text(
        toml.replace('institution = "University of Kelderwick"', f'institution = "{name}"'),
        encoding="utf-8",
    )
    if actions == 0:
        return root
    for path in (root / "answers").glob("[2-7]-*.md"):
        path.write_text(answer(rng, answer_pages / 6), encoding="utf-8")
    themes = [
        ("V", "Visibility", "Make technicians visible"),
        ("R", "Recognition", "Recognise technicians' work"),
        ("CD", "Career Development", "Clear career pathways"),
        ("S", "Sustainability", "Skills that last"),
    ]
    lines = ["Goal,Actions,Success measures,Year,Theme Alignment,Education,Research,People"]
    per_theme = actions // len(themes)
    for code, theme, aim in themes:
        lines.append(f'"{theme}: {aim}",,,,,,,')
        for row in range(per_theme):
            goal = f'"{code}{row // 25 + 1}: {words(rng, 5)}"' if row % 25 == 0 else ""
            year = rng.choice(["2027", "2028", "2027/2028", "All"])
            ticks = ",".join(rng.choice(["x", ""]) for _ in range(3))
            lines.append(f'{goal},"{words(rng, 14)}","{words(rng, 10)}",{year},,{ticks}')
    (root / "action-plan.xlsx").unlink()
    (root / "action-plan.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return root


def png_header(width: int, height: int) -> bytes:
    """A PNG that declares `width` x `height` pixels (its data is a single row)."""
    import struct
    import zlib

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
        )

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(b"\x00" * 4))
        + chunk(b"IEND", b"")
    )


def built_example(root: Path) -> tuple[Path, Path, str]:
    """The example inputs copied into `root` and built there by the real LibreOffice, dated
    `TODAY`: (the inputs, the build folder, what `pack assemble` printed)."""
    import shutil

    from click.testing import CliRunner

    from pipeline.cli import cli

    inputs = Path(shutil.copytree(EXAMPLE, root / "inputs"))
    out = root / "build"
    result = CliRunner().invoke(
        cli, ["assemble", str(inputs), "--out", str(out), "--date", str(TODAY)]
    )
    assert result.exit_code == 0, result.output
    return inputs, out, result.stdout
