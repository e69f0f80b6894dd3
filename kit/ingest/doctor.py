"""Check a store against its sources, from a separate process, and say plainly what is wrong.

A kill -9 can leave an index that crashes the next process that opens it, so Chroma is read
in a child process: a crash there is a diagnosis, not an outage. The parent then compares what
Chroma holds with the file list of the last commit (files and chunk counts), looks for a write
that never finished, and compares every stored file with its source on disk (changed, missing,
behind a symlink, new files not ingested). The verdict is typed: only a store that is complete,
consistent and in line with its sources is healthy. A resource failure (disk full, server gone)
is reported as such and is never a reason to rebuild. Repairs live in `api.py`; this module
only looks.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections import Counter
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path
from typing import Any

from kit.config import Settings
from kit.corpus.files import FoundFile, UnreadableFile, read_document, scan
from kit.errors import KitError, StoreResourceError
from kit.location import shown, under
from kit.store.manifest import Manifest, read_manifest
from kit.store.state import StoreState
from kit.text import plural
from kit.types import IssueKind, Saved, SourceStatus


class Verdict(StrEnum):
    """The overall result, worst first."""

    UNCHECKED = "unchecked"  # the store could not be read for a reason outside it (disk, server, time)
    DAMAGED = "damaged"  # Chroma crashes, cannot be read, or its vector index lost chunks: repair rebuilds it
    INCOMPLETE = "incomplete"  # a write was interrupted, or the store and its file list disagree
    STALE = "stale"  # consistent, but its sources changed since they were ingested
    HEALTHY = "healthy"


class Kind(StrEnum):
    """What one problem is; each kind implies a verdict (see `_VERDICT`)."""

    RESOURCE = "resource"
    TIMEOUT = "timeout"
    CRASH = "crash"
    UNREADABLE = "unreadable"
    INDEX = "index"
    INTERRUPTED = "interrupted"
    VERSIONS = "versions"
    FILE_LIST = "file list"
    COUNTS = "counts"
    EMPTY_SOURCE = "empty source"
    SOURCE_CHANGED = "source changed"
    DAMAGED_FILE = "damaged file"  # kit's own file (state, file list, keyword index, topic cache) fails its checksum
    MODEL = "model cache"  # the cached embedding graph fails its checksum


_VERDICT = {Kind.RESOURCE: Verdict.UNCHECKED, Kind.TIMEOUT: Verdict.UNCHECKED, Kind.CRASH: Verdict.DAMAGED,
            Kind.UNREADABLE: Verdict.DAMAGED, Kind.INDEX: Verdict.DAMAGED, Kind.INTERRUPTED: Verdict.INCOMPLETE,
            Kind.VERSIONS: Verdict.INCOMPLETE, Kind.FILE_LIST: Verdict.INCOMPLETE, Kind.COUNTS: Verdict.INCOMPLETE,
            Kind.EMPTY_SOURCE: Verdict.INCOMPLETE, Kind.SOURCE_CHANGED: Verdict.STALE,
            Kind.DAMAGED_FILE: Verdict.DAMAGED, Kind.MODEL: Verdict.DAMAGED}
_ORDER = list(Verdict)

# What a source's file on disk is, besides a stored file's `SourceStatus`: one the store does not
# hold yet, or one ingest leaves out as it would again. Only stored files that differ from the
# disk, and new files, are drift: the others an ingest would leave as they are.
NEW, DUPLICATE, SKIPPED, ERROR = "new", "duplicate", "skipped", "error"
# A stored file that changed into one ingest refuses (emptied, binary, too large): ingest keeps its
# chunks (restoring the file re-embeds nothing), so "run kit ingest" would never clear it.
WENT_BAD = "unreadable now, chunks kept"
_DRIFT = frozenset({SourceStatus.CHANGED.value, SourceStatus.MISSING.value, SourceStatus.OUTSIDE.value,
                    SourceStatus.UNREADABLE.value, NEW})


@dataclass(frozen=True)
class Problem:
    kind: Kind
    text: str

    def to_dict(self) -> dict[str, str]:
        return {"kind": self.kind.value, "text": self.text}


@dataclass
class Checkup(Saved):
    """What the check found and, after a repair, what was done; prints as `kit doctor` does."""

    facts: dict[str, Any] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    actions: list[str] = field(default_factory=list)
    fixed: list[Problem] = field(default_factory=list)  # found before a repair, gone after it
    sources: dict[str, dict[str, int]] = field(default_factory=dict)  # per source: file status -> count

    @property
    def verdict(self) -> Verdict:
        worst = [_VERDICT[p.kind] for p in self.problems] or [Verdict.HEALTHY]
        return min(worst, key=_ORDER.index)

    @property
    def ok(self) -> bool:
        return self.verdict is Verdict.HEALTHY

    def to_dict(self) -> dict[str, Any]:
        return {"ok": self.ok, "verdict": self.verdict.value, **self.facts, "sources": self.sources,
                "problems": [p.to_dict() for p in self.problems], "fixed": [p.to_dict() for p in self.fixed],
                "actions": self.actions}

    _TITLE = "Store check"

    def to_markdown(self) -> str:
        from kit.report.markdown import text_markdown

        return text_markdown(self._TITLE, str(self))

    def __str__(self) -> str:
        from kit.report.text import checkup_text

        return checkup_text(self.to_dict())

    def __repr__(self) -> str:
        return (f"Checkup({self.verdict.value}: {plural(len(self.problems), 'problem')}, "
                f"{plural(len(self.actions), 'action')})")

    def _repr_html_(self) -> str:
        from kit.report.html import checkup_html

        return checkup_html(self.to_dict())


def check(settings: Settings, embedder_name: str, dim: int, state: StoreState, writer_alive: bool,
          cache: Path, base: Path, timeout: float = 300.0) -> Checkup:
    """Read the whole store in a child process, then compare it with its file list and sources."""
    result = Checkup(facts={"store": str(cache) if settings.store_mode != "http" else
                            f"{settings.chroma_host}:{settings.chroma_port}", "generation": state.generation})
    if state.writing is not None:
        who = f"{state.writing.op} of {shown(state.writing.target)} by {state.writing.holder}"
        text = (f"a write is running now ({who}); check again when it ends" if writer_alive else
                f"the last write ({who}) was interrupted; `kit ingest` or `kit doctor --repair` completes it")
        result.problems.append(Problem(Kind.INTERRUPTED, text))
    result.problems += own_file_problems(settings, cache, state.generation)
    stored = _read_in_child(settings, embedder_name, dim, timeout, result)
    if stored is None:
        return result
    result.facts.update({"chunks": stored["chunks"], "files": len(stored["files"])})
    manifest = read_manifest(cache)
    _compare_with_file_list(stored["files"], manifest, state, result)
    _compare_with_sources(stored["files"], state, settings, base, cache, result)
    return result


def own_file_problems(settings: Settings, cache: Path, generation: int) -> list[Problem]:
    """Kit's own files checked against their checksums: the file list, the keyword index of the
    current generation, the topic cache and the cached embedding model."""
    from kit.embeddings import model_problem
    from kit.errors import DamagedFileError
    from kit.location import TOPICS_CACHE
    from kit.store.history import History
    from kit.store.integrity import check_folder, load_sealed
    from kit.store.manifest import load_manifest

    checks = [lambda: load_manifest(cache),
              lambda: check_folder(cache / "keyword" / str(generation), sums_required=True),
              lambda: load_sealed(cache / TOPICS_CACHE, legacy_ok=False)]
    out: list[Problem] = []
    for run in checks:
        try:
            run()
        except DamagedFileError as exc:
            out.append(Problem(Kind.DAMAGED_FILE, str(exc)))
        except FileNotFoundError:
            pass  # a missing file list is `FILE_LIST`'s business; a missing cache is rebuilt on use
    history = History(cache)
    if why := history.damage():
        out.append(Problem(Kind.DAMAGED_FILE, f"{history.path} is damaged ({why}); `kit doctor --repair` sets it "
                                              "aside and the next run starts a new history"))
    said = model_problem(settings)
    return out + ([Problem(Kind.MODEL, said)] if said else [])


def _read_in_child(settings: Settings, embedder_name: str, dim: int, timeout: float,
                   result: Checkup) -> dict[str, Any] | None:
    payload = json.dumps({"settings": settings.model_dump(mode="json", exclude={"api_key"}),
                          "embedder": embedder_name, "dim": dim})
    try:
        proc = subprocess.run([sys.executable, "-m", "kit.ingest.doctor", payload], capture_output=True, text=True,
                              timeout=timeout, env={**os.environ, "KIT_CRASH_AT": ""})
    except subprocess.TimeoutExpired:
        result.problems.append(Problem(Kind.TIMEOUT, f"reading the store took over {timeout:.0f} s; nothing was "
                                                     "concluded about it"))
        return None
    lines = proc.stdout.strip().splitlines()
    if proc.returncode != 0 or not lines:
        tail = (proc.stderr.strip().splitlines() or [f"exit code {proc.returncode}"])[-1]
        result.problems.append(Problem(Kind.CRASH, f"the store crashes the process that opens it ({tail[:200]})"))
        return None
    data = json.loads(lines[-1])
    result.problems += [Problem(Kind(k), t) for k, t in data.pop("problems")]
    return data if "files" in data else None


def _compare_with_file_list(files: dict[str, list[Any]], manifest: Manifest | None, state: StoreState,
                            result: Checkup) -> None:
    if manifest is None or manifest.generation != state.generation:
        if state.generation or files:
            result.problems.append(Problem(Kind.FILE_LIST, "the file list of the last commit is missing or from "
                                                           "another generation"))
        return
    listed = {p: f.chunks for p, f in manifest.files.items()}
    found = {p: int(v[0]) for p, v in files.items()}
    wrong = sorted(p for p in set(listed) | set(found) if listed.get(p) != found.get(p))
    for path in wrong[:10]:
        result.problems.append(Problem(Kind.COUNTS, f"{shown(path)}: the store has "
                                                    f"{plural(found.get(path, 0), 'chunk')}, "
                                                    f"the last commit left {listed.get(path, 0)}"))
    if len(wrong) > 10:
        result.problems.append(Problem(Kind.COUNTS, f"... and {plural(len(wrong) - 10, 'more file')}"))


def _compare_with_sources(files: dict[str, list[Any]], state: StoreState, settings: Settings, base: Path,
                          store_dir: Path, result: Checkup) -> None:
    from kit.corpus.sources import SourceReader
    from kit.location import Location

    if files and not state.sources:
        result.problems.append(Problem(Kind.EMPTY_SOURCE, "the store holds files but records no source; "
                                                          "run `kit ingest FOLDER` for the folders they came from"))
    reader = SourceReader(base, settings.fallback_encoding, settings.max_bytes)
    # The store folder, as ingest leaves it out of a folder's scan (its web page snapshots included).
    location = Location(store_dir if store_dir.parent == base else base / ".kit", True)
    for source in state.sources:
        # A web page's snapshot in the store folder is its own source's, not that of a folder around it.
        mine = {p: v for p, v in files.items() if under(p, source.name) and state.source_of(p) == source.name}
        again = shown(source.url or source.name)  # what `kit ingest` takes to sync it
        status = {p: reader.status(p, v[1][0] if len(v[1]) == 1 else None) for p, v in mine.items()}
        statuses = Counter(s.value for s in status.values())
        bad = _went_bad(source.name, status, settings, location)
        statuses.subtract(status[p].value for p in bad)
        statuses[WENT_BAD] += len(bad)
        statuses.update(_unstored(source.name, mine, settings, location))
        order = [s.value for s in SourceStatus] + [NEW, DUPLICATE, SKIPPED, ERROR, WENT_BAD]
        result.sources[source.name] = {k: statuses[k] for k in order if statuses[k]}
        if not mine:
            result.problems.append(Problem(Kind.EMPTY_SOURCE, f"source {shown(source.name)} has no file in the "
                                                              f"store; run `kit ingest {again}`"))
        if bad:
            result.problems.append(Problem(Kind.SOURCE_CHANGED, f"{', '.join(shown(p) for p in bad[:5])}: changed into "
                                           "a file ingest refuses (empty, binary or too large); its chunks are kept "
                                           "until you restore it or run `kit remove` on it"))
        drift = {k: n for k, n in result.sources[source.name].items() if k in _DRIFT}
        if drift and mine:
            said = ", ".join(f"{n} {k}" for k, n in drift.items())
            result.problems.append(Problem(Kind.SOURCE_CHANGED, f"source {shown(source.name)}: {said} since it was "
                                                                f"ingested; run `kit ingest {again}`"))


def _went_bad(name: str, status: dict[str, SourceStatus], settings: Settings, location: Any) -> list[str]:
    """Stored files of the source that changed into files ingest refuses, as ingest reads them
    (a file made binary reads as "unreadable", an emptied one as "changed": both keep their chunks
    through ingest, so `kit ingest` is no advice that clears them)."""
    changed = [p for p, s in status.items() if s in (SourceStatus.CHANGED, SourceStatus.UNREADABLE)]
    path = location.path_of(name)
    if not changed or not path.exists():
        return []
    try:
        found = {c.rel: c for c in scan(path, settings, name=location.name_of, ignore=location.dir).candidates}
    except OSError:
        return []
    return [p for p in changed if p in found and _unstored_status(found[p], settings, set()) in (SKIPPED, ERROR)]


def _unstored(name: str, mine: dict[str, list[Any]], settings: Settings, location: Any) -> Counter[str]:
    """The source's files on disk that the store does not hold, read as ingest reads them: "new" if
    ingest would store it; else a "duplicate" (its content is a stored file's of this source, or an
    earlier new one's), "skipped" (empty, only boilerplate) or an "error" (unreadable), as ingest
    reports them. Only "new" is a change an ingest would make."""
    path = location.path_of(name)
    if not path.exists():
        return Counter()
    try:
        found = scan(path, settings, name=location.name_of, ignore=location.dir)
    except (OSError, FileNotFoundError):
        return Counter()
    seen = {sha for _n, shas in mine.values() for sha in shas}
    out: Counter[str] = Counter()
    for cand in sorted(found.candidates, key=lambda c: c.rel):  # ingest's order for files it does not hold
        if cand.rel not in mine:
            out[_unstored_status(cand, settings, seen)] += 1
    return out


def _unstored_status(cand: FoundFile, settings: Settings, seen: set[str]) -> str:
    try:
        doc, _notes = read_document(cand, settings)
    except UnreadableFile as exc:
        return SKIPPED if exc.kind is IssueKind.SKIPPED else ERROR
    except Exception:  # as in ingest: one odd file never stops the check
        return ERROR
    if doc.sha256 in seen:
        return DUPLICATE
    seen.add(doc.sha256)
    return NEW


def _probe(payload: str) -> None:
    """Child side of `check`: print what Chroma holds as one JSON line."""
    data = json.loads(payload)
    settings = Settings.load(environ={}, **{k: v for k, v in data["settings"].items() if v is not None})
    try:
        print(json.dumps(_health(settings, data["embedder"], int(data["dim"]))))
    except StoreResourceError as exc:
        print(json.dumps({"problems": [[Kind.RESOURCE.value, str(exc)]]}))
    except KitError as exc:
        print(json.dumps({"problems": [[Kind.UNREADABLE.value, str(exc)]]}))


def _health(settings: Settings, embedder: str, dim: int, samples: int = 20) -> dict[str, Any]:
    from kit.store.store import Store

    store = Store(settings, embedder, dim)
    chunks = store.chunks()
    catalog = chunks.catalog()
    count = chunks.count()
    problems: list[list[str]] = []
    if len(catalog) != count:
        problems.append([Kind.INDEX.value,
                         f"count says {plural(count, 'chunk')} but {len(catalog)} distinct ids were read"])
    files: dict[str, list[Any]] = {}
    for _cid, (path, sha) in catalog.items():
        entry = files.setdefault(path, [0, set()])
        entry[0] += 1
        entry[1].add(sha)
    for path, (_n, shas) in files.items():
        if len(shas) > 1:
            problems.append([Kind.VERSIONS.value, f"{shown(path)}: chunks of {len(shas)} versions (an interrupted "
                                                  "update)"])
    ids = sorted(catalog)
    problems += [[Kind.INDEX.value, p] for p in _index_problems(store, ids[:: max(1, len(ids) // samples)][:samples])]
    return {"chunks": count, "files": {p: [n, sorted(s)] for p, (n, s) in files.items()}, "problems": problems}


# Neighbours asked for when a sampled chunk looks for itself. HNSW search is approximate: asked
# for one neighbour it can miss a point that is there (seen after concurrent writes), which would
# call a sound store damaged; asked for 50, its search list is usually wide enough, and a chunk
# still missed is asked again with 500 (a 230k-chunk store after a kill had one sampled chunk not
# among the first 50 neighbours and found among 500) before it counts as unreachable.
_SELF_QUERY = (50, 500)
# A chunk whose vector the index holds can still be unreachable in HNSW's graph, whatever the
# width: among near-duplicate vectors a point can lose every link to it. Seen: 1 or 2 of 603
# chunks of word-salad files each time the graph is rebuilt on opening (a store under Chroma's sync
# threshold replays its log with parallel inserts), a different pair each time. So an unreachable
# chunk alone is approximation, not damage; the graph is called broken when most of the sample is
# unreachable, and a chunk whose vector is gone is always damage.
_BROKEN_SHARE = 0.5


def _index_problems(store: Any, ids: list[str]) -> list[str]:
    """Each sampled chunk's vector must be in the index, and its own vector must find it (or an
    identical twin) at similarity 1 for most of the sample."""
    vectors = store.embeddings(ids)
    misses = [cid for cid in ids if cid in vectors]
    for width in _SELF_QUERY:
        misses = [cid for cid in misses
                  if not any(sim >= 0.999 for _c, sim, _v in store.query(vectors[cid], width))]
    lost = [cid for cid in ids if cid not in vectors]
    broken = ids and len(misses) > _BROKEN_SHARE * len(ids)
    out = [f"vector index does not return {len(misses)} of {len(ids)} sampled chunks"] if broken else []
    return out + ([f"{plural(len(lost), 'sampled chunk')} {'has' if len(lost) == 1 else 'have'} no vector"]
                  if lost else [])


if __name__ == "__main__":
    _probe(sys.argv[1])
