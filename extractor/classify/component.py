"""The spaCy component that puts the classifier's labels on the Doc.

Only sentences that refer to a ticker are classified (by name, symbol or anaphor: a
number elsewhere cannot become a fact, and a stance needs a ticker). ``pipe`` gathers those sentences across a whole batch of
articles into one call, so the encoder sees full batches however short the articles.

A sentence whose numbers' roles no rule will read (none, a percent in a pipe-table
row, an amount too small for a flow: ``role_read``) only serves the stance of its
tickers, and the stance reads no ticker below the stance model's ``min_relevance``.
Such a sentence is read here when one of its tickers reaches that relevance before
any claim is known (``relevance_floor``); the rest wait on the Doc (``x_deferred``)
until the facts give the relevance, and ``classify_deferred`` reads only those the
stance still needs (on the dev corpus 1,012 runs became 730, 17 of them read after
the facts).

Writes ``doc._.x_sentiments`` ({sentence start char: (label, score)}) and, on every
money and percent span, ``span._.x_role`` and ``span._.x_role_probs`` ({role: probability}).
"""
from __future__ import annotations

from bisect import bisect_left

from collections.abc import Callable, Iterable, Iterator

from .. import _torchless  # noqa: F401  (first: spaCy's thinc must not import torch)
from spacy.language import Language
from spacy.tokens import Doc

from ..rules import extensions as ext


def _work(doc: Doc) -> list[tuple[object, list]]:
    """(sentence span, its number spans) for the sentences worth classifying: those
    that refer to a ticker (by name, symbol or anaphor: only they can hold a fact or a
    stance). The references are kept on the Doc (``x_refs``) for the fact assembly."""
    from ..references import build_refs

    body_start = doc._.x_body_start or 0
    refs, mentions = build_refs(doc, body_start)
    doc._.x_refs = (refs, mentions)
    numbers = sorted(list(doc.spans.get(ext.MONEY, [])) + list(doc.spans.get(ext.PERCENT, [])),
                     key=lambda s: s.start_char)
    number_starts = [s.start_char for s in numbers]
    starts = sorted(r.start for r in refs)
    ordered = sorted(refs, key=lambda r: r.start)
    out = []
    for sent in doc.sents:  # binary searches: linear in the article, however many sentences
        if sent.end_char <= body_start:
            continue
        i = bisect_left(starts, sent.start_char)
        if i < len(starts) and starts[i] < sent.end_char:
            a, b = bisect_left(number_starts, sent.start_char), bisect_left(number_starts, sent.end_char)
            j = bisect_left(starts, sent.end_char)
            out.append((sent, numbers[a:b], ordered[i:j]))
    return out


def relevance_floor(doc: Doc) -> dict[str, int]:
    """Each ticker's relevance before any claim is known: ``relevance.relevance`` with no
    claims, never above the final one (a claim adds PER_CLAIM and lifts the passing and
    benchmark caps; it never lowers a score)."""
    from ..facts import ticker_relevance

    refs, _ = doc._.x_refs
    rel = ticker_relevance(doc, ext.text_of(doc), refs, (), (), doc._.x_title_end or 0, doc._.x_body_start or 0)
    return {t.ticker: t.relevance for t in rel}


def role_read(span, text: str) -> bool:
    """Whether the fact rules can ever read this number's role. Only returns (percents)
    and flows (amounts) read roles, and each rejects some numbers by the text alone
    before it looks at the role: a percent in a row of a pipe table
    (``candidates.in_table_row``), an amount under ``limits.MIN_FLOW_USD``."""
    from ..facts.candidates import in_table_row
    from ..facts.limits import MIN_FLOW_USD

    if span.label_ == "PERCENT":  # the label rules.quantities gives the spans of ext.PERCENT
        return not in_table_row(text, span.start_char)
    return span._.x_value is None or span._.x_value >= MIN_FLOW_USD


def _split(doc: Doc, work: list[tuple]) -> tuple[list[tuple], list[tuple]]:
    """(read now, deferred) of ``_work``'s items. A sentence with a number whose role the
    rules may read is read now: the roles decide the facts, and the facts the relevance.
    Any other is read now when a ticker of it passes the stance gate by its relevance
    floor, else deferred (while stance features are collected for training, every
    ticker counts and nothing is deferred)."""
    from . import stance

    if stance.collecting():
        return work, []
    text = ext.text_of(doc)
    gate = stance.active().min_relevance
    floor: dict[str, int] | None = None  # computed once an item needs it
    now, later = [], []
    for item in work:
        _, nums, refs = item
        if any(role_read(n, text) for n in nums):
            now.append(item)
            continue
        floor = relevance_floor(doc) if floor is None else floor
        (now if any(floor.get(r.symbol, 0) >= gate for r in refs) else later).append(item)
    return now, later


def _classify(work: list[tuple], clf, batch_size: int) -> None:
    """Classify the (doc, sentence, numbers, refs) items in one call and write the labels
    on their Docs (``x_sentiments``, ``x_entity_stance``, the numbers' roles)."""
    if not work:
        return
    analyze = getattr(clf, "analyze", None)
    if analyze is None:  # a sentence-only classifier (the lexicon): no roles
        preds = clf.predict([sent.text for _, sent, _, _ in work])
        for (doc, sent, _, _), (label, score) in zip(work, preds):
            doc._.x_sentiments[sent.start_char] = (label, score)
        return
    entities = bool(getattr(clf, "entity_labels", ()))
    items = [(sent.text, [(n.start_char - sent.start_char, n.end_char - sent.start_char) for n in nums],
              [(r.start - sent.start_char, r.end - sent.start_char) for r in refs])
             if entities else (sent.text, [(n.start_char - sent.start_char, n.end_char - sent.start_char)
                                           for n in nums])
             for _, sent, nums, refs in work]
    for (doc, sent, nums, refs), p in zip(work, analyze(items, batch_size=batch_size)):
        doc._.x_sentiments[sent.start_char] = (p.sentiment, p.score)
        for r, probs in zip(refs if entities else (), p.entity_probs):
            if probs:  # in the order of clf.entity_labels
                doc._.x_entity_stance[(r.start, r.end)] = dict(zip(clf.entity_labels, probs))
        for span, (role, _), probs in zip(nums, p.roles, p.role_probs):
            if probs:
                span._.x_role = role
                span._.x_role_probs = dict(zip(clf.role_labels, probs))


def classify_deferred(doc: Doc, wanted: Callable[[str], bool], batch_size: int = 64) -> None:
    """Classify the deferred sentences (``_split``) that refer to a ticker ``wanted`` (by
    symbol), as the component would have: the same call, the same labels on the Doc.
    The others stay unread; nothing the extraction returns reads them."""
    from . import default_classifier

    deferred = doc._.x_deferred
    if not deferred:
        return
    now = [item for item in deferred if any(wanted(r.symbol) for r in item[2])]
    if now:
        doc._.x_deferred = [item for item in deferred if not any(wanted(r.symbol) for r in item[2])]
        _classify([(doc, *item) for item in now], default_classifier(), batch_size)


class ClassifierComponent:
    def __init__(self, nlp: Language, name: str, batch_size: int):
        self.name = name
        self.batch_size = batch_size

    def __call__(self, doc: Doc) -> Doc:
        return next(self.pipe([doc]))

    def pipe(self, docs: Iterable[Doc], batch_size: int = 32) -> Iterator[Doc]:
        from . import default_classifier

        buf: list[Doc] = []
        for doc in docs:
            buf.append(doc)
            if len(buf) >= batch_size:
                yield from self._label(buf, default_classifier())
                buf = []
        if buf:
            yield from self._label(buf, default_classifier())

    def _label(self, docs: list[Doc], clf) -> list[Doc]:
        # the lexicon reads a sentence in microseconds: the relevance floor would cost
        # more than deferring saves, so only a model (``analyze``) defers
        defer = getattr(clf, "analyze", None) is not None
        work = []
        for doc in docs:
            doc._.x_sentiments, doc._.x_entity_stance = {}, {}
            now, doc._.x_deferred = _split(doc, _work(doc)) if defer else (_work(doc), [])
            work.extend((doc, *item) for item in now)
        _classify(work, clf, self.batch_size)
        return docs


@Language.factory("extractor_classifier", assigns=["doc._.x_sentiments"], default_config={"batch_size": 64})
def make_classifier(nlp: Language, name: str, batch_size: int) -> ClassifierComponent:
    return ClassifierComponent(nlp, name, batch_size)
