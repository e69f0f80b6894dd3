"""How hard a thing is pressed on someone: a claim that makes "required" of what the quote only
"encourages" ("should require China to adopt clean practices" from "should include ways to
encourage countries such as China to develop clean practices")."""

from __future__ import annotations

from spacy.tokens import Doc, Token

from kit.grounding.structure.fault import Fault

# Verbs that leave no choice, and verbs that press or let without obliging.
_OBLIGE = frozenset("require force compel oblige mandate order make".split())
_PRESS = frozenset("encourage urge ask invite advise recommend suggest allow permit help incentivize incentivise "
                   "persuade".split())


def pressed_alike(a: str, b: str) -> bool:
    """Whether two verbs (lemmas) press a deed on someone alike: both oblige, or both press or let."""
    return any(a in kind and b in kind for kind in (_OBLIGE, _PRESS))


def check_obligation(claim: Doc, quote: Doc) -> list[Fault]:
    """A claim verb of obliging (not in the quote) whose "to do" clause or its object the quote has
    under a verb of pressing or letting: the quote says less than the claim."""
    said = {t.lemma_.lower() for t in quote}
    for c in claim:
        if c.lemma_.lower() not in _OBLIGE or c.pos_ != "VERB" or c.lemma_.lower() in said:
            continue
        mine = _what_is_pressed(c)
        for q in quote:
            if q.lemma_.lower() in _PRESS and q.pos_ == "VERB" and mine and mine & _what_is_pressed(q):
                return [Fault("modality", f'the quote only says "{q.text}" where the claim says "{c.text}"')]
    return []


def _what_is_pressed(verb: Token) -> set[str]:
    """The lemmas of the deed a verb presses for and its objects ("require X to adopt practices":
    adopt, practices)."""
    out: set[str] = set()
    for x in verb.children:
        if x.dep_ == "xcomp" and x.pos_ == "VERB":
            out.add(x.lemma_.lower())
            out |= {o.lemma_.lower() for o in x.children if o.dep_ == "dobj"}
    return out
