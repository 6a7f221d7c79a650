"""Property-based fuzzing: ``extractor.extract`` and the ``ingest``/``extract``/``query``
commands survive anything a user can drop into corpus/ (issue "Ingest and query
survive anything").

Generated texts mix market sentences, random unicode (lone surrogates included), long
repeats of the tokens that once made the rules slow ("1", "$1 billion ", "said ", quote
marks, "<div>"), huge numbers and odd dates; generated folders hold .txt/.md, .html,
.jsonl files of generated JSON values and hostile lines, undecodable bytes, file names
that are not UTF-8 and symlink loops (in the folder, or named on the command line).

Properties:
  extract()     never raises; the facts serialise as strict JSON (no NaN/Infinity);
                every span lies inside the text.
  ingest        exits 0 or 1, never a traceback; exit 1 exactly when something failed;
                each stderr line is "Error: <one of the given paths>..." (or a Note),
                at most one per file / JSONL line, and always one for a JSONL line that
                is not a JSON object with a "text", and one for a symlink loop named on
                the command line; the good file is stored; the database
                opens and PRAGMA integrity_check is ok; `query --format json` is strict
                JSON.
  extract (CLI) `--format json` is strict JSON; same exit and stderr rules.
  speed         extract() takes at most BASE_SECONDS + len(text) / MIN_CHARS_PER_SECOND
                seconds (the commands likewise, for all their files). Checked outside Hypothesis
                (Timing): slow calls are listed when the test ends, never shrunk; a
                call is interrupted at HANG_FACTOR times its limit.

The default run is bounded: FAST settings (40 examples, no shrinking, sizes of a few KB)
and a wall-clock budget per test, so the module stays well under a minute. The
``slow`` variants (hundreds of examples, texts up to 60 KB, shrinking on) run only when
asked for: ``pytest -m slow tests/test_fuzz.py`` or EXTRACTOR_FUZZ_SLOW=1.
"""
from __future__ import annotations

import json
import math
import os
import re
import signal
import sqlite3
import tempfile
import threading
import time
from collections.abc import Callable
from contextlib import contextmanager
from datetime import date
from pathlib import Path

import pytest

hypothesis = pytest.importorskip("hypothesis")
from click.testing import CliRunner  # noqa: E402
from hypothesis import HealthCheck, Phase, given, reject, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

import extractor  # noqa: E402
from extractor.cli import cli  # noqa: E402
from extractor.schema import ArticleFacts, to_gold, to_json  # noqa: E402
from extractor.classify import set_default_classifier  # noqa: E402
from extractor.store import open_db  # noqa: E402
from conftest import FakeClassifier  # noqa: E402

# --------------------------------------------------------------------------- settings

# Default (CI) run: bounded. No shrinking: a failing example is reported as generated
# (the slow variant shrinks); no example database (Hypothesis still keeps its caches in
# .hypothesis/, which it git-ignores itself).
FAST = settings(max_examples=40, deadline=None, database=None, print_blob=False,
                phases=(Phase.explicit, Phase.generate),
                suppress_health_check=list(HealthCheck))
FAST_CLI = settings(FAST, max_examples=25)
# Wall-clock seconds each default-run test may spend generating examples; past it the
# remaining examples are skipped (a failure already seen is still reported in full).
BUDGET_SECONDS = {"extract": 15.0, "ingest": 15.0, "extract_cli": 8.0}
# Slow variant: many more, larger examples, shrunk to a minimal failing one (printed in
# full: no explain phase, whose "<...>" hides the parts that do not matter).
SLOW = settings(max_examples=int(os.environ.get("EXTRACTOR_FUZZ_EXAMPLES", "400")),
                deadline=None, database=None, suppress_health_check=list(HealthCheck),
                report_multiple_bugs=True,
                phases=(Phase.explicit, Phase.generate, Phase.target, Phase.shrink))
SLOW_CLI = settings(SLOW, max_examples=max(SLOW.max_examples // 4, 10))

# Size of generated repeats/numbers: default run, slow run.
FAST_SIZES = {"repeat": 3_000, "digits": 5_000, "pieces": 6}
SLOW_SIZES = {"repeat": 60_000, "digits": 12_000, "pieces": 12}

# Speed property: normal news runs at ~50 KB/s through the rules; hostile text may be
# five times slower (plus BASE_SECONDS), never more.
BASE_SECONDS = 3.0
MIN_CHARS_PER_SECOND = 10_000
MIN_MARKUP_CHARS_PER_SECOND = 100_000  # HTML markup, before html_to_text
# A call is interrupted at HANG_FACTOR times its limit, which bounds the run (at 1, a
# slow call is reported as "still running after ..." rather than with its time).
HANG_FACTOR = 1.0


def _slow_wanted(config: pytest.Config) -> bool:
    return "slow" in (config.getoption("-m") or "") or \
        os.environ.get("EXTRACTOR_FUZZ_SLOW", "").strip().lower() in ("1", "true", "yes", "on")


@pytest.fixture
def slow_only(request):
    if not _slow_wanted(request.config):
        pytest.skip("long fuzz run: pytest -m slow tests/test_fuzz.py (or EXTRACTOR_FUZZ_SLOW=1)")


@pytest.fixture(scope="module", autouse=True)
def _warm_nlp():
    """Load spaCy once, outside every time limit (with conftest's stand-in classifier,
    as every test here runs: no model is loaded)."""
    set_default_classifier(FakeClassifier())
    try:
        extractor.extract("IWM fell 2.7 percent year-to-date.")
    finally:
        set_default_classifier(None)


# --------------------------------------------------------------------------- strategies

MARKET = [
    "IWM fell 2.7 percent year-to-date.",
    "$700 million left SPY.",
    "More than $700 million has left IWM in the past couple sessions, as small caps slipped.",
    "IWM is up just 2.7 percent year-to-date, said Jane Doe, a strategist at Example Capital.",
    "Investors put $450 million into QQQ last week. The fund is up 18 percent this year.",
    "About $120 million left GLD in September, and the fund fell 6 percent over the month.",
    "\u201cRisk is off,\u201d said Tom Reyes, portfolio manager at Northfield Advisors.",
    "HYG slipped 0.4% since Monday while TLT gained 1.2% in the week ended Aug. 18.",
    "EEM could rally 5 to 10 percent by year-end, according to Priya Natarajan.",
    "IWM may rise 2 percent next week after $300 million came in over the past year.",
    "The SPDR S&P 500 ETF Trust (SPY) saw inflows of $1.2 billion over the past month.",
]
REPEAT_TOKENS = ["1", "9", "$1 billion ", "said ", '"', "\u201c", "\u201d", "'", "<div>",
                 "IWM ", "percent ", "% ", "$", ".", "\n", " ", "-", "(", "up 2 percent ",
                 "Jane Doe said ", ", ", "\u00a0", "date "]
ODD_CHARS = ["\ud800", "\udfff", "\udcff", "\ufffd", "\x00", "\x1f", "\x85", "\u2028",
             "\u2029", "\u202e", "\ufeff", "\u200b", "\r", "\r\n", "\U0001f4b0", "\u0663",
             "\uff11", "\u00bd", "\u2212"]
ODD_DATES = ["0001-01-01", "9999-12-31", "0000-00-00", "2017-13-45", "2017-02-29",
             "99999-01-01", "9999-12-31T23:59:59+14:00", "0001-01-01T00:00:00-14:00",
             "2017-08-18T14:03:00Z", ""]


def _digits(max_len: int) -> st.SearchStrategy[str]:
    lengths = st.one_of(st.integers(1, 25),
                        st.sampled_from([n for n in (308, 309, 400, 4300, 4301, 5000, 10_000)
                                         if n <= max_len]))
    return st.builds(lambda n, d: (d * n)[:n], lengths, st.sampled_from(["1", "9", "0", "12345"]))


def _numbers(max_digits: int) -> st.SearchStrategy[str]:
    digits = _digits(max_digits)
    small = st.integers(0, 10**20).map(str)
    templates = st.sampled_from([
        "IWM is up {n}% this year.", "up {n}%", "QQQ rose {n} percent year-to-date.",
        "${n} billion left SPY.", "$ {n} million", "${n}.{m} trillion flowed into QQQ.",
        "IWM fell {n}.{m} percent.", "{n} to {m} percent", "${n}bn", "{n},{m},000 dollars",
        "IWM is up 2{n} percent", "-{n}%", "{n}e999 percent", "$.{n} billion"])
    return st.builds(lambda t, n, m: t.format(n=n, m=m), templates,
                     st.one_of(digits, small), st.one_of(digits, small))


def _iso(d: date) -> str:
    return f"{d.year:04d}-{d.month:02d}-{d.day:02d}"


def _dates_text() -> st.SearchStrategy[str]:
    day = st.one_of(st.dates().map(_iso), st.sampled_from(ODD_DATES))
    return st.builds(lambda t, d: t.format(d=d), st.sampled_from([
        "date {d}\n", "date {d} IWM fell 2 percent.\n", "source https://example.com/{d}/a\n",
        "IWM fell 2 percent since {d}.", "$700 million left SPY in the week ended {d}.",
        "As of {d}, IWM is up 3 percent.", "IWM rose 1% since January 1, 0001.",
        "SPY fell 2% in the week ended December 31, 9999.", "QQQ is up 4% in 9999.",
        "date {d}\nIWM fell 2.7 percent last week and may rise 2 percent next week.\n"]), day)


def _repeats(max_size: int) -> st.SearchStrategy[str]:
    sizes = st.one_of(st.integers(1, 200), st.integers(1, max_size))
    return st.builds(lambda tok, n: tok * max(1, n // len(tok)), st.sampled_from(REPEAT_TOKENS), sizes)


def _unicode() -> st.SearchStrategy[str]:
    any_char = st.characters(exclude_categories=())  # surrogates included
    return st.one_of(st.text(any_char, max_size=60), st.sampled_from(ODD_CHARS),
                     st.lists(st.sampled_from(ODD_CHARS + list("IWM$%. 1")), max_size=30).map("".join))


def texts(sizes: dict[str, int] = FAST_SIZES) -> st.SearchStrategy[str]:
    piece = st.one_of(st.sampled_from(MARKET), _unicode(), _repeats(sizes["repeat"]),
                      _numbers(sizes["digits"]), _dates_text())
    sep = st.sampled_from(["", " ", "\n", "\n\n", ". "])
    return st.builds(lambda parts, s: s.join(parts),
                     st.lists(piece, min_size=1, max_size=sizes["pieces"]), sep)


def published_values() -> st.SearchStrategy[date | str | None]:
    edge = st.sampled_from([date.min, date.max, date(1970, 1, 1), date(2017, 8, 18)])
    day = st.one_of(st.dates(), edge)
    return st.one_of(st.none(), day, day.map(_iso),
                     st.sampled_from(["0001-01-01", "9999-12-31", "9999-12-31T23:59:59Z"]))


def json_values(sizes: dict[str, int]) -> st.SearchStrategy:
    any_char = st.characters(exclude_categories=())
    scalars = st.one_of(st.none(), st.booleans(), st.integers(), st.floats(),
                        _digits(sizes["digits"]).map(int_or_str),
                        st.text(any_char, max_size=30), texts(sizes))
    return st.recursive(scalars, lambda kids: st.one_of(
        st.lists(kids, max_size=4), st.dictionaries(st.text(any_char, max_size=8), kids, max_size=4)),
        max_leaves=8)


class RawNumber(str):
    """Digits written into a JSON line as a bare number: past 4,300 digits Python's
    int <-> str conversion refuses them, so they stay a string until written."""


def int_or_str(digits: str) -> int | str:
    return RawNumber(digits) if len(digits) > 4000 else int(digits)


def _dumps(value, ascii_only: bool) -> str:
    if isinstance(value, RawNumber):
        return str(value)  # a bare huge integer
    if isinstance(value, dict):
        return "{" + ", ".join(f"{json.dumps(str(k), ensure_ascii=ascii_only)}: {_dumps(v, ascii_only)}"
                               for k, v in value.items()) + "}"
    if isinstance(value, list):
        return "[" + ", ".join(_dumps(v, ascii_only) for v in value) + "]"
    return json.dumps(value, ensure_ascii=ascii_only)


def jsonl_lines(sizes: dict[str, int]) -> st.SearchStrategy[str]:
    value = json_values(sizes)
    text_value = st.one_of(texts(sizes), value)
    record = st.fixed_dictionaries({}, optional={
        "text": text_value, "title": st.one_of(texts(sizes), value),
        "source": st.one_of(st.sampled_from(["https://example.com/2017/08/18/a", "http://x/\ud800"]),
                            value),
        "published": st.one_of(st.sampled_from(ODD_DATES), st.dates().map(_iso), value),
        "id": st.one_of(st.integers(), st.text(st.characters(exclude_categories=()), max_size=12),
                        st.sampled_from(["a\nb", "x\r\ny", " ", "\ud800"]), value),
        "n": value})
    good = st.builds(lambda t: {"text": t}, st.sampled_from(MARKET))
    hostile = st.sampled_from([
        "[" * 100_000, "{" * 50_000, '{"a":' * 20_000, "[" * 1_000 + "]" * 1_000,
        '{"text": "IWM rose 2 percent.", "n": ' + "1" * 4301 + "}",
        '{"text": "IWM rose 2 percent.", "id": ' + "1" * 4301 + "}",
        '{"text": "IWM rose ' + "1" * 4301 + ' percent."}',
        '{"text": "IWM rose 2 percent \\ud800."}', '{"text": "x", "title": "\\udfff"}',
        '{"text": "x", "source": "\\ud800"}', '{"text": "$1e999 billion left SPY"}',
        '{"text": "x", "n": NaN}', '{"text": "x", "n": -Infinity, "m": 1e999}',
        '{"text": "x", "text": 3}', "not json", "", "   ", "\ufeff{}", "null", "[]", "1e400",
        '{"text": "\\u0000\\u0000"}', '{"text": "IWM fell 2 percent", "published": "9999-12-31"}',
        '{"text": "IWM fell 2 percent", "published": "0001-01-01"}'])
    dumped = st.builds(_dumps, st.one_of(record, good, value), st.booleans())
    return st.one_of(dumped, hostile)


def html_pages(sizes: dict[str, int]) -> st.SearchStrategy[str]:
    body = texts(sizes)
    day = st.one_of(st.sampled_from(ODD_DATES), st.dates().map(_iso))
    piece = st.one_of(
        st.builds(lambda n: "<div>" * n, st.one_of(st.integers(1, 200), st.integers(1, sizes["repeat"] // 5))),
        body.map(lambda t: f"<p>{t}</p>"), body.map(lambda t: f"<title>{t}</title>"),
        day.map(lambda d: f'<meta property="article:published_time" content="{d}">'),
        day.map(lambda d: f'<time datetime="{d}">then</time>'),
        st.sampled_from(["<script>IWM rose 9 percent</script>", "<", "<<<>>>", "&#55296;",
                         "&#xD800;", "&#1114112;", "&#0;", "<![CDATA[x]]>", "<!--", "</p></div>",
                         '<link rel="canonical" href="https://x/\ud800">', "<pre>  $1 billion  </pre>",
                         "<br>" * 50, "<li>", "<table><tr><td>1</td></tr></table>"]),
        body)
    return st.builds("".join, st.lists(piece, min_size=1, max_size=sizes["pieces"]))


# A file: (kind, payload, non-UTF-8 name?). kind: txt, md, html, jsonl, bytes; or a
# symlink loop: "loop" (named on the command line) or "inner-loop" (inside the folder).
def files(sizes: dict[str, int]) -> st.SearchStrategy[list[tuple[str, object, bool]]]:
    weird = st.integers(0, 4).map(lambda i: i == 0)  # one name in five is not UTF-8
    one = st.one_of(
        st.tuples(st.sampled_from(["txt", "md"]), texts(sizes), weird),
        st.tuples(st.just("html"), html_pages(sizes), weird),
        st.tuples(st.just("jsonl"), st.lists(jsonl_lines(sizes), min_size=1, max_size=5), weird),
        st.tuples(st.just("bytes"), st.binary(max_size=300), weird),
        st.tuples(st.sampled_from(["loop", "inner-loop"]), st.none(), st.just(False)),
    )
    return st.lists(one, min_size=1, max_size=4)


# --------------------------------------------------------------------------- helpers


class _Alarm(BaseException):
    """Raised by the watchdog: not an Exception, so no `except Exception` in the code
    under test swallows it."""


class Hung(Exception):
    """A call ran HANG_FACTOR times its time limit and was interrupted."""


_armed: list[bool] = [False]


def _on_watchdog(signum, frame):
    if _armed[0]:
        _armed[0] = False
        raise _Alarm()


@contextmanager
def hang_guard(seconds: float, what: Callable[[], str]):
    """Interrupt the block after ``seconds`` of CPU time (raising Hung), a runaway regex
    too (the re module checks for signals). A kernel timer, ITIMER_PROF/SIGPROF: a timer
    thread could not run while C code holds the GIL, and the extractor's own per-article
    budget uses ITIMER_REAL/SIGALRM, which is left alone. The handler stays installed,
    disarmed, so a late signal does nothing."""
    if threading.current_thread() is not threading.main_thread() or not hasattr(signal, "setitimer"):
        yield
        return
    if signal.getsignal(signal.SIGPROF) is not _on_watchdog:
        signal.signal(signal.SIGPROF, _on_watchdog)
    _armed[0] = True
    signal.setitimer(signal.ITIMER_PROF, seconds)
    try:
        yield
    except _Alarm:
        raise Hung(f"{what()}: still running after {seconds:.1f} s of CPU, interrupted") from None
    finally:
        _armed[0] = False
        signal.setitimer(signal.ITIMER_PROF, 0)


class Timing:
    """The speed property, kept out of Hypothesis's hands: a run time is noisy, and a
    shrinker hunting the size where it crosses a limit only finds flaky examples. Each
    slow call is recorded (a hung one interrupted, its example then skipped) and the
    test fails at the end, listing them."""

    def __init__(self):
        self.slow: list[str] = []

    @contextmanager
    def measure(self, limit: float, what: Callable[[], str]):
        """``what`` describes the call, computed only when it is slow."""
        t0 = time.perf_counter()
        with hang_guard(limit * HANG_FACTOR, what):
            yield
        took = time.perf_counter() - t0
        if took > limit:
            self.slow.append(f"{what()}: {took:.1f} s (limit {limit:.1f} s)")

    def assert_fast(self) -> None:
        assert not self.slow, f"too slow ({len(self.slow)}):\n" + "\n".join(self.slow[:10])


def _shape(text: str, width: int = 240) -> str:
    """The text with its long runs written as repeats: 'IWM fell ' + '$1 billion ' * 400."""
    parts: list[str] = []
    plain, i = "", 0
    while i < len(text) and sum(map(len, parts)) + len(plain) < width:
        for p in range(1, 17):
            unit, k = text[i:i + p], 1
            while text.startswith(unit, i + k * p):
                k += 1
            if len(unit) == p and k * p >= 24 and k >= 3:
                if plain:
                    parts.append(repr(plain))
                parts.append(f"{unit!r} * {k}")
                plain, i = "", i + k * p
                break
        else:
            plain += text[i]
            i += 1
    if plain:
        parts.append(repr(plain))
    shape = " + ".join(parts)
    return shape[:width] + (" + ..." if i < len(text) or len(shape) > width else "")


def _describe(text: str) -> str:
    return f"{len(text):,} characters: {_shape(text)}"


class Budget:
    """Wall-clock budget for one test's examples. Once spent, later examples are
    rejected (skipped) unless one already failed: its replay must run in full."""

    def __init__(self, seconds: float | None):
        self.seconds, self.start, self.failed = seconds, None, False

    def run(self, timing: Timing, check, *args) -> None:
        """One example: ``check(*args, timing)`` within the budget; a hung call is
        recorded in ``timing`` and the example skipped."""
        now = time.monotonic()
        self.start = self.start if self.start is not None else now
        if self.seconds is not None and not self.failed and now - self.start > self.seconds:
            reject()
        try:
            check(*args, timing)
        except Hung as exc:
            timing.slow.append(str(exc))
        except BaseException:
            self.failed = True
            raise
        else:
            return
        reject()


def _no_constant(name: str):
    raise ValueError(f"not strict JSON: {name}")


def strict_json(text: str):
    """json.loads that refuses NaN, Infinity and -Infinity."""
    return json.loads(text, parse_constant=_no_constant)


def _finite(value, where: str = "facts") -> None:
    if isinstance(value, float):
        assert math.isfinite(value), f"non-finite number {value!r} in {where}"
    elif isinstance(value, dict):
        for k, v in value.items():
            _finite(v, f"{where}.{k}")
    elif isinstance(value, (list, tuple)):
        for i, v in enumerate(value):
            _finite(v, f"{where}[{i}]")


def _limit(chars: int, markup: int = 0) -> float:
    return BASE_SECONDS + chars / MIN_CHARS_PER_SECOND + markup / MIN_MARKUP_CHARS_PER_SECOND


# --------------------------------------------------------------------------- extract()


def check_extract(text: str, published, timing: Timing) -> None:
    with timing.measure(_limit(len(text)), lambda: f"extract() of {_describe(text)}"):
        facts = extractor.extract(text, published=published)
    assert isinstance(facts, ArticleFacts)
    full = to_json(facts)
    _finite(full)
    json.dumps(full, allow_nan=False)
    json.dumps(to_gold(facts), allow_nan=False)
    for kind in ("flows", "returns", "quotes", "sentiment", "mentions"):
        for fact in getattr(facts, kind):
            assert 0 <= fact.start <= fact.end <= len(text), f"{kind} span {fact.start}..{fact.end} " \
                                                            f"outside a text of {len(text)}"


def _extract_property(conf: settings, sizes: dict[str, int], budget: Budget) -> None:
    timing = Timing()

    @conf
    @given(text=texts(sizes), published=published_values())
    def run(text, published):
        budget.run(timing, check_extract, text, published)
    run()
    timing.assert_fast()


def test_extract_never_raises():
    _extract_property(FAST, FAST_SIZES, Budget(BUDGET_SECONDS["extract"]))


@pytest.mark.slow
def test_extract_never_raises_long(slow_only):
    _extract_property(SLOW, SLOW_SIZES, Budget(None))


HOSTILE_TEXTS = {
    "surrogate": ("\ud800", None),
    "published-0001": ("IWM fell 2.7 percent year-to-date.", "0001-01-01"),
    "published-9999": ("IWM fell 2.7 percent year-to-date.", "9999-12-31"),
    "header-9999": ("date 9999-12-31\nIWM fell 2.7 percent last week and may rise 2 percent next week.", None),
    "header-0001": ("date 0001-01-01\nIWM fell 2.7 percent last week and may rise 2 percent next week.", None),
    "next-week-9999": ("IWM may rise 2 percent next week.", "9999-12-31"),
    "percent-2e16": ("IWM is up 20000000000000000% this year.", None),
    "money-400-nines": ("$" + "9" * 400 + " billion left SPY last week.", None),
    "money-4301-digits": ("$" + "1" * 4301 + " million left SPY last week.", None),
    "ones-50k": ("1" * 50_000, None),
    "quotes-8000": ('"' * 8000, None),
    "dollars-10k": ("$" * 10_000, None),  # found by this fuzzer: like the quotes, in spaCy's tokenizer
    "jane-doe-said-100k": ("Jane Doe said " * 7_200, None),  # found by this fuzzer: attribution
    "billion-44k": ("$1 billion " * 4000, None),
    "said-80k": ("said " * 16_000, None),
}


@pytest.mark.parametrize("text,published", list(HOSTILE_TEXTS.values()), ids=list(HOSTILE_TEXTS))
def test_extract_known_hostile_inputs(text, published):
    """The inputs from the bad-input sweep, each once (bench/bench_hostile.py times them)."""
    timing = Timing()
    check_extract(text, published, timing)
    timing.assert_fast()


# --------------------------------------------------------------------------- the CLI


def _write_folder(root: Path, generated: list[tuple[str, object, bool]]) -> dict:
    """Write the generated files; return what the checks need to know about them."""
    folder = root / "corpus"
    folder.mkdir()
    units: dict[str, int] = {}      # unique ASCII tail of each file name -> errors allowed
    must_fail: list[str] = []       # "tail:N" of JSONL lines that are not objects with a text
    loops: list[Path] = []          # symlink loops named on the command line
    markup = chars = 0
    for i, (kind, payload, weird_name) in enumerate(generated):
        if kind in ("loop", "inner-loop"):  # two links pointing at each other
            where = root / "links" if kind == "loop" else folder
            where.mkdir(exist_ok=True)
            a, b = where / f"loop{i}x.txt", where / f"loop{i}y.txt"
            os.symlink(b, a)
            os.symlink(a, b)
            units[a.name], units[b.name] = 1, 1
            if kind == "loop":
                loops.append(a)
            continue
        suffix = {"bytes": ".txt"}.get(kind, f".{kind}")
        tail = f"f{i}x{suffix}"
        name = (b"\xff\xfe-" if weird_name else b"") + tail.encode()
        path = os.path.join(os.fsencode(folder), name)
        if kind == "jsonl":
            lines: list[str] = payload  # type: ignore[assignment]
            data = "\n".join(lines).encode("utf-8", "surrogatepass")
            units[tail] = max(1, sum(1 for ln in lines if ln.strip()))
            for n, line in enumerate(lines, 1):
                if line.strip() and _is_article_record(line) is False:
                    must_fail.append(f"{tail}:{n}")
            chars += len(data)
        elif kind == "bytes":
            data = payload  # type: ignore[assignment]
            units[tail] = 1
            chars += len(data)
        else:
            data = str(payload).encode("utf-8", "surrogatepass")
            units[tail] = 1
            if kind == "html":  # the markup is cheap, the text inside it is not
                markup += len(data)
                chars += len(re.sub(r"<[^>]*>", "", str(payload)))
            else:
                chars += len(data)
        with open(path, "wb") as f:
            f.write(data)
    good = folder / "goodx.txt"
    good.write_text("date 2017-08-18\nSmall caps slip\n\n" + " ".join(MARKET[:4]) + "\n", encoding="utf-8")
    units["goodx.txt"] = 0
    return {"folder": folder, "good": good, "loops": loops, "units": units,
            "must_fail": must_fail, "chars": chars, "markup": markup, "root": root,
            "generated": generated, "paths": [str(folder), *map(str, loops)]}


def _is_article_record(line: str) -> bool | None:
    """Is this line a JSON object with a non-empty "text" string (an article, or at
    least a line the reader may take for one)? False for a line that is certainly not
    one: that line must be reported. None when Python's json cannot tell (an object
    nested too deep for it): either answer is right."""
    try:
        # parse_int=float: a 4,301-digit number inside a good record is still JSON.
        record = json.loads(line, parse_int=float)
    except RecursionError:
        return None if line.lstrip().startswith("{") else False
    except ValueError:
        return False
    return isinstance(record, dict) and isinstance(record.get("text"), str) and bool(record["text"].strip())


def _invoke(args: list[str], what: Callable[[], str], seconds: float, timing: Timing):
    with timing.measure(seconds, what):
        result = CliRunner().invoke(cli, args, catch_exceptions=True)
    exc = result.exception
    if exc is not None and not isinstance(exc, SystemExit):
        raise AssertionError(f"`extractor {args[0]}` raised {type(exc).__name__}: {exc}"[:500]) from exc
    assert result.exit_code in (0, 1), f"exit status {result.exit_code}"
    return result


def _check_stderr(result, info: dict, command: str) -> list[str]:
    """Every line a one-line "Error: <a given path>..." (or a Note); at most as many per
    file as it has units; exit 1 exactly when there is an error."""
    lines = result.stderr.splitlines()
    errors = [ln for ln in lines if ln.startswith("Error: ")]
    for ln in lines:
        assert ln.startswith(("Error: ", "Note: ")), f"{command}: stray stderr line {ln[:200]!r}"
    counts = dict.fromkeys(info["units"], 0)
    prefixes = (f"Error: {info['folder']}{os.sep}", *(f"Error: {p}" for p in info["loops"]))
    for ln in errors:
        assert ln.startswith(prefixes), f"{command}: error line does not start with a path: {ln[:200]!r}"
        named = [t for t in info["units"] if t in ln.split(": ", 2)[1]] or \
            [t for t in info["units"] if t in ln]
        assert named, f"{command}: error line names none of the files: {ln[:200]!r}"
        counts[named[0]] += 1
    for tail, allowed in info["units"].items():
        assert counts[tail] <= allowed, f"{command}: {counts[tail]} error lines for {tail} " \
                                        f"(at most {allowed}): {errors}"[:800]
    for unit in info["must_fail"]:  # that line, or its whole file (undecodable, too big)
        tail = unit.rsplit(":", 1)[0]
        assert any(unit + ":" in ln or tail + ": " in ln for ln in errors), \
            f"{command}: no error line for {unit}: {errors}"[:800]
    for loop in info["loops"]:  # named on the command line: never silently skipped
        assert counts[loop.name] == 1, f"{command}: the symlink loop {loop.name} is not reported: {errors}"[:800]
    assert result.exit_code == (1 if errors else 0), \
        f"{command}: exit {result.exit_code} with {len(errors)} error lines"
    return errors


def check_ingest(generated, timing: Timing) -> None:
    with tempfile.TemporaryDirectory(prefix="fuzz-") as tmp:
        info = _write_folder(Path(tmp), generated)
        db = Path(tmp) / "fuzz.db"
        seconds = _limit(info["chars"] + 2_000, info["markup"]) + 5
        result = _invoke(["ingest", *info["paths"], "--db", str(db)],
                         lambda: f"extractor ingest of {_sizes(info)}", seconds, timing)
        _check_stderr(result, info, "ingest")

        con = sqlite3.connect(db)
        try:
            assert con.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
            paths = {p for (p,) in con.execute("SELECT path FROM articles")}
        finally:
            con.close()
        assert str(info["good"]) in paths, "the good file was not stored"
        open_db(db).close()

        for sql in ("SELECT * FROM claims", "SELECT * FROM articles", "SELECT * FROM quotes",
                    "SELECT * FROM sentiment"):
            q = _invoke(["query", sql, "--db", str(db), "--format", "json"],
                        lambda: f"extractor query {sql!r}", 10, timing)
            assert q.exit_code == 0, q.stderr
            strict_json(q.stdout)


def check_extract_cli(generated, timing: Timing) -> None:
    with tempfile.TemporaryDirectory(prefix="fuzz-") as tmp:
        info = _write_folder(Path(tmp), generated)
        seconds = _limit(info["chars"] + 2_000, info["markup"]) + 5
        result = _invoke(["extract", *info["paths"], "--format", "json"],
                         lambda: f"extractor extract of {_sizes(info)}", seconds, timing)
        _check_stderr(result, info, "extract")
        out = strict_json(result.stdout)
        assert isinstance(out, list) and out, "no article in the JSON list"
        assert any(str(info["good"]) == a["article"]["path"] for a in out)


def _sizes(info: dict) -> str:
    files = "; ".join(f"{kind} {_shape(str(payload), 100)}" for kind, payload, _ in info["generated"])
    return f"{info['chars']:,} bytes of text, {info['markup']:,} of HTML ({files})"


def _ingest_property(conf: settings, sizes: dict[str, int], budget: Budget, check) -> None:
    timing = Timing()

    @conf
    @given(generated=files(sizes))
    def run(generated):
        budget.run(timing, check, generated)
    run()
    timing.assert_fast()


def test_ingest_survives_anything():
    _ingest_property(FAST_CLI, FAST_SIZES, Budget(BUDGET_SECONDS["ingest"]), check_ingest)


def test_extract_command_json_is_strict():
    _ingest_property(settings(FAST_CLI, max_examples=15), FAST_SIZES,
                     Budget(BUDGET_SECONDS["extract_cli"]), check_extract_cli)


@pytest.mark.slow
def test_ingest_survives_anything_long(slow_only):
    _ingest_property(SLOW_CLI, SLOW_SIZES, Budget(None), check_ingest)


@pytest.mark.slow
def test_extract_command_json_is_strict_long(slow_only):
    _ingest_property(SLOW_CLI, SLOW_SIZES, Budget(None), check_extract_cli)


HOSTILE_LINES = {
    "int-4301": '{"text": "IWM rose 2 percent.", "n": ' + "1" * 4301 + "}",
    "nested-100k": "[" * 100_000,
    "surrogate-text": '{"text": "IWM rose 2 percent \\ud800 this week."}',
    "surrogate-title": '{"text": "IWM rose 2 percent this week.", "title": "a \\ud800 b"}',
    "surrogate-source": '{"text": "IWM rose 2 percent this week.", "source": "http://x/\\ud800"}',
    "surrogate-id": '{"text": "IWM rose 2 percent this week.", "id": "a\\ud800\\nb"}',
    "published-9999": '{"text": "IWM may rise 2 percent next week.", "published": "9999-12-31"}',
    "published-0001": '{"text": "IWM fell 2.7 percent last week.", "published": "0001-01-01"}',
    "inf-amount": '{"text": "$' + "9" * 400 + ' billion left SPY last week."}',
    # a long digit run on a line that is almost a table row: 25 s of regex backtracking once
    "digit-run-row": '{"text": "QQQ is up 4% in 9999.\\n\\n1111111111111111111111,8,000 dollars\\n"}',
    "inf-level": '{"text": "SPY closed at $' + "9" * 400 + ' on Friday."}',
}


@pytest.mark.parametrize("line", list(HOSTILE_LINES.values()), ids=list(HOSTILE_LINES))
def test_ingest_known_hostile_lines(line):
    """The JSONL lines from the bad-input sweep, each beside a good line."""
    timing = Timing()
    check_ingest([("jsonl", [line, json.dumps({"text": MARKET[1]})], False)], timing)
    timing.assert_fast()


HOSTILE_FILES = {
    "non-utf8-name": ("txt", MARKET[0], True),
    "div-100k": ("html", "<div>" * 100_000, False),
    "header-9999": ("txt", "date 9999-12-31\nIWM may rise 2 percent next week.\n", False),
    "loop-named": ("loop", None, False),
    "loop-in-folder": ("inner-loop", None, False),
}


@pytest.mark.parametrize("file", list(HOSTILE_FILES.values()), ids=list(HOSTILE_FILES))
def test_ingest_known_hostile_files(file):
    """The files from the bad-input sweep, each beside a good file."""
    timing = Timing()
    check_ingest([file], timing)
    timing.assert_fast()
