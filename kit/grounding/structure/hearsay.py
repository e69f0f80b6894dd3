"""Hearsay: the quote passes something on ("it is reported that X", "it is alleged that X") or
forecasts a state ("X is likely to be Y") and the claim states X as fact, with no "reportedly",
"reports say", "allegedly" or "likely" of its own.

The hedge must govern what the claim restates: at least half of the claim's content words are in
the part of the quote's sentence after it. A hedging adverb on an event ("allegedly hid") is
matching.py's to judge, on the matched events; a named source ("the ministry said that X") is
attribution, judged in attribution.py: dropping it is how summaries are written, while dropping
"it is reported" turns a rumour into a fact.
"""

from __future__ import annotations

import re

from spacy.tokens import Doc, Token

from kit.grounding.structure.fault import Fault
from kit.grounding.structure.words import content_lemmas

_HEDGE = re.compile(
    r"\bit(?:'s|’s|\s+is|\s+was|\s+has|\s+had)(?:\s+been)?\s+(?:reported|alleged|rumou?red|claimed)\s+that\b",
    re.IGNORECASE)
# What in a claim keeps the hedge: the same words, or a report as the source.
_KEPT = re.compile(r"\b(?:report\w*|alleg\w*|purported\w*|rumou?r\w*|unconfirmed|claim\w*|supposed\w*|according\s+to"
                   r"|(?:said|believed|thought|understood)\s+to)\b", re.IGNORECASE)  # "is said to be losing"
# "likely to be": a forecast of a state, where no event of the claim's matches the quote's copula
# ("The last stand will be miles away" from "last stand likely to be miles away from Raqqa").
_LIKELY = re.compile(r"\b(?:likely|unlikely|probably|possibly|expected)\s+to\s+be\b", re.IGNORECASE)
_KEPT_LIKELY = re.compile(r"\b(?:likely|unlikely|probabl\w*|possibl\w*|perhaps|maybe|may|might|could|expect\w*)\b",
                          re.IGNORECASE)
_SHARE = 0.5  # of the claim's content words found in the hedged part


def check_hearsay(claim: Doc, quote: Doc) -> list[Fault]:
    """A modality fault when the claim states as fact what the quote only reports, or only
    expects to be so."""
    words = content_lemmas(claim)
    if not words:
        return []
    # "it is reported that" hedges what follows it; "likely to be", the clause it sits in (the subject comes first)
    for hedge, kept, why in ((_HEDGE, _KEPT, "only passes it on"), (_LIKELY, _KEPT_LIKELY, "only expects it")):
        if kept.search(claim.text):
            continue
        for sent in quote.sents:
            m = hedge.search(sent.text)
            if m is None:
                continue
            hedged = (quote.char_span(sent.start_char + m.end(), sent.end_char, alignment_mode="expand")
                      if hedge is _HEDGE else _clause(quote, sent.start_char + m.start()))
            if hedged is not None and len(words & content_lemmas(hedged)) >= _SHARE * len(words):
                return [Fault("modality", f'the quote {why} ("{m.group()}"); the claim states it as fact')]
    return []


def _clause(doc: Doc, at: int) -> list[Token] | None:
    """The clause of the word at character `at`: the subtree of what it modifies ("is" in "X is
    likely to be", the noun of a headline "X likely to be")."""
    span = doc.char_span(at, at + 1, alignment_mode="expand")
    return list(span[0].head.subtree) if span is not None and len(span) else None
