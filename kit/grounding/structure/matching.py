"""A claim event against the quote's events: roles, polarity, certainty, degree and dates (events
a quote names only as talks, plans or failed attempts: `unrealised`).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from spacy.tokens import Doc, Token

from kit.grounding.structure import lexicon as lx
from kit.grounding.structure.event_dates import compare_dates, other_day
from kit.grounding.structure.events import Event, child, is_linking, same_concept, subject_of
from kit.grounding.structure.fault import Fault
from kit.grounding.structure.modifiers import moved_modifier
from kit.grounding.structure.predicates import other_event, said_words
from kit.grounding.structure.sought import sought
from kit.grounding.structure.words import Same, axis_sides, is_name, opposite_axis, repair_lemma, resolve, same


@dataclass(frozen=True)
class Fit:
    """How a quote event's participants fit a claim event's."""

    matches: int
    soft: int  # participants that differ but may be the same thing
    hard: int  # participants with different names
    swapped: bool

    @property
    def consistent(self) -> bool:
        return self.hard == 0 and not self.swapped


def fit_of(c: Event, q: Event) -> Fit:
    """Compare agent with agent and patient with patient; detect a swap of the two."""
    pairs = [same(c.agent, q.agent), same(c.patient, q.patient)]
    if q.transitive and _by_agent_only(c):
        # "X was eclipsed by Y" whose subject the parser lost: the by-phrase still names the doer
        doer = pairs[0]
        return Fit(int(doer is Same.YES), int(doer is Same.OTHER), int(doer is Same.OTHER_NAME),
                   doer is not Same.YES and same(c.agent, q.patient) is Same.YES)
    if c.transitive != q.transitive:  # intransitive "prices rose" vs "X raised prices"
        # ... but "X won" vs "X won the Tour": the same doer, the object left unsaid
        doer = same(c.agent, q.agent)  # two named doers are two, whatever the objects ("organised by X")
        pairs = [doer] if doer in (Same.YES, Same.OTHER_NAME) else [same(c.theme, q.theme)]
    matches = sum(p is Same.YES for p in pairs)
    soft = sum(p is Same.OTHER for p in pairs)
    hard = sum(p is Same.OTHER_NAME for p in pairs)
    swapped = False
    if c.transitive and q.transitive:
        a_to_p = same(c.agent, q.patient) is Same.YES and pairs[0] is not Same.YES
        p_to_a = same(c.patient, q.agent) is Same.YES and pairs[1] is not Same.YES
        both_known = resolve(c.agent) is not None and resolve(c.patient) is not None
        swapped = (a_to_p and p_to_a) or ((a_to_p or p_to_a) and matches == 0 and both_known)
        swapped = swapped or _giver_and_taker_swapped(c, q)
    return Fit(matches, soft, hard, swapped)


def _recipient(e: Event) -> Token | None:
    """Whom a transitive event is done to or for ("sent flowers to the families", "left a tribute for
    them"): the object of "to" or "for" on the verb."""
    heads = [e.token] + ([e.patient] if e.patient is not None else [])  # "a tribute for the families"
    prep = next((c for h in heads for c in h.children if c.dep_ in ("prep", "dative") and c.lower_ in ("to", "for")),
                None)
    obj = child(prep, "pobj") if prep is not None else None
    return obj if obj is not None and obj.pos_ in ("NOUN", "PROPN") else None


def _giver_and_taker_swapped(c: Event, q: Event) -> bool:
    """"The families sent flowers to the Duchess" against "the Duchess sent flowers to the families"
    (or "the families presented the Duchess with flowers" against "the Duchess left flowers for the
    families"): the doer and the one it is done for trade places."""
    theirs, mine = _taker(q), _taker(c)
    return (theirs is not None and mine is not None and same(c.agent, theirs) is Same.YES
            and same(mine, q.agent) is Same.YES)


# Verbs of giving whose undergoer is the one given to, the gift in "with": "presented X with Y".
_GIVING_WITH = frozenset({"present", "provide", "supply", "furnish", "reward"})
_GIVING = _GIVING_WITH | frozenset({"give", "hand", "leave", "send", "offer", "donate", "award", "grant", "lend",
                                     "deliver", "bring", "pay"})


def _taker(e: Event) -> Token | None:
    """Whom a giving event gives to: its "to"/"for" phrase, or the undergoer of "presented X with"."""
    if e.lemma in _GIVING_WITH and any(c.dep_ == "prep" and c.lower_ == "with" for c in e.token.children):
        return resolve(e.patient)
    return _recipient(e)


def given_the_other_way(c: Event, quote: Sequence[Event]) -> Event | None:
    """A quote event of giving, in another verb, whose giver is the claim's taker and whose taker the
    claim's giver."""
    if c.lemma not in _GIVING:
        return None
    return next((q for q in quote if q.lemma in _GIVING and _giver_and_taker_swapped(c, q)), None)


def _by_agent_only(e: Event) -> bool:
    """A passive event whose doer is named by "by" and whose undergoer the parse did not find."""
    return not e.derived and e.patient is None and e.agent is not None and child(e.token, "agent") is not None


def fit_rank(fit: Fit) -> float:
    return fit.matches - 0.5 * fit.soft - 2 * fit.hard - 3 * fit.swapped


def best_match(c: Event, quote: Sequence[Event]) -> tuple[Event, Fit] | None:
    """The quote event of the same concept whose participants fit best; of events that fit alike,
    a verb before a noun, then the one whose words the claim's shares most: of a verb the quote
    tells twice ("the MEM is meant to feed into the UN process, and you could not feed something
    into nothing"), the one the claim restates."""
    cands = [(q, fit_of(c, q)) for q in quote if same_concept(c, q)]
    if not cands:
        return None
    mine = _phrase_words(c)
    return max(cands, key=lambda qf: (fit_rank(qf[1]), not qf[0].derived, len(mine & _phrase_words(qf[0]))))


def _phrase_words(e: Event) -> set[str]:
    """The lemmas of an event's phrase (its verb's subtree)."""
    return {t.lemma_.lower() for t in e.token.subtree if t.is_alpha}


def antonym_event(c: Event, quote: Sequence[Event]) -> tuple[Event, str] | None:
    """A quote event on the opposite side of an axis, about the same participant. Of two outcomes
    that are no opposites (lexicon.CONTRASTS), only when the quote says nothing on the claim's side:
    "detained ... until they are released" tells both."""
    for q in quote:
        axis = opposite_axis(c.lemma, q.lemma)
        if axis is None or is_linking(c) or is_linking(q) or not _about_same(c, q, axis):
            continue
        side = axis_sides(c.lemma).get(axis)
        if axis not in lx.CONTRAST_NAMES or not any(axis_sides(repair_lemma(t)).get(axis) == side
                                                    for t in said_words(quote)):
            return q, axis
    return None


def weaker_event(c: Event, quote: Sequence[Event]) -> Event | None:
    """A quote event, about the same participant, one step down a scale from the claim's (lexicon.SCALES):
    "damaged" for the claim's "destroyed", when no word of the quote says the claim's."""
    for name, weak, strong in lx.SCALES:
        if c.lemma not in strong or c.negated or any(repair_lemma(t) in strong for t in said_words(quote)):
            continue
        told = next((q for q in quote if q.lemma in weak and not q.negated and _about_same(c, q, name)), None)
        if told is not None:
            return told
    return None


def _about_same(c: Event, q: Event, axis: str) -> bool:
    """Whether two events are about the same participant, none of them another's. Of a relation
    seen from either end ("sold ... to X" / "X bought"), only the same doer."""
    fit = fit_of(c, q)
    theme, agent = same(c.theme, q.theme), same(c.agent, q.agent)
    if axis in lx.CONVERSE_AXES:
        return fit.hard == 0 and agent is Same.YES
    return fit.hard == 0 and ((agent is not Same.OTHER_NAME and Same.YES in (theme, agent)) or fit.matches > 0)


def check_event(c: Event, quote: Sequence[Event]) -> list[Fault]:
    """Roles, polarity, certainty, degree and dates of one claim event against the quote."""
    best = best_match(c, quote)
    if best is not None and (placed := _placed_alike(c, best, quote)) is not None:
        best = placed  # "not included in the roadmap" / "... included in the preamble"
    if (
        best is not None
        and best[1].consistent
        and (best[1].matches > 0 or (best[1].soft == 0 and c.lemma == best[0].lemma))
    ):
        return (speaker_made_doer(c, best[0]) + doer_made_owner(c, best[0]) + target_made_doer(c, best[0])
                + moved_modifier(c, best[0]) + compare_matched(c, best[0], quote))
    if best is not None and best[0].lemma == c.lemma and (turned := target_made_doer(c, best[0])):
        return turned  # the same verb, its doer the claim's target (the rest need not fit)
    if best is not None and best[0].lemma == c.lemma and best[1].consistent and (day := other_day(c, best[0])):
        return day  # "the crew were flown ... the same night" / "the group was flown ... the following morning"
    anti = antonym_event(c, quote)
    if anti is not None:
        q, axis = anti
        if q.negated == c.negated:
            said = "another outcome" if axis in lx.CONTRAST_NAMES else "the opposite"
            return [Fault("polarity", f'the quote says {said} ({axis}): "{q.text()}"')]
        return []
    if (given := given_the_other_way(c, quote)) is not None:
        return [Fault("roles", f'giver and receiver reversed: the quote says "{given.text()}"')]
    if (weaker := weaker_event(c, quote)) is not None:
        return [Fault("polarity", f'the quote says only "{weaker.token.text}": "{weaker.text()}"')]
    if best is None:
        return hedged_in_other_words(c, quote) or other_event(c, quote)
    q, fit = best
    if fit.swapped:
        return [Fault("roles", f'roles reversed: the quote says "{q.text()}"')]
    if fit.hard:
        return [Fault("roles", f'different participant: the quote says "{q.text()}"')]
    if fit.matches > 0 or (fit.soft and _only_telling(c, q, quote)):
        return compare_matched(c, q, quote)
    return []


def _only_telling(c: Event, q: Event, quote: Sequence[Event]) -> bool:
    """Whether `q` is the quote's one event of the claim's verb: then it is the claim's event, its
    participants in other words ("the issue will be resolved" for "the matter")."""
    return q.lemma == c.lemma and sum(e.lemma == c.lemma for e in quote) == 1


def _placed_alike(c: Event, best: tuple[Event, Fit], quote: Sequence[Event]) -> tuple[Event, Fit] | None:
    """The quote's event of the claim's verb that has the claim's place or object of a preposition
    ("not included in the final roadmap"), when the best match lacks it and the quote tells that
    verb twice, once each way ("was not included in the final roadmap. The range was however
    included in the preamble"): that one is the claim's event, negated or not, if its doer and
    object fit the claim's as well ("In place of an inquiry, the government has put together"
    is not "preventions were not put in place")."""
    def placed(e: Event) -> set[str]:
        return {g.lemma_.lower() for p in e.token.children if p.dep_ == "prep"
                for g in p.children if g.dep_ == "pobj" and g.pos_ in ("NOUN", "PROPN")}

    mine = placed(c)
    if not mine or mine & placed(best[0]):
        return None
    for q in quote:
        if q.lemma == c.lemma and q.negated != best[0].negated and mine & placed(q):
            fit = fit_of(c, q)
            return (q, fit) if fit.consistent and not _other_thing(c, q) else None
    return None


def _other_thing(c: Event, q: Event) -> bool:
    """Whether the quote event names a doer or object of its own that is not the claim's (a noun,
    not a pronoun standing for it: "this was not approved")."""
    return any(theirs is not None and theirs.pos_ != "PRON" and mine is not None and same(mine, theirs) is not Same.YES
               for mine, theirs in ((c.agent, q.agent), (c.patient, q.patient)))


# Verbs that only pass a statement on; a speaker of these is not thereby the one who did it.
_TELLING = frozenset({"say", "tell", "report", "claim", "state", "add", "note", "write", "explain", "insist",
                      "allege", "confirm"})


def speaker_made_doer(c: Event, q: Event) -> list[Fault]:
    """"X said the quay opened" restated as "X opened the quay": the quote names X as the one who
    says it, and says the thing happened of itself (an intransitive verb), not that anyone did it."""
    if c.attributed is not None or not c.transitive or resolve(c.agent) is None or q.attributed is None:
        return []
    if q.attributed.head.lemma_ not in _TELLING:  # "announced", "ordered": the speaker may well be the doer
        return []
    # Only a quote that says the thing happened of itself ("the quay opened"): a passive ("was closed")
    # leaves a doer unnamed who may well be the speaker ("No defects were found, engineers said").
    if q.transitive or same(c.patient, q.theme) is not Same.YES or same(c.agent, q.attributed) is not Same.YES:
        return []
    return [Fault("roles", f'the quote has {q.attributed.text} say it, not do it: "{q.text()}"')]


def target_made_doer(c: Event, q: Event) -> list[Fault]:
    """"Sanctions were imposed on Russia" from "Russia imposed sanctions on the EU", "the attack was
    blamed on Ukraine" from "Ukraine blamed Russia for the attack": what the claim's doerless
    passive is done on or against is, in the quote, the one who does it."""
    if c.agent is not None or resolve(q.agent) is None:
        return []
    for prep in (p for p in c.token.children if p.dep_ == "prep" and p.lower_ in ("on", "upon", "against")):
        target = next((g for g in prep.children if g.dep_ == "pobj"), None)
        if target is not None and same(target, q.agent) is Same.YES:
            return [Fault("roles", f'the quote has {target.text} do it: "{q.text()}"')]
    return []


def doer_made_owner(c: Event, q: Event) -> list[Fault]:
    """"The Trade Delegation damaged the property" from "a perpetrator damaged the property of the
    Trade Delegation": the claim's named doer is, in the quote, whose the undergoer is, and the
    quote's doer is someone else. A doer that may be the name in other words ("the company", "the
    minister") is left alone."""
    mine, theirs, undergoer = resolve(c.agent), resolve(q.agent), resolve(q.patient)
    if mine is None or theirs is None or undergoer is None or not is_name(mine) or is_name(theirs):
        return []
    if theirs.pos_ == "PRON" or theirs.lemma_.lower() in lx.GENERIC_NOUNS | lx.ROLE_NOUNS:
        return []
    if same(mine, theirs) is Same.OTHER and any(
            is_name(t) and same(mine, t) is Same.YES for t in undergoer.subtree if t is not undergoer):
        return [Fault("roles", f'different doer: the quote says "{q.text()}", and names {mine.text} only as whose '
                               f'{undergoer.text} it is')]
    return []


def compare_matched(c: Event, q: Event, quote: Sequence[Event] = ()) -> list[Fault]:
    """Negation, certainty, degree and dates of two events taken to be the same. What the claim
    says was asked for ("called for ... addressing the issues") the quote may say did not happen."""
    faults: list[Fault] = []
    if c.negated != q.negated and q.degree not in lx.ALMOST and not (q.negated and sought(c.token)):
        says = "does not say" if q.negated else "says"
        faults.append(Fault("polarity", f'negation differs: the quote {says} it: "{q.text()}"'))
    if q.degree in lx.ALMOST and c.degree not in lx.ALMOST and not c.negated:
        faults.append(Fault("polarity", f'the quote says it {q.degree} happened: "{q.text()}"'))
    faults.extend(compare_certainty(c, q))
    if q.degree in lx.PARTIAL_ADV and c.degree not in lx.PARTIAL_ADV:
        faults.append(Fault("quantifier", f'the quote says "{q.degree}": "{q.text()}"'))
    elif c.degree in lx.TOTAL_ADV and q.degree not in lx.TOTAL_ADV:
        faults.append(Fault("quantifier", f'the quote does not say "{c.degree}": "{q.text()}"'))
    faults.extend(compare_dates(c, q, quote))
    return faults


def hedged_in_other_words(c: Event, quote: Sequence[Event]) -> list[Fault]:
    """The claim states as done what the quote, in another verb, gives only as planned, possible or
    reported: "Russia deployed troops" from "Russia is considering sending troops". The quote's
    events with the claim event's participants (both of them; the one of an intransitive verb) are
    the same event in other words; when none of them is stated as done, the claim says more."""
    if c.level < 3 or c.negated or c.attributed is not None or c.lemma in _MODAL_VERBS:
        return []  # "the route is expected to be lined": the claim's own "expected" is no deed
    told = [q for q in quote if not q.derived and (_same_participants(c, q) or _copula_told(c, q))]
    if not told or any(q.level >= 3 for q in told):
        return []
    return compare_certainty(c, min(told, key=lambda q: q.level))


_MODAL_VERBS = lx.SPEECH | lx.BELIEF | lx.FINDING_WEAK | lx.FINDING_STRONG | frozenset(lx.PLAN_HEADS)


def _copula_told(c: Event, q: Event) -> bool:
    """"X is the oldest form" told by a verb whose object is that noun, with X as its doer: "X
    probably represents the oldest form"."""
    done_to = resolve(q.patient)
    if c.token.dep_ != "attr" or c.agent is None or done_to is None:
        return False
    return done_to.lemma_.lower() == c.token.lemma_.lower() and same(c.agent, q.agent) is Same.YES


def _same_participants(c: Event, q: Event) -> bool:
    named = [p for p in (c.agent, c.patient) if p is not None]
    if not named or any(resolve(p) is None or resolve(p).pos_ == "PRON" for p in named):  # type: ignore[union-attr]
        return False
    if c.transitive != q.transitive:
        return False
    return all(same(a, b) is Same.YES for a, b in ((c.agent, q.agent), (c.patient, q.patient)) if a is not None)


def compare_certainty(c: Event, q: Event) -> list[Fault]:
    """The claim asserts at a higher certainty than the quote. A claim that itself reports a speaker
    ("X said/claimed...") is not faulted for the quote's "X claimed"; "suggested" vs "proved" is graded.
    """
    q_level, cue = q.level, q.cue
    if c.attributed is not None and (q.category == "report" or _reckoned(q)):
        q_level = 3  # "according to the FT, militants reap $1.5m" from "the FT estimated that militants reap"
    if cue == "able" and _managed(q):
        q_level = 3  # "police were able to trace them": they traced them
    c_lemma, q_lemma = c.lemma, q.lemma
    if c_lemma in lx.FINDING_STRONG and q_lemma in lx.FINDING_WEAK:
        return [Fault("modality", f'the quote only says "{q.token.text}", the claim "{c.token.text}"')]
    if q.category == "condition" and _CONDITIONAL.search(c.token.doc.text):
        return []  # the claim states a condition of its own ("..., or Britain will act")
    if c.level > q_level and not _hedged_alike(c, cue):
        what = {"plan": "planned or expected", "hedge": "possible", "report": "reported or alleged",
                "condition": "so only on a condition", "asked": "asked for, not done"}.get(q.category, "uncertain")
        return [Fault("modality", f'the quote gives this as {what} ("{cue}"): "{q.text()}"')]
    return []


def _hedged_alike(c: Event, cue: str) -> bool:
    """Whether the claim's sentence gives the quote's hedging word ("possible", "alleged",
    "reportedly") to a word of the claim event's own clause: "named as a possible co-conspirator"
    from "possible co-conspirator", however the parser hung the word on either side."""
    word = cue.lower()
    if word not in lx.HEDGE_ADV and word not in lx.IRREALIS_MODIFIERS:
        return False
    return any(t.lower_ == word and t.dep_ in ("amod", "advmod") for t in c.token.subtree)


_CONDITIONAL = re.compile(r"\b(?:if|unless|otherwise|provided|in case|as long as|only when|or)\b", re.IGNORECASE)


def _managed(q: Event) -> bool:
    """Whether the quote's "able to" is in the past ("were able to trace"), which says it was done."""
    able = next((a for a in q.token.ancestors if a.lower_ == "able"), None)
    return able is not None and any(b.lemma_ == "be" and b.tag_ == "VBD" for b in (able.head, *able.children))


_RECKONING = lx.SPEECH_NEUTRAL | frozenset({"estimate", "believe", "think", "reckon", "calculate"})


def _reckoned(q: Event) -> bool:
    """Whether the quote's hedge is the verb of someone saying or reckoning it ("estimated that"):
    a claim that names whose word it is ("according to X") keeps that hedge."""
    return any(a.text == q.cue and a.lemma_.lower() in _RECKONING for a in q.token.ancestors)


def finding_verbs(doc: Doc) -> list[Token]:
    """Verbs of finding or belief introducing a clause ("the study showed that", "researchers believe")."""
    words = lx.FINDING_STRONG | lx.FINDING_WEAK | lx.BELIEF | lx.SPEECH_DOUBT
    return [t for t in doc if repair_lemma(t) in words and any(c.dep_ == "ccomp" for c in t.children)]


_UNSURE = lx.FINDING_WEAK | lx.BELIEF | lx.SPEECH_DOUBT


def check_findings(claim: Doc, quote: Doc) -> list[Fault]:
    """ "showed/proved/found that" in the claim where the quote's finder only "suggested/believes"
    or "speculated", or, for "confirmed / proved / established that", where the quote has no
    word of finding or saying at all ("Autopsies have confirmed that the jet broke apart" from "Autopsies
    revealed ... probably broke up", "it has been proven that" from "it is believed that").

    The two verbs are paired by their subjects (unknown subjects pair); the clauses they introduce
    are compared separately by the event checks.
    """
    faults = []
    strong = [c for c in finding_verbs(claim) if repair_lemma(c) in lx.FINDING_STRONG]
    said = {repair_lemma(t) for t in quote} if strong else set()
    for c in strong:
        for q in finding_verbs(quote):
            if repair_lemma(q) in _UNSURE and same(subject_of(c), subject_of(q)) not in (Same.OTHER_NAME, Same.OTHER):
                faults.append(Fault("modality", f'the quote only says "{q.text}" where the claim says "{c.text}"'))
                break
        else:
            # "said" may be restated as "confirmed"; a quote that only tells the event may not.
            if repair_lemma(c) in lx.CONFIRMING and not said & (lx.FINDING_STRONG | lx.SPEECH_NEUTRAL):
                faults.append(Fault("modality", f'the quote does not say it was {c.lemma_.lower()}ed: '
                                                f'the claim says "{c.text}"'))
    return faults


def np_text(t: Token) -> str:
    return t.doc[t.left_edge.i : t.i + 1].text
