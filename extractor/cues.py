"""Cue vocabularies of the fact rules (``rules/patterns/facts.jsonl``) and matchers.

Kept apart so every stage that reads cues (references, facts) loads them once.
"""
from __future__ import annotations

import json
import re
from functools import lru_cache
from pathlib import Path

PATTERNS = Path(__file__).parent / "rules" / "patterns"
FUND_KINDS = ("etf", "etn", "fund", "unknown")


@lru_cache(maxsize=1)
def cues() -> dict[str, tuple[str, ...]]:
    out: dict[str, list[str]] = {}
    for line in (PATTERNS / "facts.jsonl").read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.lstrip().startswith("//"):
            rec = json.loads(line)
            out.setdefault(rec["kind"], []).extend(rec["values"])
    return {k: tuple(sorted(set(v), key=len, reverse=True)) for k, v in out.items()}


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
