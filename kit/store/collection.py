"""One Chroma collection of chunks, spoken to in Chroma's dialect and answered in kit's types.

Every call is translated into kit's errors. A `Filter` restricts search to files and sections
and becomes Chroma's `where` clause here, nowhere else. This module does not know the store's
state, sources or keyword index (see `store.py`).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from kit.config import Settings
from kit.progress import Progress, Stage
from kit.store.manifest import FileFacts
from kit.types import Chunk, RawMap, Section

PAGE = 5000  # rows per Chroma read when paging through a collection


@dataclass(frozen=True)
class Filter:
    """Restrict search to some files and/or sections (None = no restriction)."""

    paths: tuple[str, ...] | None = None
    sections: tuple[Section, ...] | None = None

    def accepts(self, chunk: Chunk) -> bool:
        return (not self.paths or chunk.path in self.paths) and (not self.sections or chunk.section in self.sections)


# How far `apart` moves a vector: a normal step of this size on each coordinate (cosine 0.99998
# to where it was). Larger steps (0.001, 0.003) recovered no more recall; 0.0001 recovered less.
NUDGE = 0.0003


def apart(chunks: Sequence[Chunk], vectors: np.ndarray) -> np.ndarray:
    """The vectors as the index stores them: each moved a fixed tiny step in a direction of its own
    (seeded by its chunk's id, so the same chunk always lands on the same point). HNSW cannot tell
    exact copies apart: a group of identical vectors (a passage that files share, or that a file
    repeats) links only to itself, and searches that walk into it stay there. Measured on Chroma:
    2,000 copies beside the 10,265 chunks of a real store took recall@10 from 0.999 to 0.923 (0.997
    apart); 600 files sharing a paragraph, beside 646 others, hid 7 of 162 chunks from searches
    that exact search finds (none apart). A similarity moves by about 0.0003."""
    out = np.asarray(vectors, dtype=np.float32).copy()
    for row, chunk in zip(out, chunks, strict=True):
        seed = int.from_bytes(hashlib.sha256(chunk.id.encode("utf-8")).digest()[:8], "big")
        norm = float(np.linalg.norm(row)) or 1.0
        row += np.random.default_rng(seed).normal(0.0, NUDGE * norm, row.shape[0]).astype(np.float32)
        row *= norm / (float(np.linalg.norm(row)) or 1.0)
    return out


def where(flt: Filter) -> dict[str, object] | None:
    """The Chroma `where` clause of a filter."""
    clauses: list[dict[str, object]] = []
    if flt.paths:
        clauses.append({"path": {"$in": list(flt.paths)}})
    if flt.sections:
        clauses.append({"section": {"$in": list(flt.sections)}})
    if not clauses:
        return None
    return clauses[0] if len(clauses) == 1 else {"$and": clauses}


class Chunks:
    """One Chroma collection of chunks, every call translated into kit's errors."""

    def __init__(self, client: Any, collection: Any, where_: str, store_dir: Path | None,
                 settings: Settings) -> None:
        self.client, self.collection, self.where = client, collection, where_
        self.store_dir, self.settings = store_dir, settings

    def _calls(self, doing: str) -> Any:
        from kit.store.chroma import translated

        return translated(doing, self.where, self.store_dir, self.settings)

    def count(self) -> int:
        with self._calls("reading"):
            return int(self.collection.count())

    def query(self, vector: np.ndarray, n: int, flt: Filter) -> list[tuple[Chunk, float, np.ndarray]]:
        """Nearest chunks: (chunk, cosine similarity, embedding); a chunk deleted meanwhile is left out."""
        with self._calls("searching"):
            got = self.collection.query(query_embeddings=[vector.tolist()], n_results=n, where=where(flt),
                                        include=["metadatas", "documents", "distances", "embeddings"])
        rows = zip(got["ids"][0], got["documents"][0], got["metadatas"][0], got["distances"][0],
                   got["embeddings"][0], strict=True)
        return [(from_row(i, d, m), 1.0 - float(dist), np.asarray(e, dtype=np.float32))
                for i, d, m, dist, e in rows if d is not None and m is not None]

    def get(self, ids: Sequence[str]) -> list[Chunk]:
        """The chunks with these ids, in this order; ids deleted meanwhile are skipped."""
        if not ids:
            return []
        with self._calls("reading"):
            got = self.collection.get(ids=list(ids), include=["metadatas", "documents"])
        found = {i: from_row(i, d, m) for i, d, m in zip(got["ids"], got["documents"], got["metadatas"], strict=True)
                 if d is not None and m is not None}
        return [found[i] for i in ids if i in found]

    def get_with_vectors(self, ids: Sequence[str]) -> list[tuple[Chunk, np.ndarray]]:
        """The chunks with these ids and their embeddings, in this order (one call); ids deleted
        meanwhile are skipped."""
        if not ids:
            return []
        with self._calls("reading"):
            got = self.collection.get(ids=list(ids), include=["metadatas", "documents", "embeddings"])
        found = {i: (from_row(i, d, m), np.asarray(e, dtype=np.float32))
                 for i, d, m, e in zip(got["ids"], got["documents"], got["metadatas"], got["embeddings"], strict=True)
                 if d is not None and m is not None and e is not None}
        return [found[i] for i in ids if i in found]

    def embeddings(self, ids: Sequence[str]) -> dict[str, np.ndarray]:
        if not ids:
            return {}
        with self._calls("reading"):
            got = self.collection.get(ids=list(ids), include=["embeddings"])
        return {i: np.asarray(e, dtype=np.float32) for i, e in zip(got["ids"], got["embeddings"], strict=True)
                if e is not None}

    def pages(self, include: list[str]) -> Iterator[Any]:
        """The whole collection, `PAGE` rows per call."""
        total = self.count()
        for offset in range(0, total, PAGE):
            with self._calls("reading"):
                yield self.collection.get(include=include, limit=PAGE, offset=offset)

    def catalog(self) -> dict[str, tuple[str, str]]:
        """Every chunk id with its file and that file's content hash."""
        out: dict[str, tuple[str, str]] = {}
        for got in self.pages(["metadatas"]):
            for cid, meta in zip(got["ids"], got["metadatas"], strict=True):
                if meta is not None:
                    out[cid] = (str(meta["path"]), str(meta["doc_sha256"]))
        return out

    def all_chunks(self) -> list[Chunk]:
        """Every chunk, ordered by path and start."""
        chunks: list[Chunk] = []
        for got in self.pages(["metadatas", "documents"]):
            chunks += [from_row(i, d, m) for i, d, m in zip(got["ids"], got["documents"], got["metadatas"], strict=True)
                       if d is not None and m is not None]
        return sorted(chunks, key=lambda c: (c.path, c.start))

    def all_vectors(self, progress: Progress | None = None) -> tuple[list[Chunk], np.ndarray]:
        """Every chunk with its embedding, ordered by path and start; `progress` counts the rows read."""
        rows: list[tuple[Chunk, np.ndarray]] = []
        if progress is not None:
            progress.start(Stage.FETCH, self.count())
        for got in self.pages(["metadatas", "documents", "embeddings"]):
            if progress is not None:
                progress.advance(len(got["ids"]))
            columns = zip(got["ids"], got["documents"], got["metadatas"], got["embeddings"], strict=True)
            rows += [(from_row(i, d, m), np.asarray(e, dtype=np.float32)) for i, d, m, e in columns
                     if d is not None and m is not None]
        rows.sort(key=lambda r: (r[0].path, r[0].start))
        return [r[0] for r in rows], np.array([r[1] for r in rows], dtype=np.float32).reshape(len(rows), -1)

    def upsert(self, chunks: Sequence[Chunk], vectors: np.ndarray) -> None:
        # upsert, not add: add() with an existing id silently keeps the old text.
        with self._calls("writing to"):
            step = max(1, min(1000, self.client.get_max_batch_size()))
            for i in range(0, len(chunks), step):
                part = chunks[i:i + step]
                self.collection.upsert(ids=[c.id for c in part], embeddings=apart(part, vectors[i:i + step]),
                                       documents=[c.text for c in part], metadatas=[to_metadata(c) for c in part])

    def update_metadata(self, chunks: Sequence[Chunk]) -> None:
        with self._calls("writing to"):
            for i in range(0, len(chunks), 1000):
                part = chunks[i:i + 1000]
                self.collection.update(ids=[c.id for c in part], metadatas=[to_metadata(c) for c in part])

    def delete(self, ids: Sequence[str]) -> None:
        ids = list(ids)
        with self._calls("writing to"):
            for i in range(0, len(ids), 1000):
                self.collection.delete(ids=ids[i:i + 1000])

    def metadata(self) -> dict[str, Any]:
        """The collection's metadata as stored now (the open handle may hold an older copy)."""
        with self._calls("reading"):
            fresh = self.client.get_collection(self.collection.name, embedding_function=None)
        return dict(fresh.metadata or {})

    def set_metadata(self, metadata: dict[str, Any]) -> None:
        with self._calls("writing to"):
            self.collection.modify(metadata=metadata)


def file_facts(catalog: dict[str, tuple[str, str]]) -> dict[str, FileFacts]:
    ids: dict[str, set[str]] = {}
    shas: dict[str, set[str]] = {}
    for cid, (path, sha) in catalog.items():
        ids.setdefault(path, set()).add(cid)
        shas.setdefault(path, set()).add(sha)
    return {p: FileFacts(frozenset(v), frozenset(shas[p])) for p, v in ids.items()}


def to_metadata(c: Chunk) -> dict[str, str | int]:
    meta: dict[str, str | int] = {"path": c.path, "start": c.start, "end": c.end, "section": c.section,
                                  "doc_sha256": c.doc_sha256}
    if c.raw_map is not None:  # HTML: where each character of the text is in the markup, flat
        flat = [c.raw_map.origin, *(n for run in c.raw_map.runs for n in run)]
        meta["raw_map"] = json.dumps(flat, separators=(",", ":"))
    return meta


def from_row(cid: str, text: str, meta: dict[str, Any]) -> Chunk:
    section: Section = meta["section"]
    flat = json.loads(meta["raw_map"]) if meta.get("raw_map") else None  # [origin, runs flattened...]
    raw_map = RawMap(tuple((flat[i], flat[i + 1], flat[i + 2], flat[i + 3]) for i in range(1, len(flat), 4)),
                     flat[0]) if flat else None
    return Chunk(cid, str(meta["path"]), int(meta["start"]), int(meta["end"]), section, text,
                 str(meta["doc_sha256"]), raw_map)
