"""DOCX: a Word document's body as one text view, one paragraph per block (python-docx).

In document order: every non-empty paragraph (a heading too) and every table row, the row's cells
joined by " | " (a cell merged across columns once). Blocks are separated by a blank line and the
view's `starts` say where each begins, so a span's paragraph (1-based, counted as above) is where it
starts; a heading starts a section no chunk crosses. A file that is not a zip archive, that would
unzip to more than `_MAX_UNZIPPED` bytes or `_MAX_RATIO` times its size (a zip bomb), or that
python-docx cannot read is an `UnreadableFile`, found before anything is unzipped. This module does
not read headers, footers, footnotes, comments or text boxes, nor older `.doc` files.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterator
from functools import cache
from importlib.metadata import version
from typing import Any

from kit.corpus.view import TextView, UnreadableFile
from kit.types import IssueKind

VIEW_VERSION = 1  # bump when the view changes: the content hash carries it, so a sync re-chunks DOCX files
# Word documents of a few hundred pages unzip to tens of MB; text compresses about 10:1.
_MAX_UNZIPPED = 200 * 1024 * 1024
_MAX_RATIO = 200
_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


@cache
def reader_version() -> str:
    """The extractor and its version, as the provenance and the content hash name it."""
    return f"kit docx view {VIEW_VERSION}, python-docx {version('python-docx')}"


def read_docx(data: bytes, _fallback: str = "") -> TextView:
    """The text view of a DOCX file's bytes (see the module docstring)."""
    if not data.strip():
        raise UnreadableFile("file is empty or holds only whitespace", IssueKind.SKIPPED)
    _check_archive(data)
    import docx

    try:
        document = docx.Document(io.BytesIO(data))
        blocks = list(_blocks(document))
    except Exception as exc:  # python-docx raises KeyError, ValueError, lxml errors... on a damaged package
        raise UnreadableFile(f"damaged DOCX ({type(exc).__name__}: {exc}); open it and save it again") from None
    if not blocks:
        raise UnreadableFile("DOCX holds no text in its body", IssueKind.SKIPPED)
    starts, cuts, at = [], [], 0
    for text, heading in blocks:
        starts.append(at)
        if heading and at:
            cuts.append(at)
        at += len(text) + 2
    return TextView("\n\n".join(t for t, _ in blocks), "utf-8", unit="paragraph", starts=tuple(starts),
                    cuts=tuple(cuts), version=reader_version(), web=False)


def _check_archive(data: bytes) -> None:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            entries = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError):
        raise UnreadableFile("not a DOCX file (not a zip archive); open it and save it as .docx again") from None
    if "word/document.xml" not in {e.filename for e in entries}:
        raise UnreadableFile("not a DOCX file (no word/document.xml in the archive)")
    unzipped = sum(e.file_size for e in entries)
    if unzipped > _MAX_UNZIPPED or unzipped > _MAX_RATIO * max(len(data), 1):
        raise UnreadableFile(f"would unzip to {unzipped / 1024 / 1024:.0f} MB from {len(data) / 1024:.0f} KB "
                             "(a zip bomb?); not read")


def _blocks(document: Any) -> Iterator[tuple[str, bool]]:
    """(text, is a heading) of each non-empty paragraph and each table row, in document order."""
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    for child in document.element.body.iterchildren():
        if child.tag == f"{_W}p":
            paragraph = Paragraph(child, document)
            text = _flat(paragraph.text)
            if text:
                yield text, paragraph.style is not None and paragraph.style.name.startswith(("Heading", "Title"))
        elif child.tag == f"{_W}tbl":
            yield from ((row, False) for row in _rows(Table(child, document)))


def _rows(table: Any) -> Iterator[str]:
    for row in table.rows:
        cells, seen = [], set()
        for cell in row.cells:
            if id(cell._tc) not in seen:  # a merged cell is listed once per column it spans
                seen.add(id(cell._tc))
                cells.append(_flat(cell.text))
        if any(cells):
            yield " | ".join(cells)


def _flat(text: str) -> str:
    """A block's text on one line: line breaks and tabs inside it become spaces."""
    return " ".join(text.replace("\t", " ").split())
