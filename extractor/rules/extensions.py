"""Every ``Doc``/``Span`` extension the pipeline uses, declared once, namespaced.

Components import ``register()`` and call it; declaring twice is harmless (force=True),
so tests can build a Doc by hand without the whole pipeline.
"""
from __future__ import annotations

from .. import _torchless  # noqa: F401  (first: spaCy's thinc must not import torch)
from spacy.attrs import IDX, LENGTH
from spacy.tokens import Doc, Span

# Span keys in doc.spans
TICKERS = "tickers"      # Mention spans: span._.x_symbol, span._.x_kind, span._.x_via
MONEY = "money"          # span._.x_value (USD float), span._.x_qualifier, span._.x_sign
PERCENT = "percent"      # span._.x_value (percentage points), x_value_high, x_qualifier, x_sign
TIMEX = "timex"          # span._.x_time (a TimePhrase from rules.timex)
PERSONS = "persons"      # span._.x_name (full name)

_DOC = {
    "x_anchor": None,       # schema.Anchor of the article
    "x_body_start": 0,      # char offset where the header ends
    "x_title_end": 0,       # char offset where the title line ends (0: no title line)
    "x_sentiments": None,   # {sentence start char: (label, score)} from the classifier
    "x_entity_stance": None,  # {(start, end) of a ticker reference: probabilities over negative/neutral/positive}
    "x_refs": None,         # (refs, mentions) from references.build_refs, once per Doc
    "x_deferred": None,     # [(sentence, refs)] the classifier left for the stance to ask for (classify.component)
}
_SPAN = {
    "x_symbol": None,
    "x_kind": None,
    "x_name": None,
    "x_via": None,
    "x_value": None,
    "x_value_high": None,
    "x_qualifier": None,
    "x_sign": None,         # +1 / -1 when the text writes a sign ("+$2.1 billion", "-3.05%")
    "x_currency": None,
    "x_symbol_source": None,  # ticker spans: "table" (in the symbol table) | "pattern" (by form alone)     # money spans: ISO code of the currency written ("USD", "AUD", "EUR")
    "x_time": None,
    "x_role": None,         # money/percent spans: the classifier's role (labels.ROLES)
    "x_role_probs": None,   # ... and {role: probability} over all roles
}


def text_of(doc: Doc) -> str:
    """The Doc's text, read once: ``Doc.text`` joins every token again on each access
    (about 1 ms on a market story), and the rules read it a dozen times per article."""
    text = doc.user_data.get("x_text")
    if text is None:
        text = doc.user_data["x_text"] = doc.text
    return text


def span_text(span: Span) -> str:
    """A span's text cut from the Doc's (``text_of``): ``Span.text`` joins its tokens
    again on each access (4.6 us for a sentence, 0.2 us cut), and the fact rules read
    a sentence's text several times per number."""
    return text_of(span.doc)[span.start_char:span.end_char]


def words(doc: Doc) -> list[str]:
    """The texts of the Doc's tokens, cut once from its text by their offsets: walking
    ``doc[i].text`` makes a Python Token per read, and the rules that scan every token
    (persons, bare symbols, paragraph breaks) made a million of them per 100 articles."""
    out = doc.user_data.get("x_words")
    if out is None or len(out) != len(doc):
        text = text_of(doc)
        out = doc.user_data["x_words"] = [text[a:a + n] for a, n in doc.to_array([IDX, LENGTH]).tolist()]
    return out


def register() -> None:
    for name, default in _DOC.items():
        if not Doc.has_extension(name):
            Doc.set_extension(name, default=default)
    for name, default in _SPAN.items():
        if not Span.has_extension(name):
            Span.set_extension(name, default=default)


register()
