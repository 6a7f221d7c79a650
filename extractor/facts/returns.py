"""Percent returns: a percent is a return when a movement cue ("fell", "up", "+")
governs it and no non-return cue ("expense ratio", "of assets", "yield") does.

``iter_returns`` yields Return records; with an ``Explainer`` every percent it looked
at is recorded as kept or rejected, with the rule that decided.
"""
from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import replace
from functools import lru_cache

from .. import _torchless  # noqa: F401  (first: spaCy's thinc must not import torch)
from spacy.tokens import Doc

from ..cues import cue_re, cues, has
from ..references import Ref
from ..rules import extensions as ext
from ..schema import Anchor, Return, Window
from ..windows import TimeIndex
from . import limits
from .attach import Attachment, assign, distributed
from .candidates import (RELATIVE, Candidate, clean_left, decimals, groups, in_table_row, quote_chip, read_candidates,
                         right_of, role_confidence, veto_reason, vetoed)
from .explain import Explainer
from .timing import DAY_MOVE, borrowed, fallback, intraday, own_periods_differ, window_for, window_why

RETURN_ROLES = ("return", "forecast")

# "annualized return of Ark Innovation totaled only 6.01%"
_RETURN_NOUN_GOVERNS = re.compile(
    r"\b(?:returns?|performance|gains?|loss(?:es)?|declines?|drops?|advances?)\b[^.;%$]{0,45}?\b(?:totall?ed|"
    r"was|were|is|are|of|stood at|came to|reached|amounted to|by)\s(?:only\s|just\s|about\s|roughly\s|nearly\s|"
    r"almost\s|some\s|around\s)?$", re.IGNORECASE)
_POINTS_OR = re.compile(r"(?:\d[\d,.]*\s+points?|\$\d[\d,.]*(?:\s?(?:cents?|a share))?),?\s+or\s+"
                        r"(?:about\s|nearly\s|almost\s)?$", re.IGNORECASE)  # "214.33 points, or", "$17, or"
_PAREN_AFTER_NAME = re.compile(r"[A-Za-z.’')]\s?\(\s?(?:up\s|down\s|\+|-)?$")
_PERFORMANCE = re.compile(r"\b(?:perform(?:er|ers|ing|ance)|best|worst|gainers?|losers?|leaders?|laggards?|"
                          r"rallied|rose|fell|gained|lost|jumped|surged|soared|plunged|up|down)\b", re.IGNORECASE)


def ranked_in_parentheses(c: Candidate, text: str) -> bool:
    """A percent alone in parentheses right after a name, in a sentence about how names
    performed: "Palo Alto Networks (up 83%) and Advanced Micro Devices (76%) are the
    sixth and eighth-best performers"."""
    return bool(_PAREN_AFTER_NAME.search(text, max(0, c.start - 12), c.start)
                and text[c.end:c.end + 2].lstrip().startswith(")")
                and _PERFORMANCE.search(text, c.sent.start_char, c.sent.end_char))


# "32 percent of its assets", "5% in bonds": the member has its own noun; "1.2% in the
# third (quarter)", "2% in 2019" is a period, not a complement
_NOUN_COMPLEMENT = re.compile(
    r"\s*(?:(?:more|less|higher|lower|better|worse)\s+than\b|of\b|in\b(?!\s+(?:the\s+)?(?:(?:first|second|third|"
    r"fourth|final|last|latest|past|prior|same|previous|(?:19|20)\d\d|january|february|march|april|may|june|july|"
    r"august|september|october|november|december|jan|feb|mar|apr|jun|jul|aug|sept?|oct|nov|dec|q[1-4]|h[12]|"
    r"weeks?|months?|quarters?|years?|sessions?|days?|period)\b)))", re.IGNORECASE)


# "... and EZU 1.4 per cent": a ticker and its figure after a move, the verb understood
_GAPPED_GAP = re.compile(r"\s*(?:(?:just|only|about|nearly|roughly|almost|some)\s+)?")
_GAPPED_BEFORE = re.compile(r"(?:,|\band|\bwhile|\bwith)\s+(?:the\s+)?$")


@lru_cache(maxsize=1)
def move_re() -> re.Pattern:
    words = sorted(set(cues()["return_up"]) | set(cues()["return_down"]), key=len, reverse=True)
    return re.compile(r"(?<![\w-])(?:" + "|".join(re.escape(w) for w in words) + r")(?![\w-])", re.IGNORECASE)


_DOWN = frozenset(w.lower() for w in cues()["return_down"])
# "8% below its July 31 record close", "13 per cent above its June 16 low"
ABOVE_BELOW = re.compile(r"\s*(above|below|off)\s(?:its|their|the|a)\b(?:[^.;,]|\.(?=\s?\d)){0,30}?\b(?:low|high|peak|record|"
                         r"close|level|top|bottom)\b", re.IGNORECASE)
# "about 70 percent higher than its average for 2014", "19% below its net-asset value": a
# distance from an average or from the fund's NAV, not a move over a window
_VERSUS_AVERAGE = re.compile(r"\s*(?:higher|lower|above|below|over|under)\s+(?:than\s+)?(?:its|their|the|a)\s+"
                             r"(?:[\w-]+\s+){0,2}?(?:average|mean|norm|net[- ]asset[- ]value|nav)\b", re.IGNORECASE)


def moves(text: str) -> list[tuple[int, int]]:
    """(position, +1/-1) of every movement cue, longest cue first, so "gave up" is
    one falling cue and not a rising "up"."""
    return [(m.start(), -1 if m.group(0).lower() in _DOWN else 1) for m in move_re().finditer(text)]


def direct_return_cue(c: Candidate, text: str) -> bool:
    """A movement cue within three words before the number ("added 1.8%", "is still up
    roughly 40%"), a signed number, a cue right after it ("a 5% gain", "8% below its
    high"), or a return noun whose verb takes the number ("return ... totaled 6.01%")."""
    if c.sign is not None:
        return True
    left = text[max(c.sent.start_char, c.start - limits.RETURN_CUE_LEFT):c.start]
    right = text[c.end:min(c.sent.end_char, c.end + limits.RETURN_CUE_RIGHT)]
    if move_re().search(" ".join(left.split()[-3:])) or ABOVE_BELOW.match(right):
        return True
    if _POINTS_OR.search(left):
        return True  # "rose 214.33 points, or 2.61 percent": the wire's day move
    if ranked_in_parentheses(c, text):
        return True  # "Palo Alto Networks (up 83%) and Advanced Micro Devices (76%) are the best performers"
    first = " ".join(right.split()[:1])
    if move_re().match(first) or re.match(r"(?:gain|loss|decline|drop|advance|return|rise|fall)s?\b", first, re.I):
        return True
    return bool(_RETURN_NOUN_GOVERNS.search(left))


_CLAUSE_BREAK = re.compile(r"[,;]|\b(?:and|but|while|whereas)\b", re.IGNORECASE)


def return_sign(left: str, right: str) -> int:
    """The movement cue nearest the number decides the sign."""
    ab = ABOVE_BELOW.match(right)
    if ab:
        return 1 if ab.group(1).lower() in ("above", "over") else -1
    r = moves(right[:25])
    if r and r[0][0] <= 14 and not _CLAUSE_BREAK.search(right, 0, r[0][0]):
        return r[0][1]  # "closed 14% lower", "a 2.93% fall"; not "dropped 1.0% and is now up 10.4%"
    lm = moves(left)
    if lm:
        return lm[-1][1]
    return r[0][1] if r else 1


_NOT_RETURN_SUBJECT = re.compile(
    r"\b(?:futures|shares outstanding|share count|yields?|short interest|assets|volume|holdings|weight(?:ing)?s?|"
    r"expense ratio|spread|rates?)\b(?:\s(?:on|of|for|in))?(?:\s(?:the|its))?\s*$", re.IGNORECASE)
# "S&P 500 earnings per share of $178 in 2020, up 6%", "the fund's dividend rose 4%"
_OWNED_NOT_PRICE = re.compile(
    r"(?:['’]s?)?\s+(?:[\w-]+\s+)?(?:sectors?|industry|industries|subindex|sub-index)\b"  # "S&P 500's industrials sector"
    r"|(?:['’]s?)?\s+(?:(?:forward|trailing|operating|quarterly|annual|net)\s+)?(?:earnings|eps|revenues?|sales|"
    r"profits?|dividends?|payouts?|yields?|volume|assets|short interest|p/e|valuations?|multiples?|margins?|"
    r"expense ratio|market share|holdings|weighting)\b", re.IGNORECASE)
# what a company reports, as opposed to its price ("revenue of $7.1 billion, up 50%")
_REPORTED = (r"revenues?|sales|earnings|profits?|EPS|net income|operating income|bookings|deliveries|shipments|"
             r"subscribers|margins?")
# the last noun before a percent in its clause: a reported figure, or the price
_WHAT_GREW = re.compile(r"\b(?:(?P<fund>" + _REPORTED + r"|same-store sales|guidance|inflows?|outflows?|flows|volume|"
                        r"assets|short interest|open interest)|(?P<price>shares?|stock|stocks|price|prices|ETF|fund|"
                        r"index|valuation|value|NAV))\b", re.IGNORECASE)
_COMPARED_FIGURE = re.compile(r"(?P<fig>\d(?:%|\s?percent|\s?per\scent)?)(?:\s+[\w-]+){0,4}?,?\s+(?:against|versus|vs\.?|compared\s(?:with|to))\s+(?:(?:about|roughly|nearly|"
                              r"almost|around|some|just|only)\s+)?$", re.IGNORECASE)
_GREW_AFTER = re.compile(r"\s+(?:rise|increase|gain|jump|climb|growth|drop|decline|fall|slump)\s+in\s+(?:[\w-]+\s+){0,3}?"
                         r"(?:" + _REPORTED + r")\b", re.IGNORECASE)
_BELIEF = re.compile(r"\b(?:I|we)\s+(?:think|believe|expect|see|reckon|suspect)\b|\b(?:thinks|believes|expects)\s+(?:it|the)\b",
                     re.IGNORECASE)
_HYPOTHETICAL = re.compile(r"\b(?:can|tends? to|typically|usually|historically)\b", re.IGNORECASE)
_PART_OF = re.compile(r"\s*(?:of\b|of the\b|of its\b|of total|of assets|of aum|of average)", re.IGNORECASE)
_RATIO_NOUN = re.compile(
    r"\s*(?:\d+-month\s|\d+-year\s|annual\s|trailing\s)?(?:yield|expense ratio|stake|weight|weighting|"
    r"allocation|share\b|discount|premium|coupon|dividend|interest|rate|fee|chance|probability|odds|"
    r"margin|tariff|annualized yield|distribution)", re.IGNORECASE)
# "erased 2.2% of the gold ETF", "lost a quarter of its value": a move, not a share
_MOVE_BEFORE_OF = re.compile(r"\b(?:erased|wiped(?:\sout)?|shaved|knocked|lost|gained|added|shed)\s(?:off\s)?"
                             r"(?:about\s|nearly\s|almost\s|some\s|roughly\s)?$", re.IGNORECASE)
# "extend the S&P 500's 2012 rally to 17 percent", "its loss to 10%": a running total, not a level
_RUN_TO = re.compile(r"\b(?:rally|rallies|gains?|advance|rise|climb|decline|loss(?:es)?|drop|slide|slump|rebound|"
                     r"surge|run-up|selloff|sell-off)\s+to\s+$", re.IGNORECASE)
# "weekly drops of 5% or more only twice this year", "as likely as a drop of 10% or more"
_THRESHOLD = re.compile(r"\s*or\s+(?:more|greater|higher|lower|better|worse|bigger|larger|steeper)\b", re.IGNORECASE)
_LEVEL = re.compile(r"(?<!close )(?<!up )(?<!next )\bto\s(?:as\s(?:high|low)\sas\s)?$|\bat\s$|\bfrom\s(?:a\s)?$")


def not_return(c: Candidate, ref_end: int, text: str, grouped_signed: bool, ref_start: int | None = None,
               prev_end: int = 0) -> tuple[str, str] | None:
    """Why the percent is not a return, as (reason, rule); None when it is one."""
    if ref_start is not None and _NOT_RETURN_SUBJECT.search(text[max(c.sent.start_char, ref_start - 30):ref_start]):
        return "its subject is not the price (futures, yield, assets, volume …)", "rules:not-return-subject"
    if ref_end <= c.start and _OWNED_NOT_PRICE.match(text, ref_end, c.start):
        return "its subject is what the ticker owns, not its price (“S&P 500 earnings”, “SPY’s yield”)", \
            "rules:not-return-subject"
    between = text[max(c.sent.start_char, ref_end, prev_end):c.start]  # from its subject to it
    left_full = clean_left(between)
    if _GREW_AFTER.match(text, c.end):
        # "reporting a 21% rise in June-quarter revenue": the figure that rose is named after it
        return "a change of what the company reports, named after the number", "rules:not-return-subject"
    last_noun = None
    for last_noun in _WHAT_GREW.finditer(RELATIVE.sub(",", between)):
        pass
    if last_noun is not None and last_noun.group("fund"):
        # "reported record revenue of $7.1 billion, up 50% from a year earlier": the
        # company's figures grew, not its price ("revenue rose, and shares gained 8%" is one)
        return f"a change of what the company reports (“{last_noun.group(0)}”), not its price", \
            "rules:not-return-subject"
    if re.search(r"(?:\b(?:not|never)|n['’]t)\s(?:[\w-]+\s){0,2}?(?:" + move_re().pattern + ")",
                 left_full + " " + right_of(c, text)) \
            or re.search(r"\b(?:not|never)\s(?:[\w-]+\s){0,2}?(?:suffered|seen|posted|had)\b", left_full):
        return "a negated move (“has not suffered a 5% pullback”)", "rules:negated"
    hyp = _HYPOTHETICAL.search(between)
    if hyp and _BELIEF.search(text, c.sent.start_char, c.start):
        hyp = None  # "I think QQQ can gain another 20% in the next 12 months": a forecast, not a habit
    if hyp or \
            re.search(r"\bwould\s(?:take|put|bring|send|push|mean|leave)\b", ext.span_text(c.sent)):
        return "a hypothetical move (“can fall 30%”, “would take”)", "rules:hypothetical"
    left = left_full[-70:]
    right = text[c.end:min(c.sent.end_char, c.end + limits.RETURN_CUE_RIGHT)]
    near_left = " ".join(left.split()[-4:])
    if _PART_OF.match(right) and not (_MOVE_BEFORE_OF.search(left) and re.match(
            r"\s*of\s+(?:its|their|the)\s(?!time\b)", right, re.IGNORECASE)):
        return f"a share of something (“{right.strip()[:20]}”)", "rules:part-of"
    m = _THRESHOLD.match(right)
    if m:
        return f"a threshold that moves are counted against (“{m.group(0).strip()}”), not a move", "rules:threshold"
    m = _RATIO_NOUN.match(right)
    if m:
        return f"a ratio, not a move (“{m.group(0).strip()}”)", "rules:ratio-noun"
    m = _VERSUS_AVERAGE.match(right)
    if m:
        return f"a distance from an average or NAV (“{m.group(0).strip()}”)", "rules:versus-average"
    if has("not_return", near_left + " " + right[:12]) or has("not_return", left[-40:]):
        return "a non-return cue near it (vocabulary not_return)", "rules:not-return-cue"
    if _LEVEL.search(left) and not _RUN_TO.search(left):
        return "a level (“to 2.9%”, “at 35 percent”), not a move", "rules:level"
    if c.sign is not None or grouped_signed:
        return None
    if ABOVE_BELOW.match(right) or ranked_in_parentheses(c, text):
        return None  # "8% below its July 31 record close", "Advanced Micro Devices (76%)"
    cmp = _COMPARED_FIGURE.search(text, c.sent.start_char, c.start)
    if cmp and not _PART_OF.match(text, cmp.end("fig")) and not re.search(r"\bmake\s+up\b", text[c.sent.start_char:cmp.start()]) \
            and moves(text[c.sent.start_char:cmp.start()]):
        return None  # "EEM is up 16% this year, against roughly 6% for the S&P 500": the move is shared
    anchor_pos = ref_start if ref_start is not None and ref_start < c.start else ref_end
    wide = clean_left(text[max(c.sent.start_char, prev_end, anchor_pos - limits.RETURN_SUBJECT_REACH):c.start])
    if moves(wide) or re.match(r"\s*(?:[\w-]+\s){0,2}?(?:" + move_re().pattern + ")", right) \
            or _POINTS_OR.search(text, c.sent.start_char, c.start):
        return None  # "trading up nearly $17, or 8%": the move is the dollar figure's
    return "no movement cue between its ticker and it, nor right after it", "rules:no-move-cue"


# "since May 7", "in May": the month, not the modal verb of a forecast
_MONTH_MAY = re.compile(r"May(?=\s\d|\s(?:and|to|through)\b|[,.]|\s\w+\s\d{4})")
_MONTH_BEFORE = re.compile(r"\b(?:in|since|on|of|until|from|early|late|mid-)\s$", re.IGNORECASE)


def _is_month_may(text: str, pos: int) -> bool:
    return text.startswith("May", pos) and (bool(_MONTH_MAY.match(text, pos))
                                            or bool(_MONTH_BEFORE.search(text[max(0, pos - 8):pos])))


# "27 percent upside for EEM", "implying just 16% upside": a move still to come
_POTENTIAL = re.compile(r"\s*(?:of\s+)?(?:potential\s+|further\s+|more\s+|additional\s+)?(?:upside|downside)\b",
                        re.IGNORECASE)


_START_CLOSE = re.compile(r"(?:['’]s)?\s+(?:close|closing\s+(?:level|price)|level|finish)\b")
_START_BEFORE = re.compile(r"\b(?:from|above|below|over|than)\s+(?:the\s+)?$")


def _starting_close(w: Window, text: str) -> bool:
    """The phrase names the close a move is counted from ("from Friday's close")."""
    if w.phrase_start is None or w.phrase_end is None:
        return False
    return bool(_START_CLOSE.match(text, w.phrase_end)
                and _START_BEFORE.search(text, max(0, w.phrase_start - 12), w.phrase_start))


def is_forecast(c: Candidate, text: str, window: Window, published, ref_start: int) -> bool:
    """A forecast cue in the clause that carries the claim ("expects the S&P 500 to
    increase 18 percent", "will rally 11 percent"), or a window ending in the future."""
    lo = max(c.sent.start_char, min(ref_start, c.start) - limits.FORECAST_LEFT)
    # "the VIX, which measures what traders expect, jumped": the aside blanked, offsets kept
    left = RELATIVE.sub(lambda m: "," + " " * (len(m.group(0)) - 1), text[lo:c.start])
    cut = None
    for m in re.finditer(r"\bwhile\b|\bbut\b|\bwhereas\b|;|\bafter\b|\bsince\b", left):
        if lo + m.end() <= min(ref_start, c.start):
            cut = m.end()
    if cut is not None:
        left = left[cut:]
    right = text[c.end:c.sent.end_char]
    if _BELIEF.search(left) and re.search(r"\bcan\b", left):
        return True  # "I think GLD can climb another 10% by midyear"
    if any(not _is_month_may(left, m.start()) for m in cue_re("forecast").finditer(left)) or \
            re.search(r"out of the question|in the cards", right[:80]) or _POTENTIAL.match(right):
        return True
    if published and window.end and window.end > published:
        return True
    return False


def candidates(doc: Doc, body_start: int, explain: Explainer | None = None, skip=None) -> list[Candidate]:
    text = ext.text_of(doc)

    def reject(s) -> tuple[str, str] | None:
        if s._.x_kind == "pp":
            return "percentage points: a change of a rate, not a return", "rules:pp"
        if quote_chip(text, s.start_char, s.end_char):
            return "a web page's live quote chip beside a symbol", "rules:quote-chip"
        return None

    return read_candidates(doc, ext.PERCENT, body_start, "return", explain, skip, reject)


def iter_returns(doc: Doc, refs: list[Ref], times: TimeIndex, anchor: Anchor, body_start: int,
                 explain: Explainer | None = None, skip=None) -> Iterator[Return]:
    """Returns in the prose (``skip(pos)``: True where a table reader already read the
    number)."""
    text = ext.text_of(doc)
    ref_starts = [r.start for r in refs]
    cands = candidates(doc, body_start, explain, skip)
    last_fc: Window | None = None
    prev_end = 0
    last_kept: tuple[int, int | None] = (-1, None)  # (sentence start, sign) of the last return kept
    for group in groups(cands, text):
        targets = assign(group, refs, ref_starts, text, kinds=None, prefer_prep=False)
        grouped_signed = len(group) > 1 and any(c.sign is not None for c in group)
        subj = min((a.ref.start for a in targets if a.ref is not None), default=None)
        g_prev_end = prev_end
        prev_end = group[-1].end
        lead_sign: int | None = None
        if group[0].sent.start_char != last_kept[0]:
            last_kept = (group[0].sent.start_char, None)
        for i, (c, att) in enumerate(zip(group, targets)):
            shared = distributed(c, att, refs, ref_starts, text) if len(group) == 1 else []
            if shared and (att.ref is None or all(s.symbol != att.ref.symbol for s in shared)):
                att = Attachment(shared[0], f"“{'”, “'.join(s.symbol for s in shared)}”: the funds a plural "
                                 "(“both funds”) points back to", att.others)
            ref = att.ref
            if i == 0:
                lead_direct = direct_return_cue(c, text)
            # "are down 3.2% and 3.1%": a bare list member shares the lead's cue; "5 percent,
            # while 32 percent of its assets ..." has its own complement and does not
            bare = i > 0 and not _NOUN_COMPLEMENT.match(text[c.end:c.end + limits.COMPLEMENT_REACH])
            direct = direct_return_cue(c, text) or (lead_direct and (i == 0 or bare))
            why = None
            if ref is None:
                why = (att.why, "rules:attach")
            elif in_table_row(text, c.start):
                why = ("a cell of a pipe table the prose rules do not read", "rules:table-row")
            elif vetoed(c, RETURN_ROLES, direct=direct):
                rules = not_return(c, ref.end if ref.end <= c.start else c.sent.start_char, text, grouped_signed,
                                   ref.start) if explain is not None else None
                why = (veto_reason(c, RETURN_ROLES) + (f" (the rules agree: {rules[0]})" if rules else ""),
                       "model:role-veto")
            follows_lead = i > 0 and lead_sign is not None and bare  # a member with its own complement is its own
            if why is None and not follows_lead and i == 0 and last_kept[1] is not None \
                    and ref.end <= c.start and _GAPPED_GAP.fullmatch(text, ref.end, c.start) \
                    and _GAPPED_BEFORE.search(text, max(c.sent.start_char, ref.start - limits.GAPPED_REACH), ref.start):
                # "VGK had risen 2.1 per cent in 2015 and EZU 1.4 per cent": the verb of the move
                # before is understood; what the figure itself is ("20% of its assets", "5% or
                # more") is still judged
                why = not_return(c, ref.end, text, True, ref.start)
                follows_lead, lead_sign = why is None, last_kept[1]
            if why is None and not follows_lead:
                why = not_return(c, ref.end if ref.end <= c.start else c.sent.start_char, text, grouped_signed,
                                 subj if len(group) > 1 else ref.start,
                                 g_prev_end if g_prev_end >= c.sent.start_char else 0)
            if why is not None:
                if explain is not None:
                    explain.reject("return", c, *why, ticker=ref, ticker_why=att.why, others=att.others)
                continue
            left = text[max(c.sent.start_char, ref.end if ref.end <= c.start else c.sent.start_char):c.start]
            right = text[c.end:min(c.sent.end_char, c.end + limits.RETURN_CUE_RIGHT)]
            sign = c.sign if c.sign is not None else (lead_sign if follows_lead else
                                                      return_sign(left[-limits.RETURN_CUE_LEFT:], right))
            if i == 0:
                lead_sign = sign
            lo_v = sign * c.value
            hi_v = sign * c.value_high if c.value_high is not None else None
            own = window_for(c, times, text)
            window = own or fallback(c, times, text)
            # a period borrowed from another sentence ("ahead of results next week. JPM slid
            # 2.6%") does not make the move a forecast; a cue in its own words does
            fc = is_forecast(c, text, own or Window(), anchor.published, ref.start)
            if fc and own is not None and _starting_close(own, text):
                # "a rise of 4.8% from Wednesday's close": where the forecast starts, not its horizon
                own, window = None, fallback(c, times, text)
            if own is None:
                took = replace(last_fc, source=borrowed(last_fc, c.start, text, times)) if fc and last_fc else None
                if took is None and times.frame is not None and not times.under_heading(c.start, text) \
                        and DAY_MOVE.search(text, c.sent.start_char, c.end + 40):
                    took = times.frame  # "slid 634.76 points, or 5.6 percent, to 10,809.85": the day's move
                window = took or times.inherited(c.start, text, realized=not fc) or window
                if not fc and times.ahead(window):
                    window = Window()  # nothing before it but a period still to come
            if fc:
                window = times.as_forecast(window)
                last_fc = window
            window = intraday(c, window, text, anchor, fc)
            run = _RUN_TO.search(text, max(c.sent.start_char, c.start - limits.RUN_TO_REACH), c.start)
            if own is not None and run and window.source in ("claim", "sentence"):
                # "extend the S&P 500's 2012 rally to 17 percent this week": the total runs over
                # the rally; its own period ("2012 rally") bounds it, the phrase after it
                # ("this week") does not: without the rally's period, not sure
                noun_end = run.start() + len(run.group(0).split()[0])  # "rally" in "rally to "
                rally = [p for p in times.in_span(c.sent.start_char, run.end()) if run.start() - 2 <= p[1] <= noun_end + 1]
                window = replace(rally[-1][2], source="claim") if rally else replace(window, source="paragraph")
            ev_start = min(ref.start, c.start) if ref.start >= c.sent.start_char else c.sent.start_char
            ev_end = max(ref.end, c.end)
            qual = c.qualifier
            if qual is None and re.search(r"\bannuali[sz]ed\b", text[c.sent.start_char:c.end]):
                qual = "annualized"
            if explain is not None:
                reason = ("a list member after a move" if follows_lead else
                          "a movement cue governs it") + (f", sign {'+' if sign > 0 else '-'}"
                                                          f"{' (written)' if c.sign is not None else ' from the cue'}")
                explain.keep("return", c, ("forecast: " if fc else "realized: ") + reason,
                             "rules" + ("+model" if c.role_probs else ""), ref.symbol, att.why, att.others,
                             window, window_why(window, own is not None, text))
            last_kept = (c.sent.start_char, sign)
            record = Return(ticker=ref.symbol, value_pct=round(lo_v, 4), start=ev_start, end=ev_end,
                            value_pct_high=round(hi_v, 4) if hi_v is not None else None,
                            kind="forecast" if fc else "realized", qualifier=qual, window=window,
                            source="model" if c.role_probs else "rules",
                            confidence=role_confidence(c, RETURN_ROLES))
            yield record
            for other in shared:
                if other.symbol != ref.symbol:
                    if explain is not None:
                        explain.keep("return", c, "the same figure said of each coordinated subject (“each”, "
                                     "“both”)", "rules:distributive", other.symbol, "coordinated with "
                                     + ref.symbol, (), window, window_why(window, own is not None, text))
                    yield replace(record, ticker=other.symbol, start=min(other.start, record.start))


def dedupe_returns(items: list[Return], explain: Explainer | None = None) -> list[Return]:
    """One record per claim: the same ticker and figure said twice (or rounded: 2.75 and
    2.8) is one, keeping the more precise figure. Two periods each written in its own
    claim ("a weekly loss of nearly 2%" ... "on Thursday ... shed nearly 2%") are two
    claims."""
    out: list[Return] = []
    for r in items:
        dup = None
        for i, o in enumerate(out):
            if o.ticker != r.ticker or o.value_pct_high != r.value_pct_high or own_periods_differ(o.window, r.window):
                continue
            if (o.start, o.end) == (r.start, r.end):
                continue  # two cells of one table row ("11.0%" and "10.7%" over 3 and 5 years) are two claims
            if o.value_pct == r.value_pct:
                dup = i
                break
            a, b = sorted((o, r), key=lambda x: decimals(x.value_pct))
            if (a.value_pct > 0) == (b.value_pct > 0) and round(b.value_pct, decimals(a.value_pct)) == a.value_pct:
                dup = i
                out[i] = b if b is r else o  # keep the more precise figure
                break
        if dup is None:
            out.append(r)
    if explain is not None:
        kept = {(r.start, r.end, r.ticker, r.value_pct) for r in out}
        for r in items:
            if (r.start, r.end, r.ticker, r.value_pct) not in kept:
                explain.drop("return", r, "the same claim said again (same ticker and figure)", "rules:dedupe")
    return out
