"""Hybrid search: dense (Chroma) + keyword (BM25), fused by reciprocal rank, diversified by MMR.

Dense search finds paraphrases; BM25 finds rare names and numbers that embeddings blur.
Reciprocal rank fusion needs no score calibration between the two. MMR then drops near
duplicates (scraped corpora repeat the same wire story) so the top k says more. Filters on
file and section apply to both retrievers. The keyword index is the one saved with the store
(`keyword.py`); a keyword hit is fetched from the store by id, and a chunk deleted by a concurrent
write is skipped, never an error. This module does not compose answers.
"""

from __future__ import annotations

import numpy as np

from kit.config import Settings
from kit.embeddings import Embedder
from kit.errors import EmptyStoreError
from kit.store.collection import Filter
from kit.store.keyword import KeywordIndex
from kit.store.store import Store
from kit.types import Chunk, Hit

__all__ = ["Filter", "KeywordIndex", "Retriever", "mmr"]


class Retriever:
    """Searches one store with one embedder."""

    def __init__(self, store: Store, embedder: Embedder, settings: Settings) -> None:
        self.store = store
        self.embedder = embedder
        self.settings = settings

    def search(self, query: str, k: int | None = None, flt: Filter | None = None) -> list[Hit]:
        """The k best chunks for `query`, fused, near-duplicates removed."""
        with self.store.reading():  # a write in another thread finishes first; one generation check
            return self._search(query, k or self.settings.top_k, flt or Filter())

    def _search(self, query: str, k: int, flt: Filter) -> list[Hit]:
        index = self.keyword_index()
        # The committed chunk count, from the index: one request fewer than asking Chroma (three per
        # search in all: generation, dense query, keyword hits); Chroma only when nothing is committed.
        total = index.size or self.store.count()
        if total == 0:
            raise EmptyStoreError("the store is empty: run `kit ingest FOLDER` first")
        n = max(self.settings.candidates, k)
        qvec = self.embedder.embed([query])[0]
        dense = self.store.query(qvec, n, flt, count=total)
        ids = index.search(query, n, flt.paths, flt.sections)
        seen = {c.id: (c, v) for c, _s, v in dense}
        # Keyword-only hits are fetched with their vectors in one request; a chunk deleted since the
        # index was saved is skipped.
        fetched = dict((c.id, (c, v)) for c, v in self.store.get_with_vectors([i for i in ids if i not in seen]))
        found = {**seen, **fetched}
        keyword = [found[i][0] for i in ids if i in found]
        return self._fuse_and_diversify(qvec, dense, keyword, k, {i: v for i, (_c, v) in fetched.items()})

    def keyword_index(self) -> KeywordIndex:
        """The saved keyword index of the generation this process reads (memory-mapped, never rebuilt here)."""
        return self.store.keyword_index()

    def _fuse_and_diversify(self, qvec: np.ndarray, dense: list[tuple[Chunk, float, np.ndarray]],
                            keyword: list[Chunk], k: int, known: dict[str, np.ndarray] | None = None) -> list[Hit]:
        rrf = self.settings.rrf_k
        scores: dict[str, float] = {}
        chunks: dict[str, Chunk] = {}
        dense_rank: dict[str, int] = {}
        keyword_rank: dict[str, int] = {}
        for rank, (chunk, _sim, _vec) in enumerate(dense, 1):
            scores[chunk.id] = scores.get(chunk.id, 0.0) + 1.0 / (rrf + rank)
            chunks[chunk.id], dense_rank[chunk.id] = chunk, rank
        for rank, chunk in enumerate(keyword, 1):
            scores[chunk.id] = scores.get(chunk.id, 0.0) + 1.0 / (rrf + rank)
            chunks[chunk.id], keyword_rank[chunk.id] = chunk, rank
        vectors = {c.id: v for c, _s, v in dense} | (known or {})
        vectors |= self.store.embeddings([cid for cid in scores if cid not in vectors])
        alive = [cid for cid in scores if cid in vectors]  # a chunk deleted meanwhile has no vector: skip it
        order = mmr(alive, scores, vectors, k, self.settings.mmr_lambda, self.settings.dedup_threshold)
        return [Hit(chunks[cid], scores[cid], dense_rank.get(cid), keyword_rank.get(cid)) for cid in order]


def mmr(ids: list[str], relevance: dict[str, float], vectors: dict[str, np.ndarray], k: int,
        lam: float, dedup: float) -> list[str]:
    """Maximal marginal relevance; candidates at least `dedup` similar to a pick are dropped."""
    if not ids:
        return []
    pool = sorted(ids, key=lambda i: -relevance[i])
    rel = np.array([relevance[i] for i in pool]) / max(relevance.values())
    sims = np.stack([vectors[i] for i in pool]) @ np.stack([vectors[i] for i in pool]).T
    redundancy = np.zeros(len(pool))
    alive = np.ones(len(pool), dtype=bool)
    picked: list[int] = []
    while alive.any() and len(picked) < k:
        value = np.where(alive, lam * rel - (1 - lam) * redundancy, -np.inf)
        best = int(np.argmax(value))  # ties go to the more relevant (earlier) candidate
        picked.append(best)
        alive &= sims[best] < dedup
        alive[best] = False
        redundancy = sims[best] if len(picked) == 1 else np.maximum(redundancy, sims[best])
    return [pool[i] for i in picked]
