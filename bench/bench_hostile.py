#!/usr/bin/env python
"""Hostile inputs: how long each takes and whether it raises; prints figures (not a test).

    python bench/bench_hostile.py                 # every case, 60 s timeout each
    python bench/bench_hostile.py --timeout 20 --only jsonl
    python bench/bench_hostile.py --list

Each case runs in its own subprocess (this script with ``--case NAME``) so a runaway
regex or a recursion crash cannot take the whole run down and a hang is reported as
"timeout" after ``--timeout`` seconds. Extraction cases time ``extractor.extract`` (and
``extractor.ingest.html_to_text`` for HTML) after a warm-up call, so spaCy's start-up
is not counted. Ingest cases run the ``extractor ingest`` command on a temporary
folder and report its exit status and the first line of its stderr.

The classifier is the lexicon (EXTRACTOR_CLASSIFIER=lexicon) and the Hugging Face hub
is offline unless the environment says otherwise.
"""
from __future__ import annotations

import argparse
import json
import math
import os
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


# --------------------------------------------------------------------------- inputs


def _repeat_to(token: str, size: int) -> str:
    return token * (size // len(token))


# Relative windows ("past month", "next week") are where an edge date overflows.
WINDOWS = "IWM fell 2.7 percent in the past month and may rise 2 percent next week."
WINDOWS2 = "IWM fell 2.7 percent last week; $700 million left SPY since Monday; QQQ may rise 2% next week."

# name -> (description, builder of the text, kind). kind: "extract" calls
# extractor.extract(text), "published=X" passes that date, "html" runs html_to_text
# first, "html_only" times html_to_text alone.
EXTRACT_CASES: dict[str, tuple[str, Callable[[], str], str]] = {
    "ones-50k": ('"1" * 50,000', lambda: "1" * 50_000, "extract"),
    "billion-44k": ('"$1 billion " repeated to 44 KB', lambda: _repeat_to("$1 billion ", 44_000),
                    "extract"),
    "said-80k": ('"said " repeated to 80 KB', lambda: _repeat_to("said ", 80_000), "extract"),
    "quotes-8000": ("8,000 '\"' quote marks", lambda: '"' * 8000, "extract"),
    "curly-quotes-8000": ("8,000 '\u201c' quote marks", lambda: "\u201c" * 8000, "extract"),
    # Found by tests/test_fuzz.py: any long run of prefix/suffix punctuation, in spaCy's tokenizer.
    "dollars-10k": ("'$' * 10,000", lambda: "$" * 10_000, "extract"),
    "parens-10k": ("'(' * 10,000", lambda: "(" * 10_000, "extract"),
    # Found by tests/test_fuzz.py: one attribution per "said", each scanning the whole text.
    "jane-doe-said-50k": ('"Jane Doe said " repeated to 50 KB', lambda: _repeat_to("Jane Doe said ", 50_000),
                          "extract"),
    "jane-doe-said-100k": ('"Jane Doe said " repeated to 100 KB',
                           lambda: _repeat_to("Jane Doe said ", 100_000), "extract"),
    "div-100k-html": ('"<div>" * 100,000 (.html): html_to_text', lambda: "<div>" * 100_000,
                      "html_only"),
    "div-100k-extract": ('"<div>" * 100,000 (.html): html_to_text + extract',
                         lambda: "<div>" * 100_000, "html"),
    "surrogate": ('extract("\\ud800")', lambda: "\ud800", "extract"),
    "surrogate-in-text": ("lone surrogate inside a market sentence",
                          lambda: "IWM fell 2.7 percent \ud800 year-to-date.", "extract"),
    "date-0001": ('header "date 0001-01-01"',
                  lambda: f"date 0001-01-01\n{WINDOWS}\n", "extract"),
    "date-9999": ('header "date 9999-12-31"',
                  lambda: f"date 9999-12-31\n{WINDOWS}\n", "extract"),
    "published-0001": ('published="0001-01-01"', lambda: WINDOWS2, "published=0001-01-01"),
    "published-9999": ('published="9999-12-31"', lambda: WINDOWS2, "published=9999-12-31"),
    "percent-huge": ('"up 20000000000000000%"',
                     lambda: "IWM is up 20000000000000000% this year.", "extract"),
    "money-400-nines": ('"$" + 400 nines + " billion"',
                        lambda: "$" + "9" * 400 + " billion left SPY last week.", "extract"),
    "money-4301-digits": ('"$" + 4,301 digits + " million"',
                          lambda: "$" + "1" * 4301 + " million left SPY last week.", "extract"),
    "percent-4301-digits": ("4,301-digit percent",
                            lambda: "IWM rose " + "1" * 4301 + " percent this year.", "extract"),
}


def _jsonl(*records: str) -> bytes:
    return ("\n".join(records) + "\n").encode("utf-8")


GOOD_LINE = '{"text": "date 2017-08-18\\nMore than $700 million has left IWM this week."}'

# name -> (description, builder(folder) -> list of paths to pass to `extractor ingest`)
INGEST_CASES: dict[str, tuple[str, Callable[[Path], list[str]]]] = {}


def _ingest_case(name: str, description: str):
    def register(fn: Callable[[Path], list[str]]):
        INGEST_CASES[name] = (description, fn)
        return fn
    return register


def _file(folder: Path, name: str, data: bytes) -> Path:
    path = folder / name
    path.write_bytes(data)
    return path


@_ingest_case("jsonl-int-4301", "JSONL line with a 4,301-digit integer")
def _(folder: Path) -> list[str]:
    return [str(_file(folder, "big-int.jsonl",
                      _jsonl('{"text": "IWM rose 2 percent.", "n": ' + "1" * 4301 + "}", GOOD_LINE)))]


@_ingest_case("jsonl-id-4301", 'JSONL "id" a 4,301-digit integer')
def _(folder: Path) -> list[str]:
    return [str(_file(folder, "big-id.jsonl",
                      _jsonl('{"text": "IWM rose 2 percent.", "id": ' + "1" * 4301 + "}", GOOD_LINE)))]


@_ingest_case("jsonl-nested-100k", "JSONL line of 100,000 nested '['")
def _(folder: Path) -> list[str]:
    return [str(_file(folder, "nested.jsonl", _jsonl("[" * 100_000, GOOD_LINE)))]


@_ingest_case("jsonl-surrogate-text", 'JSONL "text" with a lone surrogate \\ud800')
def _(folder: Path) -> list[str]:
    return [str(_file(folder, "sur-text.jsonl",
                      _jsonl('{"text": "IWM rose 2 percent \\ud800 this week."}', GOOD_LINE)))]


@_ingest_case("jsonl-surrogate-title", 'JSONL "title" with a lone surrogate \\ud800')
def _(folder: Path) -> list[str]:
    return [str(_file(folder, "sur-title.jsonl",
                      _jsonl('{"text": "IWM rose 2 percent this week.", "title": "a \\ud800 b"}',
                             GOOD_LINE)))]


@_ingest_case("jsonl-surrogate-source", 'JSONL "source" with a lone surrogate \\ud800')
def _(folder: Path) -> list[str]:
    return [str(_file(folder, "sur-source.jsonl",
                      _jsonl('{"text": "IWM rose 2 percent this week.", "source": "http://x/\\ud800"}',
                             GOOD_LINE)))]


@_ingest_case("jsonl-published-9999", 'JSONL "published": "9999-12-31"')
def _(folder: Path) -> list[str]:
    return [str(_file(folder, "pub-9999.jsonl",
                      _jsonl(json.dumps({"text": WINDOWS, "published": "9999-12-31"}), GOOD_LINE)))]


@_ingest_case("jsonl-published-0001", 'JSONL "published": "0001-01-01"')
def _(folder: Path) -> list[str]:
    return [str(_file(folder, "pub-0001.jsonl",
                      _jsonl(json.dumps({"text": WINDOWS, "published": "0001-01-01"}), GOOD_LINE)))]


@_ingest_case("txt-date-9999", 'a .txt with header "date 9999-12-31"')
def _(folder: Path) -> list[str]:
    return [str(_file(folder, "d9999.txt", f"date 9999-12-31\n{WINDOWS}\n".encode()))]


@_ingest_case("html-div-100k", '"<div>" * 100,000 as a .html file')
def _(folder: Path) -> list[str]:
    return [str(_file(folder, "divs.html", b"<div>" * 100_000))]


@_ingest_case("non-utf8-filename", "a folder holding a file named b'\\xff\\xfe.txt'")
def _(folder: Path) -> list[str]:
    sub = folder / "corpus"
    sub.mkdir()
    with open(os.path.join(os.fsencode(sub), b"\xff\xfe.txt"), "wb") as f:
        f.write(b"IWM fell 2.7 percent this week.\n")
    _file(sub, "good.txt", b"More than $700 million has left IWM this week.\n")
    return [str(sub)]


@_ingest_case("symlink-loop", "a symlink loop named explicitly")
def _(folder: Path) -> list[str]:
    a, b = folder / "loop-a.txt", folder / "loop-b.txt"
    os.symlink(b, a)
    os.symlink(a, b)
    good = _file(folder, "good.txt", b"More than $700 million has left IWM this week.\n")
    return [str(a), str(good)]


@_ingest_case("money-400-nines-query-json", "\"$\"+400 nines+\" billion\": ingest, then query --format json")
def _(folder: Path) -> list[str]:
    # The runner sees the marker and runs `extractor query ... --format json` afterwards.
    return [str(_file(folder, "inf.txt", ("$" + "9" * 400 + " billion left SPY last week.\n").encode()))]


# --------------------------------------------------------------------------- child


def _nonfinite(value: object) -> bool:
    if isinstance(value, float):
        return not math.isfinite(value)
    if isinstance(value, dict):
        return any(_nonfinite(v) for v in value.values())
    if isinstance(value, (list, tuple)):
        return any(_nonfinite(v) for v in value)
    return False


def _run_extract_case(name: str) -> dict:
    import extractor
    from extractor.ingest import html_to_text
    from extractor.schema import to_json

    _, build, kind = EXTRACT_CASES[name]
    extractor.extract("IWM fell 2.7 percent year-to-date; $700 million left SPY.")  # warm-up
    text = build()
    size = len(text)
    t0 = time.perf_counter()
    note = ""
    try:
        if kind == "html_only":
            body = html_to_text(text)[0]
            note = f"{len(body):,} chars of text"
        else:
            published = kind.split("=", 1)[1] if kind.startswith("published=") else None
            if kind == "html":
                text = html_to_text(text)[0]
            facts = extractor.extract(text, published=published)
            counts = facts.counts()
            note = ", ".join(f"{k} {v}" for k, v in counts.items() if v and k != "tickers")
            if _nonfinite(to_json(facts)):
                note = "NON-FINITE value in facts; " + note
        outcome = "ok"
    except BaseException as exc:  # noqa: BLE001  (RecursionError, MemoryError... all reported)
        outcome = type(exc).__name__
        note = " ".join(str(exc).split())[:80]
    return {"seconds": time.perf_counter() - t0, "size": size, "outcome": outcome, "note": note}


def _run_ingest_case(name: str) -> dict:
    _, build = INGEST_CASES[name]
    with tempfile.TemporaryDirectory(prefix="bench-hostile-") as tmp:
        folder = Path(tmp)
        paths = build(folder)
        size = sum(p.stat().st_size for p in folder.rglob("*") if p.is_file() and not p.is_symlink())
        db = folder / "bench.db"
        cmd = [sys.executable, "-m", "extractor.cli", "ingest", "--no-check", "-q", "--db", str(db), *paths]
        t0 = time.perf_counter()
        proc = subprocess.run(cmd, capture_output=True, timeout=None)
        seconds = time.perf_counter() - t0
        stderr = proc.stderr.decode("utf-8", "backslashreplace")
        lines = stderr.splitlines()
        first = lines[0] if lines else ""
        outcome = f"exit {proc.returncode}"
        note = first
        if "Traceback (most recent call last)" in stderr:
            last = next((ln for ln in reversed(lines) if ln.strip()), "")
            outcome += f" TRACEBACK ({last.split(':')[0]})"
            note = f"{first} ... {last}"
        note = note.replace(tmp, "TMP")[:100]
        if name == "money-400-nines-query-json" and proc.returncode in (0, 1):
            q = subprocess.run([sys.executable, "-m", "extractor.cli", "query", "--db", str(db),
                                "--format", "json", "select amount_usd from flows"],
                               capture_output=True, text=True)
            try:
                json.loads(q.stdout, parse_constant=lambda c: (_ for _ in ()).throw(ValueError(c)))
                note = f"query json ok: {' '.join(q.stdout.split())[:60]}"
            except ValueError as exc:
                outcome += "; query json INVALID"
                note = f"query --format json: {exc}: {' '.join(q.stdout.split())[:50]}"
    return {"seconds": seconds, "size": size, "outcome": outcome, "note": note}


def _child(name: str) -> None:
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("EXTRACTOR_CLASSIFIER", "lexicon")
    result = _run_extract_case(name) if name in EXTRACT_CASES else _run_ingest_case(name)
    print("RESULT " + json.dumps(result), flush=True)


# --------------------------------------------------------------------------- parent


def _run(name: str, timeout: float) -> dict:
    env = dict(os.environ)
    env.setdefault("HF_HUB_OFFLINE", "1")
    env.setdefault("EXTRACTOR_CLASSIFIER", "lexicon")
    # This checkout's extractor, also for `python -m extractor.cli` in the ingest cases.
    env["PYTHONPATH"] = os.pathsep.join([str(ROOT), *filter(None, [env.get("PYTHONPATH")])])
    size = len(EXTRACT_CASES[name][1]()) if name in EXTRACT_CASES else None
    t0 = time.perf_counter()
    # Its own process group, so a timeout also ends the `extractor ingest` it started.
    proc = subprocess.Popen([sys.executable, __file__, "--case", name], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, env=env, cwd=ROOT,
                            start_new_session=True)
    try:
        stdout, stderr = proc.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.communicate()
        return {"seconds": time.perf_counter() - t0, "size": size, "outcome": "timeout",
                "note": f"killed after {timeout:g} s (whole subprocess, start-up included)"}
    for line in stdout.splitlines():
        if line.startswith("RESULT "):
            return json.loads(line[len("RESULT "):])
    tail = (stderr.strip().splitlines() or ["(no output)"])[-1]
    return {"seconds": time.perf_counter() - t0, "size": size,
            "outcome": f"crashed (exit {proc.returncode})", "note": tail[:100]}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--timeout", type=float, default=60.0, help="seconds per case (default 60)")
    ap.add_argument("--only", default="", help="run only the cases whose name contains this")
    ap.add_argument("--list", action="store_true", help="list the cases and exit")
    ap.add_argument("--case", help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.case:
        _child(args.case)
        return
    cases = [(n, d, "extract") for n, (d, _, _) in EXTRACT_CASES.items()] + \
            [(n, d, "ingest") for n, (d, _) in INGEST_CASES.items()]
    cases = [c for c in cases if args.only in c[0]]
    if args.list:
        for name, description, kind in cases:
            print(f"{kind:8} {name:28} {description}")
        return
    print(f"timeout {args.timeout:g} s per case; extract cases timed after a warm-up call, "
          "ingest cases as the whole `extractor ingest` process\n")
    header = f"{'case':28} {'kind':7} {'size':>9} {'seconds':>8}  {'outcome':24} note"
    print(header)
    print("-" * len(header))
    for name, _description, kind in cases:
        r = _run(name, args.timeout)
        size = f"{r['size']:,}" if r.get("size") is not None else "-"
        print(f"{name:28} {kind:7} {size:>9} {r['seconds']:8.2f}  {r['outcome']:24} {r['note']}",
              flush=True)
    print("\ncases:")
    for name, description, _ in cases:
        print(f"  {name:28} {description}")


if __name__ == "__main__":
    main()
