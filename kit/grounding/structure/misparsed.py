"""What the small English parser misplaces, read back: a subject left behind as the object of the
verb before it, a fronted time phrase taken for the subject, and a bare verb cut off from the
modal it shares with the verb before it.
"""

from __future__ import annotations

from spacy.tokens import Token

from kit.grounding.structure import lexicon as lx


def subject_left_behind(tok: Token) -> Token | None:
    """"footage suggesting the coalition has allowed hundreds to leave": the small parser makes the
    noun before a finite auxiliary the object of the verb before it and leaves "has allowed" with
    no subject (or a clause for one). That noun is the subject."""
    aux = next((c for c in tok.lefts if c.dep_ in ("aux", "auxpass") and c.tag_ in ("VBZ", "VBP", "VBD", "MD")), None)
    if aux is None or aux.i == 0:
        return None
    noun = tok.doc[aux.i - 1]
    if noun.pos_ not in ("NOUN", "PROPN") or noun.dep_ not in ("dobj", "pobj") or noun.is_ancestor(tok):
        return None
    return noun


def fronted_time(subject: Token) -> Token:
    """"A decade after the crisis, Honda and Nissan opened ...": the small parser takes "decade" for
    the subject and hangs the real one on "crisis" as its conjunct. Then the first name coordinated
    with the time phrase's object after a comma is the subject; otherwise `subject` itself."""
    prep = next((c for c in subject.children if c.dep_ == "prep"), None)
    if subject.lemma_.lower() not in lx.TIME_NOUNS or prep is None or prep.lower_ not in ("after", "before", "since"):
        return subject
    obj = next((c for c in prep.children if c.dep_ == "pobj"), None)
    if obj is None:
        return subject
    after_comma = [c for c in obj.conjuncts if c.i > obj.i and any(t.text == "," for t in subject.doc[obj.i:c.i])]
    return next((c for c in after_comma if c.pos_ == "PROPN"), subject)


def continued_verb(tok: Token) -> Token | None:
    """"arguing that it would cost too much, take too long and distract ...": the small parser may
    hang "take" on the sentence's main verb, or on "cost" as a loose dependent: a bare verb with no
    subject, auxiliary or "to" after a comma. It goes on the list of the bare verb before it with
    its modal ("would cost"), whose certainty it shares: that verb; None for a verb the parser
    placed."""
    base = tok
    while base.dep_ == "conj" and base.head.tag_ == "VB":  # "take too long and distract": from "take"
        base = base.head
    if base.tag_ != "VB" or base.dep_ not in ("dep", "conj", "parataxis") or base.i == base.sent.start:
        return None
    if base.doc[base.i - 1].text not in (",", "and", "or") or any(
            c.dep_ in ("nsubj", "nsubjpass", "aux", "auxpass") or c.tag_ == "TO" for c in base.children):
        return None
    before = [t for t in base.doc[base.sent.start:base.i]
              if t.tag_ == "VB" and any((c.dep_ == "aux" and c.tag_ == "MD") or c.tag_ == "TO" for c in t.children)]
    return before[-1] if before else None


def nearer_subject(tok: Token, *deps: str) -> Token | None:
    """The verb's first child of `deps`; of two subjects of one kind before it, the nearer: in
    "Current yellow jersey, Michael Rasmussen has been withdrawn" the small model makes both noun
    phrases subjects, and the first describes the second."""
    found = [c for c in tok.children if c.dep_ in deps]
    if len(found) >= 2 and found[0].dep_ == found[1].dep_ != "expl" and found[1].i < tok.i and _set_apart(*found[:2]):
        return found[1]
    return found[0] if found else None


def _set_apart(first: Token, second: Token) -> bool:
    """Whether a comma closes the first noun phrase and a noun or name follows it: "jersey, Michael
    Rasmussen", not the pieces of a word the model splits ("pan-Arabism")."""
    after = first.right_edge.i + 1
    return after < second.i and first.doc[after].text == "," and second.pos_ in ("NOUN", "PROPN")
