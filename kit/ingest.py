"""Ingest a folder into the store: read, clean, chunk, embed what is new, drop what is gone.

Idempotent: an unchanged file costs a read and a hash, no embedding and no write. A changed
file's new chunks are written before its old ones are deleted, so a crash in between leaves
both, and the next run repairs it. A file that cannot be read keeps whatever the store already
had for it. This module does not rank or answer.
"""

from __future__ import annotations

import os
import signal
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from kit.chunking import chunk_document
from kit.config import Settings
from kit.corpus import Candidate, UnreadableFile, read_document, scan
from kit.embeddings import Embedder
from kit.store import FileEntry, Store
from kit.types import Chunk, FileIssue, IngestReport

# Files are embedded together until this many new chunks are pending: big enough to keep
# the encoder's batches full, small enough that a crash loses little work.
_FLUSH_CHUNKS = 256

Progress = Callable[[int, int, str], None]
_crash_counts: dict[str, int] = {}


def crash_point(name: str) -> None:
    """Fault injection for the crash tests: KIT_CRASH_AT=name:n kills this process with
    SIGKILL the n-th time `name` is reached. Unset (always, outside tests) it does nothing."""
    spec = os.environ.get("KIT_CRASH_AT")
    if not spec or not spec.startswith(name + ":"):
        return
    _crash_counts[name] = _crash_counts.get(name, 0) + 1
    if _crash_counts[name] == int(spec.split(":")[1]):
        os.kill(os.getpid(), signal.SIGKILL)


@dataclass
class _Pending:
    chunks: list[Chunk] = field(default_factory=list)
    stale_ids: list[str] = field(default_factory=list)
    relabel: list[Chunk] = field(default_factory=list)  # kept chunks of a changed file


def ingest(root: Path, settings: Settings, store: Store, embedder: Embedder,
           progress: Progress | None = None, wait: float = 0.0, rebuild: bool = False) -> IngestReport:
    """Bring the store in line with the files under `root` (`rebuild`: start from empty)."""
    started = time.perf_counter()
    found = scan(root, settings)
    report = IngestReport(files=len(found.candidates), issues=list(found.issues))
    with store.writer(wait=wait, rebuild=rebuild):
        catalog = store.catalog()
        store.ingested_root = root.resolve()
        kept_paths = _ingest_files(found.candidates, settings, store, embedder, catalog, report, progress)
        kept_paths |= {issue.path for issue in found.issues}
        gone = [entry for path, entry in catalog.items() if path not in kept_paths]
        crash_point("before-removals")
        store.delete([cid for entry in gone for cid in entry.ids])
        report.removed += sum(len(entry.ids) for entry in gone)
    report.seconds = time.perf_counter() - started
    return report


def _ingest_files(candidates: list[Candidate], settings: Settings, store: Store, embedder: Embedder,
                  catalog: dict[str, FileEntry], report: IngestReport, progress: Progress | None) -> set[str]:
    seen_content: dict[str, str] = {}
    pending = _Pending()
    paths: set[str] = set()
    # Stored files first: when a new file copies one already indexed, the copy is the duplicate,
    # rather than the indexed file losing its chunks (and citations) to a name sorting earlier.
    ordered = sorted(candidates, key=lambda c: (c.rel not in catalog, c.rel))
    for n, cand in enumerate(ordered, 1):
        paths.add(cand.rel)
        chunks = _read_and_chunk(cand, settings, seen_content, report)
        if chunks is not None:
            _plan_file(cand.rel, chunks, catalog.get(cand.rel), pending, report)
        if len(pending.chunks) >= _FLUSH_CHUNKS:
            _flush(pending, store, embedder, report)
        if progress:
            progress(n, len(candidates), cand.rel)
    _flush(pending, store, embedder, report)
    return paths


def _read_and_chunk(cand: Candidate, settings: Settings, seen_content: dict[str, str],
                    report: IngestReport) -> list[Chunk] | None:
    try:
        doc, notes = read_document(cand, settings)
    except UnreadableFile as exc:
        report.issues.append(FileIssue(cand.rel, str(exc)))
        return None
    except Exception as exc:  # one bad file never stops the ingest
        report.issues.append(FileIssue(cand.rel, f"unexpected {type(exc).__name__}: {exc}"))
        return None
    report.issues += [FileIssue(cand.rel, f"note: {note}") for note in notes]
    first = seen_content.setdefault(doc.sha256, cand.rel)
    if first != cand.rel:
        report.issues.append(FileIssue(cand.rel, f"same content as {first}; not indexed twice"))
        return []
    return chunk_document(doc, settings.chunk_size, settings.chunk_overlap)


def _plan_file(path: str, chunks: list[Chunk], stored: FileEntry | None, pending: _Pending,
               report: IngestReport) -> None:
    new_ids = {c.id for c in chunks}
    old_ids = stored.ids if stored else frozenset()
    report.chunks += len(chunks)
    current = {c.doc_sha256 for c in chunks}
    if new_ids == old_ids and stored is not None and stored.doc_sha256s == current:
        report.unchanged_files += 1
        return
    if new_ids == old_ids:
        report.unchanged_files += 1  # only removed boilerplate changed: same chunks, new file hash
    pending.chunks += [c for c in chunks if c.id not in old_ids]
    pending.relabel += [c for c in chunks if c.id in old_ids]
    pending.stale_ids += sorted(old_ids - new_ids)


def _flush(pending: _Pending, store: Store, embedder: Embedder, report: IngestReport) -> None:
    if pending.chunks:
        vectors = embedder.embed([c.text for c in pending.chunks])
        crash_point("before-upsert")
        store.upsert(pending.chunks, np.asarray(vectors, dtype=np.float32))
        crash_point("after-upsert")
        report.added += len(pending.chunks)
        report.embedded += len(pending.chunks)
    if pending.relabel:
        store.update_metadata(pending.relabel)
    if pending.stale_ids:
        store.delete(pending.stale_ids)
        report.removed += len(pending.stale_ids)
    pending.chunks, pending.stale_ids, pending.relabel = [], [], []
