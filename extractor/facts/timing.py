"""Which time phrase governs a number, and where a window came from when none does.

Own window: the nearest phrase in the number's sentence that is not cut off from it (a
phrase after it reads first, but not past a clause break or another figure; a phrase
before a semicolon belongs to that clause). Its source is "claim" inside the number's
clause, "sentence" elsewhere in it. Without one, the number borrows: the period the
article last named ("paragraph" or "article"), or the frame of a same-day wrap.
"""
from __future__ import annotations

import re
from dataclasses import replace

from ..asof import CLOCK, cue_pattern, in_session
from ..normalize.time import before
from ..schema import Anchor, Window
from ..windows import TimeIndex
from . import limits
from .candidates import NUMBER, RELATIVE, Candidate, clause_bounds

# A time phrase after one of these belongs to another clause: "rose 2.3% to 31.46, and
# said she expects choppy trading into the Fed's meeting next week".
CLAUSE_BREAK = re.compile(r"\b(?:said|says|while|but|whereas|although|though|expects?|predicts?)\b|;")
_ONE_DAY = re.compile(r"^(?:one|single|1)\s+(?:day|session)s?$")
_NAMED_DAY = re.compile(r"^(?:today|yesterday|(?:last\s+)?(?:monday|tuesday|wednesday|thursday|friday)|"
                        r"[a-z]{3,9}\.?\s+\d{1,2}(?:,\s+\d{4})?)$")
# the wire's day move: "rose 21.40 points, or 0.5%, to 4,118.62"
DAY_MOVE = re.compile(r"(?<![\d,.])\d[\d,.]{0,12}\s+points?,?\s+or\s+\d[\d.]{0,6}\s?(?:%|percent|per cent)",
                      re.IGNORECASE)

SESSION, EXTREME = 1, 2  # Window.intraday


# "up 14.2% and 15.6% this year, respectively": the rest of a list of figures before the
# period they all share
_LIST_REST = re.compile(r"(?:\s*(?:,|and|or|&)\s*(?:about\s|nearly\s|roughly\s)?[-+−]?\$?\d[\d.,]*\s?"
                        r"(?:%|percent\b|per\scent\b|pct\b)?)+\s*", re.IGNORECASE)


def window_for(c: Candidate, times: TimeIndex, text: str) -> Window | None:
    """The time phrase that governs the number, with where it came from: its own clause
    ("claim"), elsewhere in its sentence ("sentence"); None when no phrase governs it."""
    sent = c.sent
    # "The VIX, which measures what traders expect over the coming month, jumped 14%": a
    # period inside a relative clause before the number describes the subject, not the move
    asides = [(m.start(), m.end()) for m in RELATIVE.finditer(text, sent.start_char, c.start)]
    phrases = [p for p in times.in_span(sent.start_char, sent.end_char)
               if ((p[0] < c.start and ";" not in text[p[1]:c.start])
                   or (p[0] >= c.end and not CLAUSE_BREAK.search(text[c.end:p[0]])
                       and (not NUMBER.search(text[c.end:p[0]]) or _LIST_REST.fullmatch(text, c.end, p[0]))))
               and not any(a <= p[0] and p[1] <= b for a, b in asides)]
    if any(_NAMED_DAY.match(p[2].label or "") for p in phrases):
        # "the second-biggest single-day inflow ... on Wednesday": the day it names
        phrases = [p for p in phrases if not _ONE_DAY.match(p[2].label or "")]
    if phrases:
        def dist(p):
            s, e, _ = p
            if e <= c.start:
                return c.start - e
            if s >= c.end:
                return (s - c.end) * limits.AFTER_PHRASE_WEIGHT
            return 0
        s, e, w = min(phrases, key=dist)
        lo, hi = clause_bounds(sent, c.start, c.end)
        return replace(w, source="claim" if lo <= s and e <= hi else "sentence")
    return None


def own_periods_differ(wa: Window, wb: Window) -> bool:
    """Two claims each name their period in their own clause, and not the same one: the
    same figure over two periods is two claims ("a weekly loss of nearly 2%" and "on
    Thursday ... shed nearly 2%"; "$11 billion last week" and "$11.4 billion in May")."""
    if wa.source != "claim" or wb.source != "claim":
        return False
    if wa.end is not None and wb.end is not None:
        return (wa.start, wa.end) != (wb.start, wb.end)
    return wa.label != wb.label


def fallback(c: Candidate, times: TimeIndex, text: str) -> Window:
    """No phrase governs the number: the latest period named before it, else one just after."""
    return times.before(c.start, text) or times.after_in_paragraph(c.start, text) or Window()


def intraday(c: Candidate, window: Window, text: str, anchor: Anchor, forecast: bool) -> Window:
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


def borrowed(w: Window, pos: int, text: str, times: TimeIndex) -> str:
    """Source of a window taken from an earlier claim: its paragraph, or the article."""
    if w.phrase_start is None:
        return "article"
    return "paragraph" if w.phrase_start >= times.para_start(text, pos) else "article"


def flow_data_anchor(anchor: Anchor) -> Anchor:
    """Fund flows are counted from the shares outstanding funds report the next morning,
    so a story's flow figures run through the session before publication even when its
    prices run through the publication day's close."""
    if anchor.published is None or anchor.asof is None:
        return anchor
    day = before(anchor.published)
    return replace(anchor, asof=day, intraday=False) if day and anchor.asof > day else anchor


def window_why(w: Window, own: bool, text: str) -> str:
    """Where the window came from, in words, for --explain."""
    src = w.source or ""
    phrase = f"“{text[w.phrase_start:w.phrase_end]}”" if w.phrase_start is not None and w.phrase_end else "a phrase"
    if own:
        return f"{phrase} governs it in its {'clause' if src == 'claim' else 'sentence'}"
    if src == "paragraph":
        return f"no phrase in its sentence; borrowed {phrase} from its paragraph"
    if src == "article":
        return f"no phrase in its sentence; borrowed {phrase} from earlier in the article"
    return "no phrase in its sentence or before it"
