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

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
DEV = SHARED / "corpus-dev"
SCORER = SHARED / "eval" / "score.py"

needs_shared = pytest.mark.skipif(not DEV.is_dir() or not SCORER.is_file(),
                                  reason="../shared/corpus-dev and ../shared/eval are not beside this checkout")


def _scorer():
    spec = importlib.util.spec_from_file_location("score", SCORER)
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


@needs_shared
@pytest.mark.slow
def test_dev_set_score(tmp_path, real_classifier):
    _write_gold(sorted(DEV.glob("*.txt")), tmp_path)
    summary = _scorer().score_dirs(DEV, tmp_path)["summary"]
    assert summary["articles"] >= 20
    assert summary["facts_f1"] >= 0.90, summary
    assert summary["window_accuracy"] >= 0.80, summary


@needs_shared
@pytest.mark.slow
def test_sample_corpus_score(tmp_path, real_classifier):
    _write_gold([ROOT / "corpus" / "examples"], tmp_path)
    summary = _scorer().score_dirs(ROOT / "tests" / "gold" / "examples", tmp_path)["summary"]
    assert summary["facts_f1"] >= 0.85, summary
    assert summary["window_accuracy"] >= 0.80, summary
