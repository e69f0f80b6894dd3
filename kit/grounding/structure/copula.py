"""Facts of the form "X is Y" ("Paris is the capital of France"), compared as a pair of sides.

An appositive is such a fact too ("Smith, the team captain": Smith is the team captain); one
that the quote gives to another name ("Jones, the team captain") is recombined.

A claim that pairs the sides of two different copular facts of its quote ("Berlin is the capital
of France" from "Paris is the capital of France, and Berlin is the capital of Germany") keeps every
word of the quote and says what neither fact says. A claim fact is matched when one quote fact has
each of its sides (in either order: "the capital of France is Paris"); it is recombined when no
quote fact does while one fact holds one of its sides and another fact the other. Words absent
from the quote altogether are the word and name checks' business, not this module's.
"""

from __future__ import annotations

from dataclasses import dataclass

from spacy.tokens import Doc, Token

from kit.grounding.structure.fault import Fault
from kit.grounding.structure.words import canon

_SIDE_POS = ("NOUN", "PROPN", "ADJ", "NUM")


@dataclass(frozen=True)
class Copula:
    """One "X is Y" fact: the content lemmas of its subject and of its attribute, and of the names
    (proper nouns, numbers) among them."""

    token: Token  # the verb "be"
    subject: frozenset[str]
    attribute: frozenset[str]
    names: tuple[frozenset[str], frozenset[str]]  # (subject's, attribute's)
    text: str  # the fact in the text's own words


def _lemmas(tokens: list[Token], names: bool = False) -> frozenset[str]:
    pos = ("PROPN", "NUM") if names else _SIDE_POS
    return frozenset(canon(t.lemma_.lower()) for t in tokens if t.pos_ in pos and not t.is_stop)


def _subject(be: Token) -> Token | None:
    """The subject of "be"; for a second fact the small parser hung on the first ("Madrid is the
    capital of Spain and Rome is ..." reads "Rome" as a conjunct of "Spain"), the noun just before it."""
    own = next((c for c in be.children if c.dep_ == "nsubj"), None)
    if own is not None or be.dep_ != "conj" or be.i == 0:
        return own
    before = be.doc[be.i - 1]
    return before if before.pos_ in ("NOUN", "PROPN") and before.dep_ == "conj" else None


def copulas(doc: Doc) -> list[Copula]:
    """The "X is Y" facts of a parse (a subject and a nominal or adjectival attribute of "be")."""
    found = []
    for tok in doc:
        subject = _subject(tok) if tok.lemma_.lower() == "be" else None
        attribute = next((c for c in tok.children if c.dep_ == "attr"), None)
        if subject is not None and attribute is not None and not any(c.dep_ == "neg" for c in tok.children):
            found.append((tok, subject, attribute))
    borrowed = {t.i for _, subject, _ in found if subject.dep_ == "conj" for t in subject.subtree}
    out = []
    for tok, subject, attribute in found:
        subj = [t for t in subject.subtree if t.i not in borrowed or subject.dep_ == "conj"]
        attr = [t for t in attribute.subtree if t.i not in borrowed]
        if _lemmas(subj) and _lemmas(attr):
            words = [t for t in [tok, *subj, *attr] if t.dep_ not in ("cc", "punct")]
            lo, hi = min(t.i for t in words), max(t.i for t in words)
            out.append(Copula(tok, _lemmas(subj), _lemmas(attr), (_lemmas(subj, True), _lemmas(attr, True)),
                              doc[lo:hi + 1].text))
    return out


def _appositives(doc: Doc) -> list[Copula]:
    """ "X, the Y" as the fact "X is Y" ("Smith, the team captain, scored"): the noun with its own
    words (less the appositive and any clause on it), and the appositive."""
    out = []
    # A description ("the team captain", "the oldest in the city"), not a place ("Miami, Florida").
    described = [t for t in doc if t.dep_ == "appos" and t.pos_ in ("NOUN", "ADJ") and t.head.pos_ in ("NOUN", "PROPN")]
    for appos in described:
        head = appos.head
        inner = {t.i for c in head.children if c.dep_ in ("appos", "relcl", "acl", "prep", "punct", "cc", "conj")
                 for t in c.subtree}
        subj = [t for t in head.subtree if t.i not in inner]
        attr = list(appos.subtree)
        if _lemmas(subj) and _lemmas(attr):
            lo, hi = min(t.i for t in subj + attr), max(t.i for t in subj + attr)
            out.append(Copula(appos, _lemmas(subj), _lemmas(attr), (_lemmas(subj, True), _lemmas(attr, True)),
                              doc[lo:hi + 1].text))
    return out


def _matches(claim: Copula, quote: Copula) -> bool:
    return ((claim.subject <= quote.subject and claim.attribute <= quote.attribute)
            or (claim.subject <= quote.attribute and claim.attribute <= quote.subject))


def _in_fact(words: frozenset[str], fact: Copula) -> bool:
    return words <= fact.subject or words <= fact.attribute


def _split_across(claim: Copula, facts: list[Copula]) -> Copula | None:
    """The quote fact holding one side of the claim when another fact holds its other side (its
    names, when it has any: "the largest city in Sweden" / "the largest in Sweden")."""
    sides = ((claim.subject, claim.attribute, claim.names[1]), (claim.attribute, claim.subject, claim.names[0]))
    for a, b, b_names in sides:
        for first in (f for f in facts if _in_fact(a, f)):
            if any(_in_fact(b_names or b, other) for other in facts if other is not first):
                return first
    return None


def check_copulas(claim: Doc, quote: Doc) -> list[Fault]:
    """Claim facts "X is Y" whose sides the quote gives to two different facts."""
    facts = copulas(quote)
    faults = []
    for c in copulas(claim):
        if any(_matches(c, q) for q in facts):
            continue
        near = _split_across(c, facts)
        if near is not None:
            faults.append(Fault("roles", f'recombined: the quote says "{near.text}"'))
    return faults + check_appositives(claim, quote, facts)


def check_appositives(claim: Doc, text: Doc, facts: list[Copula] | None = None) -> list[Fault]:
    """Claim appositives ("Smith, the team captain") that `text` gives to another name and never
    to the claim's ("Jones, the team captain"); `facts`: the text's copulas, when read already."""
    described = (copulas(text) if facts is None else facts) + _appositives(text)
    named = _lemmas(list(claim), names=True)
    faults = []
    for c in _appositives(claim):
        if not any(_matches(c, q) for q in described) and (near := _said_of_another(c, described, named)) is not None:
            faults.append(Fault("roles", f'recombined: the quote says "{near.text}"'))
    return faults


def _said_of_another(claim: Copula, facts: list[Copula], named: frozenset[str]) -> Copula | None:
    """The quote fact that gives the claim's attribute to another name, one the claim never names
    ("Jones, the team captain" for "Smith, the team captain")."""
    for fact in facts:
        if claim.names[0] and fact.names[0] and not fact.names[0] & named and claim.attribute <= fact.attribute:
            return fact
    return None
