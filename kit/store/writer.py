"""Writing to a store: one writer at a time, a mark while writing, and an atomic commit.

One writer at a time: a file lock in the store folder, or, on a Chroma server, a lease in the
collection's metadata (holder and expiry, renewed while the write runs, taken over only once
expired) so writers on any machine see it. Before its first change a write records its source
and marks itself in the state; the commit then saves the keyword index and the file list for
the next generation and, last, replaces the state (new generation, mark cleared): a crash at any
point leaves the previous generation readable and the mark telling the next writer what to
finish. A write may also build a whole new collection aside (repair, `--rebuild`); the state
points to it only once it is complete. This module does not decide what to write.
"""

from __future__ import annotations

import json
import shutil
import threading
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import replace
from typing import Any

import numpy as np

from kit.crash import crash_point
from kit.errors import DamagedFileError, StoreBusyError
from kit.store.collection import Chunks, file_facts
from kit.store.keyword import Delta, KeywordIndex, Rows, merged, rows_from_chunks, save
from kit.store.manifest import FileFacts, build_manifest, load_manifest, read_manifest, write_manifest
from kit.store.state import Operation, SourceKind, StoreState, Writing, holder_id, read_state, write_state
from kit.store.store import Store
from kit.types import Chunk

_KEEP_GENERATIONS = 2  # the new index and the one readers may still have open


# -- one writer at a time ----------------------------------------------------------------------
@contextmanager
def locked(store: Store, wait: float = 0.0, check: bool = True) -> Iterator[None]:
    """Hold the store's write lock (local file lock or server lease) for the block. `check`: refuse
    a server store built with other settings (off only for a rebuild)."""
    if store.http:
        lease = Lease(store)
        lease.acquire(wait, check)
        try:
            yield
        finally:
            lease.release()
        return
    from filelock import FileLock, Timeout

    store.dir.mkdir(parents=True, exist_ok=True)
    path = store.dir / "write.lock"
    lock = FileLock(str(path))
    try:
        lock.acquire(timeout=wait)
    except IsADirectoryError:  # a folder where kit keeps its lock file: nothing kit wrote, nothing to lose
        raise DamagedFileError(f"{path} is a folder, where kit keeps its write lock file; remove it "
                               "(kit creates the file again) and run the command again", str(path)) from None
    except Timeout:
        raise StoreBusyError(
            f"the store in {store.dir} is busy: another kit process is writing to it; "
            "wait for it to finish or pass --wait SECONDS") from None
    try:
        yield
    finally:
        lock.release()


class Lease:
    """A write lease in the server collection's metadata: {holder, token, expires}.

    Chroma offers no compare-and-swap, so taking a free lease is write, wait, read back: of
    writers racing for it, only the last to write finds its own token, and the others back off.
    The holder renews it from a thread every third of its length and checks, before every
    write, that it has not lapsed; a writer that lost it stops with "busy" instead of mixing
    its changes with the new holder's.
    """

    SETTLE = 0.5  # seconds between writing a claim and reading it back: far above one round trip

    def __init__(self, store: Store) -> None:
        self.store = store
        self.seconds = store.settings.lease_seconds
        self.token = f"{holder_id()}:{time.time_ns()}"
        self.valid_until = 0.0
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def acquire(self, wait: float, check: bool = True) -> None:
        deadline = time.monotonic() + wait
        chunks = self.store.open_chunks("", create=True, check=check)
        self.collection = chunks
        while True:
            current = _lease_of(chunks.metadata())
            if _free(current, self.token):
                if self._claim(chunks):
                    time.sleep(self.SETTLE)
                    if (_lease_of(chunks.metadata()) or {}).get("token") == self.token:
                        break
                continue
            if time.monotonic() >= deadline:
                holder = (current or {}).get("holder", "another writer")
                left = max(0.0, float((current or {}).get("expires", 0)) - time.time())
                raise StoreBusyError(
                    f"the store on the Chroma server at {self.store.where} is busy: {holder} holds its write lease "
                    f"(expires in {left:.0f} s unless renewed); wait for it to finish or pass --wait SECONDS")
            time.sleep(min(1.0, max(0.05, deadline - time.monotonic())))
        self._thread = threading.Thread(target=self._renew_loop, name="kit-lease", daemon=True)
        self._thread.start()
        self.store.lease = self

    def _claim(self, chunks: Chunks) -> bool:
        """Write (or renew) this lease, unless someone else's live lease is there now."""
        started = time.time()
        with self.store.metadata_lock:
            meta = chunks.metadata()
            if not _free(_lease_of(meta), self.token):
                return False
            meta["kit_lease"] = json.dumps({"holder": holder_id(), "token": self.token,
                                            "expires": started + self.seconds})
            chunks.set_metadata(meta)
        self.valid_until = started + self.seconds
        return True

    def _renew_loop(self) -> None:
        while not self._stop.wait(self.seconds / 3):
            try:
                if not self._claim(self.collection):
                    self.valid_until = 0.0  # taken over: every later write refuses
                    return
            except Exception:  # the server may be gone; `check` stops the writer once the lease lapses
                continue

    def check(self) -> None:
        """Refuse to write once the lease may have lapsed (renewals failed, or it was taken over)."""
        if time.time() >= self.valid_until - 1.0:
            raise StoreBusyError(f"lost the write lease on the Chroma server at {self.store.where} (not renewed "
                                 "in time or taken over by another writer); run the command again")

    def release(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=self.store.settings.chroma_timeout + 1)
        self.store.lease = None
        try:
            with self.store.metadata_lock:
                meta = self.collection.metadata()
                if (_lease_of(meta) or {}).get("token") == self.token:
                    meta["kit_lease"] = ""
                    self.collection.set_metadata(meta)
        except Exception:  # an unreleased lease simply expires
            pass


def _free(lease: dict[str, Any] | None, token: str) -> bool:
    """Whether a writer holding `token` may write this lease: none, ours, or expired."""
    return lease is None or lease.get("token") == token or float(lease["expires"]) < time.time()


def _lease_of(meta: dict[str, Any]) -> dict[str, Any] | None:
    raw = meta.get("kit_lease")
    if not raw:
        return None
    try:
        lease = json.loads(str(raw))
        return lease if isinstance(lease, dict) and "expires" in lease else None
    except ValueError:
        return None


# -- state on a server --------------------------------------------------------------------------
def _save_server_state(store: Store, chunks: Chunks, state: StoreState) -> None:
    data = state.to_json()
    with store.metadata_lock:
        meta = chunks.metadata()  # keeps the lease as it is now
        meta.update(store.facts)
        meta.update({"kit_generation": state.generation, "kit_format": state.format,
                     "kit_sources": json.dumps(data["sources"], ensure_ascii=False),
                     "kit_writing": json.dumps(data["writing"]) if state.writing else ""})
        chunks.set_metadata(meta)


def lease_holder(store: Store) -> str | None:
    """Who holds a live write lease on the server store now (None if nobody does)."""
    collection = store.server_collection()
    if collection is None:
        return None
    lease = _lease_of(Chunks(store.server_client(), collection, store.where, None, store.settings).metadata())
    return str(lease.get("holder")) if lease and float(lease["expires"]) > time.time() else None


# -- one write ------------------------------------------------------------------------------------
class Write:
    """Changes made under the lock, tracked for the commit (catalog, keyword rows, sources)."""

    def __init__(self, store: Store, state: StoreState, target: Chunks, clean: bool, fresh_folder: str = "") -> None:
        self.store, self.target = store, target
        self.state = state  # as saved, with this write's mark once it has changed anything
        self.clean = clean  # started from a committed state: the previous index is exact
        self.fresh_folder = fresh_folder  # local data folder built aside ("" = write in place)
        self.dirty = False
        self.damaged_files: list[str] = []  # own files found damaged: the commit writes them anew
        self.completes: Writing | None = None  # an interrupted write of the same op and target this one completes
        previous = self._previous_index() if clean and not fresh_folder else None
        if previous is not None:
            self.rows: Rows | None = previous.rows()
        else:  # nothing committed yet means nothing stored yet: the new rows are all there is
            self.rows = Rows.empty() if clean and state.generation == 0 else None
        self.delta = Delta(self.rows.vocab if self.rows is not None else {})
        self.removed: set[str] = set()
        self.catalog: dict[str, tuple[str, str]] = {} if fresh_folder else target.catalog()
        try:
            load_manifest(store.cache)
        except DamagedFileError as exc:
            self.damaged_files.append(exc.path)
        except FileNotFoundError:
            pass

    def _previous_index(self) -> KeywordIndex | None:
        """The committed keyword index to update; None when it is missing or damaged (the commit
        then builds it from the chunks in Chroma, and happens even if nothing else changed). One
        without checksums (an older kit's, or stripped of them) is rebuilt the same way, once."""
        folder = self.store.keyword_dir(self.state.generation)
        try:
            return KeywordIndex(folder, sums_required=True) if (folder / "ids.npy").exists() else None
        except DamagedFileError as exc:
            self.damaged_files.append(exc.path)
            return None
        except (OSError, ValueError):
            return None

    # what ingest, rm and repair call
    def files(self) -> dict[str, FileFacts]:
        return file_facts(self.catalog)

    def add_source(self, name: str, kind: SourceKind, url: str = "") -> None:
        """Record a source before any of its chunks is written (nothing to do if one covers it)."""
        updated = self.state.with_source(name, kind, url)
        if updated is not self.state:
            self.mark(updated, force=True)

    def remove_sources(self, name: str) -> None:
        updated = self.state.without(name)
        if updated.sources != self.state.sources:
            self.mark(updated, force=True)

    def upsert(self, chunks: Sequence[Chunk], vectors: np.ndarray) -> None:
        self.mark(self.state)
        crash_point("before-upsert")
        self.target.upsert(chunks, vectors)
        crash_point("after-upsert")
        self.catalog.update({c.id: (c.path, c.doc_sha256) for c in chunks})
        self.removed.difference_update(c.id for c in chunks)
        self.delta.add(chunks)

    def update_metadata(self, chunks: Sequence[Chunk]) -> None:
        self.mark(self.state)
        self.target.update_metadata(chunks)
        self.catalog.update({c.id: (c.path, c.doc_sha256) for c in chunks})
        self.delta.add(chunks)  # a section may have changed with the file

    def delete(self, ids: Sequence[str]) -> None:
        if not ids:
            return
        self.mark(self.state)
        crash_point("before-delete")
        self.target.delete(ids)
        for cid in ids:
            self.catalog.pop(cid, None)
        self.removed.update(ids)
        self.delta.discard(ids)

    def mark(self, state: StoreState, force: bool = False) -> None:
        """Save `state` with this write marked in it: before the first change, and on source changes."""
        if self.store.lease is not None:
            self.store.lease.check()
        if self.dirty and not force:
            return
        self.state = state
        self._save(state)
        self.dirty = True

    def _save(self, state: StoreState) -> None:
        if self.store.http:
            _save_server_state(self.store, self.target, state)
        else:
            with _own_files(self.store):
                write_state(self.store.dir, state)

    # the commit
    def commit(self) -> None:
        if not self.dirty and not self.damaged_files:
            return
        with _own_files(self.store):
            self._commit()

    def _commit(self) -> None:
        generation = self.state.generation + 1
        if self.rows is None and not self.fresh_folder:
            rows = rows_from_chunks(self.target.all_chunks())  # after a crash: the old index is not exact
        else:
            rows = merged(self.rows or Rows.empty(), self.removed, self.delta)
        self.store.cache.mkdir(parents=True, exist_ok=True)
        save(rows, self.store.keyword_dir(generation))
        crash_point("commit-index")
        manifest = build_manifest(generation, self.files(), self.state.source_of, read_manifest(self.store.cache))
        write_manifest(self.store.cache, manifest)
        crash_point("commit-manifest")
        done = replace(self.state, generation=generation, writing=None,
                       chroma=self.fresh_folder or self.state.chroma)
        if self.store.lease is not None:
            self.store.lease.check()
        self._save(done)  # the commit point
        if self.store.http:
            write_state(self.store.dir, done)  # a local copy: later commands find the store from this folder
        crash_point("after-commit")
        self.state = done
        _prune(self.store, generation)


def _own_files(store: Store) -> Any:
    """OS errors on the store's own files (state, index, file list) as one line naming the folder."""
    from kit.store.chroma import translated

    return translated("writing to", str(store.dir), store.dir, store.settings)


def begin(store: Store, op: Operation, target: str, fresh: bool = False) -> Write:
    """Start a write (the caller holds the lock). `fresh`: build a new collection aside."""
    state = _current_or_new(store)
    clean = state.writing is None
    if fresh and not store.http:
        folder = f"chroma-{time.strftime('%Y%m%d-%H%M%S')}-{time.time_ns() % 10**6:06d}"
        chunks = store.open_chunks(folder, create=True)
        write = Write(store, state, chunks, clean=False, fresh_folder=folder)
    else:
        chunks = store.open_chunks(state.chroma, create=True, check=not fresh)
        if fresh:  # a server collection cannot be built aside under the same name: start it again
            _restart_server_collection(store, chunks)
        write = Write(store, state, chunks, clean and not fresh)
    write.state = replace(state, writing=Writing(op, target, holder_id(), time.time(), write.fresh_folder))
    if fresh:
        write.mark(write.state, force=True)
    return write


def _current_or_new(store: Store) -> StoreState:
    if store.http:
        from kit.errors import NoStoreError

        try:
            return store.server_state()
        except NoStoreError:
            return StoreState(collection=store.name, facts=dict(store.facts), mode="http", server=store.where)
    state = read_state(store.dir)
    if state is None:
        return StoreState(collection=store.name, facts=dict(store.facts))
    if state.facts != store.facts:  # only `--rebuild` gets here (others are refused on opening)
        return replace(state, facts=dict(store.facts), collection=store.name)
    return state


def _restart_server_collection(store: Store, chunks: Chunks) -> None:
    """Empty this store's server collection and drop the prefix's collections of other settings
    (the collection itself stays: it holds the write lease)."""
    client = chunks.client
    prefix = store.settings.collection_prefix + "-"
    for c in client.list_collections():
        name = c if isinstance(c, str) else c.name
        if name != store.name and name.startswith(prefix) and name[len(prefix):].isalnum():
            client.delete_collection(name)
    chunks.delete(list(chunks.catalog()))


def retire(store: Store, folder: str, keep: bool) -> str:
    """After a swap: move the replaced local data folder aside (kept), or delete it."""
    path = store.dir / folder
    if not folder or not path.exists():
        return ""
    if not keep:
        shutil.rmtree(path, ignore_errors=True)
        return ""
    aside = path.with_name(f"{folder}.damaged-{time.strftime('%Y%m%d-%H%M%S')}")
    path.rename(aside)
    return str(aside)


def _prune(store: Store, generation: int) -> None:
    root = store.cache / "keyword"
    for folder in root.glob("*"):
        if folder.name.isdigit() and int(folder.name) <= generation - _KEEP_GENERATIONS:
            shutil.rmtree(folder, ignore_errors=True)
