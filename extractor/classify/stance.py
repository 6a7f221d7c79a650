"""Per-ticker stance: what the article thinks of a ticker, and only when it does.

Three steps, each plain data:

1. **Mentions read in their clause.** A sentence naming two tickers is split at its
   clause breaks ("SPY gained while TLT fell"), and each mention takes the sentiment of
   its own clause, so the two get two stances; a sentence naming one ticker keeps the
   sentence's sentiment. The mention's local cue (a move verb right after it: "SPY
   gained") is kept beside it.
2. **Evidence per ticker**: those clause scores, the directions of its flows and
   returns (and of its first flow: the lead states the news, a later paragraph the
   history), its relevance (``relevance.py``), whether it is in the headline; and one
   article-level trait, its **opinion density** (words that take or report a view:
   "bullish", "bets", "fears", "benefit", "outlook" per 100 words). The corpus gold
   gives a stance where the article takes or reports a view; a data wrap or a flow
   table moves prices just as strongly but holds no view, so the same up or down
   mention weighs more in an opinionated article (feature ``opinion_x_entity``).
3. **A three-way decision** (bullish, bearish, none) by a softmax over those features,
   trained on the corpus gold (``training/stance.py``, article-level cross-validation,
   ``extractor/models/stance-v1`` with its card). No row below ``MIN_RELEVANCE`` or when neither
   side reaches ``MIN_CONFIDENCE``; the score is p(bullish) - p(bearish), so label and
   score always agree.

Without a trained model (``extractor/models/stance-v1/model.json`` missing) the same features go
through fixed weights that say what the old rule said (sentences plus facts), gated by
relevance.
"""
from __future__ import annotations

import json
import math
import re
from bisect import bisect_right
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from ..cues import cues

MODEL_DIR = Path(__file__).resolve().parents[1] / "models" / "stance-v1"
MIN_RELEVANCE = 20  # above a passing mention (relevance.PASSING, 15): else no stance row
MIN_CONFIDENCE = 0.4  # p(bullish) or p(bearish) below it: no row (chosen by cross-validation)
STANCE_CLASS_WEIGHT = 3.0  # a gold stance counts this much more than "none" in training
LABELS = ("bullish", "bearish", "none")
OPINION_PER_100_WORDS = 3.0  # opinion words per 100 words at which the density feature saturates (1.0)

# Words by which an article takes or reports a view (not plain moves: "fell 3%" is a
# fact a data wrap states without any view). Stems, matched as whole words.
_OPINION = re.compile(
    r"(?<![\w-])(?:bullish|bearish|bulls?|bears?|bet(?:s|ting)?|wager\w*|hopes?|hoping|fears?|feared|worr\w+|"
    r"concerns?|appeal\w*|attractive|benefit\w*|favou?r\w*|pressure\w*|upgrade\w*|downgrade\w*|outlook|"
    r"expect\w*|forecast\w*|predict\w*|caution\w*|cautious|optimis\w+|pessimis\w+|confiden\w+|recommend\w*|"
    r"overweight|underweight|sentiment|conviction|momentum|bottom\w*|capitulat\w*|appetite|demand|risks?|"
    r"headwinds?|tailwinds?|opportunit\w+|warn\w*|doubt\w*|bright|gloomy|somber|bleak|upside|downside)(?![\w-])",
    re.IGNORECASE)

_CLAUSE_BREAK = re.compile(r";|\s[—–]\s|\s--\s|,?\s(?:while|whereas|but|although|though|even as|as opposed to)\s|"
                           r",\s(?:and|with)\s", re.IGNORECASE)


def clauses(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """The clauses of the sentence text[start:end] (absolute offsets)."""
    out, pos = [], start
    for m in _CLAUSE_BREAK.finditer(text, start, end):
        if m.start() > pos:
            out.append((pos, m.start()))
        pos = m.end()
    if pos < end:
        out.append((pos, end))
    return out or [(start, end)]


@lru_cache(maxsize=1)
def _move_words() -> tuple[re.Pattern, frozenset[str]]:
    up, down = cues()["return_up"], cues()["return_down"]
    words = sorted(set(up) | set(down), key=len, reverse=True)
    rx = re.compile(r"(?<![\w-])(?:" + "|".join(re.escape(w) for w in words) + r")(?![\w-])", re.IGNORECASE)
    return rx, frozenset(w.lower() for w in down)


def local_cue(text: str, end: int, limit: int) -> int:
    """+1 / -1 for a move verb within a few words after a mention ("SPY gained 2%",
    "TLT, which fell"), 0 when none."""
    rx, down = _move_words()
    window = text[end:min(limit, end + 40)]
    m = rx.search(window)
    if m is None or re.search(r"[;.]", window[:m.start()]):
        return 0
    return -1 if m.group(0).lower() in down else 1


def opinion_density(text: str, body_start: int) -> float:
    """Opinion words per 100 words of the body, scaled to 0..1 (OPINION_PER_100_WORDS
    and above: 1). An article-level trait: a strategist piece or a "investors bet on"
    story scores high, a data wrap or a flow table low."""
    body = text[body_start:]
    words = max(1, len(body.split()))
    return min(1.0, 100.0 * len(_OPINION.findall(body)) / words / OPINION_PER_100_WORDS)


FEATURES = ("bias", "relevance", "clause_mean", "clause_max", "clause_min", "sentence_mean", "local_cue",
            "flows_net", "returns_net", "forecasts_net", "headline", "headline_score", "kind_index", "kind_fund",
            "kind_stock", "tickers_log", "wrap", "mentions_log", "quote_score", "entity_mean", "entity_max",
            "entity_min", "entity_neutral", "flow_first", "opinion", "opinion_x_entity")


@dataclass
class Evidence:
    """What the article gives about one ticker, before any decision."""

    ticker: str
    kind: str
    relevance: int
    mentions: int
    headline: bool
    clause_scores: list[float]
    sentence_scores: list[float]
    local_cues: list[int]
    headline_scores: list[float]
    flows_net: float
    returns_net: float
    forecasts_net: float
    quote_scores: list[float]
    best: tuple[int, int] | None  # span of the strongest clause
    best_score: float = 0.0  # the strongest clause's score
    entity_scores: list[float] = field(default_factory=list)   # the classifier's entity head, per mention
    entity_neutral: list[float] = field(default_factory=list)
    flow_first: int = 0  # +1 / -1: the direction of its first flow in the text, 0 without flows
    opinion: float = 0.0  # the article's opinion density (``opinion_density``)

    def features(self, n_tickers: int, wrap: float) -> list[float]:
        cs = self.clause_scores or [0.0]
        ss = self.sentence_scores or [0.0]
        hs = self.headline_scores or [0.0]
        qs = self.quote_scores or [0.0]
        es = self.entity_scores or [0.0]
        en = self.entity_neutral or [1.0]
        return [
            1.0,
            self.relevance / 100.0,
            sum(cs) / len(cs),
            max(cs),
            min(cs),
            sum(ss) / len(ss),
            max(-1.0, min(1.0, sum(self.local_cues) / 3.0)),
            math.tanh(self.flows_net / 2.0),
            math.tanh(self.returns_net / 2.0),
            math.tanh(self.forecasts_net / 2.0),
            1.0 if self.headline else 0.0,
            sum(hs) / len(hs),
            1.0 if self.kind == "index" else 0.0,
            1.0 if self.kind in ("etf", "etn", "fund") else 0.0,
            1.0 if self.kind == "stock" else 0.0,
            math.log1p(n_tickers) / 3.0,
            wrap,
            math.log1p(self.mentions) / 3.0,
            sum(qs) / len(qs),
            sum(es) / len(es),
            max(es),
            min(es),
            sum(en) / len(en),
            float(self.flow_first),
            self.opinion,
            self.opinion * sum(es) / len(es),
        ]


@dataclass(frozen=True)
class StanceModel:
    """Softmax weights: one row per label of LABELS, one column per FEATURES."""

    weights: tuple[tuple[float, ...], ...]
    version: str = "stance-v1"
    min_relevance: int = MIN_RELEVANCE
    min_confidence: float = MIN_CONFIDENCE  # p(bullish) or p(bearish) needed for a row

    def probs(self, x: list[float]) -> list[float]:
        z = [sum(w * v for w, v in zip(row, x)) for row in self.weights]
        top = max(z)
        e = [math.exp(v - top) for v in z]
        s = sum(e)
        return [v / s for v in e]

    def to_json(self) -> dict:
        return {"version": self.version, "labels": list(LABELS), "features": list(FEATURES),
                "weights": [list(r) for r in self.weights], "min_relevance": self.min_relevance,
                "min_confidence": self.min_confidence}

    @classmethod
    def from_json(cls, d: dict) -> "StanceModel":
        if tuple(d["features"]) != FEATURES or tuple(d["labels"]) != LABELS:
            raise ValueError("the stance model's features differ from this version's; retrain it with "
                             "`python training/stance.py --write`")
        return cls(tuple(tuple(float(v) for v in r) for r in d["weights"]), d.get("version", "stance-v1"),
                   int(d.get("min_relevance", MIN_RELEVANCE)), float(d.get("min_confidence", MIN_CONFIDENCE)))


def rule_model() -> StanceModel:
    """The old rule as weights (sentences and facts summed; no "none" preference beyond
    a margin): used when no trained model is shipped."""
    bull = [0.0] * len(FEATURES)
    bear = [0.0] * len(FEATURES)
    none = [0.0] * len(FEATURES)
    for name, w in (("clause_mean", 3.0), ("flows_net", 1.5), ("returns_net", 1.5), ("local_cue", 1.0)):
        bull[FEATURES.index(name)] = w
        bear[FEATURES.index(name)] = -w
    none[0] = 1.0
    return StanceModel((tuple(bull), tuple(bear), tuple(none)), "rules", MIN_RELEVANCE, 0.5)


def train_softmax(X: list[list[float]], y: list[int], l2: float = 1.0, iterations: int = 400,
                  rate: float = 0.5, class_weight: float = STANCE_CLASS_WEIGHT) -> StanceModel:
    """Multinomial logistic regression by full-batch gradient descent (deterministic);
    rows with a stance weigh ``class_weight`` times a "none" row."""
    import numpy as np

    A = np.asarray(X, dtype=float)
    Y = np.zeros((len(y), len(LABELS)))
    Y[np.arange(len(y)), y] = 1.0
    sw = np.where(np.asarray(y) < 2, class_weight, 1.0)[:, None]
    W = np.zeros((len(LABELS), A.shape[1]))
    reg = np.full(A.shape[1], l2)
    reg[0] = 0.0
    n = max(1, len(y))
    for _ in range(iterations):
        Z = A @ W.T
        Z -= Z.max(axis=1, keepdims=True)
        P = np.exp(Z)
        P /= P.sum(axis=1, keepdims=True)
        G = ((P - Y) * sw).T @ A / n + W * reg / n
        W -= rate * G
    return StanceModel(tuple(tuple(round(float(v), 6) for v in row) for row in W))


_active: list[StanceModel | None] = []


def use(model: StanceModel | None) -> None:
    """Make ``model`` the one extraction uses (None: the rule weights)."""
    _active[:] = [model]


@lru_cache(maxsize=1)
def _shipped() -> StanceModel | None:
    path = MODEL_DIR / "model.json"
    if not path.exists():
        return None
    return StanceModel.from_json(json.loads(path.read_text(encoding="utf-8")))


def active() -> StanceModel:
    if _active:
        return _active[0] or rule_model()
    return _shipped() or rule_model()


_collector: list | None = None


def collect(into: list | None) -> None:
    """Record every ticker's features into ``into`` (training)."""
    global _collector
    _collector = into


def collecting() -> bool:
    """Whether features are being recorded: then every ticker's evidence counts, the
    ones below the relevance gate too, and no classification may be skipped."""
    return _collector is not None


def gather(text: str, sents: list, refs: list, kinds: dict[str, str], rel: dict, preds: dict,
           clause_preds: dict, flows, returns, quotes, title_end: int, entity: dict | None = None) -> list[Evidence]:
    """The evidence for every ticker the article refers to. ``entity``: the classifier's
    stance on each reference span (negative/neutral/positive probabilities), when its
    model has the entity head; without it a mention's clause score stands in."""
    entity = entity or {}
    starts = [s.start_char for s in sents]
    by: dict[str, Evidence] = {}
    for r in refs:
        ev = by.get(r.symbol)
        if ev is None:
            t = rel.get(r.symbol)
            ev = by[r.symbol] = Evidence(r.symbol, kinds.get(r.symbol, r.kind), t.relevance if t else 0,
                                         0, bool(t and t.headline), [], [], [], [], 0.0, 0.0, 0.0, [], None)
        ev.mentions += 1
        i = bisect_right(starts, r.start) - 1
        if i < 0 or not (sents[i].start_char <= r.start < sents[i].end_char):
            continue
        s = sents[i]
        sent_score = preds.get(s.start_char, (None, 0.0))[1]
        clause = next(((a, b) for a, b in clause_preds.get(s.start_char, {}) if a <= r.start < b), None)
        score = clause_preds[s.start_char][clause][1] if clause is not None else sent_score
        if r.start < title_end:
            ev.headline_scores.append(score)
            continue
        ev.sentence_scores.append(sent_score)
        ev.clause_scores.append(score)
        probs = entity.get((r.start, r.end))
        if probs:
            ev.entity_scores.append(probs.get("positive", 0.0) - probs.get("negative", 0.0))
            ev.entity_neutral.append(probs.get("neutral", 0.0))
        else:
            ev.entity_scores.append(score)
            ev.entity_neutral.append(1.0 - abs(score))
        ev.local_cues.append(local_cue(text, r.end, (clause or (s.start_char, s.end_char))[1]))
        if ev.best is None or abs(score) > abs(ev.best_score):
            ev.best, ev.best_score = clause or (s.start_char, s.end_char), score
    for f in sorted(flows, key=lambda f: f.start):
        if f.ticker in by:
            sign = 1 if f.direction == "inflow" else -1
            by[f.ticker].flows_net += sign
            by[f.ticker].flow_first = by[f.ticker].flow_first or sign
    for r in returns:
        if r.ticker in by:
            if r.kind == "forecast":
                by[r.ticker].forecasts_net += 1 if r.value_pct > 0 else -1
            else:
                by[r.ticker].returns_net += 1 if r.value_pct > 0 else -1
    stance_of = {"bullish": 1.0, "bearish": -1.0}
    for q in quotes:
        if q.stance in stance_of:
            near = [r.symbol for r in refs if q.start - 300 <= r.start <= q.end + 300]
            for sym in set(near):
                by[sym].quote_scores.append(stance_of[q.stance])
    opinion = opinion_density(text, title_end)
    for ev in by.values():
        ev.opinion = opinion
    return list(by.values())


def decide(evidence: list[Evidence], n_returns: int, n_sentences: int) -> Iterator[tuple[Evidence, str, float]]:
    """(evidence, label, score) for the tickers that get a stance row."""
    model = active()
    wrap = min(1.0, n_returns / max(1, n_sentences))  # a data wrap: many moves, little else
    n = len(evidence)
    for ev in evidence:
        x = ev.features(n, wrap)
        if _collector is not None:
            _collector.append((ev.ticker, x))
        if ev.relevance < model.min_relevance or not ev.clause_scores:
            continue
        p = model.probs(x)
        k = 0 if p[0] >= p[1] else 1
        if p[k] < model.min_confidence:
            continue  # "none" holds too much of the probability: the article takes no side
        yield ev, LABELS[k], round(p[0] - p[1], 3)
