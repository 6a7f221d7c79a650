"""Cue vocabularies of the fact rules (``rules/patterns/facts.jsonl``) and matchers.

Kept apart so every stage that reads cues (references, facts) loads them once.
"""
from __future__ import annotations

import re
from functools import lru_cache

from .rules.vocab import load_vocab

FUND_KINDS = ("etf", "etn", "fund", "unknown")


@lru_cache(maxsize=1)
def cues() -> dict[str, tuple[str, ...]]:
    """Fact cue words by kind, longest first (so "gave up" wins over "up")."""
    return {k: tuple(sorted(set(v), key=len, reverse=True)) for k, v in load_vocab("facts").items()}


@lru_cache(maxsize=None)
def cue_re(kind: str) -> re.Pattern:
    words = cues()[kind]
    return re.compile(r"(?<![\w-])(?:" + "|".join(re.escape(w) for w in words) + r")(?![\w-])", re.IGNORECASE)


def has(kind: str, text: str) -> bool:
    return cue_re(kind).search(text) is not None


def last(kind: str, text: str) -> re.Match | None:
    m = None
    for m in cue_re(kind).finditer(text):
        pass
    return m


# ---------------------------------------------------------------------------- refs
