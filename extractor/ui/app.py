"""The review app's entry point: `extractor review` runs `streamlit run` on this file.

The database is the one the CLI writes (`EXTRACTOR_DB`, default extractor.db)."""
import streamlit as st

from extractor.ui.common import PAGES, db_file

st.set_page_config(page_title="extractor review", layout="wide")
page = st.navigation([
    st.Page(PAGES / "inbox.py", title="Inbox", icon=":material/inbox:", default=True),
    st.Page(PAGES / "review.py", title="Article review", icon=":material/fact_check:"),
    st.Page(PAGES / "claim.py", title="Claim detail", icon=":material/show_chart:"),
    st.Page(PAGES / "sql.py", title="SQL", icon=":material/database:"),
    st.Page(PAGES / "signals.py", title="Signals", icon=":material/trending_up:"),
])
st.sidebar.caption(f"Database: `{db_file()}`")
page.run()
