"""Find, read, decode and clean the documents of a folder.

Every file that is not used becomes a `FileIssue` naming the file, the reason and its kind (error,
skipped, note); it never stops the rest. This module does not chunk, embed or store anything.
"""

from __future__ import annotations

import hashlib
import os
import stat
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

from kit.config import Settings
from kit.corpus.cleaning import clean, keep_lines
from kit.corpus.markup import page_spans
from kit.corpus.readers import read_view
from kit.corpus.view import TextView, UnreadableFile, decode
from kit.location import resolve_stored, utf8_name
from kit.types import Document, FileIssue, IssueKind, SourceStatus

__all__ = ["FoundFile", "Scan", "UnreadableFile", "content_sha256", "decode", "read_document", "read_stored",
           "scan"]
# A stored file read back for a citation is held to the default ingest limit (max_file_mb = 10)
# unless the caller passes the store's own.
MAX_BYTES = 10 * 1024 * 1024


@dataclass(frozen=True)
class FoundFile:
    """A regular file under the corpus folder, not yet read."""

    path: Path
    rel: str


@dataclass(frozen=True)
class Scan:
    """Files to read, and the ones already rejected while walking the folder."""

    candidates: list[FoundFile]
    issues: list[FileIssue]


def scan(root: Path, settings: Settings, name: Callable[[Path], str] | None = None,
         ignore: Path | None = None) -> Scan:
    """Walk `root` (a folder, or a single file): hidden entries and other file types are reported
    as skipped, symlinks never followed out of it. `name` names a file for the store (default: its
    path relative to `root`); `ignore` is a folder left out silently (the store's own)."""
    root = root.resolve()
    if root.is_file():
        return _scan_file(root, settings, name or (lambda p: p.name))
    if not root.is_dir():
        raise FileNotFoundError(f"{root} is not a folder; pass the folder that holds your documents")
    naming = name or (lambda p: _relative_name(p, root))
    candidates: list[FoundFile] = []
    issues: list[FileIssue] = []
    for path in _walk(root, ignore.resolve() if ignore is not None else None):
        rel = naming(path)
        problem = _entry_problem(path, root, rel, settings)
        if problem:
            issues.append(FileIssue(rel, *problem))
        else:
            candidates.append(FoundFile(path, rel))
    return Scan(sorted(candidates, key=lambda c: c.rel), issues)


def _scan_file(path: Path, settings: Settings, name: Callable[[Path], str]) -> Scan:
    problem = _entry_problem(path, path.parent, name(path), settings)
    if problem:
        return Scan([], [FileIssue(name(path), *problem)])
    return Scan([FoundFile(path, name(path))], [])


def _walk(root: Path, ignore: Path | None = None) -> Iterator[Path]:
    """Every entry under `root`, depth first in name order, without descending into hidden or
    symlinked folders, nor into `ignore` (a store folder not named `.kit` holds web page snapshots
    that are their own sources). Iterative: a folder 1,100 levels deep must not exhaust Python's stack."""
    stack = [root]
    while stack:
        folder = stack.pop()
        try:
            with os.scandir(folder) as listing:
                entries = sorted(listing, key=lambda e: e.name)
        except OSError:
            yield folder  # reported by _entry_problem as a folder that cannot be listed
            continue
        subfolders = []
        for entry in entries:
            path = Path(entry.path)
            if ignore is not None and path == ignore:
                continue
            if not entry.name.startswith(".") and entry.is_dir(follow_symlinks=False):
                subfolders.append(path)
            else:
                yield path
        stack.extend(reversed(subfolders))


def _relative_name(path: Path, root: Path) -> str:
    return utf8_name(path.relative_to(root).as_posix())


def _entry_problem(path: Path, root: Path, rel: str, settings: Settings) -> tuple[str, IssueKind] | None:
    try:
        info = path.lstat()
    except FileNotFoundError:
        return "vanished while the folder was scanned", IssueKind.ERROR
    if path.name.startswith("."):
        return f"hidden {'folder' if stat.S_ISDIR(info.st_mode) else 'file'}; skipped", IssueKind.SKIPPED
    if stat.S_ISDIR(info.st_mode):
        return "cannot list this folder (permission denied or I/O error); skipped", IssueKind.ERROR
    if stat.S_ISLNK(info.st_mode):
        return _symlink_problem(path, root), IssueKind.SKIPPED
    if not stat.S_ISREG(info.st_mode):
        return "not a regular file (FIFO, socket or device); skipped", IssueKind.SKIPPED
    if "\ufffd" in rel:
        return "file name is not valid UTF-8; rename the file to ingest it", IssueKind.ERROR
    if path.suffix.lower() not in settings.extensions:
        kinds = ", ".join(settings.extensions)
        return f"not a supported file type ({path.suffix or 'no extension'}; kit reads {kinds})", IssueKind.SKIPPED
    if info.st_size > settings.max_file_mb * 1024 * 1024:
        size_mb = info.st_size / 1024 / 1024
        limit = settings.max_file_mb
        return (f"file is {size_mb:.1f} MB, over max_file_mb={limit:g}; raise KIT_MAX_FILE_MB to ingest it",
                IssueKind.SKIPPED)
    return None


def _symlink_problem(path: Path, root: Path) -> str:
    try:
        target = path.resolve()
    except (RuntimeError, OSError):  # a symlink loop: RuntimeError on 3.11, OSError on 3.13
        return "symlink loop (the link points back to itself); skipped"
    if not target.exists():
        return f"broken symlink (its target {target} does not exist); skipped"
    if not target.is_relative_to(root):
        return f"symlink pointing outside the folder (to {target}); copy the file in to ingest it"
    return "symlink inside the folder; its target is ingested under its own name"


def read_document(candidate: FoundFile, settings: Settings) -> tuple[Document, list[str]]:
    """Read, decode and clean one file. Returns the document and notes about it."""
    try:
        data = candidate.path.read_bytes()
    except FileNotFoundError:
        raise UnreadableFile("file vanished during ingest; run ingest again") from None
    except OSError as exc:
        raise UnreadableFile(f"cannot read file: {exc.strerror}") from None
    notes: list[str] = []
    view = read_view(candidate.rel, data, settings.fallback_encoding)
    if view.encoding not in ("utf-8", "utf-8-sig"):
        notes.append(f"decoded as {view.encoding}")
    if not view.text.strip():
        raise UnreadableFile("file is empty or holds only whitespace", IssueKind.SKIPPED)
    # A PDF's or DOCX's text is the document's own: its running headers are gone already, and the
    # web-page rules (menus, appeals, "Comments" starting a section) would misread its lines.
    cleaned = clean(view.text) if view.web else keep_lines(view.text)
    if not cleaned.spans:
        raise UnreadableFile(f"only boilerplate found ({len(cleaned.removed)} lines removed); nothing to index",
                             IssueKind.SKIPPED)
    page = view.page
    spans = page_spans(cleaned.spans, page) if page else cleaned.spans
    doc = Document(candidate.rel, view.raw, cleaned.clean_text, cleaned.offset_map, spans, cleaned.removed,
                   content_sha256(view.raw, view.version), view.encoding, page.text if page else None,
                   page.raw_map if page else None, view.breaks)
    return doc, notes


def content_sha256(text: str, version: str = "") -> str:
    """The hash a stored file's chunks carry: of its text as read (`TextView.raw`). When a reader made
    that text (HTML's view, PDF, DOCX) its `version` is hashed too: a file read by an older reader is
    a changed file, so a sync chunks it again and its old citations fail as `source_changed`."""
    data = f"{version}\0{text}" if version else text
    return hashlib.sha256(data.encode("utf-8", "surrogatepass")).hexdigest()


def read_stored(base: Path, name: str, fallback: str, sha256: str | None = None, max_bytes: int = MAX_BYTES
                ) -> tuple[SourceStatus, TextView | None]:
    """A stored file as it is now: its status against the hash stored with it, and its text view
    (None when it is missing, unreadable, not a regular file, larger than `max_bytes`, or now
    behind a symlink leading out of its folder). Checked before it is opened: a FIFO would hang."""
    path = resolve_stored(base, name)
    if path is None:
        return SourceStatus.OUTSIDE, None
    try:
        info = path.stat()
    except FileNotFoundError:
        return SourceStatus.MISSING, None
    except OSError:
        return SourceStatus.UNREADABLE, None
    if not stat.S_ISREG(info.st_mode) or info.st_size > max_bytes:
        return SourceStatus.UNREADABLE, None
    try:
        view = read_view(name, path.read_bytes(), fallback)
    except FileNotFoundError:
        return SourceStatus.MISSING, None
    except (OSError, UnreadableFile):
        return SourceStatus.UNREADABLE, None
    except Exception:  # a reader's library failing on a damaged file: the citation fails, kit verify goes on
        return SourceStatus.UNREADABLE, None
    if sha256 and content_sha256(view.raw, view.version) != sha256:
        return SourceStatus.CHANGED, view
    return SourceStatus.OK, view
