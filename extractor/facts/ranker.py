"""The learned ticker ranker: which of its sentence's tickers a number is about.

The rules in ``attach`` choose one ticker per number and are kept as the candidate
generator; this module turns every (number, ticker) pair of a sentence into features
(the rules' own cues, distances and clause boundaries, and the rules' choice) and a
logistic model scores them; the best-scoring ticker wins. The weights are a small JSON
file (``extractor/models/attach-v1/model.json``, with its card), trained on the gold of
``../shared/corpus-dev`` by ``training/attachment.py`` and measured there by
article-level cross-validation. Deterministic: no randomness in training or use.

Whether the model is used is decided by what measured better (the card says which):
``EXTRACTOR_ATTACH=rules`` forces the rules, ``EXTRACTOR_ATTACH=model`` the model.
"""
from __future__ import annotations

import json
import math
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from .. import settings
from ..references import Ref
from .candidates import RELATIVE, Candidate

MODEL_DIR = Path(__file__).resolve().parents[1] / "models" / "attach-v1"

FEATURES = (
    "bias", "before", "log_distance", "same_clause", "refs_between", "rules_choice", "nearest_before",
    "nearest_after", "in_relative_clause", "in_aside", "owner_of_members", "helped_by_move", "preposition_after",
    "for_of_after", "kind_index", "kind_fund", "kind_stock", "kind_unknown", "anaphor", "sentence_subject",
    "move_cue_between", "commas_between", "speech_verb_between", "flow_number", "possessive",
    "in_parentheses", "coordinated_with_choice",
)

_MOVE_HINT = re.compile(r"\b(?:rose|fell|gained|lost|up|down|jumped|slid|climbed|dropped|rallied|declined|"
                        r"surged|plunged|added|shed|tumbled|soared|sank|advanced|slipped|returned)\b", re.IGNORECASE)
_SPEECH = re.compile(r"\b(?:said|says|according to|wrote|noted|told)\b", re.IGNORECASE)
def pair_features(c: Candidate, r: Ref, in_sent: list[Ref], lo: int, hi: int, text: str,
                  chosen: Ref | None, flow: bool) -> list[float]:
    """The features of "number ``c`` is about ticker ``r``" (names in FEATURES), read with
    the rules' own cue patterns (``attach``)."""
    from .attach import _ASIDE, _FOR_OF, _HELPED, _PREP, MEMBERS_OF

    sent = c.sent
    before = r.end <= c.start
    a, b = (r.end, c.start) if before else (c.end, r.start)
    between = text[a:b] if b > a else ""
    dist = max(0, b - a)
    lefts = [x for x in in_sent if x.end <= c.start]
    rights = [x for x in in_sent if x.start >= c.end]
    n_between = len({x.symbol for x in in_sent if a <= x.start and x.end <= b and x.symbol != r.symbol})
    masked = [(sent.start_char + m.start(), sent.start_char + m.end()) for m in RELATIVE.finditer(sent.text)]
    asides = [(sent.start_char + m.start(), sent.start_char + m.end()) for m in _ASIDE.finditer(sent.text)]
    parens = [(sent.start_char + m.start(), sent.start_char + m.end()) for m in re.finditer(r"\([^()]{0,80}\)", sent.text)]
    kind = r.kind
    first = in_sent[0] if in_sent else None
    coord = chosen is not None and chosen.symbol != r.symbol and bool(re.fullmatch(
        r"[\s,)(]*(?:and|&|or)\s(?:the\s)?[^,;.]{0,40}", text[min(r.end, chosen.end):max(r.start, chosen.start)]))
    return [
        1.0,
        1.0 if before else 0.0,
        math.log1p(dist) / 5.0,
        1.0 if lo <= r.start and r.end <= hi else 0.0,
        min(n_between, 3) / 3.0,
        1.0 if chosen is not None and chosen.symbol == r.symbol else 0.0,
        1.0 if lefts and lefts[-1] is r else 0.0,
        1.0 if rights and rights[0] is r else 0.0,
        1.0 if any(x <= r.start < y for x, y in masked) else 0.0,
        1.0 if any(x <= r.start < y for x, y in asides) else 0.0,
        1.0 if MEMBERS_OF.match(text, r.end) else 0.0,
        1.0 if not before and _HELPED.search(between) else 0.0,
        1.0 if not before and _PREP.match(between) else 0.0,
        1.0 if not before and _FOR_OF.fullmatch(between) else 0.0,
        1.0 if kind == "index" else 0.0,
        1.0 if kind in ("etf", "etn", "fund") else 0.0,
        1.0 if kind == "stock" else 0.0,
        1.0 if kind not in ("index", "etf", "etn", "fund", "stock") else 0.0,
        1.0 if r.anaphor else 0.0,
        1.0 if first is not None and first.symbol == r.symbol else 0.0,
        1.0 if _MOVE_HINT.search(between) else 0.0,
        min(between.count(","), 3) / 3.0,
        1.0 if _SPEECH.search(between) else 0.0,
        1.0 if flow else 0.0,
        1.0 if re.match(r"['’]s\b", text[r.end:r.end + 3]) else 0.0,
        1.0 if any(x <= r.start < y for x, y in parens) else 0.0,
        1.0 if coord else 0.0,
    ]


@dataclass(frozen=True)
class Ranker:
    """A logistic scorer over FEATURES."""

    weights: tuple[float, ...]
    features: tuple[str, ...] = FEATURES
    version: str = "attach-v1"

    def score(self, x: list[float]) -> float:
        z = sum(w * v for w, v in zip(self.weights, x))
        return 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, z))))

    def to_json(self) -> dict:
        return {"version": self.version, "features": list(self.features), "weights": list(self.weights)}

    @classmethod
    def from_json(cls, d: dict) -> "Ranker":
        if tuple(d["features"]) != FEATURES:
            raise ValueError("the ranker's features differ from this version's; retrain it with "
                             "`python training/attachment.py`")
        return cls(tuple(float(w) for w in d["weights"]), tuple(d["features"]), d.get("version", "attach-v1"))


def train(X: list[list[float]], y: list[int], l2: float = 1.0, iterations: int = 60) -> Ranker:
    """Logistic regression by Newton's method (deterministic, a few ms on the corpus)."""
    import numpy as np

    A = np.asarray(X, dtype=float)
    t = np.asarray(y, dtype=float)
    w = np.zeros(A.shape[1])
    reg = np.full(A.shape[1], l2)
    reg[0] = 0.0  # the bias is not shrunk
    for _ in range(iterations):
        p = 1.0 / (1.0 + np.exp(-np.clip(A @ w, -30, 30)))
        grad = A.T @ (p - t) + reg * w
        H = (A * (p * (1 - p))[:, None]).T @ A + np.diag(reg + 1e-9)
        step = np.linalg.solve(H, grad)
        w -= step
        if np.max(np.abs(step)) < 1e-8:
            break
    return Ranker(tuple(round(float(v), 6) for v in w))


_active: list[Ranker | None] = []  # set by use(); empty: decide from the environment and the card


def use(ranker: Ranker | None) -> None:
    """Make ``ranker`` the one extraction uses (None: the rules alone)."""
    _active[:] = [ranker]


@lru_cache(maxsize=1)
def _shipped() -> Ranker | None:
    path = MODEL_DIR / "model.json"
    if not path.exists():
        return None
    d = json.loads(path.read_text(encoding="utf-8"))
    if not d.get("use", False) and str(settings.get("attach") or "").lower() != "model":
        return None  # the card's measurement chose the rules
    return Ranker.from_json(d)


def active() -> Ranker | None:
    if _active:
        return _active[0]
    if str(settings.get("attach") or "").lower() == "rules":
        return None
    return _shipped()


# Training data is gathered while extracting: each number's candidate pairs.
_collector: list[list] | None = None


def collect(into: list | None) -> None:
    """Record every ranked number's pairs into ``into`` (None stops)."""
    global _collector
    _collector = into


def rank(c: Candidate, in_sent: list[Ref], lo: int, hi: int, text: str, chosen: Ref | None,
         flow: bool) -> tuple[Ref | None, str | None]:
    """The model's pick among the sentence's tickers, and why; (chosen, None) when no
    model is active or it agrees with the rules."""
    model = active()
    if not in_sent or (model is None and _collector is None):
        return chosen, None
    uniq: list[Ref] = []
    for r in in_sent:
        if r.start == c.start:
            continue
        uniq.append(r)
    feats = [pair_features(c, r, in_sent, lo, hi, text, chosen, flow) for r in uniq]
    if _collector is not None:
        _collector.append([(c.start, c.end, c.value, flow), [(r.symbol, f) for r, f in zip(uniq, feats)]])
    if model is None or not uniq:
        return chosen, None
    scores = [model.score(f) for f in feats]
    best = max(range(len(uniq)), key=lambda i: (scores[i], -abs(uniq[i].start - c.start)))
    pick = uniq[best]
    if chosen is not None and pick.symbol == chosen.symbol:
        return chosen, None
    if chosen is None and scores[best] < 0.5:
        return None, None
    return pick, f"the attachment model ({model.version}) scores {pick.symbol} {scores[best]:.2f}" + (
        f" over the rules' {chosen.symbol}" if chosen is not None else "")
