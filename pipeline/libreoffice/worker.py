"""LibreOffice kept running and driven through UNO. Runs in the Python that has LibreOffice's
`uno` module (on Debian the system python3, with python3-uno), so it imports only the standard
library, `uno` and `office` beside it (how LibreOffice is started): the pipeline itself never
imports it, it starts it (`pipeline.libreoffice.warm`). No module beside it may be called
`uno`: as a script its folder comes first on `sys.path`.

As a program (`python3 worker.py PIPE`, with LibreOffice started by `start_office`
listening on PIPE) it serves requests, one JSON object per line on stdin, each answered by one
line on stdout:

    {"op": "convert", "source": "a.docx", "target": "a.docx", "format": "docx"}  ->  {"ok": true}
    {"op": "pack", "parts": [{"source": "form.docx", "target": "form.pdf", "fill": {"⟦B⟧": 2}},
     {"pages": 2}, {"source": "c.docx", "target": "c.pdf"}]}  ->  {"ok": true, "pages": [12, 2, 1]}
    {"op": "quit"}

`convert` loads the document (macros never run, links never updated), updates its indexes
and saves it (as a reviewer's LibreOffice would, or as PDF).
`pack` converts the documents of one pack numbered as one document: each part given by its
source is loaded and laid out, parts given by their page count (converted earlier, or PDF
appendices) keep their place, and then each loaded part is numbered and exported: its page
numbers start where it starts in the pack, its page-count fields show the pack's total, and
each `fill` placeholder shows the first page of the part it names (by index). Placeholders sit on
a page of their own (the contents), so filling them in moves nothing else.
A `pack` request may ask for some of the pack's pages first (`"first": [5, 7]`, the page in
view in `pack preview`): once every part is numbered, those pages are exported on their own to
each holding part's `"first"` target, and a line says so (`{"ok": true, "first": 0, "page": 5}`:
the part, the pack's number of the file's first page) before the parts are exported whole.
PDFs are exported tagged (PDF/UA): headings, tables, lists, figures with their alternative text,
the document's language.

A LibreOffice that dies is reported as `{"ok": false, "dead": true}`, and the worker exits:
whoever started it starts another.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

if __package__:  # imported by the pipeline (its tests)
    from pipeline.libreoffice import office
else:  # run as a script by LibreOffice's Python: its folder is first on sys.path
    import office  # type: ignore[import-not-found,no-redef]

CONNECT_TIMEOUT, FILTERS, PDF_OPTIONS = office.CONNECT_TIMEOUT, office.FILTERS, office.PDF_OPTIONS
pipe_socket, start_office, write_profile = (
    office.pipe_socket,
    office.start_office,
    office.write_profile,
)


def bootstrap() -> None:
    """UNO started from the LibreOffice driven, where the caller names it (URE_BOOTSTRAP, see
    `office.uno_environment`): once made, the context stays, whatever a `uno.py` imported
    later sets (Debian's names the system's LibreOffice)."""
    if os.environ.get("URE_BOOTSTRAP"):
        import pyuno

        pyuno.getComponentContext()


class Office:
    """One LibreOffice, listening on a private pipe, and the connection to it."""

    def __init__(self, pipe: str, process: subprocess.Popen[bytes] | None = None) -> None:
        bootstrap()
        import uno
        from com.sun.star.connection import NoConnectException

        self.process, self.pipe = process, pipe
        local = uno.getComponentContext()
        resolver = local.ServiceManager.createInstanceWithContext(
            "com.sun.star.bridge.UnoUrlResolver", local
        )
        deadline = time.monotonic() + CONNECT_TIMEOUT
        while True:
            try:
                context = resolver.resolve(f"uno:pipe,name={pipe};urp;StarOffice.ComponentContext")
                break
            except NoConnectException:
                died = process is not None and process.poll() is not None
                if died or time.monotonic() > deadline:
                    if process is not None:
                        process.kill()
                        pipe_socket(pipe).unlink(missing_ok=True)
                    raise RuntimeError("LibreOffice did not start") from None
                time.sleep(0.005)
        self.manager = context.ServiceManager
        """LibreOffice's service manager, for anything beyond loading and saving."""
        self.desktop = self.manager.createInstanceWithContext("com.sun.star.frame.Desktop", context)

    @classmethod
    def start(
        cls, soffice: str, work: Path, author: str = "", profile: Path | None = None
    ) -> Office:
        """Start a LibreOffice of its own (profile in `work` unless given) and connect."""
        process, pipe = start_office(
            soffice, work, write_profile(profile or work / "profile", author)
        )
        return cls(pipe, process)

    def alive(self) -> bool:
        """Whether LibreOffice still answers (after a failure: the document's fault, or its?)."""
        try:
            self.desktop.getComponents()
        except Exception:  # any error of a bridge whose other end is gone
            return False
        return True

    def load(self, path: Path) -> Any:
        """Open a document hidden, never running its macros or updating its links."""
        import uno

        document = self.desktop.loadComponentFromURL(
            uno.systemPathToFileUrl(str(path.resolve())),
            "_blank",
            0,
            _properties(Hidden=True, MacroExecutionMode=0, UpdateDocMode=0, ReadOnly=False),
        )
        if document is None or not hasattr(document, "getText"):
            if document is not None:
                document.close(True)
            raise ValueError(f"{path}: LibreOffice cannot open it as a text document")
        return document

    def save(self, document: Any, target: Path, form: str, pages: str = "") -> None:
        """Save as `form`; a PDF of the `pages` given ("5-7", counted from the document's first
        page whatever its numbers say), or of every page."""
        import uno

        options: dict[str, Any] = {"FilterName": FILTERS[form]}
        if form == "pdf":
            wanted = {**PDF_OPTIONS, **({"PageRange": pages} if pages else {})}
            options["FilterData"] = uno.Any(
                "[]com.sun.star.beans.PropertyValue", _properties(**wanted)
            )
        document.storeToURL(uno.systemPathToFileUrl(str(target.resolve())), _properties(**options))

    def close(self) -> None:
        """Stop LibreOffice (and anything it started)."""
        with contextlib.suppress(Exception):  # it may be gone already: any bridge error
            self.desktop.terminate()
        if self.process is None:
            return  # not ours to wait for
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        pipe_socket(self.pipe).unlink(missing_ok=True)


def _properties(**values: Any) -> tuple[Any, ...]:
    from com.sun.star.beans import PropertyValue

    found = []
    for name, value in values.items():
        prop = PropertyValue()
        prop.Name, prop.Value = name, value
        found.append(prop)
    return tuple(found)


def _update_indexes(document: Any) -> None:
    indexes = document.getDocumentIndexes()
    for index in range(indexes.getCount()):
        indexes.getByIndex(index).update()  # the contents page, with page numbers


def _fill(document: Any, numbers: dict[str, str]) -> None:
    """Replace each placeholder (on the contents page) with its number, in one pass."""
    if not numbers:
        return
    search = document.createSearchDescriptor()
    search.SearchString = "|".join(re.escape(key) for key in numbers)
    search.SearchRegularExpression = True
    found = document.findAll(search)
    for index in range(found.getCount()):
        placeholder = found.getByIndex(index)
        placeholder.setString(numbers.get(placeholder.getString(), ""))


def _offset(document: Any, first: int) -> None:
    """Number the document's pages from `first`."""
    if first != 1:
        text = document.getText()
        start = text.createEnumeration().nextElement()  # a paragraph or a table
        style = text.getStart().PageStyleName  # the first page's (a table has no such property)
        # an offset needs a page style set here; both set at once where the first element
        # allows it (a paragraph; setPropertyValues wants the names in alphabetical order)
        try:
            start.setPropertyValues(("PageDescName", "PageNumberOffset"), (style, first))
        except AttributeError:  # a table: one at a time
            start.setPropertyValue("PageDescName", style)
            start.setPropertyValue("PageNumberOffset", first)


class _Unchanged:
    """A document's last-saved date kept through the numbering: a SAVEDATE field ("Last
    saved: ...") would otherwise show the day of the build, and the pack differ every day."""

    def __init__(self, document: Any) -> None:
        self.document = document
        self.saved = document.getDocumentProperties().ModificationDate

    def restore(self) -> None:
        self.document.getDocumentProperties().ModificationDate = self.saved
        self.document.setModified(False)


class PartFailed(Exception):
    """A part of a pack LibreOffice could not load, number or export (`index`: which)."""

    def __init__(self, index: int, cause: Exception) -> None:
        super().__init__(f"{type(cause).__name__}: {cause}")
        self.index = index


def _total(document: Any, total: int) -> None:
    """The document's page-count fields show `total`: the footer's "Page k of N" counts the
    whole pack."""
    fields = document.getTextFields().createEnumeration()
    while fields.hasMoreElements():
        field = fields.nextElement()
        if field.supportsService("com.sun.star.text.textfield.PageCount"):
            anchor = field.getAnchor()
            anchor.getText().insertString(anchor, str(total), True)  # the field becomes text


def _tell(message: dict[str, Any]) -> None:
    """A line sent before a request's answer (the answer is the line with no "first")."""
    print(json.dumps(message), flush=True)


def _first(
    office: Office,
    request: dict[str, Any],
    loaded: dict[int, Any],
    starts: list[int],
    pages: list[int],
    times: list[list[Any]],
) -> None:
    """The pack's pages `request["first"]` asks for ([first, last], the page in view), from the
    parts that hold them, each exported on its own to its `first` target and told at once:
    {"first": part index, "page": the pack's number of its first page}."""
    low, high = request["first"]
    for index, document in loaded.items():
        begin, end = max(low, starts[index]), min(high, starts[index] + pages[index] - 1)
        target = request["parts"][index].get("first")
        if begin > end or not target:
            continue
        began = time.time()
        office.save(
            document, Path(target), "pdf", f"{begin - starts[index] + 1}-{end - starts[index] + 1}"
        )
        times.append(["first pages", began, time.time(), index])
        _tell({"ok": True, "first": index, "page": begin})


def convert_pack(office: Office, request: dict[str, Any], done: list[Any]) -> dict[str, Any]:
    """Convert the documents of one pack, numbered as one document (see the module's doc).
    The loaded documents are put in `done`, to be closed once the answer is sent."""
    parts = request["parts"]
    loaded: dict[int, Any] = {}
    times: list[list[Any]] = []  # [what, began, ended, the part's index], for --timings
    index = 0
    try:
        pages: list[int] = []
        for index, part in enumerate(parts):
            if "source" not in part:
                pages.append(int(part["pages"]))
                continue
            began = time.time()
            document = loaded[index] = office.load(Path(part["source"]))
            times.append(["load", began, time.time(), index])
            _update_indexes(document)
            pages.append(int(document.getCurrentController().PageCount))
            times.append(["contents", times[-1][2], time.time(), index])
        starts = [1 + sum(pages[:index]) for index in range(len(pages))]
        for index, document in loaded.items():
            part = parts[index]
            began = time.time()
            unchanged = _Unchanged(document)
            _fill(document, {key: str(starts[int(at)]) for key, at in part.get("fill", {}).items()})
            # after counting: a page number that changes a part's first page from right to
            # left makes LibreOffice add a blank page, which it counts and the PDF leaves out
            _offset(document, starts[index])
            _total(document, sum(pages))
            unchanged.restore()
            times.append(["numbers", began, time.time(), index])
        if request.get("first"):
            _first(office, request, loaded, starts, pages, times)
        # every part numbered before any is exported: LibreOffice tidies up after an export
        # before it answers the next call, which the next part's numbering waited for
        for index, document in loaded.items():
            part = parts[index]
            began = time.time()
            office.save(document, Path(part["target"]), "pdf")
            times.append(["export", began, time.time(), index])
    except Exception as exc:  # said with the part it happened to (a bridge error if it died)
        raise PartFailed(index, exc) from exc
    finally:
        done += loaded.values()
    return {"ok": True, "pages": pages, "times": times}


def convert(office: Office, request: dict[str, Any], done: list[Any]) -> dict[str, Any]:
    """Convert one document as `request` says; the answer to send back. The document is put in
    `done`, to be closed once the answer is sent."""
    source, target = Path(request["source"]), Path(request["target"])
    times = [["load", time.time(), 0.0]]
    document = office.load(source)
    times[-1][2] = time.time()
    try:
        _update_indexes(document)
        if request.get("fill"):  # contents numbers blank: no pack to count
            unchanged = _Unchanged(document)
            _fill(document, request["fill"])
            unchanged.restore()
        times.append(["contents", times[-1][2], time.time()])
        began = time.time()
        office.save(document, target, request.get("format", "pdf"))
        times.append(["export", began, time.time()])
    finally:
        done.append(document)
    return {"ok": True, "pages": 0, "times": times}  # the caller counts a PDF's pages itself


def serve(pipe: str) -> int:
    """Answer requests on stdin until `quit` or the end of input, with the LibreOffice
    listening on `pipe` (started by whoever started this)."""
    try:
        bootstrap()
        import uno  # noqa: F401  (this Python must have LibreOffice's module)
    except ImportError as exc:
        print(json.dumps({"ok": False, "error": f"{exc}"}), flush=True)
        return 4
    try:
        office = Office(pipe)
    except (RuntimeError, OSError) as exc:
        print(json.dumps({"ok": False, "dead": True, "error": str(exc)}), flush=True)
        return 3
    print(json.dumps({"ok": True, "ready": True, "at": time.time()}), flush=True)
    try:
        for line in sys.stdin:
            request = json.loads(line)
            if request.get("op") == "quit":
                break
            done: list[Any] = []
            try:
                answer = (convert_pack if request.get("op") == "pack" else convert)(
                    office, request, done
                )
            except Exception as exc:  # a document it cannot handle, or a LibreOffice gone
                if not office.alive():
                    print(json.dumps({"ok": False, "dead": True, "error": str(exc)}), flush=True)
                    return 3
                answer = {"ok": False, "error": f"{type(exc).__name__}: {exc}"}
                if isinstance(exc, PartFailed):
                    answer = {"ok": False, "error": str(exc), "part": exc.index}
            print(json.dumps(answer), flush=True)
            for document in done:  # after the answer: the caller need not wait for this
                with contextlib.suppress(Exception):  # a bridge error: the next request says
                    document.close(True)
    finally:
        # the client has gone (or said quit): stop LibreOffice, whatever state it is in; it
        # shares this worker's process group, started for the two of them alone
        with contextlib.suppress(OSError):
            pipe_socket(pipe).unlink(missing_ok=True)
            os.killpg(os.getpgrp(), signal.SIGKILL)
    return 0


if __name__ == "__main__":
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(1))
    sys.exit(serve(sys.argv[1]))
