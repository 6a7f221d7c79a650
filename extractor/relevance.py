"""How much an article is about each ticker it names: a relevance from 0 to 100.

A commercial news feed scores every entity of a story (RavenPack: 0 = a passing
mention, 100 = the story is about it) and gives a stance only to relevant ones; a data
wrap names ten indices and is about none in particular, a sponsor or a benchmark named
once is not the story. The score adds up what a reader would notice, each part capped,
and is computed from plain records so it can be shown and explained:

==========================  =====  =============================================
named in the headline         30   the story is announced as being about it
named in the lead             15   the first paragraph of the body
claims about it            5 each   flows and returns attached to it (up to 25)
share of sentences       up to 30   100 x the share of body sentences naming it
==========================  =====  =============================================

A ticker named once, with no claim and not in the headline, is a passing mention:
at most PASSING (15). One named only beside a comparison ("outperformed the S&P 500", "vs.
SPY", "behind SPY") is a benchmark: at most BENCHMARK.
"""
from __future__ import annotations

import re
from bisect import bisect_right

from .references import Ref
from .schema import TickerRelevance

PASSING = 15  # a ticker named once, with no claim
BENCHMARK = 20  # named only beside a comparison
HEADLINE, LEAD, PER_CLAIM, CLAIMS_CAP, SHARE_CAP = 30, 15, 5, 25, 30

_COMPARISON = re.compile(r"\b(?:than|versus|vs\.?|compared (?:with|to)|relative to|behind|ahead of|outpac\w*|"
                         r"outperform\w*|underperform\w*|lagg?\w*|beat(?:ing|s)?|trail\w*|against|like|such as|"
                         r"benchmark\w*|tracks?|tracking|follows?|mirrors?)\s+(?:the\s+|its\s+|a\s+)?(?:broader\s+|"
                         r"wider\s+|benchmark\s+)?$", re.IGNORECASE)


def relevance(text: str, refs: list[Ref], sent_starts: list[int], n_sentences: int, title_end: int,
              lead_end: int, claims: dict[str, int]) -> list[TickerRelevance]:
    """One record per ticker the article refers to, most relevant first."""
    by: dict[str, list[Ref]] = {}
    for r in refs:
        by.setdefault(r.symbol, []).append(r)
    out = []
    for sym, rs in by.items():
        sents = {bisect_right(sent_starts, r.start) - 1 for r in rs if r.start >= title_end}
        headline = any(r.start < title_end for r in rs)
        lead = any(title_end <= r.start < lead_end for r in rs)
        n_claims = claims.get(sym, 0)
        share = len(sents) / max(1, n_sentences)
        score = (HEADLINE if headline else 0) + (LEAD if lead else 0) \
            + min(CLAIMS_CAP, PER_CLAIM * n_claims) + min(SHARE_CAP, round(100 * share))
        role = "subject" if headline or n_claims or len(sents) >= 3 else "mentioned"
        named = [r for r in rs if not r.anaphor]
        if n_claims == 0 and not headline and named and all(
                _COMPARISON.search(text[max(0, r.start - 40):r.start]) for r in named):
            score, role = min(score, BENCHMARK), "benchmark"
        elif n_claims == 0 and not headline and len(rs) == 1:
            score, role = min(score, PASSING), "passing"
        out.append(TickerRelevance(sym, max(0, min(100, score)), len(rs), len(sents), n_claims, headline, lead,
                                   role))
    return sorted(out, key=lambda t: (-t.relevance, t.ticker))
