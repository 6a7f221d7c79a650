"""Claim detail: a checked claim (flow, return, level, target) beside the market data:
the price of its ticker over the window (and a margin either side) with the closes the
check read marked, the claimed and the actual value, the basis, and the verdict with its
reason."""
import altair as alt
import pandas as pd
import streamlit as st

from extractor import kinds as registry
from extractor.store import CHECKED_TABLES
from extractor.ui import queries
from extractor.ui.common import connect, md, open_article, open_claim, require_articles

db = connect()
st.title("Claim detail")
require_articles(db)


def _parse(param: str | None) -> tuple[str, int] | None:
    table, _, fact_id = (param or "").rpartition("-")
    return (table, int(fact_id)) if table in CHECKED_TABLES and fact_id.isdigit() else None


def price_chart(c: dict) -> None:
    """The ticker's closes over the window and a margin, the window shaded, the closes
    the check measured from and to marked."""
    symbol = c["checked_symbol"] or c["ticker"]
    first, last = registry.get(table).days or ("", "")
    start, end = c["start_date"] or c.get(first), c["end_date"] or c.get(last)
    if symbol and start and end:
        prices = pd.DataFrame(queries.price_history(db, symbol, start, end))
        if prices.empty:
            st.info(f"No prices for {symbol} around {start} … {end}: "
                    f"`extractor prices import FILE --symbol {symbol}`.")
        else:
            column = "adj_close" if c["basis"] == "total_return" and prices["adj_close"].notna().any() else "close"
            prices["date"] = pd.to_datetime(prices["date"])
            line = alt.Chart(prices).mark_line().encode(
                x=alt.X("date:T", title=None), y=alt.Y(f"{column}:Q", title=f"{symbol} {column}",
                                                        scale=alt.Scale(zero=False)),
                tooltip=["date:T", f"{column}:Q"])
            marks = pd.DataFrame({"date": pd.to_datetime([start, end]), "what": ["start", "end"]})
            rules = alt.Chart(marks).mark_rule(strokeDash=[4, 3], color="#c0392b").encode(
                x="date:T", tooltip=["what", "date:T"])
            labels_ = alt.Chart(marks).mark_text(align="left", dx=4, dy=-4, color="#c0392b").encode(
                x="date:T", y=alt.value(10), text="what")
            band = alt.Chart(pd.DataFrame({"a": pd.to_datetime([c.get(first) or start]),
                                           "b": pd.to_datetime([c.get(last) or end])})
                             ).mark_rect(opacity=0.12, color="#2b7a78").encode(x="a:T", x2="b:T")
            st.altair_chart(band + line + rules + labels_, key="chart")
            st.caption(f"{symbol} daily {column}; shaded: the claim's window; dashed: the closes "
                       "the check measured from and to.")
    elif symbol:
        st.info("The claim has no resolved window, so there is nothing to chart.")


chosen = _parse(st.query_params.get("claim"))
detail = queries.claim_detail(db, *chosen) if chosen else None
if detail:  # pick among the claims of the same article
    options = queries.checked_claims(db, detail["article_id"])
else:  # the contradicted claims, else those of the newest article with any
    options = queries.checked_claims(db)
    newest = db.execute("SELECT article_id FROM claims ORDER BY published DESC LIMIT 1").fetchone()
    if not options and newest:
        options = queries.checked_claims(db, newest[0])
if not options and chosen is None:
    st.info("No checked claims (flows, returns, levels, targets) stored yet.")
    st.stop()
labels = {(registry.by_name(o["claim_type"]).table, o["fact_id"]):
          f"{o['verdict'] or 'not checked'} · {o['ticker']} · {o['evidence'][:90]}" for o in options}
keys = list(labels)
if chosen is not None and chosen not in labels:
    keys.insert(0, chosen)
pick = st.selectbox("Claim", keys, index=keys.index(chosen) if chosen in keys else 0, key="claim-pick",
                    format_func=lambda k: labels.get(k, f"{k[0]} #{k[1]}"))
if pick != chosen:
    open_claim(*pick)
table, fact_id = pick
c = detail if pick == chosen else queries.claim_detail(db, table, fact_id)
if c is None:
    st.warning(f"{table} #{fact_id} is no longer in the database (its article was ingested again).")
    st.stop()

st.markdown(f"> {md(c['evidence'])}")
st.caption(f"from “{md(c['title'] or 'untitled')}” ({c['published'] or 'no date'}) · status {c['status']}")
from extractor.export import same_claim_counts  # noqa: E402 (the page reads it only here)

same_claim = same_claim_counts(db, table, fact_id) if table in ("flows", "returns") else None
if st.button("Open the article", key="to-article", icon=":material/article:"):
    open_article(c["article_id"])

kind = registry.get(table)
claimed, actual = kind.claimed(c), kind.actual(c)
verdict = c["verdict"] or "not checked"
m1, m2, m3 = st.columns(3)
m1.metric("Claimed", claimed, help=f"qualifier: {c.get('qualifier') or 'none'}")
m2.metric("Actual", actual)
m3.metric("Verdict", verdict)
st.caption(md(kind.when(c)))
if c["verdict"] is None:
    st.info("No verdict yet: import prices (`extractor prices import DIR`) and run `extractor check`.")
else:
    say = {"confirmed": st.success, "contradicted": st.error}.get(c["verdict"], st.warning)
    say(md(c["reason"] or verdict))
price_chart(c)
if c["verdict"] is not None:
    basis = {"price": "price return (close)", "total_return": "total return (adjusted close)",
             "intraday_range": "the session's high-low range (intraday figure)",
             "net_flow": "net flows", "shares_outstanding": "shares outstanding × close",
             "close": "the close as traded", "high_low": "the session's low-high range as traded"}
    facts = {"basis": basis.get(c["basis"], c["basis"]), "series": c["checked_symbol"],
             "measured from": c["start_date"], "to": c["end_date"],
             "sessions early": c["sessions_early"],
             "how it was reached": c.get("reading"),
             "the same claim in other articles": same_claim,
             "tolerance": f"{c['tolerance']:.4g}" if c["tolerance"] is not None else None,
             "accepted": (f"{c['accept_low']:.4g} … {c['accept_high']:.4g}"
                          if c["accept_low"] is not None and c["accept_high"] is not None else None),
             "forecast": "yes" if c["forecast"] else None,
             "flow ÷ dollar volume": c["flow_multiple"], "checked at": c["checked_at"]}
    st.dataframe(pd.DataFrame([{"": k, "value": str(v)} for k, v in facts.items() if v is not None]),
                 hide_index=True, key="facts")
    if c["sentiment_disagrees"]:
        st.warning(f"The article is {c['stance']} on {c['ticker']}, but the price moved the other way.")

if c["evaluations"]:
    st.subheader("Every basis tried")
    st.dataframe(pd.DataFrame(c["evaluations"]), hide_index=True, key="evaluations")
