"""Read stored files back (decoded as at ingest) to check citations against them.

A stored file is named relative to the store's base folder (or absolutely); a name that now
leads out of its folder through a symlink is never read. This module does not locate quotes
(see `kit.grounding.citations`).
"""

from __future__ import annotations

from pathlib import Path, PurePosixPath

from kit.corpus.files import MAX_BYTES, content_sha256, is_html, read_stored
from kit.corpus.markup import PageIndex
from kit.types import SourceStatus


class SourceReader:
    """Reads stored files (decoded as at ingest) to verify citations; caches each file once.

    `root` is the store's base folder: stored file names are relative to it (or absolute). A name
    that now leads out of its folder through a symlink is never read (see `status`), nor anything
    but a regular file of at most `max_bytes` (a FIFO, a device or a huge sparse file is
    `unreadable`, never a hang). `confined`: names from outside kit (a saved JSON given to
    `kit verify`) must stay inside `root` (no `..`), and an absolute name must be one of `stored`
    (a file the store records, ingested from outside its base); others are `outside`."""

    def __init__(self, root: Path | None, fallback_encoding: str = "cp1252", max_bytes: int = MAX_BYTES,
                 confined: bool = False, stored: frozenset[str] = frozenset()) -> None:
        self.root = root
        self.fallback = fallback_encoding
        self.max_bytes, self.confined, self.stored = max_bytes, confined, stored
        self._cache: dict[str, tuple[SourceStatus, str | None]] = {}
        self._pages: dict[str, PageIndex] = {}

    def text(self, rel: str) -> str | None:
        """The file as decoded (for HTML, the markup); None when it cannot be read."""
        return self._file(rel)[1]

    def at_span(self, rel: str, start: int, end: int) -> str | None:
        """What raw[start:end] of the file reads as, as ingest read it: the raw text itself, or for
        HTML the page's text there (None when the span starts or ends in markup)."""
        raw = self.text(rel)
        if raw is None or not is_html(rel):
            return None if raw is None else raw[start:end]
        return self._page(rel, raw).at(start, end)

    def context(self, rel: str, start: int, end: int, width: int) -> tuple[str, str, str] | None:
        """(before, at, after): what `at_span` reads, with up to `width` characters of the text as
        ingest read it on each side (for HTML, the page's text); None when `at_span` is None."""
        raw = self.text(rel)
        if raw is None or not is_html(rel):
            return None if raw is None else (raw[max(0, start - width):start], raw[start:end], raw[end:end + width])
        return self._page(rel, raw).context(start, end, width)

    def _page(self, rel: str, raw: str) -> PageIndex:
        if rel not in self._pages:
            self._pages[rel] = PageIndex(raw)
        return self._pages[rel]

    def status(self, rel: str, sha256: str | None = None) -> SourceStatus:
        """The file `rel` now, against `sha256` (the hash stored with its chunks, `Chunk.doc_sha256`)."""
        status, text = self._file(rel)
        if status is SourceStatus.OK and sha256 and text is not None and content_sha256(text, is_html(rel)) != sha256:
            return SourceStatus.CHANGED
        return status

    def _file(self, rel: str) -> tuple[SourceStatus, str | None]:
        if rel not in self._cache:
            if self.root is None:
                self._cache[rel] = (SourceStatus.MISSING, None)
            elif self.confined and self._escapes(rel):
                self._cache[rel] = (SourceStatus.OUTSIDE, None)
            else:
                self._cache[rel] = read_stored(self.root, rel, self.fallback, max_bytes=self.max_bytes)
        return self._cache[rel]

    def _escapes(self, rel: str) -> bool:
        name = PurePosixPath(rel)
        return ".." in name.parts or (name.is_absolute() and rel not in self.stored)
