"""Events a quote names only as talks, plans, possibilities or attempts that failed, and a claim
that states them as done: "the deal" of "talks on a deal", "a possible withdrawal" agreed on,
"after the talks" the quote has only planned, a fort taken where the quote's siege was "to no
avail". The matched events' own certainty is `matching.compare_certainty`'s to judge.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from spacy.tokens import Doc, Token

from kit.grounding.structure import lexicon as lx
from kit.grounding.structure.events import Context, Event, child, governors, markers
from kit.grounding.structure.fault import Fault
from kit.grounding.structure.matching import np_text, same_concept
from kit.grounding.structure.sought import SEEKING_FOR, asked_for
from kit.grounding.structure.words import canon, resolve

NOMINALS: dict[str, tuple[str, ...]] = {
    "merge": ("merger",),
    "acquire": ("acquisition", "takeover"),
    "buy": ("purchase", "takeover", "acquisition"),
    "agree": ("agreement", "deal"),
    "sign": ("signing",),
    "invade": ("invasion",),
    "resign": ("resignation",),
    "sell": ("sale",),
    "approve": ("approval",),
    "ban": ("ban",),
    "cut": ("cut",),
    "attack": ("attack",),
    "strike": ("strike",),
    "close": ("closure",),
    "launch": ("launch",),
    "release": ("release",),
    "withdraw": ("withdrawal",),
    "expand": ("expansion",),
    "reform": ("reform",),
    "elect": ("election",),
}


# Verbs whose object is wanted, asked for or promised, not done ("seeking a cut", "demanded the
# release"): a quote that has that object under a call or a target says as much.
_WANTING = frozenset("""seek want demand request urge ask call press push propose plan intend aim pledge promise vow
    hope wish offer threaten suggest recommend favour favor advocate""".split())


def nominal_modality(c: Event, quote: Doc, quote_events: Sequence[Event]) -> list[Fault]:
    """A claim asserted as fact whose event the quote names only as talks/plans/a possibility.

    Looks for the claim verb's nominal form (small hand list) or its object in the quote, under an
    irrealis noun ("negotiations on a deal") or with an irrealis modifier ("possible merger").
    Only runs when no verb of the same concept is in the quote.
    """
    if (c.level < 3 or c.negated or c.lemma in _WANTING | _REFUSING
            or any(same_concept(c, q) for q in quote_events)):
        return []
    targets = set(NOMINALS.get(c.lemma, ())) | {o.lemma_.lower() for o in _settled(c)}
    patient = resolve(c.patient) if c.patient is not None else None
    if patient is not None and not _irrealis(patient):  # "accepted India's proposed changes": still proposed
        targets.add(patient.lemma_.lower())
    passable = {*lx.IRREALIS_NOUNS, *targets, *lx.PARTITIVE_HEADS}  # nouns the climb goes through
    for t in quote:
        if t.lemma_.lower() not in targets or t.pos_ not in ("NOUN", "PROPN"):
            continue
        ctx = Context()
        markers(t, ctx, own=False)
        if t.dep_ == "nsubjpass" and t.head.lemma_.lower() in _PLANNING:  # "a second vote is planned"
            ctx.lower(2, t.head.text, "plan")
        node = t
        for _ in range(4):
            if _called_for(node):  # "calls for a number of measures to ...": parsed as a "for ... to" clause
                ctx.lower(2, node.head.head.text, "asked")
                break
            if node.dep_ not in ("pobj", "prep", "compound", "dobj", "acl") or node.head is node:
                break
            if node.dep_ == "acl" and _participle(node):  # "a target utilizing missiles": a deed, no goal
                break
            below, node = node, node.head
            lemma = node.lemma_.lower()
            if node.pos_ == "NOUN" and lemma not in passable:
                break  # "calling for the release of the sailors": the release is asked for, not the sailors
            if node.pos_ == "NOUN" and lemma in lx.IRREALIS_NOUNS:
                ctx.lower(lx.IRREALIS_NOUNS[lemma], node.text, "plan")
            elif node.pos_ == "VERB" and asked_for(node, below):
                ctx.lower(2, node.text, "asked")
                break
        if ctx.level < 3:
            return [Fault("modality", f'the quote only mentions "{np_text(t)}" under "{ctx.cue}", not as done')]
    return []


# Verbs whose object need not exist or happen: "rejected an inquiry" says no inquiry was held.
_REFUSING = frozenset("reject refuse oppose block deny dismiss veto resist decline ban forbid prevent".split())


def _irrealis(noun: Token) -> bool:
    """Whether the claim itself names its object as only planned or possible ("proposed changes", "the
    changes India proposed")."""
    return any((c.dep_ in ("amod", "acl") and c.lower_ in lx.IRREALIS_MODIFIERS)
               or (c.dep_ == "relcl" and c.lemma_.lower() in lx.PLAN_HEADS) for c in noun.children)


_SINCE = frozenset({"after", "following", "since"})


def presupposed_events(claim: Doc, quote: Doc) -> list[Fault]:
    """A claim that dates something after an event ("ordered it after Hollande's talks in Moscow")
    takes that event as done; a quote that names it only as planned or possible ("is set to travel
    to Moscow next week for talks") does not say it happened."""
    for t in claim:
        if t.pos_ != "NOUN" or t.dep_ != "pobj" or t.head.lower_ not in _SINCE or t.lemma_.lower() in lx.TIME_NOUNS:
            continue
        if _level(t) < 3:  # "will act after the talks": the claim takes nothing as done either
            continue
        told = [u for u in quote if u.pos_ == "NOUN" and u.lemma_.lower() == t.lemma_.lower()]
        if told and all(_level(u) < 3 for u in told):
            ctx = Context()
            governors(told[0], ctx)
            said = {"hedge": "possible", "report": "reported"}.get(ctx.category, "planned")
            return [Fault("modality", f'the quote gives "{np_text(told[0])}" only as {said} ("{ctx.cue}"), '
                                      f'not as done')]
    return []


def _level(noun: Token) -> int:
    """How certain the words governing a noun make it: 3 done, 2 planned, 1 possible."""
    ctx = Context()
    governors(noun, ctx)
    return ctx.level


# Verbs whose passive subject is planned, not done: "a second vote is planned for next year".
_PLANNING = frozenset("plan schedule expect propose intend envisage foresee slate".split())

def _called_for(noun: Token) -> bool:
    """Whether `noun` is the subject of a "for ... to" clause of a verb of seeking ("Oxfam calls for
    measures to help"; "urged for the talks to resume"): what is called for, not what was done."""
    clause = noun.head
    return (noun.dep_ in ("nsubj", "nsubjpass") and clause.dep_ in ("advcl", "xcomp", "ccomp")
            and any(c.dep_ == "mark" and c.lower_ == "for" for c in clause.children)
            and clause.head.lemma_.lower() in SEEKING_FOR)


def _participle(verb: Token) -> bool:
    """A participle hung on a noun ("a target utilizing missiles"), not the noun's content clause
    ("allegations that it had not complied") nor its goal ("a target to cut emissions")."""
    return verb.tag_ in ("VBG", "VBN") and child(verb, "nsubj", "nsubjpass", "mark") is None


# An attempt the quote says came to nothing ("besieged Dyrrachium ..., but to no avail").
_IN_VAIN = re.compile(r"\b(?:to no avail|in vain|without success|unsuccessfully|came to nothing)\b", re.IGNORECASE)
_SUCCEEDING = frozenset("capture take seize win conquer secure reach achieve succeed overrun occupy retake persuade "
                        "convince rescue".split())


def failed_attempts(claim_events: Sequence[Event], quote: Doc, quote_events: Sequence[Event]) -> list[Fault]:
    """A claim that something was won, taken or reached, of a thing the quote's sentence names in
    an attempt it says failed, with no verb of succeeding of its own."""
    for sent in quote.sents:
        said = _IN_VAIN.search(sent.text)
        if said is None:
            continue
        named = {t.lemma_.lower() for t in sent if t.pos_ in ("NOUN", "PROPN")}
        succeeded = {q.lemma for q in quote_events if q.token.sent == sent}
        for c in claim_events:
            theme = resolve(c.theme)
            if (c.lemma in _SUCCEEDING and not c.negated and theme is not None
                    and theme.lemma_.lower() in named and not succeeded & {c.lemma, canon(c.lemma)}):
                return [Fault("polarity", f'the quote says the attempt came to nothing ("{said.group()}")')]
    return []


_SETTLING = frozenset({"agree", "decide", "settle", "vote", "sign", "approve"})


def _settled(c: Event) -> list[Token]:
    """What a settling verb settles through a preposition ("agreed with ISIS on the withdrawal":
    the withdrawal), a thing the quote may name only under talks."""
    if c.lemma not in _SETTLING:
        return []
    return [o for p in c.token.children if p.dep_ == "prep" and p.lower_ in ("on", "to", "over", "for", "upon")
            for o in p.children if o.dep_ == "pobj" and o.pos_ == "NOUN"]
