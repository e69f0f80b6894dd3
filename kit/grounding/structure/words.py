"""Words as the structural check compares them: repaired lemmas, synonym groups, antonym axes, and
the participants of an event (who or what a phrase names).
"""

from __future__ import annotations

from collections.abc import Iterable
from enum import Enum

from spacy.tokens import Token

from kit.grounding.spelling import near_name
from kit.grounding.structure import lexicon as lx
from kit.grounding.structure.nations import nations_differ
from kit.grounding.wording import capital_of, demonym_match, same_nation
from kit.text import stem


def known_words() -> frozenset[str]:
    words: set[str] = set()
    for g in lx.SYNONYM_GROUPS:
        words |= g
    for _, pos, neg in (*lx.AXES, *lx.CONTRASTS):
        words |= pos | neg
    words |= lx.SPEECH | lx.FINDING_STRONG | lx.FINDING_WEAK | lx.BELIEF | set(lx.PLAN_HEADS) | lx.NEG_IMPLICATIVE
    return frozenset(words)


KNOWN = known_words()


def repair_lemma(tok: Token) -> str:
    """The small model's lemmatizer errs on some verbs ("spared" -> "spar", "hopes" -> "hop"). When its
    lemma is not a lexicon word but a simple de-inflection of the surface form is, take that instead.
    Only words of lexicon.py are repaired; other lemmas are left as the model gives them.
    """
    base = tok.lemma_.lower()
    if base in KNOWN or tok.pos_ not in ("VERB", "NOUN", "ADJ", "AUX"):
        return base
    return next((c for c in _uninflected(tok.lower_) if c in KNOWN and len(c) >= 3), base)


def _uninflected(word: str) -> list[str]:
    """The forms `word` may have without an ending it has ("hopes": hope; "stopped": stop; "hoping":
    hope), itself first. A word without an ending has only itself: "settle" is not "set"."""
    out = [word]
    for ending in ("ing", "ed", "es", "s"):
        if word.endswith(ending):
            stem = word[:-len(ending)]
            out += [stem, stem + "e"] + ([stem[:-1]] if len(stem) > 2 and stem[-1] == stem[-2] else [])
    return out


def lemma_of(tok: Token) -> str:
    """Lower-case lemma, with a verb's particle ("lay off"). Does not join other multiword verbs."""
    base = repair_lemma(tok)
    if base in lx.AGAINST_VERBS:
        preps = [c for c in tok.children if c.dep_ == "prep"]
        if any(p.lower_ == "against" for p in preps):
            return "oppose"
        if any(p.lower_ == "for" and not any(g.dep_ == "pobj" and g.lemma_.lower() in lx.TIME_NOUNS | {"time"}
                                             for g in p.children) for p in preps):
            return "support"  # "voted for the bill" / "voted against it", not "voted for the first time"
    return written_lemma(tok)


def written_lemma(tok: Token) -> str:
    """Lower-case lemma with a verb's particle ("wiped out"), as written: not the sense `lemma_of`
    reads a vote in ("voted against" is "oppose")."""
    prt = [c.lower_ for c in tok.children if c.dep_ == "prt"]
    base = repair_lemma(tok)
    return f"{base} {prt[0]}" if prt else base


CANON: dict[str, str] = {w: sorted(g)[0] for g in lx.SYNONYM_GROUPS for w in g}


def canon(lemma: str) -> str:
    """Name of the synonym group of a lemma (the lemma itself when it is in none)."""
    return CANON.get(lemma, lemma)


def axis_sides(lemma: str) -> dict[str, int]:
    """Antonym axes a lemma lies on: axis name -> +1 or -1."""
    return {name: (1 if lemma in pos else -1) for name, pos, neg in (*lx.AXES, *lx.CONTRASTS)
            if lemma in pos or lemma in neg}


def prefix_antonyms(a: str, b: str) -> bool:
    """ "likely"/"unlikely", "agree"/"disagree". Misses irregular pairs and false friends ("invaluable")."""
    return any((a == p + b or b == p + a) and min(len(a), len(b)) >= 4 for p in lx.NEGATIVE_PREFIXES)


def opposite_axis(a: str, b: str) -> str | None:
    """The axis on which two lemmas are opposite, or None."""
    sa, sb = axis_sides(a), axis_sides(b)
    for axis, side in sa.items():
        if sb.get(axis) == -side:
            return axis
    return "prefix" if prefix_antonyms(a, b) else None


def content_lemmas(tokens: Iterable[Token]) -> frozenset[str]:
    """Canonical lemmas of the content words (nouns, names, verbs, adjectives, numbers), minus be/have."""
    out = set()
    for t in tokens:
        if (
            t.pos_ in ("NOUN", "PROPN", "VERB", "ADJ", "NUM")
            and not t.is_stop
            and t.lemma_.lower() not in ("be", "have")
        ):
            out.add(canon(t.lemma_.lower()))
    return frozenset(out)


# Participants


class Same(Enum):
    """How two participant phrases compare."""

    YES = "same"
    OTHER = "other"  # different common nouns: may still be the same thing ("the firm" / "the company")
    OTHER_NAME = "other name"  # different proper names: taken as different participants
    UNKNOWN = "unknown"  # a pronoun or nothing on one side


def resolve(tok: Token | None) -> Token | None:
    """Relative pronoun -> the noun it stands for; personal pronouns -> None (no coreference here)."""
    if tok is None:
        return None
    if tok.lower_ in lx.RELATIVE_PRONOUNS and tok.head.dep_ in ("relcl", "acl"):
        return tok.head.head
    if tok.pos_ == "PRON":
        return None
    return tok


def through_partitive(tok: Token) -> Token:
    """ "part of the village" -> "village", "most of the paintings" -> "paintings"."""
    if tok.lower_ in lx.PARTITIVE_HEADS or tok.lemma_.lower() in lx.PARTITIVE_HEADS or tok.like_num:
        for c in tok.children:
            if c.dep_ == "prep" and c.lower_ == "of":
                objs = [g for g in c.children if g.dep_ == "pobj"]
                if objs:
                    return objs[0]
    return tok


def identity(tok: Token) -> frozenset[str]:
    """Lemmas that identify a participant: head, compounds, names in apposition, possessors.

    Does not use the rest of the phrase (relative clauses, most prepositions) nor coreference.
    """
    parts = [tok]
    for c in tok.children:
        if c.dep_ in ("compound", "flat", "poss", "appos", "nmod"):
            parts.append(c)
            parts.extend(g for g in c.children if g.dep_ in ("compound", "flat"))
    keep = [p for p in parts if p.pos_ in ("NOUN", "PROPN", "NUM") or p.tag_ == "NNP" or p is tok]
    return frozenset(p.lemma_.lower() for p in keep) | frozenset(p.lower_ for p in keep)


def is_name(tok: Token) -> bool:
    return tok.pos_ == "PROPN" or tok.tag_ in ("NNP", "NNPS")


def same(a: Token | None, b: Token | None) -> Same:
    """Compare two participants by their identifying lemmas. No synonyms, no coreference, no metonymy.
    Coordinated ones ("Honda, Toyota and Nissan") compare member by member: `a` is the same when
    each of its members is one of `b`'s, and another name when one of its names is none of them."""
    a, b = resolve(a), resolve(b)
    if a is None or b is None:
        return Same.UNKNOWN
    members_a, members_b = _members(a), _members(b)
    if len(members_a) == 1 and len(members_b) == 1:
        return _same_one(a, b)
    best = [min((_same_member(x, y) for y in members_b), key=_CLOSENESS.index) for x in members_a]
    if all(v is Same.YES for v in best):
        return Same.YES
    return Same.OTHER_NAME if Same.OTHER_NAME in best else Same.OTHER


# A member's best counterpart among the other side's members: the same one, else the least different.
_CLOSENESS = [Same.YES, Same.UNKNOWN, Same.OTHER, Same.OTHER_NAME]


def _members(tok: Token) -> list[Token]:
    """A noun and the nouns coordinated with it ("Honda" -> Honda, Toyota, Nissan); a name's
    members are names (a parse that coordinates "the crisis, Honda, Toyota" keeps the names)."""
    if tok.pos_ not in ("NOUN", "PROPN"):
        return [tok]
    kinds = ("PROPN",) if tok.pos_ == "PROPN" else ("NOUN", "PROPN")
    return [tok] + [c for c in tok.conjuncts if c.pos_ in kinds]


def _same_member(a: Token, b: Token) -> Same:
    """Two members of coordinated groups: names by their name words alone (in "Olympics minister
    Tessa Jowell and Prime Minister Gordon Brown" the shared title does not make them one)."""
    if not (is_name(a) and is_name(b)):
        return _same_one(a, b)
    words_a, words_b = _name_words(a), _name_words(b)
    return Same.YES if words_a & words_b or acronym_of(a, b) or acronym_of(b, a) else Same.OTHER_NAME


def _name_words(tok: Token) -> frozenset[str]:
    """The proper-noun words of a name: its head and the names compounded with it."""
    parts = [tok] + [c for c in tok.children if c.dep_ in ("compound", "flat") and is_name(c)]
    return frozenset(p.lower_ for p in parts if p.lower_ not in lx.ROLE_NOUNS)


def _same_one(a: Token, b: Token) -> Same:
    a, b = through_partitive(a), through_partitive(b)
    if nations_differ(a, b):
        return Same.OTHER_NAME  # "British sailors" / "Iranian sailors"
    ia, ib = identity(a), identity(b)
    ha, hb = {a.lemma_.lower(), a.lower_}, {b.lemma_.lower(), b.lower_}
    if ha & hb or ha & ib or hb & ia or acronym_of(a, b) or acronym_of(b, a):
        return Same.YES
    if is_name(a) and is_name(b) and near_name(a.lower_, {b.lower_}):
        return Same.YES  # one spelled a letter off the other: "Mueller" / "Muller", "Alepo" / "Aleppo"
    # Two names that share a word but each have one of their own ("Louis Pasteur" / "Pierre-Louis
    # Maupertuis", "United States" / "United Nations") are two; one inside the other ("the Olympic
    # Committee" / "Olympic Committee President Jacques Rogge") may be one.
    shared = (ia & ib) - lx.GENERIC_NOUNS
    if shared and (not (is_name(a) and is_name(b)) or _names_within(a, b, ia, ib)):
        return Same.YES
    if is_name(a) and is_name(b) and (same_nation(a.lower_, b.lower_) or (
            len(a.lower_) >= 4 and len(b.lower_) >= 4 and demonym_match(a.lower_, b.lower_))):
        return Same.YES  # "the Iranians" / "Iran"
    if is_name(a) and is_name(b) and (capital_of(a.lower_, _full_name(b)) or capital_of(b.lower_, _full_name(a))):
        return Same.YES  # "Tehran" for the government of "Iran", "Washington" of "the United States"
    if is_name(a) and is_name(b):
        return Same.OTHER_NAME
    return Same.OTHER


def _full_name(tok: Token) -> str:
    """A name with the name words compounded before it, lower-cased: "united states"."""
    return " ".join(t.lower_ for t in [*(c for c in tok.children if c.dep_ == "compound" and is_name(c)), tok])


def _names_within(a: Token, b: Token, ia: frozenset[str], ib: frozenset[str]) -> bool:
    """Whether the name words of one name are all words of the other's identity (`ia`, `ib`)."""
    wa, wb = {stem(w) for w in _name_words(a)}, {stem(w) for w in _name_words(b)}
    sa, sb = {stem(w) for w in ia}, {stem(w) for w in ib}
    return bool(wa and wb) and (wa <= sb or wb <= sa)  # "Summer Olympics" in "Summer Olympic Games"


def acronym_of(short: Token, long: Token) -> bool:
    """"US" for "United States", "EU" for "European Union": the initials of the name's words."""
    letters = short.text.replace(".", "")
    if not (2 <= len(letters) <= 6 and letters.isupper()):
        return False
    words = [t for t in long.subtree if t.dep_ in ("compound", "flat") or t is long]
    return "".join(w.text[0] for w in words if w.text[:1].isupper()) == letters


def phrase_of(tok: Token | None) -> str:
    """Short text of a noun phrase: determiners, compounds, modifiers and the head."""
    if tok is None:
        return "someone"
    tok = resolve(tok) or tok
    left = min(
        [tok.i]
        + [
            c.left_edge.i
            for c in tok.children
            if c.dep_ in ("det", "compound", "amod", "poss", "nummod", "flat", "quantmod", "nmod")
        ]
    )
    right = tok.i
    for c in tok.children:  # keep "of the village" after a partitive head
        if c.dep_ == "prep" and c.lower_ == "of" and tok.lower_ in lx.PARTITIVE_HEADS:
            right = c.right_edge.i
    return tok.doc[left : right + 1].text
