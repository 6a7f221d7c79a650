"""What every page of the review app shares: the database connection (a fresh one per
rerun, WAL, so `extractor ingest` can write meanwhile), the empty-database message and
page links."""
from __future__ import annotations

import re
from pathlib import Path

import streamlit as st
from sqlite_utils import Database

from .. import settings
from ..errors import ExtractorError
from ..store import open_db

# not "pages/": Streamlit would serve files there as pages of their own, outside st.navigation
PAGES = Path(__file__).parent / "views"


def db_file() -> Path:
    return Path(str(settings.get("db")))


def connect() -> Database:
    """Open (or create) the database the CLI writes; stop the page with one line if not."""
    try:
        return open_db(db_file())
    except ExtractorError as exc:
        st.error(f"Cannot open the database: {exc}")
        st.stop()


def require_articles(db: Database) -> None:
    """Say how to fill an empty database, and stop the page."""
    if db.execute("SELECT EXISTS (SELECT 1 FROM articles)").fetchone()[0]:
        return
    path = db_file()
    st.info(
        f"No articles in `{path}` yet. Put article files (.txt, .md, .html, .jsonl) in "
        f"`corpus/` and run\n\n```\nextractor ingest --db {path}\n```\n\n"
        f"then, to check returns and flows against prices,\n\n```\n"
        f"extractor prices import PRICES_DIR --db {path}\nextractor check --db {path}\n```\n\n"
        "and reload this page.")
    st.stop()


def flash() -> None:
    """Show (once) the messages the last action left for the next rerun."""
    for kind, message in st.session_state.pop("flash", []):
        getattr(st, kind)(message)


def say(kind: str, message: str) -> None:
    st.session_state.setdefault("flash", []).append((kind, message))


def open_article(article_id: str) -> None:
    st.switch_page(PAGES / "review.py", query_params={"article": article_id})


def open_claim(table: str, fact_id: int) -> None:
    st.switch_page(PAGES / "claim.py", query_params={"claim": f"{table}-{fact_id}"})


_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]<>$~|])")
_MD_LINE_START = re.compile(r"^(\s*)([#+\->]|\d+[.)])")


def md(text: object) -> str:
    """Text from an article or a database, safe to show where Streamlit reads Markdown
    (titles, captions, messages): emphasis, code, links and images (``[``), colours
    (``:red[...]``), KaTeX (``$``) and HTML are escaped, and so is a heading or list
    mark at the start (the text is one line), so it shows as written and fetches nothing."""
    one_line = " ".join(str(text if text is not None else "").split())
    escaped = _MD_SPECIAL.sub(r"\\\1", one_line)
    return _MD_LINE_START.sub(lambda m: m[1] + m[2][:-1] + "\\" + m[2][-1], escaped)
