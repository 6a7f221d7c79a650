"""Candidate numbers: each percent or dollar amount with its sentence, and the shared
reading of the text around it (clauses, lists, table rows, web-page quote chips)."""
from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass

from .. import _torchless  # noqa: F401  (first: spaCy's thinc must not import torch)
from spacy.tokens import Doc, Span

from ..rules import extensions as ext
from . import limits


@dataclass
class Candidate:
    start: int  # the number's char span
    end: int
    value: float
    value_high: float | None
    sign: int | None
    qualifier: str | None
    sent: Span
    role_probs: dict[str, float] | None = None  # the classifier's view of this number
    currency: str | None = None  # money: the currency the text wrote (None for percents)


def read_candidates(doc: Doc, group: str, body_start: int, kind: str, explain=None, skip=None,
                    reject=None) -> list[Candidate]:
    """The numbers of span group ``group`` (ext.MONEY or ext.PERCENT) in the body as
    Candidates, each with its sentence. Left out, with the reason when explaining: a cell
    a table reader read (``skip(pos)``), what ``reject(span)`` names (a kind's own
    exclusions), a number whose sentence is longer than MAX_SENTENCE."""
    sents = sentences(doc, body_start)
    starts = [s.start_char for s in sents]
    out = []
    for s in doc.spans.get(group, []):
        if s.start_char < body_start:
            continue
        c = Candidate(s.start_char, s.end_char, s._.x_value, s._.x_value_high, s._.x_sign, s._.x_qualifier,
                      None, s._.x_role_probs, s._.x_currency)  # type: ignore[arg-type]
        if skip is not None and skip(s.start_char):
            why = ("a table cell, read by the table reader", "rules:table")
        else:
            why = reject(s) if reject is not None else None
        if why is None:
            c.sent = sent_of(sents, starts, s.start_char)
            if c.sent is None:
                why = ("its sentence is longer than MAX_SENTENCE (a table run together)", "limits:MAX_SENTENCE")
        if why is None:
            out.append(c)
        elif explain is not None:
            explain.reject(kind, c, *why)
    return out


def role_confidence(c: Candidate, roles: tuple[str, ...]) -> float:
    """The classifier's probability that the number plays one of ``roles`` (1.0 when
    no classifier gave roles: the rules alone decided)."""
    if not c.role_probs:
        return 1.0
    return round(sum(c.role_probs.get(r, 0.0) for r in roles), 4)


def vetoed(c: Candidate, roles: tuple[str, ...], direct: bool = False) -> bool:
    """True when the classifier puts at least ROLE_VETO of its probability on other
    roles and the rules' own evidence is indirect. A cue that governs the number
    outright ("rose 1.6%", "brought in $1 billion", "$2 billion of inflows") is the
    rules' surest case; the model (0.90 on held-out roles) does not overrule it. Its
    vetoes fall where the rules inferred the role from afar."""
    if not c.role_probs or direct:
        return False
    return 1.0 - role_confidence(c, roles) >= limits.ROLE_VETO


def veto_reason(c: Candidate, roles: tuple[str, ...]) -> str:
    top = max(c.role_probs or {"?": 0}, key=lambda k: (c.role_probs or {}).get(k, 0))
    return (f"the role classifier reads it as {top} ({(c.role_probs or {}).get(top, 0):.2f}); "
            f"{'/'.join(roles)} {role_confidence(c, roles):.2f}, and no cue governs it outright")


def sentences(doc: Doc, body_start: int) -> list[Span]:
    return [s for s in doc.sents if s.end_char > body_start]


def sent_of(sents: list[Span], starts: list[int], pos: int) -> Span | None:
    """The sentence holding ``pos`` (``starts``: the sentences' start offsets, in text
    order, for a binary search), or None when there is none or it is longer than
    MAX_SENTENCE."""
    i = bisect_right(starts, pos) - 1
    if i < 0:
        return None
    s = sents[i]
    if not (s.start_char <= pos < s.end_char) or s.end_char - s.start_char > limits.MAX_SENTENCE:
        return None
    return s


def clause_bounds(sent: Span, start: int, end: int) -> tuple[int, int]:
    """The clause around [start, end): split at semicolons and dashes, except a pair of
    dashes around an aside ("HYG -- the largest junk ETF -- took in $1.3 billion")."""
    text = ext.span_text(sent)
    off = sent.start_char
    lo, hi = off, sent.end_char
    marks = list(re.finditer(r";|\s[—–]\s|\s--\s", text))
    aside: set[int] = set()
    for a, b in zip(marks, marks[1:]):
        if a.group(0) != ";" and b.group(0) != ";" and b.start() - a.end() <= 80 and id(a) not in aside:
            aside.update((id(a), id(b)))
    for m in marks:
        if id(m) in aside:
            continue
        p = off + m.start()
        if p < start:
            lo = off + m.end()
        elif p >= end and p < hi:
            hi = p
    return lo, hi


# "... and 4.1%", "28.9% in 2019, or 31.5% including dividends", "3.8% in the second
# quarter and just 1.2% in the third": a period phrase may stand between the members
_LIST_GAP = re.compile(r"[\s,]*(?:(?:in|on|over|during|for|through)\s(?:the\s)?(?:[\w-]+\s){0,2}?[\w-]+,?\s|"
                       r"\w+\s)?(?:YTD\s)?(?:and|versus|vs\.?|compared with|compared to|while|or|,)\s?[\s,]*"
                       r"(?:(?:nearly|almost|about|roughly|around|some|approximately|just over|just under|over|"
                       r"more than|less than|close to|just|only)\s)?", re.IGNORECASE)


def groups(cands: list[Candidate], text: str) -> list[list[Candidate]]:
    """Numbers listed together ("12.0% and 11.5%", "(+14.65% YTD versus 14.07%)",
    "$986.2 million and $117.1 million, respectively") form one group."""
    out: list[list[Candidate]] = []
    for c in cands:
        if out and out[-1][-1].sent.start == c.sent.start:
            gap = text[out[-1][-1].end:c.start]
            if len(gap) <= limits.GROUP_GAP and _LIST_GAP.fullmatch(gap) and "(" not in gap:
                out[-1].append(c)
                continue
        out.append([c])
    return out


def in_table_row(text: str, pos: int) -> bool:
    """A line of a pipe table ("SPY | -3,104.6 | 175,330.2 | -1.74%"): its columns are
    not labelled here, so its numbers are not read as claims by the prose rules."""
    a = text.rfind("\n", 0, pos) + 1
    b = text.find("\n", pos)
    return text[a:len(text) if b < 0 else b].count("|") >= 2


# A web page's live quote beside a name ("the Dow Jones Industrial Average DJIA, +0.03% has
# slipped 2.3%"): the market when the page was saved, not a claim of the article.
_CHIP_LEFT = re.compile(r"\b[A-Z][A-Z0-9.]{0,6},\s?$")
_CHIP = re.compile(r"[+\-−]\d+\.\d\d%$")


def quote_chip(text: str, start: int, end: int) -> bool:
    return bool(_CHIP.match(text[start:end]) and _CHIP_LEFT.search(text, max(0, start - 10), start))


RELATIVE = re.compile(r",\s(?:which|who|whose|that)\b[^,;]*,")
NUMBER = re.compile(r"\d(?:\.\d+)?\s?(?:%|percent|per cent)|\$\s?\d[\d.,]*(?:\s?(?:billion|million|bn|mn|[bmk]))?",
                    re.IGNORECASE)


def clean_left(text: str) -> str:
    """The words between a ticker and its number, with relative clauses (", which
    holds ... at a 45% weight,") and anything before an earlier number cut out."""
    text = RELATIVE.sub(",", text)
    last_num = None
    for last_num in NUMBER.finditer(text):
        pass
    return text[last_num.end():] if last_num else text


def right_of(c: Candidate, text: str, n: int = 40) -> str:
    return text[c.end:min(c.sent.end_char, c.end + n)]


def decimals(x: float) -> int:
    """Decimals written in ``x`` ("2.75" -> 2; "2e+16" -> 0)."""
    s = f"{abs(float(x)):.12g}"
    return len(s.split(".")[1]) if "." in s and "e" not in s else 0
