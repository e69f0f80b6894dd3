"""Held-out cases, written after structure.py was tuned on cases_dev.py and not tuned on since.

Same format as cases_dev. Deliberately wider: longer quotes, two-sentence quotes, pronouns,
wording outside the hand lists.
"""

from __future__ import annotations

FAITHFUL: list[tuple[str, str]] = [
    # sports
    (
        "Dortmund were knocked out of the cup by a second-division side.",
        "A second-division side knocked Dortmund out of the cup on Wednesday night.",
    ),
    (
        "The Falcons hired Dana Whitfield as head coach.",
        "Dana Whitfield was appointed head coach of the Falcons, the club announced on Monday.",
    ),
    (
        "Chen Lu retained her world title.",
        "China's Chen Lu successfully defended her world title in Doha with a score of 287.4.",
    ),
    (
        "The umpire's decision was overturned on review.",
        "On review, the umpire's decision was overturned and the batter was given not out.",
    ),
    (
        "The club said its captain would miss the next two games.",
        "Our captain will miss the next two games with a hamstring strain, the club said in a statement.",
    ),
    ("The race was won by Pieter Jansen.", "Pieter Jansen won the race after a late attack on the final climb."),
    (
        "The federation banned the sprinter for four years.",
        "The sprinter was banned for four years by the federation after testing positive for a steroid.",
    ),
    (
        "Attendance at the league's matches fell last season.",
        "Average attendance at league matches dropped by 6 percent last season, according to figures from the league.",
    ),
    ("Okonkwo did not play in the final.", "Okonkwo missed the final because of a knee injury."),
    ("The home crowd booed the referee.", "The referee was booed by the home crowd at half-time."),
    (
        "The stadium will be renovated before the 2028 season.",
        "The club plans to renovate the stadium before the 2028 season, and the work will cost $200 million.",
    ),
    ("The marathon was cancelled because of the heat.", "Organisers cancelled the marathon due to extreme heat."),
    ("Italy beat France in Rome.", "France were beaten 24-17 by Italy in Rome on Saturday."),
    ("Two players were sent off.", "The referee sent off two players in a bad-tempered second half."),
    ("The coach was not sacked.", "The board decided not to sack the coach despite the defeat."),
    # business
    (
        "Kestrel Air cut its profit forecast.",
        "Kestrel Air lowered its full-year profit forecast on Thursday, blaming higher fuel costs.",
    ),
    (
        "The bank was fined for failing to stop money laundering.",
        "Regulators fined the bank $40 million for failing to prevent money laundering.",
    ),
    (
        "The chief executive sold shares worth $5 million.",
        "Shares worth $5 million were sold by the chief executive in March, a filing shows.",
    ),
    (
        "Miro Foods agreed to buy a rival snack maker.",
        "Miro Foods has agreed to acquire a rival snack maker for an undisclosed sum.",
    ),
    ("The union accepted the pay offer.", "Union members voted to accept the pay offer, ending a month-long dispute."),
    (
        "The company's debt rose sharply.",
        "The company's debt increased sharply over the year, its annual report showed.",
    ),
    ("The factory will close next year.", "The factory is scheduled to close next year, the company said."),
    ("Investors welcomed the results.", "The results were welcomed by investors, who pushed the shares up 4 percent."),
    ("Profits fell for a third year.", "It was the third consecutive year in which profits declined."),
    ("The retailer opened 40 new stores.", "Forty new stores were opened by the retailer during the year."),
    ("The merger was blocked by regulators.", "Regulators blocked the merger, citing concerns about competition."),
    (
        "Demand for electric cars grew in Europe.",
        "In Europe, demand for electric cars continued to grow, while sales of diesel models fell.",
    ),
    (
        "The airline expects to return to profit next year.",
        "The airline said it expected to return to profit next year.",
    ),
    (
        "Oil prices rose after the pipeline was damaged.",
        "Oil prices climbed on Tuesday after a pipeline was damaged in a storm.",
    ),
    (
        "The regulator said the bank had broken the rules.",
        "The bank broke the rules on customer data, the regulator said.",
    ),
    # science
    (
        "The probe photographed the moon's south pole.",
        "Images of the moon's south pole were taken by the probe during its third orbit.",
    ),
    (
        "Researchers identified a new species of frog.",
        "A new species of frog has been identified by researchers in the Andes.",
    ),
    (
        "The study did not find a link between screen time and depression.",
        "The study found no link between screen time and depression in teenagers.",
    ),
    (
        "According to the researchers, the coral reef is recovering.",
        "The coral reef is slowly recovering, the researchers wrote in the journal.",
    ),
    ("The experiment was repeated by a second team.", "A second team repeated the experiment and got the same result."),
    (
        "The vaccine protected most of the monkeys.",
        "The vaccine protected most of the monkeys that were exposed to the virus.",
    ),
    ("Sea levels rose faster than predicted.", "Sea levels have risen faster than scientists had predicted."),
    ("The drug may slow memory loss.", "The drug could slow memory loss in some patients, the authors said."),
    (
        "Scientists warned that the glacier could collapse.",
        "The glacier could collapse within decades, scientists warned on Monday.",
    ),
    (
        "The satellite burned up in the atmosphere.",
        "The ageing satellite re-entered the atmosphere over the Pacific and burned up, the agency said.",
    ),
    (
        "Mice given the compound lived longer.",
        "Mice that were given the compound lived about 20 percent longer than untreated mice.",
    ),
    (
        "The team sequenced the genome of the virus.",
        "The virus's genome was sequenced by the team within a week. They shared the data online.",
    ),
    # politics
    ("The senate rejected the nominee.", "The nominee was rejected by the senate in a 52-48 vote."),
    ("The governor signed the bill on Friday.", "On Friday, the governor signed the bill into law."),
    ("Protesters blocked the main road.", "The main road was blocked by hundreds of protesters for several hours."),
    (
        "The prime minister apologised for the delays.",
        "The prime minister apologised on Tuesday for delays in the payment of benefits.",
    ),
    (
        "The minister was not told about the leak.",
        "Officials did not tell the minister about the leak, an inquiry found.",
    ),
    (
        "The election was postponed because of the floods.",
        "Because of the floods, the election has been postponed until June.",
    ),
    (
        "The mayor said the city would hire more teachers.",
        "We will hire more teachers, the mayor said at a press conference.",
    ),
    ("The court acquitted the former minister.", "The former minister was acquitted by the court of all charges."),
    ("The talks ended without an agreement.", "The talks ended on Thursday without an agreement on the border."),
    ("The opposition boycotted the vote.", "Opposition lawmakers boycotted the vote, calling it illegitimate."),
    ("The embassy was closed after the attack.", "The embassy closed its doors following the attack on Sunday."),
    ("Voters rejected the proposal.", "The proposal was rejected by 58 percent of voters."),
    ("The army withdrew from the town.", "Troops pulled out of the town overnight, the defence ministry said."),
    # compression, mixed
    (
        "The new bridge opened to traffic.",
        "After six years of construction and two delays, the new bridge finally opened to traffic on Monday morning.",
    ),
    (
        "The council raised parking fees.",
        "The council, facing a budget gap, voted to raise parking fees. The increase takes effect in April.",
    ),
    (
        "The museum returned the statues to Greece.",
        "The statues, which had been held in the museum since 1890, were returned to Greece on Friday.",
    ),
    (
        "The storm left 30,000 homes without power.",
        "About 30,000 homes were without power after the storm, the utility said.",
    ),
    (
        "The hospital treated 12 people for smoke inhalation.",
        "Twelve people were treated for smoke inhalation at the hospital, according to a spokeswoman.",
    ),
]

FAULTS: list[tuple[str, str, str]] = [
    # roles
    (
        "The second-division side was knocked out of the cup by Dortmund.",
        "A second-division side knocked Dortmund out of the cup on Wednesday night.",
        "roles",
    ),
    ("France beat Italy in Rome.", "France were beaten 24-17 by Italy in Rome on Saturday.", "roles"),
    ("The federation was sued by the sprinter.", "The federation sued the sprinter over unpaid fines.", "roles"),
    ("Regulators were fined by the bank.", "Regulators fined the bank $40 million.", "roles"),
    (
        "The rival snack maker agreed to buy Miro Foods.",
        "Miro Foods has agreed to acquire a rival snack maker.",
        "roles",
    ),
    (
        "The researchers were infected by the virus samples.",
        "The virus samples were infected by the researchers.",
        "roles",
    ),
    ("The minister criticised the inquiry.", "The inquiry criticised the minister for ignoring warnings.", "roles"),
    ("The senate was rejected by the nominee.", "The nominee was rejected by the senate in a 52-48 vote.", "roles"),
    ("The predator fish eat the algae-eating snails.", "The snails eat the predator fish's eggs.", "roles"),
    ("Germany supplied the rebels with weapons.", "The rebels supplied Germany with intelligence.", "roles"),
    # attribution
    (
        "The club said its captain would miss the next two games.",
        "The captain will miss the next two games, his agent said.",
        "attribution",
    ),
    (
        "According to the utility, 30,000 homes lost power.",
        "About 30,000 homes lost power, the fire service said.",
        "attribution",
    ),
    (
        "The defence ministry said troops had pulled out of the town.",
        "Troops pulled out of the town overnight, local residents said.",
        "attribution",
    ),
    (
        "According to the journal's editors, the study was flawed.",
        "The study was flawed, according to two independent statisticians.",
        "attribution",
    ),
    (
        "The World Bank said growth would slow.",
        "Growth will slow, the International Monetary Fund said.",
        "attribution",
    ),
    ("According to the coach, the striker is fit.", "The striker is fit to play on Sunday.", "attribution"),
    # polarity
    (
        "The study found a link between screen time and depression.",
        "The study found no link between screen time and depression in teenagers.",
        "polarity",
    ),
    ("The board decided to sack the coach.", "The board decided not to sack the coach despite the defeat.", "polarity"),
    (
        "Kestrel Air raised its profit forecast.",
        "Kestrel Air lowered its full-year profit forecast on Thursday.",
        "polarity",
    ),
    ("The union rejected the pay offer.", "Union members voted to accept the pay offer.", "polarity"),
    ("The coral reef is dying.", "The coral reef is slowly recovering, the researchers wrote.", "polarity"),
    (
        "The former minister was convicted.",
        "The former minister was acquitted by the court of all charges.",
        "polarity",
    ),
    (
        "Oil prices fell after the pipeline was damaged.",
        "Oil prices climbed on Tuesday after a pipeline was damaged in a storm.",
        "polarity",
    ),
    ("The senate approved the nominee.", "The nominee was rejected by the senate in a 52-48 vote.", "polarity"),
    ("The experiment succeeded.", "The experiment failed to produce the expected result.", "polarity"),
    (
        "The embassy reopened after the attack.",
        "The embassy closed its doors following the attack on Sunday.",
        "polarity",
    ),
    ("Okonkwo played in the final.", "Okonkwo did not play in the final because of a knee injury.", "polarity"),
    ("The minister was told about the leak.", "Officials never told the minister about the leak.", "polarity"),
    ("Investors criticised the results.", "The results were welcomed by investors.", "polarity"),
    ("The drug is safe for children.", "The drug is unsafe for children, the regulator warned.", "polarity"),
    # modality
    ("The club renovated the stadium.", "The club plans to renovate the stadium before the 2028 season.", "modality"),
    ("Miro Foods bought a rival snack maker.", "Miro Foods is considering a bid for a rival snack maker.", "modality"),
    ("The drug slows memory loss.", "The drug could slow memory loss in some patients, the authors said.", "modality"),
    ("The glacier collapsed.", "The glacier could collapse within decades, scientists warned on Monday.", "modality"),
    ("The factory closed last year.", "The factory is scheduled to close next year.", "modality"),
    ("The two leaders signed a peace treaty.", "The two leaders held talks on a possible peace treaty.", "modality"),
    ("The police chief took bribes.", "The police chief is alleged to have taken bribes.", "modality"),
    ("The government will raise taxes.", "The government might raise taxes if growth slows.", "modality"),
    (
        "The company moved its headquarters to Dublin.",
        "The company is reportedly moving its headquarters to Dublin.",
        "modality",
    ),
    ("The senator voted for the bill.", "The senator intends to vote for the bill.", "modality"),
    (
        "The study showed that the diet prevents diabetes.",
        "The study suggests that the diet may help prevent diabetes.",
        "modality",
    ),
    (
        "The spy was poisoned by agents of a foreign state.",
        "Investigators suspect the spy was poisoned by agents of a foreign state.",
        "modality",
    ),
    # quantifier
    ("All the monkeys were protected by the vaccine.", "The vaccine protected some of the monkeys.", "quantifier"),
    ("The entire crop was lost.", "Part of the crop was lost to the frost.", "quantifier"),
    ("Every patient improved.", "Several patients improved after the second dose.", "quantifier"),
    ("The storm cut power to the whole city.", "The storm cut power to parts of the city.", "quantifier"),
    ("Most voters rejected the proposal.", "Some voters rejected the proposal.", "quantifier"),
    ("The roof was completely destroyed.", "The roof was damaged in the fire.", "quantifier"),
    ("The bridge was destroyed.", "The bridge was partially destroyed by the flood.", "quantifier"),
    # causal
    (
        "The marathon was cancelled because of a bomb threat.",
        "The marathon was cancelled on Sunday. Police had received a bomb threat on Friday.",
        "causal",
    ),
    ("The drug caused the patients' deaths.", "Three patients died while taking the drug.", "causal"),
    (
        "Oil prices rose because the pipeline was damaged.",
        "Oil prices climbed on Tuesday after a pipeline was damaged in a storm.",
        "causal",
    ),
    (
        "The falling birth rate led to school closures.",
        "Schools have closed across the region as the birth rate has fallen.",
        "causal",
    ),
    ("The company lost customers, so it cut prices.", "The company cut prices and lost customers.", "causal"),
    ("The protests forced the minister to resign.", "The minister resigned during a week of protests.", "causal"),
    # time
    (
        "The minister resigned before the report was published.",
        "The minister resigned after the report was published.",
        "time",
    ),
    (
        "The statues were returned to Greece in 1890.",
        "The statues, which had been held in the museum since 1890, were returned to Greece on Friday.",
        "time",
    ),
    ("The bridge opened on Monday.", "The new bridge finally opened to traffic on Tuesday morning.", "time"),
    ("The vote took place after the debate ended.", "The vote took place before the debate ended.", "time"),
    ("The election was postponed until March.", "The election has been postponed until June.", "time"),
    ("Prices rose before the tax was introduced.", "Prices rose following the introduction of the tax.", "time"),
]
