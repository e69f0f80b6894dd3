"""Topic discovery: separated subjects come back, tiny corpora work, labels name the subject,
named topics retrieve, and an LLM label is used and traced.

One module-scoped kit runs the real default model on a small synthetic corpus; the rest uses the
hashing embedder or calls `discover` on hand-made vectors.
"""

from __future__ import annotations

import json
import logging
from pathlib import Path

import numpy as np
import pytest
from sklearn.metrics import normalized_mutual_info_score

import kit
from kit.api import Kit
from kit.embeddings import HashEmbedder
from kit.llm import ScriptedChat
from kit.text import keywords
from kit.topics import MIN_TOPIC_CHARS, ctfidf_labels, discover
from kit.types import Chunk, Topic

SUBJECTS: dict[str, list[str]] = {
    "bread": [
        "A sourdough starter is a mix of flour and water that wild yeast ferments for days. Bakers feed the "
        "starter daily and use it to leaven bread dough instead of packaged yeast.",
        "Kneading the bread dough develops gluten, which traps the gas the yeast makes. A well kneaded dough "
        "is smooth and elastic, and it rises into a tall loaf with an open crumb.",
        "Bake the loaf in a very hot oven with steam for the first twenty minutes. The steam keeps the crust "
        "soft while the bread rises, then the crust turns brown and crisp.",
        "Whole wheat flour absorbs more water than white flour, so the dough needs more hydration. Let the "
        "bread dough rest before shaping the loaf so the flour can soak up the water.",
    ],
    "volcano": [
        "The volcano erupted overnight, sending a column of ash ten kilometres into the sky. Lava flowed "
        "down the eastern flank of the volcano towards the coast.",
        "Magma rising beneath the crater caused thousands of small earthquakes before the eruption. "
        "Volcanologists measured the ground swelling around the volcano for weeks.",
        "Ash from the eruption closed airports across the region, because volcanic ash damages jet engines. "
        "The ash cloud drifted south with the wind for three days.",
        "Lava fountains from the crater fed a river of molten rock that buried roads and farms. The eruption "
        "of the volcano slowed once the magma chamber emptied.",
    ],
    "chess": [
        "The grandmaster opened with the queen's gambit and won the game in thirty moves. Her opponent "
        "resigned when checkmate with the rook and queen could no longer be stopped.",
        "In the chess endgame the king becomes a strong piece and should march to the centre. Passed pawns "
        "decide most endgames, so each player races to promote a pawn to a queen.",
        "The chess tournament ended in a tie between two grandmasters, and a rapid playoff decided the title. "
        "The champion won the playoff game with the black pieces after a sharp opening.",
        "A chess opening aims to develop the knights and bishops, castle the king and fight for the centre. "
        "Beginners often move the queen too early and lose time in the opening.",
    ],
}


def write_subjects(folder: Path) -> dict[str, str]:
    """One file per document; returns file name -> subject."""
    folder.mkdir(parents=True, exist_ok=True)
    gold = {}
    for subject, docs in SUBJECTS.items():
        for n, text in enumerate(docs):
            name = f"{subject}_{n}.txt"
            (folder / name).write_text(text + "\n", encoding="utf-8")
            gold[name] = subject
    return gold


@pytest.fixture(scope="module")
def subjects_folder(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, str]]:
    folder = tmp_path_factory.mktemp("subjects") / "docs"
    gold = write_subjects(folder)
    return folder, {f"docs/{name}": subject for name, subject in gold.items()}  # as the store names them


@pytest.fixture(scope="module")
def minilm_subjects(subjects_folder: tuple[Path, dict[str, str]]) -> Kit:
    k = kit.open(store_dir=str(subjects_folder[0].parent / ".kit"), llm="extractive")
    report = k.ingest(subjects_folder[0])
    assert report.files == 12 and not report.issues
    return k


def majority_subject(topic: Topic, gold: dict[str, str]) -> str:
    counts: dict[str, int] = {}
    for c in topic.chunks:
        counts[gold[c.path]] = counts.get(gold[c.path], 0) + 1
    return max(counts, key=lambda s: counts[s])


# -- discovery on the real model --------------------------------------------------------------

def test_separated_subjects_are_found(minilm_subjects: Kit, subjects_folder: tuple[Path, dict[str, str]]) -> None:
    _, gold = subjects_folder
    topics = minilm_subjects.topics()
    assert 2 <= len(topics) <= 4
    assigned = {c.path: t.number for t in topics for c in t.chunks}
    assert set(assigned) == set(gold)  # every document landed in a topic
    names = sorted(gold)
    nmi = normalized_mutual_info_score([gold[n] for n in names], [assigned[n] for n in names])
    assert nmi >= 0.9, (nmi, {t.label: sorted(t.coverage) for t in topics})


def test_keyword_labels_name_the_subject(minilm_subjects: Kit, subjects_folder: tuple[Path, dict[str, str]]) -> None:
    _, gold = subjects_folder
    for t in minilm_subjects.topics():
        subject = majority_subject(t, gold)
        # Words that occur in at least two documents of the subject (stemmed, like the labels).
        per_doc = [set(keywords(d)) for d in SUBJECTS[subject]]
        common = {w for w in set().union(*per_doc) if sum(w in d for d in per_doc) >= 2}
        label_words = {w for term in t.keywords for w in term.split()}
        assert label_words & common, (subject, t.keywords)
        assert t.label == ", ".join(t.keywords[:3])


def test_named_topics_retrieve_their_passages(minilm_subjects: Kit,
                                              subjects_folder: tuple[Path, dict[str, str]]) -> None:
    _, gold = subjects_folder
    topics = minilm_subjects.topics(names=["volcanic eruption and lava", "winning a chess game"], passages=4)
    assert [t.title for t in topics] == ["volcanic eruption and lava", "winning a chess game"]
    for topic, subject in zip(topics, ["volcano", "chess"], strict=True):
        assert len(topic.chunks) == 4 and topic.keywords
        assert gold[topic.chunks[0].path] == subject
        assert sum(gold[c.path] == subject for c in topic.chunks) >= 3


# -- c-TF-IDF ---------------------------------------------------------------------------------

def test_ctfidf_prefers_terms_specific_to_a_group() -> None:
    groups = [SUBJECTS["bread"], SUBJECTS["volcano"], SUBJECTS["chess"]]
    labels = ctfidf_labels(groups, top=5)
    assert len(labels) == 3 and all(len(words) == 5 for words in labels)
    for words, subject in zip(labels, ["bread", "volcano", "chess"], strict=True):
        others = " ".join(d for s, docs in SUBJECTS.items() if s != subject for d in docs)
        other_words = set(keywords(others))
        # The top term of each group never occurs in the other groups.
        assert not set(words[0].split()) & other_words, (subject, words)


def test_ctfidf_does_not_repeat_a_word_inside_a_chosen_bigram() -> None:
    labels = ctfidf_labels([["chess opening chess opening chess opening king"], ["lava lava flow"]], top=3)
    for words in labels:
        for i, a in enumerate(words):
            for b in words[i + 1:]:
                assert not set(a.split()) <= set(b.split()) and not set(b.split()) <= set(a.split())


# -- tiny corpora -----------------------------------------------------------------------------

def make_chunks(texts: list[str]) -> tuple[list[Chunk], np.ndarray]:
    chunks = [Chunk(f"c{i}", f"doc{i}.txt", 0, len(t), "article", t, "sha") for i, t in enumerate(texts)]
    return chunks, HashEmbedder().embed(texts)


TEXTS = [d for docs in SUBJECTS.values() for d in docs]


@pytest.mark.parametrize("n", [1, 2, 3])
def test_tiny_corpora_give_one_topic_with_every_chunk(n: int) -> None:
    chunks, vectors = make_chunks(TEXTS[:n])
    topics = discover(chunks, vectors)
    assert len(topics) == 1
    assert sorted(c.id for c in topics[0].chunks) == sorted(c.id for c in chunks)
    assert topics[0].label and topics[0].number == 1


def test_forced_k_is_capped_by_the_number_of_chunks() -> None:
    chunks, vectors = make_chunks(TEXTS[:2])
    topics = discover(chunks, vectors, k=5)
    assert len(topics) == 2 and sorted(len(t.chunks) for t in topics) == [1, 1]


@pytest.mark.filterwarnings("ignore::sklearn.exceptions.ConvergenceWarning")  # k-means on identical points
def test_identical_chunks_do_not_crash_and_stay_together() -> None:
    chunks, vectors = make_chunks([TEXTS[0]] * 6)
    topics = discover(chunks, vectors)
    assert sum(len(t.chunks) for t in topics) == 6
    assert len(topics) == 1


def test_chunks_too_short_to_place_are_left_out() -> None:
    chunks, vectors = make_chunks(["Short headline.", TEXTS[0], "x" * (MIN_TOPIC_CHARS - 1)])
    topics = discover(chunks, vectors)
    assert [c.id for t in topics for c in t.chunks] == ["c1"]
    assert discover(chunks[:1], vectors[:1]) == []


@pytest.mark.parametrize("n", [1, 2, 3])
def test_kit_topics_on_a_folder_of_one_to_three_files(tmp_path: Path, n: int) -> None:
    folder = tmp_path / "docs"
    folder.mkdir()
    for i, text in enumerate(TEXTS[:n]):
        (folder / f"d{i}.txt").write_text(text + "\n", encoding="utf-8")
    k = kit.open(store_dir=str(tmp_path / "store"), embedder="hash", llm="extractive")
    k.ingest(folder)
    topics = k.topics()
    assert len(topics) == 1 and len(topics[0].coverage) == n
    summaries = k.summarize(topics)
    assert len(summaries) == 1 and summaries[0].shown


# -- LLM labels -------------------------------------------------------------------------------

def test_llm_label_is_used_and_traced(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    write_subjects(tmp_path / "docs")
    k = kit.open(store_dir=str(tmp_path / "store"), embedder="hash", llm="extractive")
    k.ingest(tmp_path / "docs")
    chat = ScriptedChat(['"Baking bread at home"\nThese passages are about bread.', "", "Volcanic eruptions"])
    k.chat = chat
    caplog.set_level(logging.INFO, logger="kit.trace")
    topics = k.topics(k=3)
    assert len(topics) == 3 and not chat.replies  # one call per topic
    assert topics[0].title == topics[0].llm_label == "Baking bread at home"
    assert topics[1].title == topics[1].label  # an empty reply falls back to the keyword label
    assert topics[2].title == "Volcanic eruptions"
    assert all(t.label == ", ".join(t.keywords[:3]) for t in topics)  # keyword label kept alongside
    traces = [json.loads(r.getMessage()) for r in caplog.records if r.name == "kit.trace"]
    assert [t["prompt"] for t in traces] == ["topic_label"] * 3
    for topic, trace, request in zip(topics, traces, chat.requests, strict=True):
        assert trace["passage_ids"] == [c.id for c in topic.chunks[:3]] and trace["model"] == "scripted"
        user = request[-1].content
        assert ", ".join(topic.keywords) in user
        assert " ".join(topic.chunks[0].text.split())[:300] in user
