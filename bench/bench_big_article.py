"""One article with thousands of claims in the review app; prints figures (not a test).

    python bench/bench_big_article.py [--claims 5000] [--old PATH_TO_OLD_CHECKOUT]

Builds a database holding one long article whose every sentence is a flow, a return
and a ticker (5,000 claims by default), then times (a) the highlighted text alone
(`extractor.ui.highlight.render`), and with --old the render of another checkout's
highlight.py on the same spans, and (b) the whole article review page drawn by
Streamlit's AppTest (the server's work for one rerun), median of 3.
"""
from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from extractor import store  # noqa: E402
from extractor.pipeline import article_from_text  # noqa: E402
from extractor.schema import ArticleFacts, Flow, Mention, Return  # noqa: E402
from extractor.ui import queries  # noqa: E402

SENTENCE = "Fund{i:04d} took in ${n} million as IWM rose {p}.{d} percent. "


def build(path: Path, claims: int) -> str:
    parts, flows, returns, mentions, pos = [], [], [], [], 0
    text = "date 2019-10-17\nA very long fund-flow table\n\n"
    pos = len(text)
    for i in range(max(claims // 3, 1)):
        s = SENTENCE.format(i=i, n=100 + i % 900, p=i % 9, d=i % 10)
        parts.append(s)
        money = s.index("$")
        flows.append(Flow("IWM", "inflow", float(100 + i % 900) * 1e6, pos + money, pos + s.index(" as")))
        r = s.index("IWM rose")
        returns.append(Return("IWM", float(f"{i % 9}.{i % 10}"), pos + r, pos + s.index(" percent") + 8))
        mentions.append(Mention("IWM", pos + r, pos + r + 3, "IWM", kind="etf"))
        pos += len(s)
    text += "".join(parts) + "\n"
    article = article_from_text(text, path="bench/long.txt")
    db = store.open_db(path)
    store.write_article(db, ArticleFacts(article=article, tickers=("IWM",), mentions=tuple(mentions),
                                         flows=tuple(flows), returns=tuple(returns)))
    db.close()
    return article.id


def load(path: Path, name: str):
    """Another checkout's highlight.py, its relative import pointed at this package."""
    source = path.read_text(encoding="utf-8").replace("from .queries import", "from extractor.ui.queries import")
    mod = type(sys)(name)
    exec(compile(source, str(path), "exec"), mod.__dict__)
    return mod


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--claims", type=int, default=5000)
    ap.add_argument("--old", type=Path, help="an older checkout, to time its highlight.py too")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        db_path = Path(tmp) / "big.db"
        aid = build(db_path, args.claims)
        db = store.open_db(db_path)
        art = queries.article(db, aid)
        spans = queries.spans(db, aid)
        body = art["text"][art["body_start"]:]
        n_claims = sum(db.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in ("flows", "returns", "mentions"))
        print(f"one article, {len(body):,} characters, {n_claims:,} claims, {len(spans):,} spans")
        from extractor.ui import highlight

        for label, mod in [("this checkout", highlight)] + (
                [("old checkout", load(args.old / "extractor" / "ui" / "highlight.py", "old_highlight"))]
                if args.old else []):
            times = []
            for _ in range(3):
                t = time.perf_counter()
                mod.render(body, spans, offset=art["body_start"])
                times.append(time.perf_counter() - t)
            print(f"highlight.render, {label}: {statistics.median(times):.3f} s")
        db.close()
        os.environ["EXTRACTOR_DB"] = str(db_path)
        from streamlit.testing.v1 import AppTest

        times = []
        for _ in range(3):
            at = AppTest.from_file(str(ROOT / "extractor" / "ui" / "app.py"), default_timeout=120)
            at.query_params["article"] = aid
            at.run()
            t = time.perf_counter()
            at.switch_page("views/review.py").run()
            times.append(time.perf_counter() - t)
            assert not at.exception, at.exception
        print(f"article review page (AppTest, server side): {statistics.median(times):.2f} s")


if __name__ == "__main__":
    main()
