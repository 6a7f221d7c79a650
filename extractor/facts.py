"""Doc -> fact records: flows, returns, quotes, sentiment, and the article's tickers.

The rule components have already placed ticker, money, percent, time and person spans
on the Doc. This module decides which numbers are claims and whose they are:

* a percent is a *return* when a movement cue ("fell", "up", "+") governs it and no
  non-return cue ("expense ratio", "of assets", "yield") does; a dollar amount is a
  *flow* when a flow cue ("redemptions", "poured ... into") does and it is not assets
  under management, volume or a price;
* the ticker is the fund or index the clause is about: the nearest mention before the
  number in its sentence (or an anaphor such as "the fund", "it"), else the one after
  it; "respectively" lists and "(+14.65% versus 14.07%)" groups are paired in order;
* the window is the nearest time phrase in the sentence, else the one the article last
  used, resolved on the NYSE calendar from the publication date.

Functions take a Doc and yield plain records; nothing here touches a database.
"""
from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Iterator
from dataclasses import dataclass, replace
from functools import lru_cache

from spacy.tokens import Doc, Span

from .asof import CLOCK, cue_pattern, in_session
from .cues import FUND_KINDS, cue_re, cues, has, last
from .references import Ref, build_refs
from .rules import extensions as ext
from .rules.attribution import iter_quotes
from .schema import Anchor, Article, ArticleFacts, Flow, Return, Window
from .normalize.time import before
from .windows import TimeIndex, build_time_index


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


# The classifier overrules a rule candidate when it gives the candidate's own roles at
# most 1 - ROLE_VETO of its probability ("32 percent of its weight", "$14.4B in
# assets") and the rule's cue does not govern the number outright. 0.6 was set before
# any measurement and not tuned.
ROLE_VETO = 0.6
RETURN_ROLES = ("return", "forecast")


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
    return 1.0 - role_confidence(c, roles) >= ROLE_VETO


# "annualized return of Ark Innovation totaled only 6.01%"
_RETURN_NOUN_GOVERNS = re.compile(
    r"\b(?:returns?|performance|gains?|loss(?:es)?|declines?|drops?|advances?)\b[^.;%$]{0,45}?\b(?:totall?ed|"
    r"was|were|is|are|of|stood at|came to|reached|amounted to|by)\s(?:only\s|just\s|about\s|roughly\s|nearly\s|"
    r"almost\s|some\s|around\s)?$", re.IGNORECASE)
_NOUN_COMPLEMENT = re.compile(r"\s*(?:of|in)\b", re.IGNORECASE)


def direct_return_cue(c: Candidate, text: str) -> bool:
    """A movement cue within three words before the number ("added 1.8%", "is still up
    roughly 40%"), a signed number, a cue right after it ("a 5% gain", "8% below its
    high"), or a return noun whose verb takes the number ("return ... totaled 6.01%")."""
    if c.sign is not None:
        return True
    left = text[max(c.sent.start_char, c.start - 90):c.start]
    right = text[c.end:min(c.sent.end_char, c.end + 40)]
    if _MOVE_RE().search(" ".join(left.split()[-3:])) or _ABOVE_BELOW.match(right):
        return True
    first = " ".join(right.split()[:1])
    if _MOVE_RE().match(first) or re.match(r"(?:gain|loss|decline|drop|advance|return|rise|fall)s?\b", first, re.I):
        return True
    return bool(_RETURN_NOUN_GOVERNS.search(left))


def direct_flow_cue(c: Candidate, text: str) -> bool:
    """A phrase that takes the amount as its object ("brought in $1 billion", "outflows
    of $835 million", "pulled nearly $2 billion"), or one right after it ("$2 billion of
    inflows", "$400 million in new assets", "$700 million has vacated IWM"): the
    vocabularies flow_governs_before / flow_governs_after; or a flow noun whose verb
    takes the amount ("outflows from VNQ reached $158 million")."""
    if c.sign is not None:
        return True
    left = text[max(c.sent.start_char, c.start - 60):c.start]
    right = text[c.end:min(c.sent.end_char, c.end + 40)]
    before, after = _flow_governs()
    return bool(before.search(left) or after.match(right) or _FLOW_NOUN_GOVERNS.search(left))


@lru_cache(maxsize=1)
def _flow_governs() -> tuple[re.Pattern, re.Pattern]:
    """(phrase ending right before the amount, phrase starting right after it)."""
    before = re.compile(r"(?:" + cue_re("flow_governs_before").pattern + r")\s(?:(?:about|nearly|roughly|some|"
                        r"over|more than|almost|around|another|an additional|a net|a record|net)\s){0,2}$", re.I)
    after = re.compile(r"\s*(?:" + cue_re("flow_governs_after").pattern + r")", re.I)
    return before, after


# "Average daily outflows from VNQ reached $158 million", "redemptions ... totaled $2 billion"
_FLOW_NOUN_GOVERNS = re.compile(
    r"\b(?:(?:in|out)flows?|redemptions|withdrawals|creations)\b[^.;$%]{0,45}?\b(?:reached|totall?ed|hit|topped|"
    r"came to|amounted to|were|was|stood at|rose to|climbed to|swelled to|grew to)\s(?:(?:about|nearly|roughly|"
    r"some|over|more than|almost|around|a record)\s)?$", re.IGNORECASE)


def _sentences(doc: Doc, body_start: int) -> list[Span]:
    return [s for s in doc.sents if s.end_char > body_start]


# A sentence this long is a table run together or garbage, never a claim's sentence (the
# longest in the dev corpus is ~450 characters): its numbers are not read, which keeps the
# attachment loops (linear in the sentence per number) from turning quadratic.
MAX_SENTENCE = 3000


def _sent_of(sents: list[Span], starts: list[int], pos: int) -> Span | None:
    """The sentence holding ``pos`` (``starts``: the sentences' start offsets, in text
    order, for a binary search), or None when there is none or it is longer than
    MAX_SENTENCE."""
    i = bisect_right(starts, pos) - 1
    if i < 0:
        return None
    s = sents[i]
    if not (s.start_char <= pos < s.end_char) or s.end_char - s.start_char > MAX_SENTENCE:
        return None
    return s


def _clause_bounds(sent: Span, start: int, end: int) -> tuple[int, int]:
    """The clause around [start, end): split at semicolons and dashes."""
    text = sent.text
    off = sent.start_char
    lo, hi = off, sent.end_char
    for m in re.finditer(r";|\s[—–]\s|\s--\s", text):
        p = off + m.start()
        if p < start:
            lo = off + m.end()
        elif p >= end and p < hi:
            hi = p
    return lo, hi


def _groups(cands: list[Candidate], text: str) -> list[list[Candidate]]:
    """Numbers listed together ("12.0% and 11.5%", "(+14.65% YTD versus 14.07%)",
    "$986.2 million and $117.1 million, respectively") form one group."""
    groups: list[list[Candidate]] = []
    for c in cands:
        if groups and groups[-1][-1].sent.start == c.sent.start:
            gap = text[groups[-1][-1].end:c.start]
            if len(gap) <= 30 and re.fullmatch(
                    r"[\s,]*(?:\w+\s)?(?:YTD\s)?(?:and|versus|vs\.?|compared with|compared to|while|or|,)\s?[\s,]*",
                    gap, flags=re.IGNORECASE) and "(" not in gap:
                groups[-1].append(c)
                continue
        groups.append([c])
    return groups


# A time phrase after one of these belongs to another clause: "rose 2.3% to 31.46, and
# said she expects choppy trading into the Fed's meeting next week".
_CLAUSE_BREAK = re.compile(r"\b(?:said|says|while|but|whereas|although|though|expects?|predicts?)\b|;")
_RELATIVE = re.compile(r",\s(?:which|who|whose|that)\b[^,;]*,")


def _respectively(sent: Span) -> bool:
    return "respectively" in sent.text.lower()


def _assign(group: list[Candidate], refs: list[Ref], ref_starts: list[int], text: str, *,
            kinds: tuple[str, ...] | None,
            prefer_prep: bool) -> list[Ref | None]:
    """The ticker each number in the group is about."""
    first, last = group[0], group[-1]
    sent = first.sent
    lo, hi = _clause_bounds(sent, first.start, last.end)
    # the sentence's references by binary search (``ref_starts``: where each starts, in
    # text order), not a pass over the article's every reference per number
    nearby = refs[bisect_right(ref_starts, sent.start_char - 1):bisect_right(ref_starts, sent.end_char)]
    in_sent = [r for r in nearby if (kinds is None or r.kind in kinds)
               and sent.start_char <= r.start and r.end <= sent.end_char]
    left = [r for r in in_sent if r.end <= first.start and r.start >= lo]
    if len(group) > 1:
        distinct: list[Ref] = []
        for r in reversed(left):
            if not distinct or distinct[0].symbol != r.symbol:
                distinct.insert(0, r)
        paired_in_parens = "(" in text[max(lo, first.start - 3):first.start] or _respectively(sent)
        if len(distinct) >= len(group) and (paired_in_parens or _respectively(sent) or
                                            len({r.symbol for r in distinct[-len(group):]}) == len(group)):
            # "Both VOO and IVV are up 12.0% and 11.5%": the last n references, in order
            pool = distinct[-len(group):]
            if not _respectively(sent) and not paired_in_parens:
                pool = None
            if pool:
                return list(pool)
    out: list[Ref | None] = []
    for c in group:
        target = None
        right = [r for r in in_sent if r.start >= c.end and r.end <= hi]
        if prefer_prep:
            for r in right:
                between = text[c.end:r.start]
                # "$441.5 million from HYG", "$658 million was funneled into the ...": the
                # preposition comes within a few words, before any new clause.
                m = re.match(r"\s*(?:[\w'’-]+\s){0,4}?(?:into|from|in|out of|exited|vacated|left|to)\b", between)
                if m and len(between) <= 90 and not re.search(
                        r"[;.]|\b(?:while|but|whereas|and|although)\b", between[:m.end()]) and \
                        len(between) - m.end() <= 45 and not re.search(
                        r",\s(?:and|while|but)\b|\b(?:while|whereas|though|although)\b|;", between[m.end():]):
                    target = r
                    break
        if target is None:
            # "a gain of roughly 1% for the SPDR S&P 500 ETF Trust", "the 10.2% gain in the S&P 500"
            for r in right:
                if re.fullmatch(r"\s?(?:[\w-]+\s){0,1}(?:for|in|of|by)\s(?:the\s)?", text[c.end:r.start]):
                    target = r
                break
        if target is None:
            lefts = [r for r in in_sent if r.end <= c.start and r.start >= lo]
            # "the fund, which seeks three times the return of the Nasdaq-100 Index,
            # tumbled 27.6%": a reference inside a relative clause is not the subject.
            masked = [(sent.start_char + m.start(), sent.start_char + m.end())
                      for m in _RELATIVE.finditer(sent.text) if sent.start_char + m.end() <= c.start]
            outside = [r for r in lefts if not any(a <= r.start < b for a, b in masked)]
            if outside:
                lefts = outside
            # "the best performer among the Dow's 30 components, up 47%": an index named
            # as the owner of its members is not the one that moved
            lefts = [r for r in lefts if not _MEMBERS_OF.match(text, r.end)]
            if lefts:
                target = lefts[-1]
        if target is None and right:
            r = right[0]
            gap = text[c.end:r.start]
            if len(gap) <= 120 and not re.search(r"\b(?:though|although|while|whereas|but)\b|;", gap):
                target = r
        out.append(target)
    return out


_ONE_DAY = re.compile(r"^(?:one|single|1)\s+(?:day|session)s?$")
_NAMED_DAY = re.compile(r"^(?:today|yesterday|(?:last\s+)?(?:monday|tuesday|wednesday|thursday|friday)|"
                        r"[a-z]{3,9}\.?\s+\d{1,2}(?:,\s+\d{4})?)$")


_MEMBERS_OF = re.compile(r"['’]s\s+(?:\d+\s+)?(?:components?|members?|constituents?|stocks|holdings|"
                        r"biggest|best|worst|top|largest|leading|laggards?|gainers?|losers?)\b", re.IGNORECASE)


def _window_for(c: Candidate, times: TimeIndex, text: str) -> Window | None:
    """The time phrase that governs the number, with where it came from: its own clause
    ("claim"), elsewhere in its sentence ("sentence"), or borrowed from before it."""
    sent = c.sent
    # a phrase after the number governs it only before any clause break or other figure
    # ("slumped 8.9 percent, ..., down 25 percent from its April 29 high": the high is the 25's)
    # a phrase before it in another clause joined by a semicolon is that clause's
    phrases = [p for p in times.in_span(sent.start_char, sent.end_char)
               if (p[0] < c.start and ";" not in text[p[1]:c.start])
               or (p[0] >= c.end and not (_CLAUSE_BREAK.search(text[c.end:p[0]]) or _NUMBER.search(text[c.end:p[0]])))]
    if any(_NAMED_DAY.match(p[2].label or "") for p in phrases):
        # "the second-biggest single-day inflow ... on Wednesday": the day it names
        phrases = [p for p in phrases if not _ONE_DAY.match(p[2].label or "")]
    if phrases:
        def dist(p):
            s, e, _ = p
            if e <= c.start:
                return c.start - e
            if s >= c.end:
                return (s - c.end) * 0.8  # "down 11 percent since July 22": the phrase after reads first
            return 0
        s, e, w = min(phrases, key=dist)
        lo, hi = _clause_bounds(sent, c.start, c.end)
        return replace(w, source="claim" if lo <= s and e <= hi else "sentence")
    return None


def _fallback(c: Candidate, times: TimeIndex, text: str) -> Window:
    """No phrase governs the number: the latest period named before it, else one just after."""
    return times.before(c.start, text) or times.after_in_paragraph(c.start, text) or Window()


SESSION, EXTREME = 1, 2  # Window.intraday


def _intraday(c: Candidate, window: Window, text: str, anchor: Anchor, forecast: bool) -> Window:
    """Mark a realized figure that is a moment inside its end session: its sentence
    trades "in early trading", "at midday", "as much as ... at the open", at a clock
    time during the session; or the article was written during the publication day's
    session and the window ends on that day."""
    if forecast or window.end is None:
        return window
    sentence = text[c.sent.start_char:c.sent.end_char]
    if cue_pattern("extreme").search(sentence) is not None:
        return replace(window, intraday=EXTREME)
    own = cue_pattern("intraday").search(sentence) is not None or any(
        in_session(m) for m in CLOCK.finditer(sentence))
    if own or (anchor.intraday and anchor.published is not None and window.end == anchor.published):
        return replace(window, intraday=SESSION)
    return window


def _dedupe_returns(items: list[Return]) -> list[Return]:
    out: list[Return] = []
    for r in items:
        dup = None
        for i, o in enumerate(out):
            if o.ticker != r.ticker or o.value_pct_high != r.value_pct_high:
                continue
            if o.value_pct == r.value_pct:
                dup = i
                break
            a, b = sorted((o, r), key=lambda x: _decimals(x.value_pct))
            if (a.value_pct > 0) == (b.value_pct > 0) and round(b.value_pct, _decimals(a.value_pct)) == a.value_pct:
                dup = i
                out[i] = b if b is r else o  # keep the more precise figure
                break
        if dup is None:
            out.append(r)
    return out


def _decimals(x: float) -> int:
    """Decimals written in ``x`` ("2.75" -> 2; "2e+16" -> 0)."""
    s = f"{abs(float(x)):.12g}"
    return len(s.split(".")[1]) if "." in s and "e" not in s else 0


# ---------------------------------------------------------------------- returns


def _moves(text: str) -> list[tuple[int, int]]:
    """(position, +1/-1) of every movement cue, longest cue first, so "gave up" is
    one falling cue and not a rising "up"."""
    return [(m.start(), -1 if m.group(0).lower() in _DOWN else 1) for m in _MOVE_RE().finditer(text)]


@lru_cache(maxsize=1)
def _MOVE_RE() -> re.Pattern:
    words = sorted(set(cues()["return_up"]) | set(cues()["return_down"]), key=len, reverse=True)
    return re.compile(r"(?<![\w-])(?:" + "|".join(re.escape(w) for w in words) + r")(?![\w-])", re.IGNORECASE)

_DOWN = frozenset(w.lower() for w in cues()["return_down"])
# "8% below its July 31 record close", "13 per cent above its June 16 low"
_ABOVE_BELOW = re.compile(r"\s*(above|below|off)\s(?:its|their|the|a)\b[^.;,]{0,30}?\b(?:low|high|peak|record|"
                          r"close|level|average|top|bottom)\b", re.IGNORECASE)


def _return_sign(left: str, right: str) -> int:
    """The movement cue nearest the number decides the sign."""
    ab = _ABOVE_BELOW.match(right)
    if ab:
        return 1 if ab.group(1).lower() in ("above", "over") else -1
    r = _moves(right[:25])
    if r and r[0][0] <= 14:
        return r[0][1]  # "closed 14% lower", "a 2.93% fall"
    lm = _moves(left)
    if lm:
        return lm[-1][1]
    return r[0][1] if r else 1


_NOT_RETURN_SUBJECT = re.compile(
    r"\b(?:futures|shares outstanding|share count|yields?|short interest|assets|volume|holdings|weight(?:ing)?s?|"
    r"expense ratio|spread|rates?)\b(?:\s(?:on|of|for|in))?(?:\s(?:the|its))?\s*$", re.IGNORECASE)
_HYPOTHETICAL = re.compile(r"\b(?:can|tends? to|typically|usually|historically)\b", re.IGNORECASE)
_NUMBER = re.compile(r"\d(?:\.\d+)?\s?(?:%|percent|per cent)|\$\s?\d[\d.,]*(?:\s?(?:billion|million|bn|mn|[bmk]))?",
                     re.IGNORECASE)


def right_of(c: Candidate, text: str, n: int = 40) -> str:
    return text[c.end:min(c.sent.end_char, c.end + n)]


def _in_table_row(text: str, pos: int) -> bool:
    """A line of a pipe table ("SPY | -3,104.6 | 175,330.2 | -1.74%"): its columns are
    not labelled here, so its numbers are not read as claims."""
    a = text.rfind("\n", 0, pos) + 1
    b = text.find("\n", pos)
    return text[a:len(text) if b < 0 else b].count("|") >= 2


def _clean_left(text: str) -> str:
    """The words between a ticker and its number, with relative clauses (", which
    holds ... at a 45% weight,") and anything before an earlier number cut out."""
    text = _RELATIVE.sub(",", text)
    last_num = None
    for last_num in _NUMBER.finditer(text):
        pass
    return text[last_num.end():] if last_num else text


def _is_return(c: Candidate, ref_end: int, text: str, grouped_signed: bool, ref_start: int | None = None,
               prev_end: int = 0) -> bool:
    if ref_start is not None and _NOT_RETURN_SUBJECT.search(text[max(c.sent.start_char, ref_start - 30):ref_start]):
        return False  # "Futures on the gauge rose", "shares outstanding of HYG ... declined"
    left_full = _clean_left(text[max(c.sent.start_char, ref_end, prev_end):c.start])
    if re.search(r"(?:\b(?:not|never)|n['’]t)\s(?:[\w-]+\s){0,2}?(?:" + _MOVE_RE().pattern + ")", left_full + " " + right_of(c, text)) \
            or re.search(r"\b(?:not|never)\s(?:[\w-]+\s){0,2}?(?:suffered|seen|posted|had)\b", left_full):
        return False  # "has not suffered a 5% pullback", "didn't fall 2%"
    if _HYPOTHETICAL.search(text[max(c.sent.start_char, ref_end, prev_end):c.start]) or \
            re.search(r"\bwould\s(?:take|put|bring|send|push|mean|leave)\b", c.sent.text):
        return False  # "the fund can fall 30%", "a 10% correction would take the index to 24673"
    left = left_full[-70:]
    right = text[c.end:min(c.sent.end_char, c.end + 40)]
    near_left = " ".join(left.split()[-4:])
    if re.match(r"\s*(?:of\b|of the\b|of its\b|of total|of assets|of aum|of average)", right, re.IGNORECASE):
        return False
    if re.match(r"\s*(?:\d+-month\s|\d+-year\s|annual\s|trailing\s)?(?:yield|expense ratio|stake|weight|weighting|"
                r"allocation|share\b|discount|premium|coupon|dividend|interest|rate|fee|chance|probability|odds|"
                r"margin|tariff|annualized yield|distribution)", right, re.IGNORECASE):
        return False
    if has("not_return", near_left + " " + right[:12]) or has("not_return", left[-40:]):
        return False
    if re.search(r"\bto\s(?:as\s(?:high|low)\sas\s)?$|\bat\s$|\bfrom\s(?:a\s)?$", left):
        return False  # "to 2.9%", "at 35 percent", "from a 1.63% low": levels
    if c.sign is not None or grouped_signed:
        return True
    if _ABOVE_BELOW.match(right):
        return True  # "8% below its July 31 record close"
    anchor_pos = ref_start if ref_start is not None and ref_start < c.start else ref_end
    wide = _clean_left(text[max(c.sent.start_char, prev_end, anchor_pos - 40):c.start])
    return bool(_moves(wide)) or bool(re.match(r"\s*(?:[\w-]+\s){0,2}?(?:" + _MOVE_RE().pattern + ")", right))


def _is_forecast(c: Candidate, text: str, window: Window, published, ref_start: int) -> bool:
    """A forecast cue in the clause that carries the claim ("expects the S&P 500 to
    increase 18 percent", "will rally 11 percent"), or a window ending in the future."""
    lo = max(c.sent.start_char, min(ref_start, c.start) - 60)
    left = text[lo:c.start]
    cut = None
    for m in re.finditer(r"\bwhile\b|\bbut\b|\bwhereas\b|;|\bafter\b|\bsince\b", left):
        if lo + m.end() <= min(ref_start, c.start):
            cut = m.end()
    if cut is not None:
        left = left[cut:]
    right = text[c.end:c.sent.end_char]
    if has("forecast", left) or re.search(r"out of the question|in the cards", right[:80]):
        return True
    if published and window.end and window.end > published:
        return True
    return False


# the wire's day move: "rose 21.40 points, or 0.5%, to 4,118.62"
_DAY_MOVE = re.compile(r"(?<![\d,.])\d[\d,.]{0,12}\s+points?,?\s+or\s+\d[\d.]{0,6}\s?(?:%|percent|per cent)",
                       re.IGNORECASE)


def _borrowed(w: Window, pos: int, text: str, times: TimeIndex) -> str:
    """Source of a window taken from an earlier claim: its paragraph, or the article."""
    if w.phrase_start is None:
        return "article"
    return "paragraph" if w.phrase_start >= times.para_start(text, pos) else "article"


# A web page's live quote beside a name ("the Dow Jones Industrial Average DJIA, +0.03% has
# slipped 2.3%"): the market when the page was saved, not a claim of the article.
_CHIP_LEFT = re.compile(r"\b[A-Z][A-Z0-9.]{0,6},\s?$")
_CHIP = re.compile(r"[+\-−]\d+\.\d\d%$")


def quote_chip(text: str, start: int, end: int) -> bool:
    return bool(_CHIP.match(text[start:end]) and _CHIP_LEFT.search(text, max(0, start - 10), start))


def iter_returns(doc: Doc, refs: list[Ref], times: TimeIndex, anchor: Anchor, body_start: int) -> Iterator[Return]:
    text = doc.text
    sents = _sentences(doc, body_start)
    starts, ref_starts = [s.start_char for s in sents], [r.start for r in refs]
    cands = []
    for s in doc.spans.get(ext.PERCENT, []):
        if s.start_char < body_start or s._.x_kind == "pp" or quote_chip(text, s.start_char, s.end_char):
            continue
        sent = _sent_of(sents, starts, s.start_char)
        if sent is None:
            continue
        cands.append(Candidate(s.start_char, s.end_char, s._.x_value, s._.x_value_high, s._.x_sign,
                               s._.x_qualifier, sent, s._.x_role_probs))
    last_fc: Window | None = None
    prev_end = 0
    for group in _groups(cands, text):
        targets = _assign(group, refs, ref_starts, text, kinds=None, prefer_prep=False)
        grouped_signed = len(group) > 1 and any(c.sign is not None for c in group)
        subj = min((r.start for r in targets if r is not None), default=None)
        g_prev_end = prev_end
        prev_end = group[-1].end
        lead_sign: int | None = None
        for i, (c, ref) in enumerate(zip(group, targets)):
            if i == 0:
                lead_direct = direct_return_cue(c, text)
            # "are down 3.2% and 3.1%": a bare list member shares the lead's cue; "5 percent,
            # while 32 percent of its assets ..." has its own complement and does not
            bare = i > 0 and not _NOUN_COMPLEMENT.match(text[c.end:c.end + 10])
            direct = direct_return_cue(c, text) or (lead_direct and (i == 0 or bare))
            if ref is None or _in_table_row(text, c.start) or vetoed(c, RETURN_ROLES, direct=direct):
                continue
            follows_lead = i > 0 and lead_sign is not None
            if not follows_lead and not _is_return(c, ref.end if ref.end <= c.start else c.sent.start_char, text,
                                                   grouped_signed, subj if len(group) > 1 else ref.start,
                                                   g_prev_end if g_prev_end >= c.sent.start_char else 0):
                continue
            left = text[max(c.sent.start_char, ref.end if ref.end <= c.start else c.sent.start_char):c.start]
            right = text[c.end:min(c.sent.end_char, c.end + 40)]
            sign = c.sign if c.sign is not None else (lead_sign if follows_lead else _return_sign(left[-90:], right))
            if i == 0:
                lead_sign = sign
            lo_v = sign * c.value
            hi_v = sign * c.value_high if c.value_high is not None else None
            own = _window_for(c, times, text)
            window = own or _fallback(c, times, text)
            fc = _is_forecast(c, text, window, anchor.published, ref.start)
            if own is None:
                borrowed = replace(last_fc, source=_borrowed(last_fc, c.start, text, times)) if fc and last_fc else None
                if borrowed is None and times.frame is not None and not times.under_heading(c.start, text) \
                        and _DAY_MOVE.search(text, c.sent.start_char, c.end + 40):
                    borrowed = times.frame  # "slid 634.76 points, or 5.6 percent, to 10,809.85": the day's move
                window = borrowed or times.inherited(c.start, text) or window
            if fc:
                window = times.as_forecast(window)
                last_fc = window
            window = _intraday(c, window, text, anchor, fc)
            ev_start = min(ref.start, c.start) if ref.start >= c.sent.start_char else c.sent.start_char
            ev_end = max(ref.end, c.end)
            qual = c.qualifier
            if qual is None and re.search(r"\bannuali[sz]ed\b", text[c.sent.start_char:c.end]):
                qual = "annualized"
            yield Return(ticker=ref.symbol, value_pct=round(lo_v, 4), start=ev_start, end=ev_end,
                         value_pct_high=round(hi_v, 4) if hi_v is not None else None,
                         kind="forecast" if fc else "realized", qualifier=qual, window=window,
                         source="model" if c.role_probs else "rules",
                         confidence=role_confidence(c, RETURN_ROLES))


# ---------------------------------------------------------------------- flows


def _flow_direction(c: Candidate, text: str) -> str | None:
    """inflow / outflow from the sign or the nearest flow cue; None when no cue."""
    if c.sign is not None:
        return "inflow" if c.sign > 0 else "outflow"
    left = text[max(c.sent.start_char, c.start - 120):c.start]
    right = text[c.end:min(c.sent.end_char, c.end + 80)]
    li, lo = last("inflow", left), last("outflow", left)
    ri, ro = cue_re("inflow").search(right), cue_re("outflow").search(right)
    best = None  # (distance, direction)
    for m, d, side in ((li, "inflow", "l"), (lo, "outflow", "l"), (ri, "inflow", "r"), (ro, "outflow", "r")):
        if m is None:
            continue
        dist = len(left) - m.end() if side == "l" else m.start()
        word = m.group(0).lower()
        if word in ("pulled", "pulling", "pull") and re.match(r"\s+in\b", (left[m.end():] if side == "l" else right[m.end():])):
            d = "inflow"
        if best is None or dist < best[0]:
            best = (dist, d)
    if best is not None:
        return best[1]
    if has("flow_neutral", left[-60:] + " " + right[:40]):
        return "inflow"
    return None


def _is_flow_amount(c: Candidate, text: str) -> bool:
    left = text[max(c.sent.start_char, c.start - 50):c.start].lower()
    right = text[c.end:min(c.sent.end_char, c.end + 45)]
    rl = right.lower()
    # "the $12 billion iShares ... ETF", "The $7.9 billion fund": assets under management
    if re.match(r"\s*(?:[A-Z]|i[A-Z]|fund\b|etf\b|etn\b|product\b|portfolio\b|vehicle\b|exchange-traded|"
                r"bond fund|stock fund|equity fund)", right) and re.search(
            r"\b(?:the|a|an|nearly|about|its|roughly|some|approximately|almost|over|than|record)\s*$", left):
        return False
    flow_verb_before = re.search(r"(?:took in|taking in|take in|brought in|pulled in|accumulated|amassed|attracted|"
                                 r"gathered|added|drew|raked in|received|inflows? of|outflows? of)\s(?:\w+\s){0,2}$", left)
    if re.search(r"\bassets\b[^$.;]{0,25}\bto\s(?:about\s|roughly\s|nearly\s|some\s)?$", left):
        return False  # "boosted assets in SQQQ to about $3.6 billion"
    if not flow_verb_before and re.match(r"\s*(?:in\s(?:assets|aum|total assets)|of assets|in trading|in volume|worth of (?:shares|stock|trades)|"
                r"a share|per share|in losses|in deposits|in debt|of debt|in bonds|of bonds|of chinese|in market value|"
                r"in market cap|in revenue|in sales|in profit|in earnings)", rl):
        return False
    if re.search(r"(?:assets under management|under management|assets|aum|market value|worth|volume|"
                 r"valued at|market cap|capitalization)(?:\sof|\snow total|\stotal|\sto|\sreached|\sof about|"
                 r"\sof roughly|\sof nearly|\sstood at|\srose to|\sfell to|\sclimbed to)?\s*(?:about|nearly|roughly|some|~)?\s*$", left) \
            and not re.search(r"new (?:net )?(?:investment )?assets", left):
        return False
    if re.search(r"\b(?:to|at)\s(?:about\s|roughly\s|nearly\s)?$", left) and not re.search(r"(?:outflows?|inflows?|redemptions|flows?)\b.{0,40}$", left):
        return False  # "slid 12% to $44.45": a price or a level
    if re.search(r"\b(?:transaction|trade|deal|bet|loss|losses|profit|deposits|price|worth)\b[^$]{0,20}$", left):
        return False
    return True


_DEFINITE_FLOW = re.compile(r"\b(?:[Tt]he|[Tt]hose|[Tt]hese|[Tt]his)\s(?:net\s)?(?:in|out)?flows?\b|"
                            r"\b[Tt]he\s(?:redemptions?|withdrawals?|influx|exodus)\b")


def iter_flows(doc: Doc, refs: list[Ref], times: TimeIndex, anchor: Anchor, body_start: int) -> Iterator[Flow]:
    text = doc.text
    sents = _sentences(doc, body_start)
    starts, ref_starts = [s.start_char for s in sents], [r.start for r in refs]
    cands = []
    for s in doc.spans.get(ext.MONEY, []):
        if s.start_char < body_start:
            continue
        sent = _sent_of(sents, starts, s.start_char)
        if sent is None:
            continue
        cands.append(Candidate(s.start_char, s.end_char, s._.x_value, None, s._.x_sign, s._.x_qualifier, sent,
                               s._.x_role_probs))
    for group in _groups(cands, text):
        targets = _assign(group, refs, ref_starts, text, kinds=FUND_KINDS, prefer_prep=True)
        for c, ref in zip(group, targets):
            if ref is None and _DEFINITE_FLOW.search(c.sent.text):
                # "Yet the flows keep coming, including $1.4 billion last week.": the fund
                # the article was just talking about.
                prior = [r for r in refs if r.end <= c.sent.start_char and r.kind in FUND_KINDS]
                ref = prior[-1] if prior else None
            if ref is None or c.value < 10_000 or not _is_flow_amount(c, text) or \
                    vetoed(c, ("flow",), direct=direct_flow_cue(c, text)):
                continue
            direction = _flow_direction(c, text)
            if direction is None:
                continue
            own = _window_for(c, times, text)
            window = own or times.inherited(c.start, text) or _fallback(c, times, text)
            ctx = text[c.sent.start_char:c.sent.end_char].lower()
            agg = "total"
            if re.search(r"\bdaily\b.{0,40}\baverag|\baverag\w*\b.{0,30}\bdaily|\ba day on average|\bper day\b", ctx):
                agg = "daily_avg"
            elif re.search(r"\bweekly\b.{0,30}\baverag|\baverag\w*\b.{0,30}\bweekly|\bper week\b", ctx):
                agg = "weekly_avg"
            elif re.search(r"\bmonthly\b.{0,30}\baverag|\baverag\w*\b.{0,30}\bmonthly|\bper month\b", ctx):
                agg = "monthly_avg"
            ev_start = min(ref.start, c.start) if ref.start >= c.sent.start_char else c.start
            ev_end = max(ref.end, c.end) if ref.end <= c.sent.end_char else c.end
            yield Flow(ticker=ref.symbol, direction=direction, amount_usd=c.value, start=ev_start, end=ev_end,
                       qualifier=c.qualifier, aggregation=agg, window=window,
                       source="model" if c.role_probs else "rules", confidence=role_confidence(c, ("flow",)))


def _dedupe_flows(items: list[Flow]) -> list[Flow]:
    seen, out = set(), []
    for f in items:
        key = (f.ticker, f.direction, round(f.amount_usd, -3), f.aggregation)
        if key not in seen:
            seen.add(key)
            out.append(f)
    return out


# ---------------------------------------------------------------------- assemble


def _headline_like(text: str, pos: int) -> bool:
    """A short line with no closing punctuation: a headline or a heading."""
    a = text.rfind("\n", 0, pos) + 1
    b = text.find("\n", pos)
    b = len(text) if b < 0 else b
    if b - a > 300:  # a headline is short; a long line is prose, whatever its end
        return False
    line = text[a:b].strip()
    return bool(line) and len(line.split()) <= 20 and not line.endswith((".", "!", ":", ";", ",", "”", '"'))


def _titlelast(items, title_end: int, text: str = ""):
    """Facts found in a headline only count when the body does not repeat them: the
    body says it with its window and qualifiers."""
    head = [x for x in items if x.start < title_end or (text and _headline_like(text, x.start))]
    body = [x for x in items if x not in head]
    return body + head


_STANCE = {"positive": "bullish", "negative": "bearish", "neutral": "neutral"}


def _with_stance(quotes: list, classifier=None) -> Iterator:
    """Each quote's stance: the sentence classifier's label of the quoted words."""
    from dataclasses import replace

    from .classify import default_classifier

    worded = [q for q in quotes if q.text]
    if not worded:
        yield from quotes
        return
    clf = classifier if classifier is not None else default_classifier()
    labels = dict(zip((id(q) for q in worded), clf.predict([q.text for q in worded])))
    for q in quotes:
        label = labels.get(id(q))
        yield replace(q, stance=_STANCE.get(label[0])) if label else q


def flow_data_anchor(anchor: Anchor) -> Anchor:
    """Fund flows are counted from the shares outstanding funds report the next morning,
    so a story's flow figures run through the session before publication even when its
    prices run through the publication day's close."""
    if anchor.published is None or anchor.asof is None:
        return anchor
    day = before(anchor.published)
    return replace(anchor, asof=day, intraday=False) if day and anchor.asof > day else anchor


def assemble(doc: Doc, article: Article, *, classifier=None) -> ArticleFacts:
    """All facts of one article (the Doc has been through ``nlp.build_nlp()``)."""
    from .classify import iter_sentiment

    body_start = article.body_start
    refs, mentions = doc._.x_refs or build_refs(doc, body_start)
    times = build_time_index(doc, article.anchor, body_start, since_close=True)
    title_end = doc._.x_title_end or 0
    text = doc.text
    returns = _dedupe_returns(_titlelast(list(iter_returns(doc, refs, times, article.anchor, body_start)),
                                          title_end, text))
    flow_anchor = flow_data_anchor(article.anchor)
    flow_times = build_time_index(doc, flow_anchor, body_start)
    flows = _dedupe_flows(_titlelast(list(iter_flows(doc, refs, flow_times, flow_anchor, body_start)),
                                     title_end, text))
    quotes = tuple(_with_stance(list(iter_quotes(doc)), classifier))
    tickers: list[str] = []
    for m in mentions:
        if m.symbol not in tickers:
            tickers.append(m.symbol)
    sentiment = tuple(iter_sentiment(doc, refs, flows, returns, classifier=classifier, body_start=body_start))
    return ArticleFacts(article=article, tickers=tuple(tickers), mentions=tuple(mentions),
                        flows=tuple(sorted(flows, key=lambda f: f.start)),
                        returns=tuple(sorted(returns, key=lambda r: r.start)),
                        quotes=quotes, sentiment=sentiment)
