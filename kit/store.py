"""The vector store: the only module that imports chromadb.

One collection per corpus, named after everything that changes the vectors (embedder,
dimension, chunking, cleaner), with the same facts in its metadata. Opening a store built
with other settings is a `SettingsMismatchError` naming the difference. Writes take a file
lock (one writer at a time); every committed write bumps a generation number so long-lived
readers reopen and see fresh data. Chroma's own embedder is never used: vectors always come
from the kit's embedder. This module does not decide what to ingest or how to rank.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from kit import offline
from kit.config import Settings
from kit.errors import SettingsMismatchError, StoreBusyError, StoreDamagedError
from kit.types import Chunk, Section

offline.apply()

import chromadb  # noqa: E402  (telemetry must be off before chromadb is imported)
from chromadb.config import Settings as ChromaSettings  # noqa: E402

# Bump when cleaning or chunking changes what chunks a file gives: old stores then refuse to mix.
PIPELINE_VERSION = 1
_CHUNK_KEYS = ("path", "start", "end", "section", "doc_sha256")


@dataclass(frozen=True)
class FileEntry:
    """What the store holds for one source file."""

    doc_sha256s: frozenset[str]  # more than one only after an interrupted update
    ids: frozenset[str]


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
    """A Chroma collection of chunks, opened for the given settings and embedder."""

    def __init__(self, settings: Settings, embedder_name: str, dim: int) -> None:
        self.settings = settings
        self.dir = Path(settings.store_dir)
        self.facts = fingerprint(settings, embedder_name, dim)
        self.name = collection_name(settings.collection_prefix, self.facts)
        self._client: Any = None
        self._collection: Any = None
        self._seen_generation: int | None = None
        self.ingested_root: Path | None = None  # set by ingest; recorded when the write ends

    # -- opening -----------------------------------------------------------------
    def _open(self) -> Any:
        if self._collection is None:
            self._client = self._connect()
            self._check_compatible()
            self._collection = self._client.get_or_create_collection(
                self.name, embedding_function=None, configuration={"hnsw": {"space": "cosine"}},
                metadata={**self.facts, "kit_generation": 0},
            )
            # Remember the generation we opened at: a write by another process before our
            # first staleness check must still count as stale.
            self._seen_generation = int((self._collection.metadata or {}).get("kit_generation", 0))
        return self._collection

    def _connect(self) -> Any:
        chroma_settings = ChromaSettings(anonymized_telemetry=False, allow_reset=False)
        if self.settings.store_mode == "http":
            return chromadb.HttpClient(host=self.settings.chroma_host, port=self.settings.chroma_port,
                                       settings=chroma_settings)
        self.dir.mkdir(parents=True, exist_ok=True)
        try:
            return chromadb.PersistentClient(path=str(self.dir / "chroma"), settings=chroma_settings)
        except Exception as exc:  # chromadb raises many types for a damaged folder
            raise StoreDamagedError(f"cannot open the store in {self.dir}: {exc}; run `kit doctor --repair`") from exc

    def _check_compatible(self) -> None:
        prefix = self.settings.collection_prefix + "-"
        names = [c if isinstance(c, str) else c.name for c in self._client.list_collections()]
        if self.name in names:
            return
        for name in names:
            if name.startswith(prefix):
                other = self._client.get_collection(name, embedding_function=None).metadata or {}
                raise SettingsMismatchError(_mismatch_message(self.facts, other, self.dir))

    def drop_all(self) -> int:
        """Delete every collection under this prefix (for a rebuild with new settings)."""
        client = self._client or self._connect()
        names = [c if isinstance(c, str) else c.name for c in client.list_collections()]
        mine = [n for n in names if n.startswith(self.settings.collection_prefix + "-")]
        for name in mine:
            client.delete_collection(name)
        self._client, self._collection = client, None
        return len(mine)

    def reopen_if_stale(self) -> bool:
        """Reopen the client when another process has written since we last looked."""
        if self._collection is None:
            return False
        generation = self.generation()
        if self._seen_generation is None:
            self._seen_generation = generation
            return False
        if generation == self._seen_generation:
            return False
        # A long-lived PersistentClient's query() can lag behind writes of another process:
        # drop chroma's cached system so the next call reads the index from disk.
        self._client.clear_system_cache()
        self._client = self._collection = None
        self._seen_generation = generation
        self._open()
        return True

    # -- facts ----------------------------------------------------------------------
    def count(self) -> int:
        return int(self._open().count())

    @property
    def seen_generation(self) -> int:
        """The generation this process last read or wrote (no store round trip)."""
        self._open()
        return self._seen_generation or 0

    def generation(self) -> int:
        return int(self._stored_metadata().get("kit_generation", 0))

    def source_root(self) -> Path | None:
        """The folder last ingested into this store (citations are checked against its files)."""
        root = self._stored_metadata().get("kit_root")
        return Path(root) if root else None

    def _stored_metadata(self) -> dict[str, Any]:
        """The collection's metadata as stored now (the open handle may hold an older copy)."""
        self._open()
        return dict(self._client.get_collection(self.name, embedding_function=None).metadata or {})

    def catalog(self) -> dict[str, FileEntry]:
        """Every stored file with its content hash and chunk ids."""
        ids: dict[str, set[str]] = {}
        shas: dict[str, set[str]] = {}
        for cid, meta in self._iter_metadata():
            ids.setdefault(str(meta["path"]), set()).add(cid)
            shas.setdefault(str(meta["path"]), set()).add(str(meta["doc_sha256"]))
        return {p: FileEntry(frozenset(shas[p]), frozenset(v)) for p, v in ids.items()}

    def _iter_metadata(self) -> Iterator[tuple[str, dict[str, Any]]]:
        for got in self._pages(["metadatas"]):
            yield from zip(got["ids"], got["metadatas"], strict=True)

    def all_vectors(self) -> tuple[list[Chunk], np.ndarray]:
        """Every stored chunk with its embedding, ordered by path and start."""
        rows: list[tuple[Chunk, np.ndarray]] = []
        for got in self._pages(["metadatas", "documents", "embeddings"]):
            columns = zip(got["ids"], got["documents"], got["metadatas"], got["embeddings"], strict=True)
            rows += [(_chunk(i, d, m), np.asarray(e, dtype=np.float32)) for i, d, m, e in columns]
        rows.sort(key=lambda r: (r[0].path, r[0].start))
        return [r[0] for r in rows], np.array([r[1] for r in rows], dtype=np.float32).reshape(len(rows), -1)

    def all_chunks(self) -> list[Chunk]:
        """Every stored chunk (for the keyword index), ordered by path and start."""
        chunks: list[Chunk] = []
        for got in self._pages(["metadatas", "documents"]):
            chunks += [_chunk(i, d, m) for i, d, m in zip(got["ids"], got["documents"], got["metadatas"], strict=True)]
        return sorted(chunks, key=lambda c: (c.path, c.start))

    def _pages(self, include: list[str], page: int = 5000) -> Iterator[Any]:
        """The whole collection, read `page` rows per call."""
        col = self._open()
        for offset in range(0, col.count(), page):
            yield col.get(include=include, limit=page, offset=offset)

    # -- reading vectors ------------------------------------------------------------------
    def query(self, vector: np.ndarray, n: int, where: dict[str, Any] | None = None, count: int | None = None
              ) -> list[tuple[Chunk, float, np.ndarray]]:
        """Nearest chunks to `vector`: (chunk, cosine similarity, embedding). Pass `count` if known."""
        col = self._open()
        n = min(n, col.count() if count is None else count)
        if n == 0:
            return []
        got = col.query(query_embeddings=[vector.tolist()], n_results=n, where=where or None,
                        include=["metadatas", "documents", "distances", "embeddings"])
        rows = zip(got["ids"][0], got["documents"][0], got["metadatas"][0], got["distances"][0],
                   got["embeddings"][0], strict=True)
        return [(_chunk(i, d, m), 1.0 - float(dist), np.asarray(e, dtype=np.float32)) for i, d, m, dist, e in rows]

    def embeddings(self, ids: Sequence[str]) -> dict[str, np.ndarray]:
        if not ids:
            return {}
        got = self._open().get(ids=list(ids), include=["embeddings"])
        return {i: np.asarray(e, dtype=np.float32) for i, e in zip(got["ids"], got["embeddings"], strict=True)}

    # -- writing ---------------------------------------------------------------------------
    @contextmanager
    def writer(self, wait: float = 0.0, rebuild: bool = False) -> Iterator[Store]:
        """Hold the single-writer lock; bump the generation when the block ends."""
        from filelock import FileLock, Timeout

        self.dir.mkdir(parents=True, exist_ok=True)
        lock = FileLock(str(self.dir / "write.lock"))
        try:
            lock.acquire(timeout=wait)
        except Timeout:
            raise StoreBusyError(
                f"the store in {self.dir} is busy: another kit process is writing to it; "
                "wait for it to finish or pass --wait SECONDS") from None
        try:
            if not rebuild:
                # Refuse other settings before marking a write: a refused run writes nothing and
                # must not look like a crash to the next run (which would move the store aside).
                self._open()
            self._mark_running(True)
            if rebuild:
                self.drop_all()
            self._open()
            yield self
            self._bump_generation()
            self._mark_running(False)
        finally:
            lock.release()

    def upsert(self, chunks: Sequence[Chunk], vectors: np.ndarray) -> None:
        # upsert, not add: add() with an existing id silently keeps the old text.
        col = self._open()
        step = max(1, min(1000, self._client.get_max_batch_size()))
        for i in range(0, len(chunks), step):
            part = chunks[i:i + step]
            col.upsert(ids=[c.id for c in part], embeddings=vectors[i:i + step],
                       documents=[c.text for c in part], metadatas=[_meta(c) for c in part])

    def update_metadata(self, chunks: Sequence[Chunk]) -> None:
        """Rewrite the metadata of stored chunks (no new vectors), e.g. a new file version's hash."""
        col = self._open()
        for i in range(0, len(chunks), 1000):
            part = chunks[i:i + 1000]
            col.update(ids=[c.id for c in part], metadatas=[_meta(c) for c in part])

    def delete(self, ids: Sequence[str]) -> None:
        col = self._open()
        ids = list(ids)
        for i in range(0, len(ids), 1000):
            col.delete(ids=ids[i:i + 1000])

    def health(self, samples: int = 20) -> dict[str, Any]:
        """Facts and problems found by reading everything back (run it in a child process:
        a damaged index can crash the process that opens it)."""
        problems: list[str] = []
        shas: dict[str, set[str]] = {}
        ids: list[str] = []
        for cid, meta in self._iter_metadata():
            ids.append(cid)
            shas.setdefault(str(meta["path"]), set()).add(str(meta["doc_sha256"]))
        count = self.count()
        if len(ids) != count or len(set(ids)) != len(ids):
            problems.append(f"count says {count} chunks but {len(set(ids))} distinct ids were read")
        mixed = sorted(p for p, s in shas.items() if len(s) > 1)
        problems += [f"{p}: chunks of {len(shas[p])} versions (an interrupted update)" for p in mixed]
        problems += self._index_problems(ids[:: max(1, len(ids) // samples)][:samples])
        return {"collection": self.name, "chunks": count, "files": len(shas), "problems": problems,
                "interrupted": self.interrupted()}

    def _index_problems(self, ids: list[str]) -> list[str]:
        """Each sampled chunk's own vector must find it, or an identical twin, at similarity 1."""
        vectors = self.embeddings(ids)
        misses = [cid for cid in ids if cid in vectors and self.query(vectors[cid], 1)[0][1] < 0.999]
        lost = [cid for cid in ids if cid not in vectors]
        out = [f"vector index does not return {len(misses)} of {len(ids)} sampled chunks"] if misses else []
        return out + ([f"{len(lost)} sampled chunks have no vector"] if lost else [])

    def interrupted(self) -> bool:
        """True when a write started and never finished (a crash or kill mid-ingest)."""
        return (self.dir / "write.running").exists()

    def _mark_running(self, running: bool) -> None:
        marker = self.dir / "write.running"
        if running:
            marker.write_text(str(os.getpid()))
        else:
            marker.unlink(missing_ok=True)

    def _bump_generation(self) -> None:
        col = self._open()
        meta = dict(col.metadata or {})
        meta["kit_generation"] = int(meta.get("kit_generation", 0)) + 1
        if self.ingested_root is not None:
            meta["kit_root"] = str(self.ingested_root)
        col.modify(metadata=meta)
        self._seen_generation = meta["kit_generation"]
        self._write_state_file(meta)

    def _write_state_file(self, meta: dict[str, Any]) -> None:
        """A small JSON beside the store naming its collection and settings, for people and doctor."""
        if self.settings.store_mode == "local":
            state = {"collection": self.name, **{k: v for k, v in meta.items() if k.startswith("kit_")}}
            tmp = self.dir / "kit-store.json.tmp"
            tmp.write_text(json.dumps(state, indent=2))
            os.replace(tmp, self.dir / "kit-store.json")


def _meta(c: Chunk) -> dict[str, str | int]:
    return {"path": c.path, "start": c.start, "end": c.end, "section": c.section, "doc_sha256": c.doc_sha256}


def _chunk(cid: str, text: str, meta: dict[str, Any]) -> Chunk:
    section: Section = meta["section"]
    return Chunk(cid, str(meta["path"]), int(meta["start"]), int(meta["end"]), section, text, str(meta["doc_sha256"]))


def _mismatch_message(wanted: dict[str, str | int], found: dict[str, Any], where: Path) -> str:
    diffs = [f"{k[4:]}: store has {found.get(k)!r}, settings ask {v!r}" for k, v in wanted.items() if found.get(k) != v]
    return (f"the store in {where} was built with other settings ({'; '.join(diffs) or 'unknown'}); "
            "use the same settings, pick another --store folder, or rebuild with `kit ingest --rebuild`")
