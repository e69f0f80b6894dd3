"""Which of two the sentence prefers: "A rather than B", "A instead of B". A claim that prefers what
the quote sets aside ("the network itself, rather than the hosts" against "the hosts ..., rather
than the network itself") has turned the quote round.
"""

from __future__ import annotations

from spacy.tokens import Doc, Token

from kit.grounding.structure.fault import Fault

_CUES = (("rather", "than"), ("instead", "of"))
_HEADS = ("NOUN", "PROPN", "VERB")


def set_aside(doc: Doc) -> Token | None:
    """The first noun or verb after "rather than" / "instead of": what the sentence sets aside."""
    for t in doc[:-1]:
        if (t.lower_, t.nbor().lower_) in _CUES:
            return next((u for u in doc[t.i + 2:t.i + 7] if u.pos_ in _HEADS), None)
    return None


def check_preference(claim: Doc, quote: Doc) -> list[Fault]:
    """A fault when the claim sets aside what the quote prefers, and prefers what the quote sets aside."""
    mine, theirs = set_aside(claim), set_aside(quote)
    if mine is None or theirs is None or mine.lemma_.lower() == theirs.lemma_.lower():
        return []
    claim_lemmas = {t.lemma_.lower() for t in claim if t.i < mine.i}
    quote_lemmas = {t.lemma_.lower() for t in quote if t.i < theirs.i}
    if theirs.lemma_.lower() in claim_lemmas and mine.lemma_.lower() in quote_lemmas:
        return [Fault("roles", f'the quote puts it the other way round: "{theirs.text}" is what it sets aside')]
    return []
