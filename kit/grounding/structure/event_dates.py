"""When a claim event happens against the same event in the quote: weekdays, months and years tied
to it, "before"/"after" a date, a date the quote gives to another event, and days told relative to
another ("the same night" / "the following morning").
"""

from __future__ import annotations

from collections.abc import Sequence

from spacy.tokens import Token

from kit.grounding.structure import lexicon as lx
from kit.grounding.structure.events import Event, same_concept
from kit.grounding.structure.fault import Fault
from kit.grounding.structure.words import Same, same
from kit.text import MONTH_NAMES, is_year


def dates_of(tok: Token, linked: bool = True) -> set[tuple[str, str, str]]:
    """(kind, value, relation) for weekdays, months, days of a month ("may 25", both ends of "May 29
    to 30") and years attached to an event; of what a linking verb says a thing is or became
    ("becoming the capital in 1413"), the verb's.

    relation is "at", "before" or "after". Relative dates ("last year", "next month"), other ranges
    and times of day are not read; a date elsewhere in the sentence is not tied to this event.
    """
    out: set[tuple[str, str, str]] = set()
    linked = linked and _linked(tok)
    for c in [*tok.children, *(x for x in tok.head.children if x is not tok and linked), *_hung_on_object(tok)]:
        if c.dep_ not in ("prep", "npadvmod", "tmod", "advmod") or c.pos_ == "VERB":
            continue
        rel = {"before": "before", "after": "after", "until": "before", "since": "after"}.get(c.lower_, "at")
        for t in c.subtree:
            if t.pos_ == "VERB" and t is not c:
                break
            low = t.lower_
            if low in lx.WEEKDAYS:
                out.add(("weekday", low, rel))
            elif low in lx.MONTHS and (t.pos_ == "PROPN" or low != "may"):
                out.add(("month", low, rel))
                out.update(("day", f"{low} {day}", rel) for day in _days(t))
            elif is_year(low):
                out.add(("year", low, rel))
    return out


def _hung_on_object(tok: Token) -> list[Token]:
    """An "on" + date at the end of the clause that the parser hangs on the verb's object ("destroyed the first
    convoy of terrorists from Raqqa [on May 29]"): the date of the verb, at the end of its clause."""
    obj = next((c for c in tok.children if c.dep_ == "dobj"), None)
    if obj is None:
        return []
    last = obj.right_edge
    return [p for p in obj.subtree if p.dep_ == "prep" and p.lower_ == "on" and p.right_edge.i == last.i
            and any(t.lower_ in lx.MONTHS | lx.WEEKDAYS for t in p.subtree)]


_THROUGH = frozenset({"to", "-", "–", "and"})


def _days(month: Token) -> list[int]:
    """The days of the month a date gives ("May 25", "25 May"), both ends of a range ("May 29 to 30")."""
    doc, out = month.doc, []
    for c in month.children:
        if c.dep_ == "nummod" and c.text.isdigit() and 1 <= int(c.text) <= 31:
            out.append(int(c.text))
            if c.i + 2 < len(doc) and doc[c.i + 1].text in _THROUGH and doc[c.i + 2].text.isdigit():
                out.append(int(doc[c.i + 2].text))
    return out


def _bounds_met(claim: set[tuple[str, str]], quote: set[tuple[str, str]]) -> bool:
    """Whether each day the claim gives as a bound ("before the night of May 29") is met by a day
    the quote gives the event ("on May 25"); False when the claim gives a day itself."""
    said = [_day_number(v) for v, r in quote if r == "at"]
    return all(r in ("before", "after") and any(
        (d < bound) if r == "before" else (d > bound) for d in said) for v, r in claim
        for bound in [_day_number(v)])


def _day_number(value: str) -> tuple[int, int]:
    """("may 25") -> (5, 25): a day's place in its year."""
    month, day = value.split()
    return MONTH_NAMES.index(month) + 1, int(day)


def compare_dates(c: Event, q: Event, quote: Sequence[Event] = ()) -> list[Fault]:
    """Different weekday/month/day/year on the same event, "before" vs "after" the same date, or the
    claim's date found on another event of the quote ("held since 1890, returned on Friday").
    """
    cd, qd = dates_of(c.token), dates_of(q.token)
    faults = other_day(c, q)
    for kind in ("weekday", "month", "day", "year"):
        cv = {(v, r) for k, v, r in cd if k == kind}
        qv = {(v, r) for k, v, r in qd if k == kind}
        if cv and not qv and (shift := _from_its_own_date(q.token, {v for v, _ in cv})) is not None:
            faults.append(Fault("time", f'the quote says "{shift}" from the date it gives: "{q.text()}"'))
            break
        # A month the claim gives with its day is the day check's to place ("May 30" in "May 29 to 30").
        dated = kind == "month" and any(k == "day" for k, _, _ in cd)
        if cv and not qv and not _told_of_a_date(q.token) and not dated:
            for other in quote:
                if (other.token is q.token or same_concept(c, other) or attached(other.token, q.token)
                        or _set_off_after(other.token, q.token)):
                    continue
                if {v for v, _ in cv} & {v for k, v, _ in dates_of(other.token, linked=False) if k == kind}:
                    faults.append(Fault("time", f'the quote gives that date to another event: "{other.text()}"'))
                    break
        if not cv or not qv:
            continue
        if (not {v for v, _ in cv} & {v for v, _ in qv} and not _dated_again(c, q, quote, kind, {v for v, _ in cv})
                and not (kind == "year" and {v for v, _ in cv} & _years_in_phrase(q.token))
                and not (kind == "day" and _bounds_met(cv, qv))):
            faults.append(
                Fault("time", f'different date: the quote says {", ".join(sorted(v for v, _ in qv))} ("{q.text()}")')
            )
        elif any(cr != qr and {cr, qr} == {"before", "after"} for v, cr in cv for w, qr in qv if v == w):
            faults.append(Fault("time", f'before/after differs for the date: "{q.text()}"'))
    return faults


_PERIODS = frozenset("day night morning evening afternoon week month year".split())
_RELATIVE = {"same": "same", "following": "next", "next": "next", "subsequent": "next", "previous": "previous",
             "preceding": "previous"}


def other_day(c: Event, q: Event) -> list[Fault]:
    """"The same night" against "the following morning" for one event."""
    mine, theirs = relative_day(c.token), relative_day(q.token)
    if mine is not None and theirs is not None and mine[0] != theirs[0]:
        return [Fault("time", f'the quote says "{theirs[1]}", the claim "{mine[1]}": "{q.text()}"')]
    return []


_FROM_NOW = frozenset({"tomorrow", "yesterday"})


def _from_its_own_date(tok: Token, days: set[str]) -> str | None:
    """The words placing an event a step from the date its text gives elsewhere ("Thursday, November
    29, 2007 ... The conference begins next week"), when the claim dates the event on that date
    itself ("begins on November 29, 2007"): the words that shift it, else None."""
    own = {t.i for t in tok.subtree}
    said = {t.lower_ for t in tok.doc if t.i not in own}
    if not days <= said:
        return None
    shift = relative_day(tok)
    if shift is not None and shift[0] != "same":
        return shift[1]
    return next((c.text for c in tok.children if c.lower_ in _FROM_NOW), None)


def relative_day(tok: Token) -> tuple[str, str] | None:
    """("same" | "next" | "previous", its words) for a time an event is told at relative to another
    ("flown to Tehran the same night", "the following morning"), or None."""
    times = [c for c in tok.children if c.dep_ in ("npadvmod", "tmod")]
    times += [o for p in tok.children if p.dep_ == "prep" and p.lower_ in ("on", "in", "during")
              for o in p.children if o.dep_ == "pobj"]  # "on the same day"
    for c in times:
        word = next((m for m in c.children if m.dep_ == "amod" and m.lower_ in _RELATIVE), None)
        if word is not None and c.lemma_.lower() in _PERIODS:
            return _RELATIVE[word.lower_], f"{word.text} {c.text}"
    return None


def _linked(tok: Token) -> bool:
    """Whether the event is what a linking verb says a thing is or became ("became the capital")."""
    return tok.dep_ in ("attr", "acomp", "oprd") and tok.head.pos_ in ("VERB", "AUX")


def _years_in_phrase(tok: Token) -> set[str]:
    """The years in an event's own phrase (a linking verb's, for what it links), not in a clause of
    another verb inside it: "became the seat of the Sejm, permanent from 1569" tells 1569 of the
    seat, wherever the parser hangs it."""
    out: set[str] = set()
    todo = list((tok.head if _linked(tok) else tok).children)
    while todo:
        t = todo.pop()
        if t.pos_ in ("VERB", "AUX"):
            continue
        if is_year(t.lower_):
            out.add(t.lower_)
        todo.extend(t.children)
    return out


def _dated_again(c: Event, q: Event, quote: Sequence[Event], kind: str, days: set[str]) -> bool:
    """Whether the quote tells the claim's event again, on the claim's date ("employed 1,200 in
    2003, and in 2004 it employed 900") with its doer: which telling the claim
    restates is for its figures to say, not the date check ("built the Rocket in 1829" is no
    telling of "the Rocket, built in 1825" for "built the Locomotion in 1825")."""
    return any(o is not q and same_concept(c, o) and _same_roles(c, o)
               and days & {v for k, v, _ in dates_of(o.token) if k == kind} for o in quote)


def _same_roles(c: Event, o: Event) -> bool:
    """The same doer or one the quote does not name ("it"), and no other name for the undergoer:
    "the tunnel opened in 1932" is no telling of "the bridge opened in 1932"."""
    return same(c.agent, o.agent) in (Same.YES, Same.UNKNOWN) and same(c.patient, o.patient) is not Same.OTHER_NAME


def _told_of_a_date(tok: Token) -> bool:
    """Whether the event sits in a clause that tells of a date ("after 2012, which is when the phase
    runs out"): that date is the event's too, whatever else it hangs on."""
    return any(a.dep_ == "relcl" and (a.head.like_num or a.head.lower_ in lx.MONTHS | lx.WEEKDAYS)
               for a in [tok, *tok.ancestors])


def _set_off_after(other: Token, tok: Token) -> bool:
    """Whether a phrase of `other` stands between commas right after `tok`'s words ("Willard died a
    year later, in 1804, a struggle broke out"): the date restates the time of `tok`, whichever verb
    the parser hung it on."""
    doc = other.doc
    return any(c.dep_ == "prep" and c.i >= 2 and doc[c.i - 1].text == "," and doc[c.i - 2] in tok.subtree
               and doc[c.i - 2].dep_ not in ("cc", "punct")
               and c.right_edge.i + 1 < len(doc) and doc[c.right_edge.i + 1].text == "," for c in other.children)


def attached(a: Token, b: Token) -> bool:
    """Whether one event is a participle inside the other's phrase ("destroyed 18 trucks carrying oil
    on Friday"): a date on either may belong to both, as the parser's attachment of a date is a guess.
    So is a clause of the same moment ("On March 23 they had been inspecting a ship when they were
    surrounded"). A relative clause ("which had been held since 1890") has a time of its own."""
    return _inside(a, b) or _inside(b, a)


_SAME_MOMENT = frozenset({"when", "while", "as"})


def _inside(a: Token, b: Token) -> bool:
    if a.dep_ == "acl" and a in b.subtree:
        return True
    return a.dep_ == "advcl" and a.head == b and any(
        c.dep_ in ("mark", "advmod") and c.lower_ in _SAME_MOMENT for c in a.children)
