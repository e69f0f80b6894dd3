"""Upkeep of a store: writes that recover an interrupted one first, checks, and repairs.

Every write runs under the store's lock; one that finds an interrupted write completes it
first (replayed, or the store rebuilt aside when it is damaged). `doctor` checks the store
against its sources in a child process and, asked to repair, rebuilds a damaged store aside
(the damaged copy renamed, never deleted) or completes and syncs an incomplete or stale one.
This module does not read, clean or embed files itself (see `sync`).
"""

from __future__ import annotations

import contextlib
import shutil
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import replace
from typing import TYPE_CHECKING

from kit.config import Settings
from kit.errors import (
    DamagedFileError,
    NoStoreError,
    NothingToIngestError,
    NotStoredError,
    Resource,
    SettingsMismatchError,
    StoreBusyError,
    StoreDamagedError,
    StoreResourceError,
)
from kit.location import Location, shown
from kit.progress import Progress, Silent
from kit.store.state import StoreState, read_state
from kit.store.store import Store
from kit.store.writer import Write, begin, lease_holder, locked, retire
from kit.text import plural

if TYPE_CHECKING:
    from kit.embeddings import Embedder
    from kit.ingest.doctor import Checkup, Problem
    from kit.types import IngestReport


class Upkeep:
    """Writes, checks and repairs of one store; `embedder` is called only when files must be embedded."""

    def __init__(self, settings: Settings, location: Location, store: Store, embedder: Callable[[], Embedder],
                 identity: tuple[str, int]) -> None:
        self.settings, self.location, self.store = settings, location, store
        self.embedder, self.identity = embedder, identity

    @contextmanager
    def writing(self, op: str, target: str, wait: float, rebuild: bool = False) -> Iterator[tuple[Write, list[str]]]:
        store = self.store
        store.dir.mkdir(parents=True, exist_ok=True)  # `kit ingest` makes the store folder if there is none
        with store.lock, locked(store, wait, check=not rebuild):
            state = self.raw_state(any_settings=rebuild)
            if rebuild and state is not None:
                self.drop_partial_build(state)
            notes = [] if rebuild else self.recover(op, target)
            write = begin(store, op, target, fresh=rebuild)  # type: ignore[arg-type]  # op is an Operation
            stored = self.raw_state(any_settings=rebuild)
            if stored is not None and stored.writing is not None:  # an interrupted write this one completes:
                write.completes = stored.writing
                write.mark(write.state, force=True)  # commit even if nothing is left to change
            yield write, notes
            write.commit()
            if rebuild and state is not None and not store.http:
                retire(store, state.chroma, keep=False)  # rebuilt on request: the old settings' data goes
            store.forget()  # under the lock: no search of another thread sees the handles in between

    # -- after a crash, under the lock ------------------------------------------------------------------
    def raw_state(self, any_settings: bool = False) -> StoreState | None:
        """The stored state (None if there is none); `any_settings`: whatever settings built it."""
        if not self.store.http:
            state = read_state(self.store.dir)
            if state is not None and not any_settings:
                self.store.state()  # refuses other settings, as every command does
            return state
        try:
            return self.store.server_state()
        except NoStoreError:
            return None
        except SettingsMismatchError:
            if any_settings:
                return None
            raise

    def recover(self, op: str = "", target: str = "") -> list[str]:
        """Complete a write that was interrupted (the caller holds the lock, so its owner is gone);
        an interrupted ingest of the source about to be ingested is completed by that ingest."""
        from kit.ingest.doctor import Verdict

        state = self.raw_state()
        if state is None or state.writing is None:
            return []
        interrupted = state.writing
        self.drop_partial_build(state)
        result = self.check(state, writer_alive=False)
        if result.verdict is Verdict.UNCHECKED:
            raise StoreResourceError(result.problems[0].text, resource_of(result))
        if any(damage(p) for p in result.problems) and not self.store.http:
            moved = self.rebuild_aside(state)
            return [f"the last {interrupted.op} was interrupted and left the store damaged "
                    f"({'; '.join(p.text for p in result.problems if damage(p))}); rebuilt it from its sources, "
                    f"damaged copy kept in {moved}"]
        if (interrupted.op, interrupted.target) != (op, target) or op not in ("ingest", "rm"):
            self.replay(state)  # the same ingest or rm is completed by this run itself
        return [f"the last {interrupted.op} of {shown(interrupted.target)} was interrupted; this run completed it"]

    def drop_partial_build(self, state: StoreState) -> None:
        """Delete the data folder of a repair that never committed (it is not the store)."""
        building = state.writing.building if state.writing is not None else ""
        if building and building != state.chroma:
            shutil.rmtree(self.store.dir / building, ignore_errors=True)

    def replay(self, state: StoreState) -> None:
        from kit.store.remove import remove

        assert state.writing is not None
        op, target = state.writing.op, state.writing.target
        write = begin(self.store, op, target)
        write.state = replace(write.state, sources=state.sources)
        if op == "ingest":
            self.sync_source(write, target, Silent())
        elif op == "rm":
            with contextlib.suppress(NotStoredError):  # the interrupted rm had finished its deletes
                remove(write, target)
        else:
            for source in state.sources:
                self.sync_source(write, source.name, Silent())
        write.mark(write.state, force=True)  # commit even if nothing was left to change
        write.commit()
        self.store.forget()

    def sync_source(self, write: Write, name: str, progress: Progress) -> list[str]:
        """Sync source `name`; notes on a source it could not sync (none when it did)."""
        notes, _report = self.synced(write, name, progress)
        return notes

    def synced(self, write: Write, name: str, progress: Progress) -> tuple[list[str], IngestReport | None]:
        from kit.ingest.sync import find, sync

        path = self.location.path_of(name)
        if not path.exists():
            return [f"source {shown(name)} is gone from disk; its files were kept (`kit remove {shown(name)}` drops "
                    "them)"], None
        try:
            found = find(path, self.settings, self.location)
        except NothingToIngestError:
            return [f"source {shown(name)} holds no file kit can read now; its files were kept"], None
        return [], sync(write, found, self.settings, self.embedder(), progress)

    def rebuild_aside(self, state: StoreState) -> str:
        """Build the store again from its sources in a new data folder; only a complete rebuild
        replaces the old one, which is then kept aside (renamed), never deleted."""
        missing = [s.name for s in state.sources if not self.location.path_of(s.name).exists()]
        if missing or not state.sources:
            why = f"source {shown(missing[0])} is gone" if missing else "it records no source"
            raise StoreDamagedError(f"cannot rebuild the store in {self.store.dir}: {why}; restore it, or rebuild "
                                    "with `kit ingest FOLDER --rebuild`. The store was left as it is")
        write = begin(self.store, "repair", "all sources", fresh=True)
        for source in state.sources:
            self.sync_source(write, source.name, Silent())
        write.commit()  # the swap: the state now names the new data folder
        self.store.forget()
        return retire(self.store, state.chroma, keep=True)

    # -- checking and repairing ---------------------------------------------------------------------------
    def doctor(self, repair: bool = False, wait: float = 0.0) -> Checkup:
        """Check the store against its sources (Chroma read in a child process); with `repair`,
        rebuild a damaged store aside, or complete and sync an incomplete or stale one."""
        from kit.ingest.doctor import Verdict

        with contextlib.suppress(DamagedFileError):  # a damaged state file is what doctor is for
            self.store.require()
        result = self.check()
        if result.ok or not repair or result.verdict is Verdict.UNCHECKED:
            return result
        actions: list[str] = []
        with self.store.lock, locked(self.store, wait):
            state = self.raw_state_or_restored(actions)
            if state is None:
                return result
            self.drop_partial_build(state)
            actions += self.drop_damaged_caches()
            result = self.check(state, writer_alive=False)
            if any(damage(p) for p in result.problems) and not self.store.http:
                actions.append(f"rebuilt the store from its sources; damaged copy kept in {self.rebuild_aside(state)}")
            elif not result.ok and result.verdict is not Verdict.UNCHECKED:
                actions += self.sync_all(state)
        self.store.forget()
        after = self.check()
        after.actions = actions
        after.fixed = [p for p in result.problems if p.text not in {q.text for q in after.problems}]
        return after

    def raw_state_or_restored(self, actions: list[str]) -> StoreState | None:
        """The stored state; when its file is damaged, one pieced together from what the store
        folder holds, marked as an interrupted repair so the write that follows rebuilds the
        keyword index and file list from the chunks in Chroma."""
        from kit.store.restore import restored_state

        try:
            return self.raw_state()
        except DamagedFileError as exc:
            state = restored_state(self.store)
            actions.append(f"the state file was damaged ({exc.path}); wrote it again from the store folder "
                           f"({plural(len(state.sources), 'source')}, Chroma data in {state.chroma})")
            return state

    def drop_damaged_caches(self) -> list[str]:
        """Drop a topic cache that fails its checksum (the next `kit topics` clusters afresh) and
        export the embedding model again if its cached graph fails its checksum, as `kit prepare` does."""
        from kit.embeddings import model_problem, prepare
        from kit.location import TOPICS_CACHE
        from kit.store.history import History
        from kit.store.integrity import load_sealed, remove_own

        out: list[str] = []
        cache = self.store.dir / TOPICS_CACHE
        try:
            load_sealed(cache, legacy_ok=False)
        except DamagedFileError:
            remove_own(cache)
            out.append(f"dropped the damaged topic cache {cache}")
        except FileNotFoundError:
            pass
        history = History(self.store.dir)
        if history.damage():
            out.append(f"set the damaged run history aside as {history.move_aside(warn=False).name}")
        if model_problem(self.settings):
            out.append(f"exported the embedding model again: {prepare(self.settings)}")
        return out

    def sync_all(self, state: StoreState) -> list[str]:
        write = begin(self.store, "repair", "all sources")
        notes: list[str] = []
        for source in state.sources:
            said, report = self.synced(write, source.name, Silent())
            notes += said or [_synced(source.name, report)]
        write.mark(write.state, force=True)
        write.commit()
        return notes

    def check(self, state: StoreState | None = None, writer_alive: bool | None = None) -> Checkup:
        from kit.ingest.doctor import Checkup, Kind, Problem, check

        try:
            state = state or self.raw_state()
        except DamagedFileError as exc:
            return Checkup(problems=[Problem(Kind.DAMAGED_FILE, str(exc))])
        if state is None:
            return Checkup(problems=[Problem(Kind.UNREADABLE, f"the state of the store in {self.store.where} "
                                                              "cannot be read")])
        alive = self.writer_alive() if writer_alive is None else writer_alive
        settings = self.settings.model_copy(update={"store_dir": self.store.dir})
        return check(settings, *self.identity, state, alive, self.store.cache, self.location.base)

    def writer_alive(self) -> bool:
        """Whether another process holds the write lock (or a live lease) right now."""
        if self.store.http:
            return lease_holder(self.store) is not None
        try:
            with locked(self.store, 0.0):
                return False
        except StoreBusyError:
            return True


def _synced(name: str, report: IngestReport | None) -> str:
    """What syncing a source changed, so a repair that changed nothing does not sound like a fix."""
    if report is None or not (report.added or report.removed):
        return f"synced {shown(name)}: nothing changed"
    return f"synced {shown(name)}: chunks {report.added} added, {report.removed} removed"


def damage(problem: Problem) -> bool:
    from kit.ingest.doctor import Kind

    return problem.kind in (Kind.CRASH, Kind.UNREADABLE, Kind.INDEX)


def resource_of(result: Checkup) -> Resource:
    from kit.ingest.doctor import Kind

    return Resource.SERVER_TIMEOUT if any(p.kind is Kind.TIMEOUT for p in result.problems) else Resource.DISK
