"""Ingest progress that tells the truth: files read first, then chunks embedded (the slow part).

An ingest reports stages: `Stage.READ` (files read, cleaned and chunked, fast) and `Stage.EMBED`
(new chunks embedded and written, where the time goes), each with its total known up front, so
a bar's rate and ETA mean something. The terminal and notebook bar is tqdm's (`tqdm.auto` draws a
widget in Jupyter); it is closed in a `finally`, so an error never leaves a half-drawn bar, and it
ends with one summary line. This module does not ingest.
"""

from __future__ import annotations

import sys
import time
from enum import StrEnum
from typing import Any, Protocol

from kit.terminal import safe


class Stage(StrEnum):
    READ = "read"  # files read, cleaned, chunked and compared with the store
    EMBED = "embed"  # new chunks embedded and written


class Progress(Protocol):
    """What ingest calls while it works."""

    def start(self, stage: Stage, total: int) -> None: ...

    def advance(self, n: int, item: str = "") -> None: ...

    def finish(self, summary: str) -> None: ...


class Silent:
    """Progress that shows nothing."""

    def start(self, stage: Stage, total: int) -> None:
        pass

    def advance(self, n: int, item: str = "") -> None:
        pass

    def finish(self, summary: str) -> None:
        pass


_UNITS = {Stage.READ: ("reading files", "file"), Stage.EMBED: ("embedding chunks", "chunk")}


class Bar:
    """A tqdm bar per stage (rate and ETA from tqdm), and a last line saying what was done."""

    def __init__(self, file: Any = None) -> None:
        self.file = file or sys.stderr
        self.bar: Any = None
        self.started = time.perf_counter()

    def start(self, stage: Stage, total: int) -> None:
        from tqdm.auto import tqdm

        self._close()
        if total <= 0:
            return
        desc, unit = _UNITS[stage]
        self.bar = tqdm(total=total, desc=desc, unit=unit, file=self.file, leave=False, dynamic_ncols=True,
                        smoothing=0.1)

    def advance(self, n: int, item: str = "") -> None:
        if self.bar is not None:
            if item:
                self.bar.set_postfix_str(safe(item[-40:]), refresh=False)
            self.bar.update(n)

    def finish(self, summary: str) -> None:
        self._close()
        if summary:
            print(safe(f"ingest: {summary}"), file=self.file, flush=True)

    def _close(self) -> None:
        if self.bar is not None:
            self.bar.close()
            self.bar = None


def rate_line(files: int, embedded: int, seconds: float) -> str:
    """The summary a bar leaves: files read, chunks embedded, how fast."""
    if embedded:
        return (f"read {files} files, embedded {embedded} chunks in {seconds:.1f} s "
                f"({embedded / max(seconds, 1e-9):.1f} chunks/s)")
    return f"read {files} files in {seconds:.1f} s, nothing new to embed"
