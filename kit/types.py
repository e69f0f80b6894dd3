"""The kit's own types: what crosses its public surface.

Plain frozen dataclasses; no chromadb, langchain or openai object ever appears here.
Spans are character offsets into the raw (decoded) file text: `raw_text[start:end]`.
"""

from __future__ import annotations

import html
from dataclasses import dataclass, field
from typing import Literal

Section = Literal["article", "comments", "sidebar"]
SECTIONS: tuple[Section, ...] = ("article", "comments", "sidebar")


@dataclass(frozen=True)
class Span:
    """A kept piece of a document: raw offsets and the section it belongs to."""

    start: int
    end: int
    section: Section


@dataclass(frozen=True)
class Removal:
    """A piece of boilerplate the cleaner removed, and why."""

    start: int
    end: int
    reason: str
    text: str


@dataclass(frozen=True)
class OffsetMap:
    """Maps offsets in the cleaned text back to offsets in the raw text.

    `pieces` holds (clean_start, raw_start, length) runs where both texts are identical.
    """

    pieces: tuple[tuple[int, int, int], ...]

    def to_raw(self, clean_offset: int) -> int:
        """Raw offset of a clean offset (a piece end maps to the raw end of that piece)."""
        for clean_start, raw_start, length in self.pieces:
            if clean_start <= clean_offset <= clean_start + length:
                return raw_start + (clean_offset - clean_start)
        raise ValueError(f"offset {clean_offset} falls between kept pieces of the cleaned text")


@dataclass(frozen=True)
class Document:
    """A decoded, cleaned source file."""

    path: str  # relative to the corpus folder, POSIX separators
    raw_text: str
    clean_text: str
    offset_map: OffsetMap
    spans: tuple[Span, ...]
    removed: tuple[Removal, ...]
    sha256: str
    encoding: str


@dataclass(frozen=True)
class Chunk:
    """A retrievable piece of a document; `text == raw_text[start:end]` always."""

    id: str
    path: str
    start: int
    end: int
    section: Section
    text: str
    doc_sha256: str


@dataclass(frozen=True)
class Hit:
    """A chunk found by search, with its fused score and the ranks that produced it."""

    chunk: Chunk
    score: float
    dense_rank: int | None = None
    keyword_rank: int | None = None

    def to_dict(self) -> dict[str, object]:
        c = self.chunk
        return {
            "id": c.id, "source": c.path, "start": c.start, "end": c.end, "section": c.section,
            "score": round(self.score, 6), "dense_rank": self.dense_rank,
            "keyword_rank": self.keyword_rank, "text": c.text,
        }

    def _repr_html_(self) -> str:
        c = self.chunk
        head = f"<b>{html.escape(c.path)}</b> [{c.start}:{c.end}] <i>{c.section}</i> score {self.score:.4f}"
        return f"<div style='margin:4px 0'>{head}<blockquote>{html.escape(c.text)}</blockquote></div>"


@dataclass(frozen=True)
class FileIssue:
    """A file that was skipped or only partly ingested, and why."""

    path: str
    reason: str


@dataclass
class IngestReport:
    """What one ingest did."""

    files: int = 0
    chunks: int = 0
    added: int = 0
    embedded: int = 0
    unchanged_files: int = 0
    removed: int = 0
    seconds: float = 0.0
    issues: list[FileIssue] = field(default_factory=list)

    def to_dict(self) -> dict[str, object]:
        return {
            "files": self.files, "chunks": self.chunks, "added": self.added,
            "embedded": self.embedded, "unchanged_files": self.unchanged_files,
            "removed": self.removed, "errors": len(self.issues), "seconds": round(self.seconds, 3),
            "issues": [{"path": i.path, "reason": i.reason} for i in self.issues],
        }
