"""Quotes: found by ``rules.attribution``; here each gets the stance of its words."""
from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace

_STANCE = {"positive": "bullish", "negative": "bearish", "neutral": "neutral"}


def with_stance(quotes: list, classifier=None) -> Iterator:
    """Each quote's stance: the sentence classifier's label of the quoted words."""
    from ..classify import default_classifier

    worded = [q for q in quotes if q.text]
    if not worded:
        yield from quotes
        return
    clf = classifier if classifier is not None else default_classifier()
    labels = dict(zip((id(q) for q in worded), clf.predict([q.text for q in worded])))
    for q in quotes:
        label = labels.get(id(q))
        yield replace(q, stance=_STANCE.get(label[0])) if label else q
