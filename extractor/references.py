"""Ticker references: the mentions a claim can be about, and anaphors resolved.

A company named as an employer or a data source ("Deutsche Bank AG's Binky Chadha",
"according to Morgan Stanley") is not a security the article makes a claim about;
"the fund", "the index" and "it" point back to the latest fitting subject.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from . import _torchless  # noqa: F401  (first: spaCy's thinc must not import torch)
from spacy.tokens import Doc, Span

from .cues import FUND_KINDS, cues
from .rules import extensions as ext
from .schema import Mention

@dataclass
class Ref:
    """A ticker reference usable by the fact rules: a mention or a resolved anaphor."""

    symbol: str
    kind: str
    start: int  # char offsets
    end: int
    anaphor: bool = False


_ANAPHOR_RE = re.compile(
    r"\b(?:[Tt]he|[Tt]his|[Tt]hat)\s(?:(?:~|nearly |about |roughly )?\$[\d.,]+\s(?:billion|million|trillion)\s)?"
    r"(?:(?:leveraged|inverse|largest|biggest|smaller|small-cap|large-cap|mid-cap|blue-chip|tech-heavy|broad|broader|"
    r"benchmark|junior|miners|oil|gold|bond|equity|stock|sector|flagship|popular|underlying|Japanese|British|German|"
    r"European|Asian|Chinese|UK|U\.S\.|US|main|wider|whole|silver|copper|iShares|SPDR|Vanguard|Invesco|"
    r"ProShares|Direxion|utilities|energy|tech|technology|health-care|healthcare|financials?|materials|"
    r"industrials|biotech|semiconductor|chip|banking|dividend|treasury|junk-bond|high-yield|municipal|"
    r"emerging-markets|commodity|bitcoin|solar|uranium|lithium|[a-z]+-(?:levered|leveraged|"
    r"cap|yield|term|duration|grade))\s){0,2}"
    r"(?P<noun>exchange-traded fund|exchange traded fund|benchmark index|fund|ETF|ETN|ETP|index|gauge|benchmark|"
    r"product|trust|stock|bank|measure|barometer|bet)(?P<poss>['’]s)?\b(?!\s?[A-Z0-9])"
    r"|(?<![\w'’])(?P<it>[Ii]t|Its)(?:['’]s)?\b(?!\s(?:is|was)\s(?:unclear|clear|possible|likely|hard|important|worth|time))"
    # "The da Vinci robot maker climbed 4.2%", "the company's shares": a company described
    r"|\b[Tt]he\s(?:[\w-]+\s){0,3}?(?P<co>company|maker|chipmaker|automaker|carmaker|drugmaker|retailer|lender|"
    r"insurer|giant)(?:['’]s)?\b(?!\s?[A-Z0-9])"
    # "Abiomed (ABMD) ... Shares dipped 0.6% Tuesday": a sentence opening on "Shares" is
    # about the stock before it ("Shares of X" names its own)
    r"|(?:(?<=^)|(?<=\n)|(?<=[.!?] )|(?<=[.!?][”\"] ))(?P<shares>Shares)\b(?!\s+(?:of|in|outstanding)\b)"
)


def _article_mentions(doc: Doc, body_start: int) -> list[Span]:
    return [s for s in doc.spans.get(ext.TICKERS, []) if s.start_char >= body_start]


_SPONSOR_BEFORE = ("manager", "sponsor", "issuer", "provider", "owner", "parent", "operator")
_FUND_FAMILY = ("core", "suite", "fund", "funds", "etf", "etfs", "products", "lineup", "family", "unit",
                "proprietary", "model", "measure", "team", "note", "index", "indicator", "gauge", "survey")
_LEGAL_SUFFIXES = ("AG", "Plc", "Plc.", "PLC", "Inc", "Inc.", "Co", "Co.", "Corp", "Corp.", "Ltd", "Ltd.", "LLC",
                   "SA", "NV", "SE", "LP", "LLP")
_TITLE_HEADS = ("analyst", "analysts", "strategist", "strategists", "economist", "economists", "manager",
                "managers", "officer", "director", "president", "head", "chief", "executive", "trader", "traders")


def _news_dow_jones(doc: Doc, span: Span) -> bool:
    """"economists surveyed by Dow Jones", "Dow Jones Market Data": the news company, not
    the index (which is "the Dow", "the Dow Jones industrial average")."""
    if span.text != "Dow Jones":
        return False
    nxt = doc[span.end].text if span.end < len(doc) else ""
    prev = doc[span.start - 1].lower_ if span.start else ""
    if nxt.lower() in ("industrial", "industrials", "transportation", "transports", "utility", "u.s.", "total",
                       "index", "average", "composite"):
        return False
    return prev in ("by", "from", "to", "of", "at", "according") or nxt in ("Newswires", "Market", "data", "said",
                                                                             "reported", "News")


@lru_cache(maxsize=1)
def _moves_re() -> re.Pattern:
    """A move word right after a name ("Apple shares rose"), built once: joining and
    escaping the cue words took a third of the reference pass when done per mention."""
    c = cues()
    return re.compile(r"\W*(?:shares\s|stock\s|was\s|were\s|is\s|has\s)?(?:" + "|".join(
        re.escape(w) for w in c["return_up"] + c["return_down"]) + r")\b")


def _is_org_mention(doc: Doc, span: Span, text: str | None = None) -> bool:
    """A company named as an employer, a data source or a platform, not as a security:
    "Deutsche Bank AG's Binky Chadha", "a strategist at Wells Fargo", "according to
    Morgan Stanley", "Barclays credit strategists", "Yahoo Finance", "on Twitter"."""
    if span._.x_kind == "index" and _news_dow_jones(doc, span):
        return True
    if span._.x_kind not in ("stock",) or span._.x_via not in ("name", "alias", "symbol"):
        return False
    c = cues()
    text = ext.text_of(doc) if text is None else text
    if "</a>" in text[span.end_char:span.end_char + 20] or "<a " in text[max(0, span.start_char - 60):span.start_char]:
        return True  # share buttons and link boilerplate
    speaks = re.match(r"\W*(?:also\s)?(?:say|says|said|see|sees|saw|expects?|predicts?|forecasts?|estimates?|"
                      r"reported|reports|wrote|writes|noted|notes|argues|argued|believes?|warned|warns|told|"
                      r"projects?|recommends?|strategists|analysts|economists|asks|asked|seeing|projecting|"
                      r"forecasting|predicting|expecting|estimating|saying|calling for|calls for)\b",
                      text[span.end_char:span.end_char + 30])
    moves = _moves_re().match(text[span.end_char:span.end_char + 40])
    if speaks and re.match(r"[^.;]{0,120}\bits\s(?:stock|shares)\b", text[span.end_char:span.end_char + 150]):
        return False  # "Boeing said orders rose, sending its stock up 4 percent": the company whose stock moved
    if speaks and not moves:
        return True  # "UBS AG see", "Goldman Sachs expects": the firm as a forecaster
    after = doc[span.end:span.end + 4]
    if len(after) and after[0].text in ("&", "Group", "Securities", "Research", "Capital", "Asset", "Wealth",
                                        "Global", "Intelligence", "Analytics", "Advisors", "Investments"):
        return True  # "Goldman Sachs Asset Management": a longer firm name
    if len(after) and after[0].lower_ in ("'s", "’s", "’", "'"):
        nxt = doc[span.end + 1:span.end + 3]
        if len(nxt) and (nxt[0].text[:1].isupper() or nxt[0].lower_ in c["org_context_after"]
                         or nxt[0].lower_ in _TITLE_HEADS or re.match(r"i[A-Z]", nxt[0].text)
                         or nxt[0].lower_ in _FUND_FAMILY):
            return True  # "BlackRock's iShares Core suite", "Vanguard's core funds": the sponsor
    if len(after) and after[0].text == span._.x_symbol:
        return False  # "Caterpillar Inc. CAT fell 2.6%": the name and its symbol, as MarketWatch writes them
    # "Bank of America Merrill Lynch credit strategist", "Barclays analyst", "Lipper data"
    k = span.end
    while k < len(doc) and doc[k].text[:1].isupper() and not doc[k].is_sent_start and k - span.end < 3 \
            and doc[k].text not in _LEGAL_SUFFIXES:
        k += 1
    if k > span.end and k < len(doc) and not doc[k].is_punct:
        return True  # "Yahoo Finance", "Goldman Sachs Asset Management": a longer name
    j = k
    while j < len(doc) and doc[j].is_lower and j - k < 3 and doc[j].lower_ not in c["org_context_after"] \
            and doc[j].lower_ not in _TITLE_HEADS:
        j += 1
    if j < len(doc) and (doc[j].lower_ in c["org_context_after"] or doc[j].lower_ in _TITLE_HEADS):
        return True
    prev = doc[span.start - 1].lower_ if span.start else ""
    if prev == "from" and re.match(r"\W*(?:[A-Z][\w.&]*\s){0,3}?to\s[A-Z]", text[span.end_char:span.end_char + 40]):
        return True  # "banks from Barclays Plc to UBS AG": a list of firms
    if prev in ("at", "with", "by", "for", "joined", "join") or \
            "according to" in doc[max(0, span.start - 4):span.start].text.lower():
        return True  # "according to Morgan Stanley", "according to the BlackRock data"
    if prev == "from" and span.start >= 2 and doc[span.start - 2].text == ")":
        return True  # "the iShares Core S&P 500 ETF (IVV) from BlackRock": its sponsor
    if prev in _SPONSOR_BEFORE:
        return True  # "iShares manager BlackRock (BLK.N)": the fund's sponsor
    if prev == "on" and (span.end >= len(doc) or doc[span.end].text in (".", "@") or doc[span.end].text.startswith("@")):
        return True  # "Follow her on Twitter @..."
    if prev in ("of", "from") and span.start >= 2 and (doc[span.start - 2].lower_ in _TITLE_HEADS
                                                       or doc[span.start - 2].text[:1].isupper()) \
            and doc[span.start - 2].lower_ not in ("shares", "stock", "stocks"):
        return True  # "David Kostin of Goldman Sachs", "the head of the IMF" (not "Shares of Citigroup")
    return False


@lru_cache(maxsize=1)
def _fund_nouns() -> frozenset[str]:
    """The fund anaphors' nouns in lower case ("the ETN" is a fund's, not an index's)."""
    return frozenset(w.lower() for w in cues()["anaphor_fund"])


def build_refs(doc: Doc, body_start: int) -> tuple[list[Ref], list[Mention]]:
    """Ticker references in text order: mentions (minus employer/source names) and
    anaphors ("the fund", "the index", "it") resolved to the latest fitting subject."""
    mentions: list[Mention] = []
    refs: list[Ref] = []
    text = ext.text_of(doc)
    dropped: tuple[int, str] | None = None  # (end, symbol) of the last firm named as an org
    for s in _article_mentions(doc, body_start):
        if _is_org_mention(doc, s, text):
            if s.start and doc[s.start - 1].lower_ in _SPONSOR_BEFORE:
                dropped = (s.end_char, s._.x_symbol)
            continue
        if dropped and dropped[1] == s._.x_symbol and re.fullmatch(r"\s?\(\s?(?:[A-Za-z]+\s?:\s?)?",
                                                                   text[dropped[0]:s.start_char]):
            continue  # "BlackRock (BLK.N)" after "iShares manager": the org's own symbol
        mentions.append(Mention(symbol=s._.x_symbol, start=s.start_char, end=s.end_char, text=s.text,
                                kind=s._.x_kind or "unknown", name=s._.x_name, via=s._.x_via or "symbol",
                                symbol_source=s._.x_symbol_source or "table"))
        refs.append(Ref(s._.x_symbol, s._.x_kind or "unknown", s.start_char, s.end_char))
    text = ext.text_of(doc)
    anaphors: list[Ref] = []
    # The subject of each sentence (its first reference) is what "it" points back to.
    sent_bounds = [(s.start_char, s.end_char) for s in doc.sents if s.end_char > body_start]
    for m in _ANAPHOR_RE.finditer(text, body_start):
        noun = (m.group("noun") or "").lower()
        target = None
        prior = [r for r in refs if r.end <= m.start()]
        if m.group("it"):
            # "The fund has seen inflows. It added $2 billion": an anaphor resolved in the
            # sentence before is that sentence's subject too
            prior = sorted(prior + [a for a in anaphors if a.end <= m.start()], key=lambda r: r.start)
            # the first reference of the nearest earlier sentence that has one
            sb = next((b for b in sent_bounds if b[0] <= m.start() < b[1]), None)
            if sb is None:
                continue
            same = [r for r in prior if r.start >= sb[0]]
            if same:
                continue  # "IWM ... it" inside one sentence: the clause already has its subject
            for b in reversed([b for b in sent_bounds if b[1] <= sb[0]][-1:]):
                in_s = [r for r in prior if b[0] <= r.start < b[1]]
                if in_s:
                    target = in_s[0]
        else:
            # a symbol of unknown kind the text defined ("Abiomed (ABMD)") is a fund or a company
            fund = noun in _fund_nouns() or noun in ("exchange-traded fund", "exchange traded fund", "etp", "bet")
            if fund:
                kinds = (*FUND_KINDS, "unknown")
            elif noun in ("stock", "bank") or m.group("shares") or m.group("co"):
                kinds = ("stock", "unknown")
            else:
                kinds = ("index",)
            fitting = [r for r in prior if r.kind in kinds]
            if fitting:
                # prefer the latest sentence's subject over a later object in that sentence
                last = fitting[-1]
                sb = next((b for b in sent_bounds if b[0] <= last.start < b[1]), None)
                same_sent = [r for r in fitting if sb and sb[0] <= r.start < sb[1]]
                # ("Chemours (CC), spun off from the old DuPont, has had a rougher year. The stock ...")
                target = same_sent[0] if same_sent and not fund else last
        if target is not None:
            anaphors.append(Ref(target.symbol, target.kind, m.start(), m.end(), anaphor=True))
    all_refs = sorted(refs + anaphors, key=lambda r: r.start)
    return all_refs, mentions


# ---------------------------------------------------------------------- windows
