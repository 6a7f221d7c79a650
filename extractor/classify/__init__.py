"""Sentence classifiers behind one interface, and per-ticker sentiment built on them.

Two implementations: the transformer (``model.TransformerClassifier``: sentence
sentiment and number roles, onnxruntime, the default) and a lexicon (no model at all,
``EXTRACTOR_CLASSIFIER=lexicon``). Anything with ``predict`` (and optionally
``analyze`` for roles) can be registered with ``set_default_classifier``: tests register
a fake so the rules tests need no model.
"""
from __future__ import annotations

from bisect import bisect_right

from collections.abc import Iterator, Sequence
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


# A ticker's stance: its sentences' scores (p(positive) - p(negative)) plus FACT_WEIGHT
# per flow or return in the direction it moved, scaled by the number of pieces of
# evidence; bullish / bearish beyond +-STANCE_THRESHOLD.
FACT_WEIGHT = 0.5
STANCE_THRESHOLD = 0.35


def iter_sentiment(doc, refs, flows, returns, *, classifier: SentenceClassifier | None = None,
                   body_start: int = 0) -> Iterator["Sentiment"]:
    """Per-ticker stance: the sentences that name a ticker (or refer to it: "the fund"),
    plus the direction of its flows and returns, summed and squashed to [-1, 1].
    Only tickers the article says something about get a row."""
    from ..schema import Sentiment

    clf = classifier if classifier is not None else default_classifier()
    sents = [s for s in doc.sents if s.end_char > body_start]
    by_ticker: dict[str, list[int]] = {}
    sent_starts = [s.start_char for s in sents]
    for r in refs:  # the sentence of each reference by binary search
        i = bisect_right(sent_starts, r.start) - 1
        if i >= 0 and sents[i].start_char <= r.start < sents[i].end_char:
            found = by_ticker.setdefault(r.symbol, [])
            if not found or found[-1] != i and i not in found:
                found.append(i)
    mentions: dict[str, int] = {}
    for r in refs:
        mentions[r.symbol] = mentions.get(r.symbol, 0) + 1
    needed = sorted({i for idx in by_ticker.values() for i in idx})
    # the pipeline's classifier component, when it ran (and no other classifier was asked for)
    done = (doc._.x_sentiments or {}) if classifier is None else {}
    preds = {i: done[sents[i].start_char] for i in needed if sents[i].start_char in done}
    todo = [i for i in needed if i not in preds]
    if todo:
        preds.update(zip(todo, clf.predict([sents[i].text for i in todo])))
    for symbol, idx in by_ticker.items():
        score = sum(preds[i][1] for i in idx)
        facts = 0.0
        for f in flows:
            if f.ticker == symbol:
                facts += FACT_WEIGHT if f.direction == "inflow" else -FACT_WEIGHT
        for r in returns:
            if r.ticker == symbol:
                facts += FACT_WEIGHT if r.value_pct > 0 else -FACT_WEIGHT
        total = score + facts
        n = len(idx) + sum(1 for f in flows if f.ticker == symbol) + sum(1 for r in returns if r.ticker == symbol)
        norm = max(-1.0, min(1.0, total / max(1.0, n ** 0.5 * 1.5)))
        label = "bullish" if norm >= STANCE_THRESHOLD else "bearish" if norm <= -STANCE_THRESHOLD else "neutral"
        if mentions.get(symbol, 0) < 2:
            label = "neutral"  # named once in passing: the article takes no stance on it
        best = max(idx, key=lambda i: abs(preds[i][1]))
        s = sents[best]
        yield Sentiment(ticker=symbol, label=label, score=round(norm, 3), start=s.start_char, end=s.end_char,
                        sentence=s.text.strip(), source="model" if getattr(clf, "analyze", None) else "rules")
