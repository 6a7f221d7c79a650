"""Train and measure the learned ticker ranker (extractor/facts/ranker.py).

    python training/attachment.py [--corpus ../shared/corpus-dev] [--folds 5] [--write]

1. Extracts every article of the corpus with the rules, recording for each number the
   rules ranked every (number, ticker) pair of its sentence with its features.
2. Labels a pair positive when the article's gold has a claim with that number (same
   value, its words inside the gold evidence) about that ticker. Numbers the gold does
   not claim, or whose gold ticker is not among the pairs, teach nothing and are left out.
3. Article-level cross-validation: the articles are split into folds by a hash of their
   name; each fold is extracted with a ranker trained on the other folds only, and the
   folds' outputs together are scored with ../shared/eval/score.py. The rules alone are
   scored on the same articles. Both tables are printed.
4. With --write: trains on every article and writes extractor/models/attach-v1/model.json and its
   card, with ``use`` set to whether the model measured better than the rules.
"""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))

import corpus_cv  # noqa: E402  (training/corpus_cv.py)
from extractor.facts import ranker  # noqa: E402
from extractor.pipeline import extract_articles  # noqa: E402


def _norm(s: str) -> str:
    return " ".join(str(s or "").split())


def gather(articles) -> dict[str, list]:
    """{article stem: recorded numbers with their pairs} from a rules-only extraction."""
    out: dict[str, list] = {}
    ranker.use(None)
    for a in articles:
        rec: list = []
        ranker.collect(rec)
        next(extract_articles([a]))
        ranker.collect(None)
        out[Path(a.path).stem] = (a.text, rec)
    return out


def label(corpus: Path, stem: str, text: str, numbers: list) -> list[tuple[list[list[float]], list[int], int]]:
    """(features of each pair, labels, index of the rules' choice) per labelled number."""
    gold = json.loads((corpus / f"{stem}.json").read_text(encoding="utf-8"))
    rows = []
    for (start, end, value, flow), pairs in numbers:
        written = _norm(text[start:end])
        claims = gold["flows"] if flow else gold["returns"]
        tickers = set()
        for g in claims:
            v = g.get("amount_usd") if flow else g.get("value_pct")
            try:
                v = float(v)
            except (TypeError, ValueError):
                continue
            same = abs(abs(v) - value) <= (0.01 * abs(v) if flow else 1e-6)
            if same and written and written in _norm(g.get("evidence")):
                tickers.add(str(g.get("ticker")).upper())
        if not tickers or not any(sym.upper() in tickers for sym, _ in pairs):
            continue
        X = [f for _, f in pairs]
        y = [1 if sym.upper() in tickers else 0 for sym, _ in pairs]
        chosen = next((i for i, f in enumerate(X) if f[ranker.FEATURES.index("rules_choice")] == 1.0), -1)
        rows.append((X, y, chosen))
    return rows


def top1(rows, model: ranker.Ranker | None) -> float:
    ok = 0
    for X, y, chosen in rows:
        if model is None:
            pick = chosen
        else:
            scores = [model.score(x) for x in X]
            pick = max(range(len(X)), key=lambda i: scores[i])
        ok += 1 if pick >= 0 and y[pick] == 1 else 0
    return ok / len(rows) if rows else 0.0


def fit(rows) -> ranker.Ranker:
    X = [x for r in rows for x in r[0]]
    y = [t for r in rows for t in r[1]]
    return ranker.train(X, y)


def score(corpus: Path, articles, model_for) -> dict:
    """Extract every article with the ranker ``model_for(stem)`` and score all of them."""
    return corpus_cv.score(corpus, articles, ranker.use, model_for, lambda: ranker.use(None))


def table(rules: dict, model: dict) -> str:
    lines = ["| | rules only | rules + model (cross-validated) |", "|---|---:|---:|"]
    for k in ("tickers", "flows", "returns", "quotes"):
        for m in ("precision", "recall", "f1"):
            lines.append(f"| {k} {m} | {rules[k][m]:.3f} | {model[k][m]:.3f} |")
    lines.append(f"| facts_f1 | {rules['facts_f1']:.4f} | {model['facts_f1']:.4f} |")
    lines.append(f"| exact windows | {rules['window_exact']['accuracy']} | {model['window_exact']['accuracy']} |")
    return "\n".join(lines)


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--corpus", type=Path, default=ROOT.parent / "shared" / "corpus-dev")
    ap.add_argument("--folds", type=int, default=5)
    ap.add_argument("--write", action="store_true", help="train on all articles and write extractor/models/attach-v1")
    args = ap.parse_args(argv)
    if not args.corpus.exists():
        print(f"{args.corpus} is missing: put ../shared beside the checkout", file=sys.stderr)
        return 2
    articles = corpus_cv.load(args.corpus)
    data = gather(articles)
    rows = {stem: label(args.corpus, stem, *data[stem]) for stem in data}
    n_rows = sum(len(r) for r in rows.values())
    print(f"{len(articles)} articles, {n_rows} labelled numbers, "
          f"{sum(len(x[0]) for r in rows.values() for x in r)} pairs")
    models = {}
    cv_top = {"rules": 0.0, "model": 0.0}
    held = []
    for f in range(args.folds):
        train_rows = [x for s, r in rows.items() if corpus_cv.fold_of(s, args.folds) != f for x in r]
        test_rows = [x for s, r in rows.items() if corpus_cv.fold_of(s, args.folds) == f for x in r]
        models[f] = fit(train_rows)
        held.append((test_rows, models[f]))
    n = sum(len(t) for t, _ in held)
    cv_top["rules"] = sum(top1(t, None) * len(t) for t, _ in held) / n
    cv_top["model"] = sum(top1(t, m) * len(t) for t, m in held) / n
    print(f"top-1 ticker on labelled numbers, cross-validated: rules {cv_top['rules']:.3f}, "
          f"model {cv_top['model']:.3f} ({n} numbers)")
    rules = score(args.corpus, articles, lambda stem: None)
    model = score(args.corpus, articles, lambda stem: models[corpus_cv.fold_of(stem, args.folds)])
    print(table(rules, model))
    better = model["facts_f1"] > rules["facts_f1"]
    print(f"{'the model' if better else 'the rules'} measured better: "
          f"facts_f1 {model['facts_f1']:.4f} vs {rules['facts_f1']:.4f}")
    if args.write:
        final = fit([x for r in rows.values() for x in r])
        out = ranker.MODEL_DIR
        out.mkdir(parents=True, exist_ok=True)
        (out / "model.json").write_text(json.dumps({**final.to_json(), "use": better,
                                                    "cv": {"folds": args.folds, "rules": rules["facts_f1"],
                                                           "model": model["facts_f1"],
                                                           "top1_rules": round(cv_top["rules"], 4),
                                                           "top1_model": round(cv_top["model"], 4)}},
                                                   indent=1) + "\n", encoding="utf-8")
        (out / "README.md").write_text(card(len(articles), n_rows, args.folds, cv_top, rules, model, better, final),
                                       encoding="utf-8")
        print(f"wrote {out}/model.json and README.md (use={better})")
    return 0


def card(n_articles, n_rows, folds, cv_top, rules, model, better, final) -> str:
    weights = "\n".join(f"| {name} | {w:+.3f} |" for name, w in zip(final.features, final.weights))
    return f"""# attach-v1: which ticker a number is about

A logistic ranker over the (number, ticker) pairs of a sentence
(`extractor/facts/ranker.py`), with the rules as candidate generator and their choice as
one feature among the rules' cues, distances and clause boundaries. {len(final.features)}
features, JSON weights, deterministic (Newton's method, no randomness).

## Data
The gold of `../shared/corpus-dev` ({n_articles} real articles, {n_rows} numbers whose gold
claim names a ticker among the sentence's): a pair is positive when a gold claim with that
number is about that ticker. Trained by `python training/attachment.py --write`.

## Measured: article-level cross-validation ({folds} folds by a hash of the article name)
Top-1 ticker on the labelled numbers: rules {cv_top['rules']:.3f}, model {cv_top['model']:.3f}.
Every fold extracted with a ranker that never saw its articles, scored by
`../shared/eval/score.py`:

{table(rules, model)}

Shipped with `use = {str(better).lower()}`: {'the model' if better else 'the rules'} measured better, so
{'extraction uses the model' if better else 'extraction keeps the rules; `EXTRACTOR_ATTACH=model` turns the model on'}.

## Weights
| feature | weight |
|---|---:|
{weights}
"""


if __name__ == "__main__":
    sys.exit(main())
