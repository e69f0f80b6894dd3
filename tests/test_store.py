"""The store: where it is, settings fingerprint, one writer at a time, fresh reads, upsert semantics,
the keyword index and file list saved per generation, readers that never rebuild or crash."""

from __future__ import annotations

import json
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest
from filelock import FileLock

import kit
import kit.embeddings
from kit.api import Kit
from kit.config import Settings
from kit.embeddings import HashEmbedder
from kit.errors import KitError, NoStoreError, SettingsMismatchError, StoreBusyError
from kit.location import locate
from kit.store.collection import Chunks, Filter
from kit.store.keyword import KeywordIndex, rows_from_chunks
from kit.store.manifest import read_manifest
from kit.store.state import read_state
from kit.store.store import Store, collection_name, fingerprint
from kit.store.writer import begin, locked
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
DOCS = [f"docs/{name}" for name in SEED_FILES]


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


def write_chunks(store: Store, chunks: list[Chunk], delete: list[str] | None = None) -> None:
    with locked(store):
        write = begin(store, "ingest", "a.txt")
        write.add_source("a.txt", "file")
        if chunks:
            write.upsert(chunks, HashEmbedder().embed([c.text for c in chunks]))
        write.delete(delete or [])
        write.commit()
    store.forget()


# -- where the store is -----------------------------------------------------------------------------

def test_the_nearest_kit_folder_is_found_like_git_finds_its_repository(tmp_path: Path) -> None:
    (tmp_path / "project" / ".kit").mkdir(parents=True)
    (tmp_path / "project" / "notes" / "deep").mkdir(parents=True)
    found = locate(None, tmp_path / "project" / "notes" / "deep")
    assert found.dir == tmp_path / "project" / ".kit" and found.found and found.base == tmp_path / "project"
    nothing = locate(None, tmp_path)
    assert nothing.dir == tmp_path / ".kit" and not nothing.found  # where `kit ingest` would create it
    named = locate(Path("elsewhere/store"), tmp_path / "project" / "notes")
    assert named.dir == tmp_path / "project" / "notes" / "elsewhere" / "store"  # an explicit store wins


def test_ingest_from_the_project_folder_names_files_like_git(tmp_path: Path, copy_seeds: Callable[..., Path],
                                                             monkeypatch: pytest.MonkeyPatch) -> None:
    copy_seeds("seeds")
    monkeypatch.chdir(tmp_path)
    kit.open(embedder="hash").ingest("seeds")
    assert (tmp_path / ".kit" / "kit-store.json").is_file()
    monkeypatch.chdir(tmp_path / "seeds")  # found from a subfolder, as git would
    k = kit.open(embedder="hash")
    assert set(k.store.catalog()) == {f"seeds/{n}" for n in SEED_FILES}
    hit = k.search("Kalibr cruise missile Caspian Sea", k=1)[0]
    raw = (tmp_path / hit.chunk.path).read_text(encoding="utf-8")
    assert raw[hit.chunk.start:hit.chunk.end] == hit.chunk.text


def test_moving_the_whole_project_keeps_names_and_citations(tmp_path: Path, copy_seeds: Callable[..., Path],
                                                            monkeypatch: pytest.MonkeyPatch) -> None:
    copy_seeds("project/seeds")
    monkeypatch.chdir(tmp_path / "project")
    kit.open(embedder="hash").ingest("seeds")
    (tmp_path / "project").rename(tmp_path / "moved")
    monkeypatch.chdir(tmp_path / "moved")
    k = kit.open(embedder="hash")
    hits = k.search("Palmyra convoy", k=3)
    reader = k.sources()
    assert all(reader.text(h.chunk.path) is not None for h in hits)
    assert all(reader.status(h.chunk.path, h.chunk.doc_sha256).value == "ok" for h in hits)


def test_store_dir_setting_is_used(tmp_path: Path, copy_seeds: Callable[..., Path],
                                   monkeypatch: pytest.MonkeyPatch) -> None:
    docs = copy_seeds()
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("KIT_STORE_DIR", str(tmp_path / "named"))
    kit.open(embedder="hash").ingest(docs)
    assert (tmp_path / "named" / "kit-store.json").is_file() and not (tmp_path / ".kit").exists()


@pytest.mark.parametrize("read", [
    lambda k: k.search("Palmyra"), lambda k: k.ask("Who?"), lambda k: k.topics(), lambda k: k.files(),
    lambda k: k.doctor(), lambda k: k.remove("docs"),
])
def test_read_commands_without_a_store_create_nothing_and_load_no_model(
        read: Callable[[Kit], object], tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def no_model(settings: Settings) -> object:
        raise AssertionError("a model was loaded")

    monkeypatch.setattr(kit.api, "get_embedder", no_model)
    monkeypatch.chdir(tmp_path)
    with pytest.raises(NoStoreError) as info:
        read(kit.open(embedder="hash"))
    assert f"no kit store in {tmp_path} or its parents" in str(info.value) and "kit ingest" in str(info.value)
    assert list(tmp_path.iterdir()) == []


def test_cli_read_without_a_store_is_one_line_and_creates_nothing(tmp_path: Path) -> None:
    for command in (["search", "x"], ["files"], ["doctor"], ["ask", "why?"], ["remove", "x"]):
        done = subprocess.run([sys.executable, "-m", "kit.cli", *command], capture_output=True, text=True,
                              cwd=tmp_path, timeout=60, env={k: v for k, v in __import__("os").environ.items()
                                                            if not k.startswith("KIT_")})
        assert done.returncode == 1, done.stderr
        assert done.stderr.strip() == (f"kit: error: no kit store in {tmp_path} or its parents; run `kit ingest "
                                       "FOLDER` first (or name a store with --store / KIT_STORE_DIR)")
        assert list(tmp_path.iterdir()) == []



def test_a_named_store_that_does_not_exist_is_named_not_the_current_folder(tmp_path: Path) -> None:
    missing = tmp_path / "no" / "such"
    done = subprocess.run([sys.executable, "-m", "kit.cli", "ask", "why?", "--store", str(missing)],
                          capture_output=True, text=True, cwd=tmp_path, timeout=60,
                          env={k: v for k, v in __import__("os").environ.items() if not k.startswith("KIT_")})
    assert done.returncode == 1 and done.stderr.count("\n") == 1, done.stderr
    assert done.stderr.startswith(f"kit: error: no kit store at {missing}: there is no such folder; run `kit ingest")
    assert list(tmp_path.iterdir()) == []

# -- fingerprint -------------------------------------------------------------------------------------

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


# -- mismatched settings -----------------------------------------------------------------------------

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
    # Named as the settings name them (what --embedder takes), not by the models' own names.
    with pytest.raises(SettingsMismatchError, match="embedder: store has 'hash', settings ask 'minilm-int8'"):
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


def test_rebuild_allows_new_settings_and_keeps_every_source(docs: Path, make_kit: Callable[..., Kit],
                                                            tmp_path: Path) -> None:
    (tmp_path / "more").mkdir()
    (tmp_path / "more" / "x.txt").write_text("Cranes were repaired overnight in the harbour of Valparaiso.\n")
    make_kit().ingest(docs)
    make_kit().ingest(tmp_path / "more")
    small = make_kit(chunk_size=300)
    report = small.ingest(docs, rebuild=True)
    assert report.embedded == report.chunks > 0
    assert max(len(c.text) for c in small.store.all_chunks()) <= 300
    assert "more/x.txt" in small.store.catalog()  # a rebuild rebuilds the whole store
    assert small.search("Palmyra convoy")
    with pytest.raises(SettingsMismatchError, match="chunk_size: store has 300, settings ask 800"):
        make_kit(chunk_size=800).search("Palmyra")  # the old settings, given, are now the odd ones out
    assert make_kit().settings.chunk_size == 300  # not given: the store's own
    assert [p.name for p in (tmp_path / "store").iterdir() if p.name.startswith("chroma")] == [
        read_state(tmp_path / "store").chroma]  # the old data folder went  # type: ignore[union-attr]


# -- one writer at a time -------------------------------------------------------------------------------

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


# -- fresh reads across processes ------------------------------------------------------------------------

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
    assert hits[0].chunk.path == "docs/zanzibar.txt"
    assert hits[0].dense_rank == 1 and hits[0].keyword_rank == 1  # both retrievers saw it
    assert "docs/zanzibar.txt" in reader.store.catalog()


# -- the keyword index and the file list ---------------------------------------------------------------------

def test_each_commit_saves_the_keyword_index_and_file_list_of_its_generation(
        docs: Path, make_kit: Callable[..., Kit], store_dir: Path) -> None:
    k = make_kit()
    k.ingest(docs)
    generation = k.store.generation()
    index = KeywordIndex(store_dir / "keyword" / str(generation))
    assert index.size == k.store.count()
    manifest = read_manifest(store_dir)
    assert manifest is not None and manifest.generation == generation
    assert {p: f.chunks for p, f in manifest.files.items()} == {p: len(f.ids) for p, f in k.store.catalog().items()}
    assert {f.source for f in manifest.files.values()} == {"docs"}


def test_readers_never_rebuild_the_keyword_index(docs: Path, make_kit: Callable[..., Kit],
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    make_kit().ingest(docs)

    def no_full_read(self: Chunks) -> list[Chunk]:
        raise AssertionError("a reader read every chunk")

    monkeypatch.setattr(Chunks, "all_chunks", no_full_read)
    hits = make_kit().search("Kalibr cruise missile Caspian", k=3)
    assert hits and any(h.keyword_rank for h in hits)
    assert make_kit().retriever.keyword_index().df["missile"] > 0


def test_updated_index_equals_one_built_from_scratch(docs: Path, make_kit: Callable[..., Kit],
                                                     store_dir: Path) -> None:
    make_kit().ingest(docs)
    (docs / SEED_FILES[0]).unlink()
    path = docs / SEED_FILES[2]
    path.write_text(path.read_text(encoding="utf-8") + "\n\nA new paragraph about Zanzibar cloves.\n")
    k = make_kit()
    k.ingest(docs)  # updated from the previous generation's rows, not rebuilt
    saved = KeywordIndex(store_dir / "keyword" / str(k.store.generation()))
    fresh = rows_from_chunks(k.store.all_chunks())
    assert sorted(saved.arrays["ids"].tolist()) == sorted(fresh.ids.tolist())
    query = "Zanzibar cloves cruise missiles Palmyra"
    from kit.store.keyword import save
    save(fresh, store_dir / "fresh-index")
    rebuilt = KeywordIndex(store_dir / "fresh-index")
    assert saved.search(query, 10) == rebuilt.search(query, 10)
    assert saved.df == rebuilt.df and saved.size == rebuilt.size


def test_keyword_filters_on_file_and_section_use_no_chunk_text(docs: Path, make_kit: Callable[..., Kit]) -> None:
    k = make_kit()
    k.ingest(docs)
    index = k.retriever.keyword_index()
    ids = index.search("convoy", 20, paths=[DOCS[4]], sections=["comments"])
    chunks = k.store.get_chunks(ids)
    assert chunks and all(c.path == DOCS[4] and c.section == "comments" for c in chunks)
    assert index.search("convoy", 20, paths=["docs/no-such-file.txt"]) == []


def test_a_keyword_hit_deleted_after_the_index_was_saved_is_skipped(docs: Path, make_kit: Callable[..., Kit]) -> None:
    k = make_kit()
    k.ingest(docs)
    k.search("Kalibr cruise missile", k=3)  # index and client loaded
    victim = k.store.get_chunks(k.retriever.keyword_index().search("Kalibr cruise missile", 1))[0]
    k.store.chunks().delete([victim.id])  # as a concurrent writer would, before committing
    hits = k.search("Kalibr cruise missile", k=5)
    assert hits and victim.id not in {h.chunk.id for h in hits}


READER = """
import json, sys, time, traceback, kit
k = kit.open(store_dir=sys.argv[1], embedder="hash")
done, errors, deadline = 0, [], time.monotonic() + float(sys.argv[2])
while time.monotonic() < deadline:
    try:
        k.search("Palmyra convoy cruise missiles Raqqa", k=5)
        done += 1
    except Exception:
        errors.append(traceback.format_exc())
print(json.dumps({"searches": done, "errors": errors}))
"""


def test_long_lived_readers_survive_concurrent_deletes(docs: Path, make_kit: Callable[..., Kit],
                                                       store_dir: Path) -> None:
    """Readers in their own processes search while another process rewrites files (delete + add)
    (issue 14 #9: `_chunk` raised TypeError on a chunk deleted between a query and its read)."""
    make_kit().ingest(docs)
    readers = [subprocess.Popen([sys.executable, "-c", READER, str(store_dir), "8"], stdout=subprocess.PIPE,
                                text=True) for _ in range(2)]
    path = docs / SEED_FILES[1]
    original = path.read_text(encoding="utf-8")
    deadline = time.monotonic() + 7
    rounds = 0
    while time.monotonic() < deadline:
        path.write_text(original.replace("Palmyra", f"Palmyra ({rounds})"), encoding="utf-8")
        make_kit().ingest(docs)
        rounds += 1
    results = [json.loads(r.communicate(timeout=60)[0]) for r in readers]
    assert rounds >= 3
    assert all(r["searches"] > 0 for r in results)
    assert [e for r in results for e in r["errors"]] == []


class VanishingCollection:
    """A collection double answering as Chroma did when a chunk was deleted between finding its id
    and reading its row: the id is there, its document and metadata are None."""

    name = "double"

    def query(self, **_: object) -> dict[str, list[list[object]]]:
        meta = {"path": "a.txt", "start": 0, "end": 4, "section": "article", "doc_sha256": "s"}
        return {"ids": [["kept", "gone"]], "documents": [["text", None]], "metadatas": [[meta, None]],
                "distances": [[0.1, 0.2]], "embeddings": [[[1.0, 0.0], [0.0, 1.0]]]}

    def get(self, ids: list[str], include: list[str]) -> dict[str, list[object]]:
        return {"ids": ["gone"], "documents": [None], "metadatas": [None], "embeddings": [None]}


def test_a_chunk_deleted_mid_query_is_skipped_not_a_crash(settings: Settings) -> None:
    chunks = Chunks(None, VanishingCollection(), "double", None, settings)
    assert [c.id for c, _s, _v in chunks.query(np.ones(2, dtype=np.float32), 2, Filter())] == ["kept"]
    assert chunks.get(["gone"]) == [] and chunks.embeddings(["gone"]) == {}


# -- writing ------------------------------------------------------------------------------------------------

def test_upsert_replaces_text_for_an_existing_id(settings: Settings) -> None:
    store = store_for(settings)
    emb = HashEmbedder()
    old, new = a_chunk("old text about ships"), a_chunk("new text about cranes")
    write_chunks(store, [old])
    write_chunks(store, [new])
    assert store.count() == 1
    assert store.all_chunks() == [new]
    stored = store.embeddings(["c1"])["c1"]  # the new text's vector, as the index keeps it (`apart`)
    assert float(stored @ emb.embed([new.text])[0]) > 0.9999 > float(stored @ emb.embed([old.text])[0])
    assert store.keyword_index().search("cranes", 1) == ["c1"] and store.keyword_index().search("ships", 1) == []


def test_upsert_and_delete_many(settings: Settings) -> None:
    store = store_for(settings)
    chunks = [replace(a_chunk(f"text number {i}", f"id{i}"), start=i, end=i + 1) for i in range(1500)]
    write_chunks(store, chunks)
    assert store.count() == 1500
    write_chunks(store, [], delete=[c.id for c in chunks[:1200]])
    assert store.count() == 300
    assert {c.id for c in store.all_chunks()} == {c.id for c in chunks[1200:]}
    assert store.keyword_index().size == 300


def test_a_commit_bumps_the_generation_and_a_write_without_changes_does_not(settings: Settings,
                                                                            store_dir: Path) -> None:
    store = store_for(settings)
    write_chunks(store, [a_chunk("some text")])
    first = store.generation()
    with locked(store):
        begin(store, "ingest", "a.txt").commit()  # nothing changed
    assert store.generation() == first
    write_chunks(store, [a_chunk("other text", "c2")])
    assert store.generation() == first + 1
    state = json.loads((store_dir / "kit-store.json").read_text())
    assert state["collection"] == store.name and state["generation"] == first + 1 and state["writing"] is None
    assert state["facts"]["kit_chunk_size"] == settings.chunk_size and state["facts"]["kit_embedder"] == "hash-256"
    assert [s["name"] for s in state["sources"]] == ["a.txt"]


def test_sources_are_recorded_before_any_chunk_is_written(settings: Settings, store_dir: Path) -> None:
    store = store_for(settings)
    with locked(store):
        write = begin(store, "ingest", "docs")
        write.add_source("docs", "folder")
        saved = read_state(store_dir)
        assert saved is not None and [s.name for s in saved.sources] == ["docs"] and saved.writing is not None
        assert store.open_chunks(saved.chroma, create=False).count() == 0
        write.upsert([a_chunk("text")], HashEmbedder().embed(["text"]))
        write.commit()
    assert read_state(store_dir).writing is None  # type: ignore[union-attr]


def test_catalog_lists_files_with_hash_and_ids(docs: Path, make_kit: Callable[..., Kit]) -> None:
    k = make_kit()
    k.ingest(docs)
    catalog = k.store.catalog()
    assert set(catalog) == set(DOCS)
    by_path: dict[str, set[str]] = {}
    for c in k.store.all_chunks():
        by_path.setdefault(c.path, set()).add(c.id)
        assert catalog[c.path].sha256s == {c.doc_sha256}  # one version per file after a clean ingest
    assert {p: frozenset(ids) for p, ids in by_path.items()} == {p: e.ids for p, e in catalog.items()}


def test_keyword_scores_are_bm25_as_bm25s_computes_and_reads_them(docs: Path, make_kit: Callable[..., Kit]) -> None:
    import bm25s

    from kit.text import keywords

    k = make_kit()
    k.ingest(docs)
    index = k.retriever.keyword_index()
    chunks = k.store.get_chunks([bytes(i).decode() for i in index.arrays["ids"]])
    reference = bm25s.BM25()
    reference.index([keywords(c.text) for c in chunks], show_progress=False)
    saved = bm25s.BM25.load(str(index.folder / "bm25"), mmap=True)  # bm25s reads what kit saved
    for query in ("cruise missiles Caspian", "Palmyra convoy oil trucks", "Raqqa"):
        terms = keywords(query)
        ours = index.scores(terms)
        theirs = reference.get_scores([t for t in terms if t in reference.vocab_dict])
        assert np.allclose(ours, theirs, rtol=1e-3, atol=1e-4)
        assert np.allclose(ours, saved.get_scores([t for t in terms if t in saved.vocab_dict]), atol=1e-6)


def test_keywords_with_its_cache_equal_the_plain_definition(docs: Path) -> None:
    """The keyword tokenizer caches each spelling's keyword (ingest tokenizes every chunk); the
    cache must not change a single token."""
    from kit.text import _WORD, STOPWORDS, keywords, stem

    texts = [p.read_text(encoding="utf-8") for p in sorted(docs.iterdir())] + ["İstanbul SAYS the Cats' owners"]
    for text in texts * 2:  # the second pass reads from the cache
        plain = [stem(w) for w in (m.group().lower() for m in _WORD.finditer(text)) if w not in STOPWORDS]
        assert keywords(text) == plain
