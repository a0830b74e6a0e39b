"""LibreOffice started the same way by every converter: its profile (macros off, links never
updated, no network, no first-start wizard), its command line and environment (no display, the
same time zone and locale everywhere), its time limits, and the pipe it listens on. Standard
library only: the pipeline imports it (`warm`, `soffice`) and so does `worker`, which runs in
LibreOffice's own Python and can import nothing of the pipeline but this file, beside it."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import time
from pathlib import Path

# Macro security "very high" with macros disabled; Writer never updates links on load
# (com.sun.star.document.LinkUpdateModes.NEVER); no first-start wizard.
SETTINGS = (
    # macro security "very high", macros disabled
    ("/org.openoffice.Office.Common/Security/Scripting", "MacroSecurityLevel", "3"),
    ("/org.openoffice.Office.Common/Security/Scripting", "DisableMacrosExecution", "true"),
    # Writer never updates links on load (com.sun.star.document.LinkUpdateModes.NEVER)
    ("/org.openoffice.Office.Writer/Content/Update", "Link", "0"),
    # links that would take LibreOffice elsewhere refused; no network: every protocol goes
    # through a proxy on a port where nothing listens (the discard port, closed)
    ("/org.openoffice.Office.Common/Security/Scripting", "BlockUntrustedRefererLinks", "true"),
    ("/org.openoffice.Inet/Settings", "ooInetProxyType", "1"),
    ("/org.openoffice.Inet/Settings", "ooInetNoProxy", ""),
    *(
        ("/org.openoffice.Inet/Settings", f"ooInet{scheme}Proxy{field}", value)
        for scheme in ("HTTP", "HTTPS", "FTP")
        for field, value in (("Name", "127.0.0.1"), ("Port", "9"))
    ),
    # no lock files beside the documents (a killed build would leave them)
    ("/org.openoffice.Office.Common/Misc", "UseLocking", "false"),
    # no first-start wizard
    ("/org.openoffice.Setup/Office", "ooSetupInstCompleted", "true"),
    ("/org.openoffice.Office.Common/Misc", "FirstRun", "false"),
)
"""(path, property, value) that every LibreOffice started here runs with."""
_HEAD = (
    '<?xml version="1.0" encoding="UTF-8"?>\n<oor:items xmlns:oor="http://openoffice.org/2001/registry"'
    ' xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">\n'
)
_ITEM = re.compile(r'<item oor:path="([^"]*)"><prop oor:name="([^"]*)"')
FILTERS = {"pdf": "writer_pdf_Export", "docx": "MS Word 2007 XML"}
PDF_OPTIONS = {"UseTaggedPDF": True, "PDFUACompliance": True}
"""writer_pdf_Export's options: a tagged PDF, as PDF/UA asks (its title shown by viewers is the
filter's default)."""
HEADLESS = ("--headless", "--invisible", "--nologo", "--nodefault", "--norestore", "--nolockcheck")
"""How LibreOffice is started here: no window, no start centre, no recovery, no lock check."""
STEADY = {"SAL_USE_VCLPLUGIN": "svp", "TZ": "UTC", "LC_ALL": "C.UTF-8", "LANGUAGE": ""}
"""LibreOffice's environment beside its own HOME: no display, and the same time zone and
locale on every machine, so that a document's date fields and default language do not depend
on where it is built."""
# LibreOffice's time limits, one set for the warm and the cold converter alike:
CONNECT_TIMEOUT = 60.0
"""Seconds LibreOffice may take from its start to accepting a connection on its pipe."""
DOCUMENT_TIMEOUT = 90.0
"""Seconds one document may take to load, update and export."""
COLD_START_TIMEOUT = 120.0
"""Seconds a cold `soffice --convert-to` run may take beyond its documents' own."""


def write_profile(folder: Path, author: str = "") -> Path:
    """A LibreOffice profile in `folder` with `SETTINGS` (and `author` naming tracked changes).

    A profile LibreOffice has used keeps what it recorded about itself (a profile it must set
    up again costs it a fifth of a second at every start): `SETTINGS` replace their own entries
    among its own, one item a line as LibreOffice writes them, so they always win."""
    wanted = list(SETTINGS)
    if author:
        given, _, family = author.partition(" ")
        wanted += [("/org.openoffice.UserProfile/Data", "givenname", given)]
        wanted += [("/org.openoffice.UserProfile/Data", "sn", family)]
    ours = {(path, name) for path, name, _ in wanted}
    path = folder / "user" / "registrymodifications.xcu"
    try:
        kept = [
            line
            for line in path.read_text(encoding="utf-8").splitlines()
            if line.startswith("<item ") and (m := _ITEM.match(line)) and (m[1], m[2]) not in ours
        ]
    except (OSError, UnicodeDecodeError):
        kept = []
    items = [
        f'<item oor:path="{p}"><prop oor:name="{n}" oor:op="fuse"><value>{_xml(v)}</value></prop></item>'
        for p, n, v in wanted
    ]
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(_HEAD + "\n".join(kept + items) + "\n</oor:items>\n", encoding="utf-8")
    return folder


def _xml(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def launcher(soffice: str) -> str:
    """The command that starts LibreOffice. On Linux `soffice` is a shell script that finds
    its own folder (six programs run to follow its links), offers debugging options, and runs
    `oosplash` from there, which starts soffice.bin (again, when it asks to be restarted):
    oosplash is started directly, as the script would with no options, 0.05 s sooner. Anything
    else (macOS's soffice, a wrapper, a script that reads a settings file) is started as it is."""
    found = Path(os.path.realpath(shutil.which(soffice) or soffice))
    splash = found.parent / "oosplash"
    try:
        script = found.name == "soffice" and found.read_bytes()[:2] == b"#!"
    except OSError:
        script = False
    if script and os.access(splash, os.X_OK) and not (found.parent / "ooenv").exists():
        return str(splash)
    return soffice


LAUNCHER_ENVIRONMENT = {"SAL_ENABLE_FILE_LOCKING": "1"}
"""What LibreOffice's `soffice` script sets before it runs oosplash."""


def pipe_socket(pipe: str) -> Path:
    """The socket LibreOffice listens on for `pipe`: sal's pipes live in /tmp, wherever TMPDIR
    points. A LibreOffice that is killed (as every one started here is, in the end) leaves it
    behind, one for every build, unless whoever stopped it removes it."""
    return Path("/tmp") / f"OSL_PIPE_{os.getuid()}_{pipe}"


def start_office(
    soffice: str,
    work: Path,
    profile: Path,
    process_group: int | None = None,
    keep: tuple[int, ...] = (),
) -> tuple[subprocess.Popen[bytes], str]:
    """Start LibreOffice listening on a private pipe; (its process, the pipe's name).

    `process_group` 0 makes a new group (the caller's way to stop it and all it starts);
    `keep` are file descriptors LibreOffice inherits (the lock on its profile)."""
    pipe = f"tcpack{os.getpid()}x{time.monotonic_ns()}"
    process = subprocess.Popen(
        [
            launcher(soffice),
            f"-env:UserInstallation={profile.as_uri()}",
            *HEADLESS,
            f"--accept=pipe,name={pipe};urp;",
        ],
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        env={**os.environ, **LAUNCHER_ENVIRONMENT, "HOME": str(work), **STEADY},
        cwd=work,
        process_group=process_group,
        pass_fds=keep,
    )
    return process, pipe


def uno_pythons(soffice: str) -> list[str]:
    """Pythons that may have `uno`: $PACK_UNO_PYTHON, LibreOffice's own (official builds bring
    one, and their `uno` is built for it), the system python3."""
    configured = os.environ.get("PACK_UNO_PYTHON")
    if configured:
        return [configured]
    program = _program(soffice)
    return [p for p in (str(program / "python"), "/usr/bin/python3") if shutil.which(p)]


def _program(soffice: str) -> Path:
    return Path(os.path.realpath(shutil.which(soffice) or soffice)).parent


def uno_environment(soffice: str) -> dict[str, str]:
    """The worker's environment for the `uno` of this LibreOffice, wherever it is installed.

    A Python finds one `uno` on its own path: on Debian, python3-uno's, which names
    /usr/lib/libreoffice. A LibreOffice installed elsewhere (unpacked into a folder, a second
    version beside the system's) needs its own: its program folder (where `pyuno` lives, and
    `uno.py` in official builds) first on PYTHONPATH, with the folder Debian's python3-uno
    puts `uno.py` in (`lib/python3/dist-packages` beside `lib/libreoffice`) where it has one;
    and URE_BOOTSTRAP naming its `fundamentalrc`, which the worker bootstraps `pyuno` from
    before `uno` is imported (Debian's `uno.py` sets its own). Nothing is changed for a Python
    named by $PACK_UNO_PYTHON, or where the program's folder is not a LibreOffice program
    folder (a wrapper script)."""
    program = _program(soffice)
    settings = program / "fundamentalrc"
    if os.environ.get("PACK_UNO_PYTHON") or not settings.is_file():
        return {}  # a Python named by the user: its own `uno`, as it is
    folders = [program]
    debian = program.parent.parent / "python3" / "dist-packages"
    if not (program / "uno.py").is_file() and (debian / "uno.py").is_file():
        folders.append(debian)
    given = os.environ.get("PYTHONPATH")
    return {
        "PYTHONPATH": os.pathsep.join([*map(str, folders), *([given] if given else [])]),
        "URE_BOOTSTRAP": f"vnd.sun.star.pathname:{settings}",
    }
