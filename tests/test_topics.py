"""Topic discovery: separated subjects come back, tiny corpora work, labels name the subject,
named topics retrieve, and an LLM label is used and traced.

One module-scoped kit runs the real default model on a small synthetic corpus; the rest uses the
hashing embedder or calls `discover` on hand-made vectors.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pytest
from sklearn.metrics import normalized_mutual_info_score

import kit
import kit.topics.cluster as topics_module
from kit.api import Kit
from kit.embeddings import HashEmbedder
from kit.llm.base import Message
from kit.llm.testing import FunctionChat
from kit.results import Topic
from kit.text import keywords
from kit.topics.cluster import MIN_TOPIC_CHARS, cluster, ctfidf_labels, discover
from kit.topics.labels import _casing, readable_label, tidy
from kit.types import Chunk

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


def test_labels_and_keywords_name_the_subject(minilm_subjects: Kit,
                                              subjects_folder: tuple[Path, dict[str, str]]) -> None:
    _, gold = subjects_folder
    for t in minilm_subjects.topics():
        subject = majority_subject(t, gold)
        # Words that occur in at least two documents of the subject (stemmed, like the labels).
        per_doc = [set(keywords(d)) for d in SUBJECTS[subject]]
        common = {w for w in set().union(*per_doc) if sum(w in d for d in per_doc) >= 2}
        label_words = {w for term in t.keywords for w in keywords(term)}
        assert label_words & common, (subject, t.keywords)
        # No headlines in these files: the label is a phrase of the subject, not a keyword list.
        assert "," not in t.label and 1 <= len(t.label.split()) <= 4, t.label
        assert set(keywords(t.label)) & common, (subject, t.label)
        assert set(t.documents) == set(t.coverage) and all(gold[d] == subject for d in t.documents[:3])


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

def _labeller(replies: dict[str, str]) -> FunctionChat:
    """A model that answers by the subject of the passages it is shown (bread, volcano, chess)."""
    def reply(messages: Sequence[Message]) -> str:
        user = messages[-1].content.lower()
        return next((text for word, text in replies.items() if word in user), "")
    return FunctionChat(reply, "scripted")


def _subjects_kit(tmp_path: Path) -> Kit:
    write_subjects(tmp_path / "docs")
    k = kit.open(store_dir=str(tmp_path / "store"), llm="extractive")  # the real MiniLM embedder
    k.ingest(tmp_path / "docs")
    return k


def _by_subject(topics: list[Topic]) -> dict[str, Topic]:
    return {Path(t.documents[0]).name.split("_")[0]: t for t in topics}


def test_llm_label_is_used_and_traced(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    k = _subjects_kit(tmp_path)
    chat = _labeller({"dough": '"Bread from flour and water"\nThese passages are about bread.',
                      "lava": "Label: Volcanic eruptions", "chess": ""})
    k.chat_backend = chat
    caplog.set_level(logging.INFO, logger="kit.trace")
    topics = _by_subject(k.topics(k=3))
    assert len(topics) == 3 and len(chat.requests) == 3  # one call per topic
    bread, volcano, chess = topics["bread"], topics["volcano"], topics["chess"]
    assert bread.title == bread.llm_label == "Bread from flour and water"  # first line, quotes off
    assert volcano.title == volcano.llm_label == "Volcanic eruptions"
    assert chess.title == chess.label and chess.llm_label is None  # an empty reply: kit's own label
    assert all(t.label and t.keywords for t in topics.values())  # the offline label and keywords are kept alongside
    traces = [json.loads(r.getMessage()) for r in caplog.records if r.name == "kit.trace"]
    assert [t["prompt"] for t in traces] == ["topic_label"] * 3
    by_first = {t.chunks[0].id: t for t in topics.values()}
    for trace, request in zip(traces, chat.requests, strict=True):
        topic = by_first[trace["passage_ids"][0]]
        assert trace["passage_ids"] == [c.id for c in topic.chunks[:3]] and trace["model"] == "scripted"
        user = request[-1].content
        assert ", ".join(topic.keywords) in user
        assert " ".join(topic.chunks[0].text.split())[:300] in user


@pytest.mark.parametrize("reply", [
    "bread, dough, flour, loaf, yeast",  # the keywords it was shown, as a list
    "Volcanic eruptions",  # another topic's label
    "Stock market crash",  # words the topic's passages never use
    "Baking bread at home",  # words few of its documents use ("home" none)
    "Bread dough with 500 grams of flour",  # a figure: one document's detail
    "An open crumb",  # words of its passages, but none of the words that set the topic apart
    "Hot water and gas",  # a bread keyword and words its passages use, but nearer another topic
    "This topic is about how people make bread in their kitchens every single day",  # a sentence
])
def test_a_model_label_that_does_not_name_its_topic_is_not_shown(tmp_path: Path, reply: str) -> None:
    k = _subjects_kit(tmp_path)
    k.chat_backend = _labeller({"dough": reply})
    bread = _by_subject(k.topics(k=3))["bread"]
    assert bread.llm_label is None and bread.title == bread.label


# -- stories, sections and clustering ---------------------------------------------------------

SEED_STORIES = [{"000"}, {"001", "002"}, {"003", "004"}]  # Palmyra convoys; 18 cruise missiles; Raqqa to Deir ez-Zor


def test_the_seeds_tell_three_stories(minilm_kit: Kit) -> None:
    topics = minilm_kit.topics()
    found = sorted([{Path(d).name[:3] for d in t.documents} for t in topics], key=sorted)
    assert found == SEED_STORIES, [(t.label, t.documents) for t in topics]
    for t in topics:
        assert {c.section for c in t.chunks} == {"article"}  # no sidebar, no reader comment
        assert t.label and "," not in t.label and len(t.label.split()) <= 12


def test_summaries_leave_out_sidebars_and_comments_unless_the_setting_names_them(minilm_kit: Kit) -> None:
    chunks, _ = minilm_kit.store.all_vectors()
    assert {"sidebar", "comments"} <= {c.section for c in chunks}  # the seeds have both
    # The "pivot to Asia" sidebar that a topic used to mix with the Kremlin's statements.
    assert {c.section for c in chunks if "pivot to Asia" in c.text} == {"sidebar"}
    everything = Topic(1, "all", (), tuple(chunks))
    (default,) = minilm_kit.summarize([everything], max_sentences=40)
    assert {c.section for c in default.citations} == {"article"}
    assert not any("summary_sections" in n for n in default.notes)
    wide = Kit(minilm_kit.settings, summary_sections=("article", "sidebar", "comments"))
    (included,) = wide.summarize([everything], max_sentences=40)
    assert {c.section for c in included.citations} > {"article"}
    assert any("reader comments and sidebars (setting summary_sections)" in n for n in included.notes)
    assert any(c.section == "sidebar" for t in wide.topics() for c in t.chunks)


def _groups(n: int, centres: list[np.ndarray], noise: float, seed: int = 0) -> tuple[np.ndarray, list[int]]:
    rng = np.random.default_rng(seed)
    rows, truth = [], []
    for g, centre in enumerate(centres):
        for _ in range(n):
            v = centre + noise * rng.standard_normal(len(centre))
            rows.append(v / np.linalg.norm(v))
            truth.append(g)
    return np.array(rows), truth


def test_stories_sharing_the_corpus_theme_stay_apart() -> None:
    # Three stories that all share a strong common theme (as every seed page is about Syria):
    # uncentred, every pair is very alike; centred, the stories separate.
    rng = np.random.default_rng(1)
    theme = 3 * rng.standard_normal(64)
    centres = [theme + rng.standard_normal(64) for _ in range(3)]
    vectors, truth = _groups(3, centres, 0.3)
    assert float(np.min(vectors @ vectors.T)) > 0.7
    labels = cluster(vectors)
    assert normalized_mutual_info_score(truth, labels) == 1.0


def test_large_corpora_cluster_a_sample_and_assign_the_rest(monkeypatch: pytest.MonkeyPatch) -> None:
    rng = np.random.default_rng(2)
    centres = [rng.standard_normal(32) for _ in range(4)]
    vectors, truth = _groups(60, centres, 0.4)
    monkeypatch.setattr(topics_module, "SAMPLE", 50)
    labels = cluster(vectors)
    assert len(labels) == 240 and normalized_mutual_info_score(truth, labels) > 0.95


def _news_refined_beside(other: np.ndarray, other_docs: list[str], news: np.ndarray) -> np.ndarray:
    """The labels `_refine` gives the news rows of a corpus first split into two genres."""
    vectors = np.vstack([other, news])
    documents = other_docs + [f"article{i}" for i in range(len(news))]
    labels = topics_module._refine(vectors, np.array([0] * len(other) + [1] * len(news)), 0, documents)
    assert len(set(labels.tolist())) == topics_module.MAX_TOPICS
    return labels[len(other):]


def test_the_genre_of_many_documents_is_split_before_long_manuals() -> None:
    # A mixed corpus split by genre first: three long manuals make 216 units in 27 tight groups,
    # 150 short articles 150 units in 6 stories. Refined by units, the manuals took the room up to
    # MAX_TOPICS and the 6 stories stayed one topic; read per document, the stories come first
    # and the manuals get the cut that fits.
    rng = np.random.default_rng(4)
    manuals, _ = _groups(8, [rng.standard_normal(64) for _ in range(27)], 0.2, seed=5)
    news, truth = _groups(25, [rng.standard_normal(64) for _ in range(6)], 0.3, seed=6)
    labels = _news_refined_beside(manuals, [f"manual{i % 3}" for i in range(len(manuals))], news)
    assert normalized_mutual_info_score(truth, labels) == 1.0


def test_the_genre_that_mixes_stories_is_split_before_one_of_alike_documents() -> None:
    # A mixed corpus split by genre first: 240 package descriptions, alike (one boilerplate
    # direction) in 40 small groups, and 120 news articles in 6 unrelated stories. Refined by
    # document count, the packages took the room up to MAX_TOPICS and the stories stayed merged;
    # refined by how far the documents spread, the stories come first.
    rng = np.random.default_rng(7)
    boilerplate = 4 * rng.standard_normal(64)
    packages, _ = _groups(6, [boilerplate + rng.standard_normal(64) for _ in range(40)], 0.2, seed=8)
    news, truth = _groups(20, [rng.standard_normal(64) for _ in range(6)], 0.3, seed=9)
    labels = _news_refined_beside(packages, [f"package{i}" for i in range(len(packages))], news)
    assert normalized_mutual_info_score(truth, labels) == 1.0


def test_forced_k_gives_k_topics() -> None:
    rng = np.random.default_rng(3)
    vectors, _ = _groups(5, [rng.standard_normal(16) for _ in range(4)], 0.2)
    assert len(set(cluster(vectors, k=2))) == 2 and len(set(cluster(vectors, k=4))) == 4


# -- labels -----------------------------------------------------------------------------------

def test_shouting_headlines_are_recased_from_the_text_and_credits_cut() -> None:
    casing = _casing("The US-led coalition said ISIS fighters left Raqqah for Deir Ezzor. The coalition denied it.")
    label = tidy("US-LED COALITION IS GOING TO ALLOW ISIS TERRORISTS TO REDEPLOY FROM RAQQAH TO DEIR EZZOR – REPORTS",
                 casing)
    assert label == "US-led coalition is going to allow ISIS terrorists to redeploy from Raqqah to Deir Ezzor"
    assert tidy("Strong aftershock hits central Chile", casing) == "Strong aftershock hits central Chile"


def test_the_most_central_headline_names_the_topic() -> None:
    texts = {"a.txt": "Volcano erupts near the coast\n\nLava flowed from the volcano towards the coast all night long.",
             "b.txt": "Ash closes airports\n\nAsh from the volcano closed three airports across the region today."}
    chunks = [Chunk(f"c{p}", p, 0, len(t), "article", t, "sha") for p, t in texts.items()]
    embedder = HashEmbedder()
    centre = embedder.embed(["Volcano erupts near the coast. Lava flowed from the volcano."])[0]
    assert readable_label(chunks, centre, [centre], embedder) == "Volcano erupts near the coast"
    assert readable_label(chunks, centre, [centre], None) == "Volcano erupts near the coast"  # most representative
    no_headlines = [Chunk("c", "m.txt", 0, 60, "article", "The grep tool searches files. Use grep tool options.", "s")]
    assert "grep tool" in (readable_label(no_headlines, centre, [centre], None) or "").lower()


def test_summary_sections_setting_reads_a_list_and_refuses_unknown_sections() -> None:
    from kit.config import Settings
    from kit.errors import ConfigError

    assert Settings.load(environ={}).summary_sections == ("article",)
    got = Settings.load(environ={"KIT_SUMMARY_SECTIONS": "article,sidebar"}).summary_sections
    assert got == ("article", "sidebar")
    with pytest.raises(ConfigError, match="summary_sections"):
        Settings.load(environ={"KIT_SUMMARY_SECTIONS": "adverts"})


def test_the_silhouette_is_scikit_learns_including_a_point_alone() -> None:
    from scipy.spatial.distance import pdist, squareform
    from sklearn.metrics import silhouette_score

    from kit.topics.cluster import silhouette

    rng = np.random.default_rng(7)
    distances = squareform(pdist(rng.normal(size=(30, 6)), metric="cosine"))
    for labels in (rng.integers(1, 5, size=30), np.array([1] + [2] * 14 + [3] * 15)):
        assert silhouette(distances, labels) == pytest.approx(
            silhouette_score(distances, labels, metric="precomputed"), abs=1e-12)
