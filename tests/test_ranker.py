"""The learned ticker ranker: deterministic training, the switch, and --explain naming it."""
import json
import sys
from datetime import date
from pathlib import Path

import pytest

import extractor
from conftest import shared_path
from extractor.facts import ranker
from extractor.pipeline import article_from_text, explain_article

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture
def no_ranker():
    ranker.use(None)
    yield
    ranker._active.clear()


def test_training_is_deterministic_and_learns_which_side_wins():
    # two pairs per number: the one after the number is the owner in every example
    after = ranker.FEATURES.index("nearest_after")
    X, y = [], []
    for k in range(20):
        a = [1.0] + [0.0] * (len(ranker.FEATURES) - 1)
        b = list(a)
        b[after] = 1.0
        a[2] = b[2] = (k % 5) / 5
        X += [a, b]
        y += [0, 1]
    m1, m2 = ranker.train(X, y), ranker.train(X, y)
    assert m1 == m2
    assert m1.score(X[1]) > 0.8 > 0.2 > m1.score(X[0])  # L2 keeps it from certainty
    assert ranker.Ranker.from_json(json.loads(json.dumps(m1.to_json()))) == m1


def test_a_model_that_disagrees_with_the_rules_decides_and_explain_says_so(no_ranker):
    text = "SPY rose 2% on Monday, lifting QQQ."
    ex = extractor.extract(text, published=date(2019, 6, 14))
    assert [(r.ticker, r.value_pct) for r in ex.returns] == [("SPY", 2.0)]
    w = [0.0] * len(ranker.FEATURES)
    w[ranker.FEATURES.index("nearest_after")] = 5.0
    w[0] = -2.0
    ranker.use(ranker.Ranker(tuple(w)))
    facts, decisions, _ = explain_article(article_from_text(text, published=date(2019, 6, 14)))
    assert [(r.ticker, r.value_pct) for r in facts.returns] == [("QQQ", 2.0)]
    (d,) = [d for d in decisions if d.kept]
    assert "attachment model" in d.ticker_why and "over the rules' SPY" in d.ticker_why


def test_the_shipped_ranker_loads_and_the_environment_switches_it_off(monkeypatch):
    ranker._active.clear()
    ranker._shipped.cache_clear()
    card = json.loads((ROOT / "extractor" / "models" / "attach-v1" / "model.json").read_text())
    assert tuple(card["features"]) == ranker.FEATURES
    assert (ranker.active() is not None) == bool(card["use"])
    monkeypatch.setenv("EXTRACTOR_ATTACH", "rules")
    assert ranker.active() is None
    ranker._shipped.cache_clear()


def test_cross_validation_reports_rules_and_model_side_by_side(capsys):
    corpus = shared_path("corpus-dev")
    sys.path.insert(0, str(ROOT / "training"))
    import attachment

    assert attachment.main(["--corpus", str(corpus), "--folds", "3"]) == 0
    out = capsys.readouterr().out
    assert "| facts_f1 |" in out and "rules only" in out and "cross-validated" in out
    assert "top-1 ticker on labelled numbers, cross-validated: rules" in out
    ranker._active.clear()
