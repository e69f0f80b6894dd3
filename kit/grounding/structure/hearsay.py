"""Hearsay: the quote passes something on ("it is reported that X", "it is alleged that X") or
forecasts a state ("X is likely to be Y") and the claim states X as fact, with no "reportedly",
"reports say", "allegedly" or "likely" of its own.

The hedge must govern what the claim restates: at least half of the claim's content words are in
the part of the quote's sentence after it. A hedging adverb on an event ("allegedly hid") is
matching.py's to judge, on the matched events; a named source ("the ministry said that X") is
attribution, judged in attribution.py: dropping it is how summaries are written, while dropping
"it is reported" turns a rumour into a fact.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence

from spacy.tokens import Doc, Span, Token

from kit.grounding.structure import lexicon as lx
from kit.grounding.structure.events import Event, toward_verb
from kit.grounding.structure.fault import Fault
from kit.grounding.structure.words import content_lemmas, resolve
from kit.numbers import values

_HEDGE = re.compile(
    r"\bit(?:'s|’s|\s+is|\s+was|\s+has|\s+had)(?:\s+been)?\s+(?:reported|alleged|rumou?red|claimed|said)\s+that\b",
    re.IGNORECASE)
# What in a claim keeps the hedge: the same words, or a report as the source.
_KEPT = re.compile(r"\b(?:report\w*|alleg\w*|purported\w*|rumou?r\w*|unconfirmed|claim\w*|supposed\w*|according\s+to"
                   r"|(?:said|believed|thought|understood)\s+to)\b", re.IGNORECASE)  # "is said to be losing"
# "likely to be": a forecast of a state, where no event of the claim's matches the quote's copula
# ("The last stand will be miles away" from "last stand likely to be miles away from Raqqa").
_LIKELY = re.compile(r"\b(?:likely|unlikely|probably|possibly|expected)\s+to\s+be\b", re.IGNORECASE)
_KEPT_LIKELY = re.compile(r"\b(?:likely|unlikely|probabl\w*|possibl\w*|perhaps|maybe|may|might|could|expect\w*)\b",
                          re.IGNORECASE)
_SHARE = 0.5  # of the claim's content words found in the hedged part


def check_hearsay(claim: Doc, quote: Doc) -> list[Fault]:
    """A modality fault when the claim states as fact what the quote only reports, or only
    expects to be so."""
    words = content_lemmas(claim)
    if not words:
        return []
    for hedge, kept, scope, why in _HEDGES:
        if kept.search(claim.text):
            continue
        for sent in quote.sents:
            m = hedge.search(sent.text)
            if m is None:
                continue
            hedged = scope(quote, sent, m)
            if hedged is not None and len(words & content_lemmas(hedged)) >= _SHARE * len(words):
                return [Fault("modality", f'the quote {why} ("{m.group()}"); the claim states it as fact')]
    return []


def _after(doc: Doc, sent: Span, m: re.Match[str]) -> Span | None:
    """What "it is reported that" hedges: the rest of its sentence."""
    return doc.char_span(sent.start_char + m.end(), sent.end_char, alignment_mode="expand")


def _clause(doc: Doc, sent: Span, m: re.Match[str]) -> list[Token] | None:
    """What "likely to be" hedges: the clause it sits in, the subtree of what it modifies ("is" in
    "X is likely to be", the noun of a headline "X likely to be"); the subject comes first."""
    at = sent.start_char + m.start()
    span = doc.char_span(at, at + 1, alignment_mode="expand")
    return list(span[0].head.subtree) if span is not None and len(span) else None


# Each hedge with what in a claim keeps it, the part of the quote it governs, and what it does.
_HEDGES: tuple[tuple[re.Pattern[str], re.Pattern[str],
                     Callable[[Doc, Span, re.Match[str]], Span | list[Token] | None], str], ...] = (
    (_HEDGE, _KEPT, _after, "only passes it on"),
    (_LIKELY, _KEPT_LIKELY, _clause, "only expects it"),
)


# Speech that gives one side's position, not a fact: "claimed that", "has maintained that".
_DISPUTED = lx.SPEECH_DOUBT | frozenset({"maintain", "insist"})
# What in a claim keeps it a position: a verb of speech, belief or finding, or "according to".
_SPEAKING = lx.SPEECH | lx.BELIEF | lx.FINDING_STRONG | lx.FINDING_WEAK
_KEPT_SAID = re.compile(r"\b(?:sa(?:y|ys|id)|claim\w*|maintain\w*|insist\w*|alleg\w*|argu\w*|contend\w*|"
                        r"charg\w*|accus\w*|according\s+to|believ\w*|position|view)\b", re.IGNORECASE)


def check_disputed(claim: Doc, quote: Doc) -> list[Fault]:
    """A modality fault when the claim states as fact what the quote gives only as one side's
    position: "the sailors were in Iraqi waters" from "the United Kingdom has maintained that the
    sailors were in Iraqi waters" (a plain "said that" is attribution's to judge, see above)."""
    words = content_lemmas(claim)
    if not words or _KEPT_SAID.search(claim.text) or any(t.lemma_.lower() in _SPEAKING for t in claim):
        return []
    for verb in (t for t in quote if t.pos_ == "VERB" and t.lemma_.lower() in _DISPUTED):
        for said in (c for c in verb.children if c.dep_ == "ccomp"):
            if len(words & content_lemmas(said.subtree)) >= _SHARE * len(words):
                return [Fault("modality", f'the quote gives it only as a position ("{verb.text} that"); '
                                          "the claim states it as fact")]
    return []


_MODALS = frozenset({"may", "might", "could"})
# What in a claim keeps a figure's hedge: a modal or a word that says the figure is not a count.
_KEPT_FIGURE = re.compile(r"\b(?:may|might|could|possibl\w*|perhaps|maybe|likely|up to|as many as|estimat\w*|"
                          r"expect\w*|feared|believed|thought)\b", re.IGNORECASE)


def _hedged(num: Token) -> bool:
    """Whether the verb a figure's clause hangs on is under "may", "might" or "could" ("Aceh alone
    may have as many as 80,000 deaths")."""
    verb = toward_verb(num, 6)
    return verb.pos_ in ("VERB", "AUX") and any(c.dep_ == "aux" and c.lower_ in _MODALS for c in verb.children)


def check_hedged_figures(claim: Doc, quote: Doc) -> list[Fault]:
    """A figure the quote says only may be so ("may have as many as 80,000 deaths") that the claim
    states as a count, with no hedge of its own."""
    if _KEPT_FIGURE.search(claim.text):
        return []
    hedged = [(values(t.text), t) for t in quote if t.like_num and any(ch.isdigit() for ch in t.text) and _hedged(t)]
    for num in (t for t in claim if t.like_num and any(ch.isdigit() for ch in t.text)):
        mine = values(num.text)  # "80.000" is 80,000 too
        for theirs, tok in hedged:
            if mine & theirs:
                return [Fault("modality", f'the quote says only that the figure may be so ("{toward_verb(tok, 6).text} '
                                          f'... {tok.text}"); the claim states it as a count')]
    return []


# "X will climb, as may Y": Y shares the verb, hedged by the modal the elided clause keeps.
_ELIDED = frozenset({"may", "might", "could"})


def check_elided_hedges(quote: Doc, claim_events: Sequence[Event]) -> list[Fault]:
    """A claim that states as fact (or as sure to come) what the quote hedges in an elided clause:
    "deaths from disease will continue to climb" from "the toll will continue to climb, as may
    deaths from disease"."""
    for t in quote:
        if t.lower_ != "as" or t.i + 2 >= len(quote) or quote[t.i + 1].lower_ not in _ELIDED:
            continue
        noun = next((u for u in quote[t.i + 2:t.i + 6] if u.pos_ in ("NOUN", "PROPN")), None)
        if noun is None:
            continue
        for e in claim_events:
            doer = resolve(e.agent if e.agent is not None else e.patient)
            if doer is not None and doer.lemma_.lower() == noun.lemma_.lower() and e.level > 1:
                return [Fault("modality", f'the quote says only that {noun.text} {quote[t.i + 1].text} do so '
                                          f'("{quote[t.i:noun.i + 1].text}")')]
    return []


# The hedging adverbs of events, on a thing; "likely", "potentially" and "seemingly" before a noun
# grade a quality ("likely winners", "potentially deadly strain") more than they doubt the thing.
_NOUN_HEDGES = frozenset(lx.HEDGE_ADV) - {"likely", "potentially", "seemingly"}
# Adjectives that say a person or thing is so only by someone's account ("the alleged bombers").
_ALLEGED = frozenset("alleged suspected presumed purported supposed reputed would-be".split())
_SUSPECTED = re.compile(r"\b(?:suspect\w*|presum\w*|accus\w*|reputed\w*|would-be)\b", re.IGNORECASE)


def check_hedged_nouns(claim: Doc, quote: Doc) -> list[Fault]:
    """A thing the quote names only with a hedge ("included Danes, Norwegians, possibly Swedes"),
    or someone it calls only "alleged" or "suspected" ("the alleged gunmen"), that the claim
    names without one: the claim states what the quote only thinks may be so. A hedge on a verb
    is the matched events' to judge (matching.py)."""
    if _KEPT_LIKELY.search(claim.text) or _KEPT.search(claim.text) or _SUSPECTED.search(claim.text) \
            or any(t.lower_ in _NOUN_HEDGES for t in claim):
        return []
    mine = {t.lemma_.lower() for t in claim if t.pos_ in ("NOUN", "PROPN", "NUM")}
    for t in quote:
        head = t.head
        hedged = (t.lower_ in _NOUN_HEDGES and t.dep_ == "advmod") or (t.lower_ in _ALLEGED and t.dep_ == "amod")
        if hedged and head.pos_ in ("NOUN", "PROPN", "NUM") and head.lemma_.lower() in mine:
            return [Fault("modality", f'the quote says only "{t.text} {head.text}"; the claim states it as so')]
    for hedge, said in _believed_to_be(quote):
        if said.lemma_.lower() in mine and not any(u.lemma_.lower() == hedge.lemma_.lower() for u in claim):
            return [Fault("modality", f'the quote says only "{hedge.text} to be ... {said.text}"; '
                                      "the claim states it as so")]
    return []


# "A man believed to be the leader", "two men said to be members of the gang": who someone is, by
# someone's belief or account only ("is understood to be" also defines: "A computational problem
# is understood to be a task that...").
_BELIEVED = frozenset("believed thought said reported presumed rumoured rumored claimed feared".split())


def _believed_to_be(quote: Doc) -> list[tuple[Token, Token]]:
    """(hedging participle, the noun it hedges) for each "believed to be N" of the quote; "that of
    N" names N ("a body thought to be that of the pilot")."""
    out = []
    for t in quote:
        if t.lower_ != "to" or not t.i or quote[t.i - 1].lower_ not in _BELIEVED or t.i + 2 >= len(quote) \
                or quote[t.i + 1].lower_ != "be":
            continue
        noun = next((u for u in quote[t.i + 2:t.i + 7] if u.pos_ in ("NOUN", "PROPN")), None)
        if noun is not None and noun.lower_ == "that":
            noun = None
        if noun is None and t.i + 3 < len(quote) and quote[t.i + 2].lower_ == "that":
            noun = next((u for u in quote[t.i + 3:t.i + 8] if u.pos_ in ("NOUN", "PROPN")), None)
        if noun is not None:
            out.append((quote[t.i - 1], noun))
    return out
