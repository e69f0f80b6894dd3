"""A quote that opens with a pronoun ("It was founded by ...") read with the name it stands for.

A model that cites "It was founded by Larry Roberts" for "ARPANET was founded by Larry Roberts"
puts its own name where the quote has "It"; when the sentence before the quote names Telenet as
its subject, the quote is about Telenet, and the claim's name is a different participant. The
antecedent is the one the sentence before makes its subject (how a reader takes an opening "It"
or "He"), and only a name: a common noun or no sentence before leaves the quote as it is.
"""

from __future__ import annotations

from kit.grounding.structure.parser import parse
from kit.text import sentences

_PRONOUNS = frozenset({"it", "he", "she", "they"})
_SUBJECTS = frozenset({"nsubj", "nsubjpass"})


def resolved(claim: str, quote: str, passage: str) -> str:
    """`quote` with an opening subject pronoun replaced by the name the sentence before it in
    `passage` has as its subject; `quote` itself when there is none (or the claim keeps the pronoun)."""
    first = quote.split(maxsplit=1)[0].lower() if quote.strip() else ""
    if first not in _PRONOUNS or claim.split(maxsplit=1)[0].lower() == first:
        return quote
    at = passage.find(quote.strip()[:80])
    before = sentences(passage[:at]) if at > 0 else []
    if not before:
        return quote
    name = _subject_name(before[-1].text)
    if name is None:
        return quote
    body = quote.lstrip()
    return name + body[len(body.split(maxsplit=1)[0]):]


def _subject_name(sentence: str) -> str | None:
    """The main clause's subject of `sentence` when it is a name (with its compound parts)."""
    doc = parse(sentence)
    root = next((t for t in doc if t.dep_ == "ROOT"), None)
    subject = next((t for t in root.children if t.dep_ in _SUBJECTS), None) if root is not None else None
    if subject is None or subject.pos_ != "PROPN":
        return None
    parts = [t for t in subject.lefts if t.dep_ == "compound" and t.pos_ == "PROPN"] + [subject]
    return " ".join(t.text for t in parts)
