"""Index and price levels: a ticker's price or an index's level at a session, as market
wraps write them ("The S&P 500 rose 21.40 points, or 0.5%, to 4,118.62", "GLD ended at
$118.52", "the index hit a record 2,130.82").

A number is a level when a level cue ends right before it ("to", "closed at", "a
record", "intraday high of"); it is no amount, move, count, time or year; no target cue
names it (a number is never a level and a target: "a $250 price target"); no forecast word
stands before it in its clause ("could reach", "expects ... at", "target ... to"); and the subject of its clause is a
ticker. The change written with it ("rose 21.40 points", "down $1.20") is kept signed; a
percent move is a return, not a change. Precision first: a number whose subject is not
clearly a ticker is no level.
"""
from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from typing import TYPE_CHECKING

from ..references import Ref
from . import extensions as ext
from .numbers import Number, alternation, name_spans, numbers_in, phrase_re, refs_within
from .vocab import load_vocab

if TYPE_CHECKING:  # spaCy is imported by the pipeline (after ._torchless); here only for hints
    from spacy.tokens import Doc


@dataclass(frozen=True)
class LevelHit:
    ticker: str              # the Ref's symbol
    value: float             # 4118.62
    decimals: int            # digits written after the decimal point ("24,100.5" -> 1)
    unit: str                # "USD" when written with $ (or the ticker is no index), else "points"
    change: float | None     # the signed change when written: "fell 150.89 points" -> -150.89
    change_decimals: int | None
    start: int               # evidence: from the ticker reference to the end of the level number
    end: int
    number_start: int        # the level number's own span ("$118.52")
    number_end: int
    intraday: bool           # a level inside the session ("intraday high of", "at one point")
    record: bool             # "record", "all-time high", "record close"


@lru_cache(maxsize=1)
def _patterns() -> dict[str, re.Pattern]:
    v = load_vocab("levels")
    return {
        "cue": re.compile(r"(?<![\w-])(?:" + alternation(v["level_cue"]) + r")\s?$", re.IGNORECASE),
        "not_before": re.compile(r"(?<![\w-])(?:" + alternation(v["not_level_before"]) + r")\s?$", re.IGNORECASE),
        "forecast": phrase_re(v["forecast_word"]),
        "forecast_after": re.compile(r"\s?(?:[\w-]+\s){0,2}?(?:" + alternation(v["forecast_after"]) + r")(?![\w-])",
                                     re.IGNORECASE),
        "modal": phrase_re(v["modal"], 0),
        "noun": phrase_re(v["not_level_noun"]),
        # "S&P 500 futures", "the S&P 500's energy sector" (not "the Russell 2000 index of
        # smaller-company stocks": a description)
        "not_subject": re.compile(r"(?:['’]s)?(?!\sof\s)(?:\s[\w&.-]+){0,2}?\s(?:" + alternation(v["not_subject_after"])
                                  + r")(?![\w-])", re.IGNORECASE),
        "intraday": phrase_re(v["intraday_cue"]),
        "record": phrase_re(v["record_cue"]),
        "up": phrase_re(v["change_up"]),
        "move_before": re.compile(r"(?<![\w-])(?:" + alternation(v["change_up"] + v["change_down"]) + r")\s$",
                                  re.IGNORECASE),
        "down": phrase_re(v["change_down"]),
        "break": re.compile(r";|\s[—–]\s|\s--\s|(?<![\w-])(?:" + alternation(v["clause_break"]) + r")(?![\w-])",
                            re.IGNORECASE),
        # "and oil settled at", "but the Dow ended at": a new subject, not "and then closed at"
        "new_subject": re.compile(r"(?<![\w-])(?:" + alternation(v["clause_conj"]) + r")\s(?!(?:"
                                  + alternation(v["adverb"]) + r")\s)(?:[\w.&'’-]+\s){1,3}?(?:"
                                  + alternation(v["clause_verb"]) + r")(?![\w-])", re.IGNORECASE),
        # "... before closing at": the words after these describe another moment than before them
        "boundary": re.compile(r"(?<![\w-])(?:before|after|then|and|but)(?![\w-])", re.IGNORECASE),
    }


# "SPY, which tracks the S&P 500,", "SPY, the largest ETF tracking the S&P 500,": an aside
# right after a ticker, whose own tickers are not the subject of a number outside it
_ASIDE = re.compile(r",\s(?:which|who|whose|that|the|a|an|its)\s[^,;]{0,80},")
# "energy stocks in the S&P 500 rose": a ticker after a preposition is no subject ("shares
# of SPY" is)
_PREP_BEFORE = re.compile(r"(?<![\w-])(?:in|of|on|among|across|for|from|within|than|by|into|over|versus|vs\.|"
                          r"like|including|against|behind|outpaced|outperformed|beat|trailed|underperformed)\s"
                          r"(?:the\s)?$", re.IGNORECASE)
_OWNER_OF = re.compile(r"(?<![\w-])(?:shares|units|stock|price|level)\sof\s(?:the\s)?$", re.IGNORECASE)
_NUM = r"(?P<n>\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?)(?!\d|[.,]\d)"
# "rose 21.40 points", "or 150.89 points", "down $1.20", "-150.89 points", "a 300-point drop"
_CHANGE = re.compile(r"(?<![\w.,$])(?P<sign>[+\-−](?=\s?[$\d]))?(?P<dollar>\$\s?)?" + _NUM
                     + r"(?P<unit>\s?(?:points?|pts)\b|-points?\b)?(?!\s?(?:%|percent|per cent|million|billion|trillion))",
                     re.IGNORECASE)
# "closed at $41.07, down $1.20", "at 24,100.5, down 300 points"
_CHANGE_AFTER = re.compile(r",\s(?P<dir>up|down|higher|lower|off)\s(?P<sign>[+\-−])?(?P<dollar>\$\s?)?" + _NUM
                           + r"(?P<unit>\s?(?:points?|pts)\b)?(?!\s?(?:%|percent|per cent))", re.IGNORECASE)
# "fell 37.18, or 3.2 percent, to": a bare change, with its percent beside it
_PERCENT_BESIDE = re.compile(r",?\s(?:or\s)?[+\-−]?\d+(?:\.\d+)?\s?(?:%|percent|per cent)", re.IGNORECASE)
_DIRECTION_AFTER = re.compile(r"\s(?:(?P<up>higher|up)|(?P<down>lower|down))\b", re.IGNORECASE)
_RECORD_AFTER = re.compile(r",?\s(?:a|an|its|another)\s(?:new\s|fresh\s)?(?:record|all-time|all time)", re.IGNORECASE)
_OPENING = re.compile(r"[^,;]{0,60},\s(?:the\s)?")
# "within the 15 to 20 range", "a range of $6.23 to $8.46": the upper bound of a range
_RANGE_END = re.compile(r"(?<![\w-])(?:between|within|the|a|an|of|from)\s\$?\d[\d,.]*\s?(?:to|and|-|–)\s?$",
                        re.IGNORECASE)


def _blank(text: str, lo: int, hi: int, spans: Sequence[tuple[int, int]]) -> str:
    """text[lo:hi] with the asides blanked out (offsets kept)."""
    chars = list(text[lo:hi])
    for a, b in spans:
        for i in range(max(a, lo), min(b, hi)):
            chars[i - lo] = " "
    return "".join(chars)


_CLAUSE_MARK = re.compile(r";|\s[—–]\s|\s--\s")


@dataclass
class _Sentence:
    """A sentence read once: its references, asides and clause breaks, each sorted, so
    every number looks up only its own neighbourhood (a table run together into one
    sentence of a thousand numbers stays linear)."""

    start: int
    end: int
    refs: list[Ref]
    asides: list[tuple[int, int]]
    marks: list[tuple[int, int]]
    ref_starts: list[int] = field(init=False)
    aside_starts: list[int] = field(init=False)
    aside_ends: list[int] = field(init=False)
    mark_starts: list[int] = field(init=False)

    def __post_init__(self) -> None:
        self.ref_starts = [r.start for r in self.refs]
        self.aside_starts = [a for a, _ in self.asides]
        self.aside_ends = [b for _, b in self.asides]
        self.mark_starts = [a for a, _ in self.marks]

    @classmethod
    def read(cls, text: str, start: int, end: int, refs: list[Ref]) -> _Sentence:
        ends = {r.end for r in refs}
        asides = [(m.start(), m.end()) for m in _ASIDE.finditer(text, start, end) if m.start() in ends]
        # the clause breaks facts.candidates.clause_bounds reads: semicolons and dashes,
        # except a pair of dashes around a short aside
        marks = list(_CLAUSE_MARK.finditer(text, start, end))
        paired: set[int] = set()
        for i, (x, y) in enumerate(zip(marks, marks[1:])):
            if x.group(0) != ";" and y.group(0) != ";" and y.start() - x.end() <= 80 and i not in paired:
                paired.update((i, i + 1))
        return cls(start, end, refs, asides, [(m.start(), m.end()) for i, m in enumerate(marks) if i not in paired])

    def clause(self, num: Number) -> tuple[int, int]:
        """The bounds of the clause holding the number."""
        i = bisect_left(self.mark_starts, num.start)
        j = bisect_left(self.mark_starts, num.end)
        return (self.marks[i - 1][1] if i else self.start), (self.marks[j][0] if j < len(self.marks) else self.end)

    def refs_in(self, lo: int, hi: int) -> list[Ref]:
        return refs_within(self.refs, self.ref_starts, lo, hi)

    def asides_before(self, lo: int, num: Number) -> list[tuple[int, int]]:
        """The asides between ``lo`` and the number, not the one that holds it."""
        return [a for a in self.asides[bisect_right(self.aside_ends, lo):bisect_left(self.aside_starts, num.start)]
                if not a[0] <= num.start < a[1]]


def _is_subject(text: str, r: Ref, lo: int) -> bool:
    """Whether the reference can be the subject of its clause: not a preposition's object
    ("energy stocks in the S&P 500") nor the owner of another thing ("S&P 500 futures",
    "the S&P 500's energy sector")."""
    left = text[max(lo, r.start - 40):r.start]
    if _PREP_BEFORE.search(left) and not _OWNER_OF.search(left):
        return False
    return not _patterns()["not_subject"].match(text, r.end, r.end + 60)


def _subject(text: str, num: Number, lo: int, s: _Sentence) -> Ref | None:
    """The ticker whose level the number is: the nearest reference before it in its
    clause, with no new clause between; or, when the sentence opens with the number's
    clause ("Closing at 2,905.03, the S&P 500 ..."), the reference right after it."""
    p = _patterns()
    asides = s.asides_before(lo, num)
    before = [r for r in s.refs_in(lo, num.start) if not any(a <= r.start and r.end <= b for a, b in asides)]
    if before:
        r = before[-1]
        between = _blank(text, r.end, num.start, asides)
        if p["break"].search(between) or p["new_subject"].search(between) or not _is_subject(text, r, lo):
            return None
        return r
    if s.refs and s.refs[0].end <= num.start:
        return None  # a ticker earlier in the sentence, beyond a clause break: not this number's
    m = _OPENING.match(text, num.end, s.end)
    i = bisect_left(s.ref_starts, m.end()) if m else len(s.refs)
    if i < len(s.refs) and s.refs[i].start == m.end() and _is_subject(text, s.refs[i], m.end()):
        return s.refs[i]  # "Closing at 2,905.03, the S&P 500 ..." ("S&P 500 futures" is another thing)
    return None


def _change(text: str, lo: int, num: Number) -> tuple[float, int] | None:
    """The signed change written with the level: in points or dollars, before it ("rose
    21.40 points, or 0.5%, to", "12 points higher at") or right after it (", down $1.20");
    None when only a percent is written or no word says which way."""
    p = _patterns()

    def is_change(m: re.Match) -> bool:
        if p["cue"].search(text, lo, m.start()):
            return False  # "touched $285 before closing at": a level
        return bool(m["dollar"] or m["unit"]) or bool(
            _PERCENT_BESIDE.match(text, m.end(), num.start) and p["move_before"].search(text, lo, m.start()))

    found = [m for m in _CHANGE.finditer(text, lo, num.start) if is_change(m)]
    if found:
        m = found[-1]
        value = float(m["n"].replace(",", ""))
        if m["sign"]:
            sign = -1 if m["sign"] != "+" else 1
        else:
            after = _DIRECTION_AFTER.match(text, m.end(), num.start)
            # the last move word before it, the longer of two ending together ("gave up")
            words = [(w.end(), len(w.group(0)), sign) for sign in (1, -1)
                     for w in p["up" if sign > 0 else "down"].finditer(text, lo, m.start())]
            if after:
                sign = 1 if after["up"] else -1
            elif words:
                sign = max(words)[2]
            else:
                return None
    else:
        m = _CHANGE_AFTER.match(text, num.end)
        if m is None or not (m["dollar"] or m["unit"]):
            return None
        value = float(m["n"].replace(",", ""))
        sign = -1 if m["sign"] in ("-", "−") or not m["sign"] and m["dir"].lower() in ("down", "lower", "off") else 1
    return sign * value, len(m["n"].split(".")[1]) if "." in m["n"] else 0


def _flags(text: str, num: Number, lo: int, hi: int) -> tuple[bool, bool]:
    """(intraday, record) from the words of the number's own stretch of its clause (from
    ``lo``, or from the last "before"/"after"/"and" before the number: "touched 2,950
    before closing at 2,905" is no intraday close, "silver rose as much as 5% and SLV
    rose to $34.48" no intraday level of SLV) and the words right after it up to a comma."""
    p = _patterns()
    marks = [m.end() for m in p["boundary"].finditer(text, lo, num.start)]
    left = text[marks[-1] if marks else lo:num.start]
    right = re.match(r"[^,;]*", text[num.end:min(hi, num.end + RIGHT_REACH)]).group(0)
    intraday = bool(p["intraday"].search(left) or p["intraday"].search(right))
    record = bool(p["record"].search(left) or _RECORD_AFTER.match(text, num.end, hi))
    return intraday, record


# The longest cue phrase, how far before its number a clause's subject may stand, and
# how far after it its own words run: every test reads at most this much around a number.
CUE_REACH = 40
SUBJECT_REACH = 250
RIGHT_REACH = 120


def _level(text: str, s: _Sentence, num: Number) -> LevelHit | None:
    p = _patterns()
    near = max(s.start, num.start - CUE_REACH)
    if not p["cue"].search(text, near, num.start) or p["not_before"].search(text, near, num.start) \
            or _RANGE_END.search(text, max(s.start, num.start - 2 * CUE_REACH), num.start):
        return None
    lo, hi = s.clause(num)
    lo = max(lo, num.start - SUBJECT_REACH)
    ref = _subject(text, num, lo, s)
    if ref is None:
        return None
    asides = s.asides_before(lo, num)
    # "strategists would be right as 2009 began and the S&P 500 sank to 676.53": a new
    # subject and verb start the number's own clause; words before it are another's
    own = [m.start() for m in p["new_subject"].finditer(text, lo, num.start) if m.start() < ref.start < m.end()]
    left = _blank(text, own[-1] if own else lo, num.start, asides)
    if p["forecast"].search(left) or p["modal"].search(left) or p["forecast_after"].match(text, num.end, hi):
        return None  # "could reach 3,000", "expects the index to end the year at 3,100", "a $250 price target"
    seg_lo = ref.end if ref.end <= num.start else lo
    if p["noun"].search(_blank(text, seg_lo, num.start, asides)):
        return None  # "support at 2,800", "its 200-day moving average at 2,750"
    change = _change(text, seg_lo, num)
    earlier = s.refs_in(lo, ref.start)  # "the S&P 500 up 0.1% at 2,479 and the Nasdaq at 6,430"
    intraday, record = _flags(text, num, earlier[-1].end if earlier else lo, hi)
    return LevelHit(ticker=ref.symbol, value=num.value, decimals=num.decimals,
                    unit="USD" if num.dollar or ref.kind != "index" else "points",
                    change=change[0] if change else None, change_decimals=change[1] if change else None,
                    start=min(ref.start, num.start), end=max(ref.end, num.end),
                    number_start=num.start, number_end=num.end, intraday=intraday, record=record)


def iter_levels(doc: Doc, refs: Sequence[Ref], body_start: int) -> Iterator[LevelHit]:
    """Levels in the article body, sentence by sentence, one per (ticker, number). A
    sentence with a "respectively" list is skipped: its numbers pair with tickers in an
    order these rules do not read."""
    text = ext.text_of(doc)
    names = name_spans(doc, refs)
    starts = [r.start for r in refs]
    seen: set[tuple[str, int]] = set()
    for sent in doc.sents:
        if sent.end_char <= body_start or "respectively" in text[sent.start_char:sent.end_char].lower():
            continue
        lo = max(sent.start_char, body_start)
        nums = numbers_in(text, lo, sent.end_char, names)
        if not nums:
            continue
        s = _Sentence.read(text, sent.start_char, sent.end_char,
                           refs_within(refs, starts, sent.start_char, sent.end_char))
        for num in nums:
            hit = _level(text, s, num)
            if hit is not None and (hit.ticker, hit.number_start) not in seen:
                seen.add((hit.ticker, hit.number_start))
                yield hit
