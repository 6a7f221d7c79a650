#!/usr/bin/env python
"""Classifier benchmark: sentences per second of the encoder alone.

torch (the fine-tuned architecture, fp32) vs onnxruntime fp32 vs onnxruntime int8, at
batch 64; then the shipped int8 model as the extractor runs it: one sentence a call,
so a sentence's labels never depend on its neighbours (dynamic int8 scales activations
per call). Sentences: the sample corpus plus, when ../shared/data is present, the
PhraseBank test split. The torch/fp32/int8 rows export the same architecture here
(speed does not depend on the trained weights). Needs the train extra (torch). Prints
peak memory too.

    python bench/bench_classifier.py            # 2,000 sentences
    python bench/bench_classifier.py --n 500
"""
from __future__ import annotations

import argparse
import csv
import json
import re
import resource
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def sentences(n: int) -> list[str]:
    out: list[str] = []
    for f in sorted((ROOT / "corpus" / "examples").glob("*")):
        if f.suffix in (".txt", ".md"):
            out += [s.strip() for s in re.split(r"(?<=[.!?])\s+|\n+", f.read_text(encoding="utf-8"))
                    if len(s.split()) >= 5]
    pb = ROOT.parent / "shared" / "data" / "financial_phrasebank" / "DATASET.csv"
    if pb.exists():
        with pb.open(newline="", encoding="utf-8") as fh:
            out += [r["text"] for r in csv.DictReader(fh) if r["eval_split"] == "test"]
    while len(out) < n:
        out += out
    return out[:n]


def rate(fn, items: list, batch: int = 64) -> float:
    fn(items[:batch])  # warm up
    t0 = time.perf_counter()
    for i in range(0, len(items), batch):
        fn(items[i:i + batch])
    return len(items) / (time.perf_counter() - t0)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--n", type=int, default=2000, help="sentences to classify per engine")
    args = ap.parse_args()
    import torch
    from tokenizers import Tokenizer

    from extractor.classify.labels import ROLES, SENTIMENT
    from extractor.classify.model import TransformerClassifier, default_model_dir
    from extractor.classify.train import base_model_path, build_model, export_onnx, quantize

    # sorted by length, so a batch of 64 pads little (as analyze() does with many items)
    texts = sorted(sentences(args.n), key=len)
    torch.set_num_threads(2)
    base = base_model_path(None)
    tok = Tokenizer.from_file(str(base / "tokenizer.json"))
    tok.enable_truncation(128)
    tok.enable_padding()
    model = build_model(base, len(SENTIMENT), len(ROLES)).eval()

    def run_torch(batch: list[str]) -> None:
        enc = tok.encode_batch(batch)
        ids = torch.tensor([e.ids for e in enc])
        mask = torch.tensor([e.attention_mask for e in enc])
        with torch.no_grad():
            model(ids, mask, torch.zeros_like(ids))

    print(f"{len(texts)} sentences, batch 64, {torch.get_num_threads()} threads")
    print(f"{'engine':<34} {'sentences/s':>12}")
    results = {"torch fp32": rate(run_torch, texts)}
    print(f"{'torch fp32 (batch 64)':<34} {results['torch fp32']:>12.0f}")
    with tempfile.TemporaryDirectory() as tmp:
        shipped = default_model_dir()
        labels = json.loads((shipped / "labels.json").read_text(encoding="utf-8"))
        export_onnx(model, Path(tmp) / "fp32.onnx")
        for name, dtype in (("onnxruntime fp32", "fp32"), ("onnxruntime int8", "int8")):
            folder = Path(tmp) / dtype
            folder.mkdir()
            (folder / "tokenizer.json").write_bytes((shipped / "tokenizer.json").read_bytes())
            (folder / "labels.json").write_text(json.dumps({**labels, "quantized": dtype}), encoding="utf-8")
            if dtype == "fp32":
                (folder / "model.onnx").write_bytes((Path(tmp) / "fp32.onnx").read_bytes())
            else:
                quantize(Path(tmp) / "fp32.onnx", folder / "model.onnx")
            clf = TransformerClassifier(folder, threads=2, per_sentence=False)  # batched, as the row says
            results[name] = rate(lambda b: clf.analyze([(s, ()) for s in b]), texts)
            print(f"{name + ' (batch 64)':<34} {results[name]:>12.0f}")
        clf = TransformerClassifier(shipped, threads=2)
        results["shipped int8"] = rate(lambda b: clf.analyze([(s, ()) for s in b]), texts)
        print(f"{'shipped int8, one sentence a call':<34} {results['shipped int8']:>12.0f}   "
              f"({clf.workers} at once, 1 thread each)")
    print(f"\nint8 vs torch: {results['onnxruntime int8'] / results['torch fp32']:.1f}x (batched), "
          f"{results['shipped int8'] / results['torch fp32']:.1f}x (as shipped); "
          f"peak RSS {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB")


if __name__ == "__main__":
    main()
