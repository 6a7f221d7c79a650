"""Doc -> fact records: flows, returns, quotes, sentiment, and the article's tickers.

The rule components have already placed ticker, money, percent, time and person spans
on the Doc. This package decides which numbers are claims and whose they are, one
concern per module:

* ``candidates``: each percent and amount with its sentence, lists, table rows;
* ``attach``: which ticker a number is about (a ranking over its sentence's references);
* ``timing``: which time phrase governs it, or where its window was borrowed from;
* ``returns`` / ``flows``: whether it is a return or a flow, its sign or direction;
* ``quotes``: the stance of quoted words; ``limits``: every distance and threshold;
* ``explain``: the decision records behind ``extractor extract --explain``.

Kinds declared after the first five (``extractor/kinds``: levels and later ones) find their own
records through ``Kind.extract``, given the same references, time index and quotes.
Functions take a Doc and yield plain records; nothing here touches a database.
"""
from __future__ import annotations

from .. import _torchless  # noqa: F401  (first: spaCy's thinc must not import torch)
from spacy.tokens import Doc

from ..kinds import KindInput, all_kinds
from ..references import build_refs
from ..rules import extensions as ext
from ..rules.attribution import iter_quotes
from ..schema import Article, ArticleFacts
from ..windows import build_time_index
from .explain import Decision, Explainer, format_decisions
from .flows import dedupe_flows, iter_flows
from .quotes import with_stance
from .returns import dedupe_returns, iter_returns
from .tables import read_tables
from .timing import flow_data_anchor

__all__ = ["assemble", "Decision", "Explainer", "format_decisions", "iter_flows", "iter_returns"]


def _headline_like(text: str, pos: int) -> bool:
    """A short line with no closing punctuation: a headline or a heading."""
    a = text.rfind("\n", 0, pos) + 1
    b = text.find("\n", pos)
    b = len(text) if b < 0 else b
    if b - a > 300:  # a headline is short; a long line is prose, whatever its end
        return False
    line = text[a:b].strip()
    return bool(line) and len(line.split()) <= 20 and not line.endswith((".", "!", ":", ";", ",", "”", '"'))


def _titlelast(items, title_end: int, text: str = ""):
    """Facts found in a headline only count when the body does not repeat them: the
    body says it with its window and qualifiers."""
    head = [x for x in items if x.start < title_end or (text and _headline_like(text, x.start))]
    in_head = {id(x) for x in head}  # not "x in head": a record's __eq__ on thousands of them is quadratic
    return [x for x in items if id(x) not in in_head] + head


def assemble(doc: Doc, article: Article, *, classifier=None, explain: Explainer | None = None) -> ArticleFacts:
    """All facts of one article (the Doc has been through ``nlp.build_nlp()``). With an
    ``Explainer``, every candidate number's decision is recorded in it."""
    from ..classify import iter_sentiment

    body_start = article.body_start
    refs, mentions = doc._.x_refs or build_refs(doc, body_start)
    times = build_time_index(doc, article.anchor, body_start, since_close=True)
    title_end = doc._.x_title_end or 0
    text = ext.text_of(doc)
    flow_anchor = flow_data_anchor(article.anchor)
    tables = read_tables(text, refs, article.anchor, body_start, times)
    skip = tables.covers if tables.spans else None
    returns = dedupe_returns(_titlelast(list(iter_returns(doc, refs, times, article.anchor, body_start, explain,
                                                          skip)) + tables.returns, title_end, text), explain)
    flow_times = build_time_index(doc, flow_anchor, body_start)
    flows = dedupe_flows(_titlelast(list(iter_flows(doc, refs, flow_times, flow_anchor, body_start, explain,
                                                    skip)) + tables.flows, title_end, text), explain)
    if explain is not None:
        explain.tables(tables, text)
    quotes = tuple(with_stance(list(iter_quotes(doc)), classifier))
    other = other_kinds(KindInput(doc, article, text, refs, times, quotes))
    if tables.mentions:
        mentions = sorted([*mentions, *tables.mentions], key=lambda m: m.start)
    tickers: list[str] = []
    for m in mentions:
        if m.symbol not in tickers:
            tickers.append(m.symbol)
    rel = tuple(ticker_relevance(doc, text, refs, flows, returns, title_end, body_start))
    sentiment = tuple(iter_sentiment(doc, refs, flows, returns, classifier=classifier, body_start=body_start,
                                     quotes=quotes, relevance=rel, title_end=title_end))
    return ArticleFacts(article=article, tickers=tuple(tickers), mentions=tuple(mentions),
                        flows=tuple(sorted(flows, key=lambda f: f.start)),
                        returns=tuple(sorted(returns, key=lambda r: r.start)),
                        quotes=quotes, sentiment=sentiment, relevance=rel, other=other)


def other_kinds(given: KindInput) -> dict[str, tuple]:
    """Records of the kinds that find their own (``Kind.extract``), by table; a kind that
    found none has no entry."""
    out = {}
    for kind in all_kinds():
        found = kind.extract(given)
        if found is not None:
            records = tuple(sorted(found, key=lambda r: r.start))
            if records:
                out[kind.table] = records
    return out


def ticker_relevance(doc: Doc, text: str, refs, flows, returns, title_end: int, body_start: int):
    """Relevance (``relevance.py``) of every ticker the article refers to."""
    from ..relevance import relevance

    start = max(title_end, body_start)
    sents = [s for s in doc.sents if s.start_char >= start]
    lead_end = text.find("\n\n", start + 1)
    lead_end = sents[min(1, len(sents) - 1)].end_char if sents and lead_end < 0 else max(lead_end, start)
    claims: dict[str, int] = {}
    for x in [*flows, *returns]:
        claims[x.ticker] = claims.get(x.ticker, 0) + 1
    return relevance(text, refs, [s.start_char for s in sents], len(sents), title_end, lead_end, claims)
