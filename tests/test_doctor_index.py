"""Doctor's vector check on an approximate index: a chunk found only in a wider search is not lost."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from kit.ingest import doctor


class ApproximateIndex:
    """A store whose search finds chunk "far" only when asked for 500 neighbours, and "gone" never."""

    def __init__(self) -> None:
        self.asked: list[int] = []

    def embeddings(self, ids: list[str]) -> dict[str, list[float]]:
        return {cid: [float(i)] for i, cid in enumerate(ids)}

    def query(self, vector: list[float], n: int) -> list[tuple[str, float, Any]]:
        self.asked.append(n)
        name = {0.0: "near", 1.0: "far", 2.0: "gone"}[vector[0]]
        found = name == "near" or (name == "far" and n >= 500)
        return [(name, 1.0, None)] if found else [("other", 0.5, None)]


def test_a_chunk_missed_by_the_first_search_is_looked_for_wider_before_the_store_is_damaged() -> None:
    index = ApproximateIndex()
    problems = doctor._index_problems(index, ["near", "far", "gone"])
    assert problems == ["vector index does not return 1 of 3 sampled chunks"]  # only "gone" is lost
    assert sorted(index.asked) == [50, 50, 50, 500, 500]


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
