"""Sessions: `tests`, `lint` and `typecheck` by default; `assemble`, `bench` and `libreoffice74`
(the LibreOffice tests against LibreOffice 7.4) on demand.

`assemble` and `tests` first make sure the machine has what the build needs beyond Python
(LibreOffice, the fonts the template names, poppler's pdftotext): as root on Debian they
install it with apt-get; elsewhere they say exactly what to install.
"""

from __future__ import annotations

import os
import shutil
import subprocess

import nox

nox.options.sessions = ["lint", "typecheck", "tests", "minimums"]
nox.options.reuse_existing_virtualenvs = True
# A plain path entry, not setuptools' import hook: the hook costs every `pack` run 17 ms, a
# third of a rebuild where nothing changed.
EDITABLE = ["--config-settings", "editable_mode=compat", "-e"]

LIBREOFFICE = [
    "libreoffice-writer-nogui",
    "python3-uno",  # drives LibreOffice through UNO: the warm converter, reviewers' edits in tests
]
"""LibreOffice: 25.2 (Debian 13's), from bookworm-backports on Debian 12; the release's own
elsewhere. 7.4 (Debian 12's own) is still checked: the `libreoffice74` session, on a machine
that has it."""
BACKPORTS = "deb http://deb.debian.org/debian bookworm-backports main"
DEBIAN_PACKAGES = [
    "fonts-liberation",  # Liberation Sans/Serif/Mono: metric-compatible Arial, Times, Courier New
    "fonts-crosextra-carlito",  # Carlito: metric-compatible Calibri, the template's font
    "fonts-crosextra-caladea",  # Caladea: metric-compatible Cambria
    # fallbacks, so that every script an answer may hold is drawn, not shown as boxes:
    "fonts-droid-fallback",  # Chinese, Japanese, Korean
    "fonts-lohit-deva",  # Devanagari
    "fonts-symbola",  # emoji, in one colour (LibreOffice 7.4 cannot draw colour emoji into PDF)
    "poppler-utils",  # pdftotext, pdftoppm: the tests read the PDF back
    "faketime",  # the tests build the same pack at another date and time: same bytes
    "pandoc",  # tests/test_pandoc.py compares our Word output with pandoc's
]
TEST_PACKAGES = [
    "chromium",  # the tests drive `pack preview`'s page in it, through Playwright (its own
    # browser download is never used: the tests name this one)
]
FONTS = ["Carlito", "Liberation Mono", "Droid Sans Fallback", "Lohit Devanagari", "Symbola"]


def _missing(testing: bool) -> list[str]:
    missing = []
    if testing and not shutil.which("chromium"):
        missing.append("Chromium")
    if not (shutil.which("soffice") or shutil.which("libreoffice")):
        missing.append("LibreOffice")
    if not shutil.which("pdftotext"):
        missing.append("pdftotext")
    if not shutil.which("faketime"):
        missing.append("faketime")
    if not shutil.which("pandoc"):
        missing.append("pandoc")
    if not any(
        shutil.which(python)
        and subprocess.run([python, "-c", "import uno"], capture_output=True).returncode == 0
        for python in ("/usr/bin/python3", "python3")
    ):
        missing.append("LibreOffice's Python module uno")
    if shutil.which("fc-list"):
        families = subprocess.run(["fc-list", ":", "family"], capture_output=True, text=True).stdout
        missing += [font for font in FONTS if font not in families]
    else:
        missing.append("fontconfig")
    return missing


def system_packages(session: nox.Session, testing: bool = False) -> None:
    """Install LibreOffice, fonts and poppler (and for the tests Chromium) when missing (root
    on Debian), else explain."""
    missing = _missing(testing)
    if not missing:
        return
    packages = [*LIBREOFFICE, *DEBIAN_PACKAGES, *(TEST_PACKAGES if testing else [])]
    command = ["apt-get", "install", "-y", "--no-install-recommends", *packages]
    if shutil.which("apt-get") and os.geteuid() == 0:
        session.log(f"installing {', '.join(missing)} with apt-get")
        env = {"DEBIAN_FRONTEND": "noninteractive"}
        backports = _bookworm() and ["-t", "bookworm-backports"]
        if backports:
            with open("/etc/apt/sources.list.d/bookworm-backports.list", "w") as sources:
                sources.write(BACKPORTS + "\n")
        session.run("apt-get", "update", "-qq", external=True, env=env)
        if backports:
            install = command[:4]
            session.run(*install, *backports, *LIBREOFFICE, "-qq", external=True, env=env)
        session.run(*command, "-qq", external=True, env=env)
        return
    session.error(
        f"missing {', '.join(missing)}. Install it, then run this again:\n"
        f"  Debian/Ubuntu: sudo {' '.join(command)}\n"
        "  Fedora: sudo dnf install libreoffice-writer libreoffice-pyuno liberation-fonts google-carlito-fonts poppler-utils\n"
        "  macOS: brew install --cask libreoffice && brew install poppler"
    )


CONSTRAINTS = "constraints.txt"
"""The library versions the suite runs against, which institutions' CI can pin (README)."""
AT_MINIMUM = ("markdown-it-py", "mdit-py-plugins", "linkify-it-py")
"""Libraries whose lowest version pyproject.toml allows is tested too (`minimums`)."""


def _bookworm() -> bool:
    """Debian 12, whose own LibreOffice (7.4) is not the one the tool is tested with first."""
    try:
        with open("/etc/os-release") as release:
            return "VERSION_CODENAME=bookworm" in release.read()
    except OSError:
        return False


@nox.session
def tests(session: nox.Session) -> None:
    """The test suite, LibreOffice and Chromium included, with the libraries of constraints.txt."""
    system_packages(session, testing=True)
    session.install("-c", CONSTRAINTS, *EDITABLE, ".[test]")
    session.run("pytest", *session.posargs)


@nox.session
def minimums(session: nox.Session) -> None:
    """The suite without LibreOffice, with the Markdown libraries at the lowest versions
    pyproject.toml allows: they parse differently from one version to the next."""
    import tomllib

    with open("pyproject.toml", "rb") as handle:
        declared = tomllib.load(handle)["project"]["dependencies"]
    lowest = [d.split(";")[0].replace(">=", "==") for d in declared if d.startswith(AT_MINIMUM)]
    session.install(*EDITABLE, ".[test]", *lowest)
    session.run("pytest", "-m", "not libreoffice", *session.posargs)


@nox.session
def libreoffice74(session: nox.Session) -> None:
    """The LibreOffice tests against LibreOffice 7.4, Debian 12's own, installed on this machine
    (CI installs 25.2: this is run where 7.4 is the LibreOffice)."""
    system_packages(session, testing=True)
    session.install("-c", CONSTRAINTS, *EDITABLE, ".[test]")
    soffice = shutil.which("soffice") or shutil.which("libreoffice") or "soffice"
    version = subprocess.run([soffice, "--version"], capture_output=True, text=True).stdout
    if " 7.4." not in version:
        session.error(
            f"this session checks LibreOffice 7.4; the one installed says {version.strip()!r}. "
            "On Debian 12: apt-get install --allow-downgrades -t bookworm libreoffice-writer-nogui "
            "python3-uno"
        )
    session.run("pytest", "-m", "libreoffice", *session.posargs)


@nox.session
def lint(session: nox.Session) -> None:
    """ruff check and ruff format --check."""
    session.install("ruff")
    session.run("ruff", "check", "pipeline", "tests", "noxfile.py", "templates")
    session.run("ruff", "format", "--check", "pipeline", "tests", "noxfile.py", "templates")


@nox.session
def typecheck(session: nox.Session) -> None:
    """mypy --strict on the package."""
    session.install("-e", ".", "mypy", "types-openpyxl")
    session.run("mypy")


@nox.session
def assemble(session: nox.Session) -> None:
    """Build the example pack (or pass arguments: nox -s assemble -- inputs/ --date 2027-03-10)."""
    system_packages(session)
    session.install(*EDITABLE, ".")
    session.run("pack", "assemble", *session.posargs)


@nox.session
def bench(session: nox.Session) -> None:
    """Time builds against a bare soffice run, as ratios (see tests/bench.py)."""
    system_packages(session)
    session.install(*EDITABLE, ".")
    session.run("python", "tests/bench.py", *session.posargs)
