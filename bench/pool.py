"""A pool of real texts with real MiniLM vectors, and kit stores of any size loaded from it.

Texts: every paragraph of the SQuAD 2.0 dev half and of the 100 MultiLing 2011 articles, plus
every run of one to five consecutive sentences inside them (kit's own sentence splitter),
each under kit's 800-character chunk size, deduplicated: 13,763 distinct texts. Vectors:
the int8 all-MiniLM-L6-v2 embedder kit uses by default, computed once and cached as .npy.

A store of N chunks takes the pool's texts in a shuffled order; past the pool's size, texts repeat
and each repeat's vector gets small Gaussian noise (sigma 0.01 per dimension, re-normalised; cosine
to the original about 0.98), so HNSW indexes distinct points rather than exact duplicates. Every
chunk gets its own file name (`pool/<n // 10>.txt`), so ids stay distinct. Stores are written
through kit's own writer (upsert batches, commit with keyword index and file list), the way ingest
writes them, minus reading files and embedding.
"""

from __future__ import annotations

import hashlib
import json
import random
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import numpy as np

from kit.config import Settings
from kit.corpus.chunking import chunk_id
from kit.embeddings import get_embedder, identity
from kit.store.store import Store
from kit.store.writer import begin, locked
from kit.text import sentences
from kit.types import Chunk

ROOT = Path(__file__).resolve().parents[1]

# ../shared/data beside the checkout (a git worktree may sit one level deeper)
DATA = next(p / "shared" / "data" for p in ROOT.parents if (p / "shared" / "data").is_dir())
SQUAD = DATA / "squad2_dev_half" / "dev-v2.0.json"
NEWS = DATA / "multiling2011_en" / "docs.jsonl"
CACHE = Path("/tmp/kit-bench-pool")
NOISE = 0.01


def paragraphs() -> list[str]:
    out = [p["context"] for a in json.loads(SQUAD.read_text(encoding="utf-8"))["data"] for p in a["paragraphs"]]
    for line in NEWS.read_text(encoding="utf-8").splitlines():
        out += [p.strip() for p in json.loads(line)["text"].split("\n\n") if len(p.strip()) > 40]
    return out


def pool_texts(max_chars: int = 800) -> list[str]:
    seen: dict[str, None] = {}
    for para in paragraphs():
        if len(para) <= max_chars:
            seen.setdefault(para, None)
        sents = [s.text for s in sentences(para)]
        for width in (1, 2, 3, 4, 5):
            for i in range(len(sents) - width + 1):
                text = " ".join(sents[i:i + width])
                if 40 <= len(text) <= max_chars:
                    seen.setdefault(text, None)
    return list(seen)


def pool(log: bool = True) -> tuple[list[str], np.ndarray]:
    """(texts, unit vectors), computed once and cached under /tmp/kit-bench-pool."""
    texts = pool_texts()
    key = hashlib.sha256("\x00".join(texts).encode()).hexdigest()[:12]
    CACHE.mkdir(parents=True, exist_ok=True)
    vec_path = CACHE / f"vectors-{key}.npy"
    if vec_path.exists():
        return texts, np.load(vec_path)
    embedder = get_embedder(Settings.load(environ={}))
    started = time.perf_counter()
    parts = []
    for i in range(0, len(texts), 512):
        parts.append(embedder.embed(texts[i:i + 512]))
        if log:
            print(f"pool: embedded {i + len(parts[-1])}/{len(texts)} texts "
                  f"({time.perf_counter() - started:.0f} s)", file=sys.stderr, flush=True)
    vectors = np.concatenate(parts).astype(np.float32)
    np.save(vec_path, vectors)
    return texts, vectors


def sample(texts: list[str], vectors: np.ndarray, n: int, seed: int = 7) -> Iterator[tuple[Chunk, np.ndarray]]:
    """n chunks in a shuffled order; repeats of a text carry a perturbed copy of its vector."""
    rng = np.random.default_rng(seed)
    order = list(range(len(texts)))
    random.Random(seed).shuffle(order)
    for i in range(n):
        j = order[i % len(order)]
        text, vector = texts[j], vectors[j]
        if i >= len(order):
            vector = vector + rng.normal(0, NOISE, vector.shape).astype(np.float32)
            vector = vector / np.linalg.norm(vector)
        path = f"pool/{i // 10:06d}.txt"
        start = (i % 10) * 1000
        yield Chunk(chunk_id(path, start, start + len(text), text), path, start, start + len(text), "article",
                    text, hashlib.sha256(path.encode()).hexdigest()), vector


def load_store(settings: Settings, n: int, batch: int = 2000, log: bool = True) -> dict[str, float]:
    """Write a store of n pool chunks through kit's writer; returns timings."""
    texts, vectors = pool(log)
    store = Store(settings, *identity(settings))
    store.dir.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    chunks: list[Chunk] = []
    rows: list[np.ndarray] = []
    upsert_s = 0.0
    with locked(store):
        write = begin(store, "ingest", "pool")
        write.add_source("pool", "folder")
        for done, (chunk, vector) in enumerate(sample(texts, vectors, n), 1):
            chunks.append(chunk)
            rows.append(vector)
            if len(chunks) == batch or done == n:
                t = time.perf_counter()
                write.upsert(chunks, np.stack(rows))
                upsert_s += time.perf_counter() - t
                chunks, rows = [], []
                if log and done % (batch * 25) == 0:
                    print(f"load: {done}/{n} chunks ({time.perf_counter() - started:.0f} s)", file=sys.stderr,
                          flush=True)
        t = time.perf_counter()
        write.commit()
        commit_s = time.perf_counter() - t
    return {"chunks": n, "load_s": time.perf_counter() - started, "upsert_s": upsert_s, "commit_s": commit_s}
