"""Ingest: idempotent re-runs, changed and deleted files, one bad file never stops the rest."""

from __future__ import annotations

import shutil
from collections.abc import Callable, Sequence
from pathlib import Path

import numpy as np
import pytest

from kit.api import Kit
from kit.chunking import chunk_document
from kit.config import Settings
from kit.corpus import Candidate, read_document
from kit.ingest import ingest
from kit.store import Store
from tests.helpers import SEED_FILES, CountingEmbedder


class FailingEmbedder(CountingEmbedder):
    """Same protocol; fails like a crashed model after the store lock is taken."""

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        raise RuntimeError("model crashed")


@pytest.fixture
def docs(copy_seeds: Callable[..., Path]) -> Path:
    return copy_seeds()


def open_store(settings: Settings, embedder: CountingEmbedder) -> Store:
    return Store(settings, embedder.name, embedder.dim)


def expected_chunks(folder: Path, name: str, settings: Settings) -> set[str]:
    doc, _ = read_document(Candidate(folder / name, name), settings)
    return {c.id for c in chunk_document(doc, settings.chunk_size, settings.chunk_overlap)}


def test_first_ingest_embeds_every_chunk_once(docs: Path, settings: Settings) -> None:
    emb = CountingEmbedder()
    store = open_store(settings, emb)
    report = ingest(docs, settings, store, emb)
    assert report.files == len(SEED_FILES) and not report.issues
    assert report.chunks == report.added == report.embedded == len(emb.texts) == store.count() > 0
    assert report.removed == 0 and report.unchanged_files == 0
    assert set(store.catalog()) == set(SEED_FILES)
    assert sorted(emb.texts) == sorted(c.text for c in store.all_chunks())


def test_reingest_adds_nothing_and_embeds_nothing(docs: Path, settings: Settings) -> None:
    first = CountingEmbedder()
    ingest(docs, settings, open_store(settings, first), first)
    ids_before = {c.id for c in open_store(settings, first).all_chunks()}

    counting = CountingEmbedder()
    store = open_store(settings, counting)  # a fresh process would open the store like this
    report = ingest(docs, settings, store, counting)
    assert (report.added, report.embedded, report.removed) == (0, 0, 0)
    assert report.unchanged_files == len(SEED_FILES)
    assert counting.texts == [] and counting.calls == 0  # proven, not just reported
    assert {c.id for c in store.all_chunks()} == ids_before


def test_changed_file_replaces_its_chunks(docs: Path, settings: Settings) -> None:
    emb = CountingEmbedder()
    store = open_store(settings, emb)
    ingest(docs, settings, store, emb)
    name = SEED_FILES[2]
    old_ids = store.catalog()[name].ids
    others = {p: e.ids for p, e in store.catalog().items() if p != name}
    path = docs / name
    path.write_text(path.read_text(encoding="utf-8").replace("126 combat sorties", "127 combat sorties"),
                    encoding="utf-8")

    emb.texts.clear()
    report = ingest(docs, settings, store, emb)
    new_ids = store.catalog()[name].ids
    assert new_ids == expected_chunks(docs, name, settings)
    assert report.added == len(new_ids - old_ids) == report.embedded == len(emb.texts) > 0
    assert report.removed == len(old_ids - new_ids) > 0
    assert report.unchanged_files == len(SEED_FILES) - 1
    texts = " ".join(c.text for c in store.all_chunks() if c.path == name)
    assert "127 combat sorties" in texts and "126 combat sorties" not in texts
    assert {p: e.ids for p, e in store.catalog().items() if p != name} == others


def test_deleted_file_chunks_go(docs: Path, settings: Settings) -> None:
    emb = CountingEmbedder()
    store = open_store(settings, emb)
    ingest(docs, settings, store, emb)
    name = SEED_FILES[0]
    gone = store.catalog()[name].ids
    (docs / name).unlink()
    report = ingest(docs, settings, store, emb)
    assert name not in store.catalog()
    assert report.removed == len(gone) and report.added == 0
    assert not gone & {c.id for c in store.all_chunks()}


def test_renamed_file_moves_its_chunks(docs: Path, settings: Settings) -> None:
    emb = CountingEmbedder()
    store = open_store(settings, emb)
    ingest(docs, settings, store, emb)
    name = SEED_FILES[1]
    count = len(store.catalog()[name].ids)
    (docs / name).rename(docs / "renamed.txt")
    report = ingest(docs, settings, store, emb)
    assert name not in store.catalog()
    assert len(store.catalog()["renamed.txt"].ids) == count
    assert report.added == count and report.removed == count  # ids include the path: citations move


def test_new_copy_of_a_stored_file_does_not_evict_it(docs: Path, settings: Settings) -> None:
    emb = CountingEmbedder()
    store = open_store(settings, emb)
    ingest(docs, settings, store, emb)
    name = SEED_FILES[3]
    before = store.catalog()[name].ids
    shutil.copy(docs / name, docs / "000_a_copy.txt")  # sorts before every seed
    emb.texts.clear()
    report = ingest(docs, settings, store, emb)
    assert store.catalog()[name].ids == before
    assert "000_a_copy.txt" not in store.catalog()
    assert (report.added, report.embedded, report.removed) == (0, 0, 0) and emb.texts == []
    assert [(i.path, name in i.reason) for i in report.issues] == [("000_a_copy.txt", True)]


def test_failed_embedding_keeps_the_old_chunks_and_the_next_run_repairs(docs: Path, settings: Settings) -> None:
    emb = CountingEmbedder()
    store = open_store(settings, emb)
    ingest(docs, settings, store, emb)
    snapshot = {c.id: c.text for c in store.all_chunks()}
    name = SEED_FILES[0]
    old_ids = store.catalog()[name].ids
    (docs / name).write_text("A brand new text about the Palmyra road and its checkpoints.\n", encoding="utf-8")

    with pytest.raises(RuntimeError, match="model crashed"):
        ingest(docs, settings, open_store(settings, FailingEmbedder()), FailingEmbedder())
    assert {c.id: c.text for c in open_store(settings, emb).all_chunks()} == snapshot

    report = ingest(docs, settings, open_store(settings, emb), emb)  # the lock was released
    assert (report.added, report.removed) == (1, len(old_ids))
    texts = [c.text for c in open_store(settings, emb).all_chunks() if c.path == name]
    assert texts == ["A brand new text about the Palmyra road and its checkpoints."]


def test_progress_is_called_once_per_file(docs: Path, make_kit: Callable[..., Kit]) -> None:
    calls: list[tuple[int, int, str]] = []
    make_kit().ingest(docs, progress=lambda n, total, name: calls.append((n, total, name)))
    assert [c[0] for c in calls] == list(range(1, len(SEED_FILES) + 1))
    assert {c[1] for c in calls} == {len(SEED_FILES)}
    assert sorted(c[2] for c in calls) == SEED_FILES


def test_rebuild_embeds_everything_again(docs: Path, make_kit: Callable[..., Kit]) -> None:
    k = make_kit()
    first = k.ingest(docs)
    again = make_kit().ingest(docs, rebuild=True)
    assert again.embedded == again.added == first.chunks
    assert make_kit().store.count() == first.chunks


def test_nested_folders_use_posix_relative_paths(tmp_path: Path, make_kit: Callable[..., Kit]) -> None:
    (tmp_path / "docs" / "2024" / "march").mkdir(parents=True)
    (tmp_path / "docs" / "2024" / "march" / "port.md").write_text("The port of Valparaiso reopened on Monday.\n")
    (tmp_path / "docs" / "top.txt").write_text("Cranes were repaired overnight in the harbour.\n")
    k = make_kit()
    k.ingest(tmp_path / "docs")
    assert set(k.store.catalog()) == {"2024/march/port.md", "top.txt"}


def test_report_to_dict_counts_issues(tmp_path: Path, make_kit: Callable[..., Kit]) -> None:
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "good.txt").write_text("The port of Valparaiso reopened on Monday.\n")
    (tmp_path / "docs" / "empty.txt").write_text("")
    data = make_kit().ingest(tmp_path / "docs").to_dict()
    assert data["errors"] == 1 and data["issues"] == [
        {"path": "empty.txt", "reason": "file is empty or holds only whitespace"}]
    assert data["files"] == 2 and data["added"] == 1
