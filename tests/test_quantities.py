"""A claim's numbers against its quote: spellings, halves and bounds."""

from __future__ import annotations

import pytest

from kit.grounding.quantities import number_reasons
from kit.numbers import numbers, values


def reasons(claim: str, quote: str) -> list[str]:
    return number_reasons(claim, quote, frozenset(values(quote)))


def test_one_and_a_half_million_is_one_point_five_million() -> None:
    assert [n.value for n in numbers("one and a half million dollars, 2 and a half years")] == [1.5e6, 2.5]
    assert reasons("ISIS loses one and a half million dollars a day.", "ISIS is losing $1.5 million a day.") == []


@pytest.mark.parametrize(("claim", "quote"), [
    ("More than 100 people died.", "116 people died."),
    ("Over 70% of the oil came from the Gulf.", "71% of the oil came from the Gulf."),
    ("At least 80 people came.", "80 people came."),
    ("Nearly 60 trucks were hit.", "58 trucks were hit."),
    ("Fewer than 80 people came.", "Only 75 people came."),
    ("More than 80 people came.", "More than 80 people came."),
    ("Nearly 100 people came.", "About 100 people came."),
    ("The IS lost 36 cars.", "The IS lost more than 80 terrorists, 36 cars, eight fuel trucks."),
])
def test_a_figure_within_the_claims_bound_supports_it(claim: str, quote: str) -> None:
    assert reasons(claim, quote) == []


@pytest.mark.parametrize(("claim", "quote"), [
    ("Fewer than 80 people came.", "More than 80 people came."),
    ("More than 80 people came.", "80 people came."),
    ("More than 100 people died.", "90 people died."),
    ("More than 100 people died in 2015.", "In 2015, 90 people died."),  # the year is no evidence
    ("Nearly 60 trucks were hit.", "40 trucks were hit."),
    ("The state spent nearly 100 billion dollars.", "The state spent over 100 billion dollars."),
    ("Athletes competed over 18 days.", "The Games lasted 16 days, with 38 contests."),
    ("IS lost 80 fuel trucks.", "The IS lost more than 80 terrorists, 36 cars, eight fuel trucks."),
])
def test_a_figure_outside_the_bound_or_bounded_the_other_way_is_a_reason(claim: str, quote: str) -> None:
    assert reasons(claim, quote)


def test_a_fraction_of_a_scale_is_that_fraction() -> None:
    assert [n.value for n in numbers("half a million voters and a half-billion euros")] == [5e5, 5e8]
    assert [n.value for n in numbers("a quarter of a million tonnes, three quarters of a billion")] == [2.5e5, 7.5e8]
    assert reasons("The fund lost a million dollars.", "The fund lost half a million dollars.") != []
    assert reasons("The city pledged 500 million euros.", "The city pledged a half-billion euros.") == []


QUOTE_PARTS = "Ten warships are now deployed for the operation, six of them in the Mediterranean."


@pytest.mark.parametrize(("claim", "faulty"), [
    ("Six warships are now deployed for the operation.", True),  # the part given to the whole
    ("Six warships are in the Mediterranean.", False),  # what the quote says of the part
    ("Six of the ten warships are in the Mediterranean.", False),
    ("Ten warships are deployed for the operation.", False),
])
def test_a_figure_the_quote_gives_as_a_part_is_not_the_whole(claim: str, faulty: bool) -> None:
    assert bool(reasons(claim, QUOTE_PARTS)) is faulty


ELECTED = "Ware was elected in 1805, and Webber became president two years later."


@pytest.mark.parametrize(("claim", "quote", "faulty"), [
    ("Webber became president in 1807.", ELECTED, False),
    ("Webber became president in 1808.", ELECTED, True),
    ("The treaty was signed in 1946.", "The war ended in 1945. The following year, the treaty was signed.", False),
    ("The bridge opened in 1998.", "The bridge opened in 1999, a year after the tunnel.", True),  # the other way
    ("The tunnel opened in 1998.", "The bridge opened in 1999. The tunnel had opened a year earlier.", False),
])
def test_a_year_counted_from_the_quotes_year_is_that_year(claim: str, quote: str, faulty: bool) -> None:
    assert bool(reasons(claim, quote)) is faulty


@pytest.mark.parametrize(("claim", "faulty"), [
    ("Jets struck three provinces.", False),
    ("Jets struck 3 provinces.", False),
    ("Jets struck four provinces.", True),
    ("Jets struck three cities.", True),  # the list names provinces
])
def test_a_count_of_the_names_the_quote_lists_is_that_count(claim: str, faulty: bool) -> None:
    assert bool(reasons(claim, "Jets struck targets in the provinces of Raqqa, Idlib and Aleppo.")) is faulty
    assert bool(reasons(claim, "Jets struck targets in Raqqa, Idlib and Aleppo provinces.")) is faulty
