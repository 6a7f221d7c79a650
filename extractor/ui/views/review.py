"""Article review: the text with every stored span highlighted by kind, the claims as
editable tables (accept, reject, edit any field), add a missed claim from selected text,
accept all and go on, and the article's history of changes with undo.

Every action carries the claim the page showed (its id and ``review.fact_version``):
buttons bind them when drawn, the keys send them back from the browser, the table's
edits look them up by the row drawn. A claim that changed or vanished since (another
reviewer, a re-ingest) is refused with a message, never replaced by its neighbour. The
kind on screen is a keyed radio, so it survives every rerun."""
import re

import pandas as pd
import streamlit as st

from extractor import kinds as registry
from extractor import review
from extractor.normalize.amount import find_money, find_percents
from extractor.schema import STATUSES
from extractor.store import CHECKED_TABLES
from extractor.ui import highlight, keys, queries
from extractor.ui.common import (PAGES, connect, flash, md, open_article, open_claim,
                                 require_articles, say)

# The kinds in the order the registry shows them, tickers last (they are the least to review).
TABS = {k.table: k.title for k in sorted(registry.all_kinds(), key=lambda k: not k.counted)}
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
    seen = st.session_state.get(f"{key}-versions", {})
    changed = 0
    for pos, cells in edited.items():
        pos = int(pos)
        if pos >= len(ids):
            continue
        values = {f: _cell(f, v) for f, v in cells.items() if f != "status"}
        try:
            change = review.edit(db, table, ids[pos], values, status=cells.get("status"),
                                 expect=seen.get(ids[pos]))
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
    st.session_state[f"{key}-versions"] = queries.versions(db, table, article_id)
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
        "amount_usd": st.column_config.NumberColumn("amount $", format="%,.0f", min_value=0, width="medium"),
        "window_source": st.column_config.TextColumn("window from", help="claim: its own clause; "
                                                     "sentence; paragraph or article: borrowed; reviewer"),
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
    return f"#{r['id']} {registry.get(table).describe(r)} [{r['status']}]"


def decide(table: str, fact_id: int, version: str | None, status: str) -> None:
    """Accept or reject the claim the page showed (bound when the button was drawn)."""
    db = connect()
    try:
        change = review.edit(db, table, fact_id, status=status, expect=version)
    except review.ReviewError as exc:
        say("error", str(exc))
        return
    word = {"accepted": "Accepted", "rejected": "Rejected"}[status]
    if change.fields:
        say("success" if status == "accepted" else "warning", f"{word} {table} #{fact_id}.")
    review.refresh_verdicts(db, table)


def quick_actions(db, table: str, rows: list[dict], article_id: str) -> dict | None:
    """Pick one claim by its id, accept or reject it, open its detail; returns the claim
    on screen ({table, id, version}) for the keys."""
    ids = [r["id"] for r in rows]
    by_id = {r["id"]: r for r in rows}
    pick_key = f"pick-{table}-{article_id[:12]}"
    pending = st.session_state.pop(f"{pick_key}-next", None)
    if pending in ids:
        st.session_state[pick_key] = pending
    if st.session_state.get(pick_key) not in ids:
        st.session_state[pick_key] = ids[0]
    versions = st.session_state.get(f"{editor_key(table, article_id)}-versions", {})
    with st.container(horizontal=True, vertical_alignment="bottom"):
        fact_id = st.selectbox("Claim", ids, key=pick_key, format_func=lambda i: _label(table, by_id[i]))
        version = versions.get(fact_id)
        st.button("Accept", key=f"accept-{table}", icon=":material/check:", on_click=decide,
                  args=(table, fact_id, version, "accepted"), help="Key: a")
        st.button("Reject", key=f"reject-{table}", icon=":material/close:", on_click=decide,
                  args=(table, fact_id, version, "rejected"), help="Key: x")
        if table in CHECKED_TABLES and st.button("Claim detail", key=f"detail-{table}",
                                                 icon=":material/show_chart:"):
            open_claim(table, fact_id)
    return {"table": table, "id": fact_id, "version": version, "ids": ids}


# A sentence ends at . ! ? followed by a space and a capital, a quote or a digit, or at
# a line break; not inside "U.S.", "2.7" or after "Inc." / "Mr." (as the extractor's
# tokens keep them whole).
_END = re.compile(r"(?<=[.!?])[\"”’)]*\s+(?=[\"“‘(]?[A-Z0-9$])|\n+")
_NOT_END = re.compile(r"(?:\b[A-Z]\.|\b(?:Inc|Corp|Co|Ltd|Mr|Mrs|Ms|Dr|St|Jr|Sr|vs|No|Jan|Feb|Mar|Apr|Jun|"
                      r"Jul|Aug|Sep|Sept|Oct|Nov|Dec|U\.S|U\.K|Gov|Sen|Rep)\.)$")


def sentences(text: str, offset: int) -> list[tuple[int, int]]:
    out, start = [], 0
    for m in _END.finditer(text):
        if m.group().strip() and _NOT_END.search(text[max(0, m.start() - 6):m.start()]):
            continue
        if text[start:m.start()].strip():
            out.append((start + offset, m.start() + offset))
        start = m.end()
    if text[start:].strip():
        out.append((start + offset, len(text) + offset))
    return out


def _locate(text: str, words: str, near: int) -> int | None:
    hits = [m.start() for m in re.finditer(re.escape(words), text)]
    return min(hits, key=lambda h: abs(h - near)) if hits else None


def _prefill(db, art: dict, kind: str, start: int, end: int) -> dict:
    evidence = art["text"][start:end]
    guess = {}
    symbols = [s.label for s in queries.spans(db, art["id"])
               if s.kind == "ticker" and start <= s.start and s.end <= end]
    column = registry.get(kind).symbol_column
    if symbols and column:
        guess[column] = symbols[0]
    money_found, pct = find_money(evidence), find_percents(evidence)
    if kind == "flows" and money_found:
        guess["amount_usd"] = money_found[0].value
        low = evidence.lower()
        if any(w in low for w in ("out", "pull", "left", "vacat", "redeem", "withdr")):
            guess["direction"] = "outflow"
        elif any(w in low for w in ("in", "pour", "added", "attract", "drew", "gather")):
            guess["direction"] = "inflow"
    if kind == "returns" and pct:
        sign = pct[0].sign or (-1 if re.search(r"\b(down|fell|fall|lost|los[se]|drop|slid|slump|declin|pullback|"
                                                r"correction|lower|plung|tumbl|sank|sink)", evidence, re.I) else 1)
        guess["value_pct"] = sign * pct[0].value
        if pct[0].value_high is not None:  # "a pullback of 5 to 10 percent": -5 .. -10
            guess["value_pct_high"] = sign * pct[0].value_high
    return guess


def add_claim(db, art: dict) -> None:
    body = art["text"][art["body_start"]:]
    spans_ = sentences(body, art["body_start"])
    if not spans_:
        st.caption("This article has no text to take evidence from.")
        return
    kind_names = {registry.get(t).name: t for t in TABS}
    on_screen = {v: k for k, v in kind_names.items()}.get(st.session_state.get("kind", "flows"), "flow")
    kind = kind_names[st.selectbox("Kind", list(kind_names), key=f"add-kind-{on_screen}",
                                   index=list(kind_names).index(on_screen))]
    selected = st.session_state.get("selection")
    if selected and selected.get("article") == art["id"]:
        start, end = int(selected["start"]), int(selected["end"])
        st.caption(f"From your selection in the text: “{md(art['text'][start:end])}”")
        if st.button("Clear the selection", key="add-clear"):
            st.session_state.pop("selection", None)
            st.rerun()
    else:
        s = st.selectbox("Sentence", range(len(spans_)), key="add-sentence",
                         format_func=lambda i: " ".join(art["text"][spans_[i][0]:spans_[i][1]].split())[:160])
        s0, s1 = spans_[s]
        words = st.text_input("Evidence: the exact words of the claim (select them in the text, or "
                              "trim the sentence)", value=art["text"][s0:s1].strip(), key=f"add-evidence-{s}")
        start = _locate(art["text"], words.strip(), s0) if words.strip() else None
        if start is None:
            st.warning("Those words are not in the article: select them in the text, or copy them exactly.")
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
            st.session_state.pop("selection", None)
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
    st.dataframe(pd.DataFrame(rows)[["change_id", "created_at", "reviewer", "fact_table", "fact_id", "field",
                                     "old_value", "new_value", "note", "undone_by"]],
                 key="history", hide_index=True)
    open_changes = list(dict.fromkeys(r["change_id"] for r in rows if r["undone_by"] is None))
    if not open_changes:
        return
    with st.container(horizontal=True, vertical_alignment="bottom"):
        described = {r["change_id"]: f"change {r['change_id']}: {r['fact_table']} #{r['fact_id']} "
                     f"{r['field']} {r['old_value']} → {r['new_value']}" for r in reversed(rows)}
        pick = st.selectbox("Change", open_changes, key="undo-pick", format_func=described.get)
        if st.button("Undo", key="undo", icon=":material/undo:", help="Key: Ctrl+Z (outside text boxes)"):
            try:
                review.undo(db, pick)
            except review.ReviewError as exc:
                say("error", str(exc))
            else:
                review.refresh_verdicts(db)
                say("success", f"Undid change {pick}.")
            st.rerun()


def handle_key(db, pressed: dict, article_id: str, seen: dict) -> None:
    """A key from the browser, with the claim the page showed when it was drawn."""
    action, table, fact_id = pressed.get("action"), pressed.get("table"), pressed.get("id")
    if action in ("accept", "reject") and table and fact_id is not None:
        decide(table, int(fact_id), pressed.get("version"), "accepted" if action == "accept" else "rejected")
    elif action in ("next-claim", "previous-claim") and table and fact_id is not None:
        ids = list(pressed.get("ids") or [])
        if fact_id in ids and ids:
            step = 1 if action == "next-claim" else -1
            st.session_state[f"pick-{table}-{article_id[:12]}-next"] = ids[(ids.index(fact_id) + step) % len(ids)]
    elif action == "next-article":
        nxt = queries.next_article(db, article_id)
        if nxt:
            open_article(nxt)
    elif action == "accept-all":
        accept_all_and_next(article_id, seen)
    elif action == "undo":
        open_changes = [r["change_id"] for r in review.history(db, article_id) if r["undone_by"] is None]
        if open_changes:
            try:
                review.undo(db, open_changes[0])
                review.refresh_verdicts(db)
                say("success", f"Undid change {open_changes[0]}.")
            except review.ReviewError as exc:
                say("error", str(exc))
    st.rerun()


def accept_all_and_next(article_id: str, seen: dict) -> None:
    """Accept the claims the page showed, as they were shown; then the next article."""
    db = connect()
    done = review.accept_all(db, article_id, seen=seen)
    review.refresh_verdicts(db)
    say("success", f"Accepted {len(done)} claim{'s' * (len(done) != 1)}.")
    st.session_state["goto-article"] = queries.next_article(db, article_id)


db = connect()
require_articles(db)
goto = st.session_state.pop("goto-article", None)
if goto:
    open_article(goto)
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
# every claim on the page as it is now: what "Accept all" may accept
seen = {(t, i): v for t in TABS for i, v in queries.versions(db, t, article_id).items()}

title = queries.display_title(art["title"], art["text"][art["body_start"]:art["body_start"] + 160], art["path"])
st.title(md(title))
st.caption(md(" · ".join(x for x in (f"published {art['published']}" if art["published"] else
                                     "no publication date", art["path"], art["source"],
                                     f"extractor {art['extractor_version']}") if x)))
if art.get("superseded_by"):
    st.warning("Source changed: the file this article was read from now holds another text. The "
               "claims reviewed here stay with this text.")
flash()

with st.container(horizontal=True):
    st.button("Accept all and next", key="accept-all", type="primary", icon=":material/done_all:",
              on_click=accept_all_and_next, args=(article_id, seen),
              help="Accept every claim on this page nobody has decided on yet, then open the next "
                   "article with unreviewed claims. Key: Ctrl+Enter (outside text boxes).")
    if st.button("Next article", key="next", icon=":material/skip_next:", help="Key: n"):
        nxt = queries.next_article(db, article_id)
        if nxt:
            open_article(nxt)
        say("info", "Every article is reviewed.")
        st.rerun()
    st.page_link(PAGES / "inbox.py", label="Inbox", icon=":material/inbox:")
st.caption("Keys (outside text boxes): a accept · x reject · j/k next/previous claim · n next article · "
           "Ctrl+Enter accept all and next · Ctrl+Z undo. Select words in the text to add a claim.")

picked = None
text_col, claims_col = st.columns([5, 6], gap="large")
with text_col:
    body = art["text"][art["body_start"]:]
    st.html(highlight.render(body, queries.spans(db, article_id), offset=art["body_start"]))
with claims_col:
    kind = st.radio("Kind", list(TABS), key="kind", horizontal=True, format_func=TABS.get,
                    label_visibility="collapsed")
    rows = claims_table(db, kind, article_id)
    if rows:
        picked = quick_actions(db, kind, rows, article_id)

with st.expander("What the article is about: relevance per ticker", icon=":material/target:"):
    about = queries.relevance(db, article_id)
    if about:
        st.dataframe(about, hide_index=True, width="stretch", column_config={
            "relevance": st.column_config.ProgressColumn("relevance", min_value=0, max_value=100, format="%d"),
            "stance": st.column_config.TextColumn("stance", help="No stance: the article takes no side on it, "
                                                  "or mentions it in passing (relevance below 20).")})
        st.caption("0 = a passing mention, 100 = the story is about it: headline 30, lead 15, 5 per claim "
                   "(up to 25), up to 30 for the share of sentences naming it; a ticker named once, or "
                   "only as a benchmark, is capped at 15 or 20.")
    else:
        st.caption("No relevance stored for this article (ingested before 0.6.0: ingest it again with --force).")
with st.expander("Add a claim the extractor missed", icon=":material/add:",
                 expanded=bool(st.session_state.get("selection"))):
    add_claim(db, art)
with st.expander("History of changes", icon=":material/history:", expanded=True):
    history(db, article_id)

pressed, selection = keys.listen(picked=picked)
if selection and selection.get("end", 0) > selection.get("start", 0):
    st.session_state["selection"] = {**selection, "article": article_id}
    st.rerun()
if pressed:
    handle_key(db, pressed, article_id, seen)
