"""The article's time phrases as windows, and which one a claim takes.

Phrases are resolved once per article on the NYSE calendar (``normalize.time``);
anaphoric ones ("for the week", "over the same period") take the latest window of
their unit; comparisons ("its worst week since January 30") are no claim's window.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, replace
from datetime import date

from spacy.tokens import Doc

from .normalize.time import FULL_MONTHS, before, resolve
from .rules import extensions as ext
from .schema import Anchor, Window

@dataclass
class TimeIndex:
    """Time phrases of the article, resolved once, with "that month"/"the same period"
    bound to the window before them."""

    phrases: list[tuple[int, int, Window]]
    published: date | None = None

    def after_in_paragraph(self, pos: int, text: str) -> Window | None:
        """A claim that opens an article before any period is named takes the first
        one named soon after it ("down -3.05%. ... fell -3% today")."""
        nxt = [p for p in self.phrases if pos <= p[0] < pos + 400
               and not COMPARISON.search(p[2].label or "")]
        return nxt[0][2] if nxt else None

    def in_span(self, start: int, end: int) -> list[tuple[int, int, Window]]:
        return [p for p in self.phrases if p[0] >= start and p[1] <= end]

    def inherited(self, pos: int, text: str) -> Window | None:
        """The window of a claim whose sentence names none: the latest period named
        before it in its paragraph, else the article's first period (the lede usually
        sets the frame: "in the week ended April 2, ..."), else one named just after."""
        para = text.rfind("\n\n", 0, pos) + 1
        in_para = [p for p in self.phrases if para <= p[0] and p[1] <= pos and not COMPARISON.search(p[2].label or "")]
        if in_para:
            return in_para[-1][2]
        lede = [p for p in self.phrases if p[1] <= pos and not COMPARISON.search(p[2].label or "")
                and self._recent(p[2])]
        if lede:
            return lede[0][2]
        return self.after_in_paragraph(pos, text)

    def _recent(self, w: Window) -> bool:
        """A period that ends near the publication day can frame the article; a
        caption's "from January 2000 through December 2008" cannot."""
        if self.published is None or w.end is None:
            return True
        return abs((self.published - w.end).days) <= 45

    def before(self, pos: int) -> Window | None:
        """The latest period named before ``pos``; comparisons ("a week earlier",
        "a year ago") name no period a later claim could be about."""
        prior = [p for p in self.phrases if p[1] <= pos and not COMPARISON.search(p[2].label or "")]
        return prior[-1][2] if prior else None


COMPARISON = re.compile(r"\b(?:earlier|ago|before|prior)$|^at the\b|^in a single\b")
_SUPERLATIVE = re.compile(r"\b(?:worst|best|biggest|largest|highest|lowest|strongest|weakest|steepest|sharpest|"
                          r"first time|most|least|longest|record|heaviest|smallest|first|second|third|fourth|fifth|sixth|\d+(?:st|nd|rd|th)|"
                          r"times?)\b[^.;,]{0,30}$", re.IGNORECASE)
_MODIFIED_NOUNS = ("earnings", "results", "season", "gdp", "growth", "report", "profit", "sales", "revenue",
                   "election", "meeting", "vote", "deadline", "decision", "announcement", "speech", "hearing",
                   "summit", "holiday", "expiration", "auction", "release", "jobs", "payrolls", "snap")


def _unit_of(label: str) -> str | None:
    """The calendar unit a window label names ("week ended 2019-05-08" -> week)."""
    low = label.lower()
    for u in ("week", "month", "quarter"):
        if u in low:
            return u
    if any(m in low for m in FULL_MONTHS) and not re.search(r"\d", low):
        return "month"
    if "year" in low or re.search(r"\b(?:19|20)\d\d\b", low):
        return "year"
    return None


def build_time_index(doc: Doc, anchor: Anchor, body_start: int) -> TimeIndex:
    out: list[tuple[int, int, Window]] = []
    text = doc.text  # Doc.text joins every token again on each access
    for span in doc.spans.get(ext.TIMEX, []):
        if span.start_char < body_start:
            continue
        tp = span._.x_time
        if tp is None:
            continue
        if text[span.end_char:span.end_char + 12].lstrip().lower().startswith(_MODIFIED_NOUNS):
            continue  # "third-quarter earnings season": an adjective, not the claim's window
        if getattr(tp, "anaphoric", False) and tp.kind == "today":
            # "at the close" is the one session named before it ("fell Thursday ... at the
            # close"), or the publication day's when none was
            day = next((w for *_, w in reversed(out) if w.start and w.end and before(w.end) == w.start), None)
            w = (replace(day, phrase_start=span.start_char, phrase_end=span.end_char) if day
                 else resolve(tp, anchor))
            out.append((span.start_char, span.end_char, w))
            continue
        if getattr(tp, "anaphoric", False):
            unit = next((u for u in ("week", "month", "quarter", "year") if u in span.text.lower()), None)
            fitting = [w for *_, w in reversed(out) if w.label and (unit is None or _unit_of(w.label) == unit)]
            prev = fitting[0] if fitting else next((w for *_, w in reversed(out) if w.label), None)
            if prev is not None:
                out.append((span.start_char, span.end_char,
                            replace(prev, phrase_start=span.start_char, phrase_end=span.end_char)))
            continue
        if _SUPERLATIVE.search(text[max(body_start, span.start_char - 45):span.start_char]):
            continue  # "its worst week since January 30": a comparison, not the claim's window
        out.append((span.start_char, span.end_char, resolve(tp, anchor)))
    return TimeIndex(out, anchor.published)


# ---------------------------------------------------------------------- helpers
