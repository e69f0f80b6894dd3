"""Whose figure it is: a number the claim gives to one named subject and the quote to another.

"Lyon has 520,000 residents and Marseille has 870,000" holds every word and number of "Lyon has
870,000 residents", and gives 870,000 to Marseille. For each number of the claim, the subject of
the clause it sits in (through its noun, up to the verb) is compared with the subject of the same
number in the quote; two different names, the quote giving the claim's name a number of its own,
are a roles fault. Numbers with no named subject on either side are left to the number check.
Likewise for the event a number belongs to: "tested 50 samples and found lead in 3 of them" gives
50 to the testing and 3 to the finding, so "found lead in 50 samples" moves a figure between them.
"""

from __future__ import annotations

from spacy.tokens import Doc, Token

from kit.grounding.structure.events import subject_of, toward_verb
from kit.grounding.structure.fault import Fault
from kit.grounding.units import unit_name


def _verb(num: Token) -> Token | None:
    """The verb of the clause a number sits in (through its noun and prepositions, six steps up)."""
    tok = toward_verb(num, 6)
    return tok if tok.pos_ in ("VERB", "AUX") else None


def _owner(num: Token) -> Token | None:
    """The named subject of the clause a number sits in, if it is a name."""
    verb = _verb(num)
    subject = subject_of(verb) if verb is not None else None
    return subject if subject is not None and subject.pos_ == "PROPN" else None


def _key(num: Token) -> str:
    return num.text.replace(",", "").lower()


def _figures(doc: Doc) -> list[Token]:
    return [t for t in doc if t.pos_ == "NUM" and any(ch.isdigit() for ch in t.text)]


def check_figures(claim: Doc, quote: Doc) -> list[Fault]:
    """Numbers the quote gives to another named subject than the claim does, while it gives the
    claim's subject a number of its own (the swap: "Lyon has 520,000 ... Marseille has 870,000")."""
    owners = {t: _owner(t) for t in _figures(quote)}
    by_key = {_key(t): owner for t, owner in owners.items()}
    owning = {owner.lemma_.lower() for owner in owners.values() if owner is not None}
    for num in (t for t in _figures(claim) if _key(t) in by_key):
        mine, theirs = _owner(num), by_key[_key(num)]
        if (mine is not None and theirs is not None and mine.lemma_.lower() != theirs.lemma_.lower()
                and mine.lemma_.lower() in owning):
            return [Fault("roles", f'the quote gives {num.text} to "{theirs.text}", not "{mine.text}"')]
    return []


def _counted(doc: Doc) -> dict[str, set[str]]:
    """For each number counting a noun ("300 pupils"), the lemmas of the nouns it counts in `doc`."""
    out: dict[str, set[str]] = {}
    for num in (t for t in doc if t.dep_ == "nummod" and t.head.pos_ == "NOUN"):
        out.setdefault(_key(num), set()).add(unit_name(num.head.lemma_))  # "%" and "percent": one noun
    return out


def check_counts(claim: Doc, text: Doc) -> list[Fault]:
    """A number the claim gives to one noun ("25 pupils") where the text gives it to another ("25
    teachers") and gives that noun a number of its own ("300 pupils"): figures recombined across
    the text's sentences, which a word check over the whole passage would find all there."""
    theirs = _counted(text)
    faults = []
    for key, nouns in _counted(claim).items():
        for noun in nouns:
            other = {k for k, ns in theirs.items() if noun in ns and k != key}
            if key in theirs and noun not in theirs[key] and other:
                faults.append(Fault("roles", f'the sources give {key} to "{"/".join(sorted(theirs[key]))}" and '
                                             f'{sorted(other)[0]} to "{noun}"'))
    return faults


# Entities a figure may sit in and still be an amount; in any other (a date, a time, "Air France
# Flight 447", "Airbus A330-200") it is part of a name or a moment.
AMOUNTS = ("", "CARDINAL", "QUANTITY", "PERCENT", "MONEY")


def _count(t: Token) -> bool:
    """A figure that counts a thing ("50 samples"), not a date, a time or part of a name."""
    return t.dep_ == "nummod" and t.head.pos_ == "NOUN" and t.ent_type_ in AMOUNTS


def check_figure_events(claim: Doc, quote: Doc) -> list[Fault]:
    """A count of a thing the quote gives to one event and the claim to another event, one the
    quote gives a figure of its own ("found lead in 50 samples" against "tested 50 samples and
    found lead in 3 of them")."""
    figures = [t for t in _figures(quote) if t.ent_type_ in AMOUNTS]
    for num in (t for t in _figures(claim) if _count(t)):
        mine = _verb(num)
        same = [t for t in figures if _key(t) == _key(num) and _count(t) and t.head.lemma_ == num.head.lemma_]
        theirs = [v for t in same if (v := _verb(t)) is not None]
        if mine is None or not theirs or any(v.lemma_ == mine.lemma_ for v in theirs):
            continue
        own = [t for t in figures if _key(t) != _key(num) and (v := _verb(t)) is not None and v.lemma_ == mine.lemma_]
        if own:
            return [Fault("roles", f'the quote gives {num.text} to "{theirs[0].lemma_}" and {own[0].text} '
                                   f'to "{mine.lemma_}"')]
    return []
