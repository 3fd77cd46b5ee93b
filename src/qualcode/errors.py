"""One root exception for everything qualcode reports to a user.

The CLI catches :class:`QualcodeError` and prints ``str(error)`` as a one-line message (plus any
``details`` lines) with a non-zero exit status; anything else is a bug and keeps its traceback.
"""

from __future__ import annotations

from collections.abc import Sequence


class QualcodeError(Exception):
    """Root of all errors qualcode raises for a user mistake or a bad input."""

    exit_code = 1

    def __init__(self, message: str, *, details: Sequence[str] = ()) -> None:
        super().__init__(message)
        self.message = message
        self.details = tuple(details)


class IngestError(QualcodeError):
    """A transcript could not be read (names the file and the problem)."""


class CodebookError(QualcodeError):
    """A codebook is invalid; ``details`` holds every located problem."""


class MatchingError(QualcodeError):
    """The matching pipeline could not be built (e.g. missing language data)."""


class OutputError(QualcodeError):
    """An output could not be written, or would overwrite an input."""
