"""Train and measure the per-ticker stance model (extractor/classify/stance.py).

    python training/stance.py [--corpus ../shared/corpus-dev] [--folds 5] [--write]
    python training/stance.py --finentity [--data ../shared/data]

1. Extracts every article of the corpus, recording each ticker's stance features.
2. Labels them from the article's gold: bullish, bearish, or none (neutral or absent).
3. Article-level cross-validation: each fold is extracted with a model trained on the
   other folds only; the folds together are scored by ../shared/eval/score.py beside
   the rule weights on the same articles.
4. --write trains on every article and writes extractor/models/stance-v1/model.json and its card.

--finentity scores the mention-level part on FinEntity's test split (never trained
on): each entity span read in its clause, labelled by a softmax over the clause
score and the local cue trained on its train split (dev to choose nothing: the
settings are fixed). Micro-F1 over mentions (every mention gets a label).
"""
from __future__ import annotations

import argparse
import csv
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))

import corpus_cv  # noqa: E402  (training/corpus_cv.py)
from extractor.classify import stance  # noqa: E402
from extractor.pipeline import extract_articles  # noqa: E402

LABEL_INDEX = {"bullish": 0, "bearish": 1}


def fold_of(name: str, folds: int) -> int:
    return corpus_cv.fold_of(name, folds, salt="stance:")  # its own folds, apart from the ranker's


def gather(corpus: Path, articles) -> dict[str, list[tuple[list[float], int]]]:
    out = {}
    stance.use(None)
    for a in articles:
        rec: list = []
        stance.collect(rec)
        next(extract_articles([a]))
        stance.collect(None)
        stem = Path(a.path).stem
        gold = {str(s["ticker"]).upper(): s["label"] for s in json.loads(
            (corpus / f"{stem}.json").read_text(encoding="utf-8")).get("sentiment", [])}
        out[stem] = [(x, LABEL_INDEX.get(gold.get(t.upper()), 2)) for t, x in rec]
    stance._active.clear()
    return out


def fit(rows) -> stance.StanceModel:
    return stance.train_softmax([x for x, _ in rows], [y for _, y in rows])


def score(corpus: Path, articles, model_for) -> dict:
    return corpus_cv.score(corpus, articles, stance.use, model_for, stance._active.clear)


def finentity(data: Path) -> dict:
    """Mention-level micro-F1 on FinEntity test: clause score + local cue -> softmax."""
    from extractor.classify import default_classifier

    rows = list(csv.DictReader((data / "finentity" / "DATASET.csv").open(encoding="utf-8")))
    clf = default_classifier()
    labels = ("positive", "negative", "neutral")

    def feats(split):
        items = [r for r in rows if r["eval_split"] == split]
        texts, spans = [], []
        for r in items:
            text, a, b = r["text"], int(r["start"]), int(r["end"])
            # the sentence, then the clause, around the mention
            s0 = max(text.rfind(". ", 0, a) + 2 if text.rfind(". ", 0, a) >= 0 else 0, 0)
            e0 = text.find(". ", b)
            e0 = len(text) if e0 < 0 else e0 + 1
            clause = next(((x, y) for x, y in stance.clauses(text, s0, e0) if x <= a < y), (s0, e0))
            texts.append(text[clause[0]:clause[1]])
            spans.append((text, a, b, clause, (s0, e0)))
        preds = clf.predict(texts)
        sent_preds = clf.predict([t[s[0]:s[1]] for t, _, _, _, s in spans])
        X = []
        for (text, a, b, clause, sent), (lab, sc), (slab, ssc) in zip(spans, preds, sent_preds):
            cue = stance.local_cue(text, b, clause[1])
            n_ent = sum(1 for r in items if r["text"] == text)
            X.append([1.0, sc, 1.0 if lab == "positive" else 0.0, 1.0 if lab == "negative" else 0.0, ssc,
                      float(cue), 1.0 if cue == 0 else 0.0, min(n_ent, 6) / 6.0,
                      1.0 if a - clause[0] < 3 else 0.0, abs(sc)])
        return X, [labels.index(r["label"]) for r in items]

    Xtr, ytr = feats("train")
    Xte, yte = feats("test")
    # the stance model's trainer: its three rows are (positive, negative, neutral) here
    import numpy as np

    model = stance.train_softmax(Xtr, ytr, iterations=600, class_weight=1.0)
    W = np.asarray(model.weights)
    pred = (np.asarray(Xte) @ W.T).argmax(axis=1)
    base = [2 if abs(x[1]) < 0.35 else (0 if x[1] > 0 else 1) for x in Xte]
    acc = float((pred == np.asarray(yte)).mean())
    per = {labels[k]: round(float(((pred == k) & (np.asarray(yte) == k)).sum() / max(1, (np.asarray(yte) == k).sum())), 3)
           for k in range(3)}
    return {"mentions": len(yte), "micro_f1": round(acc, 4),
            "clause_score_only": round(sum(int(p == t) for p, t in zip(base, yte)) / len(yte), 4),
            "recall_per_label": per}


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--corpus", type=Path, default=ROOT.parent / "shared" / "corpus-dev")
    ap.add_argument("--data", type=Path, default=ROOT.parent / "shared" / "data")
    ap.add_argument("--folds", type=int, default=5)
    ap.add_argument("--write", action="store_true")
    ap.add_argument("--finentity", action="store_true")
    args = ap.parse_args(argv)
    if args.finentity:
        print(json.dumps(finentity(args.data), indent=1))
        return 0
    articles = corpus_cv.load(args.corpus)
    data = gather(args.corpus, articles)
    n = sum(len(v) for v in data.values())
    print(f"{len(articles)} articles, {n} (article, ticker) rows, "
          f"{sum(1 for v in data.values() for _, y in v if y < 2)} with a gold stance")
    models = {f: fit([r for s, v in data.items() if fold_of(s, args.folds) != f for r in v])
              for f in range(args.folds)}
    rules = score(args.corpus, articles, lambda s: None)
    cv = score(args.corpus, articles, lambda s: models[fold_of(s, args.folds)])
    for name, s in (("rule weights", rules), ("model, cross-validated", cv)):
        t = s["sentiment"]
        print(f"{name:24} sentiment P {t['precision']:.3f} R {t['recall']:.3f} F1 {t['f1']:.3f} "
              f"({t['tp']}/{t['gold']}/{t['pred']}); facts_f1 {s['facts_f1']}")
    if args.write:
        final = fit([r for v in data.values() for r in v])
        stance.MODEL_DIR.mkdir(parents=True, exist_ok=True)
        (stance.MODEL_DIR / "model.json").write_text(json.dumps({**final.to_json(), "cv": {
            "folds": args.folds, "rules": rules["sentiment"], "model": cv["sentiment"]}}, indent=1) + "\n",
            encoding="utf-8")
        (stance.MODEL_DIR / "README.md").write_text(card(len(articles), n, args.folds, rules, cv, final),
                                                    encoding="utf-8")
        print(f"wrote {stance.MODEL_DIR}/model.json and README.md")
    return 0


def card(n_articles, n_rows, folds, rules, cv, final) -> str:
    r, m = rules["sentiment"], cv["sentiment"]
    weights = "\n".join(f"| {f} | " + " | ".join(f"{row[i]:+.3f}" for row in final.weights) + " |"
                        for i, f in enumerate(stance.FEATURES))
    return f"""# stance-v1: what an article thinks of a ticker

A softmax over bullish / bearish / none per (article, ticker), from the evidence
`extractor/classify/stance.py` gathers: each mention's clause score from the shipped
sentence classifier (a sentence naming two tickers is read clause by clause), the
mention's local move cue, the ticker's flows (their net count and the direction of the
first one: the lead states the news) and returns, quotes near it, its relevance (0-100)
and headline, and the article's opinion density (words that take or report a view, per
100 words; alone and times the entity stance, since a data wrap moves prices as strongly
as a view but holds none). No row below relevance {final.min_relevance} or when neither
side reaches p {final.min_confidence}; the score is p(bullish) - p(bearish).

## Data
The sentiment gold of `../shared/corpus-dev` ({n_articles} articles, {n_rows} (article,
ticker) rows; a ticker without a gold stance is "none"). Trained by
`python training/stance.py --write`; deterministic (full-batch gradient descent).

## Measured: article-level cross-validation ({folds} folds)
| | precision | recall | F1 |
|---|---:|---:|---:|
| rule weights | {r['precision']:.3f} | {r['recall']:.3f} | {r['f1']:.3f} |
| model (each fold trained without its articles) | {m['precision']:.3f} | {m['recall']:.3f} | {m['f1']:.3f} |

## Weights (bullish | bearish | none)
| feature | bullish | bearish | none |
|---|---:|---:|---:|
{weights}
"""


if __name__ == "__main__":
    sys.exit(main())
