"""Summary candidates and their selection: quotes stay exact raw spans, page furniture never
becomes a candidate, the budget and the near-copy rule hold, the solver is never worse than
greedy, and sentences come back in reading order.

Concept weights here are hand-made; whether the shipped weights make good summaries is
measured by bench/eval_topics.py on MultiLing, not here.
"""

from __future__ import annotations

from datetime import date

import numpy as np
import pytest

from kit.corpus.chunking import chunk_document
from kit.topics.salience import (
    FEATURES,
    Candidate,
    ConceptModel,
    candidates,
    concept_features,
    concepts,
    headlines,
    passages,
)
from kit.topics.selection import Selection, article_date, greedy, near_copies, reading_order, select
from kit.types import Chunk
from tests.helpers import make_document

ARTICLE = """Storm closes northern port

Tuesday, March 4, 2025

Harbour Town, Northland – The harbour authority closed the northern port on Tuesday after a storm damaged two cranes.
Click to Enlarge Engineers expect the repairs to the two damaged cranes to take at least three weeks to finish.
By John Smith
Will the port reopen before the holidays?
Photos: see www.example.com/port for pictures of the storm damage at the harbour today
Shipping companies rerouted forty container vessels to the southern terminal while the port stays closed.
"""


PARAGRAPH = ("The council met on Monday to discuss the new bridge over the river near the old mill. "
             "Engineers told the council that the bridge would cost twelve million pounds and take two years. "
             "Residents asked whether the old mill would be kept, and the council said it would be restored. ") * 2


def doc_chunks(raw: str, path: str = "port.txt", size: int = 120, overlap: int = 40) -> list:
    return chunk_document(make_document(raw, path), size, overlap)


def test_candidates_are_exact_spans_without_furniture() -> None:
    chunks = doc_chunks(ARTICLE)
    assert len(chunks) > 3  # small chunks: sentences cross chunk edges and must be rebuilt whole
    cands = candidates(chunks)
    texts = [c.text for c in cands]
    assert texts == [
        "The harbour authority closed the northern port on Tuesday after a storm damaged two cranes.",
        "Engineers expect the repairs to the two damaged cranes to take at least three weeks to finish.",
        "Shipping companies rerouted forty container vessels to the southern terminal while the port stays closed.",
    ]
    for c in cands:
        assert ARTICLE[c.passage.start + c.start:c.passage.start + c.end] == c.text
    assert [c.rank for c in cands] == [0, 1, 2]


def test_a_line_that_does_not_end_like_a_sentence_is_no_candidate() -> None:
    """Headlines of other stories, captions and text a page cut off keep their function words,
    so only the missing full stop tells them apart; reference marks after a full stop do not
    count against it, nor does a closing quotation mark."""
    raw = ("The harbour authority closed the northern port on Tuesday after a storm damaged two cranes.\n\n"
           "Related news\n\n"
           "Ferry operator offers refunds to passengers stranded by the storm at the northern port\n\n"
           "Engineers expect the repairs to the two damaged cranes to take at least three weeks.[citation needed]\n\n"
           "The harbour master said the port would reopen \"as soon as the cranes are safe to use again\"\n\n"
           "A crane operator said the wind had torn the roof off the control cabin of the old crane, which was re")
    texts = [c.text for c in candidates(doc_chunks(raw, size=400, overlap=0))]
    assert texts == [
        "The harbour authority closed the northern port on Tuesday after a storm damaged two cranes.",
        "Engineers expect the repairs to the two damaged cranes to take at least three weeks.[citation needed]",
        "The harbour master said the port would reopen \"as soon as the cranes are safe to use again\"",
    ]


def test_passages_merge_overlapping_chunks_into_raw_spans() -> None:
    # Overlapping chunks that cut sentences in the middle, given out of order.
    spans = [(150, 290), (0, 100), (60, 180)]
    chunks = [Chunk(f"c{s}", "p.txt", s, e, "article", PARAGRAPH[s:e], "sha") for s, e in spans]
    merged = passages(chunks)
    assert [(p.start, p.end) for p in merged] == [(0, 290)]
    assert PARAGRAPH[0:290] == merged[0].text
    whole = [c.text for c in candidates(chunks)]
    assert whole[:2] == [s.strip() + "." for s in PARAGRAPH.split(". ")[:2]]  # no sentence cut at a chunk edge


def test_headline_is_the_title_line_not_the_date() -> None:
    assert headlines(doc_chunks(ARTICLE)) == {"port.txt": "Storm closes northern port"}


def test_concepts_are_stemmed_bigrams_and_content_words() -> None:
    found = concepts("The cranes were damaged by the storm")
    assert concepts("crane") <= found and concepts("damage") <= found  # inflections meet
    assert "the storm" in found and "by the" not in found  # two stopwords make no concept


def test_concept_features_follow_the_documents() -> None:
    first = candidates(doc_chunks(ARTICLE, "a.txt"))
    second = candidates(doc_chunks("Cranes at the northern port were damaged by a storm on Tuesday night.\n", "b.txt"))
    cands = first + second
    feats = concept_features(cands, np.ones(len(cands)), ["Storm closes northern port"])
    share, headline = FEATURES.index("doc_share"), FEATURES.index("headline")
    (port,) = concepts("northern port") - concepts("northern") - concepts("port")
    (forty,) = concepts("forty container") - concepts("forty") - concepts("container")
    assert feats[port][share] == 1.0  # both documents state it
    assert feats[forty][share] == 0.5
    assert feats[port][headline] == 0.5 and feats[forty][headline] == 0.0


def test_shipped_model_reads_every_feature() -> None:
    model = ConceptModel.load()
    assert len(model.weights) == len(FEATURES)
    weights = model.weigh({"a b": np.ones(len(FEATURES)), "c d": np.zeros(len(FEATURES))})
    assert 0 < weights["c d"] < weights["a b"] < 1 or 0 < weights["a b"] < weights["c d"] < 1


def _problem(words: list[int], concept_sets: list[set[str]], weights: dict[str, float], budget: int | None,
             redundant: frozenset[tuple[int, int]] = frozenset()) -> Selection:
    cands = []
    for n, (w, cs) in enumerate(zip(words, concept_sets, strict=True)):
        text = " ".join(f"w{n}x{k}" for k in range(w))
        chunk = Chunk(f"c{n}", f"d{n}.txt", 0, len(text), "article", text, "sha")
        cands.append(Candidate(chunk, 0, len(text), text, 0, frozenset(cs)))
    return Selection(cands, weights, budget, 10, redundant)


def test_solver_covers_more_than_greedy_within_the_budget() -> None:
    # Greedy takes the densest sentence (x: 5 for 4 words) first, then y; y + z is worth more.
    weights = {"x": 5.0, "y": 7.0, "z": 6.0}
    problem = _problem([4, 7, 6], [{"x"}, {"y"}, {"z"}], weights, budget=13)
    assert greedy(problem, [0, 1, 2]) == [0, 1]  # worth 12
    assert select(problem) == [1, 2]  # worth 13, 13 words


def test_a_concept_counts_once_and_near_copies_are_not_both_chosen() -> None:
    weights = {"x": 5.0, "y": 1.0}
    problem = _problem([3, 3, 3], [{"x"}, {"x"}, {"y"}], weights, budget=None)
    assert select(problem) in ([0, 2], [1, 2])  # the second "x" sentence adds nothing
    blocked = _problem([3, 3], [{"x"}, {"y"}], weights, budget=None, redundant=frozenset({(0, 1)}))
    assert len(select(blocked)) == 1


@pytest.mark.parametrize("budget", [3, 7, 12])
def test_budget_is_never_exceeded(budget: int) -> None:
    problem = _problem([3, 4, 5, 6], [{"a"}, {"b"}, {"c"}, {"d"}], {x: 1.0 for x in "abcd"}, budget)
    assert sum(problem.cands[i].words for i in select(problem)) <= budget


def test_near_copies_by_overlap_and_by_vector() -> None:
    cands = candidates(doc_chunks(ARTICLE))
    vectors = np.eye(len(cands))
    assert near_copies(cands, vectors) == frozenset()
    vectors[1] = vectors[0]
    assert near_copies(cands, vectors) == frozenset({(0, 1)})


def test_dates_and_reading_order() -> None:
    assert article_date("Storm\n\nTuesday, March 4, 2025\n") == date(2025, 3, 4)
    assert article_date("2005/01/08 Tsunami aid") == date(2005, 1, 8)
    assert article_date("no date here") is None
    late = candidates(doc_chunks(ARTICLE, "a.txt"))
    early = candidates(doc_chunks(ARTICLE.replace("March 4, 2025", "March 1, 2025"), "b.txt"))
    cands = late + early
    heads = {"a.txt": ARTICLE[:60], "b.txt": ARTICLE.replace("March 4", "March 1")[:60]}
    picked = [2, 0, 3 + 1, 3]
    assert reading_order(cands, picked, heads) == [3, 4, 0, 2]  # the older article first, then by position
    assert reading_order(cands, picked, {"a.txt": ARTICLE[:60]}) == [0, 2, 3, 4]  # no date for b: by file
