"""Inbox: the articles with their claims counted by kind and review status, filters,
full-text search, and the review queue (least certain claims first)."""
import math

import pandas as pd
import streamlit as st

from extractor.schema import VERDICTS
from extractor.ui import queries
from extractor.ui.common import connect, db_file, flash, open_article, require_articles

ANY = "(any)"


@st.cache_data(ttl=60, show_spinner=False)
def ticker_options(path: str, articles: int) -> list[str]:
    """The ticker filter's choices; computed again when the article count moves."""
    from extractor.store import open_db

    db = open_db(path, readonly=True)
    try:
        return queries.tickers(db)
    finally:
        db.close()


db = connect()
st.title("Inbox")
flash()
require_articles(db)

with st.container(horizontal=True):
    q = st.text_input("Search the articles", key="q", placeholder="words or an FTS5 query",
                      help='Full-text search over titles and text: `fund outflows`, `"S&P 500"`, `gold NOT silver`.')
    articles = db.execute("SELECT count(*) FROM articles").fetchone()[0]
    ticker = st.selectbox("Ticker", [ANY, *ticker_options(str(db_file()), articles)], key="ticker")
    kinds = st.multiselect("Kind", list(queries.KINDS), key="kinds")
    verdict = st.selectbox("Verdict", [ANY, *VERDICTS], key="verdict")
    status = st.selectbox("Status", [ANY, *queries.STATUS_FILTERS], key="status")

f = queries.InboxFilter(ticker=None if ticker == ANY else ticker, kinds=tuple(kinds),
                        verdict=None if verdict == ANY else verdict,
                        status=None if status == ANY else status, q=q)

articles_tab, queue_tab = st.tabs(["Articles", "Review queue"])

with articles_tab:
    try:
        total, rows = queries.inbox(db, f, page=st.session_state.get("page", 1))
    except Exception as exc:  # a malformed FTS query, say; the rest of the page still works
        st.error(f"That search cannot be run: {exc}. Plain words always work.")
        total, rows = 0, []
    pages = max(math.ceil(total / queries.PER_PAGE), 1)
    if st.session_state.get("page", 1) > pages:
        st.session_state["page"] = 1
        st.rerun()
    st.caption(f"{total:,} article{'s' * (total != 1)} match" + ("es" if total == 1 else ""))
    if rows:
        for r in rows:
            r["title"] = queries.display_title(r["title"], r["lead"], r["path"])
            r["source"] = "changed" if r["source_changed"] else ""
        frame = pd.DataFrame(rows)
        kinds = [k for k in queries.KINDS if k != "ticker"] + ["ticker"]  # every kind, tickers last
        shown = frame[["published", "title", *kinds, "unreviewed", "accepted", "edited", "rejected",
                       "contradicted", "confirmed", "source"]]
        picked = st.dataframe(
            shown, key="articles", hide_index=True, on_select="rerun", selection_mode="single-row",
            column_config={"title": st.column_config.TextColumn("title", width="large"),
                           "ticker": st.column_config.NumberColumn("tickers"),
                           "contradicted": st.column_config.NumberColumn("✗ contradicted"),
                           "confirmed": st.column_config.NumberColumn("✓ confirmed"),
                           "source": st.column_config.TextColumn(
                               "source", help="changed: the file now holds another text; the "
                               "claims reviewed on this one stay with it")})
        if picked.selection.rows:
            open_article(rows[picked.selection.rows[0]]["id"])
        with st.container(horizontal=True, vertical_alignment="bottom"):
            choice = st.selectbox("Open article", range(len(rows)), key="open_choice",
                                  format_func=lambda i: f"{rows[i]['published'] or '?'}  "
                                                        f"{rows[i]['title']}")
            if st.button("Open", key="open", type="primary"):
                open_article(rows[choice]["id"])
        if pages > 1:
            st.pagination(pages, key="page")
    else:
        st.info("No article matches these filters.")

with queue_tab:
    try:
        qtotal, claims = queries.queue(db, f, limit=50)
    except Exception as exc:  # a malformed FTS query: said once above, empty here
        st.caption(f"The review queue cannot use that search: {exc}.")
        qtotal, claims = 0, []
    st.caption(f"{qtotal:,} unreviewed claim{'s' * (qtotal != 1)}: contradicted by the data "
               "first, then stance against the move, then the lowest confidence.")
    if claims:
        qframe = pd.DataFrame(claims)[["kind", "ticker", "why", "evidence", "verdict", "title",
                                      "published"]]
        picked = st.dataframe(qframe, key="queue", hide_index=True, on_select="rerun",
                              selection_mode="single-row",
                              column_config={"evidence": st.column_config.TextColumn(width="large")})
        if picked.selection.rows:
            open_article(claims[picked.selection.rows[0]]["article_id"])
        if st.button("Review the least certain claim's article", key="queue_open"):
            open_article(claims[0]["article_id"])
    else:
        st.success("Nothing left to review here.")
