"""When an article's figures run through: the publication day's close, or the session before.

A reader resolves "year-to-date", "this week" and "the past couple sessions" against the
last close the writer had seen. An end-of-day wrap dated the day it describes ("Stocks
ended higher on Thursday", a Friday page of the week's statistics) measures through
that day's close; a morning piece, a note, or a story with no sign of the day's session
was written before the close, so its figures end at the session before. This module
reads those signs from the text and says which reading it took and why, so the time
resolver (``normalize.time``) and a reviewer see the same decision.

Decisions, in order:
1. no publication day: no as-of (relative windows stay labels);
2. the publication weekday named as a session ("shares took a hit Monday" in a Monday
   story, not "in a Monday note"), "today", "this afternoon", "at the close", a time of
   day after noon: the publication day's close (``same_day``);
3. otherwise the session before (``before``).
Before all of these, a date the text gives for its data ("data as of Sept. 12, 2018")
decides (``stated``); a reprint ("published on October 26") is read as of that day.
A same-day story whose lede trades "in early trading", "at midday", "in recent action"
is ``intraday``: its figures that end on the publication day are a moment inside the
session, not its close (``crosscheck`` checks those against the day's range).
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache

from .normalize.time import MONTHS, before, on_or_before
from .rules.vocab import load_vocab

WEEKDAY_NAMES = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
LEDE_CHARS = 700  # how much of the body counts as the lede for the intraday sign


@dataclass(frozen=True)
class AsOfReading:
    """The close the article's relative windows end at, and why."""

    day: date | None
    rule: str  # same_day | before | unknown
    why: str  # the words that decided, for --explain and the review app
    intraday: bool = False  # written during the publication day's session
    written: date | None = None  # a reprint's first publication day, which its periods count from
    session: bool = False  # the text is about its as-of session (a wrap of that day)


@lru_cache(maxsize=None)
def cue_pattern(kind: str) -> re.Pattern:
    """The asof.jsonl phrases of ``kind`` as one case-insensitive pattern."""
    words = sorted(load_vocab("asof")[kind], key=len, reverse=True)
    return re.compile(r"(?<![\w-])(?:" + "|".join(re.escape(w).replace(r"\ ", r"\s+") for w in words)
                      + r")(?![\w-])", re.IGNORECASE)


_WEEKDAY_USE = re.compile(
    r"(?P<pre>\b(?:last|next|this\s+past|previous|every|a|an|on\s+a|due|expected|scheduled|slated|"
    r"set\s+for|due\s+on|until|by)\s+)?"
    r"\b(?P<wd>Monday|Tuesday|Wednesday|Thursday|Friday)(?:['’]s)?\b"
    r"(?P<post>\s+(?:morning\s+|research\s+|client\s+)?(?:note|report|letter|newsletter|commentary|memo)"
    r"|,?\s+(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)[a-z]*\.?\s+\d)?")
# "4 p.m.", "1:08 PM PT", "12:31 p.m. New York time"; the zone moves it to New York time
CLOCK = re.compile(r"\b(?P<h>1[0-2]|0?[1-9])(?::(?P<m>[0-5]\d))?\s*(?P<ap>[ap])\.?\s?m\b\.?"
                   r"(?:\s*(?P<zone>ET|EST|EDT|Eastern|New York|PT|PST|PDT|Pacific|CT|CST|CDT|Central|"
                   r"GMT|BST|London))?", re.IGNORECASE)
_ZONE_TO_NY = {"pt": 3, "pst": 3, "pdt": 3, "pacific": 3, "ct": 1, "cst": 1, "cdt": 1, "central": 1,
               "gmt": -5, "bst": -5, "london": -5}
_DATELINE = re.compile(r"^\s*(?:published|updated|posted|last updated|by\b)|"
                       r"\b(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)[a-z]*\.?\s+\d{1,2},?\s+(?:19|20)\d\d",
                       re.IGNORECASE)
OPEN_MINUTES, CLOSE_MINUTES = 9 * 60 + 30, 16 * 60  # the NYSE session, New York time


def clock_minutes(m: re.Match) -> int:
    """A CLOCK match as minutes after midnight, New York time."""
    h = int(m.group("h")) % 12 + (12 if m.group("ap").lower() == "p" else 0)
    zone = (m.group("zone") or "").lower()
    return (h + _ZONE_TO_NY.get(zone, 0)) * 60 + int(m.group("m") or 0)


def in_session(m: re.Match) -> bool:
    return OPEN_MINUTES <= clock_minutes(m) < CLOSE_MINUTES


def _dateline(text: str, pos: int, memo: dict[int, bool] | None = None) -> bool:
    """A short line holding a full date, or a byline: it says when the page was
    published, not which session the story is about. ``memo`` keeps the answer per line
    (a long line with many weekdays is read once)."""
    a = text.rfind("\n", 0, pos) + 1
    if memo is not None and a in memo:
        return memo[a]
    b = text.find("\n", pos)
    line = text[a:len(text) if b < 0 else b]
    short = len(line) <= 200 and len(line.split()) <= 14
    found = short and _DATELINE.search(line) is not None
    if memo is not None:
        memo[a] = found
    return found


def _dateline_day(body: str, published: date) -> date | None:
    """The date a dateline in the first lines names ("Thursday, May 9, 2019")."""
    for line in body[:600].splitlines()[:8]:
        m = _DATELINE_DATE.match(line)  # defined with _MON below
        if m and len(line.split()) <= 8:
            return _named_day(m, published)
    return None


def note_day(match_text: str, published: date) -> date:
    """The day a note was written: the weekday it names (the latest on or before
    publication), else the publication day."""
    m = re.search(r"\b(Monday|Tuesday|Wednesday|Thursday|Friday)\b", match_text)
    if not m:
        return published
    wd = WEEKDAY_NAMES.index(m.group(1))
    return published - timedelta(days=(published.weekday() - wd) % 7)


def _sessions_named(text: str, published: date, memo: dict[int, bool] | None = None
                    ) -> tuple[str | None, str | None]:
    """(words naming the publication weekday as a session, words naming the weekday of
    the session before), each None when the text has none."""
    pub_wd = WEEKDAY_NAMES[published.weekday()]
    prev = before(published)
    prev_wd = WEEKDAY_NAMES[prev.weekday()] if prev and (published - prev).days < 7 else None
    same = earlier = None
    for m in _WEEKDAY_USE.finditer(text):
        if m.group("pre") or m.group("post") or _dateline(text, m.start(), memo):
            continue
        if m.group("wd") == pub_wd and same is None:
            same = m.group(0).strip()
        elif m.group("wd") == prev_wd and earlier is None:
            earlier = m.group(0).strip()
    return same, earlier


_MON = r"(?P<mon>Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)[a-z]*\.?\s+(?P<day>\d{1,2})(?:st|nd|rd|th)?(?:,?\s+(?P<year>(?:19|20)\d\d))?"
# "data as of Sept. 12, 2018", "performance figures through March 29", "prices as of the close on May 6"
_STATED = re.compile(r"\b(?:data|figures|prices|returns|performance|flows|numbers)\b[^.\n]{0,30}?\b(?:as of|through)\s+"
                     r"(?:the\s+close\s+(?:on|of)\s+)?" + _MON, re.IGNORECASE)
# a reprint: "the market commentary ... published on October 26"
_REPRINT = re.compile(r"\b(?:first\s+|originally\s+)?published\s+on\s+" + _MON, re.IGNORECASE)
_DATELINE_DATE = re.compile(r"^\s*(?:(?:Mon|Tues|Wednes|Thurs|Fri)day,?\s+)?" + _MON, re.IGNORECASE)


def _named_day(m: re.Match, published: date) -> date | None:
    """The date a _MON match names; with no year, the latest such day on or before
    publication."""
    month, day = MONTHS[m.group("mon")[:3].lower()], int(m.group("day"))
    year = int(m.group("year")) if m.group("year") else published.year
    try:
        d = date(year, month, day)
    except ValueError:
        return None
    if not m.group("year") and d > published:
        try:
            d = date(year - 1, month, day)
        except ValueError:
            return None
    return d


STATED_DAYS = 10  # a data date this many days before publication or fewer decides the as-of
MONTH_END_DAYS = 35  # ... or this many when it is a month's end ("returns are through July 31")
NOTE_CHARS = 120  # a data note without a publication day is a sentence this short or shorter


def _month_end(d: date) -> bool:
    """The last day of its month: fund data is dated so ("returns are through July 31")."""
    return (d + timedelta(days=1)).month != d.month


# what may follow the date in a note: nothing, or "and include reinvested dividends", "; source: ..."
_NOTE_TAIL = re.compile(r"\s*(?:[,;]\s*(?:and\s+)?(?:includ|source|sources|except|unless|with|net of|before)[^.]*)?"
                        r"[.)*]?\s*", re.IGNORECASE)


def _note(text: str, start: int, end: int) -> bool:
    """The date stands in a short sentence of its own that claims nothing ("Returns are
    through June 30, 2017.", "(Data as of Sept. 12, 2018)"), not in a claim about a past
    period ("The fund's performance through Dec. 31, 2008 was awful")."""
    lo = max(text.rfind(". ", 0, start) + 2, text.rfind("\n", 0, start) + 1, text.rfind("(", 0, start) + 1)
    ends = [i for i in (text.find(". ", end), text.find("\n", end), text.find(")", end)) if i >= 0]
    hi = min(ends) if ends else len(text)
    sentence = text[lo:hi]
    return (len(sentence) <= NOTE_CHARS and not re.search(r"\d\s?%|\$\s?\d", sentence)
            and _NOTE_TAIL.fullmatch(text, end, hi) is not None)


def _footnote(body: str, pos: int) -> bool:
    """A line opening with "*" or "†" qualifies one figure ("*Stock Advisor returns as of
    November 10"), often a promotion's: not the date the article's own figures run to."""
    start = body.rfind("\n", 0, pos) + 1
    end = body.find("\n", pos)
    line = body[start:len(body) if end < 0 else end].strip()
    mark = line[:1]
    # "*Sources: ETF.com; data as of Sept. 12, 2018*" is a caption in italics, not a footnote
    return mark in ("*", "†") and not line.endswith(mark)


def read_asof(text: str, body_start: int, published: date | None) -> AsOfReading:
    """Decide the article's as-of close from its words (see the module docstring)."""
    if published is None:
        # no publication day, but the text dates its data in full ("Returns are through
        # June 30, 2017"): its relative periods end there
        stated = next((d for m in _STATED.finditer(text, body_start) if m.group("year")
                       and (d := _named_day(m, date(int(m.group("year")), 12, 31))) is not None
                       and not _footnote(text[body_start:], m.start() - body_start)
                       and _note(text, m.start(), m.end())), None)
        if stated is not None and on_or_before(stated) is not None:
            return AsOfReading(on_or_before(stated), "stated",
                               f"no publication day; the text says its figures run through {stated}")
        return AsOfReading(None, "unknown", "no publication day")
    if on_or_before(published) is None or before(published) is None:
        return AsOfReading(None, "unknown", f"the NYSE calendar does not reach {published}")
    body = text[body_start:]
    stated = next((d for m in _STATED.finditer(body) if (d := _named_day(m, published))
                   and 0 <= (published - d).days <= (MONTH_END_DAYS if _month_end(d) else STATED_DAYS)
                   and not _footnote(body, m.start())), None)
    if stated is not None:
        day = on_or_before(stated)
        return AsOfReading(day, "stated", f"the text says its figures run through {stated}")
    reprint = next((d for m in _REPRINT.finditer(body) if (d := _named_day(m, published))
                    and 0 < (published - d).days <= 60), None)
    written = None
    if reprint is not None:  # written for an earlier day: read it as of that day
        published = written = reprint
    prev = before(published)
    origin = f" (first published {published})" if reprint is not None else ""
    if on_or_before(published) != published:
        return AsOfReading(prev, "before", f"the session before publication{origin}: {published} is not "
                           "a trading day", written=written)
    lines: dict[int, bool] = {}
    same, earlier = _sessions_named(body, published, lines)
    clocks = [m for m in CLOCK.finditer(body)]
    after_close = next((m.group(0) for m in clocks if clock_minutes(m) >= CLOSE_MINUTES), None)
    sign = None
    if same:
        sign = same
    elif earlier:
        return AsOfReading(prev, "before", f"the session before publication{origin}: the text is about "
                           f"{earlier!r}", written=written, session=True)
    else:
        dated = _dateline_day(body, published)
        if dated is not None and dated == prev:
            return AsOfReading(prev, "before", f"the session before publication: its dateline names {prev}",
                               written=written, session=True)
        word = cue_pattern("same_day").search(body) or cue_pattern("intraday").search(body)
        clock = next((m for m in clocks if in_session(m) and not _dateline(body, m.start(), lines)), None)
        sign = after_close or (word.group(0) if word else None) or (clock.group(0) if clock else None)
    if sign is None:
        during = next((m.group(0) for m in clocks if in_session(m)), None)
        why = (f"the session before publication{origin}: "
               + (f"written during the session ({during!r})" if during else
                  "nothing in the text says it was written after the publication day's session"))
        return AsOfReading(prev, "before", why, written=written)
    lede = body[:LEDE_CHARS]
    intraday = cue_pattern("intraday").search(lede) or cue_pattern("extreme").search(lede)
    clock = next((m for m in CLOCK.finditer(lede) if in_session(m) and not _dateline(lede, m.start())), None)
    why = f"publication day's close: the text says {sign!r}"
    what = intraday.group(0) if intraday else (clock.group(0) if clock else None)
    if what:
        why += f"; written during the session ({what!r})"
    return AsOfReading(published, "same_day", why, intraday=what is not None, written=written, session=True)
