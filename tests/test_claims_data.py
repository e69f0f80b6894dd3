"""The labelled claim pairs (bench/data/claims): quotes are verbatim in their documents, labels,
kinds and splits are valid, and no source sentence straddles dev and test within a set.

The SQuAD and MultiLing parts read ../shared/data and are skipped when it is missing.
"""

from __future__ import annotations

import itertools
from collections import defaultdict

import numpy as np
import pytest

from bench import claims_data as cd
from bench.claims_metrics import auc, balanced_accuracy, best_threshold

SUPPORTED_KINDS = {"verbatim", "paraphrase", "attribution", "number_words", "compression", "merge", "other"}
UNSUPPORTED_KINDS = {"role_reversal", "modality", "invented_cause", "time_order", "antonym", "quantifier",
                     "recombined", "wrong_number", "wrong_bound", "wrong_name", "wrong_speaker", "negation",
                     "embellished", "extrapolation", "off_document", "wrong_predicate", "other"}
LOCAL = ("seeds-llm", "qwen-seeds", "seeds-llm2")  # documents in the repository's seeds/
# documents in ../shared/data
SHARED = ("squad-restated", "multiling-human", "multiling-model", "multiling-qwen", "squad-llm", "news-llm",
          "squad-llm2", "multiling-abs", "multiling-pred", "multiling-modal", "multiling-qwen2")
HAVE_DATA = cd.DATA is not None and (cd.DATA / "squad2_dev_half").is_dir() and (cd.DATA / "multiling2011_en").is_dir()
needs_data = pytest.mark.skipif(not HAVE_DATA, reason="../shared/data (SQuAD 2.0 dev half, MultiLing 2011) not found")


@pytest.fixture(scope="module")
def every_pair() -> list[cd.ClaimPair]:
    return cd.load(exclude=())


def test_rows_have_valid_labels_kinds_and_splits() -> None:
    ids = []
    for name in cd.SETS:
        for row in cd.rows(name):
            ids.append(row["id"])
            assert row["set"] == name and row["id"].startswith(name), row["id"]
            assert row["label"] in ("supported", "unsupported"), row["id"]
            assert row["kind"] in (SUPPORTED_KINDS if row["label"] == "supported" else UNSUPPORTED_KINDS), row["id"]
            assert row["split"] in cd.SPLITS, row["id"]
            assert row["author"] and isinstance(row["quote"], str), row["id"]
            assert row["quote"].strip() or row["label"] == "unsupported", row["id"]
            assert cd.flags_of(row) <= set(cd.FLAGS), row["id"]
    assert len(ids) == len(set(ids))


def test_human_summary_text_is_not_stored() -> None:
    for row in cd.rows("multiling-human"):
        assert row["claim"] == "" and set(row["ref"]) == {"topic_id", "annotator", "sentence"}, row["id"]


def test_splits_go_by_article_and_topic() -> None:
    groups: dict[tuple[str, str], set[str]] = defaultdict(set)
    for row in cd.rows("squad-restated") + cd.rows("squad-llm") + cd.rows("squad-llm2"):
        groups[("squad", row["doc"].split(":")[1])].add(row["split"])
    for name in ("multiling-human", "multiling-model", "multiling-qwen", "news-llm", "multiling-abs", "multiling-pred",
                 "multiling-modal", "multiling-qwen2"):
        for row in cd.rows(name):
            groups[(name, row["ref"]["topic_id"] if "ref" in row else row["topic_id"])].add(row["split"])
    assert all(len(s) == 1 for s in groups.values()), {k: s for k, s in groups.items() if len(s) > 1}


def _assert_verbatim(pairs: list[cd.ClaimPair]) -> None:
    missing = [(p.id, e.doc) for p in pairs for e in p.evidence if e.quote and cd.locate(e.document, e.quote) is None]
    assert not missing, missing


def test_seeds_quotes_are_verbatim_in_their_documents() -> None:
    _assert_verbatim(cd.load(LOCAL, exclude=(), library=cd.Library(data=None)))


@needs_data
def test_squad_and_multiling_quotes_are_verbatim_in_their_documents() -> None:
    _assert_verbatim(cd.load(SHARED, exclude=()))


@pytest.mark.parametrize("name", cd.SETS)
def test_no_source_sentence_straddles_dev_and_test_within_a_set(name: str) -> None:
    if name in SHARED and not HAVE_DATA:
        pytest.skip("../shared/data not found")
    assert cd.straddling(cd.load([name], exclude=())) == {}


@needs_data
def test_thresholds_are_fitted_on_no_test_sentence(every_pair: list[cd.ClaimPair]) -> None:
    """seeds-llm and qwen-seeds cite some seeds sentences in different splits: the dev pairs that
    share a sentence with a test pair are left out of fitting."""
    fit = cd.tuning(every_pair)
    test = [p for p in every_pair if p.split == "test"]
    assert cd.straddling([*fit, *test]) == {}
    across = {p.set for ids in cd.straddling(every_pair).values() for p in every_pair if p.id in ids}
    assert across <= set(LOCAL)
    assert len(fit) > 0.8 * sum(p.split == "dev" for p in every_pair)


@needs_data
def test_human_claims_resolve_and_fragments_are_left_out_by_default(every_pair: list[cd.ClaimPair]) -> None:
    human = [p for p in every_pair if p.set == "multiling-human"]
    assert all(p.claim.strip() for p in human)
    fragments = {p.id for p in human if p.fragment}
    assert len(fragments) == 2
    assert not fragments & {p.id for p in cd.load(["multiling-human"])}
    assert {p.id for p in cd.load(["qwen-seeds"], exclude={"echo"})} == {
        p.id for p in every_pair if p.set == "qwen-seeds" and not p.echo}


def test_locate_collapses_whitespace_and_no_break_spaces() -> None:
    doc = "First line.\n\nThe  Russian\u00a0Aerospace\nForces hit it. End."
    start, end = cd.locate(doc, "The Russian Aerospace Forces hit it.") or (0, 0)
    assert doc[start:end] == "The  Russian\u00a0Aerospace\nForces hit it."
    assert cd.locate(doc, "Forces missed it.") is None and cd.locate(doc, " ") is None


def test_auc_counts_ties_half_and_matches_pairwise_counting() -> None:
    rng = np.random.default_rng(3)
    labels = rng.random(60) < 0.4
    scores = rng.integers(0, 5, 60).astype(float)
    pairs = [(a, b) for a, b in itertools.product(scores[labels], scores[~labels])]
    expected = sum(1.0 if a > b else 0.5 if a == b else 0.0 for a, b in pairs) / len(pairs)
    assert auc(labels, scores) == pytest.approx(expected)
    assert auc(labels, labels.astype(float)) == 1.0 and auc(labels[labels], scores[labels]) is None


def test_threshold_maximises_balanced_accuracy() -> None:
    labels = np.array([True, True, True, False, False])
    scores = np.array([0.9, 0.8, 0.3, 0.5, 0.1])
    t = best_threshold(labels, scores)
    assert t == 0.8 and balanced_accuracy(labels, scores >= t) == pytest.approx((2 / 3 + 1) / 2)
