"""Topic labels that describe the whole topic: a phrase shared by most of its documents, kept as
the documents spell it; keywords shown as words of the text; small topics keep their headline.

Texts are written here for the purpose (no dev or evaluation data); the seeds run the real model.
"""

from __future__ import annotations

import re

import numpy as np
import pytest

from kit.api import Kit
from kit.embeddings import HashEmbedder
from kit.report.text import topic_text
from kit.text import plural
from kit.topics.cluster import ctfidf_labels, discover
from kit.topics.phrases import MIN_DOCS, MIN_SHARE, document_phrases, shared_label
from kit.topics.reading import document_texts
from kit.types import Chunk

# Each article of a story words it differently; only some phrases recur across the story.
STORIES = {
    "eclipse": [
        "Crowds gathered on the beach to watch the Solar Eclipse. The moon covered the sun at noon.",
        "Astronomers said the Solar Eclipse lasted four minutes. Schools closed so pupils could watch.",
        "Traffic jams followed the Solar Eclipse, as visitors drove home from the hills.",
        "Hotels were full days before the event. Cloud hid the sky in the north of the country.",
    ],
    "harbour": [
        "The new Harbour Bridge opened to traffic on Monday after six years of building works.",
        "Tolls on the Harbour Bridge will fall next year, the transport minister announced.",
        "Engineers inspected cables of the Harbour Bridge after a storm with strong winds.",
        "Fishermen complained that the works had scared the fish away from the bay.",
    ],
}


def _chunks(stories: dict[str, list[str]]) -> list[Chunk]:
    return [Chunk(f"{s}{n}", f"{s}_{n}.txt", 0, len(t), "article", t, f"sha{s}{n}")
            for s, texts in stories.items() for n, t in enumerate(texts)]


def _docs_with(phrase: str, texts: list[str]) -> int:
    return sum(bool(re.search(rf"\b{re.escape(phrase)}\b", t, re.IGNORECASE)) for t in texts)


def test_the_label_is_a_phrase_most_of_the_topics_documents_share() -> None:
    by_path = document_texts(_chunks(STORIES))
    phrases, df = document_phrases(by_path)
    for story, texts in STORIES.items():
        docs = [f"{story}_{n}.txt" for n in range(len(texts))]
        label = shared_label(docs, phrases, df, by_path)
        assert label is not None
        assert _docs_with(label, texts) >= max(MIN_DOCS, MIN_SHARE * len(texts)), (story, label)
        other = [t for s, ts in STORIES.items() if s != story for t in ts]
        assert _docs_with(label, other) == 0, label  # it tells this story from the other one
        assert label in " ".join(texts)  # spelled as the documents spell it


def test_the_most_specific_shared_phrase_wins_over_its_parts() -> None:
    # "Harbour" and "Bridge" are each in as many documents as "Harbour Bridge": the longer phrase,
    # shared as widely, names the topic better than either word.
    texts = document_texts(_chunks(STORIES))
    phrases, df = document_phrases(texts)
    label = shared_label([f"harbour_{n}.txt" for n in range(4)], phrases, df, texts)
    assert label == "Harbour Bridge"


def test_topics_sharing_no_phrase_or_too_small_get_no_shared_label() -> None:
    scattered = {"misc": ["Apples grow on trees.", "Rivers flow to seas.", "Clocks measure time.",
                          "Kettles boil water."]}
    texts = document_texts(_chunks(scattered))
    phrases, df = document_phrases(texts)
    assert shared_label([f"misc_{n}.txt" for n in range(4)], phrases, df, texts) is None
    pair = {"pair": ["The Harbour Bridge opened.", "The Harbour Bridge closed."]}
    texts = document_texts(_chunks(pair))
    phrases, df = document_phrases(texts)
    assert shared_label(["pair_0.txt", "pair_1.txt"], phrases, df, texts) is None  # under MIN_DOCS: headline instead


def test_discover_labels_with_the_shared_phrase_and_shows_keywords_as_written() -> None:
    chunks = _chunks(STORIES)
    vectors = HashEmbedder().embed([c.text for c in chunks])
    topics = discover(chunks, np.asarray(vectors), k=2)
    texts = {c.path: c.text for c in chunks}
    assert sorted(t.label for t in topics) == ["Harbour Bridge", "Solar Eclipse"]
    for t in topics:
        words = set(re.findall(r"[^\W_]+", " ".join(texts[d] for d in t.documents)))
        assert t.keywords and all(set(term.split()) <= words for term in t.keywords), t.keywords
        assert f"{plural(len(t.documents), 'document')}, {plural(len(t.chunks), 'chunk')}" in topic_text(t)


def test_keywords_are_words_not_stems() -> None:
    (words,) = ctfidf_labels([["Yukos shares fell as Yukos sold its assets.", "Yukos and its assets again."]])
    assert "Yukos" in words and "yuko" not in words and "assets" in words


@pytest.mark.slow
def test_the_seeds_keep_three_topics_with_their_labels(minilm_kit: Kit) -> None:
    topics = minilm_kit.topics()
    assert len(topics) == 3
    assert len({d for t in topics for d in t.documents}) == 5
    for t in topics:
        body = " ".join(c.text for c in t.chunks)
        # A label is a headline or shared phrase of the topic's own documents, never another topic's.
        assert t.label.lower().split()[0] in body.lower(), t.label
        assert all(re.search(rf"\b{re.escape(w)}\b", body) for term in t.keywords for w in term.split()), t.keywords


def test_a_shared_word_that_names_nothing_is_no_label() -> None:
    # Every article of the story says "donated" and three of four name the Red Cross, which another
    # story names too: "donated" scores higher, but a verb is no label.
    stories = {"gift": [
        "Residents donated blankets to the Red Cross on Monday after the floods.",
        "A local bakery donated bread, and the Red Cross handed it out at the school.",
        "Farmers donated hay for the animals. The Red Cross thanked them on Friday.",
        "Pupils donated their pocket money after the floods had closed their school.",
    ], "storm": [
        "The storm cut power to the coast. The Red Cross opened a shelter in the town hall.",
        "Winds of 120 km/h tore roofs off houses near the harbour.",
        "Ferries stayed in port as the storm moved north along the coast.",
        "Engineers restored power to most homes by Sunday evening.",
    ]}
    texts = document_texts(_chunks(stories))
    phrases, df = document_phrases(texts)
    assert shared_label([f"gift_{n}.txt" for n in range(4)], phrases, df, texts) == "Red Cross"


def test_names_a_thing_reads_the_phrase_where_it_is_used() -> None:
    from kit.topics.phrases import names_a_thing

    assert names_a_thing("abu ghraib prison", ["Guards at the Abu Ghraib prison were charged."])
    assert not names_a_thing("donated", ["Residents donated blankets."])
    assert not names_a_thing("price oil", ["They would price oil in dollars from then on."])
    assert not names_a_thing("early", ["The rains came early this year."])
