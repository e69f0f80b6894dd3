"""A claim's numbers against its quote: spellings, halves and bounds."""

from __future__ import annotations

import pytest

from kit.embeddings import HashEmbedder
from kit.grounding.quantities import number_reasons
from kit.grounding.support import Judge
from kit.numbers import numbers, shares, values
from kit.types import Support


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
    ("More than 2,000 people have been evacuated.", "The number evacuated keeps rising, passing 2,000 people."),
    ("Over 500 homes were damaged.", "Damaged homes have topped 500, officials said."),
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
    ("Fewer than 2,000 people have been evacuated.", "The number evacuated keeps rising, passing 2,000 people."),
    ("Three times as many boats sank in the storm.", "Up to three times as many boats sank in the storm."),
    ("The plant employs 500 people.", "The plant employs at most 500 people."),
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


def test_a_share_in_words_is_read_as_a_percentage() -> None:
    found = {s.text: round(s.value, 1) for s in shares(
        "Two-thirds of the voters, half the staff, a third of its land and three quarters of the seats; "
        "half a million people, the Fourth of July, the second half of the year, thirds of them.")}
    assert found == {"Two-thirds": 66.7, "half": 50.0, "a third": 33.3, "three quarters": 75.0}


@pytest.mark.parametrize(("claim", "quote", "faulty"), [
    ("Two-thirds of the voters backed it.", "About 67 percent of the voters backed it.", False),
    ("A third of the voters backed it.", "32% of the voters backed it.", False),
    ("Half the staff left.", "Some 51 per cent of the staff left.", False),
    ("Two-thirds of the voters backed it.", "Two thirds of the voters backed it.", False),
    ("67% of the voters backed it.", "Two-thirds of the voters backed it.", False),
    ("Two-thirds of the voters backed it.", "About 57 percent of the voters backed it.", True),
    ("Four-fifths of the voters backed it.", "85 percent of the voters backed it.", True),
    ("Half of the town was destroyed.", "Much of the town was destroyed.", True),
    ("Half of the town was destroyed.", "A third of the town was destroyed.", True),
])
def test_a_share_is_supported_by_the_same_share_or_a_close_percentage(claim: str, quote: str, faulty: bool) -> None:
    assert bool(reasons(claim, quote)) is faulty


def test_the_words_of_a_share_are_no_missing_content() -> None:
    # "Two" of "two-thirds" was read as the number 2 the quote lacks, and "thirds" as a word it lacks.
    verdict = Judge(HashEmbedder()).judge("Two-thirds of the voters backed the plan.",
                                          ["About 67 percent of the voters backed the plan."],
                                          ["About 67 percent of the voters backed the plan."])
    assert verdict.support is Support.SUPPORTED


@pytest.mark.parametrize(("claim", "quote", "faulty"), [
    ("More than four-fifths of its buildings were destroyed.", "85% of its buildings were destroyed.", False),
    ("More than half of the voters backed it.", "About 55 percent of the voters backed it.", False),
    ("More than half of the voters backed it.", "About 45 percent of the voters backed it.", True),
    ("Less than a third of the voters backed it.", "About 35 percent of the voters backed it.", True),
])
def test_a_bounded_share_is_supported_within_its_bound(claim: str, quote: str, faulty: bool) -> None:
    assert bool(reasons(claim, quote)) is faulty


@pytest.mark.parametrize(("claim", "quote"), [
    ("Nearly 60 trucks were hit by the strikes.", "58 trucks were hit by the strikes."),
    ("Nearly half of the voters backed the plan.", "About 48 percent of the voters backed the plan."),
])
def test_the_bound_before_a_figure_is_checked_with_the_figure_not_as_a_word(claim: str, quote: str) -> None:
    judge = Judge(HashEmbedder())
    assert judge.judge(claim, [quote], [quote]).support is Support.SUPPORTED
    assert judge.judge(claim, [quote.replace("58", "Over 60").replace("About 48", "Over 55")],
                       [quote]).support is Support.UNSUPPORTED


@pytest.mark.parametrize(("claim", "quote", "supported"), [
    ("The siege lasted ten years.", "The siege lasted a decade.", True),
    ("The siege lasted twenty years.", "The siege lasted two decades.", True),
    ("The siege lasted fifty years.", "The siege lasted half a century.", True),
    ("The siege lasted twelve years.", "The siege lasted a decade.", False),
    ("The siege killed ten people.", "The siege lasted a decade.", False),
])
def test_a_span_of_years_in_words_is_that_many_years(claim: str, quote: str, supported: bool) -> None:
    verdict = Judge(HashEmbedder()).judge(claim, [quote], [quote])
    assert (verdict.support is Support.SUPPORTED) is supported


@pytest.mark.parametrize(("claim", "quote", "faulty"), [
    ("The airport was closed for two days.", "The airport was closed for two hours.", True),
    ("The trial lasted 6 weeks.", "The trial lasted 6 months.", True),
    ("The airport was closed for two days.", "The airport was closed for 2 days.", False),
    ("The siege lasted 48 hours.", "The siege lasted 48 hrs, police said.", False),
])
def test_a_span_of_time_in_another_unit_is_another_figure(claim: str, quote: str, faulty: bool) -> None:
    assert bool(reasons(claim, quote)) is faulty


@pytest.mark.parametrize(("claim", "quote"), [
    ("Up to three times as many boats sank.", "Up to three times as many boats sank in the storm."),
    ("The archive holds records up to 2010.", "The archive holds records from 1950 up to 2010."),  # a time
    # a figure after a month is a date, no count of the noun after it
    ("The 2004 Indian Ocean tsunami struck in December.",
     "After the 2004 tsunami ... the December 26 Indian Ocean tsunami struck the coast."),
])
def test_a_ceiling_kept_a_year_and_a_date_are_no_reason(claim: str, quote: str) -> None:
    assert reasons(claim, quote) == []


def test_a_ceiling_in_other_words_is_the_same_ceiling() -> None:
    assert reasons("As many as three times more boats sank.", "Up to three times as many boats sank.") == []
    assert reasons("Three times more boats sank.", "As many as three times as many boats sank.")
