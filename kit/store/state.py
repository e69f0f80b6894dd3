"""The store's state: what it was built with, its sources, its generation, a write in progress.

Sources are the folders (or single files) a user ingested, named as the store names files, and the
web pages fetched by URL (named by their snapshot in the store folder, with the URL beside). They
are recorded before any chunk of them is written, so a crash never leaves chunks whose origin is
unknown. The generation counts committed writes; readers compare it to know when their keyword
index and file list are stale. `writing` marks a write in progress: found set by the next writer
(who holds the lock, so its owner is gone), it means that write was interrupted.

A local store keeps its state in `kit-store.json`, replaced atomically; a Chroma server keeps it
in the collection's metadata (see `store.py`). This module does not open Chroma.
"""

from __future__ import annotations

import json
import os
import socket
import time
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path
from typing import Any, Literal

from kit.errors import DamagedFileError
from kit.location import STATE_FILE, under
from kit.store.integrity import damaged, load_sealed, remove_own, sealed

FORMAT = 2  # 2: sources, base-relative names, keyword index and file list per generation
SourceKind = Literal["folder", "file", "url"]
Operation = Literal["ingest", "rm", "repair"]


@dataclass(frozen=True)
class Source:
    """A folder or file that was ingested, named as the store names files; for a web page (kind
    "url") the name is its snapshot's and `url` the address it was fetched from."""

    name: str
    kind: SourceKind
    added: float
    url: str = ""

    def to_dict(self) -> dict[str, object]:
        data = asdict(self)
        if not self.url:
            del data["url"]  # a folder's or file's record reads as before (and older kits read it)
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Source:
        return cls(str(data["name"]), data["kind"], float(data["added"]), str(data.get("url") or ""))


@dataclass(frozen=True)
class Writing:
    """A write in progress: what it does, to what, and who runs it."""

    op: Operation
    target: str
    holder: str
    started: float
    building: str = ""  # local data folder being built aside (repair, rebuild); not the store until committed


@dataclass(frozen=True)
class StoreState:
    """Everything about a store that is not chunks."""

    collection: str
    facts: dict[str, str | int] = field(default_factory=dict)
    generation: int = 0
    sources: tuple[Source, ...] = ()
    chroma: str = "chroma"  # local mode: the folder (in the store folder) holding the Chroma data
    writing: Writing | None = None
    mode: str = "local"
    server: str = ""  # http mode: host:port of the Chroma server
    format: int = FORMAT

    def with_source(self, name: str, kind: SourceKind, url: str = "") -> StoreState:
        """Sources after ingesting `name`: unchanged if a source already covers it; else added,
        replacing the sources it covers (ingesting a parent folder absorbs its children). A web
        page's snapshot lies in the store folder, which no folder scan reads: a folder never covers
        nor absorbs it, and it covers only itself."""
        if kind == "url":
            if any(s.name == name and s.url == url for s in self.sources):
                return self
            kept = tuple(s for s in self.sources if s.name != name)
            return replace(self, sources=(*kept, Source(name, kind, time.time(), url)))
        if any(under(name, s.name) for s in self.sources if s.kind != "url" or s.name == name):
            return self
        kept = tuple(s for s in self.sources if s.kind == "url" or not under(s.name, name))
        return replace(self, sources=(*kept, Source(name, kind, time.time())))

    def without(self, name: str) -> StoreState:
        """Sources after removing everything under `name`."""
        return replace(self, sources=tuple(s for s in self.sources if not under(s.name, name)))

    def source_of(self, name: str) -> str:
        """The source a stored file belongs to ('' if none does)."""
        owners = [s.name for s in self.sources if under(name, s.name)]
        return max(owners, key=len, default="")

    def url_of(self, name: str) -> str:
        """The URL a stored web page snapshot was fetched from ('' for any other file)."""
        return next((s.url for s in self.sources if s.kind == "url" and s.name == name), "")

    def named_by_url(self, url: str) -> str:
        """The snapshot name of the web page source fetched from `url` ('' if none is)."""
        return next((s.name for s in self.sources if s.kind == "url" and s.url == url), "")

    def to_json(self) -> dict[str, Any]:
        data = asdict(self)
        data["sources"] = [s.to_dict() for s in self.sources]
        return data

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> StoreState:
        writing = data.get("writing")
        return cls(
            collection=str(data["collection"]), facts=dict(data.get("facts") or {}),
            generation=int(data.get("generation", 0)),
            sources=tuple(Source.from_dict(s) for s in data.get("sources") or []),
            chroma=str(data.get("chroma", "chroma")), writing=Writing(**writing) if writing else None,
            mode=str(data.get("mode", "local")), server=str(data.get("server", "")),
            format=int(data.get("format", 1)),
        )


def holder_id() -> str:
    """Who is writing: host and process, readable in a busy message."""
    return f"{socket.gethostname()}:{os.getpid()}"


def read_state(store_dir: Path) -> StoreState | None:
    """The state file of a local store folder, or None if there is none. A file that is there but
    fails its checksum, lacks a field or has a format this kit does not read raises
    `DamagedFileError`: taken for "no store", it would start an empty one over the chunks."""
    path = store_dir / STATE_FILE
    try:
        data = load_sealed(path)
    except FileNotFoundError:
        return None
    try:
        state = StoreState.from_json(data)
    except (ValueError, KeyError, TypeError, AttributeError) as exc:
        raise damaged(path, f"a field is missing or malformed: {type(exc).__name__} {exc}") from None
    if not 1 <= state.format <= FORMAT:
        raise damaged(path, f"format {state.format}, this kit reads formats 1 to {FORMAT}")
    return state


def peek_state(store_dir: Path) -> StoreState | None:
    """`read_state`, or None when the file is damaged (for guesses that must not fail a command,
    such as which settings built the store; the command itself then says it is damaged)."""
    try:
        return read_state(store_dir)
    except DamagedFileError:
        return None


def write_state(store_dir: Path, state: StoreState) -> None:
    """Replace the state file atomically (a reader sees the old or the new one, never half)."""
    write_json_atomic(store_dir / STATE_FILE, sealed(state.to_json()))


def write_json_atomic(path: Path, data: Any) -> None:
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        with tmp.open("w", encoding="utf-8") as f:
            json.dump(data, f, indent=1, ensure_ascii=False)
            f.flush()
            os.fsync(f.fileno())
        if path.is_dir() and not path.is_symlink():  # a folder put where kit writes this file: a repair replaces it
            remove_own(path)
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)
