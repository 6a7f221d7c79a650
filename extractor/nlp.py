"""build_nlp(): a blank English pipeline plus our registered rule components.

No pretrained pipeline is needed (none can be downloaded here); the rules work on
tokens, sentences and the span groups the components write.
"""
from __future__ import annotations

from . import _torchless  # noqa: F401  (first: spaCy's thinc must not import torch)
import spacy
from spacy.attrs import SENT_START
from spacy.language import Language

from .rules import extensions  # declares the extensions; words() for the line breaks


@Language.component("extractor_paragraphs")
def paragraph_boundaries(doc):
    """Start a sentence after every line break: headlines, bullets and paragraphs
    never run into the next sentence."""
    # a line break is always a whitespace token of its own (a token's trailing
    # whitespace is one space at most); its texts are read without making Tokens
    starts = [i + 1 for i, w in enumerate(extensions.words(doc)[:-1]) if "\n" in w and w.isspace()]
    if starts:
        # all at once: Token.is_sent_start = True checks the whole Doc's annotation on
        # every call, which made a text of 20,000 short lines take 15 s (quadratic)
        arr = doc.to_array([SENT_START])
        arr[starts] = 1
        doc.from_array([SENT_START], arr)
    return doc


LONG_RUN = 80  # characters without a space: no word or number of an article is that long


def keep_long_runs(nlp: Language) -> None:
    """spaCy splits a token's prefixes and suffixes one at a time, each time searching
    the whole rest of it, so 8,000 quote marks or 10,000 dollar signs without a space
    took seconds to tokenize (quadratic). A run that long is no word of an article:
    it stays one token, and the tokenizer stays linear."""
    tokenizer = nlp.tokenizer
    before = tokenizer.token_match

    def token_match(text: str):
        return len(text) >= LONG_RUN or (before is not None and before(text))

    tokenizer.token_match = token_match


COMPONENTS = ("extractor_tickers", "extractor_quantities", "extractor_timex", "extractor_persons",
              "extractor_classifier")


def build_nlp(*, components: tuple[str, ...] = COMPONENTS) -> Language:
    """The pipeline, in order: sentences, then the mention finders (tickers,
    quantities, time phrases, persons), then the classifier (sentence sentiment and
    number roles for the sentences that carry a ticker or a number). ``components`` limits which rule components
    are added (tests of one component build a smaller pipeline)."""
    # Importing the modules registers their factories with spaCy.
    from .classify import component  # noqa: F401
    from .rules import attribution, quantities, tickers, timex  # noqa: F401

    nlp = spacy.blank("en")
    nlp.max_length = 25_000_000
    keep_long_runs(nlp)
    nlp.add_pipe("extractor_paragraphs")
    nlp.add_pipe("sentencizer")
    for name in components:
        nlp.add_pipe(name)
    return nlp
