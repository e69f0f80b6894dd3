"""Paraphrase the support judge credits: irregular and derived word forms, listed synonyms,
connectives that state nothing, accents and one-letter misspellings of names; and what it still
refuses (a changed fact, a one-letter change of an ordinary word, synonyms found only around the
quote)."""

from __future__ import annotations

import pytest

from kit.embeddings import HashEmbedder
from kit.grounding.paraphrase import Equivalents, derived, lemmas_by_word, naming_words
from kit.grounding.spelling import accents_apart, fold, joined_initials, near_name, one_letter_apart, unaccented
from kit.grounding.support import Judge
from kit.types import Support

SHOWN = (Support.SUPPORTED, Support.PARTIAL)


@pytest.fixture(scope="module")
def judge() -> Judge:
    return Judge(HashEmbedder())


def coverage(judge: Judge, claim: str, quote: str) -> float:
    return judge.signals(claim, [quote], [quote]).coverage


@pytest.mark.parametrize(("a", "b"), [
    ("reduce", "reduction"), ("negotiate", "negotiation"), ("commit", "commitment"),
    ("success", "successful"), ("weapon", "weaponry"), ("arrive", "arrival"),
])
def test_derivations_match(a: str, b: str) -> None:
    assert derived(a, b) and derived(b, a)


@pytest.mark.parametrize(("a", "b"), [
    ("kill", "killer"),  # an agent noun names someone else
    ("general", "generate"), ("continue", "continent"), ("invest", "investigation"),
    ("arm", "army"),  # bases under four letters join unrelated words
])
def test_unrelated_words_do_not_match(a: str, b: str) -> None:
    assert not derived(a, b)


def test_irregular_forms_synonyms_and_particles_are_found() -> None:
    quote = Equivalents("The garrison had withdrawn before the engineers set up a new depot.")
    by_word = lemmas_by_word("The garrison withdrew and the engineers founded a depot; troops pulled out.")
    assert quote.covers(by_word["withdrew"])  # withdraw, irregular past
    assert quote.covers(by_word["founded"])  # found / set up
    assert quote.covers(by_word["pulled"])  # pull out / withdraw
    assert not quote.covers(lemmas_by_word("The engineers destroyed a depot.")["destroyed"])
    # "back" read as an adverb is still the verb's particle
    assert Equivalents("Kurdish forces pulled back from the town.").covers(lemmas_by_word("They withdrew.")["withdrew"])


def test_proper_nouns_are_matched_as_written() -> None:
    quote = Equivalents("Officials said the convoy was stopped.")
    by_word = lemmas_by_word("Fighters of the Islamic State stopped the convoy.")
    assert not quote.covers(by_word["state"])  # a name, not "state" = "say"


def test_a_proper_noun_gives_no_derivation() -> None:
    """"statement" is not said by the "State" of "Islamic State" (a 1.5B model's claim "The
    statement continued," was judged supported by an unrelated sentence about the Islamic State)."""
    text = "Despite drones above Raqqa, the Islamic State convoy remained untouched by airstrikes."
    assert not Equivalents(text).covers(lemmas_by_word("The statement")["statement"])
    assert Equivalents("The ministry stated it twice.").covers(lemmas_by_word("The statement")["statement"])


def test_a_restatement_in_other_words_is_shown(judge: Judge) -> None:
    quote = "Harbour workers walked out on Monday, and the port authority granted them a substantial pay rise."
    claim = "The port authority gave harbour workers a considerable pay rise after they walked out on Monday."
    assert judge.judge(claim, [quote], [quote]).support in SHOWN


def test_synonyms_raise_coverage_only_with_the_parse() -> None:
    quote = "The mayor established a small portion of the fund for repairs."
    claim = "The mayor founded a small part of the fund for repairs."
    with_parse, words_only = Judge(HashEmbedder()), Judge(HashEmbedder(), structure=False)
    assert coverage(with_parse, claim, quote) == 1.0
    assert coverage(words_only, claim, quote) < 1.0


def test_a_changed_fact_is_still_refused(judge: Judge) -> None:
    quote = "The mayor established a small portion of the fund for repairs."
    assert judge.judge("The mayor abolished the whole fund for repairs.", [quote], [quote]).support \
        is Support.UNSUPPORTED


def test_synonyms_in_the_passage_alone_do_not_count(judge: Judge) -> None:
    quote = "Flooding closed the coastal road."
    passage = "Engineers granted the contractor more time. " + quote
    claim = "Flooding closed the coastal road and engineers gave the contractor more time."
    assert judge.signals(claim, [quote], [passage]).passage_coverage < 1.0


def test_connectives_state_nothing(judge: Judge) -> None:
    quote = "The bridge reopened in May, but the ferry kept running."
    claim = "Although the bridge reopened in May, the ferry still kept running."
    assert coverage(judge, claim, quote) == 1.0


def test_accents_and_one_letter_misspellings_of_names() -> None:
    assert fold("Zoë Łódź café") == "Zoe Łodz cafe"
    assert one_letter_apart("harbour", "harbor") and one_letter_apart("tabqa", "taqba")
    assert not one_letter_apart("harbour", "harbours ")
    assert near_name("Mosul", ["mosul"]) is False  # the same name is not a misspelling; and it is short
    assert near_name("Tbilisi", ["tiblisi"]) and not near_name("Tbilisi", ["abilisi"])
    assert not near_name("Mali", ["bali"])
    assert near_name("Tbilisi's", ["tiblisi"])  # a possessive is not part of the name
    assert near_name("Homsa", ["homsta"]) and not near_name("Homsa", ["homra"])  # five letters: only beside six


def test_a_misspelt_name_in_the_quote_is_found(judge: Judge) -> None:
    quote = "Rescue teams reached Tiblisi and Francois Martin's village by noon."
    claim = "Rescue teams reached Tbilisi and François Martin's village by noon."
    assert judge.judge(claim, [quote], [quote]).support in SHOWN
    assert judge.judge("Rescue teams reached Tripoli by noon.", [quote], [quote]).support is Support.UNSUPPORTED


def test_a_name_written_without_its_accents_is_the_same_participant(judge: Judge) -> None:
    # The structural check read "Erdogan" and "Erdoğan" as two people: every role compared failed.
    quote = "Erdoğan accused the Kurdish leaders of treason, Müller told reporters in São Paulo."
    assert judge.judge("Erdogan accused the Kurdish leaders of treason.", [quote], [quote]).support in SHOWN
    assert judge.judge("Muller told reporters in Sao Paulo.", [quote], [quote]).support in SHOWN
    reversed_ = judge.judge("The Kurdish leaders accused Erdogan of treason.", [quote], [quote])
    assert reversed_.support is Support.UNSUPPORTED and any("roles" in r for r in reversed_.reasons)
    assert judge.judge("Erdoğan accused the Kurdish leaders.", ["Muller accused the Kurdish leaders."],
                       ["Muller accused the Kurdish leaders."]).support is Support.UNSUPPORTED


def test_initials_written_apart_name_the_same_thing(judge: Judge) -> None:
    assert joined_initials("the U. S. Congress and J. R. R. Tolkien") == "the U.S. Congress and J.R.R. Tolkien"
    assert joined_initials("Plan B. Then A. Smith left.") == "Plan B. Then A. Smith left."
    quote = "Delegates at the U.N. conference in Bali are pushing for steep cuts in emissions."
    assert judge.judge("Delegates at the U. N. conference in Bali are pushing for steep cuts in emissions.",
                       [quote], [quote]).support is Support.SUPPORTED


def test_accents_apart_and_unaccented() -> None:
    assert accents_apart("Erdogan spoke.", ["Erdoğan spoke."]) and accents_apart("Erdoğan spoke.", ["Erdogan spoke."])
    assert not accents_apart("Erdoğan spoke.", ["Erdoğan spoke."]) and not accents_apart("He spoke.", ["Zoë spoke."])
    assert unaccented("Erdoğan … 5 km² ½") == "Erdogan … 5 km² ½"  # only accents go, not "…", "²" or "½"


def test_a_name_one_letter_off_is_the_same_participant(judge: Judge) -> None:
    quote = "Mueller scored twice for Bayern."
    assert judge.signals("Muller scored twice for Bayern.", [quote], [quote]).hard == ()
    assert judge.signals("Miller scored twice for Bayern.", [quote], [quote]).hard != ()  # "ue" / "i": two letters
    assert judge.judge("Bayern scored twice for Muller.", [quote], [quote]).support is Support.UNSUPPORTED


def test_a_speaker_named_by_initials_is_the_speaker_named_in_full(judge: Judge) -> None:
    quote = "The deal is dead, the European Union said."
    assert judge.judge("The EU said the deal was dead.", [quote], [quote]).support is Support.SUPPORTED
    other = judge.judge("The UN said the deal was dead.", [quote], [quote])
    assert other.support is Support.UNSUPPORTED and any("attributes" in r for r in other.reasons)


def test_compounds_written_apart_or_hyphenated(judge: Judge) -> None:
    quote = "Volunteers carrying first aid kits in their back packs reached the cliff path launched from the harbour."
    assert coverage(judge, "Volunteers carried first aid kits in backpacks.", quote) == 1.0
    assert coverage(judge, "A harbour-launched path reached the cliff.", quote) == 1.0
    assert coverage(judge, "A harbour-funded path reached the cliff.", quote) < 1.0


def test_a_swapped_name_is_refused_even_when_the_passage_has_it(judge: Judge) -> None:
    quote = "Divers found the wreck near Ostend."
    passage = "Boats left Calais at dawn. " + quote
    verdict = judge.judge("Divers found the wreck near Calais.", [quote], [passage])
    assert verdict.support is Support.UNSUPPORTED and any("Ostend" in r for r in verdict.reasons)


def test_currency_signs_demonyms_and_directions(judge: Judge) -> None:
    quote = "Kenyan donors gave $40 million and the convoy turned southward."
    assert coverage(judge, "Kenya's donors gave 40 million dollars.", quote) == 1.0
    assert coverage(judge, "The convoy turned south.", quote) == 1.0
    assert coverage(judge, "Donors gave 40 million euros.", quote) < 1.0


@pytest.mark.parametrize(("claim", "words"), [
    ("The port, now called Tema, grew fast.", {"called": ("Tema",)}),
    ("Iqbal, regarded as the father of the state, wrote poems.", {"regarded": ("father", "state")}),
    ("The island, known as Rapa Nui, is remote.", {"known": ("Rapa", "Nui")}),
    ("Critics called him a traitor.", {}),  # an act with an object, not a name
    ("The mayor called for calm.", {}),
])
def test_verbs_that_only_name_or_regard_need_no_word_in_the_quote(claim: str, words: dict[str, tuple[str, ...]]
                                                                    ) -> None:
    assert naming_words(claim) == words


def test_a_naming_verb_the_quote_lacks_costs_no_coverage(judge: Judge) -> None:
    quote = "The port of Tema grew fast in the 1960s."
    assert coverage(judge, "The port, now called Tema, grew fast in the 1960s.", quote) == 1.0
    assert coverage(judge, "The port, now closed, grew fast in the 1960s.", quote) < 1.0
    # ... only when the quote has the name it gives: "called Accra" is a fact of its own
    assert coverage(judge, "The port, now called Accra, grew fast in the 1960s.", quote) < coverage(
        judge, "The port, now Accra, grew fast in the 1960s.", quote)


@pytest.fixture(scope="module")
def minilm_judge() -> Judge:
    from kit.config import Settings
    from kit.embeddings import get_embedder

    return Judge(get_embedder(Settings.load(environ={})))


@pytest.mark.parametrize(("claim", "quote"), [
    ("The museum's director vanished in March.", "The museum's director disappeared in March."),
    ("The farm grows cheaper grain than its rivals.", "The farm grows less costly grain than its rivals."),
])
def test_a_word_the_embedder_puts_beside_a_quote_word_is_said_by_it(minilm_judge: Judge, claim: str,
                                                                     quote: str) -> None:
    assert minilm_judge.signals(claim, [quote], [quote]).coverage == 1.0
    assert Judge(HashEmbedder()).signals(claim, [quote], [quote]).coverage < 1.0  # no such judge without vectors


@pytest.mark.parametrize(("claim", "quote"), [
    ("The church was built in the seventeenth century.", "The church was built in the eighteenth century."),
    ("Wheat prices rose sharply in March.", "Wheat prices fell sharply in March."),
    ("The mayor of Lyon opened the bridge.", "The mayor of Nice opened the bridge."),
])
def test_ordinals_names_and_opposites_are_not_near_words(minilm_judge: Judge, claim: str, quote: str) -> None:
    assert minilm_judge.judge(claim, [quote], [quote]).support is Support.UNSUPPORTED
    assert minilm_judge.signals(claim, [quote], [quote]).coverage < 1.0


def test_is_to_with_a_verb_says_planned() -> None:
    assert Equivalents("More than 100 sorties are to be flown.").covers(lemmas_by_word("planned")["planned"])
    assert Equivalents("The minister is to visit Paris.").covers(lemmas_by_word("plans")["plans"])
    assert not Equivalents("The minister is visiting Paris.").covers(lemmas_by_word("plans")["plans"])


@pytest.mark.parametrize(("claim", "quote"), [
    ("The new tram is cheaper than the bus.", "The new tram is more expensive than the bus."),
    ("The convoy headed east towards the border.", "The convoy headed west towards the border."),
    ("The trucks left the depot in daylight.", "The trucks left the depot under the cover of darkness."),
    ("The strikes only slightly damaged the depots.", "The strikes significantly damaged the depots."),
    ("Such bombs suit resource-rich states.", "Such bombs suit resource-poor states."),
])
def test_a_word_whose_opposite_the_quote_says_is_refused(minilm_judge: Judge, claim: str, quote: str) -> None:
    # word vectors put these close (cheaper / expensive 0.81, east / west 0.79): the opposite is named
    j = minilm_judge.judge(claim, [quote], [quote])
    assert j.support is Support.UNSUPPORTED and any("the quote says" in r for r in j.reasons)


def test_an_opposite_turned_by_less_or_not_is_the_same_sense(minilm_judge: Judge) -> None:
    quote = "The new tram is less costly than the bus."
    assert minilm_judge.judge("The new tram is cheaper than the bus.", [quote], [quote]).support is Support.SUPPORTED


def test_one_relation_seen_from_its_two_ends_is_no_opposite(minilm_judge: Judge) -> None:
    quote = "The first settler to arrive was Maria Holm, wife of the commander Jan Berg, in 1652."
    claim = "Maria Holm arrived in 1652 with her husband, the commander Jan Berg."
    assert not any("the quote says" in r for r in minilm_judge.judge(claim, [quote], [quote]).reasons)


def test_a_sentence_opening_link_word_is_no_name(judge: Judge) -> None:
    quote = "Despite Kurdish and American drones above the town, the convoy was not hit."
    claim = "Although Kurdish and American drones were above the town, the convoy was not hit."
    assert not any("Although" in r for r in judge.judge(claim, [quote], [quote]).reasons)


@pytest.mark.parametrize(("claim", "quote", "shown"), [
    # one country, named another way ("Britain", "the UK", "British", "Britons")
    ("Britain protested to the embassy.", "The UK protested to the embassy on Monday.", True),
    ("The coastguards detained two Britons.", "The coastguards detained two British fishermen.", True),
    ("Spain protested to the embassy.", "The UK protested to the embassy on Monday.", False),
    # "developing" is not "industrialized"
    ("The plan asks developing nations to cut emissions by 2030.",
     "The plan asks industrialized nations to cut emissions by 2030.", False),
])
def test_names_of_one_country_and_opposite_groups(judge: Judge, claim: str, quote: str, shown: bool) -> None:
    assert (judge.judge(claim, [quote], [quote]).support in SHOWN) is shown


def test_a_title_in_the_quote_is_no_other_name_for_the_claims_first_name(judge: Judge) -> None:
    passage = ("The review by Vice Admiral Sir Tom Hale was published on Monday. The review by Admiral Hale found "
               "gaps in training.")
    quote = "The review by Admiral Hale found gaps in training."
    verdict = judge.judge("The review by Tom Hale found gaps in training.", [quote], [passage])
    assert verdict.reasons == ("name Tom is in the passage but not in the quote",)
    other = judge.judge("The review by Tom Hale found gaps in training.", [quote], [quote])
    assert other.support not in SHOWN  # a first name no text around the quote gives


def test_counts_given_to_groups_with_from_are_not_swapped(judge: Judge) -> None:
    quote = "The eight soldiers, five from the Rangers and three from the Marines, returned on Monday."
    swapped = judge.judge("The patrol, five Marines and three Rangers, returned on Monday.", [quote], [quote])
    assert swapped.support not in SHOWN and any("Marines" in r or "marines" in r for r in swapped.reasons)
    kept = judge.judge("The patrol, five Rangers and three Marines, returned on Monday.", [quote], [quote])
    assert not any("the sources give" in r for r in kept.reasons)


@pytest.mark.parametrize(("claim", "quote"), [
    ("The charity says it will refund the money.", "The charity says it will return the money."),
    ("The minister restated his opposition to the plan.", "The minister reaffirmed his opposition to the plan."),
    ("Detectives studied hours of CCTV footage.", "Police studied hours of CCTV video."),
])
def test_news_wording_in_the_synonym_lists_is_covered(judge: Judge, claim: str, quote: str) -> None:
    assert coverage(judge, claim, quote) == 1.0


def test_a_clause_in_other_words_is_said_by_the_quote(minilm_judge: Judge) -> None:
    quote = "The minister keeps pointing out that the summit is not meant to produce a new trade agreement."
    claim = "The minister keeps stressing that the summit is not intended to yield a new trade agreement."
    signals = minilm_judge.signals(claim, [quote], [quote])
    assert signals.clause < minilm_judge.thresholds.clause  # the words alone do not say it
    assert signals.short_clause_similarity >= minilm_judge.thresholds.clause_paraphrase
    assert minilm_judge.judge(claim, [quote], [quote]).support is Support.SUPPORTED


@pytest.mark.parametrize("claim", [
    "The ferry operator cut its timetable, running a larger winter service.",  # a comparative
    "The ferry operator cut its timetable, running more sailings in the cold months.",  # a quantity
    "The ferry operator cut its timetable, raising its winter sailings.",  # a direction
    "The ferry operator cut its timetable, running a reduced service next winter.",  # a time
])
def test_a_clause_whose_missing_word_is_a_degree_is_never_excused_by_its_meaning(minilm_judge: Judge,
                                                                                   claim: str) -> None:
    quote = "The ferry operator trimmed its timetable, with a reduced service in winter."
    assert minilm_judge.signals(claim, [quote], [quote]).short_clause_similarity == -1.0
    assert minilm_judge.judge(claim, [quote], [quote]).support is not Support.SUPPORTED


def test_a_reworded_clause_with_a_name_the_quote_lacks_is_not_excused(minilm_judge: Judge) -> None:
    quote = "The minister keeps pointing out that the summit is not meant to produce a new trade agreement."
    claim = "The minister keeps stressing that the Geneva summit is not intended to yield a new trade agreement."
    assert minilm_judge.judge(claim, [quote], [quote]).support is not Support.SUPPORTED


def test_a_name_cut_short_is_the_same_name_and_a_longer_country_is_not(judge: Judge) -> None:
    quote = "The team manager said: Vino denies any blood manipulation."
    assert judge.judge("The team manager said Vinokourov denies any blood manipulation.", [quote], [quote]).support \
        is Support.SUPPORTED
    assert not near_name("Nigeria", ["niger"]) and not near_name("Mali", ["malibu"])


def test_a_capital_standing_for_its_government_is_that_country_but_not_as_a_place(judge: Judge) -> None:
    quote = "The British government claims that the confessions were extracted under duress."
    actor = "London maintains that the confessions were extracted under duress."
    place = "In London, the government claims that the confessions were extracted under duress."
    assert judge.judge(actor, [quote], [quote]).support is Support.SUPPORTED
    assert judge.judge(place, [quote], [quote]).support is Support.UNSUPPORTED
