"""The article's time phrases as windows, and which one a claim takes.

Phrases are resolved once per article on the NYSE calendar (``normalize.time``);
anaphoric ones ("for the week", "over the same period") take the latest window of
their unit; comparisons ("its worst week since January 30") are no claim's window.
"""
from __future__ import annotations

import re
from bisect import bisect_left
from dataclasses import dataclass, field, replace
from datetime import date, timedelta

from . import _torchless  # noqa: F401  (first: spaCy's thinc must not import torch)
from spacy.tokens import Doc

from .asof import _WEEKDAY_USE, _dateline, cue_pattern, note_day
from .normalize.time import FULL_MONTHS, before, on_or_before, resolve
from .rules import extensions as ext
from .schema import Anchor, Window

@dataclass
class TimeIndex:
    """Time phrases of the article, resolved once, with "that month"/"the same period"
    bound to the window before them. ``headings`` are the phrases that stand alone on a
    line ("For the year:"): they frame the paragraphs below them."""

    phrases: list[tuple[int, int, Window]]
    published: date | None = None
    headings: tuple[int, ...] = ()  # start offsets of heading phrases
    para_sep: str = "\n\n"  # what ends a paragraph in this text
    frame: Window | None = None  # a same-day wrap's own session, for claims that name none
    parsed: dict = field(default_factory=dict)  # phrase start -> (TimePhrase, Anchor) it was resolved with
    _phrase_starts: list[int] = field(default_factory=list, repr=False)

    def as_forecast(self, w: Window) -> Window:
        """The window read as a forecast's: a period still running on the publication day
        ("a 2014 full-year gain", "this year") is the whole period, not the part so far."""
        got = self.parsed.get(w.phrase_start) if w.phrase_start is not None else None
        if got is None:
            return w
        tp, anchor = got
        f = resolve(tp, anchor, forecast=True)
        return replace(w, start=f.start, end=f.end) if f.end and (w.end is None or f.end > w.end) else w

    def para_start(self, text: str, pos: int) -> int:
        """Where the paragraph of ``pos`` starts. Under a heading that names a period
        ("Week ending August 20, 2021"), a bullet ("- The Dow lost 1.1%") is a paragraph
        of its own: it takes the heading's period, not the one the bullet before it
        ended on ("Month to date, the index is up 1.5%")."""
        para = text.rfind(self.para_sep, 0, pos) + 1
        line = text.rfind("\n", 0, pos) + 1
        if line > para and _BULLET.match(text, line) and any(h < line for h in self.headings):
            return line
        return para

    def after_in_paragraph(self, pos: int, text: str) -> Window | None:
        """A claim that opens an article before any period is named takes the first
        one named soon after it ("down -3.05%. ... fell -3% today")."""
        # only a session named after it ("today", "on Tuesday"): a period named after the
        # number belongs to that sentence's own figure ("up 34 percent from ... March 9")
        nxt = [p for p in self.phrases if pos <= p[0] < pos + 400
               and not COMPARISON.search(p[2].label or "") and _SESSION.match(p[2].label or "")]
        return _sourced(nxt[0][2], "paragraph") if nxt else None

    def in_span(self, start: int, end: int) -> list[tuple[int, int, Window]]:
        """The phrases inside [start, end) (phrases are in text order: binary search)."""
        starts = self._starts()
        return [p for p in self.phrases[bisect_left(starts, start):bisect_left(starts, end)] if p[1] <= end]

    def _starts(self) -> list[int]:
        if len(self._phrase_starts) != len(self.phrases):
            self._phrase_starts = [p[0] for p in self.phrases]
        return self._phrase_starts

    def _framing(self, pos: int, *, realized: bool = False, spans: bool = False) -> list[tuple[int, int, Window]]:
        """The phrases ending before ``pos`` that can frame a later claim: no comparison
        ("a week earlier", "a year ago"); for a move that happened (``realized``), no
        period still to come; and, unless ``spans``, no span that measured one move ("The
        gauge slumped 11 percent in three days.")."""
        return [p for p in self.phrases if p[1] <= pos and not COMPARISON.search(p[2].label or "")
                and not (realized and self.ahead(p[2])) and (spans or not _DURATION.match(p[2].label or ""))]

    def inherited(self, pos: int, text: str, realized: bool = False) -> Window | None:
        """The window of a claim whose sentence names none: the latest period named
        before it in its paragraph, else the heading it stands under ("For the year:"),
        else the article's lede (``lede``), else one named just after. Each comes back
        with its ``source`` (paragraph or article): borrowed, so never sure enough to call
        the claim false."""
        para = self.para_start(text, pos)
        in_para = [p for p in self._framing(pos, realized=realized) if para <= p[0]]
        if in_para:
            return _sourced(in_para[-1][2], "paragraph")
        heads = [p for p in self._framing(pos, realized=realized, spans=True) if p[0] in self.headings]
        if heads:
            return _sourced(heads[-1][2], "paragraph")
        return self.lede(pos, realized=realized) or self.after_in_paragraph(pos, text)

    def under_heading(self, pos: int, text: str) -> bool:
        """A heading phrase ("For the year:") stands between ``pos`` and the paragraph
        start's last phrase, so it frames the claim."""
        para = self.para_start(text, pos)
        if any(para <= p[0] < pos for p in self.phrases):
            return False
        return any(h < pos for h in self.headings)

    def ahead(self, w: Window) -> bool:
        """A period still to come ("results from the largest lenders next week"): no move
        that already happened is about it."""
        return self.published is not None and w.start is not None and w.start >= self.published

    def _recent(self, w: Window) -> bool:
        """A period that ends near the publication day can frame the article; a
        caption's "from January 2000 through December 2008" cannot."""
        if self.published is None or w.end is None:
            return True
        return abs((self.published - w.end).days) <= 45

    def lede(self, pos: int, *, realized: bool = False) -> Window | None:
        """The article's frame before ``pos``: the first recent period it names ("in the
        week ending Thursday, June 24, ..."; the lede usually sets the frame), else the
        framing period. A table without a period of its own reports over it, not over a
        move the prose just above mentions."""
        recent = [p for p in self._framing(pos, realized=realized) if self._recent(p[2])]
        return _sourced(recent[0][2], "article") if recent else self.frame

    def before(self, pos: int, text: str = "") -> Window | None:
        """The latest period named before ``pos``; comparisons ("a week earlier",
        "a year ago") name no period a later claim could be about."""
        prior = self._framing(pos)
        if not prior:
            return None
        para = self.para_start(text, pos) if text else 0
        return _sourced(prior[-1][2], "paragraph" if prior[-1][0] >= para else "article")


def _sourced(w: Window, source: str) -> Window:
    return replace(w, source=source)


_EVENT_BEFORE = re.compile(r"\b(?:report|reports|results|earnings|meeting|launch|service|decision|release|data|"
                           r"announcement|auction|vote|speech|hearing|debut|offering|ipo|testimony|minutes|election)"
                           r"\s+$", re.IGNORECASE)
_COUNTED = re.compile(r"^(?:\d+|two|three|four|five|six|seven|eight|nine|ten|a few|several)[\s-]"
                      r"(?!.*\b(?:ended|ending|through|to|since)\b)", re.IGNORECASE)
_BULLET = re.compile(r"[ \t]*(?:[-•*▪◦]|\d{1,2}[.)])[ \t]+")
_SESSION = re.compile(r"^(?:today|yesterday|intraday|(?:last\s+|this\s+past\s+)?(?:monday|tuesday|wednesday|thursday|friday))$")
_DURATION = re.compile(r"^(?:in|within|over)\s+(?:\d+|two|three|four|five|six|seven|eight|nine|ten|a\s+few|several)\s")
COMPARISON = re.compile(r"\b(?:earlier|ago|before|prior)$|^at the\b|^in a single\b")
_SUPERLATIVE = re.compile(r"\b(?:worst|best|biggest|largest|highest|lowest|strongest|weakest|steepest|sharpest|"
                          r"first time|most|least|longest|record|heaviest|smallest|first|second|third|fourth|fifth|sixth|\d+(?:st|nd|rd|th)|"
                          r"times?|lowest\s+level|highest\s+level)\b(?:(?!\d[\d.]*\s?(?:%|percent|per\s+cent)|\$)[^.;,]){0,60}"
                          r"(?:\b(?:since|in)\s*)?$", re.IGNORECASE)
_MODIFIED_NOUNS = ("earnings", "results", "season", "gdp", "growth", "report", "profit", "sales", "revenue",
                   "election", "meeting", "vote", "deadline", "decision", "announcement", "speech", "hearing",
                   "summit", "holiday", "expiration", "auction", "release", "jobs", "payrolls", "snap")


def _unit_of(label: str) -> str | None:
    """The calendar unit a window label names ("week ended 2019-05-08" -> week)."""
    low = label.lower()
    if re.search(r"\b(?:" + "|".join(FULL_MONTHS) + r"|[a-z]{3}\.?)\s+\d{1,2}\b", low) and "ended" not in low:
        return "day"  # "december 24, 2018": a session, whatever year it names
    for u in ("week", "month", "quarter"):
        if u in low:
            return u
    if any(m in low for m in FULL_MONTHS) and not re.search(r"\d", low):
        return "month"
    if "year" in low or re.search(r"\b(?:19|20)\d\d\b", low):
        return "year"
    return None


_HEADING = re.compile(r"[ \t]*(?:on|for|in|over|during)?[ \t]*$", re.IGNORECASE)


def _is_heading(text: str, start: int, end: int, kind: str = "") -> bool:
    """The phrase is a line of its own, maybe with "For"/"On" before and a colon after
    ("For the year:", "On Monday:"); or the dates ending a chart's caption ("VXX vs.
    VIX: 3/30/12 - 4/10/12")."""
    a = text.rfind("\n", 0, start) + 1
    b = text.find("\n", end)
    b = len(text) if b < 0 else b
    tail = text[end:b].strip()
    if kind == "span" and tail in (":", "") and len(text[a:start].split()) <= 10:
        return True
    return bool(_HEADING.fullmatch(text[a:start])) and tail in (":", "")


# Lipper (and the reports that follow it) count fund flows in weeks from Thursday to
# Wednesday; in such a report "last week" and "this week" are that week, not the calendar's.
_FLOW_WEEK = re.compile(r"\bfund[- ]flows?\s+(?:trading\s+)?week\b|\bweek\s+ended\s+(?:on\s+)?Wednesday\b|"
                        r"\bLipper\b[^\n]{0,60}?\b(?:fund\s+flows|flows\s+insight|weekly|fundflows)\b",
                        re.IGNORECASE)


def fund_flows_week(published: date | None, start: int | None = None, end: int | None = None) -> Window | None:
    """The fund-flows week a report published that day covers: Thursday to the latest
    Wednesday before publication (start = the Wednesday close before it)."""
    if published is None:
        return None
    wed = published - timedelta(days=(published.weekday() - 2) % 7 or 7)
    last = on_or_before(wed)
    first = before(wed - timedelta(days=6))
    if last is None or first is None:
        return None
    return Window(f"week ended {wed.isoformat()}", first, last, phrase_start=start, phrase_end=end)


def _para_sep(text: str, body_start: int) -> str:
    """Blank lines end paragraphs; a text that has none (one paragraph a line) ends them
    at each line break."""
    return "\n\n" if _BLANK.search(text, body_start) else "\n"


_BLANK = re.compile(r"\n[ \t]*\n(?=[ \t]*\S)")  # linear: no run of the line before it is rescanned


def note_scopes(text: str, body_start: int, anchor: Anchor) -> list[tuple[int, int, Anchor]]:
    """Paragraphs quoting a note or a morning piece ("said ... in a Thursday note"):
    their figures run through the close before the day the note was written."""
    if anchor.published is None:
        return []
    out = []
    hits = [(m.start(), m.group(0)) for m in cue_pattern("note").finditer(text, body_start)]
    hits += [(m.start(), m.group(0)) for m in _WEEKDAY_USE.finditer(text, body_start)
             if m.group("post") and re.search(r"note|report|letter|commentary|memo", m.group("post"))]
    sep = _para_sep(text, body_start)
    for pos, words in hits:
        day = note_day(words, anchor.published)
        a = text.rfind(sep, 0, pos) + 1
        b = text.find(sep, pos)
        out.append((a, len(text) if b < 0 else b, replace(anchor, asof=before(day), intraday=False)))
    return out


# "NEW YORK, Feb 6 (Reuters) -": a wire's dateline, any agency in parentheses before a dash
_WIRE_DATELINE = re.compile(r"\s*\((?:Reuters|AP|Bloomberg|Dow Jones|IFR|AFP|MarketWatch|CNBC)\)"
                            r"|\s*\([A-Z][\w.&' ]{1,30}\)\s*[-–—]")


def build_time_index(doc: Doc, anchor: Anchor, body_start: int, *, since_close: bool = False) -> TimeIndex:
    """Every time phrase of the article resolved on the NYSE calendar. ``since_close``
    (returns) starts "since April 29" at that day's close; flows count that day."""
    out: list[tuple[int, int, Window]] = []
    headings: list[int] = []
    text = ext.text_of(doc)  # Doc.text joins every token again on each access
    scopes = note_scopes(text, body_start, anchor)
    parsed: dict[int, tuple] = {}
    flow_weeks = anchor.published is not None and _FLOW_WEEK.search(text, body_start) is not None
    for span in doc.spans.get(ext.TIMEX, []):
        if span.start_char < body_start:
            continue
        tp = span._.x_time
        if tp is None:
            continue
        after = text[span.end_char:span.end_char + 30].lstrip().lower()
        if after.startswith(_MODIFIED_NOUNS) or (
                after.startswith(("adjusted ", "preliminary ", "quarterly ", "annual ", "corporate ", "u.s. ", "us ",
                                  "global ", "domestic ", "international ", "china ", "european ", "net ", "total "))
                and after.split(" ", 1)[1].startswith(_MODIFIED_NOUNS)):
            continue  # "third-quarter (adjusted) earnings": an adjective, not the claim's window
        if _EVENT_BEFORE.search(text, max(body_start, span.start_char - 40), span.start_char) and \
                span.text.lower().startswith(("next", "later", "tomorrow", "this coming", "the coming")):
            continue  # "ahead of its quarterly report next week": when the event comes, not a window
        if tp.kind in ("day", "weekday") and (_dateline(text, span.start_char)
                                               or _WIRE_DATELINE.match(text, span.end_char)):
            continue  # "Published 03/25/2014", "NEW YORK, Feb 6 (Reuters) -": when, not a window
        here = next((a for lo, hi, a in scopes if lo <= span.start_char < hi), anchor)
        if _is_heading(text, span.start_char, span.end_char, tp.kind):
            headings.append(span.start_char)
        if getattr(tp, "anaphoric", False) and tp.kind == "today":
            # "at the close" is the one session named before it ("fell Thursday ... at the
            # close"), or the publication day's when none was
            day = next((w for *_, w in reversed(out) if w.start and w.end and before(w.end) == w.start), None)
            w = (replace(day, phrase_start=span.start_char, phrase_end=span.end_char) if day
                 else resolve(tp, here, since_close=since_close))
            out.append((span.start_char, span.end_char, w))
            continue
        if getattr(tp, "anaphoric", False):
            unit = next((u for u in ("week", "month", "quarter", "year") if u in span.text.lower()), None)
            # "for the week" is the calendar week named before, not a span ("a two-week streak")
            fitting = [w for *_, w in reversed(out) if w.label and (unit is None or _unit_of(w.label) == unit)
                       and not (unit and _COUNTED.match(w.label))]
            if fitting:
                prev = fitting[0]
            elif tp.kind != "label":
                prev = resolve(tp, here, since_close=since_close)  # "for the week", no week before: so far
            else:
                prev = next((w for *_, w in reversed(out) if w.label), None)
            if prev is not None:
                out.append((span.start_char, span.end_char,
                            replace(prev, phrase_start=span.start_char, phrase_end=span.end_char)))
            continue
        left = text[max(body_start, span.start_char - 80):span.start_char]
        comparative = left.rstrip().lower().endswith("since") or (
            tp.kind in ("since", "trail", "label") and span.text.lower().startswith(("since", "in ")))
        if re.search(r"\b(?:high|low|record|peak|bottom|top)s?\s*$", left, re.IGNORECASE) \
                and span.text.lower().startswith("in "):
            continue  # "hit an all-time high in May": when the high came, not a move's window
        if comparative and _SUPERLATIVE.search(left + span.text[:6]):
            continue  # "its worst week since January 30": a comparison, not the claim's window
        if flow_weeks and (tp.kind == "wtd" or (tp.kind == "prev" and tp.args == ("week",))
                           or (tp.kind == "trail" and tp.args == (1, "week"))):
            week = fund_flows_week(anchor.published, span.start_char, span.end_char)
            if week is not None:
                out.append((span.start_char, span.end_char, week))
                continue
        if tp.kind == "wtd":
            # "this week's net outflows" in a weekly report: the week it named ("the
            # fund-flows week ended Wednesday, May 8")
            week = next((w for *_, w in reversed(out) if (w.label or "").startswith("week ended")), None)
            if week is not None and (anchor.published is None or
                                     (week.end and 0 <= (anchor.published - week.end).days <= 7)):
                out.append((span.start_char, span.end_char,
                            replace(week, phrase_start=span.start_char, phrase_end=span.end_char)))
                continue
        w = resolve(tp, here, since_close=since_close)
        if w.start is None and w.end is None and tp.kind in ("month", "quarter", "half") and w.label:
            # "the first half" after "the first half of 2023": that one, with its year
            named = next((v for *_, v in reversed(out) if v.start and (v.label or "").startswith(w.label + " ")), None)
            if named is not None:
                w = replace(named, phrase_start=span.start_char, phrase_end=span.end_char)
        out.append((span.start_char, span.end_char, w))
        parsed[span.start_char] = (tp, here)
    frame = None
    if anchor.published is not None and anchor.asof is not None and anchor.session:
        label = "today" if anchor.asof == anchor.published else anchor.asof.strftime("%A").lower()
        frame = Window(label, before(anchor.asof), anchor.asof, source="article")
    return TimeIndex(out, anchor.published, tuple(headings), _para_sep(text, body_start), frame, parsed)


# ---------------------------------------------------------------------- helpers
