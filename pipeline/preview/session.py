"""`pack preview`: a watch (`stages.watch`) whose output is a page.

The build is the one `pack assemble --watch` runs: one LibreOffice kept warm, each form kept in
memory, only the edited part rendered and converted again. Before LibreOffice exports the
edited part, it exports the pages where the saved file's section stood on their own
(`first`): the first of them that changed is shown at once, a tenth of a second before the
whole part is. After each build, the pages that look different are drawn again and pushed to
the page with the part just saved in view; then what is left to do is worked out (the check
again, on its own: a build that fails at the check leaves the last good pages up and the
findings say why). Ctrl-C ends the watch; the server stops, then LibreOffice with the build.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pipeline.errors import CheckFailed, PackError
from pipeline.libreoffice.jobs import FirstPages
from pipeline.preview.pages import PageImages
from pipeline.preview.server import (
    Hub,
    Server,
    allowed_hosts,
    bind,
    bracketed,
    is_everywhere,
    make_app,
)
from pipeline.preview.todo import left_to_do
from pipeline.stages.watch import changes, fingerprint, watch

FIRST_PAGES = 5
"""At most this many pages of the saved part are made before the rest."""

if TYPE_CHECKING:
    from pipeline.incremental.manifest import Manifest
    from pipeline.stages.assemble import Build
    from pipeline.timings import Timings


class Preview:
    """What the page shows, brought up to date after each build."""

    def __init__(self, build: Build, inputs: Path, hub: Hub, pages: PageImages) -> None:
        self.build, self.inputs, self.hub, self.pages = build, inputs, hub, pages
        self.seen: dict[str, tuple[int, int]] | None = None
        self.saved: list[str] | None = None
        """The files saved since the last build, once the build has come to converting."""
        self.shown = False
        """Whether this build's page in view was shown from its first pages."""
        self.titles: dict[str, str] = {}
        """Each input file -> the outline entry where its part starts."""
        self.panel: dict[str, Any] | None = None
        self.status: dict[str, Any] = {"state": "building", "message": "building the pack"}
        self.pack = ""
        self.focus: int | None = None
        self.changed: list[int] = []

    def state(self) -> dict[str, Any]:
        return {
            "pack": self.pack,
            "pages": [
                {
                    "n": p.number,
                    "image": p.image,
                    "w": p.width,
                    "h": p.height,
                    "text": self.pages.text(p.number),
                }
                for p in self.pages.pages
            ],
            "sections": [
                {"title": s.title, "page": s.page, "level": s.level} for s in self.pages.sections
            ],
            "focus": self.focus,
            "changed": self.changed,
            "status": self.status,
            "panel": self.panel,
        }

    def _saved(self) -> list[str]:
        """The files changed since the last build (none for the first)."""
        now = fingerprint([self.inputs], self.build.out_dir)
        saved = changes(self.seen, now) if self.seen is not None else []
        self.seen = now
        return saved

    def _start(self, saved: list[str]) -> int | None:
        """The first page of the part of the first saved file that is in the pack."""
        starts = {section.title: section.page for section in self.pages.sections}
        for name in saved:
            title = self.titles.get(str(Path(name).resolve()))
            if title in starts:
                return starts[title]
        return None

    def first(self, manifest: Manifest) -> FirstPages | None:
        """Before LibreOffice converts: the pages of the saved part, from its first page to
        where the next part began, to be made before the rest and shown at once (a draft's
        pages are marked when combined: not early)."""
        self.saved, self.shown = self._saved(), False
        start = self._start(self.saved)
        if start is None or manifest.draft:
            return None
        # an edit changes its part's pages from where the part began to where the next began,
        # at the latest (text pushed further moves the next part's start)
        after = [s.page for s in self.pages.sections if s.page > start]
        last = min(min(after, default=start + FIRST_PAGES), start + FIRST_PAGES - 1)
        return FirstPages(start, last, lambda pdf, page: self._made(pdf, page, start))

    def _made(self, pdf: Path, page: int, start: int) -> None:
        """The first pages are made (`pdf`, whose first page is the pack's `page`)."""
        if self.pages.early(pdf, page - 1, start, self._told):
            self.shown = True
            self.build.timings.add("the page in view sent", time.time())

    def converted(self, manifest: Manifest) -> None:
        """Once LibreOffice made the parts, if the first pages showed nothing new: the saved
        part's changed page, from its own PDF, while the pack is combined."""
        if self.saved is None:  # not asked first: nothing was converted
            self.saved, self.shown = self._saved(), False
        start = self._start(self.saved)
        if start is None or manifest.draft or self.shown:
            return
        offset = 0
        for part in manifest.parts:
            if offset < start <= offset + part.pages:
                if part.needs_conversion and self.pages.early(
                    Path(part.pdf), offset, start, self._told
                ):
                    self.build.timings.add("the page in view sent", time.time())
                return
            offset += part.pages

    def _told(self, changed: list[int]) -> None:
        self.changed, self.focus = changed, changed[0]
        self.status = {"state": "building", "message": "the page in view is new; the others follow"}
        self.hub.publish(self.state())

    def built(self, result: Path | PackError) -> None:
        """After each build: the other pages, and what is left to do (the check again, for
        a build that stopped at it)."""
        saved = self._saved() if self.saved is None else self.saved
        self.saved = None
        clock = time.strftime("%H:%M:%S")
        if isinstance(result, PackError):
            # a check that failed says why in the findings; anything else, here
            why = "see the findings" if isinstance(result, CheckFailed) else str(result)
            self.status = {"state": "failed", "message": why, "at": clock}
            self.changed, self.focus = [], None
            self.hub.publish(self.state())  # the findings follow
        else:
            self.status = {"state": "built", "message": f"built {result.name}", "at": clock}
            self.pack = result.name
            first = not self.pages.settled
            with self.build.timings.stage("pages drawn"):
                changed = self.pages.update(result)
            if first:  # every page is new: none is marked as changed
                changed = []
            start = self._start(saved)
            after = [n for n in changed if start is not None and n >= start]
            self.changed, self.focus = changed, after[0] if after else start
        build = self.build
        with build.timings.stage("what is left to do"):
            self.panel, self.titles = left_to_do(
                self.inputs, build.today, build.window, build.draft, self.pages.sections,
                len(self.pages.pages),
            )  # fmt: skip
        self.hub.publish(self.state())
        self.changed = []  # said once: a later update scrolls nothing


def serve(
    build: Build,
    inputs: Path,
    host: str,
    port: int | None,
    ready: Callable[[str], None],
    rounds: int | None = None,
    timed: Callable[[Timings], None] | None = None,
) -> None:
    """Serve the preview of `inputs` until Ctrl-C (then `KeyboardInterrupt`), or `rounds`
    builds. `ready` gets the page's address once the server answers; `timed` each build's
    timings (--timings)."""
    listening = bind(host, port)
    bound = listening.getsockname()[1]
    hub, pages = Hub(), PageImages()
    preview = Preview(build, inputs, hub, pages)
    build.first, build.converted = preview.first, preview.converted
    server = Server(make_app(hub, pages.image, allowed_hosts(host, bound)), listening)
    shown = "127.0.0.1" if is_everywhere(host) else bracketed(host)  # this machine's browser
    try:
        server.start()
        hub.publish(preview.state())
        ready(f"http://{shown}:{bound}/")
        watch(build, [inputs], preview.built, rounds=rounds, timed=timed)
    finally:
        hub.close()
        server.stop()
        pages.close()
    if rounds is None:  # the watch ended on Ctrl-C
        raise KeyboardInterrupt
