"""What "the passage says it" may not excuse: faults of a claim read over the quote's passage.

The judge excuses a claim word its quote lacks when the passage around the quote holds it (the
verdict is then partial). These checks read the passage for what that excuse would pass over:
figures recombined across its sentences ("25 pupils" from "300 pupils. ... 25 teachers") and an
appositive it gives to another name ("Smith, the team captain" where it has "Jones, the team
captain"). Each fault is (kind, reason). (Also measured: faulting a claim for the modality or
negation of the passage sentence that holds the words its quote lacks, "will deliver" where
the passage has "could deliver"; on the labelled dev claims it hid 7 true claims to catch 1
false one, so it is not done.)
This module reads the parse (`kit.grounding.structure`); it does not decide the verdict.
"""

from __future__ import annotations


def count_faults(claim: str, passage: str) -> list[tuple[str, str]]:
    """Figures recombined across the passage's sentences: read over the passage, since that is
    where "the passage says it" looks."""
    from kit.grounding.structure.figures import check_counts
    from kit.grounding.structure.parser import parse

    return [(f.kind, f.reason) for f in check_counts(parse(claim), parse(passage))]


def described_faults(claim: str, passage: str) -> list[tuple[str, str]]:
    """A claim appositive the passage gives to another name."""
    from kit.grounding.structure.copula import check_appositives
    from kit.grounding.structure.parser import parse

    c_doc = parse(claim)
    if not any(t.dep_ == "appos" for t in c_doc):
        return []
    return [(f.kind, f.reason.replace("the quote says", "the passage says"))
            for f in check_appositives(c_doc, parse(passage))]
