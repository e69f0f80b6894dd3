"""Doctor's vector check on an approximate index: a chunk found only in a wider search, or not at all
while its vector is there, is not lost; a vector that is gone, or a graph that reaches most of the sample
nowhere, is damage."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from kit.ingest import doctor


class ApproximateIndex:
    """A store whose search finds chunk "far" only when asked for 500 neighbours, "unreachable"
    never (its vector is there: HNSW's graph has no link to it), and which has no vector for "lost"."""

    def __init__(self, reachable: bool = True) -> None:
        self.asked: list[int] = []
        self.reachable = reachable

    def embeddings(self, ids: list[str]) -> dict[str, list[float]]:
        return {cid: [float(i)] for i, cid in enumerate(ids) if cid != "lost"}

    def query(self, vector: list[float], n: int) -> list[tuple[str, float, Any]]:
        self.asked.append(n)
        name = {0.0: "near", 1.0: "far", 2.0: "unreachable"}[vector[0]]
        found = self.reachable and (name == "near" or (name == "far" and n >= 500))
        return [(name, 1.0, None)] if found else [("other", 0.5, None)]


def test_a_chunk_missed_by_the_first_search_is_looked_for_wider_and_only_a_lost_vector_is_damage() -> None:
    index = ApproximateIndex()
    problems = doctor._index_problems(index, ["near", "far", "unreachable", "lost"])
    assert problems == ["1 sampled chunk has no vector"]  # one unreachable point is HNSW's approximation
    assert sorted(index.asked) == [50, 50, 50, 500, 500]


def test_a_graph_that_reaches_most_of_the_sample_nowhere_is_damage() -> None:
    problems = doctor._index_problems(ApproximateIndex(reachable=False), ["near", "far", "unreachable"])
    assert problems == ["vector index does not return 3 of 3 sampled chunks"]


@pytest.mark.parametrize("bad", [b"", b"\x00\x01\x02\xff\xfe binary \x00" * 40], ids=["emptied", "made binary"])
def test_a_stored_file_that_went_bad_gets_advice_that_can_clear_it(tmp_path: Path, bad: bytes) -> None:
    """A stored file emptied (or made binary) keeps its chunks through ingest; doctor says so and
    points to restoring it or `kit rm`, and after `kit rm` the store is healthy."""
    import kit

    folder = tmp_path / "docs"
    folder.mkdir()
    (folder / "a.txt").write_text("Russia fired 18 cruise missiles at targets in Syria on Friday. " * 4)
    (folder / "b.txt").write_text("The museum is open every day except Mondays, and entry is free. " * 4)
    k = kit.open(store_dir=str(tmp_path / "store"), embedder="hash")
    k.ingest(folder)
    (folder / "b.txt").write_bytes(bad)
    k.ingest(folder)  # keeps b.txt's chunks
    checkup = k.doctor()
    (counts,) = checkup.sources.values()
    assert counts.get(doctor.WENT_BAD) == 1 and "changed" not in counts
    assert any("kit remove" in p.text and "b.txt" in p.text for p in checkup.problems)
    k.remove(folder / "b.txt")
    assert k.doctor().ok
