"""Hybrid search: dense (Chroma) + keyword (BM25), fused by reciprocal rank, diversified by MMR.

Dense search finds paraphrases; BM25 finds rare names and numbers that embeddings blur.
Reciprocal rank fusion needs no score calibration between the two. MMR then drops near
duplicates (scraped corpora repeat the same wire story) so the top k says more. Filters on
file and section apply to both retrievers. This module does not compose answers.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

import numpy as np

from kit.config import Settings
from kit.embeddings import Embedder
from kit.errors import EmptyStoreError
from kit.store import Store
from kit.text import keywords
from kit.types import Chunk, Hit, Section


@dataclass(frozen=True)
class Filter:
    """Restrict search to some files and/or sections (None = no restriction)."""

    paths: tuple[str, ...] | None = None
    sections: tuple[Section, ...] | None = None

    def where(self) -> dict[str, object] | None:
        clauses: list[dict[str, object]] = []
        if self.paths:
            clauses.append({"path": {"$in": list(self.paths)}})
        if self.sections:
            clauses.append({"section": {"$in": list(self.sections)}})
        if not clauses:
            return None
        return clauses[0] if len(clauses) == 1 else {"$and": clauses}

    def accepts(self, chunk: Chunk) -> bool:
        return (not self.paths or chunk.path in self.paths) and (not self.sections or chunk.section in self.sections)


class KeywordIndex:
    """BM25 over every stored chunk, rebuilt when the store's generation changes."""

    def __init__(self, chunks: list[Chunk]) -> None:
        import bm25s

        self.chunks = chunks
        self.bm25 = bm25s.BM25()
        tokens = [keywords(c.text) or ["\x00"] for c in chunks]
        self.df: Counter[str] = Counter(t for toks in tokens for t in set(toks))
        if chunks:
            self.bm25.index(tokens, show_progress=False)

    def search(self, query: str, n: int, flt: Filter) -> list[Chunk]:
        terms = keywords(query)
        if not terms or not self.chunks:
            return []
        # Filters apply after scoring, so ask for more when a filter is set.
        want = len(self.chunks) if (flt.paths or flt.sections) else min(n, len(self.chunks))
        docs, scores = self.bm25.retrieve([terms], k=want, show_progress=False)
        hits = [self.chunks[int(i)] for i, s in zip(docs[0], scores[0], strict=True) if s > 0]
        return [c for c in hits if flt.accepts(c)][:n]


class Retriever:
    """Searches one store with one embedder."""

    def __init__(self, store: Store, embedder: Embedder, settings: Settings) -> None:
        self.store = store
        self.embedder = embedder
        self.settings = settings
        self._keyword: KeywordIndex | None = None
        self._keyword_generation = -1

    def search(self, query: str, k: int | None = None, flt: Filter | None = None) -> list[Hit]:
        """The k best chunks for `query`, fused, near-duplicates removed."""
        k = k or self.settings.top_k
        flt = flt or Filter()
        self.store.reopen_if_stale()
        total = self.store.count()
        if total == 0:
            raise EmptyStoreError("the store is empty: run `kit ingest FOLDER` first")
        n = max(self.settings.candidates, k)
        qvec = self.embedder.embed([query])[0]
        dense = self.store.query(qvec, n, flt.where(), count=total)
        keyword = self.keyword_index().search(query, n, flt)
        return self._fuse_and_diversify(qvec, dense, keyword, k)

    def keyword_index(self) -> KeywordIndex:
        # search() has just checked the store's generation; its answer is cached on the store.
        generation = self.store.seen_generation
        if self._keyword is None or generation != self._keyword_generation:
            self._keyword = KeywordIndex(self.store.all_chunks())
            self._keyword_generation = generation
        return self._keyword

    def _fuse_and_diversify(self, qvec: np.ndarray, dense: list[tuple[Chunk, float, np.ndarray]],
                            keyword: list[Chunk], k: int) -> list[Hit]:
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
        vectors = {c.id: v for c, _s, v in dense}
        vectors |= self.store.embeddings([cid for cid in scores if cid not in vectors])
        order = mmr(list(scores), scores, vectors, k, self.settings.mmr_lambda, self.settings.dedup_threshold)
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
