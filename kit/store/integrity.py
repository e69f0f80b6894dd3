"""Checksums of kit's own files: the state, the file list, the keyword index and the topic cache.

A JSON file carries the sha256 of its own content (every key but `sha256`, serialized with sorted
keys), so a truncated, zeroed, byte-flipped or hand-edited file is told from a sound one on load;
a folder (the keyword index of one generation) carries `checksums.json` listing the sha256 of
each of its files. A mismatch is a `DamagedFileError` naming the file and what to run, never a
traceback and never data used as if sound. A file written before checksums existed (no `sha256`
key) is read as it is, once: the next commit writes it with one. This module decides nothing
about what a damaged file means for the store; its callers and `kit doctor` do.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import shutil
import stat
from pathlib import Path
from typing import Any

from kit.errors import DamagedFileError

KEY = "sha256"
FOLDER_SUMS = "checksums.json"
# kit's largest JSON file, the file list of a 230k-chunk store, is about 60 MB: four times that
# bounds the memory a swapped-in sparse or endless file could take.
MAX_JSON_BYTES = 256 * 2**20
# Opened without following a final symlink and without blocking: kit writes only regular files
# here, so a FIFO (which would block open and read), a device (/dev/zero never ends) or a link
# to elsewhere is damage to report, never something to read.
_OPEN_FLAGS = os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_NOFOLLOW", 0)


def digest(data: dict[str, Any]) -> str:
    body = {k: v for k, v in data.items() if k != KEY}
    return hashlib.sha256(json.dumps(body, sort_keys=True, ensure_ascii=False).encode()).hexdigest()


def sealed(data: dict[str, Any]) -> dict[str, Any]:
    """`data` with the checksum of its content added."""
    return {**data, KEY: digest(data)}


def damaged(path: Path, why: str) -> DamagedFileError:
    return DamagedFileError(f"{path} is damaged ({why}); run `kit doctor --repair`", str(path))


def load_sealed(path: Path, legacy_ok: bool = True) -> dict[str, Any]:
    """The JSON object in `path`, checked against its checksum (`FileNotFoundError` if absent).
    `legacy_ok`: a file with no checksum yet (written by an older kit) is accepted."""
    with own_file(path) as f:
        raw = f.read(MAX_JSON_BYTES + 1)
    if len(raw) > MAX_JSON_BYTES:
        raise damaged(path, f"larger than {MAX_JSON_BYTES >> 20} MB, far beyond what kit writes")
    try:
        data = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        raise damaged(path, "not valid JSON: truncated or overwritten") from None
    if not isinstance(data, dict):
        raise damaged(path, "not a JSON object")
    if KEY not in data:
        if legacy_ok:
            return data
        raise damaged(path, "no checksum")
    if data[KEY] != digest(data):
        raise damaged(path, "checksum mismatch: its content was changed after kit wrote it")
    return data


def own_file(path: Path) -> io.BufferedReader:
    """`path`, one of kit's own files, opened for binary reading: `FileNotFoundError` if absent,
    `DamagedFileError` if it is a link, a FIFO, a device or a folder, or cannot be opened."""
    try:
        fd = os.open(path, _OPEN_FLAGS)
    except FileNotFoundError:
        raise
    except OSError as exc:
        why = "a link, where kit writes a file" if os.path.islink(path) else f"cannot be read: {exc.strerror or exc}"
        raise damaged(path, why) from None
    if not stat.S_ISREG(os.fstat(fd).st_mode):
        os.close(fd)
        raise damaged(path, "not a regular file (a FIFO, device or folder), where kit writes a file")
    return os.fdopen(fd, "rb")


def remove_own(path: Path) -> None:
    """Delete one of kit's own files, or the folder or FIFO found in its place (never a link's target)."""
    if path.is_dir() and not path.is_symlink():
        shutil.rmtree(path)
    else:
        path.unlink(missing_ok=True)


def file_sha256(path: Path) -> str:
    with path.open("rb") as f:
        return hashlib.file_digest(f, "sha256").hexdigest()


def seal_folder(folder: Path) -> None:
    """Write `checksums.json` listing every file under `folder` (call before it is moved into place)."""
    files = {p.relative_to(folder).as_posix(): file_sha256(p) for p in sorted(folder.rglob("*"))
             if p.is_file() and p.name != FOLDER_SUMS}
    (folder / FOLDER_SUMS).write_text(json.dumps(sealed({"format": 1, "files": files})), encoding="utf-8")


def check_folder(folder: Path, sums_required: bool = False) -> None:
    """Raise `DamagedFileError` naming the first file under `folder` whose content is not what was
    written. A folder without `checksums.json` (an older kit's, or one whose checksums were removed)
    is read when not `sums_required` (searches), and damaged when it is (`kit doctor`: nothing
    unverifiable is called healthy; repair rebuilds it with checksums)."""
    sums = folder / FOLDER_SUMS
    try:
        data = load_sealed(sums, legacy_ok=False)
    except FileNotFoundError:
        if sums_required and folder.is_dir():
            raise damaged(folder, f"no {FOLDER_SUMS}: its files cannot be checked") from None
        for path in sorted(folder.rglob("*")):  # unlisted, so at least nothing that would hang a read
            if path.is_symlink() or not (path.is_dir() or path.is_file()):
                raise damaged(path, "a link, FIFO or device, where kit writes a file") from None
        return
    files = data.get("files")
    if data.get("format") != 1 or not isinstance(files, dict):
        raise damaged(sums, f"format {data.get('format')!r}, this kit reads 1")
    for name, want in files.items():
        path = folder / name
        try:
            with own_file(path) as f:
                ok = hashlib.file_digest(f, "sha256").hexdigest() == want
        except OSError:
            raise damaged(path, "missing or unreadable") from None
        if not ok:
            raise damaged(path, "checksum mismatch: truncated, overwritten or changed after kit wrote it")
