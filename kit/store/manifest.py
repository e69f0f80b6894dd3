"""The file list: every stored file with its source, chunk count, content hash and ingest time.

Written at each commit next to the keyword index, stamped with the generation it describes, so
`kit files` answers from one small JSON file without opening Chroma; a list whose generation is
not the store's (an interrupted write) is never shown as current. This module does not decide
what is stored; it records what a commit left.
"""

from __future__ import annotations

import time
from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from kit.errors import DamagedFileError
from kit.store.integrity import damaged, load_sealed, sealed
from kit.store.state import write_json_atomic

MANIFEST = "manifest.json"
FORMAT = 1  # the format of the file list (written from checksums on; older lists have no number)


@dataclass(frozen=True)
class StoredFile:
    """One stored file as the last commit left it."""

    path: str
    source: str
    chunks: int
    sha256: str
    ingested: float  # when this version of the file was stored (epoch seconds)

    def to_dict(self) -> dict[str, object]:
        data = asdict(self)
        data["ingested"] = datetime.fromtimestamp(self.ingested).astimezone().isoformat(timespec="seconds")
        return data


@dataclass(frozen=True)
class Manifest:
    """The stored files at one generation."""

    generation: int
    files: dict[str, StoredFile] = field(default_factory=dict)

    @property
    def chunks(self) -> int:
        return sum(f.chunks for f in self.files.values())


@dataclass(frozen=True)
class FileFacts:
    """What a store holds for one file: its chunk ids and the content hashes they carry."""

    ids: frozenset[str]
    sha256s: frozenset[str]  # more than one only after an interrupted update


def build_manifest(generation: int, catalog: Mapping[str, FileFacts], source_of: Any,
                   previous: Manifest | None) -> Manifest:
    """The file list for `catalog`, keeping each unchanged file's original ingest time."""
    now = time.time()
    old = previous.files if previous else {}
    files: dict[str, StoredFile] = {}
    for path, facts in sorted(catalog.items()):
        sha = min(facts.sha256s)
        earlier = old.get(path)
        when = earlier.ingested if earlier and earlier.sha256 == sha else now
        files[path] = StoredFile(path, source_of(path), len(facts.ids), sha, when)
    return Manifest(generation, files)


def write_manifest(folder: Path, manifest: Manifest) -> None:
    data = {"format": FORMAT, "generation": manifest.generation,
            "files": [[f.path, f.source, f.chunks, f.sha256, f.ingested] for f in manifest.files.values()]}
    write_json_atomic(folder / MANIFEST, sealed(data))


def read_manifest(folder: Path) -> Manifest | None:
    """The saved file list, or None when there is none or it is damaged: callers then build it
    from Chroma, and `kit doctor` names the damage (`load_manifest`)."""
    try:
        return load_manifest(folder)
    except (FileNotFoundError, DamagedFileError):
        return None


def load_manifest(folder: Path) -> Manifest:
    """The saved file list; `FileNotFoundError` if none, `DamagedFileError` if it fails its
    checksum, its format or its fields."""
    path = folder / MANIFEST
    data = load_sealed(path)
    if data.get("format", FORMAT) != FORMAT:
        raise damaged(path, f"format {data.get('format')!r}, this kit reads {FORMAT}")
    try:
        rows: Iterable[list[Any]] = data["files"]
        files = {str(r[0]): StoredFile(str(r[0]), str(r[1]), int(r[2]), str(r[3]), float(r[4])) for r in rows}
        return Manifest(int(data["generation"]), files)
    except (ValueError, KeyError, TypeError, IndexError) as exc:
        raise damaged(path, f"a field is missing or malformed: {type(exc).__name__}") from None
