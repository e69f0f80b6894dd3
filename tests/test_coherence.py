"""Summaries that read: no sentence whose opening refers back ("He added that...", "The
35-year-old was beaten...", "But...") unless the sentence it refers to comes just before it.
Real files on disk, a real store, spaCy's parse."""

from __future__ import annotations

from pathlib import Path

import pytest

import kit
from kit.api import Kit
from kit.results import TopicSummary
from kit.topics.coherence import refers_back


@pytest.mark.parametrize("sentence", [
    "The 35-year-old was beaten in the final by a younger rival.",
    "He added that the talks would resume on Monday.",
    "But the government refused to comment on the report.",
    "However, the vote was delayed again.",
    "This was the third attack in a month.",
    "Their lawyers said they would appeal the ruling.",
    "On Monday, she told reporters the plan had failed.",
    # Found on MultiLing and SQuAD summaries: a bare "the" noun names something only an
    # earlier sentence says which; a linking adverb after the subject; the speaker of "I"; the
    # tail of a quotation opened in an earlier sentence.
    "The company said its profits fell by a third.",
    "The statement added that all evidence clearly indicated a breach of law.",
    "The ceremony began at 8:00 p.m. local time with two thousand drums.",
    "The United States Geological Survey, however, reported a magnitude of 5.4.",
    "Note, however, that the dynasty is often extended back to 1206.",
    "In addition, the council pledged a further $10,000.",
    "I want to make absolutely clear that I have never taken drugs.",
    "I do support my team in the fight against doping and a clean sport.\"",
    "For example, consider the problem of primality testing.",
    "In such a situation, a force is applied in the direction of motion.",
    "In humans, this response is activated by complement binding to antibodies.",
    "A fourth bomb exploded on a bus nearly an hour later in Tavistock Square.",
    "Another of the roles of the Parliament is to hold the Government to account.",
    "A further aftershock occurred at 06:57 local time, of a lesser magnitude.",
    # "this", "these", "those" before a noun after the verb points back as well.
    "Most national networks adopted this switching method within a decade.",
    "An analyst said there could be many deaths from an earthquake of this strength.",
    # One of a series an earlier sentence began; more of what it said ("also", "again" on the
    # main verb); "that" pointing at a noun; "In particular," and "Again,".
    "The second round of talks ended without a deal.",
    "The next morning the rescuers reached the village.",
    "Interpol also reported a fire near the port.",
    "Regulators can also fine banks that break the rule.",
    "Ministers of both countries met again in Geneva to sign the text.",
    "Investigators traced that signal to a ship off the coast.",
    "Fishing was banned along that stretch of the coast.",
    "In particular, the rule covers imports of steel.",
    "Again, the minister declined to comment.",
    # A sequence adverb on the main verb: after an event an earlier sentence told.
    "The Iranian government then stated that British ships had entered its waters before.",
    "Rebel leaders later recanted the statement.",
    "The reduced-pressure steam is then condensed and pumped back into the boiler.",
    "Eleven member states subsequently adopted the charter.",
    "Eventually the rebels were forced to surrender.",
    "Ultimately the campaign to overthrow the council failed.",
    "In 1965 a data network based on this voice-phone network was built for the sales offices.",
])
def test_openings_that_refer_back(sentence: str) -> None:
    assert refers_back(sentence)


@pytest.mark.parametrize("sentence", [
    "The Russian military says it fired 18 cruise missiles on Friday.",
    "Yukos shareholders lost their appeal in a Moscow court on Tuesday.",
    "There were 20 people on board the plane when it left.",
    "\"We will rebuild,\" he said after the storm.",
    "The UN says the death toll could climb beyond 150,000.",
    "The immune system is a system of many biological structures within an organism.",
    "The 1973 oil crisis began in October 1973 with an oil embargo.",
    "The municipal council of a small town in Canada donated $10,000 to the Red Cross.",
    "The main goal for search crews will be to find the flight recorders.",
    "The fifteen British navy personnel detained by Iran landed at Heathrow at noon.",
    "Police said, however improbable it seemed, that the bomb was home-made.",
    "A second-hand bookshop opened in the old town on Monday.",
    "Another Country is a 1984 film directed by Marek Kanievska.",
    # ... unless the noun is a time the reader shares, the sentence named it before, or what
    # follows defines it.
    "Yukos reported record profits this year.",
    "Complexity theory sorts problems into classes and relates those classes to each other.",
    "The Bali conference gathered those nations that emit the most greenhouse gases.",
    # A capitalised ordinal is a name; "that" opening a clause; "also known as", "see also".
    "The Second World War ended in Europe in May 1945.",
    "The second-largest city of the country lies on the coast.",
    "Officials said that part of the bridge had collapsed overnight.",
    "Cells that divide rapidly are hit hardest by the treatment.",
    "Paracetamol, also known as acetaminophen, relieves mild pain.",
    "Lyon (see also Rhône) is the third city of France by population.",
    # ... unless the sentence sets the earlier point itself.
    "If the valve opens under pressure, steam then escapes into the condenser.",
    "Water is first heated in a boiler and then expands in the cylinder.",
    "After the vote in March, ministers later met in Brussels.",
])
def test_openings_that_stand_alone(sentence: str) -> None:
    assert not refers_back(sentence)


FILES = {
    "a.txt": "Holmes won again.\n\nThe 35-year-old double Olympic champion beat the world record holder in the 800m "
             "race at the Athens indoor meeting. Holmes said the Athens crowd had carried her to the finish line.\n",
    "b.txt": "Kelly Holmes, the double Olympic champion, beat the world record holder in the 800m race in Athens. "
             "The indoor meeting drew a crowd of eight thousand to the Athens arena on Sunday night.\n",
    "c.txt": "The double Olympic champion Kelly Holmes won the 800m race at the Athens indoor meeting on Sunday. "
             "He added that the world record holder had been beaten in the 800m race by the double Olympic champion.\n",
}


@pytest.fixture(scope="module")
def race(tmp_path_factory: pytest.TempPathFactory) -> tuple[Kit, Path]:
    root = tmp_path_factory.mktemp("race")
    folder = root / "docs"
    folder.mkdir()
    for name, text in FILES.items():
        (folder / name).write_text(text, encoding="utf-8")
    k = kit.open(store_dir=str(root / "store"), embedder="hash", llm="extractive")
    k.ingest(folder)
    return k, root


def dangling(summary: TopicSummary, root: Path) -> list[str]:
    """Shown sentences that refer back without the sentence before them in their file just before."""
    out = []
    shown = summary.shown
    for n, claim in enumerate(shown):
        if not refers_back(claim.text):
            continue
        c = claim.citations[0]
        before = (root / c.path).read_text(encoding="utf-8")[:c.start].rstrip()
        prev = shown[n - 1].citations[0] if n else None
        if prev is None or prev.path != c.path or prev.end != len(before):
            out.append(claim.text)
    return out


def test_no_summary_sentence_dangles(race: tuple[Kit, Path]) -> None:
    k, root = race
    summaries = k.summarize(k.topics(k=1), max_sentences=4)
    assert summaries[0].shown
    assert dangling(summaries[0], root) == []


def test_a_sentence_that_refers_back_is_chosen_only_with_its_antecedent() -> None:
    from kit.topics.salience import Candidate
    from kit.topics.selection import Selection, select
    from kit.types import Chunk

    chunk = Chunk("p", "a.txt", 0, 1, "article", "x", "0")

    def cand(n: int, words: int, concepts: set[str]) -> Candidate:
        return Candidate(chunk, n, n + 1, " ".join(["w"] * words), n, frozenset(concepts))

    cands = [cand(0, 10, {"lead"}), cand(1, 10, {"rich", "richer"}), cand(2, 10, {"other"})]
    weights = {"lead": 0.2, "rich": 1.0, "richer": 1.0, "other": 0.5}
    assert select(Selection(cands, weights, 20, 2, requires={1: 0})) == [0, 1]
    assert select(Selection(cands, weights, 10, 1, requires={1: 0})) == [2]  # no room for both
    assert select(Selection(cands, weights, 20, 2, requires={1: None})) == [0, 2]


def test_a_batch_parse_is_the_same_parse() -> None:
    from kit.grounding.structure.parser import parse, parse_many, pipeline

    texts = ["The company said its profits fell by a third.", "He added that the talks would resume.",
             "The 1973 oil crisis began in October 1973 with an oil embargo."]
    parse_many(texts)
    for text in texts:
        alone = pipeline()(text)
        assert [(t.text, t.pos_, t.dep_, t.head.i) for t in parse(text)] == \
               [(t.text, t.pos_, t.dep_, t.head.i) for t in alone]


def test_only_the_candidates_the_selection_may_choose_are_parsed_and_the_choice_is_the_same(
        monkeypatch: pytest.MonkeyPatch) -> None:
    """A topic has more candidates than the selection's pool: the openings of the others are never
    parsed, and the summary is the one a full read of every opening gives."""
    from kit.topics import coherence
    from kit.topics.salience import Candidate
    from kit.topics.selection import MAX_CANDIDATES, Selection, select
    from kit.types import Chunk

    sentences = []
    for n in range(100):  # pairs: a sentence naming its subject, then one that refers back to it
        sentences += [f"The council of town {n} met on day {n} to vote on the harbour plan.",
                      f"It approved {n} new berths and the {n} ferries after a long debate."]
    text = " ".join(sentences)
    chunk = Chunk("p", "a.txt", 0, len(text), "article", text, "0")
    cands, start = [], 0
    for rank, sentence in enumerate(sentences):
        start = text.index(sentence, start)
        concepts = frozenset({f"town{rank // 2}", f"berths{rank // 2}"} if rank % 2 else {f"town{rank // 2}"})
        cands.append(Candidate(chunk, start, start + len(sentence), sentence, rank, concepts))
        start += len(sentence)
    weights = {f"town{n}": 1.0 / (n + 1) for n in range(100)} | {f"berths{n}": 0.5 / (n + 1) for n in range(100)}
    parsed: list[str] = []
    real = coherence.parse_many
    monkeypatch.setattr(coherence, "parse_many", lambda texts: (parsed.extend(texts), real(texts))[1])
    lazy = select(Selection(cands, weights, None, 6, requires=coherence.Antecedents(cands)))
    assert 0 < len(parsed) <= MAX_CANDIDATES < len(cands)
    full = dict(coherence.Antecedents(cands))  # every opening read
    assert len(full) == 100 and all(full[i] == i - 1 for i in full)
    assert select(Selection(cands, weights, None, 6, requires=full)) == lazy
    assert all(i - 1 in lazy for i in lazy if i % 2)  # "It approved..." only with its council sentence


def _candidates(text: str, sentences: list[str]) -> list:  # type: ignore[type-arg]
    from kit.topics.salience import Candidate
    from kit.types import Chunk

    chunk = Chunk("p", "a.txt", 0, len(text), "article", text, "0")
    out, start = [], 0
    for rank, sentence in enumerate(sentences):
        start = text.index(sentence, start)
        out.append(Candidate(chunk, start, start + len(sentence), sentence, rank, frozenset({str(rank)})))
        start += len(sentence)
    return out


def test_a_sentence_inside_a_quotation_names_no_speaker_and_never_stands_alone() -> None:
    """A sentence in the middle of someone's quoted words, or one opening a quotation whose speaker
    another sentence names, reads as the summary's own statement when quoted alone."""
    from kit.topics.coherence import Antecedents

    sentences = [
        "The families of the victims asked the government for a full public inquiry into the attacks.",
        "\"The families will be campaigning for there to be a full public inquiry.",
        "A narrative of events will not satisfy anybody in the families of the victims.",
        "This is not something we will go away on,\" said the daughter of one of the victims.",
        "\"I hope we manage to get them to realise they have to release the sailors.",
        "Scotland Yard released two photographs of the suspects at a news conference on Friday.",
        "\"We are confident of an arrest,\" Scotland Yard said at the news conference on Friday.",
    ]
    text = (f"{sentences[0]} {sentences[1]} {sentences[2]} {sentences[3]}\n\n{sentences[4]} If not, it moves on,\" "
            f"said the minister.\n\n{sentences[5]} {sentences[6]}\n")
    read = dict(Antecedents(_candidates(text, sentences)))
    assert read[1] is None  # opens a quotation it does not close: its speaker comes later
    assert read[2] == 1  # inside the quotation: only with the sentence before it
    assert read[3] == 2  # closes it (as before)
    assert read[4] is None
    assert 5 not in read and 6 not in read  # a whole quotation with its speaker, and plain statements
