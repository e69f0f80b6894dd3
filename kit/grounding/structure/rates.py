"""What a figure is per: "$45 a barrel" is not "$45 a day". A claim that keeps a figure of the
quote and changes what it is per ("earn $45 a day" from "$1.5 million a day, based on the price
of $45 a barrel") gives the figure another meaning; the number check alone sees the same 45.
"""

from __future__ import annotations

from spacy.tokens import Doc, Token

from kit.grounding.structure.fault import Fault
from kit.numbers import same_value, values

_EACH = frozenset({"a", "an", "each", "every", "per"})


def per_unit(num: Token) -> str | None:
    """The lemma of what the figure headed by `num` is per ("day" of "$45 a day", "$1.5 million
    per day", "3 percent a year"), or None."""
    if not (num.like_num or any(c.dep_ == "nummod" for c in num.children)):
        return None  # a figure's head: "45", "million", "percent" of "3 percent"
    for c in num.children:
        if c.dep_ == "npadvmod" and c.pos_ == "NOUN" and c.is_alpha and any(d.lower_ in _EACH for d in c.children):
            return c.lemma_.lower()
        if c.dep_ == "prep" and c.lower_ == "per":
            return next((o.lemma_.lower() for o in c.children if o.dep_ == "pobj" and o.is_alpha), None)
    return None


def _rated(doc: Doc) -> list[tuple[float, str, Token]]:
    """(value, what it is per, head) of each figure of `doc` said per something."""
    out = []
    for t in doc:
        if (unit := per_unit(t)) is not None:
            found = values(" ".join(x.text for x in t.subtree if x.like_num and x.dep_ != "conj"))
            if found:
                out.append((max(found), unit, t))
    return out


def check_rates(claim: Doc, quote: Doc) -> list[Fault]:
    """A figure the claim gives per one thing where the quote gives it only per another."""
    theirs = _rated(quote)
    for value, unit, _ in _rated(claim):
        same = [(other, head) for v, other, head in theirs if same_value(value, v)]
        if same and all(other != unit for other, _ in same):
            other, head = same[0]
            said = head.doc[head.left_edge.i:head.right_edge.i + 1].text
            return [Fault("roles", f'the quote gives the figure per {other} ("{said}"), not per {unit}')]
    return []
