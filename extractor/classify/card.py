"""The model card: what a trained classifier folder is, how it was made, how good it is.

Written by ``extractor train`` next to the model, from the run's own record
(labels.json) and the test-split scores of the exported int8 model, so the card can
never drift from the artifact it describes.
"""
from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from pathlib import Path

from .data import Example
from .metrics import PUBLISHED, Score, table

LICENCES = {
    "phrasebank": "Financial PhraseBank v1.0 (Malo et al. 2014): CC BY-NC-SA 3.0, non-commercial, share-alike",
    "semeval": "SemEval-2017 Task 5 headlines: no explicit licence, research use with attribution",
    "fiqa": "FiQA 2018 task 1: no explicit licence, research use with attribution",
    "twitter": "Twitter Financial News Sentiment (zeroshot): MIT; tweets remain under X/Twitter terms",
    "weak:numclaim_gtfintechlab": "NumClaim (Shah et al. 2024), text only, our weak role labels: CC BY-NC 4.0",
    "weak:financial_phrasebank": "PhraseBank text, our weak role labels: CC BY-NC-SA 3.0",
    "finentity": "FinEntity (Tang et al., EMNLP 2023, github.com/yixuantt/FinEntity): ODC-BY; the entity-stance "
                 "head is trained on it, attributed here",
    "weak:twitter_financial_news_sentiment": "Twitter Financial News text, our weak role labels: MIT",
    "written": "role sentences we wrote and labelled (training/roles/written.jsonl): ours",
    "heldout": "role sentences we wrote and labelled, never trained on (training/roles/heldout.jsonl): ours",
    "corrections": "labels reviewers made in the extractor's database",
}


def _counts(examples: Sequence[Example]) -> str:
    """Distinct sentences per source and split (weighted copies counted once)."""
    c = Counter((src, split) for src, split, _ in {(x.source, x.split, x.text.rstrip()) for x in examples})
    sources = sorted({s for s, _ in c})
    lines = ["| source | train | dev | test |", "|---|---:|---:|---:|"]
    for s in sources:
        lines.append(f"| {s} | {c[(s, 'train')]} | {c[(s, 'dev')]} | {c[(s, 'test')]} |")
    return "\n".join(lines)


def _drift(fp32: Sequence[Score], int8: Sequence[Score]) -> str:
    if not fp32:
        return ""
    ref = {s.task: s for s in fp32}
    lines = ["Quantisation (dynamic int8) against the fp32 export, dev accuracy:", "",
             "| task | fp32 | int8 | change (points) |", "|---|---:|---:|---:|"]
    for s in int8:
        if s.task in ref:
            lines.append(f"| {s.task} | {ref[s.task].accuracy:.3f} | {s.accuracy:.3f} | "
                         f"{100 * (s.accuracy - ref[s.task].accuracy):+.1f} |")
    return "\n".join(lines) + "\n"


def write_card(out: Path, info: dict, examples: Sequence[Example], scores: Sequence[Score],
               command: str, fp32_dev: Sequence[Score] = (), int8_dev: Sequence[Score] = ()) -> Path:
    pb = next((s for s in scores if s.task == "sentiment:phrasebank"), None)
    published = "\n".join(f"| {name} | {acc:.3f} |" for name, acc in PUBLISHED.items())
    ours = f"| this model ({info['base'].split(' (')[0]}, {info['quantized']}) | {pb.accuracy:.3f} |" if pb else ""
    share_alike = ("Because PhraseBank is CC BY-NC-SA 3.0, this model is a derivative for non-commercial\n"
                   "use and shares that licence.") if any(e.source == "phrasebank" for e in examples) else ""
    licences = "\n".join(f"- {v}" for k, v in LICENCES.items()
                         if any(e.source == k for e in examples))
    hist = "\n".join(f"| {h['epoch']} | {h['dev_sentiment_acc']:.4f} | {h['dev_role_acc']:.4f} |"
                     for h in info.get("history", []))
    size = sum(f.stat().st_size for f in out.iterdir() if f.is_file()) / 1e6
    text = f"""# minilm-finance: sentence sentiment and number roles

One encoder ({info['base']}) fine-tuned with two heads:
- **sentence sentiment**: {', '.join(info['sentiment'])} (mean-pooled tokens -> linear);
- **number role** of each money amount or percentage: {', '.join(info['roles'])}
  (token logits averaged over the number's tokens; labels defined in
  `training/roles/GUIDELINES.md`).

Files: `model.onnx` ({info['quantized']}, onnxruntime), `tokenizer.json`, `labels.json`
(labels, training record). {size:.1f} MB in all. Running it needs onnxruntime and
tokenizers, not torch. Version `{info['version']}`, max length {info['max_length']} tokens.

## Data and splits
Every sentiment set uses its `eval_split` column (train 70 % / dev 10 % / test 20 %,
fixed by a hash of the text, so a sentence shared by two sets is on the same side).
Trained on `train`, the epoch chosen on `dev`, scored once on `test`. Hand-labelled role
sentences take a hash split (85 % train / 15 % dev); the held-out role file is only
ever scored. Weak role labels come from cue patterns (`extractor/classify/weak.py`)
over the train rows of PhraseBank, NumClaim and the Twitter set. FiQA headlines that
are also SemEval headlines are dropped (SemEval's label is kept).
`../shared/corpus-dev` is never used for training.

{_counts(examples)}

Chosen epoch {info['chosen_epoch']} of:

| epoch | dev sentiment acc | dev role acc |
|---:|---:|---:|
{hist}

## Test-split results (the int8 model as shipped)
{table(scores)}

{_drift(fp32_dev, int8_dev)}
PhraseBank accuracy beside published figures (all agreement levels):

| model | accuracy |
|---|---:|
{published}
{ours}

## Licences of the training data
{licences}

{share_alike}

## Reproduce
```
{command}
```
Deterministic: seed {info['config']['seed']}, {info['config']['threads']} threads, fixed batch order;
{info['train_sentences']} training sentences, {info['config']['epochs']} epochs, batch
{info['config']['batch_size']}, lr {info['config']['lr']}, took {info['train_seconds']} s on
{info['config']['threads']} CPU threads. Epoch choice: {info.get('epoch_choice', 'best mean dev accuracy')}.
"""
    path = out / "README.md"
    path.write_text(text, encoding="utf-8")
    return path
