"""Remove a file or folder from the store (`kit remove`), and the source record when a whole source goes.

Files are removed from the store only, never from disk. A file removed from inside a source
that stays comes back on that source's next ingest, and the report says so. This module does
not lock; the caller holds the write lock.
"""

from __future__ import annotations

from dataclasses import dataclass

from kit.errors import NotStoredError
from kit.location import shown, under
from kit.store.writer import Write


@dataclass(frozen=True)
class Removal:
    """What `kit remove` removed."""

    path: str
    files: tuple[str, ...]
    chunks: int
    sources: tuple[str, ...]  # source records dropped (the path was, or held, a whole source)
    still_covered_by: str  # a remaining source that would ingest these files again ("" if none)

    def to_dict(self) -> dict[str, object]:
        return {"path": self.path, "files": list(self.files), "chunks": self.chunks, "sources": list(self.sources),
                "still_covered_by": self.still_covered_by or None}


def remove(write: Write, name: str) -> Removal:
    """Remove every stored file at or under `name`, and the sources at or under it."""
    doomed = {path: facts for path, facts in write.files().items() if under(path, name)}
    dropped = tuple(s.name for s in write.state.sources if under(s.name, name))
    # A web page's snapshot lies in the store folder, which no folder's ingest reads back.
    page = any(s.kind == "url" and s.name == name for s in write.state.sources)
    completing = write.completes is not None and (write.completes.op, write.completes.target) == ("rm", name)
    if not doomed and not dropped and not completing:  # an interrupted rm of it may have removed all already
        raise NotStoredError(f"the store holds nothing at or under {shown(name)}; `kit files` lists what it holds")
    write.remove_sources(name)
    write.delete([cid for facts in doomed.values() for cid in facts.ids])
    return Removal(name, tuple(sorted(doomed)), sum(len(f.ids) for f in doomed.values()), dropped,
                   "" if page else write.state.source_of(name))
