"""Readers: one per file format, picked by the file name's suffix, each turning bytes into a `TextView`.

A new format is one module with a `read(data, fallback_encoding) -> TextView` function and one line
in `READERS` (and one in `EXTRACTORS` when its text is extracted rather than written in the file).
A suffix with no reader of its own (one added to `extensions`, such as `.rst`) is read as plain
text. Readers raise `UnreadableFile` with the reason a user can act on; they never read the disk
(the caller passes the bytes), so ingest and `kit verify` read a file the same way.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import PurePosixPath

from kit.corpus import docx, pdf
from kit.corpus.markup import VIEW_VERSION, page_text
from kit.corpus.view import TextView, decode

Reader = Callable[[bytes, str], TextView]


def read_plain(data: bytes, fallback: str) -> TextView:
    """Plain text and Markdown: the decoded file is its own view."""
    text, encoding = decode(data, fallback)
    return TextView(text, encoding)


def read_html(data: bytes, fallback: str) -> TextView:
    """An HTML page: the markup, read through its text view (see `kit.corpus.markup`)."""
    text, encoding = decode(data, fallback)
    return TextView(text, encoding, page=page_text(text), version=f"kit-html-view-{VIEW_VERSION}")


READERS: dict[str, Reader] = {
    ".html": read_html, ".htm": read_html,
    ".pdf": pdf.read_pdf,
    ".docx": docx.read_docx,
}
# Formats whose text is extracted rather than written in the file: what extracts it, with its version.
EXTRACTORS: dict[str, Callable[[], str]] = {".pdf": pdf.reader_version, ".docx": docx.reader_version}


def reader_for(name: str) -> Reader:
    """The reader of the file `name` (by its suffix, any case); plain text when none is registered."""
    return READERS.get(PurePosixPath(name).suffix.lower(), read_plain)


def read_view(name: str, data: bytes, fallback: str) -> TextView:
    """The text view of the file `name` holding `data`."""
    return reader_for(name)(data, fallback)



def extractor(name: str) -> str | None:
    """What extracts the text of the file `name` (PDF, DOCX), for provenance; None for a text format."""
    version = EXTRACTORS.get(PurePosixPath(name).suffix.lower())
    return version() if version else None
