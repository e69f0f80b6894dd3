"""Causal and temporal links between clauses ("because", "led to", "after"), and whether the quote
states the claim's links in the same direction.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

from spacy.tokens import Doc, Span

from kit.grounding.structure import lexicon as lx
from kit.grounding.structure.events import child, is_passive, subject_of
from kit.grounding.structure.fault import Fault
from kit.grounding.structure.words import content_lemmas


@dataclass(frozen=True)
class Link:
    """Two sides joined by a cue. Causal: first = cause, second = effect. Temporal: first = earlier."""

    kind: Literal["causal", "temporal", "loose"]
    cue: str
    first: frozenset[str]
    second: frozenset[str]
    text: str


# Words that tie one event to another as its cause, effect or time ("led to", "after").
_LINK_CUES = (*lx.CAUSE_FOLLOWS, *lx.EFFECT_FOLLOWS, *lx.LATER_FOLLOWS, *lx.EARLIER_FOLLOWS, *lx.SEQUENCE)
_CAUSAL_FORMS = frozenset("led leads leading caused causes causing resulted results resulting triggered sparked "
                          "prompted provoked forced".split())


def link_cues(text: str) -> int:
    """How many causal or temporal cues tie an event of `text` to another, read from its words
    alone (no parse): a claim whose parts two separate sentences state says more than either, the
    link between them, which neither states. A cue before a date ("since 2010", "after May") ties
    an event to a time, not to another event."""
    words = re.findall(r"[a-z]+|\d+", text.lower())
    cues = {tuple(c.split()) for c in _LINK_CUES}
    found = 0
    for i in range(len(words)):
        for n in (1, 2, 3, 4):
            after = words[i + n] if i + n < len(words) else ""
            if tuple(words[i:i + n]) in cues and not (after.isdigit() or after in lx.MONTHS or after in lx.WEEKDAYS):
                found += 1
    return found + sum(w in _CAUSAL_FORMS for w in words)


def find_cue(sent: Span, cues: Sequence[str]) -> list[tuple[int, int, str]]:
    """(start, end, cue) of each cue in a sentence, longest cues first, no overlaps."""
    words = [t.lower_ for t in sent]
    taken: set[int] = set()
    out = []
    for cue in sorted(cues, key=lambda c: -len(c.split())):
        parts = cue.split()
        for i in range(len(words) - len(parts) + 1):
            if words[i : i + len(parts)] == parts and not taken & set(range(i, i + len(parts))):
                taken |= set(range(i, i + len(parts)))
                out.append((sent.start + i, sent.start + i + len(parts), cue))
    return out


def clause_bounds(doc: Doc, start: int, end: int, sent: Span) -> tuple[range, range]:
    """Tokens after a cue (to the next clause break) and before it (from the previous break)."""
    stop = {";", ":", "—", "–"}
    opening = start == sent.start or (start == sent.start + 1 and doc[sent.start].lower_ in _OPENING_ADVERBS)
    after_end = end
    while after_end < sent.end and doc[after_end].text not in stop | {","}:
        if opening and _inverted(doc, after_end):  # "Only after A did B": the main clause starts at "did"
            return range(end, after_end), range(after_end, sent.end)
        after_end += 1
    before_start = start
    while before_start > sent.start and doc[before_start - 1].text not in stop:
        before_start -= 1
    if opening:  # "Because A, B": when the cue opens the sentence, the other side follows the comma
        return range(end, after_end), range(after_end + 1, sent.end)
    return range(end, after_end), range(before_start, start)


# "Only after", "just before", "shortly after" open a sentence as the cue alone does.
_OPENING_ADVERBS = frozenset({"only", "just", "shortly", "soon", "long", "even"})
_INVERTED_AUX = frozenset("did does do had has have was were is are would could will can".split())


def _inverted(doc: Doc, i: int) -> bool:
    """An auxiliary before its subject, as after a fronted "only after ...": "did the board sell"."""
    nxt = doc[i + 1] if i + 1 < len(doc) else None
    return (doc[i].lower_ in _INVERTED_AUX and nxt is not None and nxt.pos_ in ("DET", "PRON", "PROPN")
            and doc[i - 1].pos_ in ("NOUN", "PROPN", "PRON"))


def clause_sides(doc: Doc, start: int, end: int, sent: Span) -> tuple[frozenset[str], frozenset[str]]:
    """Content of the clause the cue introduces and of the clause it attaches to (positional).

    Positional, so nested or long sentences can give too much or too little to a side.
    """
    inner, outer = clause_bounds(doc, start, end, sent)
    return content_lemmas(doc[i] for i in inner), content_lemmas(doc[i] for i in outer)


def verb_links(doc: Doc) -> list[Link]:
    """ "A caused/led to/triggered B" and the passive "B was caused by A"."""
    out = []
    for t in doc:
        lemma = t.lemma_.lower()
        if t.pos_ != "VERB" or lemma not in lx.CAUSAL_VERBS:
            continue
        prep = lx.CAUSAL_VERB_PREP.get(lemma)
        if prep is not None:
            p = next((c for c in t.children if c.dep_ == "prep" and c.lower_ == prep), None)
            if p is None:
                continue
            effect_toks = list(p.subtree)[1:]
        else:
            effect_toks = [
                x for c in t.children if c.dep_ in ("dobj", "xcomp", "ccomp", "nsubjpass") for x in c.subtree
            ]
        cause = child(t, "agent") if is_passive(t) else subject_of(t)
        cause_toks = list(cause.subtree) if cause is not None else []
        if cause_toks and effect_toks:
            out.append(
                Link(
                    "causal",
                    lemma,
                    content_lemmas(cause_toks),
                    content_lemmas(effect_toks),
                    doc[t.sent.start : t.sent.end].text,
                )
            )
    return out


def links(doc: Doc) -> list[Link]:
    """Causal, temporal and loose (co-occurrence) links between clauses of a text.

    Not handled: causation carried by other verbs ("sent prices soaring"), by nouns ("the cause
    was"), or spread over sentences except "Therefore/As a result" opening a sentence.
    """
    out = verb_links(doc)
    sents = list(doc.sents)
    for si, sent in enumerate(sents):
        for start, end, cue in find_cue(
            sent,
            lx.CAUSE_FOLLOWS
            + lx.EFFECT_FOLLOWS
            + lx.LATER_FOLLOWS
            + lx.EARLIER_FOLLOWS
            + lx.SEQUENCE
            + lx.CO_OCCURRENCE,
        ):
            if cue == "so" and (
                doc[start].dep_ not in ("advmod", "cc", "mark")
                or (end < len(doc) and doc[end].lower_ in ("that", "far", "much", "many", "called", "long", "as"))
            ):
                continue
            if cue == "as" and doc[start].dep_ != "mark":
                continue
            if cue == "due to" and end < len(doc) and (doc[end].tag_ == "VB" or doc[end - 1].dep_ == "aux"):
                continue  # "is due to run out", "due to be released": scheduled, not caused
            if cue == "and" and doc[start].dep_ != "cc":
                continue
            if cue == "following" and doc[start].dep_ == "amod":
                continue  # "the following day": a day, not a link
            inner, outer = clause_sides(doc, start, end, sent)
            if cue in lx.SEQUENCE and not inner:  # "A, and B two years later": the cue closes B
                inner, outer = _closing_sides(doc, start, sent, sents[si - 1] if si > 0 else None)
            if cue in lx.EFFECT_FOLLOWS and start == sent.start and si > 0:
                outer = content_lemmas(sents[si - 1])
            text = sent.text
            if cue in lx.CAUSE_FOLLOWS:
                out.append(Link("causal", cue, inner, outer, text))
            elif cue in lx.EFFECT_FOLLOWS:
                out.append(Link("causal", cue, outer, inner, text))
            elif cue in lx.LATER_FOLLOWS:
                out.append(Link("temporal", cue, outer, inner, text))
            elif cue in lx.EARLIER_FOLLOWS:
                out.append(Link("temporal", cue, inner, outer, text))
            elif cue in lx.SEQUENCE:
                out.append(Link("temporal", cue, outer, inner, text))
            if cue in lx.CO_OCCURRENCE:
                out.append(Link("loose", cue, inner, outer, text))
    return out


def _closing_sides(doc: Doc, start: int, sent: Span, before: Span | None) -> tuple[frozenset[str], frozenset[str]]:
    """(later, earlier) for a cue that ends its clause ("the war began, and the treaty was signed
    two years later"): the clause holding the cue, and what comes before it in the sentence (or the
    sentence before, when the cue's clause is the whole sentence)."""
    breaks = [i for i in range(sent.start + 1, start) if doc[i].lower_ in (",", ";", "and", "but")]
    if breaks:
        return content_lemmas(doc[breaks[-1] + 1:start]), content_lemmas(doc[sent.start:breaks[-1]])
    return content_lemmas(doc[sent.start:start]), content_lemmas(before) if before is not None else frozenset()


def overlap_count(a: frozenset[str], b: frozenset[str]) -> int:
    return len(a & b)


def link_direction(c: Link, q: Link) -> tuple[int, int]:
    """(support, reversal): overlap of the sides in the same order and in the swapped order."""
    straight = min(overlap_count(c.first, q.first), overlap_count(c.second, q.second))
    swapped = min(overlap_count(c.first, q.second), overlap_count(c.second, q.first))
    return straight, swapped


def check_causal(claim_links: Sequence[Link], quote_links: Sequence[Link]) -> list[Fault]:
    """Each causal link of the claim needs a causal link in the quote joining the same two sides,
    in the same direction. Sides are compared by shared content lemmas (synonym groups folded).
    """
    faults = []
    qc = [q for q in quote_links if q.kind == "causal"]
    for c in (c for c in claim_links if c.kind == "causal"):
        if not c.first or not c.second:
            continue
        scores = [(link_direction(c, q), q) for q in qc]
        if any(s > 0 and s >= r for (s, r), _ in scores) or any(_one_side_lost(c, q) for q in qc):
            continue
        rev = [q for (s, r), q in scores if r > s]
        if rev:
            faults.append(Fault("causal", f'cause and effect are the other way round in the quote: "{rev[0].text}"'))
            continue
        loose = [q for q in quote_links if q.kind != "causal" and max(link_direction(c, q)) > 0]
        if loose:
            faults.append(Fault("causal", f'the quote only says "{loose[0].cue}", not "{c.cue}": "{loose[0].text}"'))
        else:
            faults.append(Fault("causal", f'the quote does not say that one caused the other ("{c.cue}")'))
    return faults


def _one_side_lost(c: Link, q: Link) -> bool:
    """The quote has the claim's causal word, one side matching, and the other side lost by the
    parser ("This [$2 billion] decision triggered X": "This" taken as the subject)."""
    return c.cue == q.cue and ((not q.first and overlap_count(c.second, q.second) > 0)
                               or (not q.second and overlap_count(c.first, q.first) > 0))


def check_order(claim_links: Sequence[Link], quote_links: Sequence[Link], one_sentence: bool = False) -> list[Fault]:
    """A before/after of the claim that the quote states the other way round (a cause counts as
    earlier than its effect); and, for a quote of `one_sentence`, a "then" / "later" of the claim
    between two sides no link of the quote touches ("A first, B later" against "A, but B"). A quote
    of several sentences orders its events by telling them, or by their dates, which links do not
    read; "after"/"before" often join a phrase, not an event ("after a poor start"), and are left.
    A quote that tells both orders (two conflicting reports) supports either.
    """
    faults = []
    qt = [q for q in quote_links if q.kind in ("temporal", "causal")]
    for c in (c for c in claim_links if c.kind == "temporal"):
        scores = [(link_direction(c, q), q) for q in qt]
        if any(s > 0 and s >= r for (s, r), _ in scores):  # the quote tells the claim's order (too)
            continue
        reversed_ = next((q for (s, r), q in scores if r > s), None)
        if reversed_ is not None:
            faults.append(Fault("time", f'the quote gives the other order ("{reversed_.cue}"): "{reversed_.text}"'))
        elif one_sentence and c.cue in lx.SEQUENCE and c.first and c.second and not any(
                overlap_count(c.first, q.first | q.second) or overlap_count(c.second, q.first | q.second)
                for q in quote_links):
            faults.append(Fault("time", f'the quote does not order these ("{c.cue}")'))
    return faults


# What marks a sentence as telling something earlier than the one before it ("had left", "days earlier").
_FLASHBACK = frozenset({"earlier", "before", "previously", "prior", "ago", "already", "since"})


def check_told_order(claim_links: Sequence[Link], quote_links: Sequence[Link], quote: Doc) -> list[Fault]:
    """A "before"/"after"/"then" of the claim between two events the quote tells in two sentences
    the other way round ("Saudi Arabia joined before Libya announced" against "Libya announced ...
    Saudi Arabia joined ..."), with nothing in the quote that orders them otherwise: no link, no
    dates on both, no flashback in the sentence told second ("had left", "days earlier")."""
    sents = list(quote.sents)
    if len(sents) < 2:
        return []
    said = [content_lemmas(s) for s in sents]
    for c in (c for c in claim_links if c.kind == "temporal" and c.first and c.second):
        if any(link_direction(c, q)[0] > 0 for q in quote_links if q.kind != "loose"):
            continue  # the quote links the two in the claim's order
        earlier, later = _told_in(c.first, said), _told_in(c.second, said)
        if earlier is None or later is None or earlier == later:
            continue
        if earlier < later:  # told in the claim's order, unless the later sentence says it came first
            back = _said_earlier(sents[later])
            if back is not None:
                return [Fault("time", f'the quote tells "{sents[later].text}" as earlier ("{back}") than '
                                      f'"{sents[earlier].text}"')]
            continue
        told_second = sents[earlier]
        if any(t.lower_ in _FLASHBACK or (t.lemma_ == "have" and t.dep_ == "aux" and t.head.tag_ == "VBN")
               for t in told_second):
            continue
        if _dated(sents[earlier]) and _dated(sents[later]):
            continue
        return [Fault("time", f'the quote tells these the other way round ("{c.cue}"): "{sents[later].text}" '
                              f'comes before "{told_second.text}"')]
    return []


def _said_earlier(sent: Span) -> str | None:
    """The word by which a sentence says its event came before the one told before it: an
    "earlier" or "previously" on its main verb ("Previously, the coalition allowed ...")."""
    root = sent.root
    return next((t.text for t in root.children if t.dep_ == "advmod" and t.lower_ in _BEFORE_THAT), None)


# Words on a sentence's main verb that set its event before the sentence told before it.
_BEFORE_THAT = frozenset({"previously", "earlier", "formerly"})


def _told_in(side: frozenset[str], said: Sequence[frozenset[str]]) -> int | None:
    """The one sentence that says most of a side (at least two of its words, and more than any other)."""
    scores = sorted(((len(side & words), i) for i, words in enumerate(said)), reverse=True)
    best, second = scores[0], scores[1] if len(scores) > 1 else (0, -1)
    return best[1] if best[0] >= 2 and best[0] > second[0] else None


def _dated(sent: Span) -> bool:
    """Whether the sentence gives its time ("on October 20, 1973", "on Monday", "last week")."""
    return any(t.ent_type_ in ("DATE", "TIME") for t in sent)
