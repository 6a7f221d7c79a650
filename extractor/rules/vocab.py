"""Vocabulary files: ``rules/patterns/NAME.jsonl``, one ``{"kind": ..., "values": [...]}``
per line (``//`` comments allowed). Cue words live there as data, not code; every rule
module reads them through this one function.
"""
from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path

from ..errors import ExtractorError

PATTERNS = Path(__file__).parent / "patterns"


@lru_cache(maxsize=None)
def load_vocab(name: str) -> dict[str, tuple[str, ...]]:
    """{kind: words} from ``patterns/NAME.jsonl``; lines of one kind are merged, order
    kept. A bad line raises with the file and line number."""
    path = PATTERNS / f"{name}.jsonl"
    out: dict[str, list[str]] = {}
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip() or line.lstrip().startswith("//"):
            continue
        try:
            rec = json.loads(line)
            out.setdefault(rec["kind"], []).extend(rec["values"])
        except (ValueError, KeyError, TypeError) as exc:
            raise ExtractorError(f"{path}:{n}: not a vocabulary line ({exc}); expected "
                                 '{"kind": "...", "values": ["...", ...]}') from exc
    return {k: tuple(v) for k, v in out.items()}
