"""Third set, written after all tuning and run once; structure.py was not changed after seeing it.

Closer to what a summariser writes: longer quotes, claims that compress two clauses, cue words
("after", "expected", "said", "all") present in faithful pairs too.
"""

from __future__ import annotations

FAITHFUL: list[tuple[str, str]] = [
    (
        "The striker, who joined from Ajax in January, scored the winning goal.",
        "Lindgren, signed from Ajax in January, scored the winner in the 88th minute.",
    ),
    (
        "After a poor start, the Hornets won their last five games.",
        "The Hornets, who lost four of their first six games, have won their last five.",
    ),
    ("The tennis final was delayed by rain.", "Rain delayed the start of the women's final by almost two hours."),
    (
        "The club's owner said the manager would stay.",
        "The manager will stay in his job, the club's owner told a local radio station.",
    ),
    (
        "Both teams were fined after the brawl.",
        "Following the brawl, both teams were fined by the league, which also suspended three players.",
    ),
    (
        "The cyclist was stripped of her title after a failed drug test.",
        "After failing a drug test, the cyclist was stripped of her national title by the federation.",
    ),
    (
        "The Giants traded their quarterback to Denver.",
        "Denver acquired the Giants' quarterback in a trade on Tuesday.",
    ),
    (
        "Analysts expect the merger to be approved.",
        "Most analysts expect regulators to approve the merger by the end of the year.",
    ),
    ("The company said sales would rise next year.", "Sales are expected to rise next year, the company said."),
    (
        "Larsen & Co. reported a loss for the quarter.",
        "Larsen & Co. posted a quarterly loss of $12 million, compared with a profit a year earlier.",
    ),
    (
        "The software maker will not pay a dividend this year.",
        "The software maker said it would not pay a dividend this year in order to fund acquisitions.",
    ),
    (
        "Shares of the bank fell after it disclosed a fraud.",
        "The bank's shares dropped 9 percent after it disclosed a fraud at its Singapore branch.",
    ),
    (
        "The supermarket chain raised wages for all its staff.",
        "The supermarket chain is raising pay for all of its 40,000 employees from April.",
    ),
    (
        "The startup was founded by two former engineers at the company.",
        "Two former engineers at the company founded the startup in 2019.",
    ),
    (
        "The central bank left rates unchanged, as expected.",
        "As expected, the central bank kept interest rates at 3 percent.",
    ),
    (
        "The patients who took the drug lost more weight.",
        "Patients taking the drug lost an average of 12 percent of their body weight, against 2 percent on placebo.",
    ),
    (
        "The telescope's mirror was damaged during the launch.",
        "Engineers believe the mirror was damaged during launch, but the telescope is still working.",
    ),
    (
        "The researchers could not reproduce the results.",
        "The results could not be reproduced by the researchers, who tried three times.",
    ),
    ("The fossil was found by a farmer.", "A farmer found the fossil while ploughing a field in 2021."),
    (
        "Warmer oceans are making hurricanes stronger, the study found.",
        "Warmer oceans have made hurricanes stronger, according to the study published on Monday.",
    ),
    (
        "The outbreak was caused by contaminated water.",
        "Contaminated water caused the outbreak, health officials said on Thursday.",
    ),
    (
        "The bill was passed despite opposition from farmers.",
        "Despite opposition from farmers, parliament passed the bill on Wednesday.",
    ),
    (
        "The minister will visit Kenya and Ghana next month.",
        "Next month the minister is due to visit Kenya and Ghana, her office said.",
    ),
    ("The president pardoned the journalist.", "The journalist was pardoned by the president on Monday."),
    (
        "The city council did not approve the budget.",
        "The city council failed to approve the budget for a second time.",
    ),
    (
        "Thousands of people protested against the law.",
        "Thousands of people took to the streets to protest against the law.",
    ),
    (
        "The opposition leader was arrested on Sunday.",
        "Police arrested the opposition leader at his home on Sunday, his lawyer said.",
    ),
    (
        "The ceasefire was broken within hours.",
        "Within hours, both sides accused each other of breaking the ceasefire, and fighting resumed.",
    ),
    (
        "Some schools remained closed after the storm.",
        "Several schools remained closed on Monday after the storm damaged their roofs.",
    ),
    (
        "The prime minister's party lost its majority.",
        "The prime minister's party lost its parliamentary majority in Sunday's election.",
    ),
    (
        "Most of the town's residents were evacuated.",
        "Most of the town's 8,000 residents were evacuated before the fire reached the outskirts.",
    ),
    ("Because of the strike, no trains ran on Tuesday.", "No trains ran on Tuesday because of the strike by drivers."),
    (
        "The museum will reopen in May after renovation.",
        "After two years of renovation, the museum will reopen in May.",
    ),
    (
        "The two companies ended their partnership.",
        "The two companies said on Friday they had ended their partnership.",
    ),
    ("Exports to China fell sharply.", "Exports to China dropped sharply in the third quarter."),
    ("Scientists do not know why the bees are dying.", "Scientists still do not know what is killing the bees."),
    ("The judge dismissed the case.", "The case was dismissed by the judge for lack of evidence."),
    (
        "Turnout was higher than in the last election.",
        "Turnout rose to 71 percent, up from 64 percent at the last election.",
    ),
    ("The mine was closed after the accident.", "After the accident, authorities closed the mine."),
    ("The actor denied the allegations.", "The actor has denied all the allegations against him."),
]

FAULTS: list[tuple[str, str, str]] = [
    (
        "Denver traded their quarterback to the Giants.",
        "Denver acquired the Giants' quarterback in a trade on Tuesday.",
        "roles",
    ),
    ("The farmer was found by the fossil hunters.", "A farmer found the fossil while ploughing a field.", "roles"),
    ("The journalist pardoned the president.", "The journalist was pardoned by the president on Monday.", "roles"),
    (
        "The lawyer arrested the opposition leader.",
        "Police arrested the opposition leader at his home on Sunday, his lawyer said.",
        "roles",
    ),
    (
        "The club's owner said the manager would leave.",
        "The manager will leave, the club's chairman told a local radio station.",
        "attribution",
    ),
    (
        "Health officials said the outbreak was caused by contaminated water.",
        "Contaminated water caused the outbreak, a hospital doctor said.",
        "attribution",
    ),
    (
        "The software maker will pay a dividend this year.",
        "The software maker said it would not pay a dividend this year.",
        "polarity",
    ),
    (
        "The researchers reproduced the results.",
        "The results could not be reproduced by the researchers, who tried three times.",
        "polarity",
    ),
    (
        "Turnout fell compared with the last election.",
        "Turnout rose to 71 percent, up from 64 percent at the last election.",
        "polarity",
    ),
    (
        "The city council approved the budget.",
        "The city council failed to approve the budget for a second time.",
        "polarity",
    ),
    ("The judge upheld the case.", "The case was dismissed by the judge for lack of evidence.", "polarity"),
    (
        "The prime minister's party won a majority.",
        "The prime minister's party lost its parliamentary majority in Sunday's election.",
        "polarity",
    ),
    ("Regulators approved the merger.", "Most analysts expect regulators to approve the merger.", "modality"),
    ("Sales rose last year.", "Sales are expected to rise next year, the company said.", "modality"),
    (
        "The telescope's mirror was damaged during the launch.",
        "Engineers are investigating whether the mirror was damaged during launch.",
        "modality",
    ),
    ("The minister visited Kenya and Ghana.", "Next month the minister is due to visit Kenya and Ghana.", "modality"),
    (
        "The two companies ended their partnership.",
        "The two companies are discussing an end to their partnership.",
        "modality",
    ),
    ("The striker has signed for Ajax.", "Ajax are understood to be close to signing the striker.", "modality"),
    (
        "All the schools remained closed after the storm.",
        "Several schools remained closed on Monday after the storm.",
        "quantifier",
    ),
    ("All of the town's residents were evacuated.", "Most of the town's 8,000 residents were evacuated.", "quantifier"),
    (
        "The supermarket chain raised wages for most of its staff.",
        "The supermarket chain is raising pay for some of its employees.",
        "quantifier",
    ),
    ("The storm damaged the roofs of every school.", "The storm damaged the roofs of several schools.", "quantifier"),
    (
        "Shares of the bank fell because it disclosed a fraud.",
        "The bank's shares dropped 9 percent on the day it disclosed a fraud.",
        "causal",
    ),
    ("The drought caused the wildfires.", "The wildfires broke out during a long drought.", "causal"),
    ("Warmer oceans are the result of stronger hurricanes.", "Warmer oceans have made hurricanes stronger.", "causal"),
    ("The mine was closed before the accident.", "After the accident, authorities closed the mine.", "time"),
    (
        "The cyclist failed a drug test after she was stripped of her title.",
        "After failing a drug test, the cyclist was stripped of her title.",
        "time",
    ),
    (
        "The opposition leader was arrested on Saturday.",
        "Police arrested the opposition leader at his home on Sunday.",
        "time",
    ),
    ("The museum will reopen in March.", "After two years of renovation, the museum will reopen in May.", "time"),
    ("The fossil was found in 2019.", "A farmer found the fossil in 2021 while ploughing a field.", "time"),
]
