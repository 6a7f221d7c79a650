#!/usr/bin/env python
"""Do the extracted flows and returns sit on numbers that really are flows and returns?

Runs the whole extractor over the held-out role passages (training/roles/heldout.jsonl,
never trained on; each passage as one article dated 2024-06-14), once with the
classifier and once with the lexicon (rules only), and scores every extracted flow and
return against the hand-labelled role of the number it was built from:

- precision: extracted flows whose own number (the labelled span inside the fact's
  evidence with the fact's value) is labelled ``flow``; extracted returns whose number
  is labelled ``return`` or ``forecast``. Many passages name no ticker, so the runs
  find few facts; compare the two runs, not the totals.

    python bench/role_precision.py
"""
from __future__ import annotations

import os
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def run(mode: str) -> dict[str, tuple[int, int, int]]:
    os.environ["EXTRACTOR_CLASSIFIER"] = mode
    from extractor.classify import set_default_classifier
    from extractor.classify.data import read_roles_jsonl
    from extractor.normalize.amount import find_money, find_percents
    from extractor.pipeline import article_from_text, extract_articles

    set_default_classifier(None)
    examples = read_roles_jsonl(ROOT / "training" / "roles" / "heldout.jsonl", split="test")
    header = "date 2024-06-14\n\n"
    articles = [article_from_text(header + e.text, path=f"heldout:{i}") for i, e in enumerate(examples)]
    counts = {"flows": [0, 0, 0], "returns": [0, 0, 0]}  # tp, predicted, gold
    wanted = {"flows": ("flow",), "returns": ("return", "forecast")}
    for e, facts in zip(examples, extract_articles(articles)):
        spans = [(s + len(header), t + len(header), r) for s, t, r in e.roles]
        text = facts.article.text
        for kind in ("flows", "returns"):
            for f in getattr(facts, kind):
                # the labelled number the fact was built from: inside its evidence, same value
                value = f.amount_usd if kind == "flows" else abs(f.value_pct)
                finder = find_money if kind == "flows" else find_percents
                hits = [sp for sp in spans if f.start <= sp[0] and sp[1] <= f.end and
                        any(abs(abs(q.value) - value) <= 1e-6 * max(1.0, value) for q in finder(text[sp[0]:sp[1]]))]
                counts[kind][1] += 1
                if any(sp[2] in wanted[kind] for sp in hits):
                    counts[kind][0] += 1
            counts[kind][2] += sum(1 for sp in spans if sp[2] in wanted[kind])
    return {k: tuple(v) for k, v in counts.items()}


def main() -> None:
    print(f"{'run':<10} {'kind':<8} {'precision':>9} {'tp/pred':>9}")
    for mode in ("lexicon", "model"):
        for kind, (tp, pred, gold) in run(mode).items():
            p = tp / pred if pred else 0.0
            print(f"{mode:<10} {kind:<8} {p:>9.3f} {f'{tp}/{pred}':>9}   (gold numbers {gold})")


if __name__ == "__main__":
    main()
