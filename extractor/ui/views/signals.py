"""Signals: per-ticker daily sentiment and claimed net flows, as charts and a table,
downloadable (the same rows as `extractor signals`)."""
import altair as alt
import pandas as pd
import streamlit as st

from extractor.signals import as_rows, daily_signals, signal_tickers
from extractor.ui.common import connect, require_articles

db = connect()
st.title("Signals")
require_articles(db)
st.caption("Per ticker and publication day: the mean sentiment toward the ticker over its bullish "
           "and bearish rows (> 0 leans bullish; a neutral row does not move it) and the net fund "
           "flow the articles claimed: claims with the shortest windows first, none whose window "
           "overlaps one already counted, averages multiplied out over their window's sessions. "
           "Rejected claims are left out; edited values count.")

tickers = signal_tickers(db)
if not tickers:
    st.info("No sentiment or flows stored yet.")
    st.stop()
picked = st.multiselect("Tickers", tickers, default=tickers[:5], key="tickers")
columns, rows = as_rows(daily_signals(db, picked))
shown = pd.DataFrame(rows, columns=columns)
if shown.empty:
    st.info("No sentiment or flows with a publication date for these tickers.")
    st.stop()
chart_data = shown.assign(day=pd.to_datetime(shown["day"]))
left, right = st.columns(2)
with left:
    st.subheader("Sentiment")
    st.altair_chart(alt.Chart(chart_data.dropna(subset=["sentiment_mean"])).mark_line(point=True)
                    .encode(x=alt.X("day:T", title=None),
                            y=alt.Y("sentiment_mean:Q", title="mean score",
                                    scale=alt.Scale(domain=[-1, 1])),
                            color="ticker:N", tooltip=["ticker", "day:T", "sentiment_mean",
                                                       "bullish", "bearish", "neutral"]),
                    key="sentiment-chart")
with right:
    st.subheader("Claimed net flows")
    st.altair_chart(alt.Chart(chart_data[chart_data["flows"] > 0]).mark_bar()
                    .encode(x=alt.X("day:T", title=None),
                            y=alt.Y("net_flow_usd:Q", title="US dollars"),
                            color="ticker:N", tooltip=["ticker", "day:T", "net_flow_usd", "flows"]),
                    key="flows-chart")
st.dataframe(shown, key="signals", hide_index=True,
             column_config={c: st.column_config.NumberColumn(c, format="%,.0f")
                            for c in ("inflow_usd", "outflow_usd", "net_flow_usd")})
st.download_button("Download CSV", shown.to_csv(index=False).encode("utf-8"),
                   file_name="signals.csv", mime="text/csv", key="csv", icon=":material/download:")
