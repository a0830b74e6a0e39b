"""The errors a build can end with; the CLI turns each into one line and exit status 1."""

from __future__ import annotations


class PackError(Exception):
    """Base of every error the pipeline reports to the user."""


class InputError(PackError):
    """An input file is missing, unreadable or not what it claims to be."""


class TemplateError(PackError):
    """The Word template could not be rendered."""


class ConversionError(PackError):
    """LibreOffice did not turn a document into a valid PDF."""


class CombineError(PackError):
    """The PDFs could not be combined into the pack."""


class CheckFailed(PackError):
    """The pack has problems that stop the build; each is listed before this is raised."""
