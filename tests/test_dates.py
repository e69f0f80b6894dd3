"""Dates in an impossible order: a claim joining two dated events with "after" or "before"."""

from __future__ import annotations

import pytest

from kit.embeddings import HashEmbedder
from kit.grounding.structure.dates import check_date_order, dates
from kit.grounding.structure.parser import parse
from kit.grounding.support import Judge
from kit.types import Support


def test_explicit_dates_are_read_with_or_without_a_year() -> None:
    assert [d for d, _ in dates("On May 25, then 30 October 2015, and October 20, 1973, in 1805 and 1066.")] == [
        (None, 5, 25), (2015, 10, 30), (1973, 10, 20), (1805, 0, 0), (1066, 0, 0)]
    assert dates("3,000 troops and 2150 ships") == []  # no years


@pytest.mark.parametrize("claim", [
    "The convoy was destroyed on May 25, after the militants tried to break through on May 29.",
    "After the talks on October 3, the army withdrew on October 1.",
    "The army withdrew on 5 October 2015, before the talks began on 1 October 2015.",
    "He became president in 1803, two years after his rival was elected in 1805.",
    "The abbey was founded in 1150, after the town burned down in 1180.",
    "The bakery opened in 1998, and the old mill closed in 1999 after the flood of 2001.",
    "The bakery, which opened in 1998, closed in 1996 after the flood of 2001.",
    "In January 2004 the firm sold the mill in May 2003 after the river flooded in 2005.",
])
def test_dates_that_run_against_the_claims_order_are_a_time_fault(claim: str) -> None:
    assert [f.kind for f in check_date_order(parse(claim))] == ["time"]


@pytest.mark.parametrize("claim", [
    "After the talks on October 3, the army withdrew on October 5.",
    "He became president in 1807, two years after his rival was elected in 1805.",
    "The strike on May 26 came the day after the raid of May 25.",
    "The army withdrew after the talks on October 3.",  # one side has no date: nothing to compare
    "The army withdrew in 2015, after the talks on October 3.",  # a year on one side only
    # A date of another clause is no side of the "after":
    "The bakery opened in 1998, and the old mill closed after the flood of 2001.",
    "The bakery, founded in 1998, reopened after the flood of 2001.",
    "The bakery, which opened in 1998, closed after the flood of 2001.",
    "In 1998 the bakery opened and in 2003 the mill closed after the flood of 2001.",
    # Of two dates on the event told first, the one nearest the cue is its side:
    "In January 2004 the firm sold the mill in May 2006 after the river flooded in 2005.",
])
def test_dates_in_the_claims_order_or_not_comparable_are_no_fault(claim: str) -> None:
    assert check_date_order(parse(claim)) == []


def test_a_claim_with_its_dates_in_the_wrong_order_is_not_supported() -> None:
    quote = ("The first convoy was destroyed by the air force on May 25. The militants made another attempt "
             "to break through on the night of May 29 to 30.")
    claim = "The air force destroyed the first convoy on May 25, after the militants tried to break through on May 29."
    assert Judge(HashEmbedder()).judge(claim, [quote], [quote]).support is Support.UNSUPPORTED
