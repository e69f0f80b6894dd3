"""Is a name of the claim another name of the quote, in the same place? "a target in Raqqa" against
"a target in Deir Ezzor", "a gift from Harvard alumnus X" against "a gift from Yale alumnus X".

The support judge lets a name pass as partial when the quote lacks it but the passage around has it
(the quote may say "the fort" for "Fort Coligny"). When the quote fills that very slot with a
different name, the claim has swapped one name for another, and that is no paraphrase.

A slot is the word a name hangs from and how: its head's lemma and dependency ("declared ... Japan":
object of "declare"), and for the object of a preposition, the preposition and what it attaches to
("in" under "target"). Not handled: a name moved to another construction ("Putin ordered" / "as
ordered by Putin"), or a slot the quote fills with a pronoun or a common noun (those pass as before).
"""

from __future__ import annotations

from spacy.tokens import Doc, Token

from kit.grounding.structure.parser import parse
from kit.grounding.structure.words import is_name


def slot(tok: Token) -> tuple[str, ...]:
    """Where a name token sits: through the other words of its name to the name's head, then that
    head's place in the sentence."""
    while tok.dep_ in ("compound", "flat") and tok.head is not tok and is_name(tok.head):
        tok = tok.head
    head = tok.head
    # The one who receives, however the sentence puts it: "given to Okafor", "gave Okafor the prize",
    # "Okafor was given the prize" (a passive subject whose verb keeps an object).
    if (tok.dep_ == "pobj" and head.lower_ == "to" and head.head.pos_ == "VERB") or tok.dep_ == "dative" or (
            tok.dep_ == "nsubjpass" and any(c.dep_ == "dobj" for c in head.children)):
        return ("recipient", (head.head if tok.dep_ == "pobj" else head).lemma_.lower())
    if tok.dep_ == "pobj":
        return ("pobj", head.lower_, head.head.lemma_.lower())
    return (tok.dep_, head.lemma_.lower())


def _names(doc: Doc) -> list[Token]:
    return [t for t in doc if is_name(t) and t.is_alpha]


def swapped_name(claim: str, quote: str, name: str) -> str | None:
    """The quote's name in the slot where the claim has `name` (a word of a claim name the quote
    lacks), when the claim does not use that name anywhere; None when the slot is not a name's."""
    c_doc, q_doc = parse(claim), parse(quote)
    claim_words = {t.lower_ for t in c_doc}
    key = name.lower()
    places = {slot(t) for t in _names(c_doc) if t.lower_ == key}
    for q in _names(q_doc):
        if q.lower_ not in claim_words and slot(q) in places:
            head = q.head if q.dep_ in ("compound", "flat") and is_name(q.head) else q
            return " ".join(t.text for t in head.subtree
                            if t is head or (t.dep_ in ("compound", "flat") and is_name(t)))
    return None
