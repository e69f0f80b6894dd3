"""The summary clusters of bench/eval_clusters.py (bench/data/summaries/clusters.jsonl): three
reference summaries of about 100 words per cluster by three writers, dev and test kept apart by
story and by article, and every document a cluster names is in the shared data."""

from __future__ import annotations

import pytest

from bench import eval_clusters as ec
from bench import eval_topics as ev


def test_every_cluster_has_three_references_of_about_100_words() -> None:
    rows = ec.load_clusters("all")
    assert len({r["cluster"] for r in rows}) == len(rows) == 36
    for r in rows:
        assert r["set"] in ("news", "wiki") and r["split"] in ("dev", "test")
        assert sorted(x["writer"] for x in r["references"]) == ["A", "B", "C"], r["cluster"]
        assert all(90 <= len(x["summary"].split()) <= 110 for x in r["references"]), r["cluster"]
        assert len({x["summary"] for x in r["references"]}) == 3, r["cluster"]


def test_dev_and_test_share_no_story_or_article() -> None:
    rows = ec.load_clusters("all")
    for name in ("news", "wiki"):
        story: dict[str, set[str]] = {"dev": set(), "test": set()}
        for r in rows:
            if r["set"] == name:
                story[r["split"]].add(r["cluster"][:4] if name == "news" else r["cluster"])
        assert story["dev"] and story["test"] and not story["dev"] & story["test"]
    assert [len(ec.load_clusters(s)) for s in ("dev", "test")] == [18, 18]


@pytest.mark.skipif(not (ev.DATA.is_dir() and ec.SQUAD.is_file()), reason="../shared/data not found")
def test_every_document_is_in_the_shared_data() -> None:
    texts = {**ec.news_texts(), **ec.wiki_texts()}
    rows = ec.load_clusters("all")
    named = [d for r in rows for d in r["doc_ids"]]
    assert len(named) == len(set(named)) and set(named) <= set(texts)
    assert sum(r["set"] == "news" for r in rows) == 20 and len([d for d in named if d.startswith("M")]) == 100
    wiki = {d for d in texts if "/" in d}
    assert wiki <= set(named)  # every paragraph of every article is in its cluster
