"""Hearsay: the quote passes something on ("it is reported that X", "it is alleged that X") and the
claim states X as fact, with no "reportedly", "reports say" or "allegedly" of its own.

The hedge must govern what the claim restates: at least half of the claim's content words are in
the part of the quote's sentence after it. A hedging adverb on an event ("allegedly hid") is
matching.py's to judge, on the matched events; a named source ("the ministry said that X") is
attribution, judged in attribution.py: dropping it is how summaries are written, while dropping
"it is reported" turns a rumour into a fact.
"""

from __future__ import annotations

import re

from spacy.tokens import Doc

from kit.grounding.structure.fault import Fault
from kit.grounding.structure.words import content_lemmas

_HEDGE = re.compile(
    r"\bit(?:'s|’s|\s+is|\s+was|\s+has|\s+had)(?:\s+been)?\s+(?:reported|alleged|rumou?red|claimed)\s+that\b",
    re.IGNORECASE)
# What in a claim keeps the hedge: the same words, or a report as the source.
_KEPT = re.compile(r"\b(?:report\w*|alleg\w*|purported\w*|rumou?r\w*|unconfirmed|claim\w*)\b", re.IGNORECASE)
_SHARE = 0.5  # of the claim's content words found in the hedged part


def check_hearsay(claim: Doc, quote: Doc) -> list[Fault]:
    """A modality fault when the claim states as fact what the quote only reports."""
    if _KEPT.search(claim.text):
        return []
    words = content_lemmas(claim)
    if not words:
        return []
    for sent in quote.sents:
        m = _HEDGE.search(sent.text)
        if m is None:
            continue
        hedged = quote.char_span(sent.start_char + m.end(), sent.end_char, alignment_mode="expand")
        if hedged is not None and len(words & content_lemmas(hedged)) >= _SHARE * len(words):
            return [Fault("modality", f'the quote only passes it on ("{m.group()}"); the claim states it as fact')]
    return []
