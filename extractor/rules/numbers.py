"""Plain numbers that can be a level or a target ("4,118.62", "$118.52", "2,850"), and the
ticker names and references they must not be read inside: the number reader the level
and target rules share (rules/levels.py, rules/targets.py).
"""
from __future__ import annotations

import math
import re
from bisect import bisect_left
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING

from ..references import Ref
from . import extensions as ext
from .vocab import load_vocab

if TYPE_CHECKING:  # spaCy is imported by the pipeline (after ._torchless); here only for hints
    from spacy.tokens import Doc


@dataclass(frozen=True)
class Number:
    """A plain number as written; its span includes a leading "$"."""

    start: int
    end: int
    value: float
    decimals: int
    dollar: bool


def alternation(words: Iterable[str]) -> str:
    """A regex alternation of literal phrases, longest first (so "price target" wins over
    "target")."""
    return "|".join(re.escape(w) for w in sorted(set(words), key=len, reverse=True))


def phrase_re(words: Iterable[str], flags: int = re.IGNORECASE) -> re.Pattern:
    """Whole phrases from a vocabulary: not inside a longer word or hyphenated compound."""
    return re.compile(r"(?<![\w-])(?:" + alternation(words) + r")(?![\w-])", flags)


# "4,118.62", "$118.52", "24,100.5", "2850": not part of a word, a signed change, a date
# ("5/3") or a longer number ("2,800-2,900" leaves both out: a range is no level)
_NUMBER = re.compile(r"(?<![\w.,$+\-−–/#])(?P<dollar>\$\s?)?(?P<num>\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?)"
                     r"(?!\w|,\d{3}|\.\d)")


@lru_cache(maxsize=1)
def _unit_after() -> re.Pattern:
    """A unit word after the number, a space between or not ("3 million", "2%"); a mark
    only when attached ("200-day", "10:30", "5/3"): "907.24 -- its first close" is a level."""
    units = load_vocab("levels")["number_unit_after"]
    words = [u for u in units if any(ch.isalnum() or ch == "%" for ch in u)]
    marks = [u for u in units if u not in words]
    return re.compile(r"(?:\s?(?:" + alternation(words) + r")|(?:" + alternation(marks) + r")(?!\s))(?![a-z])",
                      re.IGNORECASE)


# "fell 9.48 points ... to 778.94 points": an index level written with its unit, after a
# level or target cue ("to", "at", "of")
_POINTS = re.compile(r"\s?(?:points?|pts)(?![a-z])", re.IGNORECASE)
_LEVEL_BEFORE = re.compile(r"(?<![\w-])(?:to|at|of)\s\$?$", re.IGNORECASE)


@dataclass(frozen=True)
class Names:
    """Character spans of every ticker mention and reference, sorted and merged, with
    their starts (for bisection): the digits of "S&P 500" or "Russell 2000" are a name,
    not a number."""

    spans: tuple[tuple[int, int], ...] = ()
    starts: tuple[int, ...] = ()

    def covers(self, start: int, end: int) -> bool:
        i = bisect_left(self.starts, end)
        return bool(i) and self.spans[i - 1][1] > start


_DIGIT = re.compile(r"\d")


def numbers_in(text: str, lo: int, hi: int, names: Names = Names()) -> list[Number]:
    """Numbers in text[lo:hi] that can be a level or a target: not a year ("to 2019"),
    not inside a ticker's name ("S&P 500"; ``names``, as ``name_spans`` gives them), not
    followed by a unit that makes them an amount, a move, a count or a time ("3 million",
    "21.40 points", "2%", "200-day")."""
    if _DIGIT.search(text, lo, hi) is None:
        return []
    out = []
    unit = _unit_after()
    for m in _NUMBER.finditer(text, lo, hi):
        if names.covers(m.start(), m.end()):
            continue
        raw = m["num"]
        if not m["dollar"] and re.fullmatch(r"\d{4}", raw) and 1900 <= int(raw) <= 2100:
            continue
        after = text[m.end():m.end() + 30]
        if unit.match(after) and not (_POINTS.match(after) and _LEVEL_BEFORE.search(text, max(lo, m.start() - 4),
                                                                                     m.start())):
            continue
        value = float(raw.replace(",", ""))
        if not math.isfinite(value):  # "$999...9" past a float: no price or level is that
            continue
        decimals = len(raw.split(".")[1]) if "." in raw else 0
        out.append(Number(m.start(), m.end(), value, decimals, bool(m["dollar"])))
    return out


def name_spans(doc: Doc, refs: Sequence[Ref]) -> Names:
    """The article's ticker names (``Names``), read once per article."""
    spans = sorted([(s.start_char, s.end_char) for s in doc.spans.get(ext.TICKERS, [])]
                   + [(r.start, r.end) for r in refs])
    merged: list[tuple[int, int]] = []
    for a, b in spans:
        if merged and a < merged[-1][1]:
            merged[-1] = (merged[-1][0], max(b, merged[-1][1]))
        else:
            merged.append((a, b))
    return Names(tuple(merged), tuple(a for a, _ in merged))


def refs_within(refs: Sequence[Ref], starts: Sequence[int], lo: int, hi: int) -> list[Ref]:
    """The references inside [lo, hi); ``starts``: their start offsets, sorted as ``refs``."""
    return [r for r in refs[bisect_left(starts, lo):bisect_left(starts, hi)] if r.end <= hi]
