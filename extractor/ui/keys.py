"""The review page's keyboard and text selection, as one small Streamlit component.

Streamlit's own button shortcuts fire wherever the focus is, so Ctrl+Z typed in a text
box undid saved changes. This component listens on the page itself and ignores every
key pressed in an input, a text area, a select, an editable element or the claims
table (its cell editor), like Prodigy's keys: ``a`` accept, ``x`` reject, ``j``/``k``
next/previous claim, ``n`` next article, ``Ctrl+Enter`` accept all and next, ``Ctrl+Z``
undo. Each key goes back to Python with the claim the page showed when it was drawn
(table, id, version), so a key never lands on another claim.

A mouse selection inside the article text (``.ex-article``, whose pieces carry their
article offsets in ``data-s``) goes back as exact character offsets, counted in
Unicode code points as Python counts them.
"""
from __future__ import annotations

from typing import Any

import streamlit as st

KEYS = {"a": "accept", "x": "reject", "j": "next-claim", "k": "previous-claim", "n": "next-article"}

_JS = """
export default function(component) {
  const { data, setTriggerValue } = component;
  const keys = %KEYS%;
  const typing = (e) => (e.composedPath ? e.composedPath() : [e.target]).some((el) => {
    if (!el || !el.tagName) return false;
    if (['INPUT', 'TEXTAREA', 'SELECT', 'CANVAS'].includes(el.tagName) || el.isContentEditable) return true;
    const id = el.getAttribute && el.getAttribute('data-testid');
    return id === 'stDataFrame' || id === 'stDataFrameResizable' || el.getAttribute && el.getAttribute('role') === 'textbox';
  });
  const onKey = (e) => {
    if (typing(e) || e.repeat) return;
    const mod = e.ctrlKey || e.metaKey;
    let action = null;
    if (mod && !e.shiftKey && !e.altKey && e.key.toLowerCase() === 'z') action = 'undo';
    else if (mod && e.key === 'Enter') action = 'accept-all';
    else if (!mod && !e.altKey && !e.shiftKey) action = keys[e.key];
    if (!action) return;
    e.preventDefault();
    e.stopPropagation();
    setTriggerValue('key', Object.assign({ action: action, at: Date.now() }, (data && data.picked) || {}));
  };
  const points = (s) => Array.from(s).length;
  const offset = (node, off) => {
    const el = node.nodeType === 3 ? node.parentElement : node;
    const holder = el && el.closest ? el.closest('[data-s]') : null;
    if (!holder) return null;
    const before = node.nodeType === 3 ? points(node.data.slice(0, off)) : 0;
    return parseInt(holder.getAttribute('data-s'), 10) + before;
  };
  const onUp = () => {
    const sel = document.getSelection();
    if (!sel || sel.isCollapsed || sel.rangeCount === 0) return;
    const r = sel.getRangeAt(0);
    const box = r.commonAncestorContainer.nodeType === 3 ? r.commonAncestorContainer.parentElement : r.commonAncestorContainer;
    if (!box || !box.closest || !box.closest('.ex-article')) return;
    const start = offset(r.startContainer, r.startOffset), end = offset(r.endContainer, r.endOffset);
    if (start === null || end === null || end <= start) return;
    setTriggerValue('selection', { start: start, end: end, text: sel.toString(), at: Date.now() });
  };
  document.addEventListener('keydown', onKey, true);
  document.addEventListener('mouseup', onUp);
  return () => {
    document.removeEventListener('keydown', onKey, true);
    document.removeEventListener('mouseup', onUp);
  };
}
"""


@st.cache_resource
def _component() -> Any:
    import json

    return st.components.v2.component("extractor.review_keys", js=_JS.replace("%KEYS%", json.dumps(KEYS)))


def listen(*, picked: dict[str, Any] | None, key: str = "review-keys") -> tuple[dict | None, dict | None]:
    """Mount the listener; returns (the key pressed, the text selected) of this rerun, or
    None for each. ``picked`` is the claim on screen: {table, id, version}."""
    result = _component()(key=key, data={"picked": picked or {}}, on_key_change=lambda: None,
                          on_selection_change=lambda: None)
    return getattr(result, "key", None), getattr(result, "selection", None)
