"""Ingest a source (a folder, one file, or a web page's snapshot) into the store: read, clean, chunk, embed what is new,
drop what is gone from that source only.

Idempotent: an unchanged file costs a read and a hash, no embedding and no write. Two stages, so
progress is honest: every file is read and compared with the store first, then the new chunks
are embedded and written in batches (the slow part). A changed file's new chunks are written
before its old ones are deleted, so a crash in between leaves both, and the next run repairs
it. A file that cannot be read keeps whatever the store already had for it. A folder with no
file kit can read changes nothing. This module does not lock, rank or answer.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from kit.config import Settings
from kit.corpus.chunking import chunk_document
from kit.corpus.files import FoundFile, Scan, UnreadableFile, read_document, scan
from kit.crash import crash_point
from kit.embeddings import Embedder
from kit.errors import NothingToIngestError
from kit.location import Location, shown, under
from kit.progress import Progress, Stage, rate_line
from kit.store.manifest import FileFacts
from kit.store.state import SourceKind
from kit.store.writer import Write
from kit.types import Chunk, FileIssue, IngestReport, IssueKind

# New chunks are embedded and written this many at a time: big enough to keep the encoder busy,
# small enough that a crash loses little work (about 6 s of embedding on 2 cores).
_BATCH = 256


@dataclass(frozen=True)
class Found:
    """A source resolved and scanned, before anything is locked or written."""

    name: str
    kind: SourceKind
    scan: Scan
    url: str = ""  # a web page's address (kind "url"; the name is its snapshot's)


@dataclass
class _Plan:
    new: list[Chunk] = field(default_factory=list)
    stale_ids: list[str] = field(default_factory=list)
    relabel: list[Chunk] = field(default_factory=list)  # kept chunks of a changed file
    seen: set[str] = field(default_factory=set)


def find(target: Path, settings: Settings, location: Location) -> Found:
    """Resolve and scan `target`; a source with no file kit can read is refused here, with the
    reason for every file it holds, before the store is touched (or created)."""
    path = target.resolve()
    if not path.exists():
        raise FileNotFoundError(f"{target} does not exist; pass the folder (or file) that holds your documents")
    found = scan(path, settings, name=location.name_of, ignore=location.dir)
    name = location.name_of(path)
    if not found.candidates:
        report = IngestReport(issues=list(found.issues), source=name)
        what = "is empty" if not found.issues else "holds no file kit can read"
        raise NothingToIngestError(
            f"nothing to ingest: {shown(name)} {what} (kit reads {', '.join(settings.extensions)}); "
            "the store is unchanged", report)
    return Found(name, "folder" if path.is_dir() else "file", found)


def sync(write: Write, found: Found, settings: Settings, embedder: Embedder, progress: Progress) -> IngestReport:
    """Bring the store's files under the source in line with the files on disk (caller holds the lock)."""
    started = time.perf_counter()
    report = IngestReport(files=len(found.scan.candidates), issues=list(found.scan.issues), source=found.name)
    write.add_source(found.name, found.kind, found.url)  # recorded before any chunk is written
    # A web page's snapshot is its own source, even where a folder source (say ".") lies around it.
    pages = {s.name for s in write.state.sources if s.kind == "url" and s.name != found.name}
    stored = {p: f for p, f in write.files().items() if under(p, found.name) and p not in pages}
    plan = _read_all(found.scan.candidates, settings, stored, report, progress)
    _embed_and_write(plan, write, embedder, report, progress)
    if plan.relabel:
        write.update_metadata(plan.relabel)
    kept = plan.seen | {issue.path for issue in found.scan.issues}
    gone = [facts for path, facts in stored.items() if path not in kept]
    crash_point("before-removals")
    write.delete(plan.stale_ids + [cid for facts in gone for cid in facts.ids])
    report.removed += len(plan.stale_ids) + sum(len(facts.ids) for facts in gone)
    # What the source holds now, as `kit files` counts it (files kept after a failed read included).
    report.chunks = sum(len(f.ids) for p, f in write.files().items() if under(p, found.name) and p not in pages)
    report.seconds = time.perf_counter() - started
    progress.finish(rate_line(report.files, report.embedded, report.seconds))
    return report


def _read_all(candidates: list[FoundFile], settings: Settings, stored: dict[str, FileFacts],
              report: IngestReport, progress: Progress) -> _Plan:
    plan = _Plan()
    seen_content: dict[str, str] = {}
    progress.start(Stage.READ, len(candidates))
    # Stored files first: when a new file copies one already indexed, the copy is the duplicate,
    # rather than the indexed file losing its chunks (and citations) to a name sorting earlier.
    for cand in sorted(candidates, key=lambda c: (c.rel not in stored, c.rel)):
        plan.seen.add(cand.rel)
        chunks = _read_and_chunk(cand, settings, seen_content, report)
        if chunks is not None:
            _plan_file(chunks, stored.get(cand.rel), plan, report)
        progress.advance(1, cand.rel)
    return plan


def _read_and_chunk(cand: FoundFile, settings: Settings, seen_content: dict[str, str],
                    report: IngestReport) -> list[Chunk] | None:
    try:
        doc, notes = read_document(cand, settings)
    except UnreadableFile as exc:
        report.issues.append(FileIssue(cand.rel, str(exc), exc.kind))
        return None
    except Exception as exc:  # one bad file never stops the ingest
        report.issues.append(FileIssue(cand.rel, f"unexpected {type(exc).__name__}: {exc}"))
        return None
    report.issues += [FileIssue(cand.rel, note, IssueKind.NOTE) for note in notes]
    first = seen_content.setdefault(doc.sha256, cand.rel)
    if first != cand.rel:  # `kit doctor` counts it a duplicate by the same rule
        report.issues.append(FileIssue(cand.rel, f"a duplicate: same content as {first}; not indexed twice",
                                       IssueKind.SKIPPED))
        return []  # no chunks: a stored file that became a copy loses its own
    return chunk_document(doc, settings.chunk_size, settings.chunk_overlap)


def _plan_file(chunks: list[Chunk], stored: FileFacts | None, plan: _Plan, report: IngestReport) -> None:
    new_ids = {c.id for c in chunks}
    old_ids = stored.ids if stored else frozenset()
    if not chunks:  # a duplicate: skipped, never "unchanged" (even on a first ingest, when both sets are empty)
        plan.stale_ids += sorted(old_ids)
        return
    current = {c.doc_sha256 for c in chunks}
    if new_ids == old_ids and stored is not None and stored.sha256s == current:
        report.unchanged_files += 1
        return
    if new_ids == old_ids:
        report.unchanged_files += 1  # only removed boilerplate changed: same chunks, new file hash
    plan.new += [c for c in chunks if c.id not in old_ids]
    plan.relabel += [c for c in chunks if c.id in old_ids]
    plan.stale_ids += sorted(old_ids - new_ids)


def _embed_and_write(plan: _Plan, write: Write, embedder: Embedder, report: IngestReport,
                     progress: Progress) -> None:
    progress.start(Stage.EMBED, len(plan.new))
    for i in range(0, len(plan.new), _BATCH):
        batch = plan.new[i:i + _BATCH]
        vectors = np.asarray(embedder.embed([c.text for c in batch]), dtype=np.float32)
        write.upsert(batch, vectors)
        report.added += len(batch)
        report.embedded += len(batch)
        progress.advance(len(batch))
