"""Per-ticker relevance and stance (issue #13): what an article is about, and a stance
only where it takes one. Our own sentences; the shipped classifier where it matters."""
from dataclasses import replace
from datetime import date

import pytest

import extractor
from conftest import shared_path
from extractor import store
from extractor.classify import stance
from extractor.schema import TickerRelevance
from extractor.signals import daily_signals


def ex(text, published=date(2019, 6, 14)):
    return extractor.extract(text, published=published)


def rel(f):
    return {t.ticker: t for t in f.relevance}


STORY = ("Small caps stumble as investors pull money from IWM\n\n"
         "More than $1.2 billion exited the iShares Russell 2000 ETF (NYSE: IWM) over the past couple "
         "sessions. IWM is down 3 percent this week, lagging the S&P 500.\n\n"
         "Traders say IWM could slide further. The fund's options show heavy put buying. "
         "BlackRock's iShares unit runs the fund.\n")


def test_the_story_is_about_its_headline_ticker_and_a_benchmark_is_capped():
    r = rel(ex(STORY))
    assert r["IWM"].relevance >= 70 and r["IWM"].headline and r["IWM"].role == "subject"
    assert r["^GSPC"].relevance <= 20 and r["^GSPC"].role in ("benchmark", "passing")
    assert [t.ticker for t in ex(STORY).relevance][0] == "IWM"


def test_no_stance_for_a_ticker_named_in_passing():
    f = ex(STORY)
    assert "^GSPC" not in {s.ticker for s in f.sentiment}
    assert all(s.relevance >= stance.MIN_RELEVANCE for s in f.sentiment)


def test_label_and_score_always_agree():
    f = ex(STORY)
    for s in f.sentiment:
        assert (s.label == "bullish") == (s.score > 0) and (s.label == "bearish") == (s.score < 0)


def test_two_tickers_in_one_sentence_are_read_in_their_own_clauses():
    text = "SPY gained 2% on Monday, while TLT fell 3%."
    parts = stance.clauses(text, 0, len(text))
    assert len(parts) == 2 and text[parts[0][0]:parts[0][1]].startswith("SPY") and "TLT" in text[slice(*parts[1])]
    assert stance.local_cue(text, 3, parts[0][1]) == 1 and stance.local_cue(text, text.index("TLT") + 3, len(text)) == -1


def test_a_model_decides_three_ways_and_abstains_below_its_confidence():
    n = len(stance.FEATURES)
    bull = [0.0] * n
    bull[stance.FEATURES.index("clause_mean")] = 4.0
    bear = [-v for v in bull]
    model = stance.StanceModel((tuple(bull), tuple(bear), tuple([1.0] + [0.0] * (n - 1))))
    x = [1.0] + [0.0] * (n - 1)
    assert max(model.probs(x)[:2]) < model.min_confidence  # no evidence: "none" holds
    x[stance.FEATURES.index("clause_mean")] = 0.9
    p = model.probs(x)
    assert p[0] > 0.5 and abs(sum(p) - 1) < 1e-9
    again = stance.StanceModel.from_json(model.to_json())
    assert again == model


def test_training_is_deterministic():
    X = [[1.0, 0.1 * i, (-1) ** i] + [0.0] * (len(stance.FEATURES) - 3) for i in range(30)]
    y = [0 if i % 2 == 0 else 1 if i % 3 else 2 for i in range(30)]
    assert stance.train_softmax(X, y) == stance.train_softmax(X, y)


def test_relevance_is_stored_per_ticker_and_rewritten_with_the_article(db_path, make_facts):
    db = store.open_db(db_path)
    f = ex(STORY)
    f = replace(f, article=replace(f.article, path="a.txt"))
    store.write_article(db, f)
    stored = {r[0]: r[1] for r in db.execute("SELECT ticker, relevance FROM article_tickers")}
    assert stored == {t.ticker: t.relevance for t in f.relevance}
    store.write_article(db, f)  # again: replaced, not doubled
    assert db.execute("SELECT count(*) FROM article_tickers").fetchone()[0] == len(f.relevance)
    db.close()


def test_signals_weigh_stances_by_relevance_and_filter_on_it(db_path, make_facts):
    db = store.open_db(db_path)
    a = make_facts("date 2019-10-17\nA\n\nTraders are bullish on QQQ.\n", path="a.txt",
                   sentiment=[("Traders are bullish on QQQ.", "QQQ", "bullish", 0.8)])
    b = make_facts("date 2019-10-17\nB\n\nQQQ looks weak to some.\n", path="b.txt",
                   sentiment=[("QQQ looks weak", "QQQ", "bearish", -0.8)])
    a = replace(a, sentiment=tuple(replace(s, relevance=90) for s in a.sentiment))
    b = replace(b, sentiment=tuple(replace(s, relevance=30) for s in b.sentiment))
    store.write_article(db, a)
    store.write_article(db, b)
    (sig,) = daily_signals(db, ["QQQ"])
    assert sig.sentiment_mean == pytest.approx((0.8 * 90 - 0.8 * 30) / 120, abs=1e-4)
    (only,) = daily_signals(db, ["QQQ"], min_relevance=50)
    assert (only.bullish, only.bearish, only.sentiment_mean) == (1, 0, 0.8)
    db.close()


def test_seed_000_is_about_iwm_and_takes_no_side_on_the_sp_500(real_classifier):
    text = shared_path("corpus-dev", "seed-000.txt").read_text(encoding="utf-8")
    f = extractor.extract(text)
    r = rel(f)
    assert max(r.values(), key=lambda t: t.relevance).ticker == "IWM"
    got = {s.ticker: s.label for s in f.sentiment}
    assert "^GSPC" not in got or r["^GSPC"].relevance >= stance.MIN_RELEVANCE


def test_finentity_is_read_per_paragraph_with_its_splits_and_spans():
    from extractor.classify.data import read_finentity

    rows = read_finentity(shared_path("data"))
    assert 960 <= len(rows) <= 979 and {e.split for e in rows} == {"train", "dev", "test"}  # equal texts merge
    assert sum(len(e.entities) for e in rows) == 2131
    e = next(e for e in rows if len(e.entities) > 1)
    assert all(e.text[a:b].strip() and label in ("positive", "negative", "neutral") for a, b, label in e.entities)


def test_evaluate_reports_phrasebank_tiers_and_entity_stance():
    from extractor.classify.data import Example
    from extractor.classify.metrics import evaluate
    from extractor.classify.model import Prediction

    class Fake:
        sentiment_labels = ("negative", "neutral", "positive")
        role_labels = ("flow", "return")
        entity_labels = ("negative", "neutral", "positive")

        def analyze(self, items, batch_size=64):
            out = []
            for item in items:
                ents = item[2] if len(item) > 2 else ()
                # "gained" right after an entity: positive; else neutral
                probs = tuple((0.1, 0.2, 0.7) if item[0][b:b + 7] == " gained" else (0.1, 0.8, 0.1) for a, b in ents)
                out.append(Prediction("positive", 0.5, (0.1, 0.2, 0.7), (), (), probs))
            return out

    ex = [Example("Sales rose.", "positive", source="phrasebank", split="test", meta={"agreement": "100"}),
          Example("Sales fell.", "negative", source="phrasebank", split="test", meta={"agreement": "50"}),
          Example("SPY gained while TLT fell.", source="finentity", split="test",
                  entities=((0, 3, "positive"), (16, 19, "negative")))]
    scores = {s.task: s for s in evaluate(Fake(), ex, "test")}
    assert scores["sentiment:phrasebank@100"].accuracy == 1.0 and scores["sentiment:phrasebank@50"].accuracy == 0.0
    assert scores["sentiment:phrasebank"].n == 2
    assert scores["entity:finentity"].n == 2 and scores["entity:finentity"].accuracy == 0.5


# Our own sentences in the genre's three shapes: a data wrap, a strategist's view, a flow story.
WRAP = ("Stocks end lower on Tuesday\n\n"
        "The Dow Jones industrial average fell 2.1% to 25,410 on Tuesday. The S&P 500 lost 1.8% to 2,790 "
        "and the Nasdaq composite dropped 2.4% to 7,420. The Russell 2000 slipped 1.1%. "
        "Energy shares led the decline, with oil down 3%. Trading volume was 7.1 billion shares.\n")
VIEW = ("Strategists turn bearish on the S&P 500\n\n"
        "Strategists at two large banks expect the S&P 500 to fall further, warning that investors' appetite "
        "for risk is fading. The S&P 500 fell 1.8% on Tuesday. \"We see more downside for the S&P 500 as "
        "earnings expectations look too optimistic,\" said Jane Miller, chief strategist at Fictional Capital. "
        "Fears of a slowdown have hurt sentiment, and the outlook for the S&P 500 remains bleak, she warned.\n")
FLOWS = ("Investors pull cash from gold fund\n\n"
         "Investors pulled $640 million from the SPDR Gold Shares (GLD) last week, the most since March. "
         "GLD had taken in $2.1 billion in the first quarter. Traders fear higher rates will hurt the metal.\n")


def test_opinion_density_tells_a_view_from_a_data_wrap():
    assert stance.opinion_density(WRAP, 0) == 0.0  # moves, however steep, are no view
    assert stance.opinion_density(VIEW, 0) > 0.8
    assert stance.opinion_density("", 0) == 0.0


def features_of(text):
    rec: list = []
    stance.collect(rec)
    try:
        f = extractor.extract(text)
    finally:
        stance.collect(None)
    return f, {t: dict(zip(stance.FEATURES, x)) for t, x in rec}


def test_a_data_wrap_takes_no_side_and_a_strategist_piece_does(real_classifier):
    wrap, _ = features_of(WRAP)
    assert wrap.sentiment == ()
    view, x = features_of(VIEW)
    assert {s.ticker: s.label for s in view.sentiment} == {"^GSPC": "bearish"}
    assert x["^GSPC"]["opinion"] > 0.8 and x["^GSPC"]["opinion_x_entity"] < 0


def test_the_first_flow_is_the_news_though_an_older_inflow_is_larger(real_classifier):
    f, x = features_of(FLOWS)
    assert [(fl.direction, fl.amount_usd) for fl in f.flows] == [("outflow", 640e6), ("inflow", 2.1e9)]
    assert x["GLD"]["flows_net"] == 0.0 and x["GLD"]["flow_first"] == -1.0
    assert {s.ticker: s.label for s in f.sentiment} == {"GLD": "bearish"}
