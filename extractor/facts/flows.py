"""Fund flows: a dollar amount is a flow when a flow cue ("redemptions", "poured ...
into") governs it and it is not assets under management, volume or a price.

``iter_flows`` yields Flow records; with an ``Explainer`` every amount it looked at is
recorded as kept or rejected, with the rule that decided.
"""
from __future__ import annotations

import re
from bisect import bisect_left, bisect_right, insort
from collections.abc import Iterator
from functools import lru_cache

from .. import _torchless  # noqa: F401  (first: spaCy's thinc must not import torch)
from spacy.tokens import Doc

from ..cues import FUND_KINDS, cue_re, has, last
from ..references import Ref
from ..rules import extensions as ext
from ..schema import Anchor, Flow
from ..windows import TimeIndex
from . import limits
from .attach import Attachment, assign
from .candidates import Candidate, groups, read_candidates, role_confidence, veto_reason, vetoed
from .explain import Explainer
from .timing import fallback, own_periods_differ, window_for, window_why


# the words that may stand between a flow verb and its amount ("took in nearly $2 billion")
_HEDGES = r"about|nearly|roughly|some|over|more than|almost|around|another|an additional|a net|a record|net"


@lru_cache(maxsize=1)
def _flow_governs() -> tuple[re.Pattern, re.Pattern]:
    """(phrase ending right before the amount, phrase starting right after it)."""
    before = re.compile(r"(?:" + cue_re("flow_governs_before").pattern + r")\s(?:(?:" + _HEDGES + r")\s){0,2}$",
                        re.I)
    after = re.compile(r"\s*(?:" + cue_re("flow_governs_after").pattern + r")", re.I)
    return before, after


# "Average daily outflows from VNQ reached $158 million", "redemptions ... totaled $2 billion"
_FLOW_NOUN_GOVERNS = re.compile(
    r"\b(?:(?:in|out)flows?|redemptions|withdrawals|creations)\b[^.;$%]{0,45}?\b(?:reached|totall?ed|hit|topped|"
    r"came to|amounted to|were|was|stood at|rose to|climbed to|swelled to|grew to)\s(?:(?:about|nearly|roughly|"
    r"some|over|more than|almost|around|a record)\s)?$", re.IGNORECASE)


# "investors have put an average of $3.1 million daily into the ETN", "plowed $2 billion into
# SPY": money put into something is an inflow; the verb alone is too common to be a cue
_PUT_BEFORE = re.compile(r"\b(?:put|puts|putting|invested|investing|plowed|ploughed|parked|sank|socked|piled)\s"
                         r"(?:(?:" + _HEDGES + r"|an average of|a combined|a total of)\s){0,2}$", re.IGNORECASE)
_PUT_INTO = re.compile(r"\s*(?:(?:daily|a day|per day|each day|a week|per week|each week)\s+)?(?:into|in\s+to)\b",
                       re.IGNORECASE)


def _money_put_into(c: Candidate, text: str) -> bool:
    """A verb of placing money before the amount and "into" right after it."""
    left = text[max(c.sent.start_char, c.start - limits.FLOW_GOVERNS_LEFT):c.start]
    return bool(_PUT_BEFORE.search(left) and _PUT_INTO.match(text, c.end, c.sent.end_char))


def direct_flow_cue(c: Candidate, text: str) -> bool:
    """A phrase that takes the amount as its object ("brought in $1 billion", "outflows
    of $835 million", "pulled nearly $2 billion"), or one right after it ("$2 billion of
    inflows", "$400 million in new assets", "$700 million has vacated IWM"): the
    vocabularies flow_governs_before / flow_governs_after; or a flow noun whose verb
    takes the amount ("outflows from VNQ reached $158 million")."""
    if c.sign is not None:
        return True
    left = text[max(c.sent.start_char, c.start - limits.FLOW_GOVERNS_LEFT):c.start]
    right = text[c.end:min(c.sent.end_char, c.end + limits.FLOW_GOVERNS_RIGHT)]
    before, after = _flow_governs()
    return bool(before.search(left) or after.match(right) or _FLOW_NOUN_GOVERNS.search(left)
                or _money_put_into(c, text))


def flow_direction(c: Candidate, text: str) -> str | None:
    """inflow / outflow from the sign or the nearest flow cue; None when no cue."""
    if c.sign is not None:
        return "inflow" if c.sign > 0 else "outflow"
    if _money_put_into(c, text):
        return "inflow"
    left = text[max(c.sent.start_char, c.start - limits.FLOW_CUE_LEFT):c.start]
    right = text[c.end:min(c.sent.end_char, c.end + limits.FLOW_CUE_RIGHT)]
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


def not_flow(c: Candidate, text: str) -> tuple[str, str] | None:
    """Why the amount is not a flow, as (reason, rule); None when it can be one."""
    left = text[max(c.sent.start_char, c.start - 50):c.start].lower()
    right = text[c.end:min(c.sent.end_char, c.end + 45)]
    rl = right.lower()
    # "the $12 billion iShares ... ETF", "The $7.9 billion fund": assets under management
    if re.match(r"\s*(?:[A-Z]|i[A-Z]|fund\b|etf\b|etn\b|product\b|portfolio\b|vehicle\b|exchange-traded|"
                r"bond fund|stock fund|equity fund)", right) and re.search(
            r"\b(?:the|a|an|nearly|about|its|roughly|some|approximately|almost|over|than|record)\s*$", left):
        return "a fund's size (“the $12 billion iShares … ETF”)", "rules:fund-size"
    flow_verb_before = re.search(r"(?:took in|taking in|take in|taken in|takes in|brought in|pulled in|accumulated|amassed|attracted|"
                                 r"gathered|added|drew|raked in|received|inflows? of|outflows? of)\s(?:\w+\s){0,2}$", left)
    if re.search(r"\bassets\b[^$.;]{0,25}\bto\s(?:about\s|roughly\s|nearly\s|some\s)?$", left):
        return "assets rising to a level (“boosted assets to $3.6 billion”)", "rules:assets-to"
    m = None if flow_verb_before else re.match(
        r"\s*(?:in\s(?:assets|aum|total assets)|of assets|in trading|in volume|worth of (?:shares|stock|trades)|"
        r"a share|per share|in losses|in deposits|in debt|of debt|in bonds|of bonds|of chinese|in market value|"
        r"in market cap|in revenue|in sales|in profit|in earnings)", rl)
    if m:
        return f"an amount of something else (“{m.group(0).strip()}”)", "rules:not-flow-noun"
    if re.search(r"(?:assets under management|under management|assets|aum|market value|worth|volume|"
                 r"valued at|market cap|capitalization)(?:\sof|\snow total|\stotal|\sto|\sreached|\sof about|"
                 r"\sof roughly|\sof nearly|\sstood at|\srose to|\sfell to|\sclimbed to)?\s*(?:about|nearly|roughly|some|~)?\s*$", left) \
            and not re.search(r"new (?:net )?(?:investment )?assets", left):
        return "assets, volume or market value, not a flow", "rules:aum"
    if re.search(r"\b(?:to|at)\s(?:about\s|roughly\s|nearly\s)?$", left) and not re.search(r"(?:outflows?|inflows?|redemptions|flows?)\b.{0,40}$", left):
        return "a price or a level (“slid 12% to $44.45”)", "rules:level"
    if not flow_verb_before and re.search(r"\b(?:transaction|trade|deal|bet|loss|losses|profit|deposits|price|worth)\b[^$]{0,20}$", left):
        return "a trade, a loss or a price, not a flow", "rules:not-flow-context"
    return None


def conversion(c: Candidate, text: str) -> bool:
    """One of two figures for one amount in two currencies: the one in another currency
    than dollars, whether it stands in parentheses after the dollars ("$US1.2 ($AU1.7)
    billion") or before them ("£40m ($52m)"). The dollar figure is the claim."""
    if (c.currency or "USD") == "USD":
        return False
    before = text[max(c.sent.start_char, c.start - 30):c.start]
    after = text[c.end:c.end + 30]
    return bool(re.search(r"\d[\d.,]*\s?(?:[a-z]+\s?)?\(\s?$", before, re.IGNORECASE)
                or re.match(r"\s?\(\s?(?:US\s?\$|\$\s?US|\$)\s?\d", after))


_DEFINITE_FLOW = re.compile(r"\b(?:[Tt]he|[Tt]hose|[Tt]hese|[Tt]his)\s(?:net\s)?(?:in|out)?flows?\b|"
                            r"\b[Tt]he\s(?:redemptions?|withdrawals?|influx|exodus)\b|"
                            r"^\W*(?:[Nn]et\s)?(?:[Ii]n|[Oo]ut)flows?\sof\b")  # "Net inflow of $2 billion over ..."
_DAILY = re.compile(r"\bdaily\b.{0,40}\baverag|\baverag\w*\b.{0,30}\bdaily|\ba day on average|\bper day\b")
_WEEKLY = re.compile(r"\bweekly\b.{0,30}\baverag|\baverag\w*\b.{0,30}\bweekly|\bper week\b")
_MONTHLY = re.compile(r"\bmonthly\b.{0,30}\baverag|\baverag\w*\b.{0,30}\bmonthly|\bper month\b")


def aggregation(sentence: str) -> str:
    s = sentence.lower()
    if _DAILY.search(s):
        return "daily_avg"
    if _WEEKLY.search(s):
        return "weekly_avg"
    if _MONTHLY.search(s):
        return "monthly_avg"
    return "total"


def candidates(doc: Doc, body_start: int, explain: Explainer | None = None, skip=None) -> list[Candidate]:
    return read_candidates(doc, ext.MONEY, body_start, "flow", explain, skip)


def iter_flows(doc: Doc, refs: list[Ref], times: TimeIndex, anchor: Anchor, body_start: int,
               explain: Explainer | None = None, skip=None) -> Iterator[Flow]:
    """Flows in the prose (``skip(pos)``: True where a table reader already read the
    amount)."""
    text = ext.text_of(doc)
    ref_starts = [r.start for r in refs]
    for group in groups(candidates(doc, body_start, explain, skip), text):
        targets = assign(group, refs, ref_starts, text, kinds=FUND_KINDS, prefer_prep=True)
        lead_kept = False
        for i, (c, att) in enumerate(zip(group, targets)):
            if att.ref is None and _DEFINITE_FLOW.search(ext.span_text(c.sent)):
                # "Yet the flows keep coming, including $1.4 billion last week.": the fund
                # the article was just talking about.
                prior = [r for r in refs if r.end <= c.sent.start_char and r.kind in FUND_KINDS]
                if prior:
                    att = Attachment(prior[-1], "“the flows”: the fund the article was just talking about",
                                     att.others)
            ref = att.ref
            why = None
            if ref is None:
                why = (att.why, "rules:attach")
            elif c.value < limits.MIN_FLOW_USD:
                why = (f"less than MIN_FLOW_USD ({limits.MIN_FLOW_USD:,}): a price, not a flow", "limits:MIN_FLOW_USD")
            elif conversion(c, text):
                why = ("a conversion of the amount before it (“$US1.2 ($AU1.7) billion”)", "rules:conversion")
            else:
                # "lost $378.3 and $7.4 million in assets, respectively": a list member shares
                # the lead's verb, whatever complement ends the list, and the lead's cue governs
                # it as outright as the lead
                member = i > 0 and lead_kept
                why = None if member else not_flow(c, text)
                if why is None and vetoed(c, ("flow",), direct=member or direct_flow_cue(c, text)):
                    why = (veto_reason(c, ("flow",)), "model:role-veto")
            direction = flow_direction(c, text) if why is None else None
            if why is None and direction is None:
                why = ("no inflow or outflow cue near it", "rules:no-direction")
            if why is not None:
                if explain is not None:
                    explain.reject("flow", c, *why, ticker=ref, ticker_why=att.why, others=att.others)
                continue
            if i == 0:
                lead_kept = True
            own = window_for(c, times, text)
            window = own or times.inherited(c.start, text, realized=True) or fallback(c, times, text)
            ev_start = min(ref.start, c.start) if ref.start >= c.sent.start_char else c.start
            ev_end = max(ref.end, c.end) if ref.end <= c.sent.end_char else c.end
            if explain is not None:
                explain.keep("flow", c, f"{direction}: a flow cue governs it", "rules" + (
                    "+model" if c.role_probs else ""), ref.symbol, att.why, att.others, window,
                    window_why(window, own is not None, text))
            currency = c.currency or "USD"
            yield Flow(ticker=ref.symbol, direction=direction, amount_usd=c.value if currency == "USD" else None,
                       start=ev_start, end=ev_end, qualifier=c.qualifier, aggregation=aggregation(ext.span_text(c.sent)),
                       window=window, source="model" if c.role_probs else "rules",
                       confidence=role_confidence(c, ("flow",)), currency=currency, amount=c.value)


def _half_unit(amount: float) -> float:
    """Half a unit of the last digit written: "$5.2 billion" -> 50 million; 0 for a
    figure of one digit ("$1 billion" is not "$1.5 billion" said roughly)."""
    whole = f"{abs(amount):.0f}"
    digits = whole.rstrip("0")
    if len(digits) < 2:
        return 0.0
    return 0.5 * 10 ** (len(whole) - len(digits))


def _hedged_same(rough: Flow, exact: Flow, size) -> bool:
    """A hedged round figure and the exact one it stands for: "shed more than $2
    billion" and "SPY: -$2,086.4M" (up to 10 % over), "nearly $2 billion" and 1,930
    (up to 10 % under), "about $2 billion" (5 % either way)."""
    q, a, b = (rough.qualifier or "").lower(), size(rough), size(exact)
    if not q or a <= 0 or _half_unit(b) >= _half_unit(a) and _half_unit(a) > 0:
        return False  # the exact figure must be the more precise one
    if q in ("more than", "over", "above", "upwards of"):
        return a <= b <= 1.1 * a
    if q in ("nearly", "almost", "just under", "close to"):
        return 0.9 * a <= b <= a
    if q in ("about", "roughly", "around", "some", "approximately", "an estimated"):
        return abs(b - a) <= 0.05 * a
    return False


def dedupe_flows(items: list[Flow], explain: Explainer | None = None) -> list[Flow]:
    """One record per flow: the same ticker, direction and aggregation with amounts
    within 0.5 %, or the same up to the rounding of the less precise ("$5.2 billion" in
    the prose and "5,231.45" in its table), is one, kept at the more precise figure. Two
    periods each written in its own claim are two flows."""
    out: list[Flow] = []
    # candidates by kind of flow, sorted by size: a list of thousands stays near linear
    # (the widest tolerance, half a unit of a two-digit figure, is under 5 %)
    by_key: dict[tuple, list[tuple[float, int]]] = {}

    def size(x: Flow) -> float:
        return x.amount if x.amount is not None else x.amount_usd or 0

    for f in items:
        amount = size(f)
        key = (f.ticker, f.direction, f.aggregation, f.currency)
        near = by_key.setdefault(key, [])
        lo, hi = bisect_left(near, (amount - 0.1 * abs(amount) - 1.0, -1)), \
            bisect_right(near, (amount + 0.1 * abs(amount) + 1.0, len(items)))
        dup = next((i for _, i in near[lo:hi]
                    if not own_periods_differ(out[i].window, f.window)
                    and (abs(size(out[i]) - amount) <= max(0.005 * max(abs(amount), 1.0),
                                                          _half_unit(size(out[i])), _half_unit(amount))
                         or _hedged_same(out[i], f, size) or _hedged_same(f, out[i], size))), None)
        if dup is None:
            insort(near, (amount, len(out)))
            out.append(f)
            continue
        hedged_old = _hedged_same(out[dup], f, size)  # the kept one is the round, hedged figure
        if hedged_old or (_half_unit(amount) < _half_unit(size(out[dup])) and not _hedged_same(f, out[dup], size)):
            if explain is not None:
                explain.drop("flow", out[dup], "the same flow said again, less precisely", "rules:dedupe")
            old = size(out[dup])
            near.remove((old, dup))
            insort(near, (amount, dup))
            out[dup] = f
        elif explain is not None:
            explain.drop("flow", f, "the same flow said again", "rules:dedupe")
    return out
