"""Article text as HTML with the stored spans highlighted by kind.

The text is cut at every span boundary; each piece is escaped and wrapped in one
``<span>`` whose classes name every kind covering it, so overlapping spans (a ticker
inside a flow inside a quote) need no nesting and CSS decides how they combine.
Everything from the article goes through ``html.escape``: an article containing
``<script>`` shows it as text.
"""
from __future__ import annotations

import html
from collections.abc import Sequence

from .queries import Span

from .. import kinds as registry

# Stacking order, lowest first: later rules win where kinds overlap (the ticker's colour
# shows inside a flow). Each kind declares its style and layer; a window is drawn on layer 1.
_WINDOW_STYLE = "text-decoration: underline dotted #2b7a78 2px; background: #dff3f1;"
_STYLES = sorted([(k.layer, k.name, k.style) for k in registry.all_kinds() if k.span_label != "NULL"]
                 + [(1, "window", _WINDOW_STYLE)])
KIND_ORDER = tuple(name for _, name, _ in _STYLES)
CSS = ("""
<style>
.ex-article { white-space: pre-wrap; line-height: 1.7; font-size: 0.95rem; }
""" + "".join(f".ex-{name} {{ {style} }}\n" for _, name, style in _STYLES) + """.ex-rejected { opacity: 0.45; text-decoration: line-through; }
.ex-legend span { padding: 0 0.4em; margin-right: 0.5em; border-radius: 3px; }
</style>
""")


def legend() -> str:
    return ('<div class="ex-legend">' + "".join(
        f'<span class="ex-{k}">{k}</span>' for k in reversed(KIND_ORDER)) + "</div>")


def render(text: str, spans: Sequence[Span], *, offset: int = 0) -> str:
    """``text`` (which starts at character ``offset`` of the stored article) as HTML.

    Every piece carries ``data-s``, the article offset where it starts, so a selection in
    the browser maps back to exact character offsets (the review page's "add from
    selection"). One sweep over the span boundaries: an article with thousands of claims
    draws in time proportional to its spans, not their square."""
    n = len(text)
    inside = [s for s in spans if s.end > offset and s.start < offset + n]
    starts: dict[int, list[int]] = {}
    ends: dict[int, list[int]] = {}
    cuts = {0, n}
    for i, s in enumerate(inside):
        a, b = max(s.start - offset, 0), min(s.end - offset, n)
        if b <= a:
            continue
        cuts.update((a, b))
        starts.setdefault(a, []).append(i)
        ends.setdefault(b, []).append(i)
    bounds = sorted(cuts)
    out = [CSS, legend(), '<div class="ex-article">']
    active: dict[int, Span] = {}
    for a, b in zip(bounds, bounds[1:]):
        for i in ends.get(a, ()):
            active.pop(i, None)
        for i in starts.get(a, ()):
            active[i] = inside[i]
        piece = html.escape(text[a:b])
        if not active:
            out.append(f'<span data-s="{offset + a}">{piece}</span>')
            continue
        covering = list(active.values())
        kinds = sorted({s.kind for s in covering}, key=KIND_ORDER.index)
        classes = " ".join(f"ex-{k}" for k in kinds)
        if all(s.status == "rejected" for s in covering):
            classes += " ex-rejected"
        title = html.escape("; ".join(f"{s.kind}: {s.label} ({s.status})" for s in covering[:20]),
                            quote=True)
        out.append(f'<span class="{classes}" data-s="{offset + a}" title="{title}">{piece}</span>')
    out.append("</div>")
    return "".join(out)
