"""A word moved onto the thing an event is done to: "coordinate a ground operation" from "coordinate
operations ... There has been no discussion about a ground operation". The claim's event is the
quote's, and so is the thing; the word the claim puts before it the quote gives to that thing
elsewhere, in another sentence: the claim joins two of the quote's statements into one neither makes.
A word the quote does not have at all is the word check's to find; a thing the quote names with
"the" or "its" ("placing the devices") points back to its fuller name and is left alone.
"""

from __future__ import annotations

from spacy.tokens import Token

from kit.grounding.structure.events import Event
from kit.grounding.structure.fault import Fault
from kit.grounding.structure.words import resolve

# Determiners that bring in a thing not named before; any other ("the", "these", "its") points back.
_NEW = frozenset({"a", "an", "some", "any", "another", "no"})


def _modifiers(tok: Token) -> dict[str, Token]:
    """The common words before a noun that say which or what kind ("ground" of "ground operation")."""
    return {c.lemma_.lower(): c for c in tok.children
            if c.dep_ in ("compound", "amod") and c.pos_ in ("NOUN", "ADJ") and c.is_alpha and not c.is_stop}


def moved_modifier(c: Event, q: Event) -> list[Fault]:
    """The claim's undergoer has a word the quote's same undergoer lacks, and the quote has that word
    on the same noun in another sentence."""
    mine, theirs = resolve(c.patient), resolve(q.patient)
    if mine is None or theirs is None or mine.lemma_.lower() != theirs.lemma_.lower():
        return []
    if any(d.dep_ in ("det", "poss") and d.lower_ not in _NEW for d in theirs.children):
        return []  # "placing the devices": the explosive devices named before
    own = _modifiers(theirs)
    for lemma, word in _modifiers(mine).items():
        if lemma in own:
            continue
        elsewhere = [t for t in q.token.doc if t.lemma_.lower() == theirs.lemma_.lower() and t.sent != q.token.sent
                     and lemma in _modifiers(t)]
        if elsewhere:
            other = elsewhere[0]
            return [Fault("roles", f'the quote says "{q.text()}"; the "{word.text} {other.text}" it names is in '
                                        f'another sentence: "{other.sent.text.strip()[:120]}"')]
    return []
