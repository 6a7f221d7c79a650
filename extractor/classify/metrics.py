"""Accuracy and macro-F1 of a classifier folder on labelled examples (no torch).

``extractor evaluate`` prints these; ``extractor train`` writes the same table into the
model card, so the card always shows what the shipped (int8) model does.
"""
from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

from .data import Example

# Published PhraseBank accuracies the issue compares against (all agreement levels).
PUBLISHED = {"FinBERT (110M params)": 0.86, "FinGPT": 0.882}


@dataclass(frozen=True)
class Score:
    task: str       # e.g. "sentiment:phrasebank", "roles:heldout"
    split: str
    n: int
    accuracy: float
    macro_f1: float
    per_label: dict[str, float]  # F1 per label


def score(task: str, split: str, gold: Sequence[str], pred: Sequence[str], labels: Sequence[str]) -> Score:
    tp: dict[str, int] = defaultdict(int)
    fp: dict[str, int] = defaultdict(int)
    fn: dict[str, int] = defaultdict(int)
    for g, p in zip(gold, pred):
        if g == p:
            tp[g] += 1
        else:
            fp[p] += 1
            fn[g] += 1
    f1s = {}
    for label in labels:
        if tp[label] + fp[label] + fn[label] == 0:
            continue  # a label absent from both: not part of the macro average
        prec = tp[label] / (tp[label] + fp[label]) if tp[label] + fp[label] else 0.0
        rec = tp[label] / (tp[label] + fn[label]) if tp[label] + fn[label] else 0.0
        f1s[label] = 2 * prec * rec / (prec + rec) if prec + rec else 0.0
    n = len(gold)
    acc = sum(tp.values()) / n if n else 0.0
    macro = sum(f1s.values()) / len(f1s) if f1s else 0.0
    return Score(task, split, n, round(acc, 4), round(macro, 4), {k: round(v, 4) for k, v in f1s.items()})


def evaluate(clf, examples: Sequence[Example], split: str = "test") -> list[Score]:
    """Sentiment scores per source and role scores per source, on one split."""
    chosen = [e for e in examples if e.split == split]
    entity_labels = tuple(getattr(clf, "entity_labels", ()) or ())
    preds = clf.analyze([(e.text, [(s, t) for s, t, _ in e.roles], [(s, t) for s, t, _ in e.entities])
                         if entity_labels and e.entities else (e.text, [(s, t) for s, t, _ in e.roles])
                         for e in chosen])
    by_source: dict[str, tuple[list[str], list[str]]] = defaultdict(lambda: ([], []))
    by_role_source: dict[str, tuple[list[str], list[str]]] = defaultdict(lambda: ([], []))
    by_entity: dict[str, tuple[list[str], list[str]]] = defaultdict(lambda: ([], []))
    for e, p in zip(chosen, preds):
        if e.sentiment:
            for key in (e.source, *((f"{e.source}@{e.meta['agreement']}",) if e.meta.get("agreement") else ())):
                g, q = by_source[key]  # PhraseBank also per agreement tier (100/75/66/50)
                g.append(e.sentiment)
                q.append(p.sentiment)
        for (_, _, stance), probs in zip(e.entities, getattr(p, "entity_probs", ()) or ()):
            if probs:
                g, q = by_entity[e.source]
                g.append(stance)
                q.append(entity_labels[max(range(len(probs)), key=probs.__getitem__)])
        for (_, _, role), (pred_role, _) in zip(e.roles, p.roles):
            g, q = by_role_source[e.source]
            g.append(role)
            q.append(pred_role)
    out = [score(f"sentiment:{src}", split, g, q, clf.sentiment_labels) for src, (g, q) in sorted(by_source.items())]
    out += [score(f"roles:{src}", split, g, q, clf.role_labels) for src, (g, q) in sorted(by_role_source.items())]
    out += [score(f"entity:{src}", split, g, q, entity_labels) for src, (g, q) in sorted(by_entity.items())]
    return out


def table(scores: Sequence[Score]) -> str:
    rows = [f"| {'task':<24} | {'split':<5} | {'n':>5} | accuracy | macro-F1 |",
            f"|{'-' * 26}|{'-' * 7}|{'-' * 7}|----------|----------|"]
    for s in scores:
        rows.append(f"| {s.task:<24} | {s.split:<5} | {s.n:>5} | {s.accuracy:>8.3f} | {s.macro_f1:>8.3f} |")
    return "\n".join(rows)
