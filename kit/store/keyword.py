"""The keyword index: BM25 over every stored chunk, saved with the store at each generation.

A writer builds it at commit from the previous generation's tokenized rows plus the chunks it
added, minus the ones it removed, so no process ever re-reads every chunk to search. Readers
memory-map it (bm25s's on-disk format), so opening costs milliseconds whatever the store's
size. Rows are aligned arrays (chunk id, file, section, tokens): filters on file and section are
a weight mask over rows, and a hit is a chunk id the store fetches by itself. Scores are the
Lucene variant of BM25 that bm25s computes (k1 = 1.5, b = 0.75), built here with numpy because
bm25s's own builder holds every token as a Python int (about 2.5 GB at a million chunks).
This module does not talk to Chroma.
"""

from __future__ import annotations

import json
import os
import shutil
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

import numpy as np

from kit.store.integrity import check_folder, damaged, seal_folder
from kit.text import keywords
from kit.types import SECTIONS, Chunk, Section

K1, B = 1.5, 0.75  # bm25s defaults, which the previous in-memory index used
_BM25_DIR = "bm25"
_ARRAYS = ("ids", "path_index", "sections", "tok_indptr", "tok_terms", "tok_tf")


@dataclass
class Rows:
    """The tokenized corpus: one row per chunk, token counts as CSR, and the vocabulary."""

    ids: np.ndarray  # bytes, one chunk id per row
    path_index: np.ndarray  # int32 index into `paths`
    sections: np.ndarray  # uint8 index into SECTIONS
    tok_indptr: np.ndarray  # int64, len(ids) + 1
    tok_terms: np.ndarray  # int32 term ids, each row's distinct terms
    tok_tf: np.ndarray  # int32 count of each term in its row
    paths: list[str]
    vocab: dict[str, int]

    @classmethod
    def empty(cls) -> Rows:
        return cls(np.zeros(0, dtype="S24"), np.zeros(0, np.int32), np.zeros(0, np.uint8),
                   np.zeros(1, np.int64), np.zeros(0, np.int32), np.zeros(0, np.int32), [], {})

    def __len__(self) -> int:
        return len(self.ids)


class Delta:
    """Rows for the chunks one write adds, tokenized as they are written (texts are not kept).

    Kept as flat arrays per batch, about 350 bytes a chunk (a dict of small arrays per chunk took
    800, which a million-chunk load could not afford); a later row for an id replaces an earlier one.
    """

    def __init__(self, vocab: dict[str, int]) -> None:
        self.vocab = dict(vocab)
        self._ids: list[str] = []
        self._paths: list[str] = []
        self._sections: list[int] = []
        self._lengths: list[int] = []
        self._terms: list[np.ndarray] = []
        self._tf: list[np.ndarray] = []
        self._latest: dict[str, int] = {}  # id -> its row, for ids not discarded since

    def add(self, chunks: Iterable[Chunk]) -> None:
        terms: list[int] = []
        counts_all: list[int] = []
        for c in chunks:
            counts = Counter(keywords(c.text))
            self._latest[c.id] = len(self._ids)
            self._ids.append(c.id)
            self._paths.append(c.path)
            self._sections.append(SECTIONS.index(c.section))
            self._lengths.append(len(counts))
            terms.extend(self.vocab.setdefault(t, len(self.vocab)) for t in counts)
            counts_all.extend(counts.values())
        self._terms.append(np.array(terms, dtype=np.int32))
        self._tf.append(np.array(counts_all, dtype=np.int32))

    def discard(self, ids: Iterable[str]) -> None:
        for cid in ids:
            self._latest.pop(cid, None)

    def frame(self) -> tuple[list[str], list[str], np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
        """(ids, paths, sections, token counts per row, terms, tf) of the rows that stand."""
        keep = np.zeros(len(self._ids), dtype=bool)
        keep[list(self._latest.values())] = True
        lengths = np.array(self._lengths, dtype=np.int64)
        tokens = np.repeat(keep, lengths)
        terms = np.concatenate(self._terms) if self._terms else np.zeros(0, np.int32)
        tf = np.concatenate(self._tf) if self._tf else np.zeros(0, np.int32)
        rows = np.flatnonzero(keep)
        return ([self._ids[i] for i in rows], [self._paths[i] for i in rows],
                np.array(self._sections, dtype=np.uint8)[keep], lengths[keep], terms[tokens], tf[tokens])


def rows_from_chunks(chunks: Iterable[Chunk]) -> Rows:
    delta = Delta({})
    delta.add(chunks)
    return merged(Rows.empty(), set(), delta)


def merged(prev: Rows, removed: set[str], delta: Delta) -> Rows:
    """`prev` without the `removed` rows (and rows `delta` rewrites), plus `delta`'s rows."""
    ids, new_paths, new_sections, new_lengths, new_terms, new_tf = delta.frame()
    drop = np.array(sorted(removed | set(ids)), dtype="S")
    keep = ~np.isin(prev.ids, drop) if len(drop) and len(prev) else np.ones(len(prev), dtype=bool)
    lengths = np.diff(prev.tok_indptr)
    kept_tokens = np.repeat(keep, lengths)
    paths = sorted({prev.paths[i] for i in np.unique(prev.path_index[keep])} | set(new_paths))
    where = {p: i for i, p in enumerate(paths)}
    remap = np.array([where.get(p, -1) for p in prev.paths], dtype=np.int32)
    return Rows(
        ids=np.concatenate([prev.ids[keep], np.array(ids, dtype="S24")]).astype("S24"),
        path_index=np.concatenate([remap[prev.path_index[keep]], np.array([where[p] for p in new_paths],
                                                                            dtype=np.int32)]),
        sections=np.concatenate([prev.sections[keep], new_sections]),
        tok_indptr=np.concatenate([[0], np.cumsum(np.concatenate([lengths[keep], new_lengths]))]).astype(np.int64),
        tok_terms=np.concatenate([prev.tok_terms[kept_tokens], new_terms]).astype(np.int32),
        tok_tf=np.concatenate([prev.tok_tf[kept_tokens], new_tf]).astype(np.int32),
        paths=paths, vocab=delta.vocab,
    )


def bm25_matrix(rows: Rows) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """BM25 scores as a term-major CSC matrix (data, row indices, column pointers), as bm25s stores it."""
    n, vocab = len(rows), max(len(rows.vocab), 1)
    doc_of = np.repeat(np.arange(n, dtype=np.int32), np.diff(rows.tok_indptr))
    tf = rows.tok_tf.astype(np.float32)
    doc_len = np.bincount(doc_of, weights=tf, minlength=n).astype(np.float32)
    avg = float(doc_len.mean()) if n and doc_len.mean() > 0 else 1.0
    df = np.bincount(rows.tok_terms, minlength=vocab)
    idf = np.log1p((n - df + 0.5) / (df + 0.5)).astype(np.float32)
    norm = K1 * ((1 - B) + B * doc_len / avg)
    scores = idf[rows.tok_terms] * tf / (norm[doc_of] + tf)
    order = np.argsort(rows.tok_terms, kind="stable")  # rows stay in order within each term
    indptr = np.concatenate([[0], np.cumsum(df)]).astype(np.int64)
    return scores[order].astype(np.float32), doc_of[order], indptr


def save(rows: Rows, folder: Path) -> None:
    """Write the index for `rows` into `folder` (a new folder, moved into place when complete)."""
    import bm25s

    tmp = folder.with_name(f".{folder.name}.{os.getpid()}.tmp")
    shutil.rmtree(tmp, ignore_errors=True)
    tmp.mkdir(parents=True)
    try:
        data, indices, indptr = bm25_matrix(rows)
        model = bm25s.BM25(k1=K1, b=B)
        model.scores = {"data": data, "indices": indices, "indptr": indptr, "num_docs": len(rows)}
        model.vocab_dict = rows.vocab
        model.nonoccurrence_array = None  # only BM25L and BM25+ use it; `index()` would set it
        model.save(str(tmp / _BM25_DIR), show_progress=False)
        for name in _ARRAYS:
            np.save(tmp / f"{name}.npy", getattr(rows, name))
        (tmp / "paths.json").write_text(json.dumps(rows.paths, ensure_ascii=False), encoding="utf-8")
        seal_folder(tmp)
        _fsync_tree(tmp)
        # A folder already there is from a write that crashed before committing this generation
        # (readers only open committed ones), so it is replaced.
        shutil.rmtree(folder, ignore_errors=True)
        os.replace(tmp, folder)  # a reader finds the whole index or none of it
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def _fsync_tree(folder: Path) -> None:
    for path in folder.rglob("*"):
        if path.is_file():
            fd = os.open(path, os.O_RDONLY)
            try:
                os.fsync(fd)
            finally:
                os.close(fd)


class KeywordIndex:
    """A saved keyword index, memory-mapped: search by words, document frequencies for answers.

    Read with numpy directly rather than `bm25s.BM25.load`: bm25s imports scipy (0.2 s of a cold
    search's 2 s budget here) for nothing a reader needs; tests check both read the same scores.
    """

    def __init__(self, folder: Path, sums_required: bool = False) -> None:
        """Open the index in `folder`, checked against its checksums first (reading every file
        once: about 0.1 s per 100 MB), so a damaged index is a `DamagedFileError`, never wrong
        scores or an IndexError on some later search. `sums_required`: a folder without
        checksums is damaged too (a writer never carries an unverifiable index forward)."""
        self.folder = folder
        check_folder(folder, sums_required)
        try:
            self._open(folder)
        except (OSError, ValueError, KeyError, TypeError) as exc:
            raise damaged(folder, f"cannot be read: {type(exc).__name__}") from None

    def _open(self, folder: Path) -> None:
        bm25 = folder / _BM25_DIR
        self.vocab: dict[str, int] = json.loads((bm25 / "vocab.index.json").read_text(encoding="utf-8"))
        self.matrix = {name: np.load(bm25 / f"{name}.csc.index.npy", mmap_mode="r")
                       for name in ("data", "indices", "indptr")}
        self.arrays = {name: np.load(folder / f"{name}.npy", mmap_mode="r") for name in _ARRAYS}
        self.paths: list[str] = json.loads((folder / "paths.json").read_text(encoding="utf-8"))
        self.size = len(self.arrays["ids"])

    def scores(self, terms: Sequence[str], mask: np.ndarray | None = None) -> np.ndarray:
        """BM25 score of every row for `terms` (unknown terms score nothing), times `mask` if given."""
        data, indices, indptr = self.matrix["data"], self.matrix["indices"], self.matrix["indptr"]
        out = np.zeros(self.size, dtype=np.float32)
        for term in terms:
            t = self.vocab.get(term)
            if t is not None:
                start, end = int(indptr[t]), int(indptr[t + 1])
                out[indices[start:end]] += data[start:end]  # a row appears once per term column
        return out if mask is None else out * mask

    @cached_property
    def df(self) -> dict[str, int]:
        """Chunks containing each term (for idf in answers)."""
        counts = np.diff(np.asarray(self.matrix["indptr"])).tolist()
        return {term: counts[i] for term, i in self.vocab.items() if counts[i]}

    def rows(self) -> Rows:
        """The tokenized corpus, for the next writer to update."""
        arrays = {name: np.asarray(self.arrays[name]) for name in _ARRAYS}
        return Rows(**arrays, paths=list(self.paths), vocab=dict(self.vocab))

    def search(self, query: str, n: int, paths: Sequence[str] | None = None,
               sections: Sequence[Section] | None = None) -> list[str]:
        """Ids of the `n` best chunks for `query` with a positive score (ties: by id)."""
        terms = [t for t in keywords(query) if t in self.vocab]
        if not terms or not self.size or n <= 0:
            return []
        scores = self.scores(terms, self._mask(paths, sections))
        want = min(2 * n + 10, self.size)
        top = np.argpartition(-scores, want - 1)[:want] if want < self.size else np.arange(self.size)
        top = top[scores[top] > 0]
        ids = self.arrays["ids"][top]
        order = np.lexsort((ids, -scores[top]))[:n]
        return [bytes(ids[i]).decode("ascii") for i in order]

    def _mask(self, paths: Sequence[str] | None, sections: Sequence[Section] | None) -> np.ndarray | None:
        if not paths and not sections:
            return None
        mask = np.ones(self.size, dtype=bool)
        if paths:
            wanted = [i for i, p in enumerate(self.paths) if p in set(paths)]
            mask &= np.isin(self.arrays["path_index"], wanted)
        if sections:
            mask &= np.isin(self.arrays["sections"], [SECTIONS.index(s) for s in sections])
        return mask.astype(np.float32)
