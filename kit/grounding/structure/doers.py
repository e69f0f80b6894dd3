"""Who did it, when the quote does not say: "A plaque ... was also unveiled" restated as "unveiled by
Prince Charles". A passive with no doer leaves the doer open; a claim that names one adds a fact,
even when it names the quote's speaker ("was canceled, according to the mayor" is no cancelling by
the mayor).
The passage around the quote may state it (an earlier sentence: "Prince Charles unveiled a
plaque"): then the quote only lacks it, and the claim is partly supported, as for any name the
passage holds. When the passage names the doer but not as the doer of that event, the claim has
joined a name of the passage to an event it does not tell of.
Two doers can also trade events: "the army allowed the convoy into areas the coalition holds" from
"the coalition allowed the convoy into areas the army holds".
"""

from __future__ import annotations

from collections.abc import Sequence

from kit.grounding.structure.events import Event, events, is_passive, phrase_of
from kit.grounding.structure.fault import Fault
from kit.grounding.structure.matching import best_match, same_concept
from kit.grounding.structure.parser import parse
from kit.grounding.structure.words import Same, is_name, same


def check_added_doers(claim: Sequence[Event], quote: Sequence[Event], passage: str) -> list[Fault]:
    """A roles fault for each named doer of a claim event whose quote event is a passive with no
    doer, unless an event of the passage has that doer. The passage is read once, when needed."""
    told: list[Event] | None = None
    faults: list[Fault] = []
    for c in claim:
        q = _doerless_match(c, quote)
        if q is None or c.agent is None:
            continue
        told = events(parse(passage)) if told is None else told
        if not any(same_concept(c, p) and same(c.agent, p.agent) is Same.YES for p in told):
            faults.append(Fault("roles", f'the quote does not say who did it: "{q.text()}"; '
                                         f"the claim names {phrase_of(c.agent)}"))
    return faults


def _doerless_match(c: Event, quote: Sequence[Event]) -> Event | None:
    """The quote's passive event without a doer that a claim event with a named doer restates."""
    if c.derived or c.attributed is not None or c.agent is None or not is_name(c.agent) or c.patient is None:
        return None
    best = best_match(c, quote)
    if best is None:
        return None
    q, _ = best
    if q.agent is not None or not is_passive(q.token) or same(c.patient, q.patient) is Same.OTHER:
        return None
    return q


def check_exchanged_doers(claim: Sequence[Event], quote: Sequence[Event]) -> list[Fault]:
    """A roles fault for a claim event whose doer, in the quote, does another of the claim's events,
    while the quote's doer of this one does that other event in the claim: the two doers traded.
    Doers only: a claim's parse that hangs an object on the wrong verb is common, and would trade
    objects that the claim does not."""
    faults: list[Fault] = []
    told: set[frozenset[int]] = set()
    for c in claim:
        best = best_match(c, quote) if c.agent is not None and not c.derived else None
        if best is None or best[0].agent is None or same(c.agent, best[0].agent) is Same.YES:
            continue
        q = best[0]
        traded = _traded(c, q, claim, quote)
        if traded is not None and (pair := frozenset((q.token.i, traded.token.i))) not in told:
            told.add(pair)
            faults.append(Fault("roles", f'the doers are exchanged: the quote says "{q.text()}" and "{traded.text()}"'))
    return faults


def _traded(c: Event, q: Event, claim: Sequence[Event], quote: Sequence[Event]) -> Event | None:
    """The quote's other event that `c`'s doer does, of a claim event that `q`'s doer does."""
    theirs = [c2 for c2 in claim if c2 is not c and not c2.derived and same(c2.agent, q.agent) is Same.YES]
    return next((q2 for c2 in theirs for q2 in quote if q2 is not q and not q2.derived and same_concept(c2, q2)
                 and same(c.agent, q2.agent) is Same.YES), None)
