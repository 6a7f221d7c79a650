"""The trained classifier at run time: onnxruntime + tokenizers, no torch.

One forward pass of the encoder serves both jobs: the sentence head gives
negative/neutral/positive, the token head gives a role distribution for every token;
a number's role is the mean of its tokens' role logits (the head is linear, so this is
the same as classifying the mean of their embeddings, which is how it was trained).

A model folder holds ``model.onnx``, ``tokenizer.json`` and ``labels.json``.
"""
from __future__ import annotations

import json
import os
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np

from ..errors import ModelMissing

MODEL_FILES = ("model.onnx", "tokenizer.json", "labels.json")
REBUILD = ("rebuild it with `extractor train` (see extractor/models/minilm-finance/README.md) or point "
           "EXTRACTOR_MODEL at a model folder")


@dataclass(frozen=True)
class Prediction:
    sentiment: str            # negative | neutral | positive
    score: float              # p(positive) - p(negative), in [-1, 1]
    probs: tuple[float, ...]  # over labels.sentiment
    roles: tuple[tuple[str, float], ...]  # per requested span: (role, probability)
    role_probs: tuple[tuple[float, ...], ...] = ()
    entity_probs: tuple[tuple[float, ...], ...] = ()  # per requested entity span, over labels.entity_stance


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip()
    return (text.splitlines()[0] if text else type(exc).__name__)[:200]


def default_model_dir() -> Path:
    """EXTRACTOR_MODEL, else ``extractor/models/minilm-finance`` beside the package."""
    from .. import settings

    configured = settings.get("model")
    if configured:
        return Path(str(configured))
    return Path(__file__).resolve().parents[1] / "models" / "minilm-finance"


def _softmax(x: np.ndarray) -> np.ndarray:
    x = x - x.max(axis=-1, keepdims=True)
    e = np.exp(x)
    return e / e.sum(axis=-1, keepdims=True)


def token_spans(offsets: Sequence[tuple[int, int]], start: int, end: int) -> list[int]:
    """Indices of the (non-special) tokens that overlap the character span."""
    return [i for i, (a, b) in enumerate(offsets) if b > a and a < end and b > start]


class TransformerClassifier:
    """Sentence sentiment and number roles from an exported model folder."""

    def __init__(self, path: str | Path, *, threads: int | None = None, per_sentence: bool | None = None):
        self.path = Path(path)
        missing = [f for f in MODEL_FILES if not (self.path / f).is_file()]
        if missing:
            raise ModelMissing(f"{self.path}: no classifier here (missing {', '.join(missing)}); {REBUILD}")
        import onnxruntime as ort
        from tokenizers import Tokenizer

        self.labels = self._read_labels(self.path / "labels.json")
        self.sentiment_labels = tuple(self.labels["sentiment"])
        self.role_labels = tuple(self.labels["roles"])
        self.max_length = int(self.labels.get("max_length", 128))
        try:
            self.tokenizer = Tokenizer.from_file(str(self.path / "tokenizer.json"))
        except Exception as exc:  # tokenizers raises a bare Exception for a bad file
            raise ModelMissing(f"{self.path / 'tokenizer.json'}: not a tokenizer ({_first_line(exc)}); "
                               f"{REBUILD}") from exc
        self.tokenizer.enable_truncation(self.max_length)
        self.tokenizer.no_padding()
        # Dynamic int8 scales each run's activations by the largest value in the whole
        # batch, so a sentence's labels would depend on its batch neighbours (and their
        # padding). One sentence per run keeps them a function of the sentence alone;
        # the cores then work on different sentences at once (one thread per run), which
        # is faster than one batch split across them.
        if per_sentence is None:
            per_sentence = "int8" in str(self.labels.get("quantized", "")).lower()
        self.per_sentence = per_sentence
        cores = threads or min(4, os.cpu_count() or 1)
        self.workers = cores if per_sentence else 1
        self._pool = None
        opts = ort.SessionOptions()
        opts.intra_op_num_threads = 1 if per_sentence else cores
        opts.inter_op_num_threads = 1
        opts.log_severity_level = 3
        try:
            self.session = ort.InferenceSession(str(self.path / "model.onnx"), opts,
                                                providers=["CPUExecutionProvider"])
        except Exception as exc:  # onnxruntime raises its own classes for a bad file
            raise ModelMissing(f"{self.path / 'model.onnx'}: the classifier cannot be loaded "
                               f"({_first_line(exc)}); {REBUILD}") from exc
        outputs = {o.name: o.shape for o in self.session.get_outputs()}
        shapes = (outputs.get("sentiment_logits") or [None])[-1], (outputs.get("role_logits") or [None])[-1]
        if shapes != (len(self.sentiment_labels), len(self.role_labels)):
            raise ModelMissing(f"{self.path}: model.onnx outputs {shapes} labels but labels.json lists "
                               f"{len(self.sentiment_labels)} sentiment and {len(self.role_labels)} roles; {REBUILD}")
        self.name = f"minilm:{self.labels.get('version', self.path.name)}"
        self._inputs = {i.name for i in self.session.get_inputs()}
        # a model trained with FinEntity also reads the stance on each named entity
        self.entity_labels = tuple(self.labels.get("entity_stance") or ()) if "entity_logits" in outputs else ()

    @staticmethod
    def _read_labels(path: Path) -> dict:
        try:
            labels = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            raise ModelMissing(f"{path}: not readable JSON ({_first_line(exc)}); {REBUILD}") from exc
        ok = isinstance(labels, dict) and all(
            isinstance(labels.get(k), list) and all(isinstance(x, str) for x in labels[k])
            for k in ("sentiment", "roles"))
        if not ok or not {"positive", "negative", "neutral"} <= set(labels["sentiment"]) or \
                not {"flow", "return", "forecast"} <= set(labels["roles"]) or \
                not isinstance(labels.get("max_length", 128), int) or not 8 <= labels.get("max_length", 128) <= 512:
            raise ModelMissing(f"{path}: needs lists \"sentiment\" (with positive, negative, neutral) and "
                               f"\"roles\" (with flow, return, forecast), and a max_length of 8..512; {REBUILD}")
        return labels

    # -- the SentenceClassifier protocol (classify.iter_sentiment)
    def predict(self, sentences: Sequence[str]) -> list[tuple[str, float]]:
        return [(p.sentiment, p.score) for p in self.analyze([(s, ()) for s in sentences])]

    def analyze(self, items: Sequence[tuple], *, batch_size: int = 64) -> list[Prediction]:
        """For each (sentence, number spans[, entity spans]): its sentiment, each number
        span's role and, with a model that has the head, each entity span's stance.
        Sentences are batched by length so padding stays small (an int8 model runs
        them one by one, see ``per_sentence``)."""
        if not items:
            return []
        encs = self.tokenizer.encode_batch([item[0] for item in items])
        order = sorted(range(len(items)), key=lambda i: len(encs[i].ids))
        size = 1 if self.per_sentence else batch_size
        chunks = [order[b:b + size] for b in range(0, len(order), size)]

        def run(idx: list[int]):
            width = max(len(encs[i].ids) for i in idx)
            ids = np.zeros((len(idx), width), dtype=np.int64)
            mask = np.zeros_like(ids)
            types = np.zeros_like(ids)
            for row, i in enumerate(idx):
                n = len(encs[i].ids)
                ids[row, :n] = encs[i].ids
                mask[row, :n] = 1
                types[row, :n] = encs[i].type_ids
            feeds = {"input_ids": ids, "attention_mask": mask, "token_type_ids": types}
            outs = self.session.run(None, {k: v for k, v in feeds.items() if k in self._inputs})
            return idx, _softmax(outs[0]), outs[1], (outs[2] if len(outs) > 2 else None)

        if self.workers > 1 and len(chunks) > 1:
            if self._pool is None:
                self._pool = ThreadPoolExecutor(self.workers, thread_name_prefix="classifier")
            results = self._pool.map(run, chunks)
        else:
            results = map(run, chunks)
        out: list[Prediction | None] = [None] * len(items)
        for idx, sent_p, role_logits, entity_logits in results:
            for row, i in enumerate(idx):
                entity_probs = []
                for start, end in (items[i][2] if len(items[i]) > 2 else ()):
                    toks = token_spans(encs[i].offsets, start, end)
                    entity_probs.append(tuple(float(x) for x in _softmax(entity_logits[row, toks].mean(axis=0)))
                                        if toks and entity_logits is not None else ())
                p = sent_p[row]
                roles, role_probs = [], []
                for start, end in items[i][1]:
                    toks = token_spans(encs[i].offsets, start, end)
                    if not toks:  # cut off by truncation: no opinion
                        roles.append(("other", 0.0))
                        role_probs.append(())
                        continue
                    rp = _softmax(role_logits[row, toks].mean(axis=0))
                    k = int(rp.argmax())
                    roles.append((self.role_labels[k], float(rp[k])))
                    role_probs.append(tuple(float(x) for x in rp))
                label = self.sentiment_labels[int(p.argmax())]
                pos = float(p[self.sentiment_labels.index("positive")])
                neg = float(p[self.sentiment_labels.index("negative")])
                out[i] = Prediction(label, round(pos - neg, 4), tuple(float(x) for x in p), tuple(roles),
                                    tuple(role_probs), tuple(entity_probs))
        return out  # type: ignore[return-value]


def load(path: str | Path | None = None) -> TransformerClassifier:
    """The classifier in ``path`` (default: ``default_model_dir()``, read now, so a
    changed EXTRACTOR_MODEL counts), loaded once per folder."""
    return _load(Path(path or default_model_dir()).resolve())


@lru_cache(maxsize=4)
def _load(path: Path) -> TransformerClassifier:
    return TransformerClassifier(path)
