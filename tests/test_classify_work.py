"""The classifier reads only what can reach the output (issue #16, speed): a sentence or
clause about tickers below the stance gate is never classified, and the facts and
stances are the same as when everything is read."""
from __future__ import annotations

import pytest

import extractor
from conftest import FakeClassifier, shared_path
from extractor.classify import component, set_default_classifier, stance
from extractor.classify.lexicon import LexiconClassifier
from extractor.errors import IngestError
from extractor.ingest import iter_articles
from extractor.pipeline import extract_article


class CountingClassifier(FakeClassifier):
    """The rules tests' fake, recording the texts of both calls (sentences and numbers
    through ``analyze``, clauses and quotes through ``predict``)."""

    def predict(self, sentences):
        self.seen.extend(sentences)
        return LexiconClassifier().predict(sentences)


# IWM is the story; QQQ shares a sentence with it and DIA is named once: both passing mentions
TEXT = ("Small caps stumble as investors pull money from IWM\n\n"
        "More than $1.2 billion exited the iShares Russell 2000 ETF (NYSE: IWM) over the past couple sessions. "
        "IWM is down 3 percent this week.\n\n"
        "Traders say IWM could slide further, while QQQ held up. Elsewhere, DIA was quiet.\n")


def extract_counting(extract, *, read_all: bool):
    """(facts, texts the classifier saw); ``read_all``: as while training collects stance
    features, when nothing may be skipped."""
    fake = CountingClassifier()
    set_default_classifier(fake)
    stance.collect([] if read_all else None)
    try:
        return extract(), fake.seen
    finally:
        stance.collect(None)


def test_sentences_and_clauses_of_passing_mentions_are_not_classified():
    pruned, seen = extract_counting(lambda: extractor.extract(TEXT, published="2019-06-14"), read_all=False)
    full, seen_all = extract_counting(lambda: extractor.extract(TEXT, published="2019-06-14"), read_all=True)
    assert {t.ticker: t.relevance for t in pruned.relevance} == {"IWM": 85, "QQQ": 15, "DIA": 15}
    assert set(seen_all) - set(seen) == {"Elsewhere, DIA was quiet.", "QQQ held up."}
    assert "Traders say IWM could slide further" in seen  # the story's own clause is still read
    assert pruned == full and [s.ticker for s in pruned.sentiment] == ["IWM"]


def test_the_relevance_floor_never_exceeds_the_relevance():
    from extractor.pipeline import _make_doc, default_nlp
    from extractor.facts import assemble

    article = extractor.pipeline.article_from_text(TEXT, published=None)
    nlp = default_nlp()
    doc = nlp(_make_doc(nlp, article))
    floor = component.relevance_floor(doc)
    final = {t.ticker: t.relevance for t in assemble(doc, article).relevance}
    assert floor.keys() == final.keys() and all(floor[t] <= final[t] for t in final)
    assert floor["IWM"] < final["IWM"]  # its flow and return add to it


def test_dev_corpus_gives_the_same_facts_with_fewer_classifications():
    """Every dev article: the same facts and stances as when every sentence and clause
    is read, with a seventh less read (709 of 833 texts; some articles need deferred
    sentences after all)."""
    articles = [a for a in iter_articles([shared_path("corpus-dev")])
                if not isinstance(a, IngestError) and str(a.path).endswith(".txt")]
    read = read_all = deferred_read = 0
    original = component.classify_deferred

    def counting_deferred(doc, wanted, batch_size=64):
        nonlocal deferred_read
        before = len(doc._.x_deferred or ())
        original(doc, wanted, batch_size)
        deferred_read += before - len(doc._.x_deferred or ())

    component.classify_deferred = counting_deferred
    try:
        for a in articles:
            pruned, seen = extract_counting(lambda: extract_article(a), read_all=False)
            full, seen_all = extract_counting(lambda: extract_article(a), read_all=True)
            assert pruned == full, a.path
            assert set(seen) <= set(seen_all), a.path
            read, read_all = read + len(seen), read_all + len(seen_all)
    finally:
        component.classify_deferred = original
    assert read < 0.9 * read_all and deferred_read > 0, (read, read_all, deferred_read)


@pytest.fixture(autouse=True)
def _restore():
    yield
    stance.collect(None)
    set_default_classifier(None)


def test_numbers_whose_role_no_rule_reads_do_not_call_for_the_classifier():
    from extractor.pipeline import _make_doc, default_nlp
    from extractor.rules import extensions as ext

    text = ("date 2019-06-14\nFlows and returns\n\nXLE | $2.1 billion | 3.5%\n"
            "XLE rose 3.5% and took in $2.1 billion, though a share costs $85.\n")
    nlp = default_nlp()
    doc = nlp(_make_doc(nlp, extractor.pipeline.article_from_text(text)))
    numbers = list(doc.spans[ext.PERCENT]) + list(doc.spans[ext.MONEY])
    read = {(n.text, n.start_char > text.index("XLE rose")): component.role_read(n, text) for n in numbers}
    assert read == {("3.5%", False): False, ("$2.1 billion", False): True,  # a pipe row's amount may be a flow
                    ("3.5%", True): True, ("$2.1 billion", True): True, ("$85", True): False}


# XLE's floor (two of twelve sentences, not in the lead: 17) is under the gate; its flow
# lifts it to 22, so its sentence without a number is read after the facts
LATE = ("Small caps stumble as investors pull money from IWM\n\n"
        "More than $1.2 billion exited the iShares Russell 2000 ETF (NYSE: IWM) over the past couple sessions. "
        "IWM is down 3 percent this week. Traders say IWM could slide further. The selling was broad. "
        "Volumes were heavy across the market. Some strategists see value in small companies. Others are wary. "
        "Rates remain the main worry. Bond yields rose again on Tuesday. "
        "Elsewhere, investors added $300 million to XLE on Monday. The fund has been a favourite this year.\n")


def test_a_sentence_deferred_then_needed_reads_as_the_component_would(real_classifier, monkeypatch):
    read_late: list[str] = []
    original = component.classify_deferred

    def recording(doc, wanted, batch_size=64):
        before = list(doc._.x_deferred or ())
        original(doc, wanted, batch_size)
        read_late.extend(s.text for s, _, _ in before if all(s is not t for t, _, _ in doc._.x_deferred or ()))

    monkeypatch.setattr(component, "classify_deferred", recording)
    pruned = extractor.extract(LATE, published="2019-06-14")
    stance.collect([])
    try:
        full = extractor.extract(LATE, published="2019-06-14")
    finally:
        stance.collect(None)
    assert read_late == ["The fund has been a favourite this year."]
    assert {t.ticker: t.relevance for t in pruned.relevance}["XLE"] == 22
    assert pruned == full
