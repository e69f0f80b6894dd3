"""A file's text view: the text kit reads from a file, and what a span of a stored file counts in.

Every reader (one per file format, see `kit.corpus.readers`) turns a file's bytes into a
`TextView`. `raw` is the text spans count in, and what a citation's `[start:end]` indexes: the
decoded file for plain text and Markdown, the markup for HTML (whose `page` reads it as text),
and for PDF and DOCX the text the reader extracted (the file itself holds no text to count in).
`starts` places each page (PDF) or paragraph (DOCX) in `raw`, so a span's page or paragraph is
derived from where it starts, never stored apart from it. This module reads no files.
"""

from __future__ import annotations

import codecs
from bisect import bisect_right
from dataclasses import dataclass
from typing import Literal

from kit.corpus.markup import PageText
from kit.types import IssueKind

Unit = Literal["page", "paragraph"]

_BOMS = ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF32_LE, "utf-32"), (codecs.BOM_UTF32_BE, "utf-32"),
         (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16"))


class UnreadableFile(Exception):
    """A file that cannot become a Document; the message is the reason, `kind` how serious it is."""

    def __init__(self, reason: str, kind: IssueKind = IssueKind.ERROR) -> None:
        super().__init__(reason)
        self.kind = kind


@dataclass(frozen=True)
class TextView:
    """What a reader made of a file (see the module docstring)."""

    raw: str
    encoding: str = "utf-8"
    page: PageText | None = None  # HTML: the page's text, mapped back to the markup in `raw`
    unit: Unit | None = None  # what `starts` counts: PDF pages, DOCX paragraphs
    starts: tuple[int, ...] = ()  # offset in `raw` where each unit starts, in order
    cuts: tuple[int, ...] = ()  # offsets no chunk spans: where a PDF page or a DOCX heading starts
    version: str = ""  # the reader and its version, when `raw` is not the file's own text
    web: bool = True  # cleaned as a web page (menus, appeals, comments); False: a document's own text

    @property
    def text(self) -> str:
        """What cleaning and chunking read: the page's text for HTML, else `raw` itself."""
        return self.page.text if self.page else self.raw

    @property
    def breaks(self) -> tuple[int, ...]:
        """Offsets in `text` no chunk spans: where HTML left markup out, or the reader's `cuts`."""
        return self.page.breaks if self.page else self.cuts

    def where(self, offset: int) -> tuple[Unit, int] | None:
        """The page or paragraph (1-based) holding raw offset `offset`; None for formats without one."""
        if self.unit is None or not self.starts:
            return None
        return self.unit, max(1, bisect_right(self.starts, offset))


def decode(data: bytes, fallback: str) -> tuple[str, str]:
    """Decode bytes: a BOM wins, then UTF-8, then the declared fallback encoding."""
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                return data.decode(encoding), encoding
            except UnicodeDecodeError:
                raise UnreadableFile(f"starts with a {encoding} byte-order mark but is not valid {encoding}") from None
    if _looks_binary(data):
        raise UnreadableFile("binary file (NUL or control bytes); only text files are ingested")
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    try:
        return data.decode(fallback), fallback
    except (UnicodeDecodeError, LookupError):
        raise UnreadableFile(
            f"neither UTF-8 nor {fallback}; convert it to UTF-8 or set KIT_FALLBACK_ENCODING") from None


def _looks_binary(data: bytes) -> bool:
    head = data[:8192]
    if b"\x00" in head:
        return True
    controls = sum(b < 9 or 13 < b < 32 for b in head)
    return len(head) > 0 and controls / len(head) > 0.3
