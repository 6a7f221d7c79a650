"""Weak labels for number roles: labelling functions over a number's context.

No public data set has our eight roles, so the training set adds sentences whose
numbers a small set of cue patterns can label with little doubt ("$3 trillion in
assets under management" is AUM; "an expense ratio of 0.19%" is a rate). A number
no function is sure about stays unlabelled: it adds no loss. The functions run in a
fixed priority order, the most specific first. The model trained on these plus the
hand-labelled sentences generalises past the cues; the held-out set measures how far.
"""
from __future__ import annotations

import re

from ..normalize.amount import find_money, find_percents

_I = re.IGNORECASE

FUNDAMENTAL = (r"(?:net\s)?sales|revenues?|turnover|(?:net\s|operating\s|pre-tax\s|pretax\s|gross\s)?"
               r"(?:profit|income|earnings|loss|margin)s?|ebitda|ebit|eps|orders?|costs?|expenses|"
               r"production|deliveries|volumes?|output|dividends?|cash flow|backlog|bookings|"
               r"same-store sales|comparable sales|payroll|headcount|workforce|spending|capex")

# (role, where, pattern): "left" is matched against the text before the number (its
# clause), "right" against the text after it, "near" against a few words either side.
FUNCTIONS: tuple[tuple[str, str, re.Pattern], ...] = tuple((role, where, re.compile(p, _I)) for role, where, p in (
    ("forecast", "left", r"\b(?:expects?|expected|forecasts?|forecasting|projects?|projected|projections?|"
                         r"guidance|guides?|targets?|estimates?|anticipates?|predicts?|outlook|sees|"
                         r"will|would|could|should|aims? to|plans? to|on track to|likely to)\b"
                         r"[^.;]{0,60}$"),
    ("forecast", "right", r"^\s*(?:price\s)?target\b"),
    ("flow", "near", r"\b(?:inflows?|outflows?|redemptions?|withdrawals?|net new (?:money|assets|cash)|"
                     r"creations|new money|poured|pulled|yanked|took in|funnel(?:l)?ed)\b"),
    ("aum", "right", r"^\s*(?:in\s(?:total\s)?(?:net\s)?assets|of\sassets|(?:in\s)?assets under management|"
                     r"in aum|aum\b|market cap|market value|in market capitali[sz]ation|"
                     r"(?:[\w-]+\s){0,3}(?:fund|etf|asset manager|hedge fund)\b)"),
    ("aum", "left", r"\b(?:assets(?: under management)?|aum|market cap(?:itali[sz]ation)?|market value|"
                    r"fund size|net assets)\s(?:of|at|stood at|totall?ing|reached|to|is|was|are|were)?"
                    r"\s?(?:about|nearly|roughly|some|over|more than)?\s*$"),
    ("rate", "right", r"^\s*(?:\d+-(?:year|month)\s)?(?:annual\s)?(?:dividend\s)?(?:yield|interest rate|rate\b|"
                      r"expense ratio|management fee|fee\b|coupon|apr\b|apy\b|inflation|"
                      r"unemployment|tax rate)"),
    ("rate", "left", r"\b(?:yields?|yielding|rates?|interest|inflation|unemployment|expense ratio|fees?|coupon|"
                     r"tax)\s(?:of|at|was|is|to|rose to|fell to|climbed to|dropped to|stood at|ran at|"
                     r"hit|near|around)?\s?(?:about|nearly|roughly|a|an)?\s*$"),
    ("weight", "right", r"^\s*(?:stake|weight(?:ing)?|share of|market share|of (?:its|the|their|total|all)?\s?"
                        r"(?:portfolio|assets|index|fund|revenue|sales|market|holdings|shares|"
                        r"outstanding|the company|allocation|workforce|staff)|allocation)"),
    ("weight", "left", r"\b(?:stake|weight(?:ing)?|market share|accounts? for|accounting for|represents?|"
                       r"makes? up|making up|allocates?|allocation)\s(?:of|to)?\s?(?:about|nearly|roughly|"
                       r"over|more than|some|a|an)?\s*$"),
    ("level", "right", r"^\s*(?:a|per|an)\s(?:share|ounce|barrel|unit|bushel|ton|tonne|bitcoin|coin)\b"),
    ("level", "left", r"\b(?:closed at|trading at|traded at|trades at|priced at|price of|to close at|"
                      r"ended at|settled at|quoted at|stood at|offer of|bid of|hit a high of|"
                      r"(?:rose|fell|climbed|dropped|slipped|jumped|gained|declined)\s[^$]{0,25}\sto)"
                      r"\s?(?:about|nearly|roughly|an?\s)?\s*$"),
    ("other", "left", r"\b(?:" + FUNDAMENTAL + r")\b[^.;$%]{0,60}$"),
    ("return", "left", r"\b(?:shares?|stocks?|index|indices|etf|fund|s&p(?: 500)?|nasdaq|dow|russell|"
                       r"ftse|dax|nikkei|bitcoin|gold|oil|crude|bonds?|\$[a-z]{1,5}|(?-i:[A-Z]{2,5}))\b[^.;%$]{0,40}"
                       r"\b(?:rose|rise|rises|fell|falls|fall|gained|gains|gain|up|down|jumped|jumps|slid|"
                       r"slides|dropped|drops|climbed|climbs|declined|declines|lost|loses|added|adds|surged|"
                       r"surges|plunged|plunges|rallied|rallies|returned|advanced|tumbled|sank|soared|"
                       r"slumped|higher|lower|edged (?:up|down)|is up|is down)\s(?:by\s)?(?:about|nearly|"
                       r"roughly|almost|more than|some|over|just)?\s*$"),
))


def _clause_left(text: str, start: int) -> str:
    left = text[max(0, start - 120):start]
    cut = max(left.rfind(";"), left.rfind(". "))
    return left[cut + 1:] if cut >= 0 else left


def role_of(text: str, start: int, end: int, *, forecast_hint: bool = False) -> str | None:
    """The role the first sure labelling function gives the number at [start, end)."""
    left = _clause_left(text, start)
    right = text[end:end + 60]
    near = " ".join(left.split()[-6:]) + " " + " ".join(right.split()[:6])
    for role, where, pattern in FUNCTIONS:
        target = left if where == "left" else right if where == "right" else near
        if pattern.search(target):
            if role == "return" and re.search(r"\b(?:" + FUNDAMENTAL + r")\b", left, _I):
                continue
            return role
    if forecast_hint:
        return "forecast"
    return None


def label_numbers(text: str, *, forecast_hint: bool = False) -> list[tuple[int, int, str]]:
    """(start, end, role) for the money amounts and percentages a function labels."""
    found = sorted([(q.start, q.end) for q in find_money(text)] + [(q.start, q.end) for q in find_percents(text)])
    out = []
    for start, end in found:
        role = role_of(text, start, end, forecast_hint=forecast_hint)
        if role:
            out.append((start, end, role))
    return out
