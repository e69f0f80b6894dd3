"""The store: chunks in Chroma, plus the state, keyword index and file list kept with them.

One Chroma collection per corpus, named after everything that changes the vectors (embedder,
dimension, chunking, pipeline version); opening a store built with other settings is a
`SettingsMismatchError` naming the difference. Chroma's own embedder is never used. Readers take
no lock: they read the state's generation, search Chroma and the keyword index saved for that
generation, and fetch keyword hits by id, skipping a chunk deleted meanwhile. Writing is in
`writer.py`. Only this module and `chroma.py` speak Chroma's dialect (`$in`, `$and`).
"""

from __future__ import annotations

import hashlib
import json
import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import numpy as np

from kit.config import Settings
from kit.errors import KitError, NoStoreError, SettingsMismatchError
from kit.location import Location, cache_dir, locate, require
from kit.progress import Progress
from kit.store.built import recorded_settings
from kit.store.collection import Chunks, Filter, file_facts
from kit.store.keyword import KeywordIndex, rows_from_chunks, save
from kit.store.manifest import FileFacts, Manifest, build_manifest, read_manifest
from kit.store.state import Source, StoreState, read_state
from kit.types import Chunk

# Bump when cleaning, chunking or naming changes what chunks a file gives: old stores then refuse
# to mix. 2: file names relative to the store's base folder.
PIPELINE_VERSION = 2

# One lock for every store a process opens: Chroma's client cache is shared by the whole process
# (`clear_cache` drops every client), so a search in one thread must not run while a write or a
# reopen in another swaps the clients under it (it read a closed client and said "damaged").
# Reentrant: a write calls reads of its own.
STORE_LOCK = threading.RLock()


def fingerprint(settings: Settings, embedder_name: str, dim: int) -> dict[str, str | int]:
    """The facts that decide the vectors; equal fingerprints mean compatible stores."""
    return {
        "kit_embedder": embedder_name, "kit_dim": dim, "kit_chunk_size": settings.chunk_size,
        "kit_chunk_overlap": settings.chunk_overlap, "kit_pipeline": PIPELINE_VERSION,
    }


def collection_name(prefix: str, facts: dict[str, str | int]) -> str:
    digest = hashlib.sha256(json.dumps(facts, sort_keys=True).encode()).hexdigest()[:12]
    return f"{prefix}-{digest}"


class Store:
    """A kit store opened for the given settings and embedder (name and dimension; no model)."""

    def __init__(self, settings: Settings, embedder_name: str, dim: int, location: Location | None = None) -> None:
        self.settings = settings
        self.location = location or locate(settings.store_dir)
        self.dir = self.location.dir
        self.facts = fingerprint(settings, embedder_name, dim)
        self.name = collection_name(settings.collection_prefix, self.facts)
        self.http = settings.store_mode == "http"
        self._chunks: Chunks | None = None
        self._chunks_folder = ""
        self._client: Any = None
        self._keyword: KeywordIndex | None = None
        self._keyword_generation = -1
        self._seen_generation: int | None = None
        self.lease: Any = None  # the write lease while this process writes to a server (writer.Lease)
        # Server metadata is replaced whole: the lease's renewal thread and the writer's own state
        # updates must not interleave their read-modify-write cycles.
        self.metadata_lock = threading.Lock()
        self.lock = STORE_LOCK  # held by a whole write, a whole search, and every read below
        self._pinned = 0  # inside `reading()`: the generation was checked once for the whole block

    # -- where things are --------------------------------------------------------------------
    @property
    def where(self) -> str:
        return f"{self.settings.chroma_host}:{self.settings.chroma_port}" if self.http else str(self.dir)

    @property
    def cache(self) -> Path:
        """Folder of the keyword index and file list (and, locally, the state and Chroma data)."""
        if not self.http:
            return self.dir
        server = f"{self.settings.chroma_host}_{self.settings.chroma_port}"
        root = self.dir if self.location.found or self.dir.exists() else cache_dir()
        return root / "server" / server / self.name

    def keyword_dir(self, generation: int) -> Path:
        return self.cache / "keyword" / str(generation)

    # -- state -------------------------------------------------------------------------------
    def exists(self) -> bool:
        if not self.http:
            return self.location.exists
        return self.server_collection() is not None

    def require(self) -> None:
        """Raise `NoStoreError` (one line: where kit looked, what to run) unless a store is there."""
        if self.http:
            if self.server_collection() is None:
                raise NoStoreError(f"the Chroma server at {self.where} holds no kit store for these settings "
                                   f"(collection {self.name}); run `kit ingest FOLDER` first")
            return
        require(self.location)
        state = read_state(self.dir)  # settings that contradict the store's: say so before any model loads
        if state is not None and state.facts and state.facts != self.facts:
            raise SettingsMismatchError(mismatch_message(self.facts, state.facts, self.dir))

    def state(self) -> StoreState:
        """The state as stored now."""
        if self.http:
            return self.server_state()
        state = read_state(self.dir)
        if state is None:
            require(self.location)
            raise NoStoreError(f"the state file of the store in {self.dir} cannot be read; run `kit doctor`")
        if state.facts and state.facts != self.facts:
            raise SettingsMismatchError(mismatch_message(self.facts, state.facts, self.dir))
        return state

    def server_state(self) -> StoreState:
        """The state kept in the server collection's metadata (a fresh read)."""
        from kit.errors import NoStoreError

        collection = self.server_collection()
        if collection is None:
            raise NoStoreError(f"the Chroma server at {self.where} holds no kit store for these settings; "
                               "run `kit ingest FOLDER` first")
        chunks = Chunks(self.server_client(), collection, self.where, None, self.settings)
        meta = chunks.metadata()
        facts = {k: v for k, v in meta.items() if k in self.facts}
        if facts != self.facts:
            from kit.errors import SettingsMismatchError

            raise SettingsMismatchError(mismatch_message(self.facts, meta, Path(self.where)))
        writing = json.loads(str(meta.get("kit_writing") or "null"))
        sources = json.loads(str(meta.get("kit_sources") or "[]"))
        return StoreState.from_json({"collection": self.name, "facts": facts,
                                     "generation": meta.get("kit_generation", 0), "sources": sources,
                                     "writing": writing, "mode": "http", "server": self.where,
                                     "format": meta.get("kit_format", 1)})

    def generation(self) -> int:
        return self.state().generation

    def sources(self) -> tuple[Source, ...]:
        return self.state().sources

    def page_urls(self) -> dict[str, str]:
        """The stored web page snapshots, each with the URL it was fetched from (none without a store)."""
        if not (self.location.exists or self.http):
            return {}
        try:
            return {s.name: s.url for s in self.sources() if s.kind == "url"}
        except KitError:  # the command itself says what is wrong with the store
            return {}

    @property
    def seen_generation(self) -> int:
        """The generation this process last read or wrote (no store round trip)."""
        if self._seen_generation is None:
            self._seen_generation = self.generation()
        return self._seen_generation

    # -- opening Chroma -------------------------------------------------------------------------
    def chunks(self) -> Chunks:
        """The live collection (opened once; `reopen_if_stale` notices other processes' writes)."""
        with self.lock:
            if self._chunks is None:
                state = self.state()
                self._seen_generation = state.generation
                self._chunks = self.open_chunks(state.chroma, create=False)
                self._chunks_folder = state.chroma
            return self._chunks

    def open_chunks(self, folder: str, create: bool, check: bool = True) -> Chunks:
        """The chunk collection in data folder `folder` (local) or on the server; `check`: refuse a
        collection of other settings under the same prefix."""
        from kit.store import chroma

        if self.http:
            client = self.server_client()
            where_, store_dir = self.where, None
        else:
            path = self.dir / folder
            if not create and not chroma.local_data_ok(path):
                raise NoStoreError(f"the store in {self.dir} has no Chroma data in {path}; run `kit doctor`")
            path.mkdir(parents=True, exist_ok=True)
            client, where_, store_dir = chroma.local_client(path), str(path), self.dir
        with chroma.translated("opening", where_, store_dir, self.settings):
            if check:
                self._check_compatible(client)
            if create:
                collection = client.get_or_create_collection(
                    self.name, embedding_function=None, configuration={"hnsw": {"space": "cosine"}},
                    metadata=dict(self.facts))
            else:
                collection = client.get_collection(self.name, embedding_function=None)
        return Chunks(client, collection, where_, store_dir, self.settings)

    def server_client(self) -> Any:
        from kit.store.chroma import server_client

        if self._client is None:
            self._client = server_client(self.settings)
        return self._client

    def server_collection(self) -> Any:
        from kit.store.chroma import is_missing, translated

        client = self.server_client()
        with translated("opening", self.where, None, self.settings):
            self._check_compatible(client)
            try:
                return client.get_collection(self.name, embedding_function=None)
            except Exception as exc:
                if is_missing(exc):
                    return None
                raise

    def _check_compatible(self, client: Any) -> None:
        prefix = self.settings.collection_prefix + "-"
        names = [c if isinstance(c, str) else c.name for c in client.list_collections()]
        if self.name in names:
            return
        for name in names:
            if name.startswith(prefix) and name[len(prefix):].isalnum():
                other = client.get_collection(name, embedding_function=None).metadata or {}
                raise SettingsMismatchError(mismatch_message(self.facts, other, Path(self.where)))

    def reopen_if_stale(self) -> bool:
        """Reopen when another process (or another Kit) has committed since we last looked."""
        with self.lock:
            return self._reopen_if_stale()

    def _reopen_if_stale(self) -> bool:
        if self._chunks is None and self._seen_generation is None:
            return False
        generation = self.generation()
        if generation == self._seen_generation:
            return False
        # A long-lived PersistentClient's query() can lag behind writes of another process:
        # drop chroma's cached system so the next call reads the index from disk.
        if not self.http:
            from kit.store.chroma import clear_cache

            clear_cache()
        self._chunks = None
        self._keyword = None
        self.chunks()
        return True

    def forget(self) -> None:
        """Drop open handles (after a write, or a repair that swapped the data folder)."""
        with self.lock:
            self._chunks, self._keyword, self._seen_generation = None, None, None
            if not self.http:
                from kit.store.chroma import clear_cache

                clear_cache()

    def fresh(self) -> Chunks:
        """The live collection, reopened first if another process or Kit committed since: every read
        below goes through here, so a long-lived Kit (a notebook) never serves an old generation."""
        if not self._pinned:
            self._reopen_if_stale()
        return self.chunks()

    @contextmanager
    def reading(self) -> Iterator[None]:
        """Hold the lock for several reads that check the generation once (a search: on a server
        each check is a round trip, and a search makes four reads)."""
        with self.lock:
            self._reopen_if_stale()
            self._pinned += 1
            try:
                yield
            finally:
                self._pinned -= 1

    # -- reading (each under the lock, on the current generation) -----------------------------
    def count(self) -> int:
        with self.lock:
            return self.fresh().count()

    def query(self, vector: np.ndarray, n: int, flt: Filter | None = None, count: int | None = None
              ) -> list[tuple[Chunk, float, np.ndarray]]:
        """Nearest chunks to `vector`: (chunk, cosine similarity, embedding). Pass `count` if known."""
        with self.lock:
            n = min(n, self.count() if count is None else count)
            return self.fresh().query(vector, n, flt or Filter()) if n > 0 else []

    def get_chunks(self, ids: Sequence[str]) -> list[Chunk]:
        with self.lock:
            return self.fresh().get(ids)

    def get_with_vectors(self, ids: Sequence[str]) -> list[tuple[Chunk, np.ndarray]]:
        with self.lock:
            return self.fresh().get_with_vectors(ids)

    def embeddings(self, ids: Sequence[str]) -> dict[str, np.ndarray]:
        with self.lock:
            return self.fresh().embeddings(ids)

    def all_chunks(self) -> list[Chunk]:
        with self.lock:
            return self.fresh().all_chunks()

    def all_vectors(self, progress: Progress | None = None) -> tuple[list[Chunk], np.ndarray]:
        with self.lock:
            return self.fresh().all_vectors(progress)

    def catalog(self) -> dict[str, FileFacts]:
        """Every stored file with its chunk ids and content hashes, read from Chroma."""
        with self.lock:
            return file_facts(self.fresh().catalog())

    def keyword_index(self) -> KeywordIndex:
        """The keyword index of the current generation (loaded once per generation)."""
        with self.lock:
            if not self._pinned:
                self._reopen_if_stale()
            generation = self.seen_generation
            if self._keyword is None or self._keyword_generation != generation:
                self._keyword = self._load_keyword(generation)
                self._keyword_generation = generation
            return self._keyword

    def _load_keyword(self, generation: int) -> KeywordIndex:
        folder = self.keyword_dir(generation)
        if not (folder / "ids.npy").exists():
            self._build_keyword(folder)
        return KeywordIndex(folder)

    def _build_keyword(self, folder: Path) -> None:
        """Build a missing index from the chunks (a server's new generation, or a lost cache)."""
        from filelock import FileLock

        folder.parent.mkdir(parents=True, exist_ok=True)
        with FileLock(str(folder.parent / "build.lock"), timeout=600):
            if not (folder / "ids.npy").exists():  # another process may have built it meanwhile
                save(rows_from_chunks(self.all_chunks()), folder)

    def manifest(self) -> Manifest:
        """The file list at the current generation: the saved one, or one built from Chroma."""
        state = self.state()
        saved = read_manifest(self.cache)
        if saved is not None and saved.generation == state.generation and state.writing is None:
            return saved
        return build_manifest(state.generation, self.catalog(), state.source_of, saved)


def mismatch_message(wanted: dict[str, str | int], found: dict[str, Any], where: Path) -> str:
    """One line naming each setting whose value differs from the store's, as the settings name it."""
    store, asked = recorded_settings(found), recorded_settings(wanted)
    diffs = [f"{k}: store has {store[k]!r}, settings ask {v!r}" for k, v in asked.items()
             if k in store and store[k] != v]
    if not diffs:  # a fact kit cannot name as a setting (an older pipeline, another dimension)
        diffs = [f"{k[4:]}: store has {found.get(k)!r}, settings ask {v!r}" for k, v in wanted.items()
                 if found.get(k) != v]
    return (f"the store in {where} was built with other settings ({'; '.join(diffs) or 'unknown'}); "
            "use the same settings, pick another --store folder, or rebuild with `kit ingest --rebuild`")
