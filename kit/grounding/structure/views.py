"""A view the quote gives as someone's ("Furtado says the plan is needed", "Setting a date is of
great importance, stated de Boer") that the claim states as a fact of its own, naming no one.

A reported fact may lose its source, as summaries write it ("12 people died", from "police said 12
people died"); a judgement of what is needed, important or right is only as good as whoever holds
it, so the claim must keep the holder. Only a claim that names no speaker at all is read here: a
claim that names one is attribution.py's to judge.
"""

from __future__ import annotations

from spacy.tokens import Doc, Token

from kit.grounding.structure.attribution import reports, speakers_of
from kit.grounding.structure.events import according_to
from kit.grounding.structure.fault import Fault
from kit.grounding.structure.words import phrase_of

# What a clause judges rather than tells: "is important", "is of great importance", "is needed",
# "must", "should".
_EVALUATIVE = frozenset("important crucial essential vital necessary imperative urgent critical needed unacceptable "
                        "wrong right appropriate".split())
_EVALUATIVE_NOUNS = frozenset("importance necessity priority".split())
_NEED = frozenset({"need", "require"})
_DEONTIC = frozenset({"must", "should", "ought"})


def judgement(head: Token) -> str | None:
    """The word by which the clause headed by `head` judges ("needed", "importance", "must"), if it does."""
    if head.lemma_.lower() in _NEED and head.pos_ == "VERB":
        return head.lemma_.lower()
    for c in head.children:
        if c.dep_ == "aux" and c.lower_ in _DEONTIC:
            return c.lower_
        if c.dep_ in ("acomp", "attr") and c.lemma_.lower() in _EVALUATIVE:
            return c.lemma_.lower()
        if c.dep_ == "prep" and c.lower_ == "of":
            noun = next((g for g in c.children if g.dep_ == "pobj"), None)
            if noun is not None and noun.lemma_.lower() in _EVALUATIVE_NOUNS:
                return noun.lemma_.lower()
    return head.lemma_.lower() if head.pos_ == "ADJ" and head.lemma_.lower() in _EVALUATIVE else None


def reported_views(doc: Doc) -> dict[str, Token]:
    """The judging words of clauses `doc` gives as someone's view, with whose."""
    out: dict[str, Token] = {}
    for verb, speaker in reports(doc):
        for clause in (c for c in verb.children if c.dep_ == "ccomp"):
            word = judgement(clause)
            if word is not None:
                out.setdefault(word, speaker)
    for gov, speaker in according_to(doc):
        word = judgement(gov)
        if word is not None:
            out.setdefault(word, speaker)
    return out


def check_views(claim: Doc, quote: Doc) -> list[Fault]:
    """An attribution fault for each judgement the claim states as its own that the quote gives
    only as a named speaker's view."""
    if speakers_of(claim):
        return []
    views = reported_views(quote)
    if not views:
        return []
    faults = []
    for root in (t for t in claim if t.dep_ == "ROOT"):
        word = judgement(root)
        if word is not None and word in views:
            faults.append(Fault("attribution", f'the quote gives this as the view of "{phrase_of(views[word])}", '
                                               "not as a fact"))
    return faults
