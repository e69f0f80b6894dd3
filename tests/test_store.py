"""The Chroma store: settings fingerprint, one writer at a time, fresh reads, upsert semantics."""

from __future__ import annotations

import json
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import replace
from pathlib import Path

import pytest
from filelock import FileLock

from kit.api import Kit
from kit.config import Settings
from kit.embeddings import HashEmbedder
from kit.errors import KitError, SettingsMismatchError, StoreBusyError
from kit.store import Store, collection_name, fingerprint
from kit.types import Chunk
from tests.helpers import SEED_FILES, run_kit

HOLD_LOCK = """
import sys
from filelock import FileLock
lock = FileLock(sys.argv[1])
lock.acquire()
print("locked", flush=True)
sys.stdin.readline()
lock.release()
"""


@pytest.fixture
def docs(copy_seeds: Callable[..., Path]) -> Path:
    return copy_seeds()


@pytest.fixture
def lock_held_by_other_process(store_dir: Path) -> Iterator[None]:
    store_dir.mkdir(parents=True, exist_ok=True)
    proc = subprocess.Popen([sys.executable, "-c", HOLD_LOCK, str(store_dir / "write.lock")],
                            stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    try:
        assert proc.stdout is not None and proc.stdout.readline().strip() == "locked"
        yield
    finally:
        assert proc.stdin is not None
        proc.stdin.close()
        proc.wait(timeout=10)


def store_for(settings: Settings) -> Store:
    emb = HashEmbedder()
    return Store(settings, emb.name, emb.dim)


def a_chunk(text: str, cid: str = "c1") -> Chunk:
    return Chunk(cid, "a.txt", 0, len(text), "article", text, "sha")


# -- fingerprint ---------------------------------------------------------------------------

def test_collection_name_follows_everything_that_changes_vectors() -> None:
    base = Settings.load(environ={})
    name = collection_name("kit", fingerprint(base, "model-a", 384))
    assert name == collection_name("kit", fingerprint(base, "model-a", 384))
    others = [
        collection_name("kit", fingerprint(base, "model-b", 384)),
        collection_name("kit", fingerprint(base, "model-a", 768)),
        collection_name("kit", fingerprint(base.model_copy(update={"chunk_size": 500}), "model-a", 384)),
        collection_name("kit", fingerprint(base.model_copy(update={"chunk_overlap": 10}), "model-a", 384)),
    ]
    assert name not in others and len(set(others)) == len(others)
    # settings that do not touch vectors do not change the collection
    assert name == collection_name("kit", fingerprint(base.model_copy(update={"top_k": 9}), "model-a", 384))
    assert name.startswith("kit-")


# -- mismatched settings -----------------------------------------------------------------------

def test_other_chunk_size_is_refused_naming_the_difference(docs: Path, make_kit: Callable[..., Kit]) -> None:
    count = make_kit().ingest(docs).chunks
    other = make_kit(chunk_size=400)
    with pytest.raises(SettingsMismatchError) as info:
        other.ingest(docs)
    message = str(info.value)
    assert "chunk_size" in message and "800" in message and "400" in message
    assert "chunk_overlap" not in message and "embedder" not in message  # only what differs
    assert "--rebuild" in message
    with pytest.raises(SettingsMismatchError):
        other.search("Palmyra")
    assert make_kit().store.count() == count  # the refused kit wrote nothing


def test_other_chunk_overlap_is_refused(docs: Path, make_kit: Callable[..., Kit]) -> None:
    make_kit().ingest(docs)
    with pytest.raises(SettingsMismatchError, match="chunk_overlap"):
        make_kit(chunk_overlap=0).search("Palmyra")


def test_other_embedder_is_refused_naming_it(docs: Path, make_kit: Callable[..., Kit], settings: Settings) -> None:
    make_kit().ingest(docs)
    other = Store(settings, "some-other-model", 384)
    with pytest.raises(SettingsMismatchError) as info:
        other.count()
    message = str(info.value)
    assert "embedder" in message and "hash-256" in message and "some-other-model" in message
    assert "dim" in message and "256" in message and "384" in message
    assert isinstance(info.value, KitError)


@pytest.mark.slow
def test_real_model_on_a_hash_store_is_refused(docs: Path, make_kit: Callable[..., Kit],
                                               minilm_kit: Kit) -> None:
    make_kit().ingest(docs)
    with pytest.raises(SettingsMismatchError, match="all-MiniLM-L6-v2"):
        make_kit(embedder="minilm-int8").search("Palmyra")


def test_refused_run_leaves_no_trace(docs: Path, make_kit: Callable[..., Kit]) -> None:
    make_kit().ingest(docs)
    with pytest.raises(SettingsMismatchError):
        make_kit(chunk_size=400).ingest(docs)
    # The refused run wrote nothing: the next run is a plain no-op, not a recovery from a crash.
    report = make_kit().ingest(docs)
    assert (report.added, report.removed, report.issues) == (0, 0, [])
    rebuilt = make_kit(chunk_size=400).ingest(docs, rebuild=True)
    assert rebuilt.added == rebuilt.chunks > 0


def test_rebuild_allows_new_settings(docs: Path, make_kit: Callable[..., Kit]) -> None:
    make_kit().ingest(docs)
    small = make_kit(chunk_size=300)
    report = small.ingest(docs, rebuild=True)
    assert report.embedded == report.chunks > 0
    assert max(len(c.text) for c in small.store.all_chunks()) <= 300
    assert small.search("Palmyra convoy")
    with pytest.raises(SettingsMismatchError, match="chunk_size"):
        make_kit().search("Palmyra")  # the old settings are now the odd ones out


# -- one writer at a time -------------------------------------------------------------------------

@pytest.mark.usefixtures("lock_held_by_other_process")
def test_second_writer_gets_store_busy(docs: Path, make_kit: Callable[..., Kit]) -> None:
    started = time.perf_counter()
    with pytest.raises(StoreBusyError, match="busy") as info:
        make_kit().ingest(docs)
    assert "--wait" in str(info.value)
    assert time.perf_counter() - started < 5  # wait=0 fails at once
    with pytest.raises(StoreBusyError):
        make_kit().ingest(docs, wait=0.3)


def test_busy_store_is_writable_after_the_other_writer_ends(docs: Path, make_kit: Callable[..., Kit],
                                                          store_dir: Path) -> None:
    store_dir.mkdir(parents=True)
    holding, release = threading.Event(), threading.Event()

    def other_writer() -> None:
        with FileLock(str(store_dir / "write.lock")):
            holding.set()
            release.wait(10)

    thread = threading.Thread(target=other_writer)
    thread.start()
    try:
        assert holding.wait(10)
        with pytest.raises(StoreBusyError):
            make_kit().ingest(docs)
        threading.Timer(0.5, release.set).start()
        report = make_kit().ingest(docs, wait=10)  # waits for the thread to let go
        assert report.added > 0
    finally:
        release.set()
        thread.join(10)


def test_readers_do_not_need_the_lock(docs: Path, make_kit: Callable[..., Kit], store_dir: Path) -> None:
    make_kit().ingest(docs)
    with FileLock(str(store_dir / "write.lock")):
        assert make_kit().search("Palmyra convoy", k=2)


# -- fresh reads across processes --------------------------------------------------------------------

def test_reader_opened_before_another_process_ingests_sees_new_chunks(
        docs: Path, make_kit: Callable[..., Kit], store_dir: Path) -> None:
    for name in SEED_FILES[2:]:
        (docs / name).unlink()
    make_kit().ingest(docs)
    reader = make_kit()
    assert reader.search("Palmyra convoy", k=3)  # the reader's client is now open and warm

    (docs / "zanzibar.txt").write_text("Zanzibar spice merchants exported cloves and nutmeg to Oman.\n")
    done = run_kit(["ingest", str(docs), "--store", str(store_dir), "--embedder", "hash", "--json"])
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["added"] == 1

    hits = reader.search("Zanzibar cloves nutmeg Oman", k=3)
    assert hits[0].chunk.path == "zanzibar.txt"
    assert hits[0].dense_rank == 1 and hits[0].keyword_rank == 1  # both retrievers saw it
    assert "zanzibar.txt" in reader.store.catalog()


# -- writing -----------------------------------------------------------------------------------------

def test_upsert_replaces_text_for_an_existing_id(settings: Settings) -> None:
    store = store_for(settings)
    emb = HashEmbedder()
    old, new = a_chunk("old text about ships"), a_chunk("new text about cranes")
    with store.writer():
        store.upsert([old], emb.embed([old.text]))
    with store.writer():
        store.upsert([new], emb.embed([new.text]))
    assert store.count() == 1
    assert store.all_chunks() == [new]
    assert store.embeddings(["c1"])["c1"] == pytest.approx(emb.embed([new.text])[0], abs=1e-6)


def test_upsert_and_delete_many(settings: Settings) -> None:
    store = store_for(settings)
    emb = HashEmbedder()
    chunks = [replace(a_chunk(f"text number {i}", f"id{i}"), start=i, end=i + 1) for i in range(1500)]
    with store.writer():
        store.upsert(chunks, emb.embed([c.text for c in chunks]))
    assert store.count() == 1500
    with store.writer():
        store.delete([c.id for c in chunks[:1200]])
    assert store.count() == 300
    assert {c.id for c in store.all_chunks()} == {c.id for c in chunks[1200:]}


def test_every_write_bumps_the_generation_and_state_file(settings: Settings, store_dir: Path) -> None:
    store = store_for(settings)
    with store.writer():
        pass
    first = store.generation()
    with store.writer():
        pass
    assert store.generation() == first + 1
    state = json.loads((store_dir / "kit-store.json").read_text())
    assert state["collection"] == store.name and state["kit_generation"] == first + 1
    assert state["kit_chunk_size"] == settings.chunk_size and state["kit_embedder"] == "hash-256"


def test_catalog_lists_files_with_hash_and_ids(docs: Path, make_kit: Callable[..., Kit]) -> None:
    k = make_kit()
    k.ingest(docs)
    catalog = k.store.catalog()
    assert set(catalog) == set(SEED_FILES)
    by_path: dict[str, set[str]] = {}
    for c in k.store.all_chunks():
        by_path.setdefault(c.path, set()).add(c.id)
        assert catalog[c.path].doc_sha256s == {c.doc_sha256}  # one version per file after a clean ingest
    assert {p: frozenset(ids) for p, ids in by_path.items()} == {p: e.ids for p, e in catalog.items()}
