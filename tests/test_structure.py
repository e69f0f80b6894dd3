"""The structural check: faithful rewordings give no fault; faults of each kind are caught.

Cases (invented sentences on four topics) live in tests/structure_cases: dev.py (tuned on),
heldout.py (tuned on after one run) and blind.py (run once, never tuned on). Cases the check gets
wrong are strict xfails with the reason, so a fix shows up as an XPASS. These pin behaviour; the
judge's quality is measured on claims written by models and people (python -m bench.run_claims).
"""

from __future__ import annotations

import pytest

from kit.grounding.structure.compare import compare
from kit.grounding.structure.fault import Fault
from kit.grounding.structure.names import swapped_name
from tests.structure_cases import blind as cases_blind
from tests.structure_cases import dev as cases_dev
from tests.structure_cases import heldout as cases_heldout

# Known false faults on faithful pairs: claim -> why.
FALSE_FAULTS: dict[str, str] = {
    "The telescope's mirror was damaged during the launch.":
        "quote says engineers 'believe' it: arguably a true modality fault, labelled faithful",
    "Thousands of people protested against the law.":
        "'took to the streets to protest' read as a purpose clause (not done)",
    "The ceasefire was broken within hours.":
        "quote only has 'accused each other of breaking': arguably a true fault, labelled faithful",
    "Ben is a teacher from Bergen.":
        "the parser hangs 'Ben' on 'Oslo', so the quote's second clause has no subject of its own",
    "Norway deployed two frigates to the strait.": "WordNet 3.0 links no sense of 'deploy' to 'send'",
    "Chen Lu retained her world title.": "WordNet 3.0 links no sense of 'retain' to 'defend' (a title)",
}
# Known misses on fault pairs: claim -> why.
MISSES: dict[str, str] = {
    "The roof was completely destroyed.": "caught as polarity (destroyed is more than damaged), not by 'completely'",
    "Denver traded their quarterback to the Giants.": "converse verbs (trade to / acquire) are not mapped",
    "The lawyer arrested the opposition leader.": "different common nouns (lawyer/police) are not a fault",
    "The club's owner said the manager would leave.": "speakers share the possessor 'club'",
    "The two companies ended their partnership.": "'discussing an end to' is not an irrealis frame",
    "The striker has signed for Ajax.": "'understood to be close to' is not a hedge in the lexicon",
    "The supermarket chain raised wages for most of its staff.": "staff/employees: quantifiers need the same noun",
}


def _mark(claim: str, known: dict[str, str]) -> list[pytest.MarkDecorator]:
    return [pytest.mark.xfail(reason=known[claim], strict=True)] if claim in known else []


def _faithful() -> list[object]:
    out = []
    for name, mod in (("dev", cases_dev), ("heldout", cases_heldout), ("blind", cases_blind)):
        for i, (claim, quote) in enumerate(mod.FAITHFUL):
            out.append(pytest.param(claim, quote, id=f"{name}-ok-{i}", marks=_mark(claim, FALSE_FAULTS)))
    return out


def _faults() -> list[object]:
    out = []
    for name, mod in (("dev", cases_dev), ("heldout", cases_heldout), ("blind", cases_blind)):
        for i, (claim, quote, kind) in enumerate(mod.FAULTS):
            out.append(pytest.param(claim, quote, kind, id=f"{name}-{kind}-{i}", marks=_mark(claim, MISSES)))
    return out


@pytest.mark.parametrize(("claim", "quote"), _faithful())
def test_faithful_pair_has_no_fault(claim: str, quote: str) -> None:
    assert compare(claim, quote) == []  # type: ignore[arg-type]


@pytest.mark.parametrize(("claim", "quote", "kind"), _faults())
def test_fault_is_caught_with_its_kind(claim: str, quote: str, kind: str) -> None:
    faults = compare(claim, quote)
    assert kind in {f.kind for f in faults}, faults


# --- focused behaviour -------------------------------------------------------------------------


def test_fault_is_typed_and_readable() -> None:
    faults = compare("The Comets beat the Rangers.", "The Rangers beat the Comets 3-1.")
    assert faults and all(isinstance(f, Fault) for f in faults)
    assert faults[0].kind == "roles"
    assert "Rangers beat the Comets" in faults[0].reason


@pytest.mark.parametrize(
    ("claim", "quote"),
    [
        ("The Comets were beaten by the Rangers.", "The Rangers beat the Comets 3-1."),
        ("The Rangers beat the Comets.", "The Comets were beaten 3-1 by the Rangers."),
        ("The patent was granted to the lab by the office.", "The office granted the patent to the lab."),
    ],
)
def test_active_passive_is_not_a_fault(claim: str, quote: str) -> None:
    assert compare(claim, quote) == []  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("claim", "quote"),
    [
        ("The Comets were beaten by the Rangers.", "The Comets beat the Rangers 3-1."),
        ("The lab was sued by the office.", "The lab sued the office."),
    ],
)
def test_passive_reversal_is_a_fault(claim: str, quote: str) -> None:
    assert [f.kind for f in compare(claim, quote)] == ["roles"]  # type: ignore[arg-type]


def test_double_negation_through_antonym_is_consistent() -> None:
    # "did not win" is what "lost" says; no polarity fault.
    assert compare("The Comets did not win the final.", "The Comets lost the final.") == []  # type: ignore[arg-type]


def test_claim_hedged_like_quote_is_fine() -> None:
    assert compare("The plant may close.", "The plant could close next year.") == []  # type: ignore[arg-type]


def test_claim_weaker_than_quote_is_fine() -> None:
    # The quote is certain; the claim hedges or says less: nothing asserted beyond the quote.
    assert compare("Some of the wells may be polluted.", "All of the wells are polluted.") == []  # type: ignore[arg-type]


def test_attributed_claim_is_not_faulted_for_reported_quote() -> None:
    claim = "The union said management had lied."
    quote = "The union claimed that management had lied."
    assert compare(claim, quote) == []  # type: ignore[arg-type]


def test_unattributed_claim_of_reported_quote_is_a_fault() -> None:
    kinds = {f.kind for f in compare("Management lied.", "The union claimed that management had lied.")}  # type: ignore[arg-type]
    assert kinds == {"modality"}


def test_denial_negates_the_content() -> None:
    kinds = {f.kind for f in compare("The mayor took the money.", "The mayor denied that he took the money.")}  # type: ignore[arg-type]
    assert "polarity" in kinds


def test_no_fault_when_nothing_matches() -> None:
    # Unrelated texts: the structural check has nothing to compare (coverage is another check's job).
    assert compare("The river froze.", "Tickets go on sale on Monday.") == []  # type: ignore[arg-type]


@pytest.mark.parametrize(("claim", "quote"), [
    ("Maria Lenz opened the new ferry terminal.", "Director Maria Lenz said the new ferry terminal opened in May."),
    ("The minister raised fuel prices.", "The minister said fuel prices rose in June."),
])
def test_a_speaker_restated_as_the_doer_is_a_roles_fault(claim: str, quote: str) -> None:
    faults = compare(claim, quote)
    assert [f.kind for f in faults] == ["roles"] and "not do it" in faults[0].reason, faults


@pytest.mark.parametrize(("claim", "quote"), [
    ("Police arrested the driver.", "Police said they arrested the driver."),  # the doer is named ("they")
    ("Police arrested the driver.", "Police said the driver was arrested."),  # a passive: the doer may be police
    ("The board dismissed the manager.", "The board announced that the manager was dismissed."),  # may be the doer
    ("The road was closed, the governor said.", "The governor said the road was closed."),  # said, as the quote
    ("The council closed the road.", "The council closed the road on Monday, the mayor said."),
])
def test_a_speaker_who_did_it_or_stays_a_speaker_is_no_fault(claim: str, quote: str) -> None:
    assert not [f for f in compare(claim, quote) if "not do it" in f.reason]
@pytest.mark.parametrize(("claim", "quote", "name", "other"), [
    ("The ferry to Tallinn was cancelled.", "The ferry to Riga was cancelled.", "Tallinn", "Riga"),
    ("Kenya won the relay in Oslo.", "Ethiopia won the relay in Oslo.", "Kenya", "Ethiopia"),
    ("The prize went to a Harvard professor, Lena Ortiz.", "The prize went to a Stanford professor, Lena Ortiz.",
     "Harvard", "Stanford"),
    ("The treaty was signed by Austria.", "The treaty was signed by Hungary.", "Austria", "Hungary"),
    # The same words around it, however the parse reads the two: "declared X a ... country".
    ("In 1974 the two governments declared Chile a hostile country.",
     "In 1974 the two governments declared Peru a hostile country to press it.", "Chile", "Peru"),
    ("In Chile the army closed the border.", "In Peru the army closed the border.", "Chile", "Peru"),
])
def test_a_name_swapped_for_another_in_the_same_place(claim: str, quote: str, name: str, other: str) -> None:
    assert swapped_name(claim, quote, name) == other


@pytest.mark.parametrize(("claim", "quote", "name"), [
    ("Fort Alder was rebuilt in 1790.", "The fort was rebuilt in 1790.", "Alder"),  # a common noun, not a name
    ("Norway's exports fell.", "Its exports fell.", "Norway"),  # a pronoun
    ("The ferry to Tallinn was cancelled.", "The ferry to Tallinn and Riga was cancelled.", "Tallinn"),
    # Different words around it: not the same place in the sentence.
    ("Voters in Ohio backed the plan.", "Critics in Texas backed the plan.", "Ohio"),  # one word alike before it
])
def test_no_swap_when_the_quote_names_nothing_else_there(claim: str, quote: str, name: str) -> None:
    assert swapped_name(claim, quote, name) is None


def test_an_order_the_one_sentence_quote_does_not_state() -> None:
    quote = "The bakery sold bread to the village, but it also supplied the school with cakes."
    faults = compare("The bakery first sold bread and only later supplied the school with cakes.", quote)
    assert [f.kind for f in faults] == ["time"]
    assert not [f for f in compare("The bakery sold bread and supplied the school with cakes.", quote)
                if f.kind == "time"]


def test_a_quote_of_several_sentences_may_order_by_telling() -> None:
    quote = "The bakery sold bread to the village. It supplied the school with cakes."
    assert not [f for f in compare("The bakery sold bread, and then it supplied the school with cakes.", quote)
                if f.kind == "time"]


@pytest.mark.parametrize(("claim", "quote"), [
    ("The mill closed in March.", "It is reported that the mill closed in March."),
    ("The mill closed in March.", "Until then, it’s been rumoured that the mill closed in March."),
    ("The mayor hid the accounts.", "It was alleged that the mayor hid the accounts from auditors."),
])
def test_hearsay_stated_as_fact(claim: str, quote: str) -> None:
    assert [f.kind for f in compare(claim, quote)] == ["modality"]  # named once, by one check


@pytest.mark.parametrize(("claim", "quote"), [
    ("The mill reportedly closed in March.", "It is reported that the mill closed in March."),
    ("Reports say the mill closed in March.", "It is reported that the mill closed in March."),
    ("The mill is said to have closed in March.", "It is reported that the mill closed in March."),
    ("According to reports, the mill closed in March.", "It is reported that the mill closed in March."),
    ("The mill is believed to have closed in March.", "It is reported that the mill closed in March."),
    # the hedge covers the next sentence's fraud, not the arrest the claim restates
    ("The clerk was arrested in Lyon on Monday.",
     "The clerk was arrested in Lyon on Monday. It is alleged that he took part in the fraud."),
])
def test_hearsay_kept_or_not_restated(claim: str, quote: str) -> None:
    assert not [f for f in compare(claim, quote) if f.kind == "modality"]


@pytest.mark.parametrize(("claim", "quote"), [
    ("The lighthouse is the oldest building in the port.", "The lighthouse is among the oldest buildings in the port."),
    ("The orchard had the largest harvest in the county.", "The orchard had the second largest harvest in the county."),
    ("Tilde has the highest cliffs in the bay.", "Tilde is one of the islands with the highest cliffs in the bay."),
])
def test_first_where_the_quote_ranks_one_of_several(claim: str, quote: str) -> None:
    assert "quantifier" in [f.kind for f in compare(claim, quote)]


def test_a_ranking_kept_as_one_of_several() -> None:
    quote = "The lighthouse is among the oldest buildings in the port."
    assert not compare("The lighthouse is one of the oldest buildings in the port.", quote)


def test_a_cause_whose_side_the_parser_lost_still_counts() -> None:
    quote = 'The inspector wrote, "This [$4 million] repair triggered a regional recall."'
    claim = "The $4 million repair triggered a regional recall."
    assert not [f for f in compare(claim, quote) if f.kind == "causal"]
    assert [f.kind for f in compare("The $4 million repair triggered a strike by the crews.", quote)
            if f.kind == "causal"] == ["causal"]


@pytest.mark.parametrize("claim, quote, moved", [
    ("The lab found lead in 50 samples.", "The lab tested 50 samples and found lead in 3 of them.", True),
    ("Police arrested 40 people.", "Police questioned 40 people and arrested 12 of them.", True),
    ("Police arrested 12 people and questioned 40 witnesses.", "Police questioned 40 witnesses and arrested 12 people.",
     False),
    ("Wreckage of Air France Flight 447 was found 650 km away.",
     "Searchers found wreckage 650 km away, confirmed as Air France Flight 447.", False),  # a number in a name
    ("The first convoy was destroyed on May 25.", "Militants tried again on May 29, after the convoy of May 25 "
     "was destroyed.", False),  # dates are not counts
])
def test_a_count_moved_to_another_event_of_the_quote_is_a_roles_fault(claim: str, quote: str, moved: bool) -> None:
    from kit.grounding.structure.figures import check_figure_events
    from kit.grounding.structure.parser import parse

    faults = check_figure_events(parse(claim), parse(quote))
    assert bool(faults) is moved and all(f.kind == "roles" for f in faults)


def test_a_present_tense_verb_the_parser_left_without_subject_is_no_order() -> None:
    """The small parser may lose a subject ("defenses ... are ..., meaning these systems respond"):
    an order takes the bare form ("say", "answer"), never "are" or "has"."""
    from kit.grounding.structure.instructions import check_instructions
    from kit.grounding.structure.parser import parse

    quote = "Innate immune defenses are non-specific, meaning these systems respond to pathogens in a generic way."
    claim = "Innate immune defenses are non-specific, meaning they respond to pathogens in a generic way."
    assert check_instructions(parse(claim), parse(quote)) == []
    assert check_instructions(parse("It closed because of flooding."), parse("When asked, say it closed because of "
                                                                            "flooding."))


# Faults Qwen2.5-Coder-Instruct models wrote on the SQuAD sample of bench/run_llm.py (2026-12-04,
# bench/results/llm_qwen_squad.json) that kit showed as supported. Open findings, so strict xfails:
# a fix shows up as an XPASS. Caught since: "ARPANET was created by ..." for "It was founded by ..."
# (the judge reads the passage: tests/test_support.py) and the Mazda claim below.
REAL_MISSES = [
    pytest.param(
        "The American car typically has four cylinder engines.",
        "The Dodge Omni / Plymouth Horizon from Chrysler, the Ford Fiesta and the Chevrolet Chevette all had "
        "four-cylinder engines and room for at least four passengers.",
        "quantifier", id="squad-typical-car",
        marks=pytest.mark.xfail(strict=True, reason="three named models generalised to 'the American car "
                                "typically': a generic claim from instances is not read")),
]


@pytest.mark.parametrize(("claim", "quote", "kind"), REAL_MISSES)
def test_faults_real_models_wrote_are_caught(claim: str, quote: str, kind: str) -> None:
    assert kind in {f.kind for f in compare(claim, quote)}


def test_a_doer_whose_object_the_quote_leaves_unsaid_is_the_same_participant() -> None:
    quote = "Alberto Contador won by 23 seconds over Cadel Evans of Australia."
    assert compare("Alberto Contador won the 2007 Tour by 23 seconds over Cadel Evans.", quote) == []
    assert {f.kind for f in compare("Cadel Evans won the 2007 Tour.", quote)} == {"roles"}


def test_a_subject_the_parser_hangs_on_a_fronted_time_phrase_is_still_the_subject() -> None:
    # The 1.5B model's "Mazda established its luxury divisions ..." (bench/results/llm_qwen_squad.json).
    quote = ("A decade after the 1973 oil crisis, Honda, Toyota and Nissan, affected by the 1981 voluntary export "
             "restraints, opened US assembly plants and established their luxury divisions (Acura, Lexus and "
             "Infiniti, respectively) to distinguish themselves from their mass-market brands.")
    assert "roles" in {f.kind for f in compare("Mazda established its luxury divisions (Acura, Lexus and Infiniti, "
                                               "respectively) to distinguish themselves from their mass-market "
                                               "brands.", quote)}
    assert compare("Toyota established its luxury division.", quote) == []  # one of the three did
    assert compare("Honda, Toyota and Nissan opened US assembly plants.", quote) == []


def test_one_of_a_coordinated_group_is_the_same_participant_and_an_outsider_is_not() -> None:
    quote = "Honda, Toyota and Nissan established their luxury divisions."
    assert compare("Nissan established its luxury division.", quote) == []
    assert compare("Toyota and Honda established luxury divisions.", quote) == []
    assert {f.kind for f in compare("Honda and Mazda established their luxury divisions.", quote)} == {"roles"}


def test_names_in_groups_are_told_apart_by_their_names_not_their_shared_titles() -> None:
    quote = ("The 2008 Olympic Torch has arrived in London today, with the delegation being met by Chinese "
             "ambassador Fu Ying and Minister for the Olympics Tessa Jowell at Heathrow Airport.")
    claim = "The torch was met at Heathrow by Olympics minister Tessa Jowell and Prime Minister Gordon Brown."
    assert "roles" in {f.kind for f in compare(claim, quote)}


def test_both_of_a_pair_said_of_what_the_quote_says_of_one() -> None:
    # The 1.5B model's answer on SQuAD, shown as supported before (bench/results/llm_qwen_squad.json).
    quote = ("Another major difference between X.25 and Frame Relay is that X.25 requires a handshake between the "
             "communicating parties before any user packets are transmitted.")
    claim = ("Both X.25 and Frame Relay both require a handshake between the communicating parties before any "
             "user packets are transmitted.")
    assert "roles" in {f.kind for f in compare(claim, quote)}


@pytest.mark.parametrize(("claim", "faulty"), [
    ("In the province alone, 80,000 people died.", True),
    ("The province alone may have lost as many as 80,000 people.", False),
    ("Up to 80,000 people died in the province.", False),
    ("An estimated 80,000 people died in the province.", False),
])
def test_a_figure_the_quote_says_only_may_be_so_is_not_a_count(claim: str, faulty: bool) -> None:
    quote = "Near the epicentre, the province alone may have as many as 80,000 deaths."
    assert ("modality" in [f.kind for f in compare(claim, quote)]) is faulty


def test_a_figure_given_to_a_noun_the_text_gives_another_figure_is_recombined() -> None:
    from kit.grounding.structure.figures import check_counts
    from kit.grounding.structure.parser import parse

    text = parse("The plan covers the years after 2030. The ministers hoped it would set a deadline of 2027 for the "
                 "first cuts.")
    [fault] = check_counts(parse("The ministers hoped to set 2030 as the deadline for the first cuts."), text)
    assert fault.kind == "roles" and "2027" in fault.reason and "deadline" in fault.reason
    assert check_counts(parse("The ministers hoped to set 2027 as the deadline."), text) == []
    assert check_counts(parse("The deadline is 2027."), text) == []
    # The figure's own sentence names the noun: given to it, however the parse reads it.
    donors = parse("Chile has promised 60.5 million USD. Peru gave 2 billion USD last year.")
    assert check_counts(parse("Chile promises to raise 60.5 million USD."), donors) == []
    # A figure in words is the same figure in digits.
    assert check_counts(parse("The blast killed 52 people."), parse("Fifty-two people were killed in the blast, "
                                                                    "and 700 people were hurt.")) == []


def test_a_refusal_does_not_negate_what_its_verb_is_about() -> None:
    from kit.grounding.structure.events import events
    from kit.grounding.structure.parser import parse

    found = {e.lemma: e.negated for e in events(parse("The union refused to bargain over getting the workers back."))}
    assert found["bargain"] and not found["get"]


def test_a_blank_line_ends_a_sentence() -> None:
    from kit.grounding.structure.parser import parse

    doc = parse("Monday, May 5, 2008\n\nThe storm killed two people on Friday.")
    assert [s.text.strip() for s in doc.sents] == ["Monday, May 5, 2008", "The storm killed two people on Friday."]


@pytest.mark.parametrize(("claim", "quote"), [
    ("Five men were acquitted of plotting bombings.", "Five men were found guilty Monday for their part in a plot."),
    ("The jury found the doctor innocent.", "The jury found the doctor guilty of manslaughter."),
    ("The man was declared dead at the scene.", "The man was found alive at the scene."),
    ("The court ruled the law unconstitutional.", "The court ruled the law constitutional."),
])
def test_the_opposite_of_a_verdict_is_a_polarity_fault(claim: str, quote: str) -> None:
    # "found guilty", "ruled constitutional": the state the verdict gives its object is what the
    # quote says of it, not the verb "found" or "ruled".
    assert "polarity" in [f.kind for f in compare(claim, quote)]  # type: ignore[arg-type]


@pytest.mark.parametrize(("claim", "quote"), [
    ("Five men were found guilty.", "A jury found five men guilty on Monday of plotting bombings."),
    ("The court found him guilty of fraud.", "He was found guilty of fraud by the court on Tuesday."),
    ("Doctors pronounced the victim dead.", "The victim was pronounced dead at the hospital by doctors."),
    ("The vaccine was proven safe in trials.", "Trials proved the vaccine safe and effective."),
    ("The election was declared invalid.", "The court declared the election invalid on Friday."),
])
def test_the_same_verdict_told_another_way_is_no_fault(claim: str, quote: str) -> None:
    assert compare(claim, quote) == []  # type: ignore[arg-type]


@pytest.mark.parametrize(("claim", "quote"), [
    ("British forces captured 15 Iranian sailors.", "Fifteen British sailors were captured by Iranian forces."),
    ("Britain captured 15 Iranian sailors.", "Fifteen British personnel were captured by Iranian authorities."),
    ("The British navy seized an Iranian boat.", "Iranian forces seized a British navy boat."),
    ("Ukrainian officials accused Russia of shelling the plant.",
     "Russian officials accused Ukraine of shelling the plant."),
])
def test_participants_of_other_nations_are_other_participants(claim: str, quote: str) -> None:
    # "British forces" and "Iranian forces" are both "forces": the nation tells who did it.
    assert [f.kind for f in compare(claim, quote)] == ["roles"]  # type: ignore[arg-type]


@pytest.mark.parametrize(("claim", "quote"), [
    ("Iranian forces seized the British sailors.", "Iran seized fifteen British sailors."),
    ("The Iranians released the British sailors.", "Iran released the fifteen British sailors on Thursday."),
    ("The UK demanded the release of its sailors.", "Britain demanded the release of the fifteen sailors."),
    ("Western officials criticised the seizure.", "American officials criticised the seizure."),
    ("Michael Jordan met Iranian officials.", "Michael Jordan met officials of Iran."),
])
def test_one_nation_told_another_way_is_no_fault(claim: str, quote: str) -> None:
    assert compare(claim, quote) == []  # type: ignore[arg-type]


_DESCRIBED = ("Current yellow jersey, Michael Rasmussen has been withdrawn from the Tour de France by his team "
              "Rabobank for lying about his whereabouts.")


@pytest.mark.parametrize(("claim", "kind"), [
    ("Rasmussen was withdrawn from the Tour by his team Rabobank.", None),
    ("Rabobank withdrew Rasmussen from the Tour de France.", None),
    ("Rasmussen was fired by his team Rabobank.", "polarity"),
    ("Rasmussen withdrew Rabobank from the Tour de France.", "roles"),
])
def test_a_subject_described_before_its_name_is_the_name(claim: str, kind: str | None) -> None:
    # The small model makes "Current yellow jersey" and "Michael Rasmussen" both subjects.
    assert [f.kind for f in compare(claim, _DESCRIBED)] == ([kind] if kind else [])  # type: ignore[arg-type]


@pytest.mark.parametrize(("claim", "quote", "kind"), [
    ("The bombers were all British citizens.", "Three of the four bombers were British citizens.", "quantifier"),
    ("The bombers all came from Leeds.", "Three of the bombers came from Leeds.", "quantifier"),
    ("The passengers all died in the crash.", "Most of the passengers died in the crash.", "quantifier"),
    ("The passengers all died in the crash.", "All 228 passengers died in the crash.", None),
    ("The sailors have all been released.", "The fifteen sailors have been released.", None),
])
def test_an_all_after_its_noun_counts_it(claim: str, quote: str, kind: str | None) -> None:
    assert [f.kind for f in compare(claim, quote)] == ([kind] if kind else [])  # type: ignore[arg-type]


@pytest.mark.parametrize(("claim", "quote", "kind"), [
    ("The sailors had been in Iraqi waters.", "Britain has maintained that the sailors were in Iraqi waters.",
     "modality"),
    ("The sailors had been in Iraqi waters.", "Britain insists the sailors had been in Iraqi waters.", "modality"),
    ("Graner was the ringleader of the abuse.", "The prosecution argued that Graner was the ringleader of the abuse.",
     "modality"),
    ("According to Britain, the sailors were in Iraqi waters.", "Britain claims the sailors had been in Iraqi waters.",
     None),
    ("The UK says the sailors had been in Iraqi waters.", "Britain insists the sailors had been in Iraqi waters.",
     None),
    ("The sailors had been in Iraqi waters.", "Britain said the sailors had been in Iraqi waters.", None),
    ("An official suggested the toll could pass 5,000.", "An official speculated that the toll could pass 5,000.",
     None),
])
def test_one_sides_position_stated_as_fact(claim: str, quote: str, kind: str | None) -> None:
    # A plain "said" may be dropped (summaries do); "maintains", "insists", "claims" give a position.
    assert [f.kind for f in compare(claim, quote)] == ([kind] if kind else [])  # type: ignore[arg-type]


_TWO_DAYS = ("The first convoy of terrorists was destroyed by the Russian Aerospace Forces on May 25. IS militants "
             "made another attempt to break through to the Palmyra area on the night of May 29 to 30.")


@pytest.mark.parametrize(("claim", "kind"), [
    ("The first convoy was destroyed on May 29.", "time"),
    ("The first convoy was destroyed on 29 May.", "time"),
    ("IS militants made another attempt on May 25.", "time"),
    ("The first convoy was destroyed on May 25.", None),
    ("The Russian Aerospace Forces destroyed the first convoy on 25 May.", None),
    ("IS militants made another attempt on May 30.", None),
    ("Before May 29, the forces had destroyed the first convoy.", None),
    ("After May 29, the forces destroyed the first convoy.", "time"),
    ("The Russian Aerospace Forces destroyed the first convoy of terrorists from Raqqa on May 29.", "time"),
    ("The Russian Aerospace Forces destroyed the first convoy of terrorists from Raqqa on May 25.", None),
])
def test_the_day_of_the_month_dates_an_event(claim: str, kind: str | None) -> None:
    assert [f.kind for f in compare(claim, _TWO_DAYS)] == ([kind] if kind else [])  # type: ignore[arg-type]


_PER = ("The Financial Times estimated that the militants reap a few $1.5 million a day from oil, based on the price "
        "of $45 a barrel.")


@pytest.mark.parametrize(("claim", "quote", "kind"), [
    ("The militants earn $45 a day from oil.", _PER, "roles"),
    ("Oil sold at $1.5 million a barrel.", _PER, "roles"),
    ("The plant produces 500 barrels a day.", "The plant produces 500 barrels a week.", "roles"),
    ("The price of oil was $45 a barrel.", _PER, None),
    ("The Financial Times estimated that the militants reap $1.5 million per day from oil.", _PER, None),
    ("Prices rose 3% per year.", "Prices rose by 3 percent each year.", None),
])
def test_what_a_figure_is_per(claim: str, quote: str, kind: str | None) -> None:
    assert [f.kind for f in compare(claim, quote)] == ([kind] if kind else [])  # type: ignore[arg-type]


@pytest.mark.parametrize(("claim", "quote", "kind"), [
    ("Tehran released the British sailors.", "Iran released the fifteen British sailors on Thursday.", None),
    ("Iran said the sailors were in its waters.", "Tehran said the British sailors had entered Iranian waters.", None),
    ("Washington welcomed the deal.", "The United States welcomed the deal on Friday.", None),
    ("Moscow condemned the seizure.", "Britain condemned the seizure.", "roles"),
    ("Chad Smith met Iranian officials.", "Chad Smith met officials of Iran.", None),
])
def test_a_capital_stands_for_its_government(claim: str, quote: str, kind: str | None) -> None:
    # "Tehran said" is how news writes "Iran said"; a nation inside a person's name is no nation.
    assert [f.kind for f in compare(claim, quote)] == ([kind] if kind else [])  # type: ignore[arg-type]
