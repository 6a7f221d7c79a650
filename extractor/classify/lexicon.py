"""A small finance lexicon: the first, simple sentence stance, with no model at all.

Words that move money or prices in one direction ("inflows", "rallied", "bearish",
"redemptions", "plunged"). Negations flip the next cue ("not bullish"). It is a
baseline the transformer classifier replaces, kept because it needs nothing installed.
"""
from __future__ import annotations

import re
from collections.abc import Sequence

POSITIVE = frozenset("""
bullish bull bulls rally rallied rallies rallying surge surged surging soar soared soaring gain gains gained
jump jumped rebound rebounded rise rose rising climb climbed advance advanced record-high optimism optimistic
upbeat inflow inflows poured attracted strong strength outperform outperformed outperforming upside buy buying
boom booming recovery recovered higher up beat beats bought accumulate accumulated confidence hot healthy
resilient winners leadership leading tailwind tailwinds upgrade upgraded cheap attractive opportunity
""".split())
NEGATIVE = frozenset("""
bearish bear bears selloff sell-off plunge plunged plunging tumble tumbled tumbling fall fell falling drop dropped
decline declined declining slide slid sliding sink sank slump slumped loss losses lost outflow outflows redemptions
redeemed vacated exited pulled bled bleed drained departures weak weakness underperform underperformed
underperforming lagging lag lagged laggard worried worries worry worrisome fear fears concern concerned risk risks
downside crash crashed crashes recession warning hesitation lower down clobbered battered beating pessimism
turmoil rout slowdown skittish crimped dwindling dour swoon ominous trouble vulnerable fleeing fled panic
""".split())
NEGATORS = frozenset({"not", "no", "never", "n't", "hardly", "without"})
_WORD = re.compile(r"[a-z][a-z'-]*|n't")


class LexiconClassifier:
    name = "lexicon-v1"

    def predict(self, sentences: Sequence[str]) -> list[tuple[str, float]]:
        out = []
        for s in sentences:
            words = _WORD.findall(s.lower())
            score, flip = 0, False
            for w in words:
                if w in NEGATORS:
                    flip = True
                    continue
                v = (w in POSITIVE) - (w in NEGATIVE)
                if v:
                    score += -v if flip else v
                    flip = False
            norm = max(-1.0, min(1.0, score / 3))
            label = "positive" if norm > 0.2 else "negative" if norm < -0.2 else "neutral"
            out.append((label, norm))
        return out
