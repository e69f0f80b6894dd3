"""Agreement and difference across sources: fact extraction, pairwise comparison, and the
18 / "Eighteen" cruise missiles agreement between two seed articles found end to end."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import numpy as np
import pytest

from kit.api import Kit
from kit.topics.agreement import compare, facts
from kit.topics.datelines import dateline
from kit.types import Citation


def values(sentence: str) -> list[tuple[float, str]]:
    return [(f.value, f.noun) for f in facts(sentence)]


@pytest.mark.parametrize("sentence,expected", [
    ("The Russian military says it fired 18 cruise missiles on Friday.", [(18, "missile")]),
    ("Eighteen cruise missiles were launched from the Caspian Sea.", [(18, "missile")]),
    ("A strike had killed more than 600 militants.", [(600, "militant")]),
    ("Officials said 1,200 people were evacuated and twelve villages emptied.", [(1200, "people"), (12, "village")]),
    ("Twenty-five soldiers were wounded.", [(25, "soldier")]),
    ("They counted two hundred tanks and 3.5 million refugees.", [(200, "tank"), (3.5e6, "refugee")]),
    ("The fund pledged $2.5 million, and Britain gave £300 and €40.", [(2.5e6, "usd"), (300, "gbp"), (40, "eur")]),
])
def test_numbers_in_digits_words_and_money(sentence: str, expected: list[tuple[float, str]]) -> None:
    assert values(sentence) == expected


@pytest.mark.parametrize("sentence", [
    "In 2015 the talks resumed.",
    "The talks resumed on 7 October and ended on 12 March.",
    "The siege lasted three days and 20 hours.",
    "Prices rose 15 percent over 2 years.",
    "He won the 2008 race.",
])
def test_years_dates_and_durations_are_skipped(sentence: str) -> None:
    assert facts(sentence) == []


def test_fact_text_names_what_is_counted() -> None:
    (fact,) = facts("Eighteen cruise missiles were launched.")
    assert fact.text == "Eighteen cruise missiles"


def cite(path: str, quote: str, start: int = 0) -> Citation:
    return Citation(0, path, start, start + len(quote), "article", quote)


def unit_vectors(n: int, similarity: float) -> np.ndarray:
    """n unit vectors whose pairwise cosine similarity is `similarity`."""
    shared = np.sqrt(similarity)
    out = np.zeros((n, n + 1), dtype=np.float32)
    out[:, 0] = shared
    out[np.arange(n), np.arange(1, n + 1)] = np.sqrt(1 - similarity)
    return out


def test_same_figure_in_two_files_agrees_and_different_figures_differ() -> None:
    cites = [cite("a.txt", "Russia fired 18 cruise missiles at ISIS positions."),
             cite("b.txt", "Eighteen cruise missiles were launched on Friday."),
             cite("c.txt", "The ministry said Russia fired 26 cruise missiles on Friday.")]
    # Reports of one fact are alike as such (0.92 in MiniLM for two reports of a tax claim).
    agreements, differences = compare(cites, unit_vectors(3, 0.9))
    assert [(a.citations[0].path, a.citations[1].path) for a in agreements] == [("a.txt", "b.txt")]
    # The agreement shows the shared statement as one source words it, one that is not also a side
    # of the 18-vs-26 difference (a's sentence is); both quotes stay attached.
    assert agreements[0].statement == "Eighteen cruise missiles were launched on Friday."
    assert [c.quote for c in agreements[0].citations] == [cites[0].quote, cites[1].quote]
    assert agreements[0].fact == "18 cruise missiles"  # what they agree on; each sentence may say more
    # 18 vs 26 is one difference about missiles (a-c and b-c state the same pair of figures).
    assert len(differences) == 1 and differences[0].subject == "missile"
    says = sorted(text for text, _ in differences[0].versions)
    assert says[0].startswith("18") or says[0].startswith("Eighteen")
    assert says[1].startswith("26")


def test_pairs_from_the_same_file_are_ignored() -> None:
    cites = [cite("a.txt", "Russia fired 18 cruise missiles."), cite("a.txt", "Only 12 cruise missiles hit.", 100),
             cite("a.txt", "Russia fired 18 cruise missiles.", 200)]
    assert compare(cites, unit_vectors(3, 0.95)) == ([], [])


def test_unrelated_sentences_are_not_compared() -> None:
    cites = [cite("a.txt", "Russia fired 18 cruise missiles."),
             cite("b.txt", "Engineers counted 40 missiles at the museum.")]
    assert compare(cites, unit_vectors(2, 0.3)) == ([], [])
    # Similar enough to compare, but the counted noun is all they share: not the same subject.
    assert compare(cites, unit_vectors(2, 0.9)) == ([], [])
    museum = [cites[0], cite("b.txt", "Engineers said Russia fired 40 cruise missiles.")]
    agreements, differences = compare(museum, unit_vectors(2, 0.9))
    assert not agreements and [d.subject for d in differences] == ["missile"]


def test_near_identical_statements_without_figures_agree() -> None:
    cites = [cite("a.txt", "The ceasefire collapsed after the shelling."),
             cite("b.txt", "The ceasefire collapsed after the shelling resumed.")]
    agreements, _ = compare(cites, unit_vectors(2, 0.95))
    assert [a.statement for a in agreements] == ["The ceasefire collapsed after the shelling."]
    assert agreements[0].fact is None
    assert compare(cites, unit_vectors(2, 0.7)) == ([], [])


def test_summaries_of_the_seeds_find_the_eighteen_cruise_missiles(minilm_kit: Kit) -> None:
    summaries = minilm_kit.summarize()
    found = [a for s in summaries for a in s.agreements
             if {Path(c.path).name[:3] for c in a.citations} == {"001", "002"} and "missile" in a.statement.lower()]
    assert found, [a.statement for s in summaries for a in s.agreements]
    quotes = " ".join(c.quote for c in found[0].citations)
    assert "Eighteen cruise missiles" in quotes and "18 cruise missiles" in quotes
    reader = minilm_kit.sources()
    for c in found[0].citations:
        assert c.verified and reader.text(c.path)[c.start:c.end] == c.quote  # type: ignore[index]


@pytest.mark.parametrize("sentence,value,text", [
    ("Yukos sold Yugansk for $9.3bn in December.", 9.3e9, "$9.3bn"),
    ("The firm's turnover was £1.2bn last year.", 1.2e9, "£1.2bn"),
    ("The state claims $27.5 billion in back taxes.", 27.5e9, "$27.5 billion"),
    ("Profits reached €450m.", 450e6, "€450m"),
])
def test_money_keeps_the_whole_figure_with_its_scale(sentence: str, value: float, text: str) -> None:
    (fact,) = facts(sentence)
    assert fact.value == pytest.approx(value) and fact.text == text


def test_a_one_letter_unit_is_not_a_counted_noun() -> None:
    assert facts("The new bar stands 3 m above the track.") == []


@pytest.mark.parametrize("a,b", [
    # the same currency, but a sale price and a tax claim are not the same quantity
    ("Yukos sold its main unit Yugansk for $9.3bn at the auction.",
     "Yukos faces a $27.5bn tax claim from the Russian authorities."),
    # the same currency, a company's turnover and a country's trade gap
    ("Yukos reported a turnover of £1.2bn in the quarter, Yukos said.",
     "The US trade gap grew to £56bn in the quarter, the figures said."),
    # the same noun, two different runners
    ("Holmes, the 35-year-old champion, was beaten in the final.",
     "Radcliffe, the 31-year-old champion, won the final in Athens."),
    # the same thing counted in different years
    ("In 2003 the firm employed 1,200 workers at the plant.",
     "In 2004 the firm employed 900 workers at the plant."),
])
def test_different_quantities_subjects_or_times_are_not_a_difference(a: str, b: str) -> None:
    _, differences = compare([cite("a.txt", a), cite("b.txt", b)], unit_vectors(2, 0.9))
    assert differences == []


def test_the_same_quantity_of_the_same_subject_still_differs() -> None:
    cites = [cite("a.txt", "Yukos faces a $27.5bn tax claim from the Russian authorities."),
             cite("b.txt", "The Russian authorities say Yukos owes a $24bn tax claim.")]
    _, differences = compare(cites, unit_vectors(2, 0.9))
    assert [sorted(t for t, _ in d.versions) for d in differences] == [["$24bn", "$27.5bn"]]


def test_agreements_are_listed_once_and_never_also_as_a_conflict() -> None:
    same = "Russia fired 18 cruise missiles at ISIS positions in Syria."
    cites = [cite("a.txt", same), cite("b.txt", same), cite("c.txt", same),
             cite("d.txt", "Russia fired 26 cruise missiles at ISIS positions in Syria.")]
    agreements, differences = compare(cites, unit_vectors(4, 0.95))
    statements = [a.statement for a in agreements]
    assert len(statements) == len(set(statements))
    conflicting = {c.quote for d in differences for _, c in d.versions}
    assert differences and not set(statements) & conflicting


def test_a_statement_sharing_two_figures_is_listed_once_with_both() -> None:
    cites = [cite("a.txt", "The plane was carrying 12 crew members and 216 passengers, of which 126 men and 82 women."),
             cite("b.txt", "Flight AF447 was an Airbus A330 carrying 216 passengers and 12 crew members.")]
    agreements, _ = compare(cites, unit_vectors(2, 0.8))
    assert [(a.statement, a.fact, len(a.citations)) for a in agreements] == [
        ("The plane was carrying 12 crew members and 216 passengers, of which 126 men and 82 women.",
         "12 crew members; 216 passengers", 2)]


@pytest.mark.parametrize("sentence", [
    "The aircraft had encountered heavy turbulence at 02:00 GMT on Monday.",
    "The aircraft, an Airbus A330-200, carrying passengers, crashed in the ocean.",
    "They want a target of a 25-40% cut in emissions.",
])
def test_clock_times_model_numbers_and_ranges_are_not_counts(sentence: str) -> None:
    assert facts(sentence) == []


@pytest.mark.parametrize("a,b", [
    # both sentences state both figures: they agree, on two things
    ("The 395,000 euro raised by the telethon adds to the 150,000 euro pledged by the government.",
     "The public raised 395,000 euro in a telethon, while the government pledged 150,000 euro."),
    # a depth and a distance, each also given in miles: the unit shared is no measure shared
    ("It occurred at a depth of 44.3 kilometers (27.5 miles), and the epicenter was 45 kilometers away.",
     "The USGS said it occurred 244 kilometers (151 miles) north-northwest of Concepcion."),
    # two places, two distances
    ("The epicenter was 65 kilometers northwest of Cauquenes, officials said.",
     "The aftershock occurred 34 kilometers northwest of Talca, officials said."),
])
def test_figures_of_two_things_in_similar_sentences_are_not_a_difference(a: str, b: str) -> None:
    _, differences = compare([cite("a.txt", a), cite("b.txt", b)], unit_vectors(2, 0.9))
    assert differences == []


def test_a_word_most_of_the_topic_uses_does_not_make_two_figures_the_same_quantity() -> None:
    """"earthquake" is in every sentence of an earthquake topic: the dead and the rescued share it."""
    filler = [cite(f"f{n}.txt", f"The earthquake damaged building number {n} in the old town centre.")
              for n in range(8)]
    cites = [cite("a.txt", "Officials estimate the earthquake killed about 200,000 people in the capital."),
             cite("b.txt", "Rescuers said 132 people have been pulled alive from rubble since the earthquake."),
             *filler]
    _, differences = compare(cites, unit_vectors(len(cites), 0.9))
    assert [d for d in differences if d.subject == "people"] == []


def test_a_day_after_its_month_is_a_date_not_a_count() -> None:
    assert values("The February 27 earthquake was followed by 11 aftershocks.") == [(11, "aftershock")]


def test_figures_of_merely_related_sentences_are_not_a_difference() -> None:
    # From MultiLing (the 2004 tsunami and the 2010 Haiti earthquake in one topic): both count the
    # homeless, but of two events. Such pairs were 0.56-0.66 alike in MiniLM; a report of the same
    # figure ("Yukos faces a $27.5bn tax claim" / "Yukos owes a $24bn tax claim") 0.92.
    cites = [cite("a.txt", "In Haiti the confirmed death toll passed 121,000, and 5 million people were homeless."),
             cite("b.txt", "The earthquake in Haiti is estimated to have made 1.5 million people homeless.")]
    assert compare(cites, unit_vectors(2, 0.64))[1] == []
    assert [d.subject for d in compare(cites, unit_vectors(2, 0.9))[1]] == ["people"]


def test_figures_that_no_shared_name_ties_to_one_thing_are_not_a_difference() -> None:
    # From the audit of MultiLing (bench/audit_summaries.py): the depths of two Chilean quakes, a
    # 5.7 aftershock "10 kilometers" deep and another "44.3 kilometers", shown as one fact reported
    # two ways. The subject of one is "the earthquake", of the other "It": nothing says they are one.
    a = ("USGS updated their information later, and specified the earthquake reached a 5.7 magnitude, with a "
         "depth of 10 kilometers, and the epicenter was located 70km at the northwest of Curicó.")
    b = ("It occurred at a depth of 44.3 kilometers (27.5 miles), and the epicenter was located 45 kilometers "
         "southwest of San Antonio.")
    assert compare([cite("a.txt", a), cite("b.txt", b)], unit_vectors(2, 0.9))[1] == []
    named = b.replace("It occurred", "The USGS said it occurred")
    shown = [sorted(t for t, _ in d.versions) for d in compare([cite("a.txt", a), cite("b.txt", named)],
                                                                 unit_vectors(2, 0.9))[1]]
    assert ["10 kilometers", "44.3 kilometers"] in shown


@pytest.mark.parametrize("a,b", [
    # a lower bound is no conflict with a larger figure
    ("Sixteen bodies have been recovered from the waters of the ocean.",
     "At least two bodies have been recovered from the waters so far."),
    # an approximate figure agrees with one close to it
    ("The library system comprises 79 individual libraries with over 18 million volumes.",
     "The library system comprises nearly 80 individual libraries holding 18 million volumes."),
])
def test_a_hedged_figure_the_other_satisfies_is_not_a_difference(a: str, b: str) -> None:
    assert compare([cite("a.txt", a), cite("b.txt", b)], unit_vectors(2, 0.9))[1] == []


def test_figures_of_files_dated_on_different_days_are_not_a_difference() -> None:
    a = "The quake struck at a depth of 10 kilometers, the USGS said."
    b = "The quake struck at a depth of 28.4 kilometers, the USGS said."
    cites = [cite("a.txt", a), cite("b.txt", b)]
    same_day = {"a.txt": date(2010, 5, 21), "b.txt": date(2010, 5, 21)}
    other_day = {"a.txt": date(2010, 5, 21), "b.txt": date(2010, 7, 15)}
    assert len(compare(cites, unit_vectors(2, 0.9), dated=same_day)[1]) == 1
    assert len(compare(cites, unit_vectors(2, 0.9), dated={"a.txt": date(2010, 5, 21)})[1]) == 1  # b undated
    assert compare(cites, unit_vectors(2, 0.9), dated=other_day)[1] == []


@pytest.mark.parametrize(("text", "day"), [
    ("New earthquake hits Chile\n\nFriday, May 21, 2010 \n\nA strong earthquake hit Chile.", date(2010, 5, 21)),
    ("Talks resume\n21 May 2010\nThe talks resumed.", date(2010, 5, 21)),
    ("2010-05-21\nThe talks resumed.", date(2010, 5, 21)),
    ("Yukos owes tax\n\nYukos said on May 21, 2010 that it would appeal.", None),  # a date in a sentence
    ("Title\n\nFebruary 30, 2010\n\nText.", None),
])
def test_a_dateline_is_a_date_on_a_line_of_its_own_at_the_top(text: str, day: date | None) -> None:
    assert dateline(text) == day
