"""The `pack` program's entry point.

LibreOffice's start is the slow part of a build, so for a plain `pack assemble` it is started
here, before the command line's own modules (click among them) are imported; and a plain
`pack assemble` with nothing to do is answered here, without them.
Only the standard library and light modules are imported before that. Anything this does not
recognise at a glance (`--watch`, help, several folders, an option it does not know) is left to
the command line, which starts LibreOffice itself; this only ever starts it earlier, never
decides anything the command line would decide differently.
"""

from __future__ import annotations

import datetime as dt
import os
import sys
from pathlib import Path

_VALUES = ("--out", "--date", "--window")


def _assemble_options(argv: list[str]) -> dict[str, str] | None:
    """`pack assemble`'s options if `argv` is a plain one (one folder, no --watch); else None."""
    if argv[:1] != ["assemble"]:
        return None
    found: dict[str, str] = {}
    folders = []
    words = iter(argv[1:])
    for word in words:
        name, equals, value = word.partition("=")
        if name in _VALUES:
            found[name] = value if equals else next(words, "")
        elif word in ("--draft", "--accept-changes", "--timings", "-v"):
            found[word] = "yes"
        elif word.startswith("-"):
            return None  # --watch, -h, or anything else: the command line's business
        else:
            folders.append(word)
    if len(folders) > 1:
        return None
    if folders:
        found["inputs"] = folders[0]
    else:
        from pipeline.settings import default_inputs

        found["inputs"] = str(default_inputs(Path.cwd()))
    return found


def _built_in(out: Path) -> bool:
    """Whether a pack was built in `out` before (a folder there holds a manifest): where none
    was, nothing there is up to date, and LibreOffice is started without asking."""
    try:
        with os.scandir(out) as entries:
            return any(
                entry.is_dir() and os.path.isfile(os.path.join(entry.path, "manifest.json"))
                for entry in entries
            )
    except OSError:
        return False


def start_early(argv: list[str]) -> None:
    """For a `pack assemble` with nothing to do, say so and end; for one that will need
    LibreOffice, start it now."""
    options = _assemble_options(argv)
    if options is None:
        return
    from pipeline.errors import PackError

    out = Path(options.get("--out", "build"))
    if _built_in(out):
        from pipeline.incremental.up_to_date import announce, fresh_pack
        from pipeline.window import parse_window, window_for

        try:
            today = (
                dt.date.fromisoformat(options["--date"]) if "--date" in options else dt.date.today()
            )
            window = (
                parse_window(options["--window"]) if "--window" in options else window_for(today)
            )
            found = fresh_pack(
                Path(options["inputs"]),
                out,
                window,
                today,
                "--draft" in options,
                "--accept-changes" in options,
            )
        except (ValueError, OSError, PackError):
            return  # the command line will say what is wrong
        if found is not None:  # nothing to build: said as the command line says it, and done
            announce(found, lambda line: print(line), lambda line: print(line, file=sys.stderr))
            sys.stdout.flush()
            sys.stderr.flush()
            os._exit(0)
    from pipeline.libreoffice.pool import Converters, hand_over

    converters = Converters(1)
    try:
        converters.start()
    except PackError:
        return  # no LibreOffice: the build says so when a document needs it
    hand_over(converters)


def main() -> None:
    from pipeline import timings

    timings.begin()  # --timings counts from here
    try:
        start_early(sys.argv[1:])
        from pipeline.cli import main as run
    except KeyboardInterrupt:  # Ctrl-C before the command line took over: 130, as it says
        if "pipeline.libreoffice.pool" in sys.modules:
            from pipeline.libreoffice.pool import close_all

            close_all()
        print("\npack: interrupted; nothing was replaced", file=sys.stderr)
        sys.stderr.flush()
        os._exit(130)
    run()
