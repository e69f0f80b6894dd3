"""Clauses of a claim said in other words: a clause whose words the quote mostly lacks, close in
meaning (MiniLM cosine) to a sentence or clause of the quotes whose words it replaces. An embedding does not tell "more
crossings" from "fewer crossings", nor "raised fares" from "cut fares", nor "this year" from "next
year": a clause that lacks a word of degree, quantity, direction, time or negation is never excused
this way.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np

from kit.grounding.negation import NEGATIONS
from kit.grounding.wording import Words, has_word

# Comparatives and superlatives (JJR "fewer", RBS "most"), read from the tagger.
_DEGREE_TAGS = frozenset({"JJR", "JJS", "RBR", "RBS"})
_QUANTITY = frozenset("all every each none only some most least few several many much any both either half "
                      "whole entire always sometimes rarely seldom first last".split())
# Words that place an event in time relative to now: "this year" is not "next year".
_WHEN = frozenset("this next last previous past coming following recent recently ago yesterday today tomorrow "
                  "tonight already yet still soon".split())


def loaded(clause: str, found: Words) -> bool:
    """Whether a word of `clause` that the quote (its words `found`) lacks is one of degree,
    quantity, direction, time or negation: "more", "fewer", "all", "raised", "next", "not"."""
    from kit.grounding.structure.lexicon import AXES
    from kit.grounding.structure.parser import parse

    direction = next(pos | neg for name, pos, neg in AXES if name == "direction")
    return any(not has_word(t.lower_, found) and (t.tag_ in _DEGREE_TAGS or t.lower_ in _QUANTITY | _WHEN | NEGATIONS
                                                  or t.lemma_.lower() in direction) for t in parse(clause))


def least_similarity(clauses: Sequence[str], parts: Sequence[str], embed: Callable[[list[str]], np.ndarray],
                     replaced: Callable[[str], bool]) -> float:
    """The least cosine of `clauses`, each to its closest of `parts`; 1 without clauses. -1 when that
    part has no word the claim replaced (`replaced(part)`): a clause that only adds words to what the
    quote says ("grew into a nationwide uprising by pattern recognition receptors") is no rewording."""
    if not clauses:
        return 1.0
    if not parts:
        return -1.0
    vectors = embed([*clauses, *parts])
    sims = vectors[len(clauses):] @ vectors[:len(clauses)].T  # (parts, clauses)
    best = sims.argmax(axis=0)
    if not all(replaced(parts[j]) for j in best):
        return -1.0
    return float(sims.max(axis=0).min())
