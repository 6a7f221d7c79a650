"""The whole extractor, with the shipped classifier, scored the way we are judged:
../shared/eval/score.py on the real dev articles, and on our own sample corpus with its
hand-written gold."""
import importlib.util
import json
from pathlib import Path

import pytest

from extractor.ingest import iter_articles
from extractor.errors import IngestError
from extractor.pipeline import extract_articles
from extractor.schema import to_gold
from conftest import shared_path

ROOT = Path(__file__).resolve().parents[1]


def _scorer():
    spec = importlib.util.spec_from_file_location("score", shared_path("eval", "score.py"))
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def _write_gold(paths, out: Path) -> None:
    arts = [a for a in iter_articles(paths) if not isinstance(a, IngestError)]
    for facts in extract_articles(arts):
        base = Path(facts.article.path.split(":")[0]).name if facts.article.path else "x"
        stem = Path(base).stem
        if ":" in (facts.article.path or ""):
            stem = f"{stem}-{facts.article.path.rsplit(':', 1)[1]}"
        (out / f"{stem}.json").write_text(json.dumps(to_gold(facts, base)))


@pytest.mark.slow
def test_dev_set_score(tmp_path, real_classifier):
    """A regression gate at the figures measured when it was last raised (see CHANGES):
    86 real articles, 2026-12-06 (0.8.0: facts 0.945, flows and returns recall 0.932 and
    0.924, quote organisation 0.922). The window ratios are lower than 0.5.0's because 100
    more claims are matched (319 -> 419), many in articles that print no date (their
    windows cannot resolve); no window matched before got worse."""
    dev = shared_path("corpus-dev")
    _write_gold(sorted(dev.glob("*.txt")), tmp_path)
    summary = _scorer().score_dirs(dev, tmp_path)["summary"]
    assert summary["articles"] >= 86
    assert summary["facts_f1"] >= 0.94, summary
    assert summary["flows"]["recall"] >= 0.92 and summary["returns"]["recall"] >= 0.91, summary
    assert summary["window_accuracy"] >= 0.82, summary
    assert summary["window_exact"]["accuracy"] >= 0.80, summary["window_exact"]
    assert summary["quote_attribution"]["title"]["accuracy"] >= 0.95, summary["quote_attribution"]
    assert summary["quote_attribution"]["organization"]["accuracy"] >= 0.92, summary["quote_attribution"]


@pytest.mark.slow
def test_sample_corpus_score(tmp_path, real_classifier):
    _write_gold([ROOT / "corpus" / "examples"], tmp_path)
    summary = _scorer().score_dirs(ROOT / "tests" / "gold" / "examples", tmp_path)["summary"]
    assert summary["facts_f1"] >= 0.85, summary
    assert summary["window_accuracy"] >= 0.80, summary
