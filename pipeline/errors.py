"""The errors a build can end with; the CLI turns each into one line and exit status 1."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from pathlib import Path


class PackError(Exception):
    """Base of every error the pipeline reports to the user."""


class InputError(PackError):
    """An input file is missing, unreadable or not what it claims to be."""


class UnsafeFile(InputError):
    """A file that is damaged, disguised or hostile."""


class UnsavedFormulas(InputError):
    """A workbook whose formulas' results are not in the file (its writer does not calculate)."""


class MarkdownError(InputError):
    """Markdown that cannot be rendered faithfully, at a file and line."""

    def __init__(self, path: Path, line: int, code: str, message: str) -> None:
        super().__init__(f"{path}:{line}: {message}")
        self.path, self.line, self.code, self.message = path, line, code, message


class HarvestError(InputError):
    """A reviewed answer that cannot be written back faithfully."""


class TemplateError(PackError):
    """The Word template could not be rendered."""


class ConversionError(PackError):
    """LibreOffice did not turn a document into a valid PDF."""


class UnoRefused(ConversionError):
    """LibreOffice, driven through UNO, died twice on a document or would not load it (a run
    of `soffice --convert-to` may still convert it)."""


class NoUno(Exception):
    """The Python tried has no `uno` module: LibreOffice cannot be driven warm (not a
    `PackError`: the caller tries another Python, or the cold converter)."""


class CombineError(PackError):
    """The PDFs could not be combined into the pack."""


class CheckFailed(PackError):
    """The pack has problems that stop the build; each is listed before this is raised."""
