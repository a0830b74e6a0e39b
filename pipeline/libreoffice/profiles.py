"""LibreOffice profiles kept between builds, one for each LibreOffice running at a time.

LibreOffice starts 0.15 s sooner with a profile it has used before. Two LibreOffices must
never share one (the second hands its work to the first: LibreOffice's single-instance pipe is
named after the profile), so each is taken with a lock that LibreOffice itself inherits: the
profile stays taken for as long as LibreOffice runs, even after the build that started it.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

from pipeline import posix


class KeptProfile:
    """A kept profile, locked. The settings that matter (macros off, links never updated) are
    written into it afresh at every start (`office.write_profile`)."""

    SLOTS = 16

    def __init__(self, path: Path, lock: int | None) -> None:
        self.path, self.lock = path, lock

    @classmethod
    def take(cls, soffice: str = "") -> KeptProfile | None:
        """A free kept profile of the LibreOffice `soffice` is part of, locked; None when there
        is none, or where files cannot be locked (a fresh one is used). Each LibreOffice
        installed has profiles of its own: one version's profile is not another's (7.4 started
        on a profile 25.2 has used exits 1, or dies on some documents), and a LibreOffice
        upgraded or downgraded where it stands is another LibreOffice."""
        import hashlib

        if not posix.can_lock():
            return None
        base = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "tc-pack"
        if soffice:
            program = os.path.realpath(shutil.which(soffice) or soffice)
            base /= f"libreoffice-{hashlib.sha256(_installed(program).encode()).hexdigest()[:12]}"
        try:
            base.mkdir(parents=True, exist_ok=True)
        except OSError:
            return None
        for slot in range(cls.SLOTS):
            try:
                lock = os.open(base / f"libreoffice-{slot}.lock", os.O_RDWR | os.O_CREAT, 0o600)
            except OSError:
                return None
            if not posix.lock(lock):
                os.close(lock)
                continue
            profile = cls(base / f"libreoffice-{slot}", lock)
            _stop_orphans(profile.path)
            return profile
        return None

    def inherited(self) -> tuple[int, ...]:
        """The lock, for LibreOffice to inherit: the profile stays locked while it runs, even
        if the build that started it has ended."""
        return (self.lock,) if self.lock is not None else ()

    def release(self) -> None:
        if self.lock is not None:
            os.close(self.lock)  # the lock goes when LibreOffice, holding it too, is gone
            self.lock = None


def _stop_orphans(profile: Path) -> None:
    """Stop any LibreOffice still running on `profile` without holding its lock (one that
    outlived the inherited lock, or a build of an older version)."""
    for pid in posix.processes_with(f"-env:UserInstallation={profile.as_uri()}"):
        posix.kill(pid)


def _installed(program: str) -> str:
    """Which LibreOffice `program` (its soffice) is: where it stands, and when the files a
    package upgrade or downgrade replaces were written there (its version file, else itself)."""
    folder = os.path.dirname(program)
    for name in ("versionrc", "soffice.bin", os.path.basename(program)):
        try:
            found = os.stat(os.path.join(folder, name))
        except OSError:
            continue
        return f"{program}|{name}|{found.st_size}|{found.st_mtime_ns}"
    return program
