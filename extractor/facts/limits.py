"""Every distance and threshold the fact rules decide with, declared once.

The rules read a number's neighbourhood in characters; each reach below says how far a
cue may be from the number and still govern it. They were set on the 26 seed articles
and checked by article-level cross-validation over ``../shared/corpus-dev`` (see
``training/attachment.py``); changing one changes the dev scores, so change it with a
run of ``../shared/eval/score.py`` before and after.
"""
from __future__ import annotations

# --- candidates
# A sentence this long is a table run together or garbage, never a claim's sentence (the
# longest in the dev corpus is ~450 characters): its numbers are not read, which keeps the
# attachment loops (linear in the sentence per number) from turning quadratic.
MAX_SENTENCE = 3000
# Numbers listed together ("12.0% and 11.5%") are at most this far apart.
GROUP_GAP = 40  # "3.8% in the second quarter and just 1.2%": a period phrase between members
# The smallest amount read as a fund flow (below it: a price or a share count).
MIN_FLOW_USD = 10_000

# --- the classifier's veto
# The classifier overrules a rule candidate when it gives the candidate's own roles at
# most 1 - ROLE_VETO of its probability ("32 percent of its weight", "$14.4B in
# assets") and the rule's cue does not govern the number outright. 0.6 was set before
# any measurement and not tuned.
ROLE_VETO = 0.6

# --- ticker attachment
# "$441.5 million from HYG": the preposition within PREP_REACH characters of the amount,
# the ticker within PREP_TAIL characters after the preposition.
PREP_REACH = 90
PREP_TAIL = 45
# A ticker after the number, when none comes before it in the clause, within this reach.
RIGHT_REACH = 120

# --- cues around a number
RETURN_CUE_LEFT = 90      # a movement cue ("fell", "up") before the number
RETURN_CUE_RIGHT = 40     # "a 5% gain", "8% below its high"
RETURN_SUBJECT_REACH = 40  # from the ticker to the number, where a cue names its move
FLOW_CUE_LEFT = 120       # "poured ... into", "redemptions"
FLOW_CUE_RIGHT = 80
FLOW_GOVERNS_LEFT = 60    # "brought in $1 billion"
FLOW_GOVERNS_RIGHT = 40   # "$2 billion of inflows"
FORECAST_LEFT = 60        # "expects the S&P 500 to increase 18 percent"
COMPARED_REACH = 30       # "lagged the Russell": the comparison verb just before the ticker
GAPPED_REACH = 12         # ", and EZU 1.4 per cent": the "and" just before a ticker whose verb is understood
COMPLEMENT_REACH = 30     # "1.2% in the third (quarter)": how far a list member's own words are read
RUN_TO_REACH = 40         # "the S&P 500's 2012 rally to 17 percent": the running total's noun before the number

# --- window attachment
# A time phrase after the number reads first at the same distance ("down 11 percent
# since July 22"): its distance counts this much.
AFTER_PHRASE_WEIGHT = 0.8
