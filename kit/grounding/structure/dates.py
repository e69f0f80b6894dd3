"""Dates in an impossible order: a claim that puts an event dated May 25 "after" one dated May 29.

A claim joining two events with "after" or "before" orders them; when each side carries its own
date and the dates run the other way, the claim cannot be what any source says, whatever the
quote holds. Only explicit dates are read ("May 25", "25 May 2015", "October 20, 1973", "1805"),
on both sides of the cue, the one nearest the cue on each side; a side without a date, or dates
that cannot be compared (a year on one side only), are left to the other checks.
"""

from __future__ import annotations

import re

from spacy.tokens import Doc, Token

from kit.grounding.structure.fault import Fault
from kit.text import MONTH_ABBREVIATIONS, MONTH_NAMES, YEAR

_MONTH = {name: n for n, name in enumerate(MONTH_NAMES, 1)} | {
    short: n for short in MONTH_ABBREVIATIONS for n, name in enumerate(MONTH_NAMES, 1) if name.startswith(short)}
_M = "|".join(sorted(_MONTH, key=len, reverse=True))
_DATE = re.compile(
    rf"\b(?:(?P<d1>\d{{1,2}})(?:st|nd|rd|th)?\s+(?:of\s+)?(?P<m1>{_M})\b\.?|(?P<m2>{_M})\b\.?\s+(?P<d2>\d{{1,2}})"
    rf"(?:st|nd|rd|th)?\b)(?:,?\s+(?P<y1>{YEAR})\b)?|\b(?P<y2>{YEAR})\b", re.IGNORECASE)

Date = tuple[int | None, int, int]  # (year or None, month or 0, day or 0)


def dates(text: str) -> list[tuple[Date, str]]:
    """The explicit dates of `text`, in order, each with its wording."""
    out: list[tuple[Date, str]] = []
    for m in _DATE.finditer(text):
        if m.group("y2"):
            out.append(((int(m.group("y2")), 0, 0), m.group()))
            continue
        month = _MONTH[(m.group("m1") or m.group("m2")).lower()]
        day = int(m.group("d1") or m.group("d2"))
        if 1 <= day <= 31:
            out.append(((int(m.group("y1")) if m.group("y1") else None, month, day), m.group()))
    return out


def earlier(a: Date, b: Date) -> bool | None:
    """Whether `a` is strictly before `b`; None when they cannot be compared."""
    if (a[0] is None) != (b[0] is None):
        return None
    if a[1] == 0 or b[1] == 0:  # a year alone: only the years compare
        return None if a[0] is None else a[0] < b[0]  # type: ignore[operator]
    return (a[0] or 0, a[1], a[2]) < (b[0] or 0, b[1], b[2])


def check_date_order(claim: Doc) -> list[Fault]:
    """An "after" or "before" of the claim whose two sides carry dates in the other order, or a
    "having done" dated later than the clause it comes before."""
    return _joined_out_of_order(claim) or _perfect_out_of_order(claim)


def _perfect_out_of_order(claim: Doc) -> list[Fault]:
    """"In 1529 Warsaw became the seat, having first hosted it in 1569": what "having" tells was
    done before the rest of the sentence, here dated after it."""
    for t in claim:
        verb = t.head
        if t.lower_ != "having" or t.dep_ != "aux" or verb.tag_ != "VBN" or verb.dep_ != "advcl":
            continue
        inside = {u.i for u in verb.subtree}
        rest = " ".join(u.text for u in verb.sent if u.i not in inside)
        done, then = dates(claim[verb.left_edge.i:verb.right_edge.i + 1].text), dates(rest)
        if done and then and earlier(then[-1][0], done[0][0]):
            return [Fault("time", f'"having {verb.text}" is dated {done[0][1]}, after {then[-1][1]} of the '
                                  f'event it came before')]
    return []


def _joined_out_of_order(claim: Doc) -> list[Fault]:
    for t in claim:
        if t.lower_ not in ("after", "before") or t.dep_ not in ("prep", "mark"):
            continue
        host, left, right = _sides(t)
        mine, theirs = dates(left), dates(right)
        if not mine or not theirs:
            continue
        opening = t.i < host.i  # "After A, B" says what "B after A" says
        (a, a_text), (b, b_text) = mine[0] if opening else mine[-1], theirs[0]  # the dates nearest the cue
        wrong = earlier(a, b) if t.lower_ == "after" else earlier(b, a)
        if wrong:
            return [Fault("time", f'"{t.text}" joins events dated {a_text} and {b_text}, whose dates '
                                  f'run the other way')]
    return []


def _sides(cue: Token) -> tuple[Token, str, str]:
    """The event a cue's phrase is attached to, its own words (without the phrase or the clauses
    inside it) and the phrase: "closed", "the mill closed" and "the flood of 2001" of "The bakery,
    opened in 1998, stood by the mill, which closed after the flood of 2001"."""
    phrase = cue if cue.dep_ == "prep" else cue.head  # "after the flood" / "after it flooded"
    host = phrase.head  # the phrase itself when the parser made it the root
    inside = {u.i for u in phrase.subtree}
    for t in host.subtree:
        if t is not host and t.dep_ in _OTHER_CLAUSE:
            inside |= {u.i for u in t.subtree}
    left = " ".join(u.text for u in host.subtree if u.i not in inside)
    return host, left, " ".join(u.text for u in phrase.subtree if u.i != cue.i)


# What hangs off an event as a clause of its own, with its own dates.
_OTHER_CLAUSE = frozenset("acl relcl advcl ccomp conj parataxis appos".split())
