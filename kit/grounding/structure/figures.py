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

from kit.grounding.structure.event_dates import dates_of
from kit.grounding.structure.events import subject_of, toward_verb
from kit.grounding.structure.fault import Fault
from kit.grounding.units import unit_name
from kit.numbers import values


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


def _named(num: Token) -> Token | None:
    """The noun a figure gives a value to: the noun it counts ("300 pupils"), the noun it is "of"
    ("a target date of 2009"), what it is set "as" ("set 2012 as the target date") or what it is
    ("the target date is 2009")."""
    head = num.head
    if num.dep_ == "nummod" and (head.pos_ == "NOUN" or head.tag_ == "NNPS"):  # "eight Royal Marines"
        return head
    if num.dep_ in ("appos", "conj", "nsubj", "dobj"):  # "eight from the Royal Navy"
        source = next((o for p in num.children if p.dep_ == "prep" and p.lower_ == "from"
                       for o in p.children if o.dep_ == "pobj" and o.pos_ in ("NOUN", "PROPN")), None)
        if source is not None:
            return source
    if num.dep_ == "pobj" and head.lower_ == "of" and head.head.pos_ == "NOUN":
        return head.head
    if num.dep_ == "dobj":
        return next((o for p in head.children if p.dep_ == "prep" and p.lower_ == "as"
                     for o in p.children if o.dep_ == "pobj" and o.pos_ == "NOUN"), None)
    if num.dep_ == "attr" and head.lemma_ == "be":
        return next((s for s in head.children if s.dep_ == "nsubj" and s.pos_ == "NOUN"), None)
    return None


def _value(num: Token) -> float | None:
    """The value of the figure a number word heads, with its parts ("60.5 million": 60,500,000)."""
    found = values(" ".join(t.text for t in num.subtree if t.like_num and (t is num or t.dep_ != "conj")))
    return max(found) if found else None


def _counted(doc: Doc) -> dict[float, set[str]]:
    """For each figure giving a value to a noun ("300 pupils"), the lemmas of those nouns in `doc`."""
    out: dict[float, set[str]] = {}
    for num in (t for t in doc if t.like_num):  # a part of a figure ("60.5" of "60.5 million") names no noun
        if (noun := _named(num)) is not None and (value := _value(num)) is not None:
            out.setdefault(value, set()).add(unit_name(noun.lemma_))  # "%" and "percent": one noun
    return out


def _nouns_beside(doc: Doc) -> dict[float, set[str]]:
    """For each figure of `doc`, the nouns of the sentences it is in: a figure whose sentence names
    the noun may give it to that noun in a way the parse does not read ("promised 60.5 million USD")."""
    out: dict[float, set[str]] = {}
    for sent in doc.sents:
        nouns = {unit_name(t.lemma_) for t in sent if t.pos_ in ("NOUN", "PROPN")}
        for value in values(sent.text):
            out.setdefault(value, set()).update(nouns)
    return out


def check_counts(claim: Doc, text: Doc) -> list[Fault]:
    """A figure the claim gives to one noun ("25 pupils") where the text has it elsewhere ("25
    teachers", "after 2012") and gives that noun a figure of its own ("300 pupils", "a target date
    of 2009"), never this one: figures recombined across the text's sentences, which a word check
    over the whole passage would find all there."""
    theirs = _counted(text)
    beside = _nouns_beside(text)
    faults = []
    for key, nouns in _counted(claim).items():
        for noun in nouns:
            other = {k for k, ns in theirs.items() if noun in ns and k != key}
            elsewhere = key in theirs or (key in beside and noun not in beside[key])
            if elsewhere and noun not in theirs.get(key, ()) and other:
                where = f'to "{"/".join(sorted(theirs[key]))}"' if key in theirs else "elsewhere"
                faults.append(Fault("roles", f'the sources give {key:g} {where} and {sorted(other)[0]:g} to "{noun}"'))
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
        own = [t for t in figures if _key(t) != _key(num) and (v := _verb(t)) is not None and v.lemma_ == mine.lemma_
               and not _meets_bound(num, t)]
        if own:
            return [Fault("roles", f'the quote gives {num.text} to "{theirs[0].lemma_}" and {own[0].text} '
                                   f'to "{mine.lemma_}"')]
    return []


def _meets_bound(num: Token, other: Token) -> bool:
    """Whether the claim's figure is bounded ("more than 100") and the quote's other figure meets
    the bound (126): the claim then says what that figure says."""
    from kit.grounding.quantities import bound_holds

    return any(bound_holds(num.doc.text, num.idx, a, b) for a in values(num.text) for b in values(other.text))


def check_figure_dates(claim: Doc, quote: Doc) -> list[Fault]:
    """A figure the quote dates one day (or month, or year) and the claim another, one the quote
    gives to another clause ("flew 126 sorties Wednesday, and on Thursday, more than 100 are to
    be flown" restated as "flew 126 sorties on Thursday"). Dates are those hung on the clause's
    verb (`dates_of`); "after 2009" is a bound, not a date, and is left alone."""
    claimed = [(num, said) for num in _figures(claim) if (mine := _verb(num)) is not None
               and (said := {(k, d) for k, d, rel in dates_of(mine) if rel == "at"})]
    if not claimed:  # most claims date no figure: the quote's verbs are not read
        return []
    dated = {v: {(k, d) for k, d, rel in dates_of(v) if rel == "at"} for v in quote if v.pos_ in ("VERB", "AUX")}
    verbs_of = [(_key(t), v) for t in _figures(quote) if (v := _verb(t)) is not None]
    for num, said in claimed:
        if any(_meets_bound(num, t) for t in _figures(quote)):  # "more than 100" is the quote's 126
            continue
        for theirs in (v for key, v in verbs_of if key == _key(num)):
            for kind, day in said - dated.get(theirs, set()):
                given = sorted(d for k, d in dated.get(theirs, set()) if k == kind)
                if given and any((kind, day) in ds for v, ds in dated.items() if v is not theirs):
                    return [Fault("time", f"the quote gives {num.text} to {given[0].capitalize()}, "
                                          f"and {day.capitalize()} to another clause")]
    return []
