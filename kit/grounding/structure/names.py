"""Is a name of the claim another name of the quote, in the same place? "a target in Raqqa" against
"a target in Deir Ezzor", "a gift from Harvard alumnus X" against "a gift from Yale alumnus X".

The support judge lets a name pass as partial when the quote lacks it but the passage around has it
(the quote may say "the fort" for "Fort Coligny"). When the quote fills that very slot with a
different name, the claim has swapped one name for another, and that is no paraphrase.

A slot is the word a name hangs from and how: its head's lemma and dependency ("declared ... Japan":
object of "declare"), and for the object of a preposition, the preposition and what it attaches to
("in" under "target"). The parse may read one wording two ways ("declared Israel a nonfriendly
country" with Israel the subject of "country", "declared Japan a ..." with Japan the object), so a
name is also swapped when claim and quote read word for word the same around it and the quote has
another name there. Not handled: a name moved to another construction ("Putin ordered" / "as
ordered by Putin"), or a slot the quote fills with a pronoun or a common noun (those pass as before).
"""

from __future__ import annotations

from difflib import SequenceMatcher

from spacy.tokens import Doc, Token

from kit.grounding.structure.parser import parse
from kit.grounding.structure.words import is_name
from kit.grounding.wording import TITLES


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
        if q.lower_ not in claim_words and slot(q) in places and q.lower_.rstrip(".") not in TITLES:
            head = q.head if q.dep_ in ("compound", "flat") and is_name(q.head) else q
            return " ".join(t.text for t in head.subtree
                            if t is head or (t.dep_ in ("compound", "flat") and is_name(t)))
    return in_the_same_words(c_doc, q_doc, key)


_CONTEXT = 2  # words read the same on each side of the name
_LONGEST = 3  # words of a name
Opcode = tuple[str, int, int, int, int]  # difflib's (tag, claim from, claim to, quote from, quote to)


def in_the_same_words(c_doc: Doc, q_doc: Doc, key: str) -> str | None:
    """The quote's name where the claim has `key`, when the words on each side of it read the same
    in both (two words, or fewer that reach the start or the end of both texts) and the quote's
    words in its place are a name the claim does not use."""
    c_toks = [t for t in c_doc if not t.is_punct]
    q_toks = [t for t in q_doc if not t.is_punct]
    claim_words = {t.lower_ for t in c_toks}
    ops = SequenceMatcher(None, [t.lower_ for t in c_toks], [t.lower_ for t in q_toks], autojunk=False).get_opcodes()
    for n, (op, i1, i2, j1, j2) in enumerate(ops):
        mine, theirs = c_toks[i1:i2], q_toks[j1:j2]
        if op != "replace" or key not in {t.lower_ for t in mine} or not _names_only(mine, theirs, claim_words):
            continue
        before = ops[n - 1] if n else None
        after = ops[n + 1] if n + 1 < len(ops) else None
        if _read_alike(before, at_start=True) and _read_alike(after, at_start=False, ends=(len(c_toks), len(q_toks))):
            return " ".join(t.text for t in theirs)
    return None


def _names_only(mine: list[Token], theirs: list[Token], claim_words: set[str]) -> bool:
    """Whether both sides are short names and the quote's is one the claim does not use."""
    return (0 < len(theirs) <= _LONGEST and len(mine) <= _LONGEST and all(is_name(t) for t in (*mine, *theirs))
            and not any(t.lower_ in claim_words for t in theirs)
            and not all(t.lower_.rstrip(".") in TITLES for t in theirs))  # "General Fulton" for "Sir Rob Fulton"


def _read_alike(op: Opcode | None, at_start: bool, ends: tuple[int, int] = (0, 0)) -> bool:
    """Whether the words beside the name read the same: `_CONTEXT` equal words, or fewer equal
    words that reach the start (or the end) of both texts. With none, the name itself must be at
    that edge of both, which the caller's opcode then is (None here)."""
    if op is None:
        return True
    tag, i1, i2, j1, j2 = op
    if tag != "equal":
        return False
    reaches = (i1 == 0 and j1 == 0) if at_start else (i2, j2) == ends
    return i2 - i1 >= _CONTEXT or reaches
