"""Which ticker a number is about: a ranking over the references in its sentence.

The rules rank the candidates in this order, and say which rule chose:
a "respectively" list or a parenthesised pair maps numbers to tickers in order; for a
flow, a preposition right after the amount names the fund ("$441.5 million from HYG");
"a gain of 1% for the SPDR ..." names it right after; else the nearest ticker before the
number in its clause (not one inside a relative clause, nor an index named as the owner
of its members); else the first one after it in the sentence.
"""
from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass

from ..normalize.amount import find_money, find_percents
from ..references import Ref
from ..rules import extensions as ext
from . import limits
from .candidates import RELATIVE, Candidate, clause_bounds
from .ranker import rank

# "the best performer among the Dow's 30 components, up 47%": the owner, not the mover
MEMBERS_OF = re.compile(r"['’]s\s+(?:\d+\s+)?(?:components?|members?|constituents?|stocks|holdings|"
                        r"biggest|best|worst|top|largest|leading|laggards?|gainers?|losers?)\b"
                        r"|\s(?:stocks|companies|members|constituents|components|names)\b", re.IGNORECASE)
# "The 10 groups in the S&P 500 fell 3.8%", "financial shares in the S&P 500": the
# index holds what moved
_MEMBERS_IN = re.compile(r"\b(?:groups|sectors|industries|stocks|shares|members|components|constituents|companies|"
                         r"names)\s+(?:in|of|on)\s+(?:the\s+)?$", re.IGNORECASE)
_COMPARED = re.compile(r"\b(?:lagged|lagging|lags|trailed|trailing|trails|outpaced|outpacing|outpaces|outperformed|"
                       r"outperforming|outperforms|underperformed|underperforming|underperforms|bested|beat|beating)"
                       r"\s+(?:the\s+)?$", re.IGNORECASE)
_PREP = re.compile(r"\s*(?:[\w'’-]+\s){0,4}?(?:into|from|in(?!\s(?:net\s|new\s)?(?:in|out)?flows?\b|\s"
                   r"(?:net\s)?(?:redemptions|new\sassets|new\smoney|assets|creations))|out of|exited|vacated|left|to)\b")
# "TLT ranks second (behind SPY), with $2.1 billion": a ticker named in a comparison
# in parentheses is not the subject
_ASIDE = re.compile(r"\((?:behind|ahead of|after|trailing|versus|vs\.?|compared with|compared to|like|such as|"
                    r"including|excluding|ex)\b[^()]{0,80}\)", re.IGNORECASE)
# "sending its stock up 4 percent and lifting the Dow", "helping the S&P 500": the index a
# move helped is not the one that moved
_HELPED = re.compile(r"\b(?:lifting|helping|dragging|boosting|pushing|pulling|weighing on|sending|propelling|"
                     r"leading|driving|lifted|helped|dragged|boosted|pushed)\s(?:down\s|up\s)?(?:the\s)?$",
                     re.IGNORECASE)
_FOR_OF = re.compile(r"\s?(?:in\s(?:net\s)?(?:in|out)flows\s)?(?:[\w-]+\s){0,1}(?:for|in|of|by)\s(?:the\s)?"
                     r"(?:broader\s|wider\s|overall\s|benchmark\s|tech-heavy\s|blue-chip\s)?")


# a new clause with its own subject: "while natural gas has fallen", "because the Turkish
# Lira fell", "while U.S. markets jumped" (not "while gaining", "while it", "but the fund")
_OTHER_SUBJECT = re.compile(r"(?:,\s+and|\b(?:while|whereas|but|although|because|as))\s+(?!it\b|its\b|they\b|their\b|"
                            r"the\s(?:fund|etf|index|gauge|stock|shares)\b|shares\b|[a-z]+ing\b|also\b|still\b|up\b|down\b|"
                            r"much\b|many\b|of\b|a\b|an\b)(?:the\s)?[A-Za-z][\w.-]*\s(?:[\w.-]+\s){0,3}?"
                            r"(?:has|have|had|was|were|is|are|fell|rose|dropped|jumped|gained|lost|slid|climbed|"
                            r"declined|surged|plunged|tumbled|soared|sank|advanced|slipped|added)\b")


_OWN_VERB = re.compile(r"(?:\s*\([^()]{1,30}\))?(?:\s+[A-Z]{1,5}\b)?[\s)]*(?:(?:futures|contracts|shares|stock|index|fund|ETF)\s+)?"
                       r"(?:(?:has|have|was|were|is|also|itself)\s+)?(?:rose|fell|gained|lost|jumped|slid|"
                       r"climbed|dropped|rallied|declined|surged|plunged|tumbled|soared|sank|advanced|slipped|"
                       r"added|shed|edged|ended|closed|finished|up|down)\b", re.IGNORECASE)


# a total several funds took: said outright ("combined", "collectively"), or "together"
# and a count of funds, which need the funds named beside them to be read so
_TOTAL = r"combined|collectively|in total|between them"
_SEVERAL = re.compile(r"\b(?:" + _TOTAL + r"|together)\b|\b(?:two|three|four|five|six|"
                      r"seven|eight|nine|ten|\d+|several)\s+(?:[\w-]+\s+){0,3}?(?:ETFs|funds|ETPs|ETNs)\b",
                      re.IGNORECASE)
_TOTAL_SAID = re.compile(r"\b(?:" + _TOTAL + r")\b", re.IGNORECASE)


def _respectively_figures(text: str, start: int, end: int) -> list[int]:
    """Where each figure of a "respectively" list starts, from ``start`` to the word (read
    by the project's own readers of percents and amounts)."""
    m = re.search(r"\brespectively\b", text[start:end])
    if m is None:
        return []
    part = text[start:start + m.start()]
    return sorted(start + q.start for q in find_percents(part) + find_money(part))


@dataclass
class Attachment:
    ref: Ref | None
    why: str
    others: tuple[str, ...] = ()  # "SPY: farther from the number than TLT"


def respectively(sent) -> bool:
    return "respectively" in ext.span_text(sent).lower()


def _others(in_sent: list[Ref], chosen: Ref | None, reasons: dict[int, str]) -> tuple[str, ...]:
    out, seen = [], set()
    for r in in_sent:
        if chosen is not None and r.symbol == chosen.symbol or r.symbol in seen:
            continue
        seen.add(r.symbol)
        out.append(f"{r.symbol}: {reasons.get(id(r), 'not the nearest in its clause')}")
    return tuple(out)


def _outside(lefts: list[Ref], pattern: re.Pattern, sent, before: int, reasons: dict[int, str],
             why: str) -> list[Ref]:
    """The references not inside a match of ``pattern`` that ends before ``before`` (the
    others get ``why``); all of them when every one is inside."""
    spans = [(sent.start_char + m.start(), sent.start_char + m.end())
             for m in pattern.finditer(ext.span_text(sent)) if sent.start_char + m.end() <= before]
    kept = [r for r in lefts if not any(a <= r.start < b for a, b in spans)]
    if not kept:
        return lefts
    for r in lefts:
        if r not in kept:
            reasons[id(r)] = why
    return kept


def assign(group: list[Candidate], refs: list[Ref], ref_starts: list[int], text: str, *,
           kinds: tuple[str, ...] | None, prefer_prep: bool) -> list[Attachment]:
    """The ticker each number in the group is about, with why."""
    first, last = group[0], group[-1]
    sent = first.sent
    lo, hi = clause_bounds(sent, first.start, last.end)
    # the sentence's references by binary search (``ref_starts``: where each starts, in
    # text order), not a pass over the article's every reference per number
    nearby = refs[bisect_right(ref_starts, sent.start_char - 1):bisect_right(ref_starts, sent.end_char)]
    in_sent = [r for r in nearby if (kinds is None or r.kind in kinds)
               and sent.start_char <= r.start and r.end <= sent.end_char]
    left = [r for r in in_sent if r.end <= first.start and r.start >= lo]
    resp = respectively(sent)
    if len(group) > 1:
        distinct: list[Ref] = []
        for r in reversed(left):
            if not distinct or distinct[0].symbol != r.symbol:
                distinct.insert(0, r)
        paired_in_parens = "(" in text[max(lo, first.start - 3):first.start]
        listed = _respectively_figures(text, first.start, sent.end_char) if resp else []
        if len(listed) > len(group) and len(distinct) >= len(listed) and all(
                any(abs(c.start - p) <= 2 for p in listed) for c in group):
            # "finished up 0.4%, 0.1% and down 0.3%, respectively": the list has more figures
            # than this group (a member with its own verb); each takes its place in the list
            pool = distinct[-len(listed):]
            picks = [pool[min(range(len(listed)), key=lambda k: abs(listed[k] - c.start))] for c in group]
            return [Attachment(r, "a “respectively” list: in order", _others(in_sent, r, {})) for r in picks]
        if len(distinct) >= len(group) and (paired_in_parens or resp):
            # "XLF and KRE are down 4.1% and 9.6%, respectively": the last n references, in order
            pool = distinct[-len(group):]
            why = "a “respectively” list: in order" if resp else "a parenthesised list after the tickers: in order"
            return [Attachment(r, why, _others(in_sent, r, {})) for r in pool]
    out: list[Attachment] = []
    for c in group:
        reasons: dict[int, str] = {}
        target, why = None, ""
        right = [r for r in in_sent if r.start >= c.end and r.end <= hi]
        if prefer_prep:
            for r in right:
                between = text[c.end:r.start]
                # "$441.5 million from HYG", "$658 million was funneled into the ...": the
                # preposition comes within a few words, before any new clause.
                m = _PREP.match(between)
                if m and len(between) <= limits.PREP_REACH and not re.search(
                        r"[;.]|\b(?:while|but|whereas|and|although)\b", between[:m.end()]) and \
                        len(between) - m.end() <= limits.PREP_TAIL and not re.search(
                        r",\s(?:and|while|but)\b|\b(?:while|whereas|though|although)\b|;", between[m.end():]):
                    target, why = r, f"named after the amount by “{m.group(0).split()[-1]}”"
                    break
        if target is None:
            # "a gain of roughly 1% for the SPDR S&P 500 ETF Trust", "the 10.2% gain in the S&P 500"
            for r in right:
                if _FOR_OF.fullmatch(text[c.end:r.start]):
                    target, why = r, f"named right after the number (“{text[c.end:r.start].strip()}”)"
                break
        if target is None:
            lefts = [r for r in in_sent if r.end <= c.start and r.start >= lo]
            for r in in_sent:
                if r.end <= c.start and r.start < lo:
                    reasons[id(r)] = "in another clause (before a semicolon or dash)"
            # "the fund, which seeks three times the return of the Nasdaq-100 Index,
            # tumbled 27.6%": a reference inside a relative clause is not the subject.
            lefts = _outside(lefts, RELATIVE, sent, c.start, reasons, "inside a relative clause (“, which …,”)")
            # "TLT ranks second (behind SPY), with ...": a comparison in parentheses
            lefts = _outside(lefts, _ASIDE, sent, c.start, reasons,
                             "named in a comparison in parentheses (“(behind SPY)”)")
            if lefts and lefts[-1].kind == "index" and _MEMBERS_IN.search(text, max(0, lefts[-1].start - 40),
                                                                          lefts[-1].start):
                # the nearest subject is what the index holds, which is no ticker: no earlier
                # ticker takes the number either ("BAC erased 20% to lead financial shares in
                # the S&P 500 down 10%")
                for r in lefts:
                    reasons[id(r)] = "the number is said of what the index holds (“groups in the”)"
                lefts = []
            if len(lefts) >= 2 and _COMPARED.search(text, max(lefts[-2].end, lefts[-1].start - limits.COMPARED_REACH), lefts[-1].start) \
                    and not re.match(r",\s(?:which|who|that|whose)\b", text[lefts[-1].end:lefts[-1].end + 8]):
                # "the Nasdaq also lagged the Russell for the week, as they posted gains of
                # 3.8% each": the index compared with is not the subject that moved (unless a
                # relative clause gives it its own move: "beating the S&P 500, which rose 2%")
                reasons[id(lefts[-1])] = "the other side of a comparison (“lagged the”)"
                lefts = lefts[:-1]
            owners = [r for r in lefts if MEMBERS_OF.match(text, r.end)]
            for r in owners:
                reasons[id(r)] = "named as the owner of what moved (“the Dow's components”, “IWM's largest sector”)"
            lefts = [r for r in lefts if r not in owners]
            if lefts:
                m_other = _OTHER_SUBJECT.search(text, lefts[-1].end, c.start)
                if m_other and not any(m_other.end() <= r.start for r in in_sent if r.end <= c.start):
                    # "It's down 47% this year, while natural gas has fallen 40%": the number
                    # belongs to the new clause's subject, which is no ticker
                    for r in lefts:
                        reasons[id(r)] = f"in another clause than the number (“{m_other.group(0).strip()} …”)"
                    lefts = []
            several = _SEVERAL.search(text, lefts[-1].end, c.start) if lefts else None
            if several and (len({r.symbol for r in lefts}) >= 2 or _TOTAL_SAID.search(text, lefts[-1].end, c.start)):
                # "TLT, AGG and SHV together absorbed about $2.6 billion": a total of several
                for r in lefts:
                    reasons[id(r)] = "the number is a total of several (“together”)"
                lefts = []
            if lefts:
                target = lefts[-1]
                why = "the anaphor “" + text[target.start:target.end] + "” (the latest fitting subject)" \
                    if target.anaphor else "the nearest ticker before the number in its clause"
                for r in lefts[:-1]:
                    reasons.setdefault(id(r), f"farther from the number than {target.symbol}")
        if target is None and right:
            r = right[0]
            gap = text[c.end:r.start]
            several = _SEVERAL.search(text, lo, c.start)
            if several:
                # "The three largest bank ETFs combined took in $890 million last week, with
                # KRE alone pulling in $512 million": a total of several funds is no one's
                reasons[id(r)] = f"the number is a total of several (“{several.group(0).strip()}”)"
            elif _HELPED.search(gap):
                reasons[id(r)] = f"what the move helped or hurt (“{_HELPED.search(gap).group(0).strip()}”), not its owner"
            elif re.fullmatch(r",?\s+(?:and|while|but|as|whereas)\s+(?:the\s+)?", gap) and _OWN_VERB.match(text, r.end):
                # "Spot silver gained as much as 5 percent and the iShares fund rose 2.3 percent"
                reasons[id(r)] = "the subject of the next clause, with its own move"
            elif len(gap) <= limits.RIGHT_REACH and not re.search(r"\b(?:though|although|while|whereas|but)\b|;", gap):
                target, why = r, "the first ticker after the number in its clause (none before it)"
            else:
                reasons[id(r)] = "after the number, past a clause break or too far"
        for r in right:
            reasons.setdefault(id(r), "after the number")
        picked, model_why = rank(c, in_sent, lo, hi, text, target, flow=prefer_prep)
        if model_why is not None:
            if target is not None:
                reasons[id(target)] = f"the rules' choice ({why}), outscored by the model"
            target, why = picked, model_why
        if target is None and not any(lo <= r.start and r.end <= hi for r in in_sent):
            entry = _entry_subject(c, refs, ref_starts, text)
            if entry is not None:
                target, why = entry, "the subject of its entry (“Netflix (NFLX) — …”)"
        if target is None:
            why = "no ticker in its clause" if not in_sent else "no ticker before it in its clause fits"
        out.append(Attachment(target, why, _others(in_sent, target, reasons)))
    return out


# A movers list: "Netflix (NFLX) — Shares of the streaming giant jumped 6.8% after ..."
_ENTRY_HEAD = re.compile(r"[ \t*•-]*[A-Z][\w.&'’ -]{0,60}\(\s?(?:[A-Za-z]+:\s?)?[A-Z.]{1,6}\)\s?[—–:-]\s")


def _entry_subject(c: Candidate, refs: list[Ref], ref_starts: list[int], text: str) -> Ref | None:
    """The company an entry of a movers list is about, for a sentence of the entry that
    names no ticker ("The oilfield services company fell 7.9%"): the paragraph opens with
    the company and its symbol, then a dash or a colon."""
    para = text.rfind("\n", 0, c.start) + 1
    head = _ENTRY_HEAD.match(text, para)
    if head is None or head.end() > c.start:
        return None
    named = refs[bisect_right(ref_starts, para - 1):bisect_right(ref_starts, head.end())]
    named = [r for r in named if r.end <= head.end() and not r.anaphor]
    return named[-1] if named and len({r.symbol for r in named}) == 1 else None


# "GILD and CELG have both fallen 16.3%", "GLD and IAU each finished lower by 1.1%",
# "gains of about 3.8 percent each": one figure said of every coordinated subject
_DISTRIBUTIVE = re.compile(r"\b(?:each|both|all three|all four|all of them|apiece)\b", re.IGNORECASE)
_SUBJECT_VERB = re.compile(r"[\s)]*(?:(?:have|has|were|are|each|both|all|have\sboth|were\sboth)\s)?"
                           r"(?:rose|fell|gained|lost|jumped|slumped|slid|climbed|dropped|rallied|declined|surged|"
                           r"plunged|tumbled|soared|sank|advanced|slipped|added|shed|fallen|risen|gained|been\sup|"
                           r"been\sdown|up|down|higher|lower)\s(?:by\s)?(?:[a-z]+\s){0,3}", re.IGNORECASE)
_COORDINATED = re.compile(r",|\band\b|&|\bas well as\b")
_NOT_COORDINATED = re.compile(r"[;.]|\b(?:while|but|which|who|said|says|than|versus|vs)\b|\d")
# "Both funds are higher by just over 2%", "the two ETFs fell 29%": the last funds named
_PLURAL_ANAPHOR = re.compile(r"\b(?:[Bb]oth|[Tt]he two|[Tt]hese two|[Tt]hose two|[Tt]he pair of|[Aa]ll three|"
                             r"[Tt]he three)\s(?:[\w-]+\s)?(?P<noun>funds|ETFs|ETNs|products|indexes|indices|"
                             r"stocks|banks|names)\b")
_HOW_MANY = {"both": 2, "two": 2, "pair": 2, "three": 3}


def distributed(c: Candidate, att: Attachment, refs: list[Ref], ref_starts: list[int], text: str) -> list[Ref]:
    """The other subjects a figure is said of ("X and Y each rose 2%"), in text order;
    [] for a figure of one subject."""
    sent = c.sent
    lo, _ = clause_bounds(sent, c.start, c.end)
    near = text[lo:min(sent.end_char, c.end + 12)]
    m = _PLURAL_ANAPHOR.search(text, lo, c.start)
    if m is not None and (att.ref is None or att.ref.start < m.start() or att.ref.start >= c.end or att.ref.anaphor):
        n = _HOW_MANY.get(m.group(0).split()[-2].lower() if m.group(0).split()[0].lower() in ("the", "these", "those")
                          else m.group(0).split()[0].lower(), 2)
        funds = m.group("noun").lower() in ("funds", "etfs", "etns", "products")
        prior: list[Ref] = []
        for r in reversed(refs[:bisect_right(ref_starts, m.start()) ]):
            if r.end > m.start() or (funds and r.kind not in ("etf", "etn", "fund", "unknown")) or r.anaphor:
                continue
            if all(p.symbol != r.symbol for p in prior):
                prior.insert(0, r)
            if len(prior) == n:
                break
        return prior if len(prior) == n else []
    if att.ref is None or att.ref.end > c.start:
        return []
    cue = _DISTRIBUTIVE.search(near) is not None
    # "VXX and VIXY jumped a little over 30%": coordinated subjects right before the
    # verb of one figure share it, with or without "each"
    verb = text[att.ref.end:c.start]
    if not cue and not (len(verb) <= 45 and _SUBJECT_VERB.fullmatch(verb)):
        return []
    chain = [att.ref]
    left = [r for r in refs[bisect_right(ref_starts, lo - 1):bisect_right(ref_starts, att.ref.start - 1)]
            if r.end <= att.ref.start and not r.anaphor]
    for r in reversed(left):
        head = chain[0]
        gap = text[r.end:head.start]
        if r.symbol == head.symbol and len(gap) <= 20:
            chain[0] = r  # "SPDR Gold Shares (NYSEArca: GLD)": a name and its symbol, one subject
            continue
        if len(gap) > 70 or not _COORDINATED.search(gap) or _NOT_COORDINATED.search(gap):
            break
        chain.insert(0, r)
    out: list[Ref] = []
    for r in chain:
        if all(o.symbol != r.symbol for o in out):
            out.append(r)
    return out if len(out) >= 2 else []
