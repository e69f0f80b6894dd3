"""Named topics stay on topic: a sentence enters a named topic's summary only when its passage
is about the name (the share of the name's key terms in it: `kit.topics.named.ON_TOPIC`,
chosen on `bench/dev_named_topics.py`); fewer sentences rather than off-topic ones; a name no
passage is about lists no sources and no keywords. A real store of small files on disk."""

from __future__ import annotations

from pathlib import Path

import pytest

import kit
from kit.api import Kit

FILES = {
    "yukos_1.txt": "Yukos shareholders lost their appeal in a Moscow court on Tuesday. The court said Yukos must pay "
                   "the full tax bill demanded by the Russian authorities. Yukos lawyers said they would appeal again.",
    "yukos_2.txt": "The Russian oil firm Yukos sold its main production unit at a state auction. Yukos had asked a US "
                   "court to stop the sale of the unit. The buyer of the Yukos unit was a little-known company.",
    "yukos_3.txt": "Former Yukos chief executive Mikhail Khodorkovsky remains in a Moscow jail awaiting trial. Yukos "
                   "was once the largest oil producer in Russia. Investors fear the oil firm will be broken up.",
    "vault.txt": "The Russian pole vaulter set a new indoor world record in Madrid on Sunday. She cleared 4.90 "
                 "metres at her second attempt in front of a capacity crowd. The oil-rich sponsor paid a bonus.",
    "injury.txt": "The Russian sprinter withdrew from the championships with a hamstring injury on Monday. Doctors "
                  "said he would miss the rest of the indoor season. His coach said no court was involved.",
    "election.txt": "An election observer from Russia said the vote in Ukraine was not free or fair. The observer said "
                    "ballots were stuffed in several eastern regions. The court will hear complaints about the vote.",
}


def stored(root: Path, files: dict[str, str], **settings: str) -> Kit:
    """A store on disk of `files`, ingested."""
    folder = root / "docs"
    folder.mkdir()
    for name, text in files.items():
        (folder / name).write_text(text + "\n", encoding="utf-8")
    k = kit.open(store_dir=str(root / "store"), llm="extractive", **settings)
    k.ingest(folder)
    return k


@pytest.fixture(scope="module")
def news(tmp_path_factory: pytest.TempPathFactory) -> Kit:
    return stored(tmp_path_factory.mktemp("news"), FILES, embedder="hash")


def test_a_named_topic_quotes_only_passages_about_it(news: Kit) -> None:
    (summary,) = news.summarize(["Yukos"])
    assert summary.found and summary.shown
    assert {Path(c.path).name.split("_")[0] for c in summary.citations} == {"yukos"}
    assert {Path(p).name.split("_")[0] for p in summary.topic.documents} == {"yukos"}


def test_an_absent_topic_lists_no_sources_and_no_keywords(news: Kit) -> None:
    (summary,) = news.summarize(["Mars rover landing"])
    assert not summary.found and summary.claims == []
    assert summary.topic.documents == () and summary.topic.keywords == () and summary.topic.chunks == ()
    assert summary.agreements == [] and summary.differences == []


def test_reports_of_an_absent_topic_name_no_sources_or_keywords(news: Kit) -> None:
    from kit.report.html import report_html
    from kit.report.markdown import report_markdown

    absent, present = news.summarize(["Mars rover landing", "Yukos"])
    provenance = news.provenance(present.citations)
    for text in (report_markdown([absent, present], provenance), report_html([absent, present], provenance)):
        mars, yukos = text.split("Yukos", 1)[0].split("Mars rover landing", 1)[1], text.split("Topic 2", 1)[1]
        assert "vault.txt" not in mars and "yukos_" not in mars and "eywords:" not in mars
        assert "yukos_" in yukos and "eywords:" in yukos


@pytest.mark.parametrize(("name", "says"), [
    ("", "is empty"),
    ("   ", "is empty"),
    ("the", "only common words"),
    ("of the and", "only common words"),
    ("Yukos " * 334, "characters long"),
])
def test_a_topic_name_with_nothing_to_look_for_is_refused(news: Kit, name: str, says: str) -> None:
    # Such a name has no key term, so every retrieved passage held "all" of them: the summary
    # quoted whatever retrieval returned for it (a Tour de France sentence for "").
    from kit.errors import InputError

    with pytest.raises(InputError, match=says) as caught:
        news.summarize(["Yukos", name])
    assert "--topics" in str(caught.value) and "\n" not in str(caught.value)


def test_a_name_in_another_script_is_not_in_the_documents(news: Kit) -> None:
    (summary,) = news.summarize(["地震"])
    assert not summary.found and summary.topic.documents == ()


def test_topics_given_twice_keeps_both(news: Kit, capsys: pytest.CaptureFixture[str]) -> None:
    from kit.cli import main

    store = str(news.store.dir)
    assert main(["summarize", "--store", store, "--json", "--no-progress",
                 "--topics", "Yukos", "--topics", "Mars rover landing"]) == 0
    titles = [s["topic"]["title"] for s in __import__("json").loads(capsys.readouterr().out)["summaries"]]
    assert titles == ["Yukos", "Mars rover landing"]


def test_two_of_three_key_terms_are_not_the_topic() -> None:
    # "stock market crash" retrieved a passage on the Warsaw Stock Exchange's history (stock and
    # market, no crash) on a corpus where "crash" is common (a plane crash): off topic.
    from kit.text import key_term_coverage
    from kit.topics.named import ON_TOPIC

    passage = "Warsaw's first stock exchange was established in 1817. It is the largest market in the region."
    assert key_term_coverage("stock market crash", passage, lambda term: 1.0) < ON_TOPIC
    assert key_term_coverage("stock market crash", passage + " Shares fell in the crash of 1929.",
                             lambda term: 1.0) >= ON_TOPIC



AID = {
    "pledges.txt": "Governments pledged more than four billion dollars to the victims of the Indian Ocean tsunami. "
                   "Japan gave five hundred million dollars, the largest single pledge. Norway and Germany also "
                   "gave large sums. Officials said the earthquake relief office in Jakarta would handle the money.",
    "ngos.txt": "Charities raised record sums for the tsunami victims in Aceh and Sri Lanka. Aid workers said "
                "clean water was the most urgent need. Donors in Japan and Europe gave through the Red Cross.",
    "fishing.txt": "Fishing villages on the coast of Sri Lanka began to rebuild their boats. The tsunami destroyed "
                   "most of the fleet. A charity from Japan paid for new nets.",
    "dairy.txt": "Parmalat founder Calisto Tanzi was sentenced to ten years in prison for fraud. The dairy "
                 "group collapsed in 2003 with debts of fourteen billion euros.",
}


@pytest.fixture(scope="module")
def aid(tmp_path_factory: pytest.TempPathFactory) -> Kit:
    return stored(tmp_path_factory.mktemp("aid"), AID)  # the shipped MiniLM


def test_a_name_whose_words_the_documents_use_for_another_story_is_not_in_them(aid: Kit) -> None:
    # A passage holds "Japan", "earthquake" and "tsunami": every key term, of another story (a donor
    # to the 2004 tsunami). No sentence says anything near a Japanese earthquake and tsunami.
    (summary,) = aid.summarize(["Japan earthquake and tsunami"])
    assert not summary.found and summary.claims == [] and summary.topic.documents == ()
    (present,) = aid.summarize(["pledges to tsunami victims"])
    assert present.found and present.shown and present.topic.documents



def test_a_lone_name_a_passage_says_is_in_the_documents(aid: Kit) -> None:
    # A name alone is far in meaning from any sentence that mentions it (MiniLM puts "Parmalat"
    # 0.41 from the sentence on its founder's sentence): said word for word, it is there.
    (summary,) = aid.summarize(["Parmalat"])
    assert summary.found and summary.shown and [Path(p).name for p in summary.topic.documents] == ["dairy.txt"]
