"""Chroma clients, with every server call bounded in time and every failure in kit's own terms.

The only module that imports chromadb. A local store opens a PersistentClient on its data folder;
http mode first checks, within `chroma_timeout`, that a Chroma server answers, then makes a client
whose every request carries that timeout (chromadb 1.5 builds its httpx client with
`timeout=None`, has no setting for it, and accepts no other client class). `translated` turns
what can go wrong under a call (disk full, server gone or frozen, a store that cannot be read)
into one `KitError` naming what and where, decided by exception types and by probing the disk,
never by the wording of a message.
This module knows nothing about chunks.
"""

from __future__ import annotations

import errno
import os
import shutil
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from kit import offline
from kit.config import Settings
from kit.errors import KitError, Resource, StoreDamagedError, StoreResourceError
from kit.store.server import not_chroma, probe, timed_out, unreachable

offline.apply()


def _import_chromadb() -> Any:
    """Import chromadb without paying for a grammar it never uses.

    chromadb imports jsonschema (to check embedding-function configs), and jsonschema's format
    module imports `rfc3987_syntax` when it is installed (the Jupyter stack installs it), which
    builds a Lark grammar for IRIs at import: 1.1-2.3 s of a 1.7-3.6 s `import chromadb` here,
    for an "iri" format chromadb never validates. Hiding the module while chromadb loads makes
    jsonschema skip that one checker; it is unhidden at once, and nothing changes when
    jsonschema was already imported by someone else.
    """
    hide = "rfc3987_syntax" not in sys.modules and "jsonschema._format" not in sys.modules
    if hide:
        sys.modules["rfc3987_syntax"] = None  # type: ignore[assignment]  # None makes `import` fail fast
    try:
        import chromadb
    finally:
        if hide:
            del sys.modules["rfc3987_syntax"]
    return chromadb


chromadb = _import_chromadb()
import httpx  # noqa: E402  (chromadb's HTTP client library)
from chromadb.config import Settings as ChromaSettings  # noqa: E402
from chromadb.errors import ChromaError, NotFoundError  # noqa: E402

# Under this much free space a failed write is a full disk: SQLite asks for a few MB at once
# (a journal page run, an HNSW segment), so it fails while some space is still free.
_LOW_SPACE = 16 * 1024 * 1024


def local_client(path: Path) -> Any:
    """A PersistentClient on `path` (which must exist: readers never create a store)."""
    settings = ChromaSettings(anonymized_telemetry=False, allow_reset=False, is_persistent=True)
    with translated("opening", str(path), path):
        return chromadb.PersistentClient(path=str(path), settings=settings)


def server_client(settings: Settings) -> Any:
    """A client of the Chroma server named by settings, every request bounded by chroma_timeout."""
    host, port, timeout = settings.chroma_host, settings.chroma_port, settings.chroma_timeout
    probe(host, port, timeout)
    options = ChromaSettings(anonymized_telemetry=False, allow_reset=False)
    with translated("connecting to", f"{host}:{port}", None, settings):
        # chromadb makes its httpx client with timeout=None and calls the server from the
        # constructor (tenant and database checks), before any timeout could be set on it.
        client = _within(timeout, lambda: chromadb.HttpClient(host=host, port=port, settings=options),
                         lambda: timed_out(host, port, timeout))
    client._server._session.timeout = httpx.Timeout(timeout)  # every later request is bounded
    return client


def _within(seconds: float, call: Any, on_timeout: Any) -> Any:
    """`call()` in a daemon thread, given up on after `seconds` (the thread is left to its fate)."""
    outcome: dict[str, Any] = {}

    def run() -> None:
        try:
            outcome["value"] = call()
        except BaseException as exc:  # handed to the caller's thread below
            outcome["error"] = exc

    worker = threading.Thread(target=run, name="kit-chroma-connect", daemon=True)
    worker.start()
    worker.join(seconds)
    if worker.is_alive():
        raise on_timeout()
    if "error" in outcome:
        raise outcome["error"]
    return outcome["value"]


def clear_cache() -> None:
    """Forget chroma's per-process clients, so the next one reads the files afresh."""
    chromadb.api.shared_system_client.SharedSystemClient.clear_system_cache()


def is_missing(exc: BaseException) -> bool:
    return isinstance(exc, NotFoundError)


@contextmanager
def translated(doing: str, where: str, store_dir: Path | None, settings: Settings | None = None) -> Iterator[None]:
    """Run a Chroma call; anything it raises leaves as one `KitError` naming what and where."""
    try:
        yield
    except KitError:
        raise
    except Exception as exc:
        raise classify(exc, doing, where, store_dir, settings) from exc


def classify(exc: BaseException, doing: str, where: str, store_dir: Path | None,
             settings: Settings | None = None) -> KitError:
    """The `KitError` for an exception raised by chromadb (or the OS) under a call."""
    if settings is not None and settings.store_mode == "http":
        host, port = settings.chroma_host, settings.chroma_port
        if isinstance(exc, httpx.TimeoutException):
            return timed_out(host, port, settings.chroma_timeout)
        if isinstance(exc, httpx.TransportError):
            return unreachable(host, port, type(exc).__name__)
        if isinstance(exc, ValueError) and not isinstance(exc, ChromaError):
            return not_chroma(host, port, f"{type(exc).__name__} while {doing} it")
    if isinstance(exc, OSError) and exc.errno in (errno.ENOSPC, errno.EDQUOT):
        return disk_full(store_dir or Path(where))
    if store_dir is not None and low_space(store_dir):
        return disk_full(store_dir)
    if isinstance(exc, OSError):
        return StoreResourceError(f"{doing} the store in {where} failed: {exc.strerror or exc}", Resource.DISK)
    first = (str(exc).strip().splitlines() or [""])[0][:200]
    return StoreDamagedError(f"{doing} the store in {where} failed ({type(exc).__name__}: {first}); "
                             "run `kit doctor` to check it")


def disk_full(store_dir: Path) -> StoreResourceError:
    free = _free_bytes(store_dir)
    return StoreResourceError(
        f"the disk holding {store_dir} is full ({free // 1024} KiB free); free some space and run the command "
        "again: nothing committed was lost", Resource.DISK_FULL)


def low_space(folder: Path) -> bool:
    """Whether the filesystem holding `folder` is (nearly) full, as a failed write would show."""
    return _free_bytes(folder) < _LOW_SPACE


def _free_bytes(folder: Path) -> int:
    probe_dir = folder
    while not probe_dir.exists() and probe_dir != probe_dir.parent:
        probe_dir = probe_dir.parent
    try:
        return shutil.disk_usage(probe_dir).free
    except OSError:
        return _LOW_SPACE


def local_data_ok(path: Path) -> bool:
    """Whether a local Chroma folder is there to open (a reader must not create one)."""
    return (path / "chroma.sqlite3").is_file() and os.access(path, os.R_OK)
