"""The state a verdict gives its object: "found guilty", "declared dead", "ruled the law
unconstitutional". The adjective is what the sentence says of the object, so it is an event of
its own about the object, as "was guilty" is: "acquitted" is then the opposite of "found guilty".
The verb ("found", "ruled") only links them (`events.is_linking`).
"""

from __future__ import annotations

from spacy.tokens import Token

# Verbs whose object takes the state they pronounce ("found the doctor innocent", "was declared dead").
VERDICT_VERBS = frozenset("find declare rule pronounce deem judge adjudge certify confirm prove hold".split())
# How the small model attaches the state: an object predicate, or a clause, an object or a
# complement of the verb ("ruled [the law unconstitutional]").
_STATE_DEPS = frozenset({"oprd", "ccomp", "dobj", "acomp", "xcomp"})


def verdict_of(t: Token) -> Token | None:
    """The verdict verb whose state the adjective `t` is, or None. Also read when the model hangs
    the adjective on the noun after it ("were found [guilty Monday]")."""
    if t.pos_ != "ADJ":
        return None
    if t.dep_ in _STATE_DEPS and _is_verdict(t.head):
        return t.head
    before = t.i - 1
    while before >= 0 and t.doc[before].dep_ == "neg":
        before -= 1
    if t.dep_ == "amod" and before >= 0 and _is_verdict(t.doc[before]) and t.head.i > t.i:
        return t.doc[before]
    return None


def state_holder(t: Token, verb: Token) -> Token | None:
    """Whom the state is said of: the adjective's own subject ("found [the doctor] innocent"), the
    noun the model hangs on it ("ruled the [law] unconstitutional"), or the verb's passive subject
    or object ("[five men] were found guilty", "found [them] guilty")."""
    for deps in (("nsubj",), ("compound", "nmod")):
        own = next((c for c in t.children if c.dep_ in deps and c.pos_ in ("NOUN", "PROPN", "PRON", "NUM")), None)
        if own is not None:
            return own
    return next((c for c in verb.children if c.dep_ in ("nsubjpass", "dobj") and c.i != t.i), None)


def _is_verdict(v: Token) -> bool:
    return v.pos_ == "VERB" and v.lemma_.lower() in VERDICT_VERBS
