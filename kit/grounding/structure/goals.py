"""What a clause names as a goal or a schedule, not as a deed: a gerund subject said to matter
("Setting an agenda at the conference is of great importance"), an infinitive or a clause said to
matter ("It is vital to repair the bridge", "was important to set an agenda"), an infinitive of
being on course ("Delegates are on track to start drafting", "on schedule to begin").
"""

from __future__ import annotations

from spacy.tokens import Token

from kit.grounding.structure import lexicon as lx

# "on track / on course / on schedule / on target / on pace to": expected, not done.
_ON_COURSE = frozenset("track course schedule target pace".split())


def goal_word(tok: Token) -> Token | None:
    """The word that makes the event `tok` a goal or a schedule, or None."""
    head = tok.head
    if tok.tag_ == "VBG" and tok.dep_ == "csubj" and head.lemma_.lower() == "be":
        return _needed(head)
    if tok.dep_ not in ("xcomp", "ccomp", "advcl"):
        return None
    if head.pos_ == "ADJ" and head.lemma_.lower() in lx.NEEDED:  # "was important to set an agenda"
        return head
    if head.lemma_.lower() != "be":
        return None
    if any(c.tag_ == "TO" or (c.dep_ == "mark" and c.lower_ == "that") for c in tok.children) and (
            needed := _needed(head)) is not None:
        return needed  # "It is vital to repair the bridge", "it was essential that they repair it"
    if any(c.tag_ == "TO" for c in tok.children):
        return next((w for c in head.children if c.dep_ == "prep" and c.lower_ == "on"
                     for w in c.children if w.dep_ == "pobj" and w.lower_ in _ON_COURSE), None)
    return None


def _needed(be: Token) -> Token | None:
    """The word of need or importance in what a "be" says of its subject ("is of great importance")."""
    said = [w for c in be.children if c.dep_ in ("acomp", "attr", "prep") for w in c.subtree]
    return next((w for w in said if w.lemma_.lower() in lx.NEEDED), None)
