"""Sentence classifiers behind one interface, and per-ticker sentiment built on them.

Two implementations: the transformer (``model.TransformerClassifier``: sentence
sentiment and number roles, onnxruntime, the default) and a lexicon (no model at all,
``EXTRACTOR_CLASSIFIER=lexicon``). Anything with ``predict`` (and optionally
``analyze`` for roles) can be registered with ``set_default_classifier``: tests register
a fake so the rules tests need no model.
"""
from __future__ import annotations

from bisect import bisect_right

from collections.abc import Callable, Iterator, Sequence
from typing import TYPE_CHECKING, Protocol

from .lexicon import LexiconClassifier

if TYPE_CHECKING:
    from ..schema import Sentiment


class SentenceClassifier(Protocol):
    name: str

    def predict(self, sentences: Sequence[str]) -> list[tuple[str, float]]:
        """(label, score) per sentence: label positive/negative/neutral, score in [-1, 1]."""


_DEFAULT: SentenceClassifier | None = None


def default_classifier() -> SentenceClassifier:
    """The registered classifier, else the one EXTRACTOR_CLASSIFIER names (loaded once).
    Raises ModelMissing when the model folder is missing or broken."""
    global _DEFAULT
    if _DEFAULT is None:
        from .. import settings
        from ..errors import ExtractorError

        choice = str(settings.get("classifier") or "model").lower()
        if choice == "lexicon":
            _DEFAULT = LexiconClassifier()
        elif choice == "model":
            from .model import load

            _DEFAULT = load()
        else:
            raise ExtractorError(f"EXTRACTOR_CLASSIFIER={choice!r}: use 'model' or 'lexicon'")
    return _DEFAULT


def set_default_classifier(clf: SentenceClassifier | None) -> None:
    """Swap the classifier every later extraction uses (None: back to the setting)."""
    global _DEFAULT
    _DEFAULT = clf


def _past_the_gate(relevance) -> Callable[[str], bool]:
    """Whether a ticker's evidence can reach the output: ``stance.decide`` gives no row
    below the model's min_relevance, and of such a ticker only the count is a feature.
    Its sentences and clauses need no classifier (all do while training collects)."""
    from . import stance

    if stance.collecting():
        return lambda symbol: True
    gate = stance.active().min_relevance
    rel = {t.ticker: t.relevance for t in relevance}
    return lambda symbol: rel.get(symbol, 0) >= gate


def iter_sentiment(doc, refs, flows, returns, *, classifier: SentenceClassifier | None = None,
                   body_start: int = 0, quotes=(), relevance=(), title_end: int = 0) -> Iterator["Sentiment"]:
    """Per-ticker stance (``classify.stance``): each mention read in its own clause,
    with the ticker's flows, returns, quotes and relevance; a row only for a relevant
    ticker the article takes a side on, its score p(bullish) - p(bearish)."""
    from ..rules import extensions as ext
    from ..schema import Sentiment
    from . import stance

    clf = classifier if classifier is not None else default_classifier()
    text = ext.text_of(doc)
    sents = [s for s in doc.sents if s.end_char > min(body_start, title_end)]  # the headline's too
    sent_starts = [s.start_char for s in sents]
    in_sent: dict[int, list] = {}
    for r in refs:  # the sentence of each reference by binary search
        i = bisect_right(sent_starts, r.start) - 1
        if i >= 0 and sents[i].start_char <= r.start < sents[i].end_char:
            in_sent.setdefault(i, []).append(r)
    wanted = _past_the_gate(relevance)
    # the pipeline's classifier component, when it ran (and no other classifier was asked for)
    if classifier is None:
        from .component import classify_deferred

        classify_deferred(doc, wanted)
    done = (doc._.x_sentiments or {}) if classifier is None else {}
    preds = {sents[i].start_char: done[sents[i].start_char] for i in in_sent if sents[i].start_char in done}
    todo = [i for i in in_sent if sents[i].start_char not in preds and any(wanted(r.symbol) for r in in_sent[i])]
    if todo:
        preds.update(zip((sents[i].start_char for i in todo), clf.predict([sents[i].text for i in todo])))
    # a sentence naming two tickers: each clause read on its own ("SPY gained while TLT fell")
    clause_preds: dict[int, dict[tuple[int, int], tuple[str, float]]] = {}
    clause_work: list[tuple[int, tuple[int, int]]] = []
    for i, rs in in_sent.items():
        if len({r.symbol for r in rs}) < 2:
            continue
        s = sents[i]
        parts = stance.clauses(text, s.start_char, s.end_char)
        if len(parts) < 2:
            continue
        for part in parts:
            if any(part[0] <= r.start < part[1] and wanted(r.symbol) for r in rs):
                clause_work.append((s.start_char, part))
    if clause_work:
        for (start, part), pred in zip(clause_work, clf.predict([text[a:b] for _, (a, b) in clause_work])):
            clause_preds.setdefault(start, {})[part] = pred
    rel = {t.ticker: t for t in relevance}
    kinds = {r.symbol: r.kind for r in refs if not r.anaphor}
    entity = (doc._.x_entity_stance or {}) if classifier is None else {}
    evidence = stance.gather(text, sents, refs, kinds, rel, preds, clause_preds, flows, returns, quotes, title_end,
                             entity)
    body_sentences = sum(1 for s in sents if s.start_char >= body_start)
    source = "model" if getattr(clf, "analyze", None) else "rules"
    for ev, label, score in stance.decide(evidence, len(returns), body_sentences):
        a, b = ev.best or (0, 0)
        yield Sentiment(ticker=ev.ticker, label=label, score=score, start=a, end=b, sentence=text[a:b].strip(),
                        source=source, relevance=ev.relevance)
