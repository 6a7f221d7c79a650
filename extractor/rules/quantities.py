"""Money and percent spans with their values, signs and qualifiers.

The number shapes live in ``normalize.amount`` (pure, table-tested); this component
only places them on the Doc so the fact rules can reason over tokens and sentences.
"""
from __future__ import annotations

from .. import _torchless  # noqa: F401  (first: spaCy's thinc must not import torch)
from spacy.language import Language
from spacy.tokens import Doc

from ..normalize.amount import Quantity, find_money, find_percents
from . import extensions as ext


def _to_span(doc: Doc, q: Quantity, label: str):
    span = doc.char_span(q.start, q.end, label=label, alignment_mode="expand")
    if span is None:
        return None
    span._.x_value = q.value
    span._.x_value_high = q.value_high
    span._.x_sign = q.sign
    span._.x_qualifier = q.qualifier
    span._.x_kind = q.unit
    span._.x_currency = q.currency
    return span


@Language.component(
    "extractor_quantities",
    assigns=["doc.spans"],
)
def quantities_component(doc: Doc) -> Doc:
    text = ext.text_of(doc)
    doc.spans[ext.MONEY] = [s for q in find_money(text) if (s := _to_span(doc, q, "MONEY"))]
    doc.spans[ext.PERCENT] = [s for q in find_percents(text) if (s := _to_span(doc, q, "PERCENT"))]
    return doc
