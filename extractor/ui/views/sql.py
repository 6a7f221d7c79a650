"""SQL: a read-only query box over the database, with saved examples; the result as a
table and as a CSV download. Writes are refused (the reviewer changes claims on the
review page, where every change is recorded).

The query runs under the same limits as `extractor query` (settings query_timeout,
query_max_rows, query_max_bytes): anyone's SQL must not hold the app's core, memory or a
read snapshot of the database, so a query that passes one is stopped with one line."""
import pandas as pd
import streamlit as st

from extractor import settings, store
from extractor.errors import ExtractorError
from extractor.ui import queries
from extractor.ui.common import connect, db_file

CUSTOM = "(your own query)"

connect().close()  # creates or upgrades the file, so the read-only query finds the tables
st.title("SQL")
st.caption("Read-only. Tables: articles, mentions, flows, returns, quotes, sentiment, checks, "
           "corrections, prices, corporate_actions, fund_flows; view: claims (one row per "
           "flow or return with its verdict).")
saved = queries.saved_queries()


def _load_example() -> None:
    if st.session_state["example"] in saved:
        st.session_state["sql"] = saved[st.session_state["example"]]


example = st.selectbox("Saved queries", [CUSTOM, *saved], key="example", on_change=_load_example)
st.session_state.setdefault("sql", "SELECT * FROM claims LIMIT 100")
sql = st.text_area("SQL", key="sql", height=180)
run = st.button("Run", key="run", type="primary", shortcut="Ctrl+Enter", icon=":material/play_arrow:")
if run or st.session_state.get("ran"):
    st.session_state["ran"] = True
    max_rows = int(settings.get("query_max_rows"))
    max_bytes = int(settings.get("query_max_bytes"))
    try:
        columns, rows = store.query(db_file(), sql, max_rows=max_rows, max_bytes=max_bytes,
                                    timeout=float(settings.get("query_timeout")))
    except ExtractorError as exc:
        if isinstance(exc, store.QueryLimitError):  # run a stopped query again only on Run,
            st.session_state["ran"] = False         # not on every rerun of the page
        st.error(str(exc))
        st.stop()
    cut = {"rows": f" (the first {max_rows:,}; add LIMIT/OFFSET for the rest)",
           "bytes": f" (the first {len(rows):,}: the result passed {max_bytes:,} bytes, "
                    "EXTRACTOR_QUERY_MAX_BYTES; add LIMIT/OFFSET or select fewer columns)"
           }.get(rows.cut or "", "")
    seen: dict[str, int] = {}
    for i, name in enumerate(columns):  # SELECT * over a join repeats names; tables need them unique
        seen[name] = seen.get(name, 0) + 1
        if seen[name] > 1:
            columns[i] = f"{name}_{seen[name]}"
    frame = pd.DataFrame(rows[:max_rows], columns=columns)
    st.caption(f"{len(frame):,} row{'s' * (len(frame) != 1)}{cut}")
    st.dataframe(frame, key="result", hide_index=True)
    st.download_button("Download CSV", frame.to_csv(index=False).encode("utf-8"),
                       file_name="query.csv", mime="text/csv", key="csv", icon=":material/download:")
