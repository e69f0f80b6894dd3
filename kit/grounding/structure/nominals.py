"""Who did it to whom when a noun tells the event: "Russia's attack on Ukraine", "the invasion of
Iraq by the US", "the US accusation against Surovikin".

A noun is read as an event when it names both sides: a doer (a possessive, a name compounded
before it, or "by") and an undergoer ("on", "against", or "of" when a doer is named otherwise).
The claim's event, a verb or such a noun, against the quote's of the same word or its derivation
("attacked" / "attack", "invaded" / "invasion"): the doer and the undergoer trading places is a
roles fault. Nouns with one side only ("the attack on Ukraine") say nothing of who did it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from spacy.tokens import Doc, Token

from kit.grounding.paraphrase import derived
from kit.grounding.structure.events import Event, child, pobj_of
from kit.grounding.structure.fault import Fault
from kit.grounding.structure.unrealised import NOMINALS
from kit.grounding.structure.words import Same, same


@dataclass(frozen=True)
class Told:
    """An event with both sides named, told by a verb or a noun."""

    lemma: str
    doer: Token
    undergoer: Token
    text: str


def nominal_events(doc: Doc) -> list[Told]:
    out = []
    for t in doc:
        if t.pos_ != "NOUN":
            continue
        by = pobj_of(next((c for c in t.children if c.dep_ == "prep" and c.lower_ == "by"), None))
        doer = by or child(t, "poss") or next((c for c in t.children if c.dep_ == "compound" and c.pos_ == "PROPN"),
                                             None)
        if doer is None or doer.pos_ not in ("NOUN", "PROPN"):
            continue
        to = next((c for c in t.children if c.dep_ == "prep" and c.lower_ in ("on", "against", "of")), None)
        undergoer = pobj_of(to)
        if undergoer is not None and undergoer.pos_ in ("NOUN", "PROPN"):
            span = doc[min(t.left_edge.i, doer.i):max(undergoer.i, doer.i) + 1]
            out.append(Told(t.lemma_.lower(), doer, undergoer, span.text))
    return out


def _verbal(events: Sequence[Event]) -> list[Told]:
    return [Told(e.lemma, e.agent, e.patient, e.text()) for e in events
            if e.agent is not None and e.patient is not None and not e.derived]


def _one_word(a: str, b: str) -> bool:
    """The same event word: a lemma, a derivation ("attack" / "attacked") or a listed noun ("invasion")."""
    return derived(a, b) or b in NOMINALS.get(a, ()) or a in NOMINALS.get(b, ())


def check_nominal_roles(claim: Doc, quote: Doc, cev: Sequence[Event], qev: Sequence[Event]) -> list[Fault]:
    """A claim event, told by a verb or a noun, whose doer and undergoer the quote's noun (or, for a
    claim noun, the quote's verb) of the same word gives the other way round."""
    c_nouns, q_nouns = nominal_events(claim), nominal_events(quote)
    pairs = [(c, q) for c in c_nouns for q in q_nouns + _verbal(qev)] + [(c, q) for c in _verbal(cev) for q in q_nouns]
    for c, q in pairs:
        if _one_word(c.lemma, q.lemma) and same(c.doer, q.undergoer) is Same.YES \
                and same(c.undergoer, q.doer) is Same.YES:
            return [Fault("roles", f'roles reversed: the quote says "{q.text}"')]
    return []
