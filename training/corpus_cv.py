"""What the learned parts' training scripts share: the corpus articles that have gold,
article-level folds, and a whole-corpus extraction scored by ../shared/eval/score.py."""
from __future__ import annotations

import hashlib
import json
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from extractor.ingest import iter_articles  # noqa: E402
from extractor.pipeline import extract_articles  # noqa: E402
from extractor.schema import to_gold  # noqa: E402


def load(corpus: Path) -> list:
    """The corpus articles that have a gold file beside them."""
    arts = [a for a in iter_articles(sorted(corpus.glob("*.txt"))) if not isinstance(a, Exception)]
    return [a for a in arts if (corpus / (Path(a.path).stem + ".json")).exists()]


def fold_of(name: str, folds: int, salt: str = "") -> int:
    """The article's fold: a hash of its name, so folds never depend on file order."""
    return int(hashlib.sha256((salt + name).encode()).hexdigest(), 16) % folds


def score(corpus: Path, articles, use: Callable[[object], None], model_for: Callable[[str], object],
          reset: Callable[[], None]) -> dict:
    """Extract every article with ``use(model_for(stem))`` in force, score the lot."""
    sys.path.insert(0, str(corpus.parent / "eval"))
    import score as scorer  # ../shared/eval/score.py

    with tempfile.TemporaryDirectory() as tmp:
        try:
            for a in articles:
                stem = Path(a.path).stem
                use(model_for(stem))
                facts = next(extract_articles([a]))
                (Path(tmp) / f"{stem}.json").write_text(json.dumps(to_gold(facts, stem), default=str),
                                                      encoding="utf-8")
        finally:
            reset()
        return scorer.score_dirs(corpus, Path(tmp))["summary"]
