"""How much of a thing: all/every/most in the claim where the quote says less, and few/only some
where the quote says most or all."""

from __future__ import annotations

from dataclasses import dataclass

from spacy.tokens import Doc, Token

from kit.grounding.structure import lexicon as lx
from kit.grounding.structure.fault import Fault
from kit.grounding.structure.matching import np_text

PART = 1  # the rank of "some"/"part" in lexicon.QUANT_WORDS: a part, not most nor all


@dataclass(frozen=True)
class Quant:
    rank: int | None
    word: str
    definite: bool
    at_most: bool = False  # "few", "only some", "just a handful": not many, let alone most


def _at_most(noun: Token, word: Token) -> bool:
    """Whether a quantifier of some says no more than some: bare "few" (not "a few"), or one
    under "only" or "just" ("only a few residents", "only some of the residents")."""
    near = [*word.children, *noun.children]
    if word.lower_ == "few" and not any(g.lower_ == "a" for g in near):
        return True
    return any(g.dep_ == "advmod" and g.lower_ in ("only", "just") for g in near)


def quantifier_of(noun: Token) -> Quant:
    """Quantity said of a noun: its determiner/modifier ("all", "entire", "several") or a partitive
    head ("part of the", "most of the"), or one given by a number ("12 of the 40": a part; "all 40").
    The numbers themselves are the kit's own check.
    """
    head = noun.head
    if noun.dep_ == "pobj" and head.lower_ == "of" and head.head.lower_ in lx.QUANT_WORDS:
        q = head.head
        rank = lx.QUANT_WORDS[q.lower_]
        if any(c.lower_ in ("almost", "nearly") for c in q.children) and rank == 4:
            rank = 3
        return Quant(rank, q.lower_ + " of", True, rank <= PART and _at_most(q, q))
    if noun.dep_ == "pobj" and head.lower_ == "of" and head.head.like_num:
        return Quant(PART, f"{head.head.text} of", True)  # "12 of the 40 members": a part of them
    if (floating := _floating(noun)) is not None:
        return Quant(lx.QUANT_WORDS[floating.lower_], floating.lower_, False)
    definite = False
    for c in noun.children:
        word = c.lower_
        if c.dep_ in ("det", "predet", "amod", "nummod", "quantmod") and word in lx.QUANT_WORDS:
            rank = lx.QUANT_WORDS[word]
            if any(g.lower_ in ("almost", "nearly", "virtually") for g in c.children) and rank == 4:
                rank = 3
            if word == "few" and any(g.lower_ == "a" for g in noun.children):
                rank = 1
            return Quant(rank, word, False, rank == PART and _at_most(noun, c))
        said = [g.lower_ for g in c.children if g.lower_ in lx.QUANT_WORDS] if c.dep_ == "nummod" else []
        if said:
            return Quant(lx.QUANT_WORDS[said[0]], f"{said[0]} {c.text}", False)  # "all 40 members"
        if c.dep_ in ("det", "poss") and word in ("the", "its", "their", "his", "her", "our", "this", "these", "those"):
            definite = True
        if c.dep_ == "poss":
            definite = True
    return Quant(None, "", definite)


def _floating(noun: Token) -> Token | None:
    """An "all" said after the noun it counts: "the bombers were all British", "the passengers all
    died", "the sailors have all been released"."""
    near = [*noun.children, *(noun.head.children if noun.dep_ in ("nsubj", "nsubjpass") else ())]
    return next((c for c in near if c.lower_ == "all" and c.i > noun.i
                 and c.dep_ in ("appos", "advmod", "dep", "npadvmod")), None)


def check_quantifiers(claim: Doc, quote: Doc) -> list[Fault]:
    """Claim says all/every/entire/most of a noun; the quote says less of the same noun, or nothing
    (bare plural). A definite plural in the quote ("the flights") is taken to allow "all"/"most".
    """
    faults = []
    for n in claim:
        if n.pos_ not in ("NOUN", "PROPN"):
            continue
        cq = quantifier_of(n)
        if cq.at_most:
            faults += _more_than_said(n, cq, quote)
            continue
        if cq.rank is None or 1 <= cq.rank <= 2:
            continue
        m = _mention(n, quote)
        if m is not None:
            qq = quantifier_of(m)
            if cq.rank == 0:
                if qq.rank is not None and qq.rank > 0:
                    faults.append(Fault("quantifier", f'the claim says "{cq.word}", the quote "{qq.word} {m.text}"'))
            elif cq.rank == 4 and qq.rank is None and (example := _an_example(m)) is not None:
                faults.append(Fault("quantifier", f'the claim says "{cq.word}", the quote gives examples '
                                                  f'("{example} {np_text(m)}")'))
            elif cq.rank == 4 and qq.rank is None and (part := _over_a_part(m)) is not None:
                said = m.doc[m.i:part.right_edge.i + 1].text
                faults.append(Fault("quantifier", f'the claim says "{cq.word}", the quote "{said}"'))
            elif qq.rank is not None and qq.rank < cq.rank:
                faults.append(Fault("quantifier", f'the claim says "{cq.word}", the quote only "{qq.word} {m.text}"'))
            elif qq.rank is None and not qq.definite and m.tag_ in ("NNS", "NNPS"):
                faults.append(Fault("quantifier", f'the quote does not say "{cq.word}": "{np_text(m)}"'))
            elif qq.rank is None and (less := _said_alone(m, cq.rank)) is not None:
                faults.append(Fault("quantifier", f'the claim says "{cq.word}", the quote only "{np_text(less)}"'))
    return faults or _in_the_same_words(claim, quote) or _one_or_many(claim, quote)


# "the same route" is one; "several routes", "different routes" are more than one.
_ONE = frozenset({"same"})
_MANY = frozenset("several various different separate multiple many distinct".split())


def _one_or_many(claim: Doc, quote: Doc) -> list[Fault]:
    """One thing for many, or many for one: "all taking the same route" where the quote's motorcades
    "took several routes", or "by different routes" where it says "the same route"."""
    for n in claim:
        words = _modifiers(n)
        m = _mention(n, quote) if n.pos_ == "NOUN" and words & (_ONE | _MANY) else None
        if m is None:
            continue
        theirs = _modifiers(m)
        if (words & _ONE and theirs & _MANY and m.tag_ == "NNS") or (words & _MANY and theirs & _ONE):
            said = n.head if n.dep_ == "compound" else n
            return [Fault("quantifier", f'the claim says "{np_text(said)}", the quote "{np_text(m)}"')]
    return []


def _modifiers(noun: Token) -> set[str]:
    """A noun's adjectives and determiners, with its head's when it is read as a compound ("the
    same road north" parsed as a kind of "north")."""
    nodes = [noun, noun.head] if noun.dep_ == "compound" else [noun]
    return {c.lower_ for n in nodes for c in n.children if c.dep_ in ("amod", "det")}


def _said_alone(mention: Token, rank: int) -> Token | None:
    """A lesser quantifier standing for the mentioned noun later in its sentence, of the same verb
    ("implementing the recommendations ... he expects the great majority to be implemented"); "the
    passengers were rescued, and most were taken to hospital" says no less than all were rescued."""
    verb = (mention.head.head if mention.head.pos_ == "ADP" else mention.head).lemma_.lower()  # "acting on them"
    for t in mention.sent:
        if (t.i > mention.i and t.pos_ in ("NOUN", "ADJ", "PRON") and 0 < lx.QUANT_WORDS.get(t.lower_, rank) < rank
                and not any(c.lower_ == "of" for c in t.children)
                and t.dep_ in ("nsubj", "nsubjpass", "dobj") and t.head.lemma_.lower() == verb):
            return t
    return None


def _mention(noun: Token, quote: Doc) -> Token | None:
    """The quote's first noun with the lemma of the claim's `noun`."""
    lemma = noun.lemma_.lower()
    return next((m for m in quote if m.lemma_.lower() == lemma and m.pos_ in ("NOUN", "PROPN")), None)


def _more_than_said(noun: Token, cq: Quant, quote: Doc) -> list[Fault]:
    """The claim's "few" or "only some" of a noun the quote says most or all of."""
    m = _mention(noun, quote)
    if m is None:
        return []
    qq = quantifier_of(m)
    if qq.rank is None or qq.rank < 3:
        return []
    return [Fault("quantifier", f'the claim says only "{cq.word}", the quote "{qq.word} {m.text}"')]


_REACH = 5  # words after a quantifier read to find its noun


def _in_the_same_words(claim: Doc, quote: Doc) -> list[Fault]:
    """"all" or "most" before the same words, up to the same noun, as the quote's lesser quantifier,
    read from the words when the parse loses the noun ("all secular, Westernizing Muslims" against
    "many secular, Westernizing Muslims": the comma between the adjectives hangs "all" on "secular")."""
    for t in claim:
        rank = lx.QUANT_WORDS.get(t.lower_)
        if rank is None or rank < 3:
            continue
        after = _up_to_the_noun(t)
        for u in quote:
            theirs = lx.QUANT_WORDS.get(u.lower_)
            if theirs is not None and theirs < rank and after and _up_to_the_noun(u) == after:
                said = f"{u.text} {' '.join(after)}"
                return [Fault("quantifier", f'the claim says "{t.lower_}", the quote only "{said}"')]
    return []


def _up_to_the_noun(tok: Token) -> tuple[str, ...]:
    """The words after a token up to and with the first noun (punctuation skipped), lower-cased;
    none when no noun comes within `_REACH` words."""
    words: list[str] = []
    for t in (t for t in tok.doc[tok.i + 1:] if not t.is_punct):
        words.append(t.lower_)
        if t.pos_ in ("NOUN", "PROPN"):
            return tuple(words)
        if len(words) == _REACH:
            break
    return ()


_EXAMPLES = ("like", "including", "such as")


def _an_example(noun: Token) -> str | None:
    """The word that makes a noun an example ("targets, like oil refineries": "like"), if it is one."""
    for up in [noun, *list(noun.ancestors)[:3]]:
        if up.dep_ == "pobj" and up.head.lower_ in ("like", "including"):
            return up.head.lower_
        if up.dep_ == "pobj" and up.head.lower_ == "as" and up.head.i > 0 and up.doc[up.head.i - 1].lower_ == "such":
            return "such as"
    return None


# Which part of a whole ("the first half", "the latter half", "the late 1990s"): words of one class
# name the same part.
_PART_CLASSES = ({"first", "initial", "opening", "earliest"}, {"second", "latter"}, {"last", "final", "closing"},
                 {"early"}, {"late"}, {"third"}, {"fourth"})
_PART_CLASS = {w: n for n, group in enumerate(_PART_CLASSES) for w in group}


def check_parts(claim: Doc, quote: Doc) -> list[Fault]:
    """The claim names another part of the same whole than the quote ("the latter half of the 10th
    century" / "the first half"), a part of a kind the quote names nowhere."""
    said: dict[str, set[int]] = {}
    words: dict[str, str] = {}
    for t in quote:
        if t.lower_ in _PART_CLASS and t.dep_ == "amod" and t.head.pos_ == "NOUN":
            said.setdefault(t.head.lemma_.lower(), set()).add(_PART_CLASS[t.lower_])
            words[t.head.lemma_.lower()] = f"{t.text} {t.head.text}"
    used = {_PART_CLASS[t.lower_] for t in quote if t.lower_ in _PART_CLASS}  # "their last five" names no noun
    for t in claim:
        noun = t.head.lemma_.lower()
        if t.lower_ in _PART_CLASS and t.dep_ == "amod" and noun in said and _PART_CLASS[t.lower_] not in used:
            return [Fault("time", f'the quote says "{words[noun]}", not "{t.text} {t.head.text}"')]
    return []


def _over_a_part(noun: Token) -> Token | None:
    """The partitive an event noun is said of ("a withdrawal from parts of the Sinai": "parts"),
    so that "a complete withdrawal" is more than the quote says."""
    for prep in (c for c in noun.children if c.dep_ == "prep"):
        for obj in (o for o in prep.children if o.dep_ == "pobj"):
            if 1 <= lx.QUANT_WORDS.get(obj.lower_, 4) <= 2 and any(c.lower_ == "of" for c in obj.children):
                return obj
    return None


def _excepted(doc: Doc) -> dict[str, Token]:
    """Lemmas a clause takes out of what it says ("every day except Mondays": monday)."""
    out = {}
    for tok in doc:
        if tok.lower_ in lx.EXCEPTION_WORDS:
            for obj in (c for c in tok.children if c.dep_ == "pobj"):
                out.update({t.lemma_.lower(): t for t in obj.subtree if t.pos_ in ("NOUN", "PROPN", "NUM")})
    return out


def check_exceptions(claim: Doc, quote: Doc) -> list[Fault]:
    """The claim asserts of a thing what the quote says of everything except that thing."""
    excepted = _excepted(quote)
    if not excepted or any(t.lower_ in lx.EXCEPTION_WORDS for t in claim):
        return []
    for tok in claim:
        hit = excepted.get(tok.lemma_.lower()) if tok.pos_ in ("NOUN", "PROPN", "NUM") else None
        if hit is not None:
            return [Fault("polarity", f'the quote excludes it: "{hit.head.text} {np_text(hit)}"')]
    return []


_ORDINALS = frozenset("second third fourth fifth sixth seventh eighth ninth tenth 2nd 3rd 4th 5th".split())


def _superlatives(doc: Doc) -> dict[str, Token]:
    """Superlatives by what they rank: "lowest" -> "low", "most important" -> "most important"."""
    out: dict[str, Token] = {}
    for t in doc:
        if t.tag_ == "JJS" or (t.tag_ == "RBS" and t.lower_ in ("most", "least") and t.head.pos_ in ("ADJ", "ADV")):
            key = t.lemma_.lower() if t.tag_ == "JJS" else f"{t.lower_} {t.head.lemma_.lower()}"
            out.setdefault(key, t)
    return out


def _one_among_several(tok: Token) -> bool:
    """The superlative ranks something as one of a group ("among the most", "including the best",
    "one of the cities with the highest", "the second lowest"), not as the first."""
    before = [t for t in tok.doc[max(0, tok.i - 2): tok.i] if t.lower_ != "the"]
    if any(t.lower_ in _ORDINALS for t in before):
        return True
    for up in list(tok.ancestors)[:5]:
        if up.lower_ in ("among", "including") or (up.lower_ in ("one", "some")
                                                   and any(c.lower_ == "of" for c in up.children)):
            return True
    return False


def check_superlatives(claim: Doc, quote: Doc) -> list[Fault]:
    """The claim ranks a thing first ("the most important", "the lowest") where the quote ranks it
    one among several or second ("among the most important", "the second lowest")."""
    quoted = _superlatives(quote)
    faults = []
    for key, c in _superlatives(claim).items():
        q = quoted.get(key)
        if q is not None and _one_among_several(q) and not _one_among_several(c):
            faults.append(Fault("quantifier", f'the quote ranks it one of several: "{np_text(q.head)}"'))
    return faults


def _alternatives(doc: Doc) -> list[tuple[set[str], bool]]:
    """(lemmas, exclusive) of each "X or Y" of names or nouns in `doc`; exclusive when the sentence
    says "either ... or"."""
    out = []
    for cc in (t for t in doc if t.dep_ == "cc" and t.lower_ == "or" and t.head.pos_ in ("NOUN", "PROPN")):
        group = [cc.head, *cc.head.conjuncts]
        either = any(t.lower_ == "either" for t in cc.sent)
        out.append(({g.lemma_.lower() for g in group}, either))
    return out


_EXCLUSIVE = frozenset("only solely exclusively purely merely".split())
_BEFORE_TARGET = frozenset({"DET", "PART", "AUX", "PRON"})  # "only the pilots", "solely to repair", "only their"


def check_exclusive(claim: Doc, quote: Doc) -> list[Fault]:
    """The claim says "only X" ("developed solely to explore alternatives") where the quote gives X
    with something else ("to explore alternatives ... and to support research"). "Not only" is no
    claim of exclusivity, nor "only later" (when, not how much); a quote that says "only" itself is
    left to the other checks."""
    if any(t.lower_ in _EXCLUSIVE for t in quote):
        return []
    for t in claim:
        if t.lower_ not in _EXCLUSIVE or (t.i > 0 and t.doc[t.i - 1].lower_ == "not"):
            continue
        target = next((u for u in claim[t.i + 1:t.i + 5] if u.pos_ in ("VERB", "NOUN", "PROPN")), None)
        if target is None or any(u.pos_ not in _BEFORE_TARGET for u in claim[t.i + 1:target.i]):
            continue
        for m in quote:
            if m.lemma_.lower() == target.lemma_.lower() and m.pos_ == target.pos_ and m.conjuncts:
                others = ", ".join(c.text for c in m.conjuncts)
                return [Fault("quantifier", f'the claim says "{t.lower_} {target.text}", the quote also "{others}"')]
    return []


def check_alternatives(claim: Doc, quote: Doc) -> list[Fault]:
    """The quote offers a choice ("Either Lima or Quito will host"); the claim makes it both ("Lima
    and Quito will host") or, for "either ... or", settles it ("Lima will host")."""
    faults = []
    for lemmas, exclusive in _alternatives(quote):
        for n in (t for t in claim if t.lemma_.lower() in lemmas and t.dep_ != "conj"):
            group = [n, *n.conjuncts]
            named = {g.lemma_.lower() for g in group} & lemmas
            joins = {c.lower_ for g in group for c in g.children if c.dep_ == "cc"}
            if len(named) >= 2 and "or" not in joins:
                faults.append(Fault("quantifier", f'the quote says "{" or ".join(sorted(named))}", the claim both'))
            elif len(named) == 1 and exclusive and len(group) == 1:
                faults.append(Fault("modality", f'the quote says "either ... or": it does not settle on "{n.text}"'))
    return faults
