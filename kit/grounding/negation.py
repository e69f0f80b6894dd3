"""Negation the claim and its quote disagree on, read from their words: one says "not" and the
other does not, or the claim restates the quote around a negation it leaves out. Antonyms and
negation read through the parse are the structural check's (kit.grounding.structure)."""

from __future__ import annotations

from collections.abc import Sequence
from itertools import pairwise

from kit.text import STOPWORDS, match_stem

NEGATIONS = frozenset({"not", "no", "never", "none", "nobody", "nothing", "neither", "nor", "without",
                       "cannot", "nowhere", "n't"})
AUXILIARIES = frozenset("""do does did is are was were be been being has have had will would shall should can
could may might must ever yet longer""".split())


# Verbs that say their complement did not happen ("failed to attend", "to avoid being targeted"):
# a quote with one, of a verb the claim has, may well say what the claim says with "not"; whether
# it does, the parse judges (kit.grounding.structure reads them as negation of the verb they govern).
NEGATING_VERBS = frozenset(match_stem(w) for w in """fail failed fails failing refuse refused refuses refusing
decline declined declines declining avoid avoided avoids avoiding refrain refrained refrains refraining
neglect neglected neglects neglecting""".split())


# Words that say a thing is missing: "going without food" is "lacking food", as "no water" is.
PRIVATIVE = frozenset("lack lacks lacked lacking absence absent devoid".split())
_ABSENT = frozenset({"without", "no"})  # the negations a privative word restates


def negation_reasons(claim: Sequence[str], quote: Sequence[str]) -> list[str]:
    """A negation one side says and the other does not, given both sides' lower-cased tokens."""
    claim_neg = [t for t in claim if t in NEGATIONS]
    quote_neg = [t for t in quote if t in NEGATIONS] + _negating(quote, claim)
    if claim_neg and not quote_neg and set(claim_neg) <= _ABSENT:
        quote_neg = [t for t in quote if t in PRIVATIVE]
    elif quote_neg and not claim_neg and set(quote_neg) <= _ABSENT:
        claim_neg = [t for t in claim if t in PRIVATIVE]
    if claim_neg and not quote_neg:
        return [f"the claim says '{claim_neg[0]}' but the quote does not"]
    if quote_neg and not claim_neg:
        dropped = _dropped_negation(claim, quote)
        return [f"the quote says '{dropped}' but the claim does not"] if dropped else []
    return []


def _negating(quote: Sequence[str], claim: Sequence[str]) -> list[str]:
    """The quote's negating verbs ("failed to", "refused to", "to avoid") of the very word the claim
    negates: "failed to attend" for "did not attend", not "failed a test", nor "refused to allow"
    for "did not face"."""
    negated = [w for i, t in enumerate(claim) if t in NEGATIONS for w in _next_content(claim, i)[:1]]
    out = []
    for i, t in enumerate(quote):
        if match_stem(t) not in NEGATING_VERBS:
            continue
        rest = _next_content(quote, i)
        joined = i + 1 < len(quote) and (quote[i + 1] in ("to", "from") or quote[i + 1].endswith("ing"))
        if joined and rest and any(_same_verb(rest[0], w) for w in negated):
            out.append(t)
    return out


def _same_verb(a: str, b: str) -> bool:
    """The same verb, or one of the synonym lists' ("refused to release" for "not freed")."""
    if match_stem(a) == match_stem(b):
        return True
    from kit.grounding.paraphrase import groups  # loads the parser: only when a verb is to be compared

    return any(groups(x) & groups(y) for x in _bases(a) for y in _bases(b))


def _bases(word: str) -> set[str]:
    """The forms a verb's lemma may take under its endings ("freed": free, "releasing": release)."""
    return {word, word[:-1], word[:-2], word[:-3], word[:-3] + "e"}


def _next_content(tokens: Sequence[str], i: int) -> list[str]:
    """The words after token i, up to four, less function words and auxiliaries."""
    return [w for w in tokens[i + 1:i + 5] if w not in STOPWORDS and w not in AUXILIARIES and w not in NEGATIONS]


def _dropped_negation(claim: Sequence[str], quote: Sequence[str]) -> str | None:
    """A negation of the quote that the claim restates around but leaves out.

    Claim and quote tokens are aligned (longest common subsequence of their stems). A negation
    counts when the claim restates words on both sides of it and what it skipped there is only
    the negation and function words ("Russia did not fire missiles" / "Russia fired missiles").
    A negation in a part of the quote the claim does not restate ("popular in the 1850s but
    no longer used" / "popular in the 1850s"), or inside a phrase the claim dropped whole
    ("members (not votes) representing"), says nothing about the claim."""
    a = [match_stem(t) for t in claim]
    b = [match_stem(t) for t in quote]
    for (ci, left), (cj, right) in pairwise(_lcs(a, b)):
        gap = quote[left + 1:right]
        negations = [t for t in gap if t in NEGATIONS]
        if negations and all(t in NEGATIONS or t in STOPWORDS or t in AUXILIARIES for t in gap) \
                and not _ceased(gap, claim[ci + 1:cj]):
            return negations[0]
    return None


# "no longer counting" restated as "stopped counting": what has ceased is not a dropped negation.
_CEASING = frozenset(match_stem(w) for w in "stop stopped cease ceased quit halt halted end ended".split())


def _ceased(gap: Sequence[str], claim_gap: Sequence[str]) -> bool:
    """Whether the quote's gap says "no longer" (or "not ... any longer") and the claim's, in its
    place, a verb of ceasing."""
    return "longer" in gap and any(match_stem(t) in _CEASING for t in claim_gap)


def _lcs(a: Sequence[str], b: Sequence[str]) -> list[tuple[int, int]]:
    """Index pairs of a longest common subsequence of `a` and `b`."""
    table = [[0] * (len(b) + 1) for _ in range(len(a) + 1)]
    for i in range(len(a) - 1, -1, -1):
        for j in range(len(b) - 1, -1, -1):
            table[i][j] = table[i + 1][j + 1] + 1 if a[i] == b[j] else max(table[i + 1][j], table[i][j + 1])
    pairs, i, j = [], 0, 0
    while i < len(a) and j < len(b):
        if a[i] == b[j]:
            pairs.append((i, j))
            i, j = i + 1, j + 1
        elif table[i + 1][j] >= table[i][j + 1]:
            i += 1
        else:
            j += 1
    return pairs
