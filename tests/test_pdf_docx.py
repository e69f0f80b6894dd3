"""PDF and DOCX sources: files made by real writers (tests/office_docs.py), ingested with text and
HTML files, asked about; every citation of a PDF names the page its quote is on and every citation
of a DOCX its paragraph. The checks here read the files independently of kit: PDF pages through
pypdf (kit reads them through PDFium), DOCX paragraphs straight from the archive's XML."""

from __future__ import annotations

import io
import json
import re
import shutil
import unicodedata
import zipfile
from collections.abc import Callable
from pathlib import Path
from xml.etree import ElementTree

import pytest

from bench.office_docs import HARBOUR, LIBRARY, RAILWAY, SERVICES, Written, write_docx, write_flowing_pdf, write_pdf
from kit.api import Kit
from kit.config import Settings
from kit.corpus.files import FoundFile, UnreadableFile, read_document
from kit.report import answer_html
from kit.types import Citation, IssueKind
from tests.helpers import SEEDS, kit_free_env, run_kit

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
QUESTIONS = ["When will the breakwater construction begin?", "How many books did visitors borrow last year?",
             "When was the steam locomotive built?", "Who reviewed the final figures?",
             "How much do tickets cost for adults?", "What did the librarian say about the catalogue?",
             "What time does the ferry to the island leave in winter?"]


def squeezed(text: str) -> str:
    """Text as two extractors agree on it: ligatures spelled out, no whitespace, no hyphens (pypdf keeps
    "regio-" + line break + "nal", PDFium joins it)."""
    return re.sub(r"[\s\-]", "", unicodedata.normalize("NFKC", text))


def pypdf_pages(path: Path) -> list[str]:
    import pypdf

    return [page.extract_text() or "" for page in pypdf.PdfReader(path).pages]


def xml_paragraphs(path: Path) -> list[str]:
    """Non-empty paragraphs and table rows of a DOCX's body, read from its XML."""
    body = ElementTree.fromstring(zipfile.ZipFile(path).read("word/document.xml")).find(f"{_W}body")
    assert body is not None
    out = []
    for child in body:
        if child.tag == f"{_W}p":
            text = "".join(t.text or "" for t in child.iter(f"{_W}t")).strip()
            out += [text] if text else []
        elif child.tag == f"{_W}tbl":
            out += [" | ".join("".join(t.text or "" for t in tc.iter(f"{_W}t")) for tc in tr.iter(f"{_W}tc"))
                    for tr in child.iter(f"{_W}tr")]
    return out


@pytest.fixture
def folder(tmp_path: Path) -> tuple[Path, list[Written]]:
    docs = tmp_path / "docs"
    docs.mkdir()
    shutil.copy(next(SEEDS.glob("*.txt")), docs / "news.txt")
    shutil.copy(Path(__file__).parent / "data" / "html" / "city_council.html", docs / "council.html")
    (docs / "notes.md").write_text("# Ferry notes\n\nThe ferry to the island leaves at 7:00 and 17:00 in winter.\n",
                                   encoding="utf-8")
    written = [write_pdf(docs / "bulletin.pdf", [HARBOUR, LIBRARY, RAILWAY], table=SERVICES),
               write_pdf(docs / "single.pdf", [RAILWAY[:3], HARBOUR[:3]], header="Museum notes", two_columns=False,
                         footnote=False, ligatures=False),
               write_docx(docs / "report.docx")]
    return docs, written


def test_every_known_sentence_is_extracted_verbatim_on_its_page_or_paragraph(folder: tuple[Path, list[Written]]
                                                                             ) -> None:
    _, written = folder
    settings = Settings()
    found = total = 0
    for w in written:
        doc, _ = read_document(FoundFile(w.path, w.path.name), settings)
        flat = doc.raw_text.replace("\n", " ")  # a PDF's lines are its page's lines
        for sentence, where in w.sentences:
            total += 1
            at = flat.find(sentence)
            found += at >= 0 and doc.raw_text[:at].count("\n\n") + 1 == where
    assert total == 46 and found / total >= 0.98, f"{found} of {total}"


def test_running_headers_and_page_numbers_are_left_out_and_the_footnote_kept(
        folder: tuple[Path, list[Written]]) -> None:
    docs, _ = folder
    doc, _ = read_document(FoundFile(docs / "bulletin.pdf", "bulletin.pdf"), Settings())
    assert "Riverton Civic Bulletin" not in doc.raw_text and "Page 2 of 3" not in doc.raw_text
    assert "1 The survey of residents" in doc.raw_text  # on page 1 only: not a running line
    assert "approximately" in doc.raw_text and "regional infrastructure" in doc.raw_text  # hyphenated words joined
    last_page = doc.raw_text.split("\n\n")[2].splitlines()
    assert [" ".join(row) for row in SERVICES] == last_page[-3:]  # a table's rows, one line each, on its page
    words = " ".join(doc.raw_text.split())
    assert "\ufb01" not in doc.raw_text and "the final figures" in words and "first season" in words  # ligatures


def cited(k: Kit) -> list[Citation]:
    return [c for q in QUESTIONS for c in k.ask(q).citations]


def test_citations_of_a_mixed_folder_name_the_page_or_paragraph_their_quote_is_on(
        folder: tuple[Path, list[Written]], make_kit: Callable[..., Kit]) -> None:
    docs, _ = folder
    k = make_kit()
    report = k.ingest(docs)
    assert report.files == 6 and not report.issues
    citations = cited(k)
    pdfs = [c for c in citations if c.path.endswith(".pdf")]
    words = [c for c in citations if c.path.endswith(".docx")]
    assert pdfs and words, [c.path for c in citations]
    for c in pdfs:
        pages = pypdf_pages(docs / Path(c.path).name)
        assert c.page is not None and c.paragraph is None
        assert squeezed(c.quote) in squeezed(pages[c.page - 1]), (c.page, c.quote)
    for c in words:
        paragraphs = xml_paragraphs(docs / Path(c.path).name)
        assert c.paragraph is not None and c.page is None
        first = c.quote.split("\n\n")[0]
        assert first in paragraphs[c.paragraph - 1], (c.paragraph, c.quote)
    others = [c for c in citations if c.path.endswith((".txt", ".md", ".html"))]
    assert any(c.path == "docs/notes.md" for c in others)
    assert all(c.page is None and c.paragraph is None for c in others)
    again = k.ingest(docs)  # a PDF and a DOCX read again give the same text, chunks and ids
    assert again.unchanged_files == 6 and again.added == again.embedded == 0
    assert k.doctor().verdict.value == "healthy"


def test_kit_verify_in_a_real_process_passes_pages_and_fails_a_wrong_one(folder: tuple[Path, list[Written]],
                                                                          tmp_path: Path) -> None:
    docs, _ = folder
    env = {**kit_free_env(), "KIT_EMBEDDER": "hash", "PYTHONPATH": str(Path(__file__).resolve().parents[1])}
    store = ["--store", str(tmp_path / ".kit")]
    assert run_kit(["ingest", str(docs), *store], env=env).returncode == 0
    asked = run_kit(["ask", "When was the steam locomotive built?", "--json", "--file", "docs/bulletin.pdf", *store],
                    env=env)
    data = json.loads(asked.stdout)
    assert data["citations"] and all(c["page"] == 3 for c in data["citations"]), data["citations"]
    assert data["provenance"]["readers"]["docs/bulletin.pdf"].startswith("kit pdf view 1, pypdfium2 ")
    saved = tmp_path / "answer.json"
    saved.write_text(json.dumps(data), encoding="utf-8")
    done = run_kit(["verify", str(saved)], env=env)
    assert done.returncode == 0 and "all checks pass" in done.stdout, done.stdout + done.stderr
    data["citations"][0]["page"] = 2
    saved.write_text(json.dumps(data), encoding="utf-8")
    done = run_kit(["verify", str(saved)], env=env)
    assert done.returncode == 1 and "citation [1] docs/bulletin.pdf" in done.stdout, done.stdout + done.stderr
    assert "no longer at its place (page 2) in docs/bulletin.pdf" in done.stdout


def test_reports_link_a_pdf_citation_to_its_page(folder: tuple[Path, list[Written]],
                                                 make_kit: Callable[..., Kit], tmp_path: Path) -> None:
    docs, _ = folder
    k = make_kit()
    k.ingest(docs)
    answer = k.ask("When was the steam locomotive built?", files=["docs/bulletin.pdf"])
    page = answer.citations[0].page
    assert page == 3 and f"bulletin.pdf#page={page}'" in answer_html(answer, links=k.file_links())
    (tmp_path / "out").mkdir()
    saved = answer.save(tmp_path / "out" / "answer.html").read_text(encoding="utf-8")
    assert f"href='../docs/bulletin.pdf#page={page}'" in saved  # a saved answer links its sources from where it is
    assert f"bulletin.pdf` page {page} [" in answer.to_markdown()
    hits = k.search("steam locomotive", files=["docs/bulletin.pdf", "docs/report.docx", "docs/news.txt"])
    assert {(h.chunk.path, h.page is not None, h.paragraph is not None) for h in hits} == {
        ("docs/bulletin.pdf", True, False), ("docs/report.docx", False, True), ("docs/news.txt", False, False)}
    first = next(h for h in hits if h.page)
    assert first.to_dict()["page"] == first.page and f"bulletin.pdf page {first.page} [" in str(first)


def bad_pdfs(docs: Path) -> dict[str, IssueKind]:
    """Broken PDFs and DOCX files next to good ones, and the kind of line each must get."""
    import pypdf
    from reportlab.pdfgen import canvas

    good = docs / "bulletin.pdf"
    writer = pypdf.PdfWriter(clone_from=good)
    writer.encrypt(user_password="secret", owner_password="owner")
    with (docs / "locked.pdf").open("wb") as out:
        writer.write(out)
    data = good.read_bytes()
    (docs / "truncated.pdf").write_bytes(data[:len(data) // 3])
    (docs / "zero.pdf").write_bytes(b"")
    scan = canvas.Canvas(str(docs / "scanned.pdf"))
    scan.rect(72, 72, 300, 500, fill=1)  # a page with a picture and no text layer
    scan.showPage()
    scan.save()
    (docs / "letter.docx").write_bytes(b"This is plain text saved with a .docx name.\n")
    bomb = io.BytesIO()
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", b"\0" * (300 * 1024 * 1024))
    (docs / "bomb.docx").write_bytes(bomb.getvalue())
    return {"docs/locked.pdf": IssueKind.ERROR, "docs/truncated.pdf": IssueKind.ERROR,
            "docs/zero.pdf": IssueKind.SKIPPED, "docs/scanned.pdf": IssueKind.SKIPPED,
            "docs/letter.docx": IssueKind.ERROR, "docs/bomb.docx": IssueKind.ERROR}


def test_bad_pdf_and_docx_files_get_one_line_each_and_the_rest_ingests(folder: tuple[Path, list[Written]],
                                                                        make_kit: Callable[..., Kit]) -> None:
    docs, _ = folder
    expected = bad_pdfs(docs)
    report = make_kit().ingest(docs)
    lines = {i.path: i for i in report.issues}
    assert {p: i.kind for p, i in lines.items()} == expected, [i.to_dict() for i in report.issues]
    assert len(report.issues) == len(expected)
    assert "encrypted" in lines["docs/locked.pdf"].reason and "OCR" in lines["docs/scanned.pdf"].reason
    assert "not a zip archive" in lines["docs/letter.docx"].reason and "zip bomb" in lines["docs/bomb.docx"].reason
    assert report.files == 6 + len(expected) and report.added > 0


def test_a_docx_zip_bomb_is_refused_before_anything_is_unzipped(tmp_path: Path) -> None:
    bomb = io.BytesIO()
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("word/document.xml", b"<" * (50 * 1024 * 1024))  # 50 MB, from about 50 KB
    path = tmp_path / "bomb.docx"
    path.write_bytes(bomb.getvalue())
    with pytest.raises(UnreadableFile, match="zip bomb"):
        read_document(FoundFile(path, "bomb.docx"), Settings())


def test_line_end_hyphens_are_joined_in_words_and_kept_before_and(tmp_path: Path) -> None:
    from reportlab.pdfgen import canvas

    path = tmp_path / "lines.pdf"
    pdf = canvas.Canvas(str(path))
    for k, line in enumerate(["The regio-", "nal plan has short-", "and long-term goals for Lyon-",
                              "Malmö ferries."]):
        pdf.drawString(72, 700 - 15 * k, line)
    pdf.showPage()
    pdf.save()
    doc, _ = read_document(FoundFile(path, "lines.pdf"), Settings())
    assert " ".join(doc.raw_text.split()) == "The regional plan has short- and long-term goals for Lyon-Malmö ferries."


def test_a_docx_citation_naming_another_paragraph_fails_its_check(folder: tuple[Path, list[Written]],
                                                                   make_kit: Callable[..., Kit]) -> None:
    from dataclasses import replace

    from kit.grounding.citations import verify

    docs, _ = folder
    k = make_kit()
    k.ingest(docs)
    c = k.ask("What did the librarian say about the catalogue?", files=["docs/report.docx"]).citations[0]
    reader = k.sources()
    assert c.paragraph == 13 and verify(c, reader).verified
    assert not verify(replace(c, paragraph=12), reader).verified
    assert not verify(replace(c, paragraph=None, page=1), reader).verified  # a DOCX has no pages


def test_a_pdf_read_by_an_older_reader_is_chunked_again(folder: tuple[Path, list[Written]],
                                                         make_kit: Callable[..., Kit],
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    from kit.corpus import pdf

    docs, _ = folder
    monkeypatch.setattr(pdf, "reader_version", lambda: "kit pdf view 0, pypdfium2 0")
    make_kit().ingest(docs)
    monkeypatch.undo()
    assert make_kit().doctor().verdict.value == "stale"
    again = make_kit().ingest(docs)
    assert again.unchanged_files == 6 and again.embedded == 0  # same text, same chunks: only their file hash renewed
    assert make_kit().doctor().verdict.value == "healthy"


def test_text_flowed_through_two_columns_reads_in_order_on_the_page_pypdf_finds_it_on(tmp_path: Path) -> None:
    """reportlab's layout engine breaks lines and columns itself: sentences run from one column (and
    page) into the next. Each must be whole in kit's text, on the page pypdf finds it on."""
    paragraphs = [" ".join(HARBOUR), " ".join(LIBRARY), " ".join(RAILWAY)] * 6
    path = write_flowing_pdf(tmp_path / "flow.pdf", paragraphs)
    pages = pypdf_pages(path)
    assert len(pages) >= 2
    doc, _ = read_document(FoundFile(path, "flow.pdf"), Settings())
    kit_pages = [" ".join(p.split()) for p in doc.raw_text.split("\n\n")]
    assert len(kit_pages) == len(pages) and not any("Riverton Civic Bulletin" in p for p in kit_pages)
    checked = 0
    for sentence in HARBOUR + LIBRARY + RAILWAY:
        on = [n for n, p in enumerate(pages) if squeezed(sentence) in squeezed(p)]
        assert on, sentence  # whole on some page, as pypdf reads it
        checked += 1
        assert all(sentence in kit_pages[n] for n in on), (sentence, on)
    assert checked == 18


@pytest.mark.parametrize("interleaved", [False, True])
def test_two_columns_read_column_by_column_whichever_order_the_writer_drew_them(tmp_path: Path,
                                                                                interleaved: bool) -> None:
    """A writer that draws a line of the left column, then one of the right, and so on: kit still reads
    the left column, then the right (its hyphenated words joined), the footnote across the page last."""
    w = write_pdf(tmp_path / "cols.pdf", [HARBOUR + LIBRARY, RAILWAY], interleaved=interleaved)
    doc, _ = read_document(FoundFile(w.path, "cols.pdf"), Settings())
    first = " ".join(doc.raw_text.split("\n\n")[0].split())
    assert first == " ".join(HARBOUR + LIBRARY) + " 1 The survey of residents was carried out by the university in May."
    assert not interleaved or "Page 1 of 2" not in doc.raw_text


def test_a_cited_pdf_damaged_later_fails_its_citation_without_stopping_the_check(
        folder: tuple[Path, list[Written]], make_kit: Callable[..., Kit]) -> None:
    from kit.grounding.citations import verify
    from kit.types import CitationProblem

    docs, _ = folder
    k = make_kit()
    k.ingest(docs)
    c = k.ask("When was the steam locomotive built?", files=["docs/bulletin.pdf"]).citations[0]
    data = (docs / "bulletin.pdf").read_bytes()
    (docs / "bulletin.pdf").write_bytes(data[: len(data) // 3])
    checked = verify(c, k.sources())
    assert not checked.verified and checked.problem is CitationProblem.SOURCE_MISSING
