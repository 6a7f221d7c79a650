"""SQL: a read-only query box over the database, with saved examples; the result as a
table and as a CSV download. Writes are refused (the reviewer changes claims on the
review page, where every change is recorded)."""
import pandas as pd
import streamlit as st

from extractor.errors import ExtractorError
from extractor.ui import queries
from extractor.ui.common import connect, db_file
from extractor import store

MAX_ROWS = 10_000
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
    try:
        columns, rows = store.query(db_file(), sql, max_rows=MAX_ROWS)
    except ExtractorError as exc:
        st.error(str(exc))
        st.stop()
    cut = len(rows) > MAX_ROWS
    seen: dict[str, int] = {}
    for i, name in enumerate(columns):  # SELECT * over a join repeats names; tables need them unique
        seen[name] = seen.get(name, 0) + 1
        if seen[name] > 1:
            columns[i] = f"{name}_{seen[name]}"
    frame = pd.DataFrame(rows[:MAX_ROWS], columns=columns)
    st.caption(f"{len(frame):,} row{'s' * (len(frame) != 1)}" +
               (f" (the first {MAX_ROWS:,}; add LIMIT/OFFSET for the rest)" if cut else ""))
    st.dataframe(frame, key="result", hide_index=True)
    st.download_button("Download CSV", frame.to_csv(index=False).encode("utf-8"),
                       file_name="query.csv", mime="text/csv", key="csv", icon=":material/download:")
