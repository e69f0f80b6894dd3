"""What a verb of seeking asks for: "called for an inquiry", "demanded new measures", "are looking
for the hikers" name a thing sought, not one had or done. Read on the quote's side, what is only
asked for is no deed (`kit.grounding.structure.unrealised`); on the claim's side, what the claim
says was asked for is no claim that it happened, so a quote saying it did not happen is no
contradiction ("called for ... addressing current issues" / "current issues were not addressed").
"""

from __future__ import annotations

from spacy.tokens import Token

# Verbs whose "for" phrase is sought, and verbs whose object is.
SEEKING_FOR = frozenset("call look search hunt press push ask appeal campaign lobby".split())
SEEKING = frozenset("demand seek request propose want recommend advocate".split())
# The links a sought thing hangs by, up to the verb of seeking: "called for addressing the
# shortage" (addressing: pcomp of for, prep of called), "demanded the release and return of X".
_CLIMB = frozenset({"conj", "pobj", "pcomp", "prep", "dobj", "compound", "appos"})


def asked_for(verb: Token, below: Token) -> bool:
    """Whether `below` (a preposition or object of `verb`) is what the verb asks or looks for."""
    lemma = verb.lemma_.lower()
    if below.dep_ == "prep" and below.lower_ == "for":
        return lemma in SEEKING_FOR
    return below.dep_ == "dobj" and lemma in SEEKING


def sought(token: Token) -> bool:
    """Whether `token` is (part of) what a verb of seeking above it asks for."""
    below = token
    for _ in range(6):
        head = below.head
        if head is below:
            return False
        if head.pos_ in ("VERB", "AUX") and asked_for(head, below):
            return True
        if below.dep_ not in _CLIMB:
            return False
        below = head
    return False
