"""What a store holds (`kit files`): its sources and every file, from the file list of the last commit;
and which of them a user means by a name (`--file`, `files=`).

Reads two small JSON files and imports neither chromadb nor a model, so it answers at once; a
file list that is not the current generation's (a write was interrupted since) is replaced by one
read from Chroma, and the listing says so. This module does not change the store.
"""

from __future__ import annotations

import difflib
import fnmatch
import itertools
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import PurePosixPath

from kit.config import Settings
from kit.errors import InputError
from kit.location import Location, locate, require, shown
from kit.store.built import as_built
from kit.store.manifest import Manifest, StoredFile, read_manifest
from kit.store.state import Source, read_state
from kit.text import plural
from kit.types import Saved


@dataclass(frozen=True)
class Listing(Saved):
    """A store's sources and files at one generation; prints as `kit files` does, and shows as a
    table per source in a notebook (rendered from `to_dict()`)."""

    store: str
    generation: int
    sources: tuple[Source, ...]
    files: tuple[StoredFile, ...]
    notes: tuple[str, ...] = field(default=())

    def by_source(self) -> dict[str, list[StoredFile]]:
        out: dict[str, list[StoredFile]] = {s.name: [] for s in self.sources}
        for f in self.files:
            out.setdefault(f.source, []).append(f)
        return out

    def to_dict(self) -> dict[str, object]:
        groups = self.by_source()
        return {"store": self.store, "generation": self.generation,
                "sources": [{**s.to_dict(), "added": iso_time(s.added), "files": len(groups.get(s.name, [])),
                             "chunks": sum(f.chunks for f in groups.get(s.name, []))} for s in self.sources],
                "files": [f.to_dict() for f in self.files], "notes": list(self.notes)}

    _TITLE = "Files"

    def to_markdown(self) -> str:
        from kit.report.markdown import text_markdown

        return text_markdown(self._TITLE, str(self))

    def __str__(self) -> str:
        from kit.report.text import listing_text

        return listing_text(self.to_dict())

    def __repr__(self) -> str:
        return (f"Listing({shown(self.store)}: generation {self.generation}, {plural(len(self.sources), 'source')}, "
                f"{plural(len(self.files), 'file')}, {plural(sum(f.chunks for f in self.files), 'chunk')})")

    def _repr_html_(self) -> str:
        from kit.report.html import listing_html

        return listing_html(self.to_dict())


def list_files(settings: Settings, location: Location | None = None) -> Listing:
    """The store's sources and files; Chroma is opened only when the saved list is not current."""
    location = location or locate(settings.store_dir)
    settings = as_built(settings, location)  # a store opened for the list must be opened as it was built
    if settings.store_mode == "http":
        return _from_server(settings, location)
    state = read_state(require(location).dir)
    manifest = read_manifest(location.dir)
    if state is not None and state.writing is None and manifest is not None and manifest.generation == state.generation:
        return _listing(str(location.dir), manifest, state.sources, ())
    return _from_store(settings, location, "the last write did not finish; this list was read from the store itself "
                                           "(run `kit ingest` to complete it)")


def _from_server(settings: Settings, location: Location) -> Listing:
    """The server's generation and sources from its REST API, the files from the local copy of the
    file list when it is that generation's."""
    import json

    from kit.embeddings import identity
    from kit.store.server import collection_metadata
    from kit.store.store import Store

    store = Store(settings, *identity(settings), location)
    meta = collection_metadata(settings.chroma_host, settings.chroma_port, store.name, settings.chroma_timeout)
    manifest = read_manifest(store.cache)
    if meta and not meta.get("kit_writing") and manifest and manifest.generation == meta.get("kit_generation"):
        sources = tuple(Source.from_dict(s) for s in json.loads(str(meta.get("kit_sources") or "[]")))
        return _listing(store.where, manifest, sources, ())
    return _from_store(settings, location, "")


def _from_store(settings: Settings, location: Location, note: str) -> Listing:
    from kit.embeddings import identity
    from kit.store.store import Store

    store = Store(settings, *identity(settings), location)
    store.require()
    state = store.state()
    manifest = read_manifest(store.cache)
    if manifest is None or manifest.generation != state.generation or state.writing is not None:
        manifest = store.manifest()
    return _listing(store.where, manifest, state.sources, (note,) if note else ())


def _listing(where: str, manifest: Manifest, sources: tuple[Source, ...], notes: tuple[str, ...]) -> Listing:
    return Listing(where, manifest.generation, sources, tuple(manifest.files.values()), notes)


_GLOB = frozenset("*?[")


def match_files(given: Sequence[str], stored: Sequence[str]) -> list[str]:
    """The stored names that `given` names, in stored order, each once. A name matches a stored
    path, the file name at its end (`002_x.txt` for `seeds/002_x.txt`), or as a glob (fnmatch,
    against either). One that matches nothing is an `InputError` naming the closest stored names."""
    chosen: set[str] = set()
    for name in given:
        found = [path for path in stored if _matches(name, path)]
        if not found:
            raise InputError(_no_match(name, stored))
        chosen.update(found)
    return [path for path in stored if path in chosen]


def _matches(name: str, path: str) -> bool:
    if name == path or name == PurePosixPath(path).name:
        return True
    glob = not _GLOB.isdisjoint(name)
    return glob and (fnmatch.fnmatchcase(path, name) or fnmatch.fnmatchcase(PurePosixPath(path).name, name))


def _no_match(name: str, stored: Sequence[str]) -> str:
    if not stored:
        return f"{shown(name)}: the store holds no file yet; run `kit ingest FOLDER` first"
    closest = sorted(stored, key=lambda path: _likeness(name, path), reverse=True)[:3]  # ties keep stored order
    return (f"{shown(name)}: the store holds no file of that name (as a stored path, a file name or a glob); "
            f"closest: {', '.join(shown(p) for p in closest)} (`kit files` lists them all)")


def _likeness(name: str, path: str) -> tuple[int, float]:
    """How close `name` is to a stored path or its file name: the longer shared start first (a user
    types the start of a name: `002.txt` means `002_0f7b....txt` more than `001_...`), then difflib's ratio."""
    forms = (path, PurePosixPath(path).name)
    return (max(_shared_start(name, f) for f in forms),
            max(difflib.SequenceMatcher(None, name, f).ratio() for f in forms))


def _shared_start(a: str, b: str) -> int:
    """How many characters `a` and `b` share at their start (zip stops at the shorter)."""
    return sum(1 for _ in itertools.takewhile(lambda pair: pair[0] == pair[1], zip(a, b, strict=False)))


def iso_time(epoch: float) -> str:
    """A moment as ISO 8601 with its UTC offset, as every listing shows times."""
    return datetime.fromtimestamp(epoch).astimezone().isoformat(timespec="seconds")
