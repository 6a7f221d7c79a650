"""The label sets of the two jobs the classifier does, in the order its heads output them.

A model folder records its own label lists (``labels.json``); these are what
``extractor train`` writes and what the fact assembly knows how to use.
"""
from __future__ import annotations

SENTIMENT = ("negative", "neutral", "positive")

# What a money amount or percentage is in its sentence (training/roles/GUIDELINES.md).
ROLES = ("flow", "return", "forecast", "level", "aum", "weight", "rate", "other")

# Review labels people use for stance, folded onto the sentence labels.
STANCE_TO_SENTIMENT = {"bullish": "positive", "bearish": "negative", "neutral": "neutral",
                       "positive": "positive", "negative": "negative"}

# The stance a paragraph takes on one entity it names (FinEntity's labels), read from the
# entity's own tokens: "SPY gained while TLT fell" gives SPY and TLT each their own.
ENTITY_STANCE = ("negative", "neutral", "positive")
