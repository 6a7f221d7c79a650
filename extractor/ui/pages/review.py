"""Article review: the text with every stored span highlighted by kind, the claims as
editable tables (accept, reject, edit any field), add a missed claim from its evidence,
accept all and go on, and the article's history of changes with undo."""
import re
from datetime import date

import pandas as pd
import streamlit as st

from extractor import review
from extractor.normalize.amount import find_money, find_percents
from extractor.schema import STATUSES
from extractor.store import CHECKED_TABLES
from extractor.ui import highlight, queries
from extractor.ui.common import (PAGES, connect, flash, money, open_article, open_claim,
                                 require_articles, say)

TABS = {"flows": "Flows", "returns": "Returns", "quotes": "Quotes", "sentiment": "Sentiment",
        "mentions": "Tickers"}
DATE_FIELDS = ("window_start", "window_end")


def editor_key(table: str, article_id: str) -> str:
    """The claims table's widget key; the version moves after each saved edit so the
    table starts clean from what the database now holds."""
    version = st.session_state.get(f"version-{table}", 0)
    return f"claims-{table}-{article_id[:12]}-{version}"


def _cell(field: str, value):
    if field in DATE_FIELDS and value is not None and not isinstance(value, str):
        return value.isoformat()[:10] if hasattr(value, "isoformat") else str(value)
    return value


def apply_edits(db, table: str, article_id: str) -> None:
    """Write what the person changed in the claims table (found in its widget state
    from the last rerun) to the database, before the table is drawn again."""
    key = editor_key(table, article_id)
    state = st.session_state.get(key) or {}
    edited = state.get("edited_rows") or {}
    if not edited:
        return
    ids = st.session_state.get(f"{key}-ids", [])
    changed = 0
    for pos, cells in edited.items():
        pos = int(pos)
        if pos >= len(ids):
            continue
        values = {f: _cell(f, v) for f, v in cells.items() if f != "status"}
        try:
            change = review.edit(db, table, ids[pos], values, status=cells.get("status"))
            changed += bool(change.fields)
        except review.ReviewError as exc:
            say("error", str(exc))
    st.session_state[f"version-{table}"] = st.session_state.get(f"version-{table}", 0) + 1
    if changed:
        review.refresh_verdicts(db, table)
        say("success", f"Saved {changed} change{'s' * (changed != 1)} to {table}.")


def claims_table(db, table: str, article_id: str) -> list[dict]:
    rows = queries.claims(db, article_id, table)
    if not rows:
        st.caption(f"No {TABS[table].lower()} in this article.")
        return rows
    key = editor_key(table, article_id)
    st.session_state[f"{key}-ids"] = [r["id"] for r in rows]
    frame = pd.DataFrame(rows)
    for f in DATE_FIELDS:
        if f in frame:
            frame[f] = pd.to_datetime(frame[f], errors="coerce").dt.date
    editable = list(review.EDITABLE[table])
    config = {
        "id": st.column_config.NumberColumn("#", width="small"),
        "status": st.column_config.SelectboxColumn("status", options=list(STATUSES), required=True),
        "evidence": st.column_config.TextColumn("evidence", width="large"),
        "confidence": st.column_config.NumberColumn("conf.", format="%.2f"),
        "amount_usd": st.column_config.NumberColumn("amount $", format="%,.0f", min_value=0),
        "value_pct": st.column_config.NumberColumn("value %", format="%.2f"),
        "value_pct_high": st.column_config.NumberColumn("to %", format="%.2f"),
        "score": st.column_config.NumberColumn("score", min_value=-1.0, max_value=1.0, format="%.2f"),
        "window_start": st.column_config.DateColumn("from close of"),
        "window_end": st.column_config.DateColumn("to close of"),
    }
    for field, kind in review.EDITABLE[table].items():
        if isinstance(kind, tuple):
            config[field] = st.column_config.SelectboxColumn(field, options=list(kind))
    first = ["id", "status", *(["verdict"] if "verdict" in frame else [])]
    shown = first + [c for c in frame.columns if c not in (*first, "start", "source", "verdict_reason")]
    st.data_editor(frame[shown], key=key, hide_index=True, num_rows="fixed",
                   disabled=[c for c in shown if c not in editable and c != "status"],
                   column_config=config)
    return rows


def _label(table: str, r: dict) -> str:
    what = {"flows": lambda: f"{r['ticker']} {r['direction']} {money(r['amount_usd'])}",
            "returns": lambda: f"{r['ticker']} {r['value_pct']:+g}%" if r["value_pct"] is not None
            else f"{r['ticker']}",
            "quotes": lambda: f"{r['speaker']}",
            "sentiment": lambda: f"{r['ticker']} {r['label']}",
            "mentions": lambda: f"{r['symbol']}"}[table]()
    return f"#{r['id']} {what} [{r['status']}]"


def quick_actions(db, table: str, rows: list[dict]) -> None:
    """Accept or reject one claim without touching the table (and open its detail)."""
    with st.container(horizontal=True, vertical_alignment="bottom"):
        pick = st.selectbox("Claim", range(len(rows)), key=f"pick-{table}",
                            format_func=lambda i: _label(table, rows[i]))
        fact_id = rows[pick]["id"]
        for label, decide, kind, icon in (("Accept", review.accept, "success", "check"),
                                          ("Reject", review.reject, "warning", "close")):
            if st.button(label, key=f"{label.lower()}-{table}", icon=f":material/{icon}:"):
                if decide(db, table, fact_id).fields:
                    say(kind, f"{label}ed {table} #{fact_id}.")
                review.refresh_verdicts(db, table)
                st.rerun()
        if table in CHECKED_TABLES and st.button("Claim detail", key=f"detail-{table}",
                                                 icon=":material/show_chart:"):
            open_claim(table, fact_id)


_SENTENCE = re.compile(r"[^.!?\n]+(?:[.!?]+|$)", re.M)


def sentences(text: str, offset: int) -> list[tuple[int, int]]:
    return [(m.start() + offset, m.end() + offset) for m in _SENTENCE.finditer(text)
            if m.group().strip()]


def _locate(text: str, words: str, near: int) -> int | None:
    hits = [m.start() for m in re.finditer(re.escape(words), text)]
    return min(hits, key=lambda h: abs(h - near)) if hits else None


def _prefill(db, art: dict, kind: str, start: int, end: int) -> dict:
    evidence = art["text"][start:end]
    guess = {}
    symbols = [s.label for s in queries.spans(db, art["id"])
               if s.kind == "ticker" and start <= s.start and s.end <= end]
    if symbols:
        guess["ticker" if kind != "mentions" else "symbol"] = symbols[0]
    money_found, pct = find_money(evidence), find_percents(evidence)
    if kind == "flows" and money_found:
        guess["amount_usd"] = money_found[0].value
        low = evidence.lower()
        if any(w in low for w in ("out", "pull", "left", "vacat", "redeem", "withdr")):
            guess["direction"] = "outflow"
        elif any(w in low for w in ("in", "pour", "added", "attract", "drew", "gather")):
            guess["direction"] = "inflow"
    if kind == "returns" and pct:
        sign = pct[0].sign or (-1 if re.search(r"\b(down|fell|lost|drop|slid|declin)", evidence,
                                                re.I) else 1)
        guess["value_pct"] = sign * pct[0].value
    return guess


def add_claim(db, art: dict) -> None:
    body = art["text"][art["body_start"]:]
    spans_ = sentences(body, art["body_start"])
    if not spans_:
        st.caption("This article has no text to take evidence from.")
        return
    kind_names = {"flow": "flows", "return": "returns", "quote": "quotes", "sentiment": "sentiment",
                  "ticker": "mentions"}
    kind = kind_names[st.selectbox("Kind", list(kind_names), key="add-kind")]
    s = st.selectbox("Sentence", range(len(spans_)), key="add-sentence",
                     format_func=lambda i: art["text"][spans_[i][0]:spans_[i][1]].strip()[:160])
    s0, s1 = spans_[s]
    words = st.text_input("Evidence: the exact words of the claim (trim the sentence, or paste "
                          "words you selected in the text)", value=art["text"][s0:s1].strip(),
                          key=f"add-evidence-{s}")
    start = _locate(art["text"], words.strip(), s0) if words.strip() else None
    if start is None:
        st.warning("Those words are not in the article: copy them exactly from the text.")
        return
    end = start + len(words.strip())
    st.caption(f"Evidence at characters {start}..{end}.")
    guess = _prefill(db, art, kind, start, end)
    values = {}
    with st.container(horizontal=True):
        for field, ftype in review.EDITABLE[kind].items():
            wkey = f"add-{kind}-{field}-{start}-{end}"
            default = guess.get(field)
            if isinstance(ftype, tuple):
                options = ["", *ftype]
                values[field] = st.selectbox(field, options, key=wkey,
                                             index=options.index(default) if default in options else 0)
            else:
                values[field] = st.text_input(field, key=wkey,
                                              value="" if default is None else review.as_text(default))
    if st.button("Add claim", key="add-submit", type="primary", icon=":material/add:"):
        try:
            change = review.add(db, art["id"], kind, start, end, values)
        except review.ReviewError as exc:
            st.error(str(exc))
            return
        review.refresh_verdicts(db, kind)
        say("success", f"Added {kind} #{change.fact_id}.")
        st.rerun()


def history(db, article_id: str) -> None:
    rows = review.history(db, article_id)
    if not rows:
        st.caption("No changes to this article's claims yet.")
        return
    st.dataframe(pd.DataFrame(rows)[["change_id", "created_at", "fact_table", "fact_id", "field",
                                     "old_value", "new_value", "note", "undone_by"]],
                 key="history", hide_index=True)
    open_changes = list(dict.fromkeys(r["change_id"] for r in rows if r["undone_by"] is None))
    if not open_changes:
        return
    with st.container(horizontal=True, vertical_alignment="bottom"):
        described = {r["change_id"]: f"change {r['change_id']}: {r['fact_table']} #{r['fact_id']} "
                     f"{r['field']} {r['old_value']} → {r['new_value']}" for r in reversed(rows)}
        pick = st.selectbox("Change", open_changes, key="undo-pick", format_func=described.get)
        if st.button("Undo", key="undo", icon=":material/undo:", shortcut="Ctrl+Z"):
            try:
                review.undo(db, pick)
            except review.ReviewError as exc:
                say("error", str(exc))
            else:
                review.refresh_verdicts(db)
                say("success", f"Undid change {pick}.")
            st.rerun()


db = connect()
require_articles(db)
article_id = st.query_params.get("article") or queries.next_article(db, None)
if article_id is None:  # every article reviewed: show the newest
    article_id = db.execute("SELECT id FROM articles ORDER BY published DESC, id LIMIT 1").fetchone()[0]
art = queries.article(db, article_id)
if art is None:
    st.warning("That article is no longer in the database (it was ingested again with new "
               "text, or removed).")
    st.page_link(PAGES / "inbox.py", label="Back to the inbox", icon=":material/inbox:")
    st.stop()
st.query_params["article"] = article_id

for table in TABS:  # before anything is drawn, so the page shows the saved state
    apply_edits(db, table, article_id)

st.title(art["title"] or art["path"] or article_id[:12])
st.caption(" · ".join(x for x in (f"published {art['published']}" if art["published"] else
                                  "no publication date", art["path"], art["source"],
                                  f"extractor {art['extractor_version']}") if x))
flash()

with st.container(horizontal=True):
    if st.button("Accept all and next", key="accept-all", type="primary", shortcut="Ctrl+Enter",
                 icon=":material/done_all:",
                 help="Accept every claim nobody has decided on yet, then open the next "
                      "article with unreviewed claims."):
        done = review.accept_all(db, article_id)
        review.refresh_verdicts(db)
        say("success", f"Accepted {len(done)} claim{'s' * (len(done) != 1)} of "
                       f"“{art['title'] or art['path']}”.")
        nxt = queries.next_article(db, article_id)
        if nxt:
            open_article(nxt)
        st.rerun()
    if st.button("Next article", key="next", shortcut="Alt+N", icon=":material/skip_next:"):
        nxt = queries.next_article(db, article_id)
        if nxt:
            open_article(nxt)
        say("info", "Every article is reviewed.")
        st.rerun()
    st.page_link(PAGES / "inbox.py", label="Inbox", icon=":material/inbox:")

text_col, claims_col = st.columns([5, 6], gap="large")
with text_col:
    body = art["text"][art["body_start"]:]
    st.html(highlight.render(body, queries.spans(db, article_id), offset=art["body_start"]))
with claims_col:
    for table, tab in zip(TABS, st.tabs(list(TABS.values()))):
        with tab:
            rows = claims_table(db, table, article_id)
            if rows:
                quick_actions(db, table, rows)

with st.expander("Add a claim the extractor missed", icon=":material/add:"):
    add_claim(db, art)
with st.expander("History of changes", icon=":material/history:", expanded=True):
    history(db, article_id)
