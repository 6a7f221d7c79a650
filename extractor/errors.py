"""Typed errors raised by the library. Only ``cli.py`` turns them into messages.

Each message says what was wrong and, where there is one, what to do about it.
"""
from __future__ import annotations


class ExtractorError(Exception):
    """Base class for every error the extractor raises on purpose."""


class IngestError(ExtractorError):
    """A file (or one line of a JSONL file) could not be read as an article."""

    def __init__(self, path: str, reason: str, line: int | None = None):
        self.path = str(path)
        self.reason = reason
        self.line = line
        where = f"{self.path}:{line}" if line is not None else self.path
        super().__init__(f"{where}: {reason}")


class StoreError(ExtractorError):
    """The database could not be opened, written or queried."""


class ReadOnlyQueryError(StoreError):
    """A write statement was sent to ``extractor query``, which is read-only."""


class ModelMissing(ExtractorError):
    """A classifier model that was asked for is not on disk."""
