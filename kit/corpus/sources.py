"""Read stored files back (as ingest read them) to check citations against them.

A stored file is named relative to the store's base folder (or absolutely); a name that now
leads out of its folder through a symlink is never read. Each file is read through its format's
reader (`kit.corpus.readers`), so a span reads as ingest read it: the text itself, an HTML page's
text at its markup, a PDF's or DOCX's extracted text (with the page or paragraph it lies in). This
module does not locate quotes (see `kit.grounding.citations`).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from pathlib import Path, PurePosixPath

from kit.corpus.files import MAX_BYTES, content_sha256, read_stored
from kit.corpus.markup import PageIndex
from kit.corpus.readers import extractor
from kit.corpus.view import TextView, Unit
from kit.types import Hit, SourceStatus


class SourceReader:
    """Reads stored files (as at ingest) to verify citations; caches each file once.

    `root` is the store's base folder: stored file names are relative to it (or absolute). A name
    that now leads out of its folder through a symlink is never read (see `status`), nor anything
    but a regular file of at most `max_bytes` (a FIFO, a device or a huge sparse file is
    `unreadable`, never a hang). `confined`: names from outside kit (a saved JSON given to
    `kit verify`) must stay inside `root` (no `..`), and an absolute name must be one of `stored`
    (a file the store records, ingested from outside its base); others are `outside`."""

    def __init__(self, root: Path | None, fallback_encoding: str = "cp1252", max_bytes: int = MAX_BYTES,
                 confined: bool = False, stored: frozenset[str] = frozenset(),
                 urls: Mapping[str, str] | None = None) -> None:
        self.root = root
        self.urls = dict(urls or {})  # web page snapshots: stored name -> the URL it was fetched from
        self.fallback = fallback_encoding
        self.max_bytes, self.confined, self.stored = max_bytes, confined, stored
        self._cache: dict[str, tuple[SourceStatus, TextView | None]] = {}
        self._pages: dict[str, PageIndex] = {}

    def text(self, rel: str) -> str | None:
        """The text spans count in (for HTML, the markup; for PDF and DOCX, the extracted text);
        None when the file cannot be read."""
        view = self._file(rel)[1]
        return None if view is None else view.raw

    def opening(self, rel: str, width: int = 400) -> str | None:
        """The first `width` characters of the file as ingest read it (for HTML, the page's text);
        None when the file cannot be read."""
        view = self._file(rel)[1]
        return None if view is None else view.text[:width]

    def at_span(self, rel: str, start: int, end: int) -> str | None:
        """What raw[start:end] of the file reads as, as ingest read it: the raw text itself, or for
        HTML the page's text there (None when the span starts or ends in markup)."""
        view = self._file(rel)[1]
        if view is None or view.page is None:
            return None if view is None else view.raw[start:end]
        return self._page(rel, view.raw).at(start, end)

    def context(self, rel: str, start: int, end: int, width: int) -> tuple[str, str, str] | None:
        """(before, at, after): what `at_span` reads, with up to `width` characters of the text as
        ingest read it on each side (for HTML, the page's text); None when `at_span` is None."""
        view = self._file(rel)[1]
        if view is None or view.page is None:
            if view is None:
                return None
            raw = view.raw
            return raw[max(0, start - width):start], raw[start:end], raw[end:end + width]
        return self._page(rel, view.raw).context(start, end, width)

    def where(self, rel: str, start: int) -> tuple[Unit, int] | None:
        """The page (PDF) or paragraph (DOCX), 1-based, where raw offset `start` of the file lies;
        None for other formats or a file that cannot be read."""
        view = self._file(rel)[1]
        return None if view is None else view.where(start)

    def url(self, rel: str) -> str | None:
        """The URL the stored file `rel` was fetched from, when it is a web page's snapshot."""
        return self.urls.get(rel)

    def placed(self, hit: Hit) -> Hit:
        """`hit` with the page (PDF) or paragraph (DOCX) its chunk starts in, or the URL of the web
        page it comes from; other files are not read."""
        if (url := self.url(hit.chunk.path)) is not None:
            hit = replace(hit, url=url)
        where = self.where(hit.chunk.path, hit.chunk.start) if extractor(hit.chunk.path) else None
        if where is None:
            return hit
        return replace(hit, page=where[1]) if where[0] == "page" else replace(hit, paragraph=where[1])

    def _page(self, rel: str, raw: str) -> PageIndex:
        if rel not in self._pages:
            self._pages[rel] = PageIndex(raw)
        return self._pages[rel]

    def status(self, rel: str, sha256: str | None = None) -> SourceStatus:
        """The file `rel` now, against `sha256` (the hash stored with its chunks, `Chunk.doc_sha256`)."""
        status, view = self._file(rel)
        if status is SourceStatus.OK and sha256 and view is not None \
                and content_sha256(view.raw, view.version) != sha256:
            return SourceStatus.CHANGED
        return status

    def _file(self, rel: str) -> tuple[SourceStatus, TextView | None]:
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
