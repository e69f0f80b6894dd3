"""PDF: the text layer of every page, read by PDFium (pypdfium2), as one text view.

Pages in order, each page's text in PDFium's reading order (the content stream's, which is how
typesetters write columns: the left one, then the right; a page whose stream interleaves two
columns line by line is read column by column, see `kit.corpus.columns`). Line ends become
"\\n"; a word PDFium found hyphenated at a line end (it marks the hyphen U+FFFE) is joined
("regio-" + "nal" is "regional"; "short-" + "and" keeps its hyphen and a space); ligature
glyphs are spelled out ("ﬁ" is "fi"); a line among the first or last two of at least half the
pages, digits aside ("Page 3 of 9"), is a running header or footer and is left out. Pages are
separated by a blank line, and the view's `starts` say where each begins, so a span's page is
where it starts. A PDF with no text layer (scanned), encrypted or damaged is an
`UnreadableFile`. This module does not OCR, nor read text drawn as images or form fields; a word
hyphenated at a line end by its own hyphen ("inter-" + "library") is joined too.
"""

from __future__ import annotations

import re
import threading
import unicodedata
from functools import cache
from importlib.metadata import version

from kit.corpus.columns import column_text
from kit.corpus.view import TextView, UnreadableFile
from kit.text import plural
from kit.types import IssueKind

# Bump when the text view of a PDF changes: a PDF's content hash carries it, so a sync re-chunks it.
VIEW_VERSION = 1
# Header and footer lines are looked for among this many lines at each end of a page.
_EDGE = 2
# PDFium is not thread-safe; a process reads one PDF at a time.
_LOCK = threading.Lock()
_LIGATURES = re.compile("[\ufb00-\ufb06]")
_CONTROLS = re.compile("[\x00-\x08\x0b-\x1f\x7f]")
# PDFium's mark for a hyphen it found at a line end (it has already joined the two lines).
_HYPHEN = re.compile("[\ufffe\x02]")
_SUSPENDED = re.compile(r"(and|or)\b")


@cache
def reader_version() -> str:
    """The extractor and its version, as the provenance and the content hash name it."""
    return f"kit pdf view {VIEW_VERSION}, pypdfium2 {version('pypdfium2')}"


def read_pdf(data: bytes, _fallback: str = "") -> TextView:
    """The text view of a PDF file's bytes (see the module docstring)."""
    if not data.strip():
        raise UnreadableFile("file is empty or holds only whitespace", IssueKind.SKIPPED)
    pages = _page_texts(data)
    kept = _drop_running_lines([_lines(page) for page in pages])
    texts = ["\n".join(lines) for lines in kept]
    if not any(t.strip() for t in texts):
        raise UnreadableFile(f"PDF has no text layer on any of its {plural(len(pages), 'page')} (scanned?); kit does "
                             "not OCR: run OCR (e.g. ocrmypdf) on it and ingest the result", IssueKind.SKIPPED)
    starts, at = [], 0
    for text in texts:
        starts.append(at)
        at += len(text) + 2  # the blank line between pages
    raw = "\n\n".join(texts)
    return TextView(raw, "utf-8", unit="page", starts=tuple(starts), cuts=tuple(starts[1:]),
                    version=reader_version(), web=False)


def _page_texts(data: bytes) -> list[str]:
    import pypdfium2 as pdfium

    with _LOCK:
        try:
            pdf = pdfium.PdfDocument(data)
        except pdfium.PdfiumError as exc:
            raise UnreadableFile(_open_problem(str(exc))) from None
        try:
            return [_page_text(pdf, i) for i in range(len(pdf))]
        except pdfium.PdfiumError as exc:
            raise UnreadableFile(f"damaged PDF: PDFium could not read a page ({exc}); save it again") from None
        finally:
            pdf.close()


def _page_text(pdf: object, i: int) -> str:
    page = pdf[i]  # type: ignore[index]
    try:
        textpage = page.get_textpage()
        try:
            width, height = page.get_size()
            return column_text(textpage, width, height) or str(textpage.get_text_range())
        finally:
            textpage.close()
    finally:
        page.close()


def _open_problem(message: str) -> str:
    if "password" in message.lower():
        return "encrypted PDF (it needs a password); save a copy without a password to ingest it"
    said = re.search(r"PDFium: ([^)]+)", message)  # "Failed to load document (PDFium: Data format error)."
    why = said.group(1).strip().lower() if said else message.strip().rstrip(".")
    return f"not a readable PDF ({why}); it may be truncated or damaged: save or export it again"


def _lines(page: str) -> list[str]:
    """A page's non-blank lines, hyphens at line ends joined, ligatures spelled out, controls removed."""
    text = page.replace("\r\n", "\n").replace("\r", "\n")
    text = _HYPHEN.sub(_hyphen, text)
    text = _LIGATURES.sub(lambda m: unicodedata.normalize("NFKC", m.group()), text)
    text = _CONTROLS.sub("", text)
    return [line.strip() for line in text.split("\n") if line.strip()]


def _hyphen(m: re.Match[str]) -> str:
    """Nothing between a letter and a lower-case letter ("regio|nal"), else a hyphen ("Gdańsk-|Malmö");
    a hyphen and a space before "and" or "or" (a suspended hyphen: "short- and long-term")."""
    before, after = m.string[m.start() - 1:m.start()], m.string[m.end():m.end() + 4]
    if _SUSPENDED.match(after):
        return "- "
    return "" if before.isalpha() and after[:1].islower() else "-"


def _drop_running_lines(pages: list[list[str]]) -> list[list[str]]:
    """Leave out headers and footers: lines at a page's edge that recur at the edge of half the pages."""
    if len(pages) < 2:
        return pages
    counts: dict[str, int] = {}
    for lines in pages:
        for key in {_key(line) for line in lines[:_EDGE] + lines[-_EDGE:]}:
            counts[key] = counts.get(key, 0) + 1
    floor = max(2, (len(pages) + 1) // 2)
    running = {key for key, n in counts.items() if n >= floor}
    return [_without(lines, running) for lines in pages]


def _without(lines: list[str], running: set[str]) -> list[str]:
    edge = set(range(min(_EDGE, len(lines)))) | set(range(max(0, len(lines) - _EDGE), len(lines)))
    return [line for k, line in enumerate(lines) if k not in edge or _key(line) not in running]


def _key(line: str) -> str:
    return re.sub(r"\d+", "#", line).casefold()
