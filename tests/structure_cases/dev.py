"""Development cases, written before structure.py existed (invented sentences, four topics).

FAITHFUL: (claim, quote) pairs where the claim says nothing the quote does not state.
FAULTS: (claim, quote, kind) pairs where the claim asserts something the quote does not state.
The prototype was tuned while looking at these; cases_heldout.py was written afterwards.
"""

from __future__ import annotations

FAITHFUL: list[tuple[str, str]] = [
    # both outcomes in the quote, one after the other; the one seen from its other end
    ("The fishermen seized by the navy were freed on Friday.",
     "The navy detained the fishermen in March and released them on Friday."),
    ("The crew were freed after nine days.", "The crew landed in Lisbon on Friday, following their release after nine days."),
    ("The dairy sold its cheese unit to Arla.", "Arla bought the dairy's cheese unit."),
    # another verb with a sense of the quote's ("rebuked" is a way to criticise), or a verb made of
    # a linking one and its state ("found guilty")
    ("The judge rebuked the two lawyers.", "The judge criticised the two lawyers."),
    ("The bells of the abbey rang at noon.", "The bells of the abbey tolled at noon."),
    ("The singer was convicted of tax fraud.", "The singer was found guilty of tax fraud."),
    ("The ministry circulated the report.", "The ministry distributed the report."),
    # "due to" before a verb is a schedule, not a cause; what is sought or demanded is not said done
    ("The Oslo talks are due to end on Friday, with delegates seeking a 10% cut in quotas.",
     "The Oslo talks are due to end on Friday. Delegates want a target of a 10% cut in quotas."),
    ("The union is seeking a 5% pay rise.", "The union wants to set a target of a 5% pay rise."),
    # of two speakers, the one whose words the claim gives; "U.N." is "UN"; an estimate has a speaker too
    ("A UN official said the crossing might reopen by May.",
     "A harbour spokesman speculated that repairs could take a year, and a U.N. official said the crossing "
     "might reopen by May."),
    ("Five million people lack clean water, the WHO says.",
     "The toll passed 9,000, according to local reports. The World Health Organization (WHO) estimates that "
     "five million people lack clean water."),
    # one country, named another way; a "when" clause shares the date of the clause it hangs on
    ("The trawler was boarded by coastguards on Tuesday while fishing in what Britain says were British waters.",
     "On Tuesday, the trawler had been fishing, in what the UK called British waters, when it was boarded by "
     "coastguards."),
    # pressing for a deed in other words, or obliging in the quote too
    ("The council asked residents to save water.", "The council encouraged residents to save water."),
    ("The rules require shops to close at ten.", "Under the rules, shops are required to close at ten."),
    # "most" of another verb says no less than all of this one
    ("All the passengers were rescued.", "The passengers were rescued by the coastguard, and most were taken to hospital."),
    # a day told relative to another, the same way in other words
    ("The talks resumed the following week.", "The talks resumed the next week."),
    ("The ferry crew were flown home that night.", "That night the ferry crew were flown home."),
    # "were able to" in the past says it was done
    ("Engineers traced the fault.", "Engineers were able to trace the fault after testing every cable."),
    # an appositive is a fact "X is Y", matched either way round
    ("The captain, Smith, scored twice.", "Smith, the captain, scored twice."),
    ("Smith, the team captain, scored twice.", "Team captain Smith scored twice in the final."),
    # the planning of a thing is no plan; "went on" is no "going to"
    ("Although it was planned to last two days, the festival went on for a week.",
     "The festival, planned to last two days, was a success, however it went on for a week."),
    ("The festival was a success.", "The festival was a success, however it went on for a week."),
    ("Sales peaked in the second half of the decade.", "Sales peaked in the latter half of the decade."),
    ("The storm flooded schools and the library.",
     "The storm flooded several buildings of the town, like schools and the library."),
    ("The talks produced a withdrawal from parts of the valley.",
     "The talks produced a troop withdrawal from parts of the valley."),
    # sports
    ("Valencia were beaten by Sevilla on Sunday.", "Sevilla beat Valencia 2-1 on Sunday."),
    ("Sevilla defeated Valencia.", "Sevilla beat Valencia 2-1 on Sunday."),
    ("Valencia were beaten on Sunday.", "Sevilla beat Valencia 2-1 on Sunday."),
    ("Tariffs were imposed on Norway.", "Iceland imposed tariffs on Norway in March."),
    ("The blackout was blamed on the grid operator.",
     "The port authority blamed the grid operator for the blackout."),
    ("The tribunal struck down the fishing ban.", "The fishing ban was struck down by the tribunal on Friday."),
    # a reported fact may drop its source; a view keeps its holder
    ("The flooding closed four streets.", "The mayor said the flooding closed four streets."),
    ("A few of the ferry crews joined the strike.", "Most of the ferry crews joined the strike."),
    ("Only some of the stalls reopened.", "Some of the stalls reopened on Friday."),
    ("The mayor says a new harbour wall is needed.", "Mayor Ines Varga says a new harbour wall is needed."),
    ("The council voted for the harbour levy.", "The harbour levy passed after the council voted for it."),
    ("The council voted against the harbour levy in 2010.",
     "In 2010 the council voted for the first time against the harbour levy."),  # a vote for a time is no stance
    (
        "The Wildcats signed the veteran goalkeeper Tomas Brandt.",
        "Veteran goalkeeper Tomas Brandt was signed by the Wildcats on a two-year deal.",
    ),
    ("Brandt joined the Wildcats on a two-year deal.", "The Wildcats signed Brandt on a two-year deal."),
    (
        "According to coach Elena Marsh, the injury is not serious.",
        "The injury is not serious, coach Elena Marsh told reporters after training.",
    ),
    (
        "Okafor scored twice as Lagos United won the cup final.",
        "Lagos United won the cup final 3-1, with Okafor scoring twice.",
    ),
    ("Ruiz was sent off in the 70th minute.", "The referee sent off Ruiz in the 70th minute for a second yellow card."),
    ("The league fined the club 50,000 euros.", "The club was fined 50,000 euros by the league for crowd trouble."),
    ("Halvorsen did not finish the race.", "Halvorsen failed to finish the race after a crash on the final lap."),
    ("The final was postponed because of heavy rain.", "Heavy rain forced organisers to postpone the final."),
    ("The team lost its last three matches.", "The team has lost each of its last three matches."),
    (
        "Brazil's women reached the semi-finals after beating Japan.",
        "Brazil's women beat Japan 2-0 to reach the semi-finals.",
    ),
    # business
    ("Norvik Shipping was acquired by Halden Group.", "Halden Group has bought Norvik Shipping for $1.2 billion."),
    ("Halden bought Norvik.", "Halden Group completed its acquisition of Norvik Shipping on Monday."),
    (
        "The bank raised its interest rate to 4.5%.",
        "The central bank increased its key interest rate to 4.5 percent on Thursday.",
    ),
    (
        "Sales at the retailer fell 8% in the second quarter.",
        "The retailer said second-quarter sales dropped 8 percent.",
    ),
    (
        "The carmaker will cut 2,000 jobs, the company said.",
        "The carmaker said it would cut 2,000 jobs by the end of next year.",
    ),
    ("Profits at Ardent Foods doubled last year.", "Ardent Foods reported that its profit doubled in 2023."),
    ("Shareholders rejected the pay plan.", "The pay plan was rejected by shareholders at the annual meeting."),
    ("The startup laid off a fifth of its staff.", "About 20 percent of the startup's employees were laid off."),
    (
        "Regulators approved the merger between the two airlines.",
        "The merger of the two airlines was approved by competition regulators.",
    ),
    (
        "Analysts expect the company to return to profit next year.",
        "The company is expected by analysts to return to profit in 2025.",
    ),
    (
        "Orrin Tech's shares rose 12% after it reported strong earnings.",
        "Shares in Orrin Tech jumped 12 percent on Wednesday after the company posted better-than-expected earnings.",
    ),
    # science
    ("The vaccine was tested on 300 volunteers.", "Researchers tested the vaccine on 300 volunteers."),
    (
        "The study found that the drug reduced symptoms.",
        "According to the study, the drug reduced symptoms in most patients.",
    ),
    (
        "The telescope detected water vapour in the planet's atmosphere.",
        "Water vapour was detected in the planet's atmosphere by the telescope.",
    ),
    (
        "Scientists say the glacier is shrinking.",
        "The glacier is shrinking, according to scientists at the polar institute.",
    ),
    ("The trial showed the treatment was safe.", "The treatment proved safe in the trial, the researchers reported."),
    (
        "Bees exposed to the pesticide foraged less.",
        "The researchers found that bees that had been exposed to the pesticide foraged less than others.",
    ),
    (
        "The comet will pass closest to Earth in March.",
        "The comet is due to make its closest approach to Earth in March.",
    ),
    ("Engineers did not find any defects in the wing.", "No defects were found in the wing, engineers said."),
    ("The mission was a success.", "The mission succeeded, NASA said."),
    # politics
    ("The senator was accused of corruption by a former aide.", "A former aide accused the senator of corruption."),
    ("The parliament passed the budget.", "The budget was approved by parliament on Tuesday."),
    ("The president vetoed the bill.", "The bill was vetoed by the president late on Friday."),
    ("The minister resigned after the scandal.", "The minister stepped down following the scandal over party funding."),
    ("Police arrested two protesters.", "Two protesters were detained by police outside the parliament."),
    ("The opposition said the election was rigged.", "The opposition claimed that the election had been rigged."),
    (
        "Voters in the region backed independence.",
        "A majority of voters in the region backed independence in Sunday's referendum.",
    ),
    (
        "The court ruled that the law was unconstitutional.",
        "The law is unconstitutional, the supreme court ruled on Wednesday.",
    ),
    ("The two countries signed a trade agreement.", "A trade agreement was signed by the two countries in Geneva."),
    (
        "Talks between the union and management broke down.",
        "Negotiations between management and the union collapsed on Monday night.",
    ),
    ("The mayor blamed the flooding on poor drainage.", "Poor drainage caused the flooding, the mayor said."),
    (
        "The governor was criticised by environmental groups for approving the pipeline.",
        "Environmental groups criticised the governor for approving the pipeline.",
    ),
    # compression and mixed
    (
        "Marta Silva won the marathon.",
        "Kenyan runner Marta Silva won the Berlin marathon on Sunday, finishing in 2:19:40, ahead of two Ethiopian rivals.",
    ),
    (
        "The firm closed its plant in Lyon.",
        "Citing weak demand, the firm closed its plant near Lyon last month, and moved production to Poland.",
    ),
    (
        "The storm destroyed dozens of homes.",
        "Dozens of homes were destroyed when the storm hit the coast overnight, officials said.",
    ),
    (
        "The drug lowered blood pressure in the trial.",
        "In the trial, the drug significantly lowered patients' blood pressure compared with a placebo.",
    ),
    (
        "The prime minister met the French president in Paris.",
        "The prime minister, who arrived in Paris on Tuesday, met the French president for two hours.",
    ),
    (
        "The board fired the chief executive.",
        "The chief executive was dismissed by the board after an internal inquiry, the company said.",
    ),
    ("Exports rose while imports fell.", "Exports increased by 4% in May, while imports declined by 2%."),
    ("The fire was caused by an electrical fault.", "Investigators said an electrical fault caused the fire."),
    ("The drought led to higher food prices.", "Food prices rose as a result of the drought."),
    ("Rebels captured the town of Kessa.", "The town of Kessa fell to rebel fighters on Saturday."),
    ("The company's revenue increased even though its profit fell.", "Revenue grew, but profit declined."),
    ("Every member of the panel voted against the proposal.", "All members of the panel voted against the proposal."),
    ("Most of the stolen paintings have been recovered.", "Police have recovered most of the stolen paintings."),
    ("The central bank kept interest rates unchanged.", "The central bank left interest rates on hold on Thursday."),
    ("The company denied that it had misled investors.", "The company rejected claims that it had misled investors."),
    ("The team's coach praised the fans.", "The fans were praised by the team's coach."),
    # a forecast kept as one, or another clause's (hearsay.py)
    ("The festival will probably be in Leeds.", "The festival is likely to be in Leeds."),
    ("The festival was in Leeds.", "The festival was in Leeds, and the next one is likely to be in York."),
    # a name kept where the quote hangs it (attachments.py)
    ("The vaccine was approved in Canada.", "The vaccine was approved in Canada but rejected in Brazil."),
    ("The Danube flows past Ulm.", "The river that flows past Ulm is the Danube, while the Rhine flows past Basel."),
    ("Ben is a teacher from Bergen.", "Anna is a doctor from Oslo and Ben is a teacher from Bergen."),
    ("Lake Vostok is smaller than Lake Baikal.", "Lake Vostok is larger than Lake Ontario but smaller than Lake Baikal."),
    # "only" where the quote gives one thing, "rather than" as the quote has it, "not only"
    ("The fund was set up only to repair the bridge.", "The fund was set up to repair the bridge."),
    ("The board chose rail rather than road.", "The board chose rail rather than road for the freight."),
    ("Not only the pilots went on strike.", "The pilots and the cabin crew went on strike."),
    # "due to" before a verb schedules, it does not cause; a date told of by "which is when"
    ("The lease is due to expire in 2030.", "The lease expires in 2030, the council said."),
    ("The first lease is due to end in 2030.",
     "The council is expected to draw up a plan for after 2030, which is when the first lease is going to end."),
    # a participle on a noun of intent is a deed, not a goal ("a target utilizing drones")
    ("He said a raid using several drones on a depot in Homs killed over sixty fighters.",
     "He added that a raid on a target in Homs utilizing multiple drones had killed more than 60 fighters."),
    # a figure with the day the quote gives it, beside another day's figure (figures.py)
    ("Warplanes flew 126 sorties on Wednesday.",
     "Overall, warplanes flew 126 sorties Wednesday, and on Thursday, more than 100 sorties are to be flown."),
    # a bound the quote's own figure for that event meets, though the quote also has the bare figure
    ("Warplanes flew more than 100 combat sorties on Wednesday.",
     "Overall, warplanes flew 126 combat sorties Wednesday, and on Thursday, more than 100 sorties are to be flown."),
    ("The mill employed 900 workers in 2004.", "In 2003 the mill employed 1,200 workers, and in 2004 it employed 900."),
    # "after the summit" when the quote has the summit done
    ("The bank cut rates after the summit in Rome.", "After last week's summit in Rome, the bank cut rates."),
    # what the quote says with certainty, beside an elided hedge
    ("Imports will keep rising this winter.", "Imports will keep rising this winter, as might exports."),
    # a people for its country, speaking or acting (words.py, attribution.py)
    ("The Iranians stated that the crew were in good health.", "Iran stated on Tuesday that the crew are in good health."),
    ("The Iranians seized the tanker.", "Iran seized the tanker."),
    # in other words, as done, and the claim's own "expected" is its hedge (matching.py)
    ("Norway deployed two frigates to the strait.", "Norway sent two frigates to the strait and may send more."),
    ("The route is expected to be lined by crowds.", "It is expected that the route will be lined by crowds."),
    # the one it is done for, said in the passive
    ("The villagers were sent blankets by the charity.", "The charity sent blankets to the villagers."),
    # a noun that tells the event the same way round as the claim's verb or noun (nominals.py)
    ("Peru invaded Chile in 1880.", "The invasion of Chile by Peru began in 1880."),
    ("Sparta's siege of Athens lasted a year.", "Sparta besieged Athens, and the siege of Athens by Sparta lasted a year."),
    # a settling verb with what it settles, settled in the quote too
    ("The unions agreed on a pay rise.", "After long talks the unions agreed on a pay rise."),
    # "according to X" keeps X's estimate (matching.py)
    ("According to the survey, farmers earn two dollars a day.", "The survey estimated that farmers earn two dollars a day."),
    # an attempt in vain, then the deed in the quote's own words; the attempt itself
    ("The rebels took the fort.", "The rebels stormed the fort twice in vain before finally taking it in May."),
    ("The rebels besieged the fort.", "The rebels besieged the fort, but to no avail."),
    # the doer named as in the quote, the owner too
    ("The burglar damaged the museum's van.", "A lone burglar damaged the van of the Kestrel Museum."),
    ("Apple released its new phone.", "The company released Apple's new phone on Friday."),
    # what the editor's gloss says is read with it
    ("The Hollis Relief Board is a charity linked to the city council.",
     "A spokesman for the Port Authority announced on May 2 that the Hollis Relief Board [a charity linked to the "
     "city council] and local churches work to feed and shelter families from the flooded district."),
    # the speaker and the doer as in the quote, an editor's gloss in brackets aside (attribution.py)
    ("On May 2, the Port Authority announced that the Hollis Relief Board was working to shelter families.",
     "A spokesman for the Port Authority announced on May 2 that the Hollis Relief Board [a charity linked to the "
     "city council] and local churches work to feed and shelter families from the flooded district."),
    # "could" of what someone was able to do is no hedge (matching.py)
    ("Survivors were able to nurse the sick.", "Survivors could nurse the sick without falling ill again."),
    # a verb that links its object to a state is no leaving or staying (matching.py)
    ("The storm left the old lighthouse unharmed.", "The old lighthouse remained unharmed by the storm."),
    # a name inside the other's name may be the same (words.py)
    ("The Nordic Sailing Council declared the regatta closed.",
     "Nordic Sailing Council President Jan Moller declared the regatta closed on Sunday."),
    ("The next Winter Paralympics will be held in Oslo.", "The next Winter Paralympic Games will be held in Oslo."),
    # a quote of several sentences may tell the earlier event second, with a flashback or dates (links.py)
    ("The ferry sank after the storm hit the coast.",
     "The ferry sank on Tuesday. The storm had hit the coast the night before."),
    ("The mayor resigned after the audit.", "The mayor resigned on 4 May. The audit was published on 2 May."),
    ("The board sold the port shares before the merger talks.",
     "The board is holding merger talks with the rival firm. Previously, the board sold its port shares."),
    ("Only after the merger talks did the board sell the port shares.",
     "The board held merger talks with the rival firm. After the talks, the board sold its port shares."),
    ("The guild built the hall after the council granted the charter.",
     "The council granted the charter to the guild. The guild built the hall by the river, as it had earlier planned."),
    # a bare verb the parser cut off from its "would" keeps its certainty (misparsed.py); the claim
    # gives the quote's hedging word to its own event ("possible") (matching.py)
    ("The council rejected the plan, arguing that it would cost too much, take years and harm the park.",
     "The council turned down the plan, arguing that such a project would be too costly, take years, and harm the "
     "park."),
    ("Omar Aziz, a man in his early thirties from Beeston, Leeds, has been named as a possible co-conspirator.",
     "Omar Aziz (also named as Omer Aziz): possible co-conspirator, in his early thirties, from Beeston, Leeds."),
    # "the beams" points back to the steel beams named before (modifiers.py)
    ("On Monday the crew repaired the steel beams.", "The crew bought steel beams in May. On Monday the crew repaired "
     "the beams."),
    # "the following day" is a day, not a link between events (links.py)
    ("The fair opened in the square, and the parade ran the following day through the old town.",
     "The parade ran through the old town on Sunday. The fair had opened in the square the day before."),
    # the claim keeps the quote's hedge on a thing (hearsay.py)
    ("The crew included Finns, Danes and apparently Poles.", "The crew included Finns, Danes and apparently Poles."
     " It sailed in May."),
    # a hedge or condition kept in other words; a time clause as a gerund or a finite clause
    ("The alleged gunmen fled in a grey van.", "The two alleged gunmen fled in a grey van."),
    ("Police arrested a man suspected of arson at his home.", "The suspected arsonist was arrested at his home."),
    ("A man believed to be the cell's leader was arrested in Leeds.",
     "A man believed to be the leader of the cell was arrested in Leeds."),
    ("A man was arrested in Leeds.", "A man believed to be the leader of the cell was arrested in Leeds."),
    ("The storm killed twenty people.", "The storm, believed to be the strongest in decades, killed twenty people."),
    ("The airline will refund every passenger if the inquiry finds it at fault.",
     "If the inquiry finds it at fault, the airline will refund every passenger."),
    ("The draft is expected to be revised before it is signed on Friday.",
     "The draft is expected to be revised several times before being signed on Friday."),
    # a speaker's "said" restated as "confirmed"; "showed that" as "demonstrated that"
    ("Police confirmed that two men were arrested.", "Two men were arrested, police said."),
    ("The survey demonstrated that rents rose in every district.", "The survey showed that rents rose in every district."),
    # a relative clause telling when or where: "the moment the ward reopened" reopens no moment
    ("The bells rang at the exact minute the ward reopened.",
     "The bells chimed at the precise moment the ward was reopened."),
    ("Crowds gathered on the day the bridge reopened.", "Crowds gathered on the day that the bridge was reopened."),
    # "declined to", "failed to": the event is the infinitive's, not said otherwise by "did not"
    ("The club declined to comment on the sale.", "The club did not comment on the sale."),
    ("The striker failed to score in the final.", "The striker did not score in the final."),
    # "could not" in the past says it did not happen; "unable to" says so too
    ("Doctors were unable to save the patient.", "Doctors could not save the patient."),
    ("The crew did not reach the summit.", "The crew could not reach the summit."),
    # "denied attacking" denies the attack as "denied that they attacked" does; "yet to" is not yet
    ("The rebels denied attacking the convoy.", "The rebels said they had not attacked the convoy."),
    ("The victims have not yet been identified.", "The victims are yet to be identified."),
    # how long it went on, told by when it ended
    ("The strike lasted two weeks.", "After two weeks the strike ended."),
    # a forecast: "expects profits to rise" is as sure as "said they would rise"
    ("The company said profits would rise next year.", "The firm expects profits to increase next year."),
    # "including" ranks one of several as "among" does
    ("The film won three awards, including best director.", "The film took three prizes, among them best director."),
    # one gift in two verbs of giving, the doer named by a "by" the parser hangs on the gift
    ("The head teacher was presented with a bouquet by the parents.", "The parents handed a bouquet to the head teacher."),
    # a step down a scale restates it: "damaged" of "destroyed", "kept his lead" of "extended his lead"
    ("The storm damaged the old pier.", "The storm destroyed the old pier."),
    ("The rider kept his lead.", "The rider extended his lead to two minutes."),
    # a verb read as written: "settle" is no inflection of "set"
    ("The city is still seeking to settle the dispute with the drivers.",
     "The city is still trying to resolve the dispute with the drivers."),
    # one thing or many, as the quote says; what is called for, called for
    ("The three trucks took several roads north.", "The three trucks left the depot and took several roads north."),
    ("The ships sailed by the same route.", "Both ships sailed by the same route to Oslo."),
    ("The charity called for new shelters to be built before winter.",
     "The charity calls for new shelters for families to be built before winter."),
    # a gerund subject: said to matter, or told as done
    ("The mayor said repairing the bridge is vital.", "Repairing the bridge is vital, the mayor said."),
    ("The council repaired the bridge in two months.", "Repairing the bridge took the council two months."),
    ("The mayor said it was vital to repair the bridge.", "Repairing the bridge is vital, the mayor said."),
    # a date between commas after an event's own time restates that time
    ("The old abbot died in 1721, a year after the bishop.",
     "When the bishop died in 1720 and the old abbot died a year later, in 1721, a quarrel broke out over the "
     "succession."),
    # what the claim names as proposed is proposed in the quote too; agreeing to a thing accepts it
    ("The ministers accepted the committee's proposed amendments.",
     "The ministers agreed to the amendments proposed by the committee."),
    # the release is called for, not the fishermen
    ("The union demanded the release of the fishermen held by the navy.",
     "The union issued a statement calling for the release of the fishermen detained by the navy."),
    # "charged that" alleges as "accused of" does; on track is on schedule
    ("The rebels charged that the army had shelled the town.", "The rebels accused the army of shelling the town."),
    ("The engineers are on track to finish the tunnel next year.",
     "The engineers are on schedule to complete the tunnel next year."),
    # a verb told twice, once each way: the one at the claim's place is the claim's
    ("The levy on tourists was not approved in the budget.",
     "The council wanted a levy on tourists, but this was not approved in the budget. The levy was however "
     "approved in the spring review."),
    # a dateline over a paragraph is the article's date, not the event's; "tomorrow" counts from it
    ("The talks resume on Friday.", "Thursday, November 29, 2007\n\nThe talks resume tomorrow in Geneva."),
    # a verb and its preposition's object are not a verb alone ("relied on" is no intransitive "died")
    ("The old council relied on the idea of common land.", "The old council used the concept of common land."),
    # a quote that tells both orders (two reports) supports either
    ("The scouts crossed the ridge before the storm broke.",
     "Some say the scouts crossed the ridge before the storm broke, while others say the storm broke before the "
     "scouts crossed the ridge."),
    # the negated one of a verb told twice
    ("You could not pour water into an empty pipe.",
     "The valve is meant to pour water into the tank, and you could not pour water into an empty pipe."),
    # each doer with its own event, the subject the small parser leaves behind read back (events.py)
    ("Reporters obtained footage from the port suggesting the coast guard let dozens of trawlers leave for "
     "waters held by the navy.",
     "Reporters obtained footage from the port suggesting the coast guard has let dozens of trawlers leave for "
     "waters held by the navy."),
    ("The council blocked the road to the depot that the union runs.",
     "The council blocked the road to the depot that the union runs, officials said."),
    ("A letter showing the minister had approved the sale was published.",
     "The paper published a letter showing the minister has approved the sale."),
    ("The mayor said the dispute will be settled with a payment from the port.",
     "The mayor said the matter will be settled with a payment from the port."),
    ("The town became the capital of the duchy in 1413.",
     "In 1300 the town became one of the seats of the dukes, becoming the capital of the duchy in 1413."),
    ("The abbey was founded in 1150 and became a school in 1540.", "The abbey, founded in 1150, became a school in 1540."),
    ("The town became the capital of the duchy in 1413.",
     "Early in that century it became one of the seats of the dukes, becoming the capital of the duchy in 1413."),
    ("The town first hosted the council in 1529 and became its permanent seat from 1569.",
     "In 1529 the town for the first time became the seat of the council, permanent from 1569."),
    # what a speaker went on to state is stated, not asked for
    ("The council agreed with the new budget.",
     "The council went on to state that, after the review, they agreed with the new budget."),
    # what the claim says was asked for, the quote may say did not happen
    ("The charities called for addressing the housing shortage.",
     "The housing shortage was not addressed, the charities said."),
    # "not a result of" is "not due to"
    ("The flood was not due to a single broken dam.",
     "The inquiry found that the flood was not a result of a single broken dam but of weeks of heavy rain."),
]

FAULTS: list[tuple[str, str, str]] = [
    ("The charities addressed the housing shortage.", "The housing shortage was not addressed, the charities said.",
     "polarity"),
    # of a verb the quote tells both ways, the one whose words the claim shares
    ("You could pour water into an empty pipe.",
     "The valve is meant to pour water into the tank, and you could not pour water into an empty pipe.", "polarity"),
    # another outcome of the same kind of event, about the same participants
    ("Two climbers were killed by the avalanche.", "Two climbers were hurt by the avalanche on Sunday.", "polarity"),
    ("The regional election has been called off.", "The regional election has been postponed until June.",
     "polarity"),
    ("The mayor's brother was convicted of bribery.", "The mayor's brother was charged with bribery.", "polarity"),
    ("The rebels attacked the convoy.", "The rebels denied attacking the convoy.", "polarity"),
    ("The regulators approved the merger.", "The regulators have yet to approve the merger.", "polarity"),
    # giver and receiver traded, in two verbs of giving
    ("The parents presented the head teacher with a bouquet.", "The head teacher left a bouquet for the parents.",
     "roles"),
    # an order the quote tells with a "later" that closes its clause
    ("The treaty was signed before the war began.", "The war began, and the treaty was signed two years later.", "time"),
    # a step up a scale from the quote's verb: "destroyed" for "damaged", a change for "kept"
    ("The storm destroyed the old pier.", "The storm damaged the old pier.", "polarity"),
    ("The central bank raised interest rates.", "The central bank kept interest rates on hold.", "polarity"),
    # what the quote only urges, done by some of those urged ("members of the public" are of "the public")
    ("Members of the public have written to their MPs.", "Survivors have urged the public to write to their MPs.",
     "modality"),
    # what the quote's passive only plans, stated as held
    ("A second referendum was held this spring.", "A second referendum is planned for next spring.", "modality"),
    # what the quote only calls or looks for, stated as done
    ("The opposition launched an inquiry into the deal.", "The opposition called for an inquiry into the deal.",
     "modality"),
    ("Rescuers found the two missing climbers.", "Rescuers are still searching for the two missing climbers.",
     "modality"),
    # the same event on another day, its undergoer named another way ("the group" for "the crew")
    ("The crew were flown to Lisbon the same night.", "The following morning the group was flown to Lisbon.", "time"),
    # "could not" says it did not happen; "unable to" that it did not
    ("Doctors saved the patient.", "Doctors could not save the patient.", "polarity"),
    ("The crew were unable to reach the summit.", "The crew reached the summit on Friday.", "polarity"),
    ("The senate passed the water bill.", "The senate debated the water bill for six hours.", "polarity"),
    ("The refugees arrived in Calais at dawn.", "The refugees left Calais at dawn.", "polarity"),
    ("The coastguard released the trawler's crew.", "The coastguard detained the trawler's crew.", "polarity"),
    ("The brewery sold its Danish plant.", "The brewery bought a Danish plant.", "polarity"),
    ("The coach resigned after the defeat.", "The coach was sacked after the defeat.", "polarity"),
    # the same participants, a verb no sense of which names the quote's event
    ("The council renovated the old library.", "The council demolished the old library.", "polarity"),
    ("The ferry capsized off the coast.", "The ferry docked off the coast.", "polarity"),
    ("The orchestra recorded the symphony in Vienna.", "The orchestra premiered the symphony in Vienna.",
     "polarity"),
    ("A second parcel was intercepted at the depot.", "A second parcel exploded at the depot.", "polarity"),
    # an appositive said of another name in the sentence beside
    ("Smith, the team captain, scored twice.", "Smith scored twice. Jones, the team captain, was injured.", "roles"),
    ("The Verde bakery, the oldest in the city, opened in 1998.",
     "The Verde bakery opened in 1998. The Rosa bakery, the oldest in the city, closed.", "roles"),
    # roles
    ("Valencia beat Sevilla.", "Sevilla beat Valencia 2-1 on Sunday.", "roles"),
    ("Sevilla were beaten by Valencia.", "Sevilla beat Valencia 2-1.", "roles"),
    (
        "The former aide was accused of corruption by the senator.",
        "A former aide accused the senator of corruption.",
        "roles",
    ),
    ("Norvik Shipping bought Halden Group.", "Halden Group has bought Norvik Shipping for $1.2 billion.", "roles"),
    (
        "The Wildcats were sued by their former coach.",
        "The Wildcats sued their former coach for breach of contract.",
        "roles",
    ),
    (
        "The shareholders were criticised by the board.",
        "Shareholders criticised the board over executive pay.",
        "roles",
    ),
    ("The mouse cells attacked the virus.", "The virus attacked the mouse cells within hours.", "roles"),
    ("Japan defeated Brazil.", "Brazil's women beat Japan 2-0 to reach the semi-finals.", "roles"),
    ("The regulator was fined by the airline.", "The airline was fined by the regulator for safety breaches.", "roles"),
    ("Police officers were attacked by protesters.", "Police attacked protesters outside the parliament.", "roles"),
    # attribution
    ("According to the coach, the injury is serious.", "The injury is serious, the team doctor said.", "attribution"),
    (
        "The finance minister said inflation would fall.",
        "The central bank governor said inflation would fall next year.",
        "attribution",
    ),
    ("According to the health ministry, 12 people died.", "Twelve people died, a local hospital said.", "attribution"),
    (
        "Amnesty International said the trial was unfair.",
        "Human Rights Watch said the trial was unfair.",
        "attribution",
    ),
    ("The police said the driver was drunk.", "The driver was drunk, witnesses told the newspaper.", "attribution"),
    ("According to NASA, the probe lost contact.", "The probe lost contact with Earth on Friday.", "attribution"),
    # polarity: negation
    ("The club did not sign Brandt.", "The Wildcats signed Brandt on a two-year deal.", "polarity"),
    ("The drug reduced symptoms.", "The drug did not reduce symptoms in the trial.", "polarity"),
    ("The senator voted for the bill.", "The senator did not vote for the bill.", "polarity"),
    ("Investigators found evidence of fraud.", "Investigators found no evidence of fraud.", "polarity"),
    (
        "The company met its sales target.",
        "The company failed to meet its sales target for the third year.",
        "polarity",
    ),
    (
        "The minister confirmed that the plant would close.",
        "The minister denied that the plant would close.",
        "polarity",
    ),
    # polarity: antonyms
    ("Shares in Orrin Tech fell 12% on Wednesday.", "Shares in Orrin Tech jumped 12 percent on Wednesday.", "polarity"),
    ("The home side won the match.", "The home side lost the match 2-0.", "polarity"),
    ("The council approved the new stadium.", "The council rejected plans for the new stadium.", "polarity"),
    ("The launch of the satellite was a success.", "The launch of the satellite was a failure.", "polarity"),
    ("Unemployment decreased in March.", "Unemployment increased in March, the statistics office said.", "polarity"),
    (
        "The army advanced towards the capital.",
        "The army retreated from the capital's outskirts on Tuesday.",
        "polarity",
    ),
    ("The factory reopened in May.", "The factory closed in May after a fire.", "polarity"),
    ("The earthquake spared the old cathedral.", "The earthquake destroyed the old cathedral.", "polarity"),
    ("The board accepted the takeover offer.", "The board rejected the takeover offer as too low.", "polarity"),
    ("The government allowed the protest to go ahead.", "The government banned the protest.", "polarity"),
    ("The team won the final.", "Argentina beat the team in the final.", "polarity"),
    # modality / certainty
    ("The two companies merged.", "The two companies are in talks about a possible merger.", "modality"),
    (
        "Porto signed the striker.",
        "Porto could sign the striker before the deadline, according to local media.",
        "modality",
    ),
    (
        "The central bank cut interest rates.",
        "The central bank is expected to cut interest rates next month.",
        "modality",
    ),
    ("The company cut 500 jobs.", "The company said it plans to cut 500 jobs.", "modality"),
    ("The two parties agreed a coalition deal.", "The two parties began negotiations on a coalition deal.", "modality"),
    ("The mayor embezzled public funds.", "The mayor allegedly embezzled public funds.", "modality"),
    ("The new drug cures the disease.", "The new drug might cure the disease, early results suggest.", "modality"),
    (
        "The study proved that coffee prevents dementia.",
        "The study suggested that coffee may lower the risk of dementia.",
        "modality",
    ),
    ("The airline will close its Berlin base.", "The airline may close its Berlin base.", "modality"),
    ("The president signed the bill into law.", "The president is set to sign the bill next week.", "modality"),
    ("Protesters stormed the ministry.", "Protesters threatened to storm the ministry.", "modality"),
    (
        "The rescue team reached the trapped miners.",
        "The rescue team hopes to reach the trapped miners by Friday.",
        "modality",
    ),
    ("The suspect set the fire.", "The suspect is accused of setting the fire.", "modality"),
    # quantifiers
    (
        "All flights at the airport were cancelled.",
        "Some flights at the airport were cancelled because of fog.",
        "quantifier",
    ),
    ("The fire destroyed the entire village.", "The fire destroyed part of the village.", "quantifier"),
    ("Every school in the district closed.", "Several schools in the district closed on Monday.", "quantifier"),
    ("Most economists expect a recession.", "A few economists expect a recession this year.", "quantifier"),
    ("The flood damaged all the crops.", "The flood damaged crops across the region.", "quantifier"),
    ("The building was destroyed.", "The building was partly destroyed by the blast.", "quantifier"),
    ("The team won every match this season.", "The team won most of its matches this season.", "quantifier"),
    ("The talks produced a complete withdrawal from the valley.",
     "The talks produced a troop withdrawal from parts of the valley.", "quantifier"),
    ("The storm flooded all of the town's schools.",
     "The storm flooded several buildings of the town, like schools and the library.", "quantifier"),
    ("The style took hold in the latter half of the 12th century.",
     "The style first took hold in the first half of the 12th century.", "time"),
    ("Sales peaked in the late 1990s.", "Sales peaked in the early 1990s.", "time"),
    ("The harbour is the busiest in the region.",
     "It has been said that the harbour is the busiest in the region.", "modality"),
    # causal
    (
        "Shares fell because the company cut its forecast.",
        "Shares fell on Tuesday after the company cut its forecast.",
        "causal",
    ),
    (
        "The bridge collapsed due to the heavy traffic.",
        "The bridge collapsed during heavy rain; it had carried heavy traffic for decades.",
        "causal",
    ),
    (
        "The vaccine caused the side effects.",
        "The side effects appeared in patients who received the vaccine.",
        "causal",
    ),
    ("The new law led to a fall in crime.", "Crime fell in the year after the new law took effect.", "causal"),
    ("Inflation rose, so the bank raised rates.", "The bank raised rates, and inflation rose.", "causal"),
    ("The strike caused the delays.", "The delays caused the strike, union leaders said.", "causal"),
    ("Sales fell as a result of the price rise.", "Sales fell in the same month as the price rise.", "causal"),
    # time
    ("The minister resigned before the vote.", "The minister resigned after the vote on Thursday.", "time"),
    (
        "The merger was announced after the chief executive left.",
        "The merger was announced before the chief executive left the company.",
        "time",
    ),
    ("The match was played on Sunday.", "The match was played on Saturday.", "time"),
    (
        "The telescope was launched in 2019.",
        "The telescope was launched in 2021 and began observations a year later.",
        "time",
    ),
    ("The treaty was signed in March.", "The treaty was signed in June, three months after talks began.", "time"),
    ("The festival began after the storm passed.", "The festival began before the storm arrived.", "time"),
    # a forecast stated as fact (hearsay.py)
    ("The festival will be held in Leeds.", "The festival is likely to be in Leeds.", "modality"),
    ("The rebels' last stand will be miles away from the city.", "Rebels' last stand likely to be miles away from the city",
     "modality"),
    # a name moved to another word than the quote hangs it on (attachments.py)
    ("The vaccine was approved in Brazil.", "The vaccine was approved in Canada but rejected in Brazil.", "roles"),
    ("The Rhine flows past Ulm.", "The river that flows past Ulm is the Danube, while the Rhine flows past Basel.", "roles"),
    ("Anna is a teacher from Oslo.", "Anna is a doctor from Oslo and Ben is a teacher from Bergen.", "roles"),
    ("Lake Vostok is larger than Lake Baikal.", "Lake Vostok is larger than Lake Ontario but smaller than Lake Baikal.", "roles"),
    # "all" before the words the quote quantifies less, however the parse hangs it (quantifiers.py)
    ("Critics said that all small, family-run farms were losing money.",
     "Critics said that some small, family-run farms were losing money.", "quantifier"),
    # "only X" where the quote gives X and more (quantifiers.py)
    ("The fund was set up solely to repair the bridge.", "The fund was set up to repair the bridge and to widen the road.",
     "quantifier"),
    ("Only the pilots went on strike.", "The pilots and the cabin crew went on strike.", "quantifier"),
    # what the quote sets aside, preferred (contrast.py)
    ("The board chose rail rather than road for the freight.", "The board chose road rather than rail for the freight.",
     "roles"),
    ("Clinics should treat the cause instead of the symptoms.", "Clinics should treat the symptoms instead of the cause.",
     "roles"),
    # a passive's by-phrase names the doer even when the parse loses its subject (matching.py)
    ("In the second half of the 19th century the Whig movement, with its stress on trade, was eclipsed by the Liberal "
     "Union and its focus on reform.",
     "Scholars argue that politics shifted in the second half of the 19th century when the Liberal Union and its focus "
     "on reform was eclipsed by the Whig movement with its stress on trade.", "roles"),
    # what an allegation's clause says is alleged, not done
    ("The court held that the firm had breached a 1991 decree on alarms.",
     "The court held that the firm could defend itself from allegations that it had not complied with a decree from "
     "1991 about alarms.", "modality"),
    # a figure moved to the day the quote gives another figure (figures.py)
    ("Warplanes flew 126 sorties on Thursday.",
     "Overall, warplanes flew 126 sorties Wednesday, and on Thursday, more than 100 sorties are to be flown.", "time"),
    ("The mill employed 1,200 workers in 2004.",
     "In 2003 the mill employed 1,200 workers, and in 2004 it employed 900.", "time"),
    # the claim's date on another telling of the event, with another name in its roles
    ("The Comet, launched in 1901 for the Cunard Line, won the Blue Riband.",
     "In 1901 the yard launched the Herald for the Cunard Line, and in 1905 it launched the Comet, which won the Blue "
     "Riband.", "time"),
    # "after the summit" when the quote has the summit only planned (matching.py)
    ("The bank cut rates after the summit in Rome.",
     "The minister is set to travel to Rome next week for a summit, and the bank has already cut rates.", "modality"),
    # what an elided clause hedges ("as might exports"), stated as sure (hearsay.py)
    ("Exports will keep rising this winter.", "Imports will keep rising this winter, as might exports.", "modality"),
    # another people than the quote's country
    ("The Iraqis stated that the crew were in good health.", "Iran stated on Tuesday that the crew are in good health.",
     "attribution"),
    ("The Iraqis seized the tanker.", "Iran seized the tanker.", "roles"),
    # stated as done in another verb than the quote's plan or possibility (matching.py)
    ("Norway deployed two frigates to the strait.", "Norway is considering sending two frigates to the strait.",
     "modality"),
    ("The merger talks collapsed.", "The merger talks could fail.", "modality"),
    # the doer and the one it is done for trade places (matching.py)
    ("The villagers sent blankets to the charity.", "The charity sent blankets to the villagers.", "roles"),
    ("The families left a wreath for the mayor.", "The mayor left a wreath for the families.", "roles"),
    # a noun that tells the event the other way round (nominals.py)
    ("Peru invaded Chile in 1880.", "The invasion of Peru by Chile began in 1880.", "roles"),
    ("Sparta's raid on Athens failed.", "Athens's raid on Sparta failed.", "roles"),
    ("Athens attacked Sparta.", "Sparta's attack on Athens was repelled.", "roles"),
    # agreed on what the quote has only under talks (matching.py)
    ("The rebels and the army have agreed on a ceasefire in the north.",
     "Reports say the rebels and the army are holding talks over a possible ceasefire in the north.", "modality"),
    # ... but not X's suspicion or X's "may"
    ("According to the police, the driver fled the scene.", "The police suspect that the driver fled the scene.",
     "modality"),
    ("According to the police, the driver fled the scene.", "The police say the driver may have fled the scene.",
     "modality"),
    # won what the quote's attempt failed to win (matching.py)
    ("In 1410 the duke's army captured the castle at Mirow.",
     "In 1410 the duke's army marched north and laid siege to the castle at Mirow with new cannon, but to no avail.",
     "polarity"),
    # the claim's doer is, in the quote, only whose the thing done to is (matching.py)
    ("The Kestrel Museum damaged the van.", "A lone burglar damaged the van of the Kestrel Museum.", "roles"),
    # the speaker and the doer trade places (attribution.py)
    ("On May 2, the Hollis Relief Board announced that the Port Authority was working to shelter families.",
     "A spokesman for the Port Authority announced on May 2 that the Hollis Relief Board [a charity linked to the "
     "city council] and local churches work to feed and shelter families from the flooded district.", "roles"),
    # the claim's date on the same deed of another doer
    ("The tunnel opened in 1932.", "The bridge opened in 1932 and the tunnel opened in 1958.", "time"),
    # "X is Y" where the quote's verb with Y for object is hedged (matching.py)
    ("Saffron is the costliest spice by weight.", "Saffron probably represents the costliest spice by weight.",
     "modality"),
    # two names that share a word only: their heads tell them apart (words.py)
    ("In 1750 Jean Duval observed that goats were immune to the venom.",
     "In 1750 Pierre-Jean Moreau de Lacoste observed that goats were immune to the venom.", "roles"),
    ("Anna Berg signed the treaty for the city.", "Anna Lund signed the treaty for the city.", "roles"),
    # what "having" tells came first is dated after the rest (dates.py)
    ("In 1840 the mill became a museum, having closed in 1852.", "The old mill closed and later became a museum.",
     "time"),
    # an order the quote's sentences tell the other way round, and nothing orders otherwise (links.py)
    ("The guild built the hall before the council granted the charter.",
     "The council granted the charter to the guild. The guild then built the hall by the river.", "time"),
    # the quote's hedging word in the claim, but on another event
    ("A possible witness confirmed that Jan Berg stole the car.", "Jan Berg possibly stole the car, a witness said.",
     "modality"),
    # told in the claim's order, but the sentence told second says its event came first (links.py)
    ("Only after the merger talks did the board sell the port shares.",
     "The board is holding merger talks with the rival firm. Previously, the board sold its port shares.", "time"),
    ("The guild built the hall after the council granted the charter.",
     "The council granted the charter to the guild. Earlier, the guild had built the hall by the river.", "time"),
    # a word the quote gives to the same thing in another sentence, moved onto the claim's (modifiers.py)
    ("The mayor asked the army to plan a night patrol with the navy.",
     "The army has started to plan patrols with the navy, as the mayor asked. An aide said there was no talk "
     "of a night patrol yet.", "roles"),
    # a verb told twice, once each way: the one at the claim's place must also have the claim's doer
    # and object to stand for it (matching._placed_alike)
    ("In place of a review, the board has published a timeline of the closure.",
     "Instead, the board has offered to publish a timeline of the closure. … Parents asked why the plans were "
     "not published in place of the rumours.", "modality"),
    # two doers that trade events (doers.check_exchanged_doers); the first also needs the subject the
    # small parser leaves behind as an object ("suggesting the coast guard has let", events.py)
    ("Footage from the port suggests the navy let dozens of trawlers leave for waters held by the coast guard.",
     "Reporters obtained footage from the port suggesting the coast guard has let dozens of trawlers leave for "
     "waters held by the navy.", "roles"),
    ("The union blocked the road to the depot that the council runs.",
     "The council blocked the road to the depot that the union runs.", "roles"),
    ("Witnesses said the rebels shelled the village that the army had taken.",
     "Witnesses said the army shelled the village that the rebels had taken.", "roles"),
    # the quote's one event of the verb, its object in other words ("the matter" for "the dispute"), is
    # still the claim's: its condition counts (matching.check_event)
    ("The mayor said the dispute will be settled with a payment from the port.",
     '"If it is shown that the rules were broken, the matter will be settled with a payment from the port," '
     "the mayor said.", "modality"),
    # a year before 1800 is a date too, and what a linking verb makes a thing has the verb's date
    # (event_dates.dates_of)
    ("The town became the capital of the duchy in 1300.",
     "In 1300 the town became one of the seats of the dukes, becoming the capital of the duchy in 1413.", "time"),
    ("The abbey was founded in 1540.", "The abbey, founded in 1150, became a school in 1540.", "time"),
    # a thing the quote names only with a hedge (hearsay.py)
    ("The crew included Finns, Danes and Poles.", "The crew included Finns, Danes and possibly Poles.", "modality"),
    # a vote for is the opposite of a vote against; a court that overturns does not uphold (lexicon.py)
    ("The council voted against the harbour levy.", "The council voted for the harbour levy on Monday.", "polarity"),
    ("The tribunal upheld the fishing ban.", "The tribunal overturned the fishing ban.", "polarity"),
    # what a doerless passive is done on is, in the quote, the doer (matching.target_made_doer)
    ("Tariffs were imposed on Norway.", "Norway imposed tariffs on Iceland in March.", "roles"),
    ("The blackout was blamed on the port authority.",
     "The port authority blamed the grid operator for the blackout.", "roles"),
    # beaten with no one named as the victor still lost: the opposite of won (events.converses)
    ("The Wildcats were beaten in the final.", "The Wildcats won the final on penalties.", "polarity"),
    # "few" and "only some" say no more than some: a fault where the quote says most or all (quantifiers.py)
    ("Few of the ferry crews joined the strike.", "Most of the ferry crews joined the strike.", "quantifier"),
    ("Only some of the stalls reopened.", "All of the stalls reopened on Friday.", "quantifier"),
    # a judgement the quote gives as someone's view, stated as fact by a claim naming no one (views.py)
    ("A new harbour wall is needed to stop the flooding.",
     "Mayor Ines Varga says a new harbour wall is needed to stop the flooding.", "attribution"),
    ("Dredging the channel first is of great importance.",
     "Dredging the channel first is of great importance, said the port engineer.", "attribution"),
    # the speaker whose clause the claim restates, of two in the quote (attribution._closest_report)
    ("A harbour spokesman said the crossing might reopen by May.",
     "A harbour spokesman speculated that repairs could take a year, and a ferry official said the crossing "
     "might reopen by May.", "attribution"),
    ("Five million people lack clean water, the Red Cross says.",
     "The toll passed 9,000, according to the Red Cross. The World Health Organization (WHO) estimates that "
     "five million people lack clean water.", "attribution"),
    # a lesser quantifier standing for the noun, of the same verb (quantifiers._said_alone)
    ("All of the safety findings will be acted on by June.",
     "The port said it was committed to acting on the safety findings and expects the great majority to be "
     "acted on by June.", "quantifier"),
    # a doer named by "by" on a participle, whatever else the two clauses have (matching.fit_of)
    ("The exhibition, organised by the Lindqvist Foundation, opens on Friday.",
     "Organised by the Harbour Trust, the exhibition opens on Friday.", "roles"),
    # the same day against the next one (matching.relative_day)
    ("The ferry crew were flown home the same night.", "The following morning the ferry crew were flown home.",
     "time"),
    ("The harbour master resigned the next day.", "The harbour master resigned on the same day.", "time"),
    # obliging where the quote only presses or lets (obligation.py)
    ("The new law requires landlords to install smoke alarms.",
     "The new law encourages landlords to install smoke alarms.", "modality"),
    ("The city ordered residents to leave.", "The city urged residents to leave their homes.", "modality"),
    # "able to" in the present: may do, not did
    ("Engineers traced the fault.", "Engineers are able to trace the fault by testing every cable.", "modality"),
    # what the quote only asks for, grants on a condition, or says of someone only "alleged" (events.py, hearsay.py)
    ("The residents saved water all summer.", "The council urged the residents to save water all summer.", "modality"),
    ("The airline will refund every passenger.",
     "If the inquiry finds it at fault, the airline will refund every passenger.", "modality"),
    ("The two gunmen fled in a grey van.", "The two alleged gunmen fled in a grey van.", "modality"),
    ("The arsonist was arrested at his home.", "The suspected arsonist was arrested at his home.", "modality"),
    # who someone is, only by someone's belief or account (hearsay.py)
    ("The leader of the cell was arrested in Leeds.",
     "A man believed to be the leader of the cell was arrested in Leeds.", "modality"),
    ("Divers recovered the body of the missing pilot.",
     "Divers recovered a body thought to be that of the missing pilot.", "modality"),
    ("Police arrested two members of the gang.", "Police arrested two men said to be members of the gang.", "modality"),
    # a finding made settled: "confirmed" for "speculated", "proven" for "believed", or for a quote
    # that tells the event with no word of finding or saying; two joined sentences that give the
    # claim's name to another's title
    ("A harbour spokesman confirmed that the toll could pass 900.",
     "A harbour spokesman speculated that the toll could pass 900.", "modality"),
    ("The inspectors proved that the dam had cracked.", "The inspectors believe that the dam had cracked.", "modality"),
    ("The footage confirmed that the guards had left the gate open.",
     "In the footage the gate stands open, and the guards are nowhere to be seen.", "modality"),
    # one thing for many, or many for one
    ("The three trucks all took the same road north.", "The three trucks left the depot and took several roads north.",
     "quantifier"),
    ("The ships sailed by different routes.", "The ships sailed by the same route.", "quantifier"),
    # what a "for ... to" clause of a call names is asked for, not done
    ("The charity has set up new shelters for families.",
     "The charity calls for new shelters for families to be built before winter.", "modality"),
    # a gerund subject said to matter is a goal, not a deed
    ("The council has repaired the bridge.", "Repairing the bridge is vital, the mayor said.", "modality"),
    ("The council repaired the bridge.", "It is vital to repair the bridge, the mayor said.", "modality"),
    # a doer alone with a verb the quote does not say, where the quote has that doer do something else
    ("Two hundred villagers have died of hunger.", "Two hundred villagers lack food and clean water.", "polarity"),
    ("The dam was finished in 1998.", "The dam was finished in 1990 and, in 1998, a flood swept the valley.", "time"),
    # on schedule to do is not done
    ("The engineers finished the tunnel this year.", "The engineers are on schedule to finish the tunnel this year.",
     "modality"),
    ("The levy was approved in the budget.",
     "The council wanted a levy on tourists, but this was not approved in the budget. The levy was however "
     "approved in the spring review.", "polarity"),
    ("The storm killed two people on Monday.", "Monday, May 5, 2008\n\nThe storm killed two people on Friday.", "time"),
    ("The talks resume on Thursday.", "Thursday, November 29, 2007\n\nThe talks resume tomorrow in Geneva.", "time"),
    ("The session of the conference begins on November 29, 2007.",
     "Thursday, November 29, 2007\n\nThe session of the conference begins next week in Bali.", "time"),
]
