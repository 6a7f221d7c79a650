"""Price targets: a level a firm or a person forecasts for a ticker ("Goldman Sachs
raised its year-end target for the S&P 500 to 3,100 from 2,900").

A number is a target when a target cue governs it: the noun ("target of 3,100", "target
for the S&P 500 to 3,100", "a $250 price target") or a view verb with a horizon ("sees
the index ending the year at 3,400"). ``numbers_in`` (rules/numbers.py) is the number
reader it shares with the level rules, whose own forecast words keep a target's number
from being read as a level too. Precision first: a target whose ticker is not clear is none.
"""
from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import lru_cache
from typing import TYPE_CHECKING

from ..references import Ref
from . import extensions as ext
from .attribution import vocab as attribution_vocab
from .numbers import Number, alternation, name_spans, numbers_in, phrase_re, refs_within
from .vocab import load_vocab

if TYPE_CHECKING:  # spaCy is imported by the pipeline (after ._torchless); here only for hints
    from spacy.tokens import Doc, Span


@dataclass(frozen=True)
class TargetHit:
    ticker: str
    value: float
    decimals: int
    unit: str                    # "USD" | "points" as for levels
    prior: float | None          # "from 2,900" -> 2900.0
    horizon: str | None          # "year-end", "12-month", "end of 2024", "2024 year-end", "next year"
    horizon_end: date | None     # the horizon's last day, when it can be computed
    organization: str | None     # the firm setting it, when named in the sentence as the setter
    person: str | None           # the person setting it, when named
    implied_pct: float | None    # "implies 12% upside" -> 12.0, "implying a 5% decline" -> -5.0
    direction: str | None        # "raised" | "cut" | "set" | None
    start: int                   # evidence: the sentence part holding the setter, the cue and the number
    end: int
    number_start: int
    number_end: int


@lru_cache(maxsize=1)
def _vocab() -> dict[str, tuple[str, ...]]:
    return load_vocab("targets")



# ---------------------------------------------------------------------- cues


@dataclass(frozen=True)
class _Cued:
    number: Number
    prior: Number | None
    cue_start: int
    cue_end: int
    view: bool  # set by a view verb ("sees ... at"), not by the noun "target"


@lru_cache(maxsize=1)
def _patterns() -> dict[str, re.Pattern]:
    v = _vocab()
    prior_words = alternation(v["prior_word"])
    owner = r"(?:(?:a|an|its|the|their|his|her)\s)?"
    clause_word = r"\s(?:and|but|while|whereas|which|who|as|after|because|though|although)\s"
    setting = alternation(v["raise_verb"] + v["cut_verb"] + v["set_verb"])
    return {
        "noun": phrase_re(v["target_noun"]),
        # "target for the S&P 500 to ", "price target of ", "target on IWM to ", "target from "
        "forward": re.compile(r"(?:\s(?:for|on|at|from|by)\s(?:(?!" + clause_word + r")[^;,]){1,50}?)?"
                              r"(?:\s(?:was|were|is|has been|have been|had been)\s(?:" + setting + r"))?"
                              r",?\s?(?P<link>" + alternation(v["target_link"]) + r"|from)\s?", re.IGNORECASE),
        "backward": re.compile(r"(?:['’]s)?\s(?:(?:" + alternation(v["target_modifier"]) + r")\s){0,3}", re.IGNORECASE),
        "prior_after": re.compile(r",?\s(?:(?:up|down)\s)?from\s" + owner + r"(?:(?:" + prior_words + r")\s)?"
                                  r"(?:(?:target|forecast|estimate|call|projection)\s(?:of\s)?)?", re.IGNORECASE),
        "prior_before": re.compile(r"\bfrom\s" + owner + r"(?:(?:" + prior_words + r")\s)?$|\b(?:" + prior_words +
                                   r")\s$", re.IGNORECASE),
        "view": phrase_re(v["view_verb"] + v["view_verb_with_horizon"]),
        "not_price": phrase_re(v["not_price_word"]),
        "not_price_before": re.compile(r"(?<![\w-])(?:" + alternation(v["not_price_word"]) + r")(?:\s[\w&/-]+){0,2}\s$",
                                       re.IGNORECASE),
        "view_mid_end": re.compile(r"\s(?:at|to)\s$", re.IGNORECASE),
        "horizon_verb": re.compile(r"(?<![\w-])(?:" + alternation(v["horizon_verb"]) + r")\s(?:the\s|this\s|next\s)?"
                                   r"(?:year|(?:19|20)\d\d)\b", re.IGNORECASE),
        "horizon_after": re.compile(r"\s(?:by|at|in|before|toward|towards|over|within)\s(?:the\s)?(?:year-end|year end|"
                                    r"end of|end-of-year|next|coming|\d+|twelve|six|three|nine|eighteen)\b", re.IGNORECASE),
        "clause": re.compile(clause_word + r"|;", re.IGNORECASE),
    }


@lru_cache(maxsize=1)
def _not_level_noun() -> re.Pattern:
    return phrase_re(load_vocab("levels")["not_level_noun"])


@lru_cache(maxsize=1)
def _counts_something() -> re.Pattern:
    """A lower-case word after the number that is none of the words a target is followed
    by: "a target of 2 rate cuts" counts something, it is no level."""
    return re.compile(r"\s(?!(?:" + alternation(_vocab()["after_number_ok"]) + r")(?![\w-]))[a-z]")


@lru_cache(maxsize=1)
def _prior_word() -> re.Pattern:
    return phrase_re(_vocab()["prior_word"])


def _cued(text: str, lo: int, hi: int, nums: list[Number]) -> tuple[list[_Cued], list[Number]]:
    """The numbers of text[lo:hi] a target cue governs, each with its prior if written;
    and the priors written before a target noun ("from a previous 2,900 target")."""
    if not nums:  # nothing to govern: most sentences, so their cue searches are skipped
        return [], []
    p = _patterns()
    starts = [n.start for n in nums]
    out: list[_Cued] = []
    priors: list[Number] = []

    def after(pos: int) -> Number | None:
        i = bisect_left(starts, pos)
        return nums[i] if i < len(nums) else None

    def prior_of(n: Number) -> Number | None:
        nxt = after(n.end)
        return nxt if nxt is not None and p["prior_after"].fullmatch(text, n.end, nxt.start) else None

    for m in p["noun"].finditer(text, lo, hi):
        if p["not_price_before"].search(text, max(lo, m.start() - 40), m.start()):
            continue  # "its S&P 500 earnings forecast", "a growth target"
        n = after(m.end())
        link = p["forward"].fullmatch(text, m.end(), n.start) if n is not None else None
        if link and p["not_price"].search(text, m.end(), n.start):
            link = None  # "forecast for S&P 500 earnings to $170"
        if link and link["link"].lower() == "from":
            target = after(n.end)
            if target is not None and re.fullmatch(r"\s(?:to|at)\s", text[n.end:target.start]):
                out.append(_Cued(target, n, m.start(), m.end(), False))
        elif link and not _counts_something().match(text, n.end, hi):
            out.append(_Cued(n, prior_of(n), m.start(), m.end(), False))
        i = bisect_left(starts, m.start())
        b = nums[i - 1] if i and not m.group(0).lower().endswith("s") else None  # "10 projections": a count
        if b is not None and b.end <= m.start() and p["backward"].fullmatch(text, b.end, m.start()):
            if p["prior_before"].search(text, max(lo, b.start - 40), b.start) or _prior_word().search(text, b.end, m.start()):
                priors.append(b)
            else:
                out.append(_Cued(b, prior_of(b), m.start(), m.end(), False))
    for m in p["view"].finditer(text, lo, hi):
        n = after(m.end())
        if n is None or n.start - m.end() > 100:
            continue
        mid = text[m.end():n.start]
        if "," in mid or p["clause"].search(mid) or not p["view_mid_end"].search(mid) or _not_level_noun().search(mid) \
                or p["not_price"].search(mid) or _counts_something().match(text, n.end, hi):
            continue
        if m.group(0).lower() not in _vocab()["view_verb_with_horizon"] or p["horizon_verb"].search(mid) \
                or p["horizon_after"].match(text, n.end, hi):
            out.append(_Cued(n, prior_of(n), m.start(), m.end(), True))
    # "to 2,000, from his earlier target of 1,975": the prior is no target of its own
    seen = {c.prior.start for c in out if c.prior} | {n.start for n in priors}
    unique = []
    for c in sorted(out, key=lambda c: c.number.start):
        if c.number.start not in seen:
            seen.add(c.number.start)
            unique.append(c)
    return unique, priors


# ---------------------------------------------------------------------- the setter


@dataclass(frozen=True)
class _Setter:
    organization: str | None
    org_span: tuple[int, int] | None
    person: str | None
    person_span: tuple[int, int] | None
    verb_start: int | None
    direction: str | None


_POSSESSIVE = ("'s", "’s", "’", "'")
_ADVERBS = frozenset({"also", "recently", "now", "again", "then", "on", "this", "last", "week", "month", "earlier",
                      "today", "yesterday", "monday", "tuesday", "wednesday", "thursday", "friday", ",", "has",
                      "have", "had", "previously", "officially", "formally", "just"})


@lru_cache(maxsize=1)
def _verbs() -> dict[str, re.Pattern]:
    v = _vocab()
    return {"raised": phrase_re(v["raise_verb"]), "cut": phrase_re(v["cut_verb"]), "set": phrase_re(v["set_verb"]),
            "speech": phrase_re(v["setter_verb"])}


def _direction_verb(text: str, lo: int, hi: int) -> tuple[re.Match, str] | None:
    """The last raise / cut / set verb in text[lo:hi], with its direction."""
    best = None
    for direction in ("raised", "cut", "set"):
        for m in _verbs()[direction].finditer(text, lo, hi):
            if best is None or m.start() > best[0].start():
                best = (m, direction)
    return best


@lru_cache(maxsize=1)
def _firm_words() -> frozenset[str]:
    """Words of firm names, never of a person's name or a job title ("Sachs", "Research")."""
    return frozenset(_vocab()["firm_word"]) | attribution_vocab()["org_suffix"]


def _is_org_word(tok_text: str) -> bool:
    return tok_text[:1].isupper() or tok_text in ("&", "Co.", "of") or bool(re.match(r"[a-z]+[A-Z]", tok_text))


def _org_left(doc: Doc, end: int, lo: int, refs: Sequence[Ref]) -> tuple[str, tuple[int, int]] | None:
    """The capitalised firm name ending at token ``end`` (exclusive): "Goldman Sachs",
    "Wells Fargo Securities"; not a generic word ("Analysts", "Meanwhile") nor an index
    or a fund."""
    k = end
    while k > max(lo, end - 8) and _is_org_word(doc[k - 1].text):
        k -= 1
    not_org = _vocab()["not_org"]
    while k < end and (doc[k].text in not_org or doc[k].text in ("of", "&")):
        k += 1
    if k >= end or (end - k == 1 and doc[k].is_stop):
        return None
    span = (doc[k].idx, doc[end - 1].idx + len(doc[end - 1].text))
    if any(r.kind != "stock" and r.start < span[1] and span[0] < r.end for r in refs):
        return None
    return doc[k:end].text, span


def _org_right(doc: Doc, start: int, hi: int) -> tuple[str, tuple[int, int]] | None:
    """The firm named after "at"/"of"/"with": "strategist at Example Capital"."""
    k = start
    if k < hi and doc[k].lower_ == "the":
        k += 1
    j = k
    while j < hi and _is_org_word(doc[j].text) and doc[j].text not in _POSSESSIVE:
        j += 1
    while j > k and doc[j - 1].text in ("of", "&"):
        j -= 1
    if j == k:
        return None
    return doc[k:j].text, (doc[k].idx, doc[j - 1].idx + len(doc[j - 1].text))


def _skip_titles_left(doc: Doc, k: int, lo: int) -> int:
    """Token index before a run of title words ("chief U.S. equity strategist"); the
    words that also end firm names ("Research", "Capital") stay with the firm."""
    v = attribution_vocab()
    firm = _firm_words()
    while k > lo and doc[k - 1].text not in firm and (doc[k - 1].text in v["title_head"] or doc[k - 1].text in
                                                      v["title_word"] or doc[k - 1].lower_ in ("team", "teams")):
        k -= 1
    return k


@dataclass
class _People:
    """The article's person spans in order, and for each last name the full name it was
    first said with, and where ("Jane Doe ... Doe raised")."""

    spans: list[Span]
    starts: list[int]  # token starts
    first_said: dict[str, tuple[str, int]]  # last name -> (full name, token after its first mention)

    @classmethod
    def of(cls, doc: Doc) -> _People:
        spans = sorted(doc.spans.get(ext.PERSONS, []), key=lambda p: p.start)
        first: dict[str, tuple[str, int]] = {}
        for p in spans:
            first.setdefault(p[-1].text, (p.text, p.end))
        return cls(spans, [p.start for p in spans], first)

    def within(self, lo_tok: int, hi_tok: int) -> list[Span]:
        return [p for p in self.spans[bisect_left(self.starts, lo_tok):bisect_left(self.starts, hi_tok)]
                if p.end <= hi_tok]


@dataclass
class _Context:
    """One sentence as the target rules read it; every lookup is local to a cue, so a
    sentence of a thousand targets (a table run together) stays linear."""

    doc: Doc
    text: str
    sent: Span
    refs: list[Ref]  # the sentence's references, in order
    prev: list[Ref]  # the sentence before's
    people: _People

    starts: list[int] = field(init=False)

    def __post_init__(self) -> None:
        self.starts = [r.start for r in self.refs]

    def near(self, lo: int, hi: int, margin: int = 80) -> list[Ref]:
        """The sentence's references within ``margin`` characters of [lo, hi)."""
        return refs_within(self.refs, self.starts, max(self.sent.start_char, lo - margin),
                           min(self.sent.end_char, hi + margin))


def _person_before(doc: Doc, verb_tok: int, lo_tok: int, refs: Sequence[Ref], people: _People
                   ) -> tuple[str, Span] | None:
    """The person who is the subject of the verb, as (full name, where the name stands):
    a person span right before it, or before an appositive (", chief strategist at
    Example Capital,") or "of ORG"; a last name said earlier in full ("Doe raised"); else
    a capitalised First Last that is no firm."""
    for p in reversed(people.within(lo_tok, verb_tok)):
        gap = doc[p.end:verb_tok]
        words = [t for t in gap if t.lower_ not in _ADVERBS]
        if not words or (gap[0].text == "," and gap[-1].text == "," and len(gap) <= 25) or (
                gap[0].lower_ in ("of", "at", "from", "with") and all(_is_org_word(t.text) for t in gap[1:])):
            return p.text, p
    k = verb_tok
    while k > lo_tok and doc[k - 1].lower_ in _ADVERBS and doc[k - 1].text != ",":
        k -= 1
    if k > lo_tok and doc[k - 1].text == ",":
        # "Bernstein, Merrill's chief quantitative strategist, cut": the name before the aside
        k = next((j for j in range(k - 2, max(lo_tok, k - 27) - 1, -1) if doc[j].text == ","), k)
    if k <= lo_tok:
        return None
    said = people.first_said.get(doc[k - 1].text)
    if said and said[1] <= lo_tok and (k - 1 == lo_tok or not doc[k - 2].text[:1].isupper()):
        return said[0], doc[k - 1:k]
    v = attribution_vocab()
    firm = _firm_words()
    name = doc[k - 2:k] if k - 2 >= lo_tok else None
    if name is None or (k - 2 > lo_tok and doc[k - 3].text[:1].isupper()) or name[0].text in _vocab()["not_org"]:
        return None
    if all(re.fullmatch(r"[A-Z][a-z]+(?:[-'’][A-Z]?[a-z]+)*", t.text) and t.text not in firm for t in name) \
            and not any(n in name.text for n in v["not_person"]) \
            and not any(r.start < name.end_char and name.start_char < r.end for r in refs):
        return name.text, name
    return None


def _subject_of(ctx: _Context, lo: int, verb_start: int
                ) -> tuple[tuple[str, Span] | None, tuple[str, tuple[int, int]] | None]:
    """(person, firm) named as the subject of the verb at ``verb_start``, each with
    where it stands."""
    doc, refs = ctx.doc, ctx.near(lo, verb_start)
    region = doc.char_span(lo, verb_start, alignment_mode="contract")
    if region is None or len(region) == 0:
        return None, None
    lo_tok, verb_tok = region.start, region.end
    person = _person_before(doc, verb_tok, lo_tok, refs, ctx.people)
    if person is None:
        k = verb_tok
        while k > lo_tok and doc[k - 1].lower_ in _ADVERBS:
            k -= 1
        k = _skip_titles_left(doc, k, lo_tok)
        if k > lo_tok and doc[k - 1].text in _POSSESSIVE:
            k -= 1  # "Goldman Sachs's strategists raised"
        return None, _org_left(doc, k, lo_tok, refs)
    where = person[1]
    k = _skip_titles_left(doc, where.start, lo_tok)
    if k > lo_tok and doc[k - 1].text in _POSSESSIVE:
        return person, _org_left(doc, k - 1, lo_tok, refs)  # "Morgan Stanley's Jane Doe"
    if lo_tok < k < where.start:
        return person, _org_left(doc, k, lo_tok, refs)  # "Wells Fargo Securities strategist Chris Harvey"
    gap = doc[where.end:verb_tok]
    at = next((t.i for t in gap if t.lower_ in ("at", "of", "with", "from")), None)
    if at is not None:
        return person, _org_right(doc, at + 1, verb_tok)  # "Jane Doe, chief strategist at Example Capital,"
    owner = next((t.i for t in gap if t.text in _POSSESSIVE), None)
    # "Bernstein, Merrill's chief quantitative strategist, cut"
    return person, _org_left(doc, owner, where.end, refs) if owner is not None else None


# How far before the cue its setter may be named: a subject, its title and an appositive.
SETTER_REACH = 250
_PASSIVE_ORG = re.compile(r"\s(?:at|from|by)\s(?:the\s)?(?=[A-Z])")


def _setter(ctx: _Context, c: _Cued) -> _Setter:
    """Who sets the target: the subject of the raise/cut/set verb before the cue (or of
    the view verb, or of "said"), as a person, a firm or both ("Morgan Stanley's Jane Doe
    set"); else a firm named in a passive ("target at Example Partners was lowered to",
    "was raised to $210 by Example Partners")."""
    doc, text, sent = ctx.doc, ctx.text, ctx.sent
    lo = max(sent.start_char, c.cue_start - SETTER_REACH)
    clause = [m.end() for m in _patterns()["clause"].finditer(text, lo, c.cue_start)]
    lo = clause[-1] if clause else lo
    found = _direction_verb(text, max(lo, c.cue_start - 80), c.cue_start) if not c.view else None
    passive = _direction_verb(text, c.cue_end, c.number.start) if not c.view and found is None else None
    direction = found[1] if found else passive[1] if passive else None
    if c.view:
        verb_start: int | None = c.cue_start
    elif found:
        verb_start = found[0].start()
    else:  # "Goldman Sachs said its target is 3,100": a setter without a direction
        speech = list(_verbs()["speech"].finditer(text, max(lo, c.cue_start - 80), c.cue_start))
        verb_start = speech[-1].start() if speech else None
    person, org = _subject_of(ctx, lo, verb_start) if verb_start is not None else (None, None)
    if person is None and org is None and not c.view:
        m = _PASSIVE_ORG.search(text, c.cue_end, c.number.start) or _PASSIVE_ORG.match(text, c.number.end, sent.end_char)
        end = c.number.start if m and m.end() <= c.number.start else min(sent.end_char, c.number.end + 80)
        at = doc.char_span(m.end(), end, alignment_mode="contract") if m else None
        if at is not None and len(at):
            org = _org_right(doc, at.start, at.end)
            if org and any(r.kind != "stock" and _overlaps(r, org[1]) for r in ctx.near(*org[1])):
                org = None
    return _Setter(org[0] if org else None, org[1] if org else None, person[0] if person else None,
                   (person[1].start_char, person[1].end_char) if person else None, verb_start, direction)


@lru_cache(maxsize=1)
def _owner_re() -> re.Pattern:
    return re.compile(r"['’]s\s(?:(?:" + alternation(_vocab()["target_modifier"]) + r"|(?:19|20)\d\d)\s){0,3}$",
                      re.IGNORECASE)


def _owner(ctx: _Context, c: _Cued) -> tuple[str, tuple[int, int]] | None:
    """The firm whose target it is, named as the noun's owner: "Example Bank's price
    target", "Example Capital's year-end target"."""
    lo = max(ctx.sent.start_char, c.cue_start - SETTER_REACH)
    m = _owner_re().search(ctx.text, lo, c.cue_start)
    region = ctx.doc.char_span(lo, m.start(), alignment_mode="contract") if m and not c.view else None
    if region is None or len(region) == 0:
        return None
    return _org_left(ctx.doc, region.end, region.start, ctx.near(lo, c.cue_start))


# ---------------------------------------------------------------------- the ticker


def _overlaps(r: Ref, span: tuple[int, int] | None) -> bool:
    return span is not None and r.start < span[1] and span[0] < r.end


_AFTER_TARGET = re.compile(r"\s(?:[\w-]+\s){0,2}?(?:on|for)\s(?:the\s)?", re.IGNORECASE)


# A sentence naming more tickers than this is a list: a target it does not tie to one by
# its cue is no one's.
MAX_SENTENCE_TICKERS = 12


def _ticker(ctx: _Context, c: _Cued, setter: _Setter) -> tuple[Ref | None, bool]:
    """(the ticker the target is for, whether the cue names it): named by the cue
    ("target for the S&P 500 to", "target on IWM", "S&P 500 target", "Apple's price
    target", "$250 on SPY"; "sees the index ending"), else the one ticker of the
    sentence, else the one of the sentence before when this sentence names none."""
    text = ctx.text
    first, end = min(c.cue_start, c.number.start), max(c.number.end, c.cue_end)

    def setting(r: Ref) -> bool:
        return _overlaps(r, setter.org_span) or _overlaps(r, setter.person_span)

    cands = [r for r in ctx.near(first, end) if not setting(r)]
    if c.view:
        return next((r for r in cands if c.cue_end <= r.start and r.end <= c.number.start), None), True
    for r in cands:
        if c.cue_end <= r.start and r.end <= c.number.start:
            return r, True  # "target for the S&P 500 to 3,100"
    for r in cands:
        if r.start >= end and _AFTER_TARGET.fullmatch(text, end, r.start):
            return r, True  # "price target of $250 on SPY", "a $250 price target on SPY"
    for r in reversed(cands):
        if r.end <= first and _patterns()["backward"].fullmatch(text, r.end, first):
            return r, True  # "its S&P 500 year-end target", "Apple's price target"
    if len(ctx.refs) > MAX_SENTENCE_TICKERS:
        return None, False
    others = [r for r in ctx.refs if not setting(r)]
    if len({r.symbol for r in others}) == 1:
        return others[0], False
    if not others and len({r.symbol for r in ctx.prev}) == 1:
        return ctx.prev[0], False
    return None, False


# ---------------------------------------------------------------------- horizon, upside

_MONTHS = {"one": 1, "two": 2, "three": 3, "four": 4, "six": 6, "nine": 9, "twelve": 12, "eighteen": 18,
           "twenty-four": 24}
_N = r"(?P<n>\d{1,2}|one|two|three|four|six|nine|twelve|eighteen|twenty-four)"
_YEAR = r"(?P<y>(?:19|20)\d\d)"
_HORIZONS: tuple[tuple[re.Pattern, str], ...] = tuple((re.compile(p, re.IGNORECASE), kind) for p, kind in (
    (_YEAR + r"\s(?:year-end|year end|end-of-year)\b", "year"),           # "2024 year-end"
    (r"\b(?:year-end|year end|end of)\s" + _YEAR + r"\b", "year"),         # "year-end 2024", "end of 2024"
    (r"\b(?:end|ends|ending|finish|finishes|finishing|close|closes|closing)\s" + _YEAR + r"\b", "year-verb"),
    (r"\bnext\syear['’]s\send\b|\bend\sof\snext\syear\b|\byear-end\snext\syear\b|\bnext\syear\b", "next"),
    (r"\b(?:(?:next|in)\s)?" + _N + r"[-\s]months?\b", "months"),            # "12-month", "next 12 months"
    (r"\b(?:one|1)-year\b", "one-year"),
    (r"\b(?:year-end|year end|end-of-year|end of (?:the|this) year)\b", "this"),
    (r"\b(?:end|ends|ending|finish|finishes|finishing|close|closes|closing)\s(?:the|this)\syear\b", "this-verb"),
))


def horizon_of(text: str, published: date | None) -> tuple[str | None, date | None]:
    """(horizon phrase, its last day) of the first horizon written in ``text``: "2024
    year-end" -> 2024-12-31; "year-end" -> Dec 31 of ``published``'s year; "12-month" ->
    ``published`` + 365 days. A verb form ("ending the year") reads as "year-end"."""
    for pattern, kind in _HORIZONS:
        m = pattern.search(text)
        if m is None:
            continue
        phrase = " ".join(m.group(0).lower().split())
        if kind == "year":
            return phrase, date(int(m["y"]), 12, 31)
        if kind == "year-verb":
            return f"end of {m['y']}", date(int(m["y"]), 12, 31)
        if kind == "next":
            return phrase, date(published.year + 1, 12, 31) if published else None
        if kind == "months":
            count = int(m["n"]) if m["n"].isdigit() else _MONTHS[m["n"].lower()]
            return phrase, published + timedelta(days=count * 365 // 12) if published else None
        if kind == "one-year":
            return phrase, published + timedelta(days=365) if published else None
        if kind == "this-verb":
            phrase = "year-end"
        return phrase, date(published.year, 12, 31) if published else None
    return None, None


@lru_cache(maxsize=1)
def _implied_re() -> re.Pattern:
    v = _vocab()
    words = alternation(v["upside_word"] + v["downside_word"])
    return re.compile(r"(?<![\w-])(?:" + alternation(v["implied_verb"]) + r")\s(?:(?:an?|roughly|about|nearly|some|"
                      r"another|potential|more than|almost|around)\s)*(?:(?P<w1>" + words + r")\s(?:of\s)?)?"
                      r"(?P<sign>[+\-−])?(?P<n>\d+(?:\.\d+)?)\s?(?:%|percent|per cent)(?:\s(?:of\s)?(?:potential\s)?"
                      r"(?P<w2>" + words + r")\b)?", re.IGNORECASE)


def implied_pct(text: str) -> float | None:
    """"implies 12% upside" -> 12.0, "implying a 5% decline" -> -5.0; None when no
    implied move or no word says which way."""
    m = _implied_re().search(text)
    if m is None:
        return None
    word = (m["w2"] or m["w1"] or "").lower()
    if m["sign"]:
        return -float(m["n"]) if m["sign"] != "+" else float(m["n"])
    if word in _vocab()["downside_word"]:
        return -float(m["n"])
    if word in _vocab()["upside_word"]:
        return float(m["n"])
    return None


# ---------------------------------------------------------------------- targets


def iter_targets(doc: Doc, refs: Sequence[Ref], body_start: int, published: date | None) -> Iterator[TargetHit]:
    """Price targets in the article body, sentence by sentence; ``published`` dates the
    horizons ("year-end" is that year's). A sentence with a "respectively" list is
    skipped: its numbers pair with tickers in an order these rules do not read."""
    text = ext.text_of(doc)
    names = name_spans(doc, refs)
    starts = [r.start for r in refs]
    people = _People.of(doc)
    prev: list[Ref] = []
    for sent in doc.sents:
        if sent.end_char <= body_start:
            continue
        ctx = _Context(doc, text, sent, refs_within(refs, starts, sent.start_char, sent.end_char), prev, people)
        if "respectively" not in text[sent.start_char:sent.end_char].lower():
            lo = max(sent.start_char, body_start)
            for c in _cued(text, lo, sent.end_char, numbers_in(text, lo, sent.end_char, names))[0]:
                hit = _hit(ctx, c, published)
                if hit is not None:
                    yield hit
        prev = ctx.refs


def _hit(ctx: _Context, c: _Cued, published: date | None) -> TargetHit | None:
    text, sent = ctx.text, ctx.sent
    setter = _setter(ctx, c)
    ref, named = _ticker(ctx, c, setter)
    if ref is None:
        return None
    org, org_span = setter.organization, setter.org_span
    if org is None and setter.person is None:
        owner = _owner(ctx, c)
        if owner is not None and not _overlaps(ref, owner[1]):
            org, org_span = owner
    n = c.number
    lo = min(c.cue_start, n.start)
    hi = max(c.cue_end, n.end, c.prior.end if c.prior else 0)
    # the horizon is written with the cue: "set a 12-month price target", "2024 year-end
    # S&P 500 target", "at 3,000 by the end of next year" (up to the next comma)
    left = max(sent.start_char, min(lo - 30, setter.verb_start if setter.verb_start is not None else lo))
    right = hi + re.match(r"[^,;]*", text[hi:min(sent.end_char, hi + 60)]).end()
    horizon, horizon_end = horizon_of(text[left:right], published)
    spans = [s for s in (org_span, setter.person_span, (ref.start, ref.end) if named else None) if s is not None]
    start = min([lo] + [s[0] for s in spans] + ([setter.verb_start] if setter.verb_start is not None else []))
    end = max([hi] + [s[1] for s in spans])
    return TargetHit(ticker=ref.symbol, value=n.value, decimals=n.decimals,
                     unit="USD" if n.dollar or ref.kind != "index" else "points",
                     prior=c.prior.value if c.prior else None, horizon=horizon, horizon_end=horizon_end,
                     organization=org, person=setter.person, implied_pct=implied_pct(text[hi:min(sent.end_char, hi + 120)]),
                     direction=setter.direction, start=start, end=end, number_start=n.start, number_end=n.end)
