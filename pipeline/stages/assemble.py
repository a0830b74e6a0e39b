"""The stages chained: what `pack assemble` does, callable from Python and tests.

No work is done twice. Each document is rendered only when the key of what it is made from
changed, converted only when that or its contents' page numbers changed, and the pack combined
only when a part changed; a build where nothing changed at all stops before the check
(`fresh.py`). LibreOffice is started only when something must be converted, and then at once,
so that it comes up while the documents render.
"""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Callable, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import replace
from pathlib import Path

from pipeline.errors import CheckFailed, PackError
from pipeline.files import remove_leftovers, writable_folder
from pipeline.incremental import keys, stale
from pipeline.incremental.manifest import MANIFEST, Manifest, manifests, work_folder
from pipeline.incremental.up_to_date import WINDOW_CODES, fresh_pack, settings_key, sha256_file
from pipeline.inputs.check import check
from pipeline.libreoffice.jobs import FirstPages
from pipeline.libreoffice.pool import Converters
from pipeline.model import Pack, Problem
from pipeline.render.answers import KeptForms
from pipeline.stages.convert import convert_pack
from pipeline.stages.parts import plan_parts, render
from pipeline.timings import NoTimings, Timings
from pipeline.window import Window, window_for

Report = Callable[[Problem], None]
Progress = Callable[[str], None]


def _quiet(message: object) -> None:
    pass


def _none(manifest: Manifest) -> None:
    return None


def checked(
    inputs: Path,
    today: dt.date,
    window: Window | None,
    report: Report,
    draft: bool = False,
    accept_changes: bool = False,
) -> tuple[Pack, list[Problem]]:
    """The loaded pack and its problems, each reported; `CheckFailed` if any is an error."""
    pack, problems = check(inputs, today, window, draft=draft, accept_changes=accept_changes)
    for problem in problems:
        report(problem)
    if pack is None:
        errors = sum(p.level == "error" for p in problems)
        raise CheckFailed(
            f"{inputs}: {errors} error{'s' if errors != 1 else ''}; nothing was built"
        )
    return pack, problems


def render_stage(
    pack: Pack, today: dt.date, window: Window | None, out_dir: Path, draft: bool = False
) -> Manifest:
    return render(pack, pack.form, window or window_for(today), out_dir, draft)


def combine_pack(
    manifest: Manifest, out_dir: Path, progress: Progress = _quiet
) -> tuple[Manifest, Path]:
    """The pack, combined again only if a part (or the pack on disk) changed."""
    target = out_dir / f"{manifest.stem}.pdf"
    key = keys.digest(
        keys.code_version(),
        *(part.converted or part.key for part in manifest.parts),
        manifest.title, manifest.author, manifest.subject, manifest.keywords, manifest.record,
        manifest.language, "accept-changes" if manifest.accepted else "",
    )  # fmt: skip
    if (
        manifest.packed != key
        or not target.is_file()
        or sha256_file(target) != manifest.pack_sha256
    ):
        from pipeline.finish.combine import combine  # imported while LibreOffice converts

        progress("combining the PDFs")
        combine(manifest, target)
        manifest = replace(manifest, packed=key, pack_sha256=sha256_file(target))
        manifest.save(work_folder(out_dir, manifest.stem) / MANIFEST)
    return manifest, target


def convert_stage(out_dir: Path, progress: Progress = _quiet) -> list[Path]:
    """`pack convert`: every rendered pack in `out_dir`; refused when an input changed
    since a pack was rendered."""
    rendered = [Manifest.read(path) for path in manifests(out_dir)]
    for manifest in rendered:
        stale.check_rendered(manifest)
    written = []
    with Converters(note=progress) as converters:
        for manifest in rendered:
            manifest = convert_pack(manifest, out_dir, converters, progress)
            written += [Path(p.pdf) for p in manifest.to_convert]
    return written


def combine_stage(out_dir: Path, progress: Progress = _quiet) -> list[Path]:
    """`pack combine`: every converted pack in `out_dir`; refused when an input changed since
    a pack was rendered, or a document since it was converted."""
    converted = [Manifest.read(path) for path in manifests(out_dir)]
    for manifest in converted:
        stale.check_rendered(manifest)
        stale.check_converted(manifest)
    return [combine_pack(manifest, out_dir, progress)[1] for manifest in converted]


def _ready_to_combine(give_back: bool) -> None:
    from pipeline.finish.combine import give_back_memory

    if give_back:
        give_back_memory()


def _record(manifest: Manifest, out_dir: Path, key: str, problems: list[Problem]) -> None:
    kept = tuple(p.format() for p in problems if p.code not in WINDOW_CODES)
    replace(manifest, inputs=key, problems=kept).save(
        work_folder(out_dir, manifest.stem) / MANIFEST
    )


class Build:
    """Builds packs, with converters kept for as long as the `Build` lives (watch, batch)."""

    def __init__(self, out_dir: Path, today: dt.date, window: Window | None = None, draft: bool = False,
                 report: Report = _quiet, progress: Progress = _quiet,
                 converters: Converters | int = 1, repeat: Progress = _quiet,
                 timings: Timings | None = None, accept_changes: bool = False) -> None:  # fmt: skip
        self.out_dir, self.today, self.window, self.draft = out_dir, today, window, draft
        self.accept_changes = accept_changes
        """`--accept-changes`: reviews in appendices accepted in the pack's copy."""
        writable_folder(out_dir)  # one clear line now, not a failure halfway
        remove_leftovers(out_dir)  # of a build that was killed
        self.report, self.progress, self.repeat = report, progress, repeat
        self.converters = (
            converters if isinstance(converters, Converters) else Converters(converters, progress)
        )
        self.timings: Timings = timings or NoTimings()
        self.kept = KeptForms(keys.code_version())
        """The forms as last rendered: an edited answer is all that is rendered again."""
        self.first: Callable[[Manifest], FirstPages | None] = _none
        """Asked, before a pack's parts are converted, for pages wanted before the rest: `pack
        preview` shows the page being edited as soon as LibreOffice has made it."""
        self.converted: Callable[[Manifest], None] = _quiet
        """Told each pack's parts once they are converted, before they are combined."""

    def keep_forms(self) -> None:
        """Keep each form in memory between builds (watch), not only its record on disk."""
        self.kept.memory = True

    def target_window(self) -> Window:
        return self.window or window_for(self.today)

    def fresh(self, inputs: Path) -> Path | None:
        """The pack, if nothing it is made from changed (its problems reported again)."""
        found = fresh_pack(
            inputs, self.out_dir, self.target_window(), self.today, self.draft, self.accept_changes
        )
        if found is None:
            return None
        path, problems = found
        for line in problems:
            self.repeat(line)
        self.progress("nothing changed since the last build")
        return path

    def prepare(self, inputs: Path) -> tuple[Manifest, str, list[Problem]]:
        """Check and render one pack (LibreOffice starting meanwhile if it will be needed)."""
        settings = settings_key(self.target_window(), self.draft, self.accept_changes)
        key = keys.inputs_key(inputs, *settings, out_dir=self.out_dir)
        with self.timings.stage("check"):
            pack, problems = checked(
                inputs, self.today, self.window, self.report, self.draft, self.accept_changes
            )
        form = pack.form
        planned = plan_parts(pack, form, self.target_window(), self.out_dir, self.draft)
        previous = Manifest.previous(work_folder(self.out_dir, planned.stem) / MANIFEST)
        if (
            previous is None
            or [(p.source, p.key) for p in planned.parts]
            != [(p.source, p.key) for p in previous.parts]
            or not all(Path(p.pdf).is_file() for p in previous.parts)
        ):
            self.converters.start()  # something will be converted: start LibreOffice now
        with self.timings.stage("render"):
            manifest = render(
                pack, form, self.target_window(), self.out_dir, self.draft, self.progress,
                planned, self.kept,
            )  # fmt: skip
        return manifest, key, problems

    def finish(self, manifest: Manifest, key: str, problems: list[Problem]) -> Path:
        # on the other core while LibreOffice converts: the combine stage's imports (pikepdf),
        # and, in a one-off build, the memory rendering freed handed back (a watch renders
        # again into the same memory, and collecting holds up the next request to LibreOffice)
        threading.Thread(
            target=_ready_to_combine, args=(not self.kept.memory,), daemon=True
        ).start()
        with self.timings.stage("convert"):
            first = self.first(manifest)
            manifest = convert_pack(manifest, self.out_dir, self.converters, self.progress, first)
        self.converted(manifest)
        with self.timings.stage("combine"):
            manifest, path = combine_pack(manifest, self.out_dir, self.progress)
        _record(manifest, self.out_dir, key, problems)
        return path

    def timing_lines(self) -> list[str]:
        """Each stage of the last build with its times, LibreOffice's own among them."""
        return self.timings.lines(self.converters.spans)

    def one(self, inputs: Path) -> Path:
        """Build one pack; its path. A failure leaves any previous pack untouched."""
        fresh = self.fresh(inputs)
        if fresh is not None:
            return fresh
        return self.finish(*self.prepare(inputs))

    def many(self, folders: Sequence[Path]) -> list[Path | PackError]:
        """Build several packs: each checked and rendered in turn while LibreOffice converts
        the ones before it, on as many converters as were asked for."""
        results: list[Path | PackError | None] = [None] * len(folders)
        pending: list[tuple[int, Future[Path]]] = []
        with ThreadPoolExecutor(max_workers=self.converters.count) as pool:
            for index, inputs in enumerate(folders):
                try:
                    fresh = self.fresh(inputs)
                    if fresh is not None:
                        results[index] = fresh
                        continue
                    prepared = self.prepare(inputs)
                except PackError as exc:
                    results[index] = exc
                    continue
                pending.append((index, pool.submit(self.finish, *prepared)))
            try:
                for index, future in pending:
                    try:
                        results[index] = future.result()
                    except PackError as exc:
                        results[index] = exc
            except KeyboardInterrupt:  # packs not yet started are dropped; those being
                pool.shutdown(cancel_futures=True)  # converted finish, leaving nothing half-made
                raise
        return [r for r in results if r is not None]

    def close(self) -> None:
        self.converters.close()

    def __enter__(self) -> Build:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def assemble(
    inputs: Path,
    out_dir: Path,
    today: dt.date,
    window: Window | None = None,
    report: Report = _quiet,
    progress: Progress = _quiet,
    draft: bool = False,
    accept_changes: bool = False,
) -> Path:
    """Every stage for one pack; returns the pack's path."""
    with Build(
        out_dir, today, window, draft, report, progress, accept_changes=accept_changes
    ) as build:
        return build.one(inputs)
