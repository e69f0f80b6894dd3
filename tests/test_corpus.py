"""Finding, reading and decoding files: each function of kit.corpus.files on its own."""

from __future__ import annotations

import codecs
import hashlib
import os
from pathlib import Path

import pytest

from kit.config import Settings
from kit.corpus.files import FoundFile, UnreadableFile, decode, read_document, scan
from kit.corpus.markup import page_text
from kit.types import IssueKind
from tests.helpers import SEED_FILES, SEEDS

TEXT = "Café owners in Lyon reported “record” sales of crème brûlée.\n"


@pytest.fixture
def plain() -> Settings:
    return Settings.load(environ={})


def write(folder: Path, name: str, data: bytes | str) -> Path:
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(data, str):
        path.write_text(data, encoding="utf-8")
    else:
        path.write_bytes(data)
    return path


# -- decode ------------------------------------------------------------------------------------

@pytest.mark.parametrize("data, encoding", [
    (TEXT.encode("utf-8"), "utf-8"),
    (codecs.BOM_UTF8 + TEXT.encode("utf-8"), "utf-8-sig"),
    (TEXT.encode("utf-16"), "utf-16"),  # with its BOM
    (codecs.BOM_UTF16_BE + TEXT.encode("utf-16-be"), "utf-16"),
    (TEXT.encode("utf-32"), "utf-32"),
    (TEXT.encode("cp1252"), "cp1252"),
])
def test_decode_known_encodings(data: bytes, encoding: str) -> None:
    assert decode(data, "cp1252") == (TEXT, encoding)


def test_decode_latin1_falls_back_to_cp1252() -> None:
    text = "Ça va? Über Zürich, señor, à bientôt.\n"
    assert decode(text.encode("latin-1"), "cp1252") == (text, "cp1252")


def test_invalid_utf8_from_word_smart_quotes() -> None:
    assert decode(b"\x93Quoted\x94 and \x96 dashed", "cp1252") == ("“Quoted” and – dashed", "cp1252")


def test_bytes_neither_utf8_nor_fallback() -> None:
    with pytest.raises(UnreadableFile, match=r"neither UTF-8 nor cp1252.*KIT_FALLBACK_ENCODING"):
        decode(b"text \x81\x8d\x8f\x90\x9d more", "cp1252")
    assert decode(b"text \x81 more", "latin-1") == ("text \x81 more", "latin-1")  # the setting helps


def test_unknown_fallback_encoding_is_an_unreadable_file() -> None:
    with pytest.raises(UnreadableFile, match="no-such-codec"):
        decode(b"caf\xe9", "no-such-codec")


def test_broken_utf16_after_bom() -> None:
    with pytest.raises(UnreadableFile, match="byte-order mark"):
        decode(codecs.BOM_UTF16_LE + "ok".encode("utf-16-le") + b"\x00\xd8", "cp1252")


@pytest.mark.parametrize("data", [
    b"abc\x00def",
    "no BOM here".encode("utf-16-le"),
    bytes(range(1, 9)) * 50 + b"some text",
])
def test_binary_is_refused(data: bytes) -> None:
    with pytest.raises(UnreadableFile, match="binary"):
        decode(data, "cp1252")


def test_a_few_control_characters_are_still_text() -> None:
    text = "Bell \x07 and escape \x1b[1m in an otherwise normal sentence about tides.\n"
    assert decode(text.encode(), "cp1252") == (text, "utf-8")


# -- scan ---------------------------------------------------------------------------------------

def test_scan_finds_seeds_sorted(plain: Settings) -> None:
    found = scan(SEEDS, plain)
    assert [c.rel for c in found.candidates] == SEED_FILES and found.issues == []
    assert all(c.path.is_absolute() for c in found.candidates)


def test_scan_of_a_missing_folder(tmp_path: Path, plain: Settings) -> None:
    with pytest.raises(FileNotFoundError, match="not a folder"):
        scan(tmp_path / "missing", plain)


def test_scan_of_a_single_file(tmp_path: Path, plain: Settings) -> None:
    found = scan(write(tmp_path, "file.txt", "x"), plain)
    assert [c.rel for c in found.candidates] == ["file.txt"] and found.issues == []
    odd = scan(write(tmp_path, "slides.pptx", "x"), plain)
    assert odd.candidates == [] and [(i.path, i.kind) for i in odd.issues] == [("slides.pptx", IssueKind.SKIPPED)]


def test_scan_reports_hidden_entries_and_other_types_as_skipped(tmp_path: Path, plain: Settings) -> None:
    write(tmp_path, "a.txt", "a")
    write(tmp_path, "B.MD", "b")  # extensions match case-insensitively
    write(tmp_path, "page.htm", "<p>c</p>")
    write(tmp_path, ".hidden.txt", "h")
    write(tmp_path, ".git/config.txt", "g")
    write(tmp_path, "image.png", b"\x89PNG")
    write(tmp_path, "notes", "no extension")
    found = scan(tmp_path, plain)
    assert [c.rel for c in found.candidates] == ["B.MD", "a.txt", "page.htm"]
    reasons = {i.path: i.reason for i in found.issues}
    assert set(reasons) == {".hidden.txt", ".git", "image.png", "notes"}  # one line for the hidden folder
    assert all(i.kind is IssueKind.SKIPPED for i in found.issues)
    assert reasons[".git"] == "hidden folder; skipped" and reasons[".hidden.txt"] == "hidden file; skipped"
    assert "not a supported file type (.png" in reasons["image.png"] and "no extension" in reasons["notes"]


def test_scan_leaves_the_ignored_folder_out_silently(tmp_path: Path, plain: Settings) -> None:
    write(tmp_path, "a.txt", "a")
    write(tmp_path, ".kit/kit-store.json", "{}")
    found = scan(tmp_path, plain, ignore=tmp_path / ".kit")
    assert [c.rel for c in found.candidates] == ["a.txt"] and found.issues == []


def test_scan_walks_a_folder_1100_levels_deep(tmp_path: Path, plain: Settings) -> None:
    levels = [tmp_path / ("d/" * n).rstrip("/") for n in range(1, 1101)]  # past Python's recursion limit
    for folder in levels:  # mkdir(parents=True), like shutil.rmtree, would itself recurse
        os.mkdir(folder)
    try:
        write(levels[-1], "bottom.txt", "found")
        write(tmp_path, "top.txt", "top")
        found = scan(tmp_path, plain)
        assert [c.rel for c in found.candidates] == ["/".join(["d"] * 1100) + "/bottom.txt", "top.txt"]
    finally:
        remove_deep(levels)


def remove_deep(levels: list[Path]) -> None:
    """Delete nested folders bottom up (pytest's clean-up of tmp_path recurses once per level)."""
    for folder in reversed(levels):
        for entry in folder.iterdir():
            if not entry.is_dir():
                entry.unlink()
        folder.rmdir()


def test_scan_respects_the_extensions_setting(tmp_path: Path) -> None:
    write(tmp_path, "a.txt", "a")
    write(tmp_path, "b.rst", "b")
    found = scan(tmp_path, Settings.load(environ={"KIT_EXTENSIONS": ".rst"}))
    assert [c.rel for c in found.candidates] == ["b.rst"]


def test_scan_resolves_dot_dot(tmp_path: Path, plain: Settings) -> None:
    write(tmp_path, "docs/a.txt", "a")
    (tmp_path / "docs" / "sub").mkdir()
    found = scan(tmp_path / "docs" / "sub" / "..", plain)
    assert [c.rel for c in found.candidates] == ["a.txt"]
    assert found.candidates[0].path == (tmp_path / "docs" / "a.txt").resolve()


def test_scan_reports_links_and_special_files(tmp_path: Path, plain: Settings) -> None:
    docs = tmp_path / "docs"
    target = write(docs, "real.txt", "real")
    outside = write(tmp_path, "outside/secret.txt", "secret")
    os.symlink(target, docs / "inside.txt")
    os.symlink(outside, docs / "outside.txt")
    os.symlink(tmp_path / "outside", docs / "outside_dir")
    os.symlink(docs / "gone.txt", docs / "broken.txt")
    os.symlink("loop.txt", docs / "loop.txt")
    os.mkfifo(docs / "pipe.txt")
    with open(os.path.join(os.fsencode(docs), b"caf\xe9.txt"), "wb") as f:
        f.write(b"latin-1 name")
    found = scan(docs, plain)
    assert [c.rel for c in found.candidates] == ["real.txt"]
    reasons = {i.path: i.reason for i in found.issues}
    assert set(reasons) == {"inside.txt", "outside.txt", "outside_dir", "broken.txt", "loop.txt", "pipe.txt",
                            "caf\ufffd.txt"}
    assert "inside the folder" in reasons["inside.txt"]
    assert "outside the folder" in reasons["outside.txt"] and "outside the folder" in reasons["outside_dir"]
    assert "broken symlink" in reasons["broken.txt"]
    assert "loop" in reasons["loop.txt"]
    assert "not a regular file" in reasons["pipe.txt"]
    assert "not valid UTF-8" in reasons["caf\ufffd.txt"]
    kinds = {i.path: i.kind for i in found.issues}
    assert kinds.pop("caf\ufffd.txt") is IssueKind.ERROR and set(kinds.values()) == {IssueKind.SKIPPED}


def test_scan_checks_size_only_for_ingested_types(tmp_path: Path) -> None:
    tiny = Settings.load(environ={}, max_file_mb=0.001)  # about 1 KB
    write(tmp_path, "big.txt", "x" * 5000)
    write(tmp_path, "big.png", b"x" * 5000)
    write(tmp_path, "small.txt", "x" * 500)
    found = scan(tmp_path, tiny)
    assert [c.rel for c in found.candidates] == ["small.txt"]
    assert [(i.path, "max_file_mb" in i.reason) for i in found.issues] == [("big.png", False), ("big.txt", True)]


# -- read_document --------------------------------------------------------------------------------

def test_read_document_of_a_seed(plain: Settings) -> None:
    name = SEED_FILES[0]
    doc, notes = read_document(FoundFile(SEEDS / name, name), plain)
    raw = (SEEDS / name).read_text(encoding="utf-8")
    assert notes == [] and doc.encoding == "utf-8" and doc.path == name
    assert doc.raw_text == raw
    assert doc.sha256 == hashlib.sha256(raw.encode()).hexdigest()
    assert doc.spans and doc.removed


def test_same_text_same_hash_whatever_the_encoding(tmp_path: Path, plain: Settings) -> None:
    a = write(tmp_path, "a.txt", TEXT.encode("utf-8"))
    b = write(tmp_path, "b.txt", TEXT.encode("utf-16"))
    doc_a, notes_a = read_document(FoundFile(a, "a.txt"), plain)
    doc_b, notes_b = read_document(FoundFile(b, "b.txt"), plain)
    assert doc_a.sha256 == doc_b.sha256 and doc_a.raw_text == doc_b.raw_text == TEXT
    assert notes_a == [] and notes_b == ["decoded as utf-16"]


@pytest.mark.parametrize("data, reason", [
    (b"", "empty"),
    (b" \n\t\r\n  ", "empty"),
    (b"Share\nAdvertisement\nLeave a Reply\n", "only boilerplate"),
])
def test_read_document_refuses_files_with_nothing_to_index(tmp_path: Path, plain: Settings, data: bytes,
                                                           reason: str) -> None:
    path = write(tmp_path, "x.txt", data)
    with pytest.raises(UnreadableFile, match=reason):
        read_document(FoundFile(path, "x.txt"), plain)


def test_read_document_of_a_vanished_file(tmp_path: Path, plain: Settings) -> None:
    with pytest.raises(UnreadableFile, match="vanished"):
        read_document(FoundFile(tmp_path / "gone.txt", "gone.txt"), plain)


PAGE = """<html><head><title>Glaciers</title></head><body>
<nav><a href="/">Home</a> | <a href="/about">About us</a></nav>
<article><h1>Glacier retreat measured</h1>
<p>The Perito Moreno glacier lost two hundred metres of ice front during the record warm summer,
scientists from the university in Mendoza reported on Monday.</p>
<p>They measured the retreat with drones and satellite images over six months.</p></article>
<footer>Copyright 2024 Example Media Group. All rights reserved.</footer>
</body></html>"""


def test_page_text_keeps_the_article_and_drops_navigation() -> None:
    text = page_text(PAGE).text
    assert "Perito Moreno glacier lost two hundred metres" in text
    assert "satellite images" in text
    assert "<p>" not in text and "About us" not in text and "All rights reserved" not in text


def test_html_document_spans_point_into_the_markup(tmp_path: Path, plain: Settings) -> None:
    path = write(tmp_path, "page.html", PAGE)
    doc, _ = read_document(FoundFile(path, "page.html"), plain)
    assert doc.raw_text == PAGE and doc.text == page_text(PAGE).text
    assert all(doc.text[s.start:s.end].strip() for s in doc.spans)
    start, end = doc.raw_span(doc.spans[1].start, doc.spans[1].end)
    assert PAGE[start:end].startswith("The Perito Moreno") and PAGE[start:end].endswith("on Monday.")


def test_html_without_content_is_refused(tmp_path: Path, plain: Settings) -> None:
    path = write(tmp_path, "empty.html", "<html><body><nav>Home</nav></body></html>")
    with pytest.raises(UnreadableFile):
        read_document(FoundFile(path, "empty.html"), plain)
