"""Find, read, decode and clean the documents of a folder.

Every file that cannot be used becomes a `FileIssue` naming the file and the reason; it never
stops the rest. This module does not chunk, embed or store anything.
"""

from __future__ import annotations

import codecs
import hashlib
import os
import stat
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from kit.cleaning import clean
from kit.config import Settings
from kit.types import Document, FileIssue

_BOMS = ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF32_LE, "utf-32"), (codecs.BOM_UTF32_BE, "utf-32"),
         (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16"))
_HTML_SUFFIXES = (".html", ".htm")


@dataclass(frozen=True)
class Candidate:
    """A regular file under the corpus folder, not yet read."""

    path: Path
    rel: str


@dataclass(frozen=True)
class Scan:
    """Files to read, and the ones already rejected while walking the folder."""

    candidates: list[Candidate]
    issues: list[FileIssue]


def scan(root: Path, settings: Settings) -> Scan:
    """Walk `root` (hidden entries skipped, symlinks never followed out of it)."""
    root = root.resolve()
    if not root.is_dir():
        raise FileNotFoundError(f"{root} is not a folder; pass the folder that holds your documents")
    candidates: list[Candidate] = []
    issues: list[FileIssue] = []
    for path in _walk(root):
        rel = _relative_name(path, root)
        problem = _entry_problem(path, root, rel, settings)
        if problem:
            issues.append(FileIssue(rel, problem))
        elif path.suffix.lower() in settings.extensions:
            candidates.append(Candidate(path, rel))
    return Scan(sorted(candidates, key=lambda c: c.rel), issues)


def _walk(root: Path) -> Iterator[Path]:
    for dirpath, dirnames, filenames in os.walk(root, followlinks=False):
        dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
        for name in sorted(filenames):
            if not name.startswith("."):
                yield Path(dirpath) / name
        for name in dirnames:
            if os.path.islink(os.path.join(dirpath, name)):
                yield Path(dirpath) / name


def _relative_name(path: Path, root: Path) -> str:
    rel = path.relative_to(root).as_posix()
    try:
        rel.encode("utf-8")
    except UnicodeEncodeError:
        return rel.encode("utf-8", "surrogateescape").decode("utf-8", "replace")
    return rel


def _entry_problem(path: Path, root: Path, rel: str, settings: Settings) -> str | None:
    try:
        info = path.lstat()
    except FileNotFoundError:
        return "vanished while the folder was scanned"
    if stat.S_ISLNK(info.st_mode):
        try:
            target = path.resolve()
        except (RuntimeError, OSError):  # a symlink loop: RuntimeError on 3.11, OSError on 3.13
            return "symlink loop (the link points back to itself); skipped"
        if not target.exists():
            return f"broken symlink (its target {target} does not exist); skipped"
        if not target.is_relative_to(root):
            return f"symlink pointing outside the folder (to {target}); copy the file in to ingest it"
        return "symlink inside the folder; its target is ingested under its own name"
    if not stat.S_ISREG(info.st_mode):
        return "not a regular file (FIFO, socket or device); skipped"
    if "\ufffd" in rel:
        return "file name is not valid UTF-8; rename the file to ingest it"
    if path.suffix.lower() not in settings.extensions:
        return None  # other file types are ignored silently, like hidden files
    if info.st_size > settings.max_file_mb * 1024 * 1024:
        size_mb = info.st_size / 1024 / 1024
        limit = settings.max_file_mb
        return f"file is {size_mb:.1f} MB, over max_file_mb={limit:g}; raise KIT_MAX_FILE_MB to ingest it"
    return None


class UnreadableFile(Exception):
    """A file that cannot become a Document; the message is the reason."""


def read_document(candidate: Candidate, settings: Settings) -> tuple[Document, list[str]]:
    """Read, decode and clean one file. Returns the document and notes about it."""
    try:
        data = candidate.path.read_bytes()
    except FileNotFoundError:
        raise UnreadableFile("file vanished during ingest; run ingest again") from None
    except OSError as exc:
        raise UnreadableFile(f"cannot read file: {exc.strerror}") from None
    notes: list[str] = []
    text, encoding = decode(data, settings.fallback_encoding)
    if encoding not in ("utf-8", "utf-8-sig"):
        notes.append(f"decoded as {encoding}")
    if candidate.path.suffix.lower() in _HTML_SUFFIXES:
        text = html_to_text(text)
    if not text.strip():
        raise UnreadableFile("file is empty or holds only whitespace")
    cleaned = clean(text)
    if not cleaned.spans:
        raise UnreadableFile(f"only boilerplate found ({len(cleaned.removed)} lines removed); nothing to index")
    sha = hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()
    doc = Document(candidate.rel, text, cleaned.clean_text, cleaned.offset_map, cleaned.spans,
                   cleaned.removed, sha, encoding)
    return doc, notes


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


def html_to_text(markup: str) -> str:
    """Main content of an HTML page (comments included) as plain text, via trafilatura."""
    import trafilatura  # imported here: 0.3 s that text-only corpora never pay

    text = trafilatura.extract(markup, include_comments=True, include_tables=True, favor_recall=True)
    return text or ""
