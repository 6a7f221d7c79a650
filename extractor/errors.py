"""Typed errors raised by the library. Only ``cli.py`` turns them into messages.

Each message says what was wrong and, where there is one, what to do about it.
"""
from __future__ import annotations


class ExtractorError(Exception):
    """Base class for every error the extractor raises on purpose."""


def printable(text: str) -> str:
    """``text`` as UTF-8 can carry it: a file name's undecodable bytes (which Python keeps
    as lone surrogates) and any lone surrogate become visible escapes, so printing or
    storing a message or a path never fails."""
    try:
        text.encode("utf-8")
        return text
    except UnicodeEncodeError:
        return text.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace") \
            if _only_escapes(text) else text.encode("utf-8", "backslashreplace").decode("utf-8")


def _only_escapes(text: str) -> bool:
    """Lone surrogates in U+DC80..U+DCFF only: undecodable bytes of a file name."""
    return all(not 0xD800 <= ord(c) <= 0xDFFF or 0xDC80 <= ord(c) <= 0xDCFF for c in text)


class IngestError(ExtractorError):
    """A file (or one line of a JSONL file) could not be read as an article."""

    def __init__(self, path: str, reason: str, line: int | None = None):
        self.path = printable(str(path))
        self.reason = printable(reason)
        self.line = line
        where = f"{self.path}:{line}" if line is not None else self.path
        super().__init__(f"{where}: {reason}")


class StoreError(ExtractorError):
    """The database could not be opened, written or queried."""


class ReadOnlyQueryError(StoreError):
    """A write statement was sent to ``extractor query``, which is read-only."""


class ModelMissing(ExtractorError):
    """A classifier model that was asked for is not on disk."""
