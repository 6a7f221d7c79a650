"""Shared fixtures: a database path and a small corpus in tmp_path, facts built by hand,
and a rule-free stand-in for the extraction when a test needs particular rows."""
from __future__ import annotations

import os
import re
from collections.abc import Iterable, Iterator
from pathlib import Path

import pytest

from extractor import pipeline
from extractor.classify import set_default_classifier
from extractor.classify.labels import ROLES, SENTIMENT
from extractor.classify.lexicon import LexiconClassifier
from extractor.classify.model import Prediction
from extractor.pipeline import article_from_text
from extractor.schema import Article, ArticleFacts, Flow, Mention, Quote, Return, Sentiment

ARTICLES = {
    "small-caps.txt": (
        "date 2017-08-18\n"
        "Small caps lose their footing\n\n"
        "More than $700 million has left IWM in the past couple sessions, as small caps "
        "slipped. IWM is up just 2.7 percent year-to-date, said Jane Doe, a strategist at "
        "Example Capital.\n"),
    "tech-rally.txt": (
        "date 2019-10-17\n"
        "Tech funds draw money\n\n"
        "Investors put $450 million into QQQ last week. The fund is up 18 percent this "
        "year.\n"),
    "gold.md": (
        "date 2014-10-03\n"
        "# Gold ETF holdings keep dwindling\n\n"
        "About $120 million left GLD in September, and the fund fell 6 percent over the "
        "month.\n"),
}


SHARED = Path(__file__).resolve().parents[2] / "shared"
REQUIRE_SHARED = "EXTRACTOR_REQUIRE_SHARED"


def shared_path(*parts: str) -> Path:
    """A file or folder of ../shared (real prices, the dev corpus, the scorer). A user's
    fresh clone has no ../shared: the test is skipped, saying so. CI sets
    EXTRACTOR_REQUIRE_SHARED=1 (.ci/run), where a missing ../shared fails the test."""
    path = SHARED.joinpath(*parts)
    if not path.exists():
        if os.environ.get(REQUIRE_SHARED, "").strip().lower() in ("1", "true", "yes", "on"):
            pytest.fail(f"{path} is missing and {REQUIRE_SHARED}=1: put ../shared beside the checkout")
        pytest.skip(f"needs {path}: ../shared is not beside this checkout (a plain clone)")
    return path


class FakeClassifier:
    """Stands in for the transformer in the rules tests: lexicon sentiment, and a role
    only for the numbers a test names (``roles={"32 percent": "weight"}`` or a
    distribution ``{"32 percent": {"weight": 0.5, "return": 0.45}}``), so the rules
    decide everything else and no model is loaded."""

    name = "fake"
    sentiment_labels = SENTIMENT
    role_labels = ROLES

    def __init__(self, roles: dict[str, str] | None = None, p: float = 0.95):
        self.roles, self.p = roles or {}, p
        self.seen: list[str] = []

    def predict(self, sentences):
        return LexiconClassifier().predict(sentences)

    def analyze(self, items, batch_size=64):
        out = []
        for text, spans in items:
            self.seen.append(text)
            label, score = LexiconClassifier().predict([text])[0]
            roles, probs = [], []
            for s, e in spans:
                role = self.roles.get(text[s:e])
                if role is None:
                    roles.append(("other", 0.0))
                    probs.append(())
                    continue
                if isinstance(role, dict):  # {role: probability}, the rest spread evenly
                    rest = (1 - sum(role.values())) / (len(ROLES) - len(role))
                    dist = tuple(role.get(r, rest) for r in ROLES)
                else:
                    rest = (1 - self.p) / (len(ROLES) - 1)
                    dist = tuple(self.p if r == role else rest for r in ROLES)
                top = max(range(len(ROLES)), key=dist.__getitem__)
                roles.append((ROLES[top], dist[top]))
                probs.append(dist)
            out.append(Prediction(label, score, (), tuple(roles), tuple(probs)))
        return out


@pytest.fixture(autouse=True)
def _offline(monkeypatch):
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    for name in ("EXTRACTOR_DB", "EXTRACTOR_CORPUS", "EXTRACTOR_MODEL", "EXTRACTOR_CLASSIFIER"):
        monkeypatch.delenv(name, raising=False)


@pytest.fixture(autouse=True)
def fake_classifier(request):
    """Every test runs with the fake classifier registered, except those that ask for
    the ``real_classifier`` fixture."""
    if "real_classifier" in request.fixturenames:
        yield None
        return
    fake = FakeClassifier()
    set_default_classifier(fake)
    yield fake
    set_default_classifier(None)


@pytest.fixture
def register_fake():
    """Register a FakeClassifier with the given roles: register_fake({"32 percent": "weight"})."""
    def register(roles: dict[str, str] | None = None, p: float = 0.95) -> FakeClassifier:
        fake = FakeClassifier(roles, p)
        set_default_classifier(fake)
        return fake
    return register


@pytest.fixture
def real_classifier():
    """The shipped model (extractor/models/minilm-finance), loaded as the extractor loads it."""
    from extractor.classify import default_classifier

    set_default_classifier(None)
    clf = default_classifier()
    yield clf
    set_default_classifier(None)


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "claims.db"


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    folder = tmp_path / "corpus"
    folder.mkdir()
    for name, text in ARTICLES.items():
        (folder / name).write_text(text, encoding="utf-8")
    return folder


def span(text: str, phrase: str) -> tuple[int, int]:
    start = text.index(phrase)
    return start, start + len(phrase)


def facts_for(text: str, path: str | None = "a.txt", *, flows=(), returns=(), quotes=(),
              sentiment=(), mentions=(), tickers=(), levels=()) -> ArticleFacts:
    """ArticleFacts built by hand. Each fact is given as (evidence phrase, fields...)."""
    from extractor.kinds.levels import Level

    a = article_from_text(text, path=path)
    other = {"levels": tuple(Level(t, v, *span(text, ev)) for ev, t, v in levels)}
    return ArticleFacts(
        article=a,
        tickers=tuple(tickers),
        flows=tuple(Flow(t, d, amt, *span(text, ev)) for ev, t, d, amt in flows),
        returns=tuple(Return(t, v, *span(text, ev)) for ev, t, v in returns),
        quotes=tuple(Quote(who, *span(text, ev)) for ev, who in quotes),
        sentiment=tuple(Sentiment(t, label, score, *span(text, ev), sentence=ev)
                        for ev, t, label, score in sentiment),
        mentions=tuple(Mention(sym, *span(text, ev), text=ev) for ev, sym in mentions),
        other={t: rows for t, rows in other.items() if rows},
    )


_AMOUNT_TICKER = re.compile(r"\$(?P<n>\d+) million (?P<verb>has left|left|into) (?P<t>[A-Z]{2,5})")
_RETURN = re.compile(r"(?P<t>[A-Z]{2,5}) is up (?:just )?(?P<v>[\d.]+) percent")
_SAID = re.compile(r"said (?P<who>[A-Z][a-z]+ [A-Z][a-z]+)")


def fake_assemble(article: Article) -> ArticleFacts:
    """A few regexes standing in for the rules, so CLI tests get known rows whatever
    state the real rules are in."""
    text = article.text
    flows = tuple(Flow(m["t"], "inflow" if m["verb"] == "into" else "outflow",
                       float(m["n"]) * 1e6, m.start(), m.end())
                  for m in _AMOUNT_TICKER.finditer(text))
    returns = tuple(Return(m["t"], float(m["v"]), m.start(), m.end()) for m in _RETURN.finditer(text))
    quotes = tuple(Quote(m["who"], m.start(), m.end()) for m in _SAID.finditer(text))
    tickers = tuple(dict.fromkeys([f.ticker for f in flows] + [r.ticker for r in returns]))
    return ArticleFacts(article=article, tickers=tickers, flows=flows, returns=returns,
                        quotes=quotes)


def fake_extract(articles: Iterable[Article]) -> Iterator[ArticleFacts]:
    for article in articles:
        if "EXPLODE" in article.text:
            raise RuntimeError("rules crashed\non two lines")
        yield fake_assemble(article)


@pytest.fixture
def make_facts():
    return facts_for


@pytest.fixture(name="fake_extract")
def _fake_extract():
    return fake_extract


@pytest.fixture
def fake_rules(monkeypatch):
    """Replace the extraction step (only) with ``fake_extract``."""
    monkeypatch.setattr(pipeline, "_default_extract", fake_extract)
    return fake_extract
