"""Whose place or partner a name is: a name the claim attaches to one word and the quote to another.

"The vaccine was approved in Canada but rejected in Brazil" holds every word of "The vaccine was
approved in Brazil", and gives Brazil to the rejection. Each name of the claim that is the object
of a preposition ("in Brazil", "than Lake Baikal", "a doctor from Oslo", "flows past Ulm") is read
with the word the preposition hangs on (verb, adjective or noun) and that word's subject. When the
quote never hangs the name on that word (with a subject that could be the same), and does hang
another name on it with the same preposition, the claim has moved the name: a roles fault. Other
names, names in subjects and objects (the roles check reads those), and words the quote says in
other words are left alone.
"""

from __future__ import annotations

from dataclasses import dataclass

from spacy.tokens import Doc, Token

from kit.grounding.structure.events import subject_of, toward_verb
from kit.grounding.structure.fault import Fault


@dataclass(frozen=True)
class Attachment:
    """A name hung on a word by a preposition: "approved" -in-> "Brazil"."""

    name: str  # the name's lemma, lower-cased ("baikal" for "Lake Baikal")
    shown: str  # the name as written
    head: str  # the lemma of the word the preposition hangs on
    prep: str
    subject: str | None  # the lemma of that word's subject, when it has one


def _subject(head: Token) -> str | None:
    subject = subject_of(head) or subject_of(toward_verb(head, 4))
    return subject.lemma_.lower() if subject is not None else None


def attachments(doc: Doc) -> list[Attachment]:
    """The names of `doc` that are objects of a preposition, each with what it hangs on."""
    out = []
    for tok in doc:
        if tok.pos_ != "PROPN" or tok.dep_ not in ("pobj", "conj"):
            continue
        name = tok
        while name.dep_ == "conj" and name.head is not name:
            name = name.head  # "in Canada and Mexico": Mexico hangs where Canada does
        prep = name.head
        if name.dep_ != "pobj" or prep.dep_ != "prep" or prep.head is prep:
            continue
        head = prep.head
        out.append(Attachment(tok.lemma_.lower(), tok.text, head.lemma_.lower(), prep.lower_, _subject(head)))
    return out


def _same_subject(a: str | None, b: str | None) -> bool:
    return a is None or b is None or a == b


def check_attachments(claim: Doc, quote: Doc) -> list[Fault]:
    """Names the quote hangs on another word than the claim does, while it hangs another name on
    the claim's word with the claim's preposition ("approved in Canada but rejected in Brazil")."""
    theirs = attachments(quote)
    for mine in attachments(claim):
        placed = [a for a in theirs if a.name == mine.name]
        if not placed or any(a.head == mine.head and _same_subject(a.subject, mine.subject) for a in placed):
            continue
        own = [a for a in theirs if a.head == mine.head and a.prep == mine.prep and a.name != mine.name
               and _same_subject(a.subject, mine.subject)]
        if own:
            whose = own[0].head == placed[0].head  # one word twice: their subjects tell them apart
            return [Fault("roles", f'the quote says "{_said(own[0], whose)}" and "{_said(placed[0], whose)}"')]
    return []


def _said(a: Attachment, whose: bool) -> str:
    return f"{a.subject} ... {a.head} {a.prep} {a.shown}" if whose and a.subject else f"{a.head} {a.prep} {a.shown}"
