"""PDF reading: how many known sentences come out verbatim and on their page, and how fast.

PDFs are written with reportlab (bench/office_docs.py) from the paragraphs of the SQuAD 2.0 dev
half (`../shared/data/squad2_dev_half`): one article per PDF, a few paragraphs per page, the first
page in two columns with a footnote, a running header and "Page N of M" on every page, long words
hyphenated at line ends and "fi"/"fl" drawn as ligature glyphs. Every sentence (`kit.text.sentences`)
of a page is a known sentence of that page.

Compared in the same run, on the same files:
- fidelity: the share of known sentences found in the extracted text of their page, whitespace
  collapsed (kit: PDFium through `kit.corpus.pdf`; pypdf's `extract_text`, which `PyPDFLoader` uses);
- speed: pages per second of kit's ingest reading (`read_document`, then `chunk_document`: 800
  characters, 120 overlap) against LangChain's `PyPDFLoader(...).load()` then the same splitter
  (`RecursiveCharacterTextSplitter(800, 120)`, the one kit splits blocks with); best of `--repeats`.

    python -m bench.run_pdf [--articles 16] [--repeats 3]

Markdown table on stdout; numbers to bench/results/pdf.json.
"""

from __future__ import annotations

import argparse
import json
import platform
import re
import sys
import tempfile
import time
import unicodedata
from collections.abc import Callable
from pathlib import Path

from bench.office_docs import Written, write_pdf
from kit.config import Settings
from kit.corpus.chunking import chunk_document
from kit.corpus.files import FoundFile, read_document
from kit.text import sentences

SQUAD = Path(__file__).resolve().parents[2] / "shared" / "data" / "squad2_dev_half" / "dev-v2.0.json"
RESULTS = Path(__file__).resolve().parent / "results" / "pdf.json"
# About 1,400 characters a page: a page in two columns (about 40 characters a line) stays on the page.
_PAGE_CHARS = 1400


def chapters(article: dict[str, object]) -> list[list[str]]:
    """An article's sentences packed into pages of at most `_PAGE_CHARS` characters."""
    pages: list[list[str]] = [[]]
    for paragraph in article["paragraphs"]:  # type: ignore[attr-defined]
        for sentence in sentences(paragraph["context"]):
            s = " ".join(sentence.text.split())
            if len(s) > 400:  # a run-on "sentence" (a list) would overflow a column
                continue
            if sum(map(len, pages[-1])) + len(s) > _PAGE_CHARS:
                pages.append([])
            pages[-1].append(s)
    return [p for p in pages if p]


def write_corpus(folder: Path, n: int) -> list[Written]:
    articles = json.loads(SQUAD.read_text(encoding="utf-8"))["data"][:n]
    return [write_pdf(folder / f"{k:02d}.pdf", chapters(a), header=f"Encyclopaedia extract: {a['title']}")
            for k, a in enumerate(articles)]


def flat(text: str) -> str:
    return " ".join(unicodedata.normalize("NFC", text).split())


def kit_pages(path: Path) -> list[str]:
    doc, _ = read_document(FoundFile(path, path.name), Settings.load({}))
    return doc.raw_text.split("\n\n")


def pypdf_pages(path: Path) -> list[str]:
    import pypdf

    return [page.extract_text() or "" for page in pypdf.PdfReader(path).pages]


def pypdf_repaired(path: Path) -> list[str]:
    """pypdf's pages with the repairs kit makes: ligatures spelled out, "regio-" + line end + "nal" joined."""
    return [re.sub(r"(?<=[^\W\d_])-\n(?=[a-z])", "", unicodedata.normalize("NFKC", p)) for p in pypdf_pages(path)]


def fidelity(written: list[Written], pages_of: Callable[[Path], list[str]]) -> dict[str, float]:
    found = total = 0
    for w in written:
        pages = [flat(p) for p in pages_of(w.path)]
        for sentence, page in w.sentences:
            total += 1
            found += page <= len(pages) and flat(sentence) in pages[page - 1]
    return {"sentences": total, "verbatim_on_page": found, "share": round(found / total, 4)}


def kit_ingest(paths: list[Path]) -> int:
    settings = Settings.load({})
    chunks = 0
    for path in paths:
        doc, _ = read_document(FoundFile(path, path.name), settings)
        chunks += len(chunk_document(doc, settings.chunk_size, settings.chunk_overlap))
    return chunks


def langchain_ingest(paths: list[Path]) -> int:
    from langchain_community.document_loaders import PyPDFLoader
    from langchain_text_splitters import RecursiveCharacterTextSplitter

    splitter = RecursiveCharacterTextSplitter(chunk_size=800, chunk_overlap=120)
    return sum(len(splitter.split_documents(PyPDFLoader(str(path)).load())) for path in paths)


def timed(run: Callable[[list[Path]], int], paths: list[Path], pages: int, repeats: int) -> dict[str, float]:
    best, chunks = float("inf"), 0
    for _ in range(repeats):
        started = time.perf_counter()
        chunks = run(paths)
        best = min(best, time.perf_counter() - started)
    return {"seconds": round(best, 3), "pages_per_s": round(pages / best, 1), "chunks": chunks}


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=16)
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        written = write_corpus(Path(tmp), args.articles)
        paths = [w.path for w in written]
        pages = sum(max(p for _, p in w.sentences) for w in written)
        print(f"{len(paths)} PDFs, {pages} pages", file=sys.stderr)
        fidelities = {"kit (pypdfium2)": fidelity(written, kit_pages), "pypdf": fidelity(written, pypdf_pages),
                      "pypdf, repaired as kit repairs": fidelity(written, pypdf_repaired)}
        speeds = {"kit": timed(kit_ingest, paths, pages, args.repeats),
                  "langchain PyPDFLoader": timed(langchain_ingest, paths, pages, args.repeats)}
    result = {"pdfs": len(paths), "pages": pages, "fidelity": fidelities, "speed": speeds,
              "python": platform.python_version()}
    RESULTS.parent.mkdir(exist_ok=True)
    RESULTS.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    print("| reader | sentences verbatim on their page |\n|---|---|")
    for name, f in fidelities.items():
        print(f"| {name} | {f['verbatim_on_page']}/{f['sentences']} ({f['share']:.1%}) |")
    print("\n| pipeline | pages/s (read + chunk) | chunks |\n|---|---|---|")
    for name, s in speeds.items():
        print(f"| {name} | {s['pages_per_s']} | {s['chunks']} |")


if __name__ == "__main__":
    main()
