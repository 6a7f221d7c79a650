"""Ticker mentions: exchange-prefixed symbols, parenthesised symbols, cashtags, bare
symbols from the symbol table, and fund/index/company names mapped to symbols.

A name the article defines ("the iShares Russell 2000 ETF (IWM)", "EWZ (iShares MSCI
Brazil)") becomes a doc-local alias, so later mentions ("iShares Russell 2000") link
to the same symbol. Overlapping candidates are resolved longest-first, so "SPDR S&P 500
ETF" is SPY and not also the S&P 500 index.
"""
from __future__ import annotations

import re
import string
from dataclasses import dataclass

from .. import _torchless  # noqa: F401  (first: spaCy's thinc must not import torch)
from spacy.language import Language
from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc, Span

from ..normalize.ticker import SymbolTable, is_generic, load_symbols, name_variants, normalize_symbol
from . import extensions as ext
from .vocab import load_vocab



def ticker_patterns() -> dict[str, tuple[str, ...]]:
    """Exchange names, ticker cue words and name-guard words (patterns/tickers.jsonl)."""
    return load_vocab("tickers")


def _compile():
    p = ticker_patterns()
    exchanges = "|".join(sorted((re.escape(e).replace(r"\ ", r"\s?") for e in p["exchange"]),
                                key=len, reverse=True))
    sym = r"(?P<sym>[A-Z]{1,5}(?:[.\-/][A-Z]{1,2})?)"
    exchange_re = re.compile(r"\b(?:" + exchanges + r")\s?:\s?\$?" + sym + r"(?![A-Za-z])")
    cue = "|".join(re.escape(c) for c in p["paren_cue"])
    # "(IWM)", "(SPY, +$2.1 billion)", "(SPY | A-97)", "(ticker TLT)", "(VXX, Expense Ratio 0.89%)"
    # "(LON:BARC)": an exchange code before a colon is not itself the symbol
    # "Dow (^DJI)": a Yahoo index code in parentheses (kept only when the table knows it)
    psym = r"(?P<sym>\^[A-Z][A-Z0-9]{1,8}|[A-Z]{1,5}(?:[.\-/][A-Z]{1,2})?)"
    paren_re = re.compile(r"\(\s?(?:(?:" + cue + r")\s?:?\s?)?\$?" + psym
                          + r"\s?(?=[),|;]|:(?!\s?[A-Z]{1,5}\b)|\s[+\-−–]|\s(?:and|or)\s)")
    paren_list_re = re.compile(r"\(\s?(?P<list>[A-Z]{2,5}(?:\s?(?:,|and|&|/)\s?[A-Z]{2,5})+)\s?\)")
    cashtag_re = re.compile(r"(?<![\w$])\$" + sym + r"(?![\w])")
    return exchange_re, paren_re, paren_list_re, cashtag_re


_INSTITUTION_WORDS = frozenset({"exchange", "association", "institute", "board", "commission", "council",
                                "authority", "bureau", "agency", "administration", "department", "ministry",
                                "investor", "investors", "programme", "program", "scheme", "act", "organization",
                                "organisation", "federation", "committee", "office", "university", "reserve"})


@dataclass
class Cand:
    start: int
    end: int
    symbol: str
    via: str


class TickerRecognizer:
    """Finds ticker mentions and writes them to ``doc.spans["tickers"]``."""

    def __init__(self, nlp: Language, table: SymbolTable | None = None):
        self.table = table or load_symbols()
        self.exchange_re, self.paren_re, self.paren_list_re, self.cashtag_re = _compile()
        self.tagline_re = re.compile(r"(?m)^[ \t\-•*]*(?:ETFs?|Tickers?|Symbols?|Related(?: tickers| ETFs)?|Funds?)\s?:\s*"
                                     r"(?P<list>[A-Z]{1,5}(?:\s?,\s?[A-Z]{1,5}){1,40})\s*$")
        pats = ticker_patterns()
        self.name_guard = set(pats["name_guard"])
        self.not_after = set(pats["exchange_context"])
        # Multi-word aliases match case-insensitively (then must contain a capital);
        # single-word aliases are case-sensitive ("Apple", "Citigroup").
        self.lower = PhraseMatcher(nlp.vocab, attr="LOWER")
        self.exact = PhraseMatcher(nlp.vocab, attr="ORTH")
        self.alias_symbol: dict[str, str] = {}
        self.alias_text: dict[str, str] = {}
        self.alias_cases: dict[str, list[str]] = {}  # every casing the table writes ("Dow Transports", "Dow transports")
        multi, single = [], []
        for alias, symbol in self.table.alias_items():
            key = alias.lower()
            if key in self.alias_symbol:
                if self.alias_symbol[key] == symbol:
                    self.alias_cases[key].append(alias)
                    doc = nlp.make_doc(alias)
                    if len(doc) == 1:
                        single.append(doc)  # another casing the table writes ("NASDAQ")
                continue
            self.alias_cases[key] = [alias]
            self.alias_symbol[key] = symbol
            self.alias_text[key] = alias
            doc = nlp.make_doc(alias)
            (multi if len(doc) > 1 else single).append(doc)
        self.lower.add("ALIAS", multi)
        self.exact.add("ALIAS", single)

    # ------------------------------------------------------------------ helpers
    def _info(self, symbol: str):
        return self.table.get(symbol)

    def _materialize(self, doc: Doc, cands: list["Cand"]) -> list[Span]:
        """Cands -> Spans, longest first where they overlap; extension values are set
        once, on the spans that are kept (spaCy keys them by offsets)."""
        by_len = sorted(cands, key=lambda c: (-(c.end - c.start), c.start))
        kept: list[Cand] = []
        used: set[int] = set()
        for c in by_len:
            chars = set(range(c.start, c.end))
            if chars & used:
                continue
            used |= chars
            kept.append(c)
        spans = []
        for c in sorted(kept, key=lambda c: c.start):
            span = doc.char_span(c.start, c.end, label="TICKER", alignment_mode="expand")
            if span is None:
                continue
            info = self._info(c.symbol)
            span._.x_symbol = info.symbol if info else c.symbol
            span._.x_kind = info.kind if info else "unknown"
            span._.x_name = info.name if info else None
            span._.x_via = c.via
            span._.x_symbol_source = "table" if info else "pattern"
            spans.append(span)
        return spans

    def _accept_unknown_paren(self, text: str, pos: int) -> bool:
        """An unknown "(XYZ)" is a ticker when a capitalised name stands right before it
        ("Silvergate Capital (SI)"), not after lowercase prose ("emerging markets (EM)")
        nor after the name of an institution or a programme, whose acronym it is
        ("National Stock Exchange (NSX)", "Qualified Foreign Institutional Investor (RQFII)")."""
        before = text[max(0, pos - 60):pos].rstrip()
        words = before.split()
        return bool(words) and words[-1][:1].isupper() and words[-1].lower() not in {"the", "a"} \
            and words[-1].strip(",.").lower() not in _INSTITUTION_WORDS

    # ------------------------------------------------------------------ passes
    def _symbol_spans(self, doc: Doc) -> list[Cand]:
        text, out = ext.text_of(doc), []
        for m in self.exchange_re.finditer(text):
            out.append(Cand(m.start("sym"), m.end("sym"), normalize_symbol(m.group("sym")), "exchange"))
        for m in self.tagline_re.finditer(text):
            # "ETFs: HYG, JNK, HIX, DHY": a tag line lists the symbols the article is about
            for sm in re.finditer(r"(?<![\w.])([A-Z]{1,5})(?![\w.])", m.group("list")):
                sym = sm.group(1)
                s0 = m.start("list") + sm.start(1)
                out.append(Cand(s0, s0 + len(sym), sym, "tagline"))
        for m in self.paren_re.finditer(text):
            sym = normalize_symbol(m.group("sym"))
            if sym not in self.table and sym.lower() in self.alias_symbol:
                sym = self.alias_symbol[sym.lower()]  # "(SPX)": an alias written as a symbol
            known = sym in self.table and not self.table.is_not_ticker(sym)
            if sym.startswith("^") and not known:
                continue  # "(^TNX)": an index code the table does not know names no security here
            if not known and "." in sym:
                continue  # "(M-F, 3PM-5PM ET)" is no class share
            cue = m.group(0)[1:].lstrip()[:1].islower()  # "(ticker TLT)"
            # "iShares TIPS Bond ETF (TIP)": a stoplisted word is a symbol in parentheses
            # after a capitalised name
            if known or cue or (len(sym) >= 2 and (sym in self.table or not self.table.is_not_ticker(sym))
                                and self._accept_unknown_paren(text, m.start())):
                out.append(Cand(m.start("sym"), m.end("sym"), sym, "paren"))
        for m in self.paren_list_re.finditer(text):
            for sm in re.finditer(r"[A-Z]{2,5}", m.group("list")):
                sym = sm.group(0)
                if sym in self.table and not self.table.is_not_ticker(sym):
                    s = m.start("list") + sm.start()
                    out.append(Cand(s, s + len(sym), sym, "paren"))
        for m in self.cashtag_re.finditer(text):
            sym = normalize_symbol(m.group("sym"))
            if not self.table.is_not_ticker(sym):
                out.append(Cand(m.start(), m.end(), sym, "cashtag"))
        return out

    def _bare_spans(self, doc: Doc, defined: frozenset[str] = frozenset()) -> list[Cand]:
        """Bare all-caps words that are symbols: in the table and not a common word
        ("CEO", "TIP"), or written by this article in an explicit form before or after
        ("(NYSEArca: DUST)", "(ASHS)"): a symbol the article defined is one everywhere."""
        out = []
        words = ext.words(doc)  # token texts, without making a Token for each
        for sent in doc.sents:
            toks = words[sent.start:sent.end]
            alpha = [t for t in toks if t.isalpha()]
            if alpha and sum(t.isupper() for t in alpha) > 0.6 * len(alpha) and len(alpha) > 3:
                continue  # an all-caps headline: every word looks like a symbol
            for k, t in enumerate(toks):
                if len(t) < 2 or not t[0].isalpha() or t.upper() != t or not any(c.isalpha() for c in t):
                    continue
                if (t not in self.table or self.table.is_not_ticker(t)) and t not in defined:
                    continue
                idx = doc[sent.start + k].idx
                out.append(Cand(idx, idx + len(t), t, "symbol"))
        return out

    def _definitions(self, doc: Doc, symbol_spans: list[Cand]) -> dict[str, str]:
        """Names the article defines next to a symbol: "NAME (TICKER)" and
        "TICKER (NAME)". Returns {name variant: symbol}."""
        text, defs = ext.text_of(doc), {}
        for span in symbol_spans:
            if span.via not in ("paren", "exchange"):
                continue
            open_paren = text.rfind("(", max(0, span.start - 25), span.start)
            if open_paren < 0:
                continue
            name = _name_before(text, open_paren)
            if name:
                for v in name_variants(name):
                    defs.setdefault(v, span.symbol)
        for m in re.finditer(r"(?<![A-Za-z] )\b([A-Z]{2,5})\s\(((?:i[A-Z]|[A-Z])[^()\n:|]{3,60}?)(?:,[^()\n]*)?\)", text):
            # "EWZ (iShares MSCI Brazil)": the symbol is not the tail of a longer name
            # ("ProShares UltraPro Short QQQ (...)") and the parenthesis holds a name.
            sym, name = m.group(1), m.group(2).strip()
            before = text[max(0, m.start() - 2):m.start()]
            if before.strip()[-1:].isalpha() and before.strip()[-1:].isupper():
                continue
            if not re.search(r"\b[A-Za-z][a-z]{2,}", name):
                continue
            if sym in self.table and not self.table.is_not_ticker(sym) and len(name.split()) >= 2:
                for v in name_variants(name):
                    defs.setdefault(v, sym)
        return defs

    def _name_spans(self, doc: Doc, defs: dict[str, str]) -> list[Cand]:
        out = []
        for matcher in (self.lower, self.exact):
            for _, start, end in matcher(doc):
                span = doc[start:end]
                symbol = self.alias_symbol.get(span.text.lower())
                if matcher is self.lower and not self._case_agrees(span):
                    continue
                if symbol is None or self._guarded(doc, span, symbol):
                    continue
                out.append(Cand(span.start_char, span.end_char, symbol, "name"))
        text = ext.text_of(doc)
        for name, symbol in defs.items():
            for m in re.finditer(r"(?<![\w])" + re.escape(name) + r"(?![\w])", text):
                out.append(Cand(m.start(), m.end(), symbol, "alias"))
        for short, symbol in _short_names(defs).items():
            for m in re.finditer(r"(?<![\w])" + re.escape(short) + _SHORT_NAME_AS_SUBJECT, text):
                out.append(Cand(m.start(), m.start() + len(short), symbol, "alias"))
        return out

    def _case_agrees(self, span: Span) -> bool:
        """A multi-word alias matched without case must still be capitalised where the
        alias is ("The gap between yields" is not "The Gap"), a leading "the" aside."""
        words = span.text.split()
        for written in self.alias_cases.get(span.text.lower(), [span.text]):
            alias = written.split()
            if len(alias) != len(words):
                if any(c.isupper() for c in span.text):
                    return True
                continue
            pairs = [(a, w) for a, w in zip(alias, words) if a.lower() != "the"]
            if all(a[:1].isupper() == w[:1].isupper() for a, w in pairs if a[:1].isalpha()):
                return True
        return False

    def _guarded(self, doc: Doc, span: Span, symbol: str) -> bool:
        """Index names inside longer proper names are other indices or funds: "Dow
        Jones Real Estate Index", "S&P Banks Select Industry Index", "FTSE Emerging
        Markets Index". And "Nasdaq" as the exchange ("listed on the Nasdaq")."""
        info = self._info(symbol)
        if info is None:
            return False
        nxt = doc[span.end:span.end + 6]
        run = []
        for tok in nxt:
            if tok.text[:1].isupper() or tok.like_num or tok.text in ("&", "-"):
                run.append(tok.text)
            else:
                break
        if run and run[-1] in ("Index", "index") and run[:-1] == []:
            run = []  # "S&P 500 Index" is the index itself
        if run and info.kind == "index" and any(w in self.name_guard for w in run):
            return True
        if info.kind == "index" and span.end < len(doc) and (doc[span.end].text in (":", "-listed", "OMX") or re.match(
                r"-\s?listed\b", ext.text_of(doc)[span.end_char:span.end_char + 10])):
            return True  # the exchange: "Nasdaq: AAPL", "a TSX-listed fund"
        prev = doc[max(0, span.start - 2):span.start].text.lower()
        if info.kind == "index" and any(prev.endswith(w) for w in self.not_after):
            return True
        return False

    def __call__(self, doc: Doc) -> Doc:
        symbols = self._symbol_spans(doc)
        defs = self._definitions(doc, symbols)
        names = self._name_spans(doc, defs)
        # Text-defined aliases win over the table at the same offsets; symbols over both.
        names.sort(key=lambda c: c.via != "alias")
        defined = frozenset(c.symbol for c in symbols if c.via in ("exchange", "paren", "cashtag", "tagline")
                            and len(c.symbol) >= 3)
        cands = _unique(symbols + names + self._bare_spans(doc, defined))
        # A name immediately followed by "(SYMBOL)" takes the symbol the text gives.
        ordered = sorted(cands, key=lambda c: c.start)
        text = ext.text_of(doc)
        for a in ordered:
            if a.via not in ("name", "alias"):
                continue
            for b in ordered:
                if b.via in ("paren", "exchange") and 0 <= b.start - a.end <= 14 and re.fullmatch(
                        r"\s?\(\s?(?:[A-Za-z ]+:\s?)?", text[a.end:b.start]):
                    a.symbol = b.symbol
                    break
        # "Dow Jones Transportation Average DJT, +0.51%": a web page's quote chip after a
        # name is that name's code, whatever else the letters are (DJT is also a stock)
        for a, b in zip(ordered, ordered[1:]):
            if a.via in ("name", "alias") and b.via not in ("name", "alias") and text[a.end:b.start] == " " \
                    and _QUOTE_CHIP_AFTER.match(text, b.end):
                b.symbol = a.symbol
        spans = self._materialize(doc, cands)
        spans = _resolve_short_index_names(spans)
        spans = _short_fund_names(doc, spans)
        spans = _coordinated_single_letters(doc, spans, self.table)
        doc.spans[ext.TICKERS] = spans
        return doc


_QUOTE_CHIP_AFTER = re.compile(r",\s?[+\-−]\d+(?:\.\d+)?%")


def _unique(cands: list[Cand]) -> list[Cand]:
    """First candidate at each (start, end) wins."""
    seen, out = set(), []
    for s in cands:
        key = (s.start, s.end)
        if key not in seen:
            seen.add(key)
            out.append(s)
    return out


def _name_before(text: str, pos: int) -> str | None:
    """The capitalised name ending right before ``pos`` ("... the iShares Russell 2000
    ETF (" -> "iShares Russell 2000 ETF"); None for lowercase prose."""
    chunk = text[max(0, pos - 120):pos].rstrip()
    chunk = chunk[chunk.rfind("\n") + 1:]  # a name never spans lines
    words = chunk.split(" ")
    name: list[str] = []
    for i in range(len(words) - 1, -1, -1):
        w2 = words[i].strip()
        if not w2:
            break
        if w2 == "and" and i and re.fullmatch(r"[A-Z]{2,5}", words[i - 1].strip(",")):
            break  # "XLV and Vanguard Health Care ETF (VHT)": a symbol listed before the name
        if w2[-1] in ",.;:)" and name:
            break
        if w2[:1].isupper() or w2[:1].isdigit() or w2 in ("&", "of", "and", "$") or w2[:2] in ("iS", "iP", "iB", "iT"):
            name.append(w2.rstrip(","))
        else:
            break
        if len(name) >= 10:
            break
    while name and name[-1] in ("of", "and", "&"):
        name.pop()
    name.reverse()
    while name and name[-1] in ("of", "and", "&"):
        name.pop()
    if len(name) < 2:
        return None
    return " ".join(name)


def _resolve_short_index_names(spans: list[Span]) -> list[Span]:
    """A bare "Nasdaq" after "Nasdaq 100" in the same article means the Nasdaq 100."""
    seen: dict[str, str] = {}
    for s in spans:
        key = s.text.split()[0].lower() if s._.x_kind == "index" else None
        if key is None:
            continue
        if len(s.text.split()) == 1 and key in seen and seen[key] != s._.x_symbol:
            s._.x_symbol = seen[key]
        elif len(s.text.split()) > 1:
            seen[key] = s._.x_symbol
    return spans


_FUND_WORDS = ("ETF", "ETN", "Fund", "Trust")


def _short_fund_names(doc: Doc, spans: list[Span]) -> list[Span]:
    """"The U.S. Global Jets ETF ... The Jets ETF has plunged": once a fund is named in
    full, "the" + its last distinctive word + its fund word refers back to it. Only a
    short form that one fund of the article owns, whose word is not an ordinary one
    ("the Bond ETF" could be any of three), and written after the full name."""
    text = ext.text_of(doc)
    short: dict[str, tuple[Span, int]] = {}
    clash: set[str] = set()
    for s in spans:
        words = s.text.split()
        if s._.x_kind not in ("etf", "etn") or len(words) < 3 or words[-1] not in _FUND_WORDS:
            continue
        word = words[-2]
        if not re.fullmatch(r"[A-Z][a-z]+", word) or is_generic(word):
            continue
        key = f"{word} {words[-1]}"
        if key in short and short[key][0]._.x_symbol != s._.x_symbol:
            clash.add(key)
        short.setdefault(key, (s, s.end_char))
    taken = {i for s in spans for i in range(s.start, s.end)}
    extra = []
    for key, (full, after) in short.items():
        if key in clash:
            continue
        for m in re.finditer(r"\b[Tt]he\s+(" + re.escape(key) + r")(?![\w-])", text[after:]):
            span = doc.char_span(after + m.start(1), after + m.end(1), label="TICKER")
            if span is None or any(i in taken for i in range(span.start, span.end)):
                continue
            taken.update(range(span.start, span.end))
            span._.x_symbol, span._.x_kind, span._.x_name = full._.x_symbol, full._.x_kind, full._.x_name
            span._.x_via, span._.x_symbol_source = "alias", full._.x_symbol_source
            extra.append(span)
    return sorted(spans + extra, key=lambda s: s.start) if extra else spans


# "Align Technology (ALGN) ... Align rose 1.9%": the first word of a company the article
# defined stands for it where it is a subject (a move verb, "is", "'s", ", which" after it)
_SHORT_NAME_AS_SUBJECT = (r"(?=['’]s\b|,\s(?:which|whose)\b|\s(?:rose|fell|gained|lost|jumped|slid|climbed|"
                          r"dropped|rallied|declined|surged|plunged|tumbled|soared|sank|advanced|slipped|added|"
                          r"shed|edged|ended|closed|finished|is|was|has|had|shares|stock)\b)")
_NOT_SHORT_NAMES = frozenset("""first new north south east west great royal general capital global digital advanced
    applied home bank banco american national international united first trust pacific atlantic central southern
    northern western eastern public federal state city china india japan canadian british""".split())


def _short_names(defs: dict[str, str]) -> dict[str, str]:
    """{first word: symbol} for the names of two words or more the article defined,
    when that word is a name (capitalised, 4+ letters, not an ordinary or a place word)
    and no other defined name of another symbol starts with it."""
    firsts: dict[str, set[str]] = {}
    for name, symbol in defs.items():
        words = name.split()
        if len(words) >= 2:
            firsts.setdefault(words[0], set()).add(symbol)
    return {w: next(iter(syms)) for w, syms in firsts.items()
            if len(syms) == 1 and len(w) >= 4 and w.isalpha() and w[0].isupper() and not w.isupper()
            and w.lower() not in _NOT_SHORT_NAMES and not is_generic(w)}


def _coordinated_single_letters(doc: Doc, spans: list[Span], table: SymbolTable) -> list[Span]:
    """Single-letter symbols (C, F, T) are tickers only when listed with other tickers:
    "money center banks such as JPM and C".

    The letters are found in the text and then mapped to their token (walking every
    token of the Doc made Python objects for all of them and cost 8 % of the rules)."""
    letters = "".join(c for c in string.ascii_uppercase if c in table)
    if not letters or not spans:
        return sorted(spans, key=lambda s: s.start)
    starts = {s.start: s for s in spans}
    ends = {s.end: s for s in spans}
    extra = []
    for m in re.finditer(rf"(?<![^\W\d_])[{letters}](?![^\W\d_])", ext.text_of(doc)):
        span = doc.char_span(m.start(), m.end())
        if span is None or len(span) != 1:
            continue  # inside a longer token ("C3", "U.S.")
        i = span.start
        if i in starts:
            continue
        prev_ok = i >= 2 and doc[i - 1].lower_ in ("and", "or", ",", "&") and (i - 1) in ends
        next_ok = i + 2 < len(doc) and doc[i + 1].lower_ in ("and", "or", ",") and (i + 2) in starts
        if prev_ok or next_ok:
            info = table.get(m.group())
            span._.x_symbol, span._.x_kind = m.group(), info.kind if info else "stock"
            span._.x_name, span._.x_via = info.name if info else None, "symbol"
            extra.append(span)
    return sorted(spans + extra, key=lambda s: s.start)


@Language.factory("extractor_tickers", assigns=["doc.spans"])
def make_ticker_recognizer(nlp: Language, name: str) -> TickerRecognizer:
    return TickerRecognizer(nlp)
