"""Which summary sentences lean on the sentence before them, and which sentence that is.

A sentence whose opening refers back ("He added that...", "The 35-year-old was beaten...",
"But the talks...", "However, ...", "This was...") reads as a dangling fragment unless the
sentence it refers to comes just before it. Read from spaCy's parse (`kit.grounding.structure.
parser`): before the first verb, a third-person personal or possessive pronoun that is not an
expletive "it"; or a first word that is a coordinating conjunction, a linking adverb or a
demonstrative, or a linking phrase ("In addition,"), or a linking adverb set off after the
subject ("The agency, however, said"); or "the N-year-old", "the former/latter", "the second/
next/final ..."; or "also" or "again" on the main verb ("Police also found..."); or "this",
"these", "those" or a pointing "that" before a noun anywhere ("traced that signal"); or a subject
that is "the" and a bare common noun ("The company said...", "The statement added...": which
company, only an earlier sentence says; "The Scottish Parliament" or "The main goal for search
crews" say it themselves); or a first-person speaker ("I want to make clear...") or the tail of
a quotation opened in an earlier sentence. Quoted speech is not followed into
(a pronoun inside a quotation is its speaker's), but a sentence that is only part of a quotation
names no speaker: one inside a quotation its paragraph opened before it ("...said: \"The families
will campaign... A narrative of events will not satisfy anybody.") leans on the sentence before
it, and one that opens a quotation it does not close ("\"I hope we manage to ... release them.",
the speaker named two sentences on) on a sentence after it, so it is never quoted. This module
does not choose sentences: it gives the selection (`kit.topics.selection`) each such sentence's
antecedent, the candidate just before it in its passage, so both are chosen or neither; only the
candidates the selection may choose are read.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Mapping, Sequence
from typing import Any

from spacy.tokens import Doc, Token

from kit.grounding.structure.parser import parse, parse_many
from kit.topics.salience import Candidate

# Openings that link to what came before: "However, ...", "Meanwhile ...".
_LINKING = {"however", "meanwhile", "also", "still", "instead", "nevertheless", "nonetheless", "therefore",
            "thus", "furthermore", "moreover", "besides", "otherwise", "then", "later", "afterwards", "likewise",
            "similarly", "consequently", "accordingly", "yet", "so", "and", "but", "or", "nor", "hence",
            "eventually", "ultimately", "finally", "subsequently", "thereafter", "afterward"}
_DEMONSTRATIVE = {"this", "that", "these", "those", "such", "there"}
_THIRD_PERSON = {"he", "she", "it", "they", "him", "her", "them", "his", "its", "their", "hers", "theirs"}
_FIRST_PERSON = {"i", "we", "me", "us", "my", "our"}
_DETERMINING = {"this", "these", "those", "such"}  # "In humans, this response..."
# "...uses this network type", "traced that signal": a demonstrative before a noun points back
# wherever it stands, unless the noun is a time the reader shares ("this year", "these days").
_POINTING = {"this", "these", "those", "that"}
_NOW = frozenset("""year week month day morning afternoon evening night time times season summer winter spring
autumn fall weekend century decade quarter hour minute moment era period days semester term session tournament
campaign cycle""".split())
# "In addition, ...", "The agency, however, said", "Note, however, ...": a linking word or phrase
# set off by a comma at the start, or by commas within the first clause (up to 60 characters).
_LINK_WORDS = (r"however|meanwhile|nevertheless|nonetheless|therefore|instead|consequently|moreover|furthermore"
               r"|in addition|as a result|by contrast|in turn|in fact|at the same time|on the other hand|even so"
               r"|for example|for instance|in such (?:a|an|cases?|situations?)|in particular|again")
_LINK_PHRASE = re.compile(rf"^(?:(?:{_LINK_WORDS})\b[^,;:]{{0,20}},|[^,;:\"“]{{1,60}},\s*(?:{_LINK_WORDS})\s*,)", re.I)
# "A fourth bomb exploded", "Another of the roles", "A further aftershock": one more of something
# an earlier sentence counted ("Another Country", a title, is capitalised; "a second-hand" is one word).
_ONE_MORE = re.compile(r"^(?:another\s+[a-z]|(?:a|an)\s+(?:second|third|fourth|fifth|sixth|further|other)\s)")
_AGE_OR_ROLE = re.compile(r"^the\s+(?:\d+-year-old|former|latter|same|other|two|three|pair|duo|trio)\b", re.I)
# "The second main legislative body is...", "The next day": one of a series an earlier sentence
# began ("The Second World War", a name, is capitalised; "the second-largest" is one word).
_NEXT_OF = re.compile(r"^[Tt]he\s+(?:second|third|fourth|fifth|sixth|next|remaining|final)\s")


# "The company said", "The statement added": "the", a lower-case word, then one that is no
# preposition or relative ("The company of ..." says which company).
_BARE_THE = re.compile(r"^[Tt]he\s+[a-z][a-z-]*\s+(?!(?:of|in|for|from|at|on|with|by|to|and|or|that|who|which)\b)[a-z]")


def refers_back(sentence: str) -> bool:
    """Whether the sentence's opening refers to something only an earlier sentence names."""
    text = sentence.strip().lstrip("\"“‘'(")
    if _AGE_OR_ROLE.match(text) or _NEXT_OF.match(text) or _LINK_PHRASE.match(text) \
            or _ONE_MORE.match(text.lower()[:1] + text[1:]) or _ends_a_quotation(sentence):
        return True
    if not _needs_parse(text):
        return False  # nothing that could refer back: no parse needed (most sentences)
    doc = parse(text)
    if _BARE_THE.match(text) and _bare_definite_subject(doc):
        return True
    tokens = [t for t in doc if not t.is_punct and not t.is_space]
    if not tokens:
        return False
    first = tokens[0].text.lower()
    if first in _LINKING or (first in _DEMONSTRATIVE and tokens[0].dep_ not in ("expl",)):
        return first != "there" or tokens[0].dep_ != "expl"
    # The opening ends at the first verb: "Police said he was arrested" names its subject first,
    # and "X will be tried for his role, the Army announced" is about X, not someone before.
    verb = next((t.i for t in doc if t.pos_ in ("VERB", "AUX")), len(doc))
    # A sentence opening with a quotation names its speaker after it ("We will...," he said).
    pronouns = _THIRD_PERSON if sentence.strip()[:1] in "\"“‘'" else _THIRD_PERSON | _FIRST_PERSON
    # "In humans, this response is...": a demonstrative that determines a noun before the verb.
    return any((t.text.lower() in pronouns and t.pos_ in ("PRON", "DET") and t.dep_ != "expl")
               or (t.text.lower() in _DETERMINING and t.dep_ in ("det", "amod", "predet"))
               for t in doc[:verb] if not _in_quote(doc.text, t.idx)) or _points_back(doc) or _adds_to(doc) \
        or _follows_on(doc)


def _adds_to(doc: Doc) -> bool:
    """Whether "also" or "again" modifies the sentence's main verb ("Police also found...", "The
    test can also be used on..."): more of something an earlier sentence said. Not in a clause
    of its own ("which also makes cars") nor "also known as", "see also"."""
    return any(t.lower_ in ("also", "again") and t.dep_ == "advmod" and t.head.dep_ in ("ROOT", "conj")
               and t.head.head.dep_ == "ROOT" and not _in_quote(doc.text, t.idx)
               and not (t.i + 1 < len(doc) and doc[t.i + 1].lower_ in ("known", "called", "named"))
               and not (t.i and doc[t.i - 1].lower_ == "see")
               for t in doc)


# Adverbs that put the main event after one an earlier sentence told ("The Iranian government then
# stated", "Egeland later recanted his statement"), unless the sentence sets that earlier point
# itself ("If ..., then", "After ..., he later", "first ... then").
_SEQUENCE = frozenset({"then", "later", "afterwards", "subsequently", "thereafter"})
_OWN_START = frozenset({"if", "when", "once", "first", "initially", "after", "before", "until", "since", "by"})


def _follows_on(doc: Doc) -> bool:
    """Whether a sequence adverb modifies the main verb with no earlier point in the sentence."""
    return any(t.lower_ in _SEQUENCE and t.dep_ == "advmod" and t.head.dep_ == "ROOT"
               and not _in_quote(doc.text, t.idx) and not any(u.lower_ in _OWN_START for u in doc[:t.i])
               for t in doc)


def _points_back(doc: Doc) -> bool:
    """Whether "this", "these" or "those" determines a noun that is no shared time ("this year",
    "this term") and that the sentence has not named before it ("a network type ... this network
    type", "classifying problems ... those classes": a word of the same first five letters) nor
    defines after it ("those nations that have the greatest emissions")."""
    return any(t.lower_ in _POINTING and t.dep_ == "det" and t.head.pos_ == "NOUN" and not _in_quote(doc.text, t.idx)
               and _unnamed(t.head) and (t.lower_ != "that" or _pointing_that(t)) for t in doc)


def _pointing_that(that: Token) -> bool:
    """Whether "that" before a noun points ("to that point", "traced that signal") rather than opens
    a clause ("its position that part of a paragraph needed...", "cells that engulf"), however
    parsed: after a preposition, or after a verb whose object the noun is."""
    before = that.doc[that.i - 1] if that.i else None
    return before is None or before.pos_ == "ADP" or (
        before.pos_ == "VERB" and that.head.dep_ == "dobj" and that.head.head.i == before.i)


def _unnamed(noun: Token) -> bool:
    """Whether a noun after a demonstrative needs an earlier sentence to say which one it is."""
    lemma = noun.lemma_.lower()
    if lemma in _NOW or noun.dep_ == "npadvmod" or any(c.dep_ in ("relcl", "acl") for c in noun.children):
        return False
    # Named before, unless the earlier word heads the phrase this one sits in ("a data network based
    # on this voice-phone network": another network, the one the sentence never named).
    return not any(u.lemma_.lower()[:5] == lemma[:5] for u in noun.doc[:noun.left_edge.i] if u not in noun.ancestors)


# Words that may make a sentence refer back wherever they stand: only the parse can tell.
_TRIGGERS = frozenset(_THIRD_PERSON | _FIRST_PERSON | _DETERMINING | _POINTING | _SEQUENCE | {"also", "again"})


def _needs_parse(text: str) -> bool:
    """Whether only the parse can tell if this opening (quotes and brackets stripped) refers back."""
    words = {w.lower() for w in re.findall(r"[A-Za-z]+", text)}
    first = next(iter(re.findall(r"[A-Za-z]+", text)), "").lower()
    return bool(words & _TRIGGERS
                or first in _LINKING | _DEMONSTRATIVE or _BARE_THE.match(text))


def _bare_definite_subject(doc: Any) -> bool:
    """Whether the sentence opens with a subject that is "the" and a common noun and nothing else."""
    head = doc[0].head
    return (doc[0].dep_ == "det" and head.i == 1 and head.pos_ == "NOUN" and head.dep_ in ("nsubj", "nsubjpass")
            and [c.i for c in head.children] == [0])


def _ends_a_quotation(sentence: str) -> bool:
    """Whether the sentence closes a quotation it did not open (its speaker is named before it)."""
    text = sentence.strip()
    closes = text.rstrip(".,!?").endswith(("\"", "”"))
    return closes and (text.count("“") < text.count("”") or text.count('"') % 2 == 1)


def _opens_a_quotation(sentence: str) -> bool:
    """Whether the sentence opens with a quotation it does not close (its speaker is named in a
    later sentence, or in an earlier one ending "said:")."""
    text = sentence.strip()
    return text[:1] in "\"“" and (text.count("“") > text.count("”") or text.count('"') % 2 == 1)


def _quoted_on(c: Candidate) -> bool:
    """Whether the candidate lies inside a quotation opened earlier in its paragraph."""
    paragraph = c.passage.text.rfind("\n", 0, c.start) + 1
    return _in_quote(c.passage.text[paragraph:c.start], c.start - paragraph)


def _in_quote(text: str, at: int) -> bool:
    """Whether position `at` lies inside a quotation opened before it."""
    before = text[:at]
    return before.count("“") > before.count("”") or before.count('"') % 2 == 1


class Antecedents(Mapping[int, int | None]):
    """For each candidate that refers back, the candidate right before it in its passage (only
    whitespace between them), or None when that sentence is not one a summary may quote. Read on
    demand: the selection asks only about the candidates it may choose (about a third of a
    topic's), and `prepare` parses those in one batch, so the rest are never parsed."""

    def __init__(self, cands: Sequence[Candidate]) -> None:
        self.cands = cands
        self._by_end = {(c.passage.id, c.end): i for i, c in enumerate(cands)}
        self._read: dict[int, tuple[bool, int | None]] = {}  # index -> (refers back, antecedent)

    def prepare(self, indexes: Iterable[int]) -> None:
        """Read these candidates, parsing the ones that need it in one batch (spaCy's pipe: a
        topic's 190 candidates one call each took 2.7 times as long as the batch)."""
        todo = [i for i in dict.fromkeys(indexes) if i not in self._read]
        if not todo:
            return
        parse_many([t for i in todo if _needs_parse(t := self.cands[i].text.strip().lstrip("\"“‘'("))])
        for i in todo:
            c = self.cands[i]
            prev_end = len(c.passage.text[:c.start].rstrip())
            before = None if _opens_a_quotation(c.text) else self._by_end.get((c.passage.id, prev_end))
            self._read[i] = (refers_back(c.text) or _quoted_on(c) or _opens_a_quotation(c.text), before)

    def __contains__(self, i: object) -> bool:
        if not isinstance(i, int) or not 0 <= i < len(self.cands):
            return False
        self.prepare([i])
        return self._read[i][0]

    def __getitem__(self, i: int) -> int | None:
        if i not in self:
            raise KeyError(i)
        return self._read[i][1]

    def __iter__(self) -> Iterator[int]:
        self.prepare(range(len(self.cands)))
        return iter([i for i in range(len(self.cands)) if self._read[i][0]])

    def __len__(self) -> int:
        return sum(1 for _ in self)
