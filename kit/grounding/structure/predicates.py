"""Whether the quote tells another event of the claim's participants: the claim's verb against the
verb the quote has for the same doer and undergoer ("A bomb was discovered" / "A bomb exploded"),
read through WordNet's verb senses (senses.py), the listed synonyms and derivations.
"""

from __future__ import annotations

from collections.abc import Sequence

from spacy.tokens import Token

from kit.grounding.paraphrase import derived, groups
from kit.grounding.structure import lexicon as lx
from kit.grounding.structure import senses
from kit.grounding.structure.events import Event, is_linking, is_reporting
from kit.grounding.structure.fault import Fault
from kit.grounding.structure.obligation import pressed_alike
from kit.grounding.structure.words import Same, canon, repair_lemma, resolve, same, written_lemma


def said_words(quote: Sequence[Event]) -> list[Token]:
    """The verbs, nouns and adjectives of the quote's sentences."""
    docs = {id(e.token.doc): e.token.doc for e in quote}
    return [t for doc in docs.values() for t in doc if t.pos_ in ("VERB", "NOUN", "ADJ")]


# Verbs too general to name an event of their own ("made an attempt", "took place"), or that tell how
# long one went on ("the strike lasted two weeks" / "after two weeks the strike ended").
_GENERAL = frozenset("be have do make take get give go come put let become seem keep hold see say tell last".split())


def other_event(c: Event, quote: Sequence[Event]) -> list[Fault]:
    """The quote's event with the claim event's participants (both; the one of an intransitive
    verb), in a verb no sense of which names the claim's ("A bomb was discovered" / "A bomb
    exploded", "Blair hosted the memorial" / "Blair attended the memorial"), when no word of the
    quote says the claim's verb (the same or a derived word, a listed synonym, a related sense):
    the quote says something else happened to them."""
    verb = written_lemma(c.token)
    if not _names_an_event(c):
        return []
    said = said_words(quote)
    words = {repair_lemma(t) for t in said} | {written_lemma(t) for t in said if t.pos_ == "VERB"}
    if any(w == verb or derived(verb, w) or canon(w) == canon(verb) or groups(w) & groups(verb)
           or pressed_alike(verb, w) or (senses.known(w) and senses.related(verb, w)) or _says_less(verb, w)
           for w in words):
        return []
    q = next((q for q in quote if _names_an_event(q) and _told_of(c, q)), None)
    if q is None:
        return []
    return [Fault("polarity", f'the quote says "{q.token.text}", not "{c.token.text}": "{q.text()}"')]


def _says_less(verb: str, other: str) -> bool:
    """Whether `verb` is a step down a scale from `other` ("damaged" of "destroyed"): it restates it."""
    return any(verb in weak and other in strong for _, weak, strong in lx.SCALES)


def _names_an_event(e: Event) -> bool:
    """A verb of its own, with a sense WordNet holds: not derived, general, linking or reporting, nor
    one that only says its infinitive did not happen ("declined to comment": the comment is the event)."""
    verb = written_lemma(e.token)
    return (not e.derived and e.token.pos_ == "VERB" and verb not in _GENERAL and not is_reporting(e.token)
            and not is_linking(e) and senses.known(verb) and not _not_done_frame(e.token))


def _not_done_frame(verb: Token) -> bool:
    return repair_lemma(verb) in lx.NEG_IMPLICATIVE and any(c.dep_ == "xcomp" for c in verb.children)


def _told_of(c: Event, q: Event) -> bool:
    """Whether the quote event is about the claim event's participants and no others: the same
    doer and undergoer, or, of an intransitive verb and a passive one without a doer, the same
    thing it happens to ("a bomb was discovered" / "a bomb exploded")."""
    def slots(e: Event) -> tuple[Token | None, ...]:
        return (e.theme,) if e.patient is None or e.agent is None else (e.agent, e.patient)

    mine, theirs = slots(c), slots(q)
    if len(mine) == 1 and len(theirs) == 2 and _intransitive(c):  # "people died" / "people lack food"
        theirs = (q.agent,)
    return len(mine) == len(theirs) and all(
        p is not None and o is not None and resolve(p) is not None and resolve(p).pos_ != "PRON"  # type: ignore[union-attr]
        and same(p, o) is Same.YES and _named_alike(p, o) for p, o in zip(mine, theirs, strict=True))


# What makes a verb more than its doer's: an object, a clause, a complement ("describes it as"); an
# adverbial clause too, where the parser hides a misread object ("describes undergraduate admission").
_COMPLEMENTS = frozenset({"dobj", "dative", "xcomp", "ccomp", "attr", "oprd", "acomp", "prt", "advcl"})


# Prepositions of a verb's circumstances (cause, place, time), not of its object ("relied on the idea").
_CIRCUMSTANCES = frozenset("from of in at during after before since until near".split())


def _intransitive(e: Event) -> bool:
    """A doer and its verb alone, asserted ("5 million people have died of hunger"): not a negated
    one ("did not play" may be "missed"), nor one with an object, a clause, or a preposition that
    may carry its object ("relied on the idea", "described it as")."""
    return e.agent is not None and not e.negated and not any(
        c.dep_ in _COMPLEMENTS or (c.dep_ == "prep" and c.lower_ not in _CIRCUMSTANCES) for c in e.token.children)


def _named_alike(a: Token, b: Token) -> bool:
    """Whether one participant's words (its head and the words that qualify it) are all among the
    other's: "the convoy" / "the first convoy of terrorists", not "an Early Action program" /
    "its early admissions program"."""
    def core(t: Token) -> set[str]:
        return {w.lemma_.lower() for w in (t, *(x for x in t.children if x.dep_ in _QUALIFIERS))
                if w.pos_ in ("NOUN", "PROPN", "ADJ", "NUM")}

    def words(t: Token) -> set[str]:
        return {w.lemma_.lower() for w in t.subtree}

    return core(a) <= words(b) or core(b) <= words(a)


_QUALIFIERS = frozenset({"compound", "amod", "nummod", "poss", "nmod"})
