"""The record of every ask, check and summarize run on a store, in `<store>/history.sqlite`.

One row per run: when, what kind, what was asked (the question, the checked text or the
topics), the settings that shape the result (llm, model, embedder), its counts (claims shown,
supported, not supported), the chat session it belongs to, and the result's whole JSON as
`to_dict()` writes it (with its provenance, which is what `kit verify` re-checks).

History is never a reason to fail an answer: a database another process holds locked past
`BUSY_SECONDS`, or a file that is not a SQLite database, costs one warning line and the run is
not recorded (locked) or recorded in a fresh file (corrupt; the bad file is moved aside, never
deleted). Reading a locked history is an error naming the file; reading a corrupt one moves it
aside the same way. This module does not render, verify or decide what to record.
"""

from __future__ import annotations

import json
import sqlite3
import stat
import uuid
import warnings
from collections.abc import Iterator
from contextlib import closing, contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from enum import StrEnum
from pathlib import Path
from typing import Any

from kit.errors import InputError, KitWarning, StoreBusyError

FILE = "history.sqlite"
# One run is one INSERT that holds the write lock for milliseconds; 2 s of waiting means another
# process keeps the file locked (a long transaction, a stuck tool), not ordinary contention.
BUSY_SECONDS = 2.0
_VERSION = 1  # PRAGMA user_version of the table layout below
_TABLE = """CREATE TABLE IF NOT EXISTS runs (
    id INTEGER PRIMARY KEY AUTOINCREMENT, time TEXT NOT NULL, kind TEXT NOT NULL, input TEXT NOT NULL,
    llm TEXT NOT NULL, model TEXT, embedder TEXT NOT NULL,
    shown INTEGER NOT NULL, supported INTEGER NOT NULL, unsupported INTEGER NOT NULL,
    session TEXT, result TEXT NOT NULL)"""
_COLUMNS = "id, time, kind, input, llm, model, embedder, shown, supported, unsupported, session"
# SQLite's primary result codes for a file that is not (or no longer) a database.
_CORRUPT_CODES = {11, 26}  # SQLITE_CORRUPT, SQLITE_NOTADB
_BUSY = 5  # SQLITE_BUSY: another connection holds the lock


class RunKind(StrEnum):
    ASK = "ask"
    CHECK = "check"
    SUMMARIZE = "summarize"


@dataclass(frozen=True)
class Run:
    """One recorded run; `result` (its JSON) is loaded only by `History.run`."""

    id: int
    time: str
    kind: RunKind
    input: str
    llm: str
    model: str | None
    embedder: str
    shown: int
    supported: int
    unsupported: int
    session: str | None = None
    result: dict[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, object]:
        return {"id": self.id, "time": self.time, "kind": self.kind.value, "input": self.input, "llm": self.llm,
                "model": self.model, "embedder": self.embedder, "session": self.session,
                "counts": {"shown": self.shown, "supported": self.supported, "unsupported": self.unsupported}}


def new_session() -> str:
    """An id for a chat session, recorded with each of its turns."""
    return uuid.uuid4().hex[:12]


class History:
    """The runs recorded in one store folder."""

    def __init__(self, store_dir: Path) -> None:
        self.path = store_dir / FILE

    def record(self, kind: RunKind, given: str, settings: dict[str, str | None], counts: dict[str, int],
               result: dict[str, Any], session: str | None = None) -> int | None:
        """Add a run; its id, or None (with one warning) when the history cannot be written."""
        row = (datetime.now(UTC).replace(microsecond=0).isoformat(), kind.value, given, settings["llm"] or "",
               settings.get("model"), settings["embedder"] or "", counts["shown"], counts["supported"],
               counts["unsupported"], session, json.dumps(result, ensure_ascii=False))
        for attempt in range(2):  # a corrupt file is moved aside once, then the run goes in a new one
            try:
                with self._open(write=True) as con, con:
                    return int(con.execute(f"INSERT INTO runs ({_COLUMNS[4:]}, result) VALUES "
                                           "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", row).lastrowid or 0)
            except sqlite3.Error as exc:
                if not (_corrupt(exc) and attempt == 0):
                    warnings.warn(f"{self.path}: {_why(exc)}; this {kind.value} was not recorded in the history",
                                  KitWarning, stacklevel=3)
                    return None
                self.move_aside()
            except OSError as exc:
                warnings.warn(f"{self.path}: cannot be written ({exc.strerror or exc}); this {kind.value} was not "
                              "recorded in the history", KitWarning, stacklevel=3)
                return None
        return None

    def runs(self, n: int | None = None, kind: RunKind | None = None, grep: str | None = None) -> list[Run]:
        """Recorded runs, newest first: at most `n`, of one kind, whose input holds `grep` (any case)."""
        where, params = ["1"], []
        if kind is not None:
            where.append("kind = ?")
            params.append(kind.value)
        if grep:
            where.append("instr(lower(input), lower(?)) > 0")
            params.append(grep)
        sql = f"SELECT {_COLUMNS} FROM runs WHERE {' AND '.join(where)} ORDER BY id DESC LIMIT ?"
        return [_run(row) for row in self._read(sql, (*params, n if n is not None else -1))]

    def run(self, run_id: int) -> Run:
        """The run `run_id` with its result; `InputError` when there is none."""
        rows = self._read(f"SELECT {_COLUMNS}, result FROM runs WHERE id = ?", (run_id,))
        if not rows:
            raise InputError(f"the history ({self.path}) holds no run {run_id}; `kit history` lists them")
        return _run(rows[0], json.loads(rows[0][-1]))

    def results(self) -> Iterator[Run]:
        """Every run with its result, oldest first (what `kit verify --history` re-checks)."""
        for row in self._read(f"SELECT {_COLUMNS}, result FROM runs ORDER BY id", ()):
            yield _run(row, json.loads(row[-1]))

    def _read(self, sql: str, params: tuple[object, ...]) -> list[tuple[Any, ...]]:
        if not self.path.exists():
            return []
        try:
            with self._open(write=False) as con:
                if con.execute("PRAGMA user_version").fetchone()[0] != _VERSION:
                    return []  # an empty file, or a database kit never wrote runs into
                return list(con.execute(sql, params))
        except sqlite3.Error as exc:
            if _code(exc) == _BUSY:
                raise StoreBusyError(f"{self.path}: {_why(exc)}; try again when the other process is done") from None
            if not _corrupt(exc):
                raise InputError(f"{self.path}: {_why(exc)}; move it aside to start a new history") from None
            self.move_aside()
            return []

    @contextmanager
    def _open(self, write: bool) -> Iterator[sqlite3.Connection]:
        with closing(sqlite3.connect(self.path, timeout=BUSY_SECONDS)) as con:
            if write and con.execute("PRAGMA user_version").fetchone()[0] != _VERSION:
                with con:
                    con.execute(_TABLE)
                    con.execute(f"PRAGMA user_version = {_VERSION}")
            yield con

    def damage(self) -> str | None:
        """Why the history file is not a sound SQLite database, or None (no file is no damage): for
        `kit doctor`. A FIFO or link is named without opening it; a file is opened read-only."""
        try:
            info = self.path.lstat()
        except FileNotFoundError:
            return None
        if not stat.S_ISREG(info.st_mode):
            return "not a regular file (a link, FIFO, device or folder)"
        if info.st_size == 0:  # kit writes the tables with the file: emptied, its records are gone
            return "an empty file: its records were cut away"
        try:
            with closing(sqlite3.connect(f"{self.path.as_uri()}?mode=ro", uri=True, timeout=BUSY_SECONDS)) as con:
                said = con.execute("PRAGMA quick_check").fetchone()[0]
        except sqlite3.Error as exc:
            return None if _code(exc) == _BUSY else _why(exc)
        return None if said == "ok" else f"SQLite's check says: {str(said)[:120]}"

    def move_aside(self, warn: bool = True) -> Path:
        """Rename a file that is not a SQLite database beside it (kept for whoever wants it back):
        on `kit doctor --repair`, or warned about by the run that found it."""
        stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S")
        aside = self.path.with_name(f"history.corrupt-{stamp}.sqlite")
        n = 1
        while aside.exists():
            n += 1
            aside = self.path.with_name(f"history.corrupt-{stamp}-{n}.sqlite")
        self.path.rename(aside)
        if warn:
            warnings.warn(f"{self.path} is not a readable SQLite database; moved it aside to {aside.name} and "
                          "started a new history", KitWarning, stacklevel=4)
        return aside


def _code(exc: sqlite3.Error) -> int:
    """SQLite's primary result code of an error (the extended code's low byte)."""
    return int(getattr(exc, "sqlite_errorcode", 0) or 0) & 0xFF


def _corrupt(exc: sqlite3.Error) -> bool:
    return _code(exc) in _CORRUPT_CODES


def _why(exc: sqlite3.Error) -> str:
    if _code(exc) == _BUSY:
        return f"locked by another process (waited {BUSY_SECONDS:g} s)"
    return f"cannot be used ({exc})"


def _run(row: tuple[Any, ...], result: dict[str, Any] | None = None) -> Run:
    return Run(int(row[0]), row[1], RunKind(row[2]), row[3], row[4], row[5], row[6], int(row[7]), int(row[8]),
               int(row[9]), row[10], result or {})

