"""Progress that tells the truth, for ingest, topics and summaries: one stage at a time, each with
its total known up front, so a bar's rate and ETA mean something.

An ingest reports `Stage.READ` (files read, cleaned and chunked, fast) then `Stage.EMBED` (new
chunks embedded and written, where the time goes). `kit topics` reports `Stage.FETCH` (stored
chunks and their vectors read), `Stage.CLUSTER` (the documents grouped, one step) and
`Stage.LABEL` (topics labelled); `kit summarize` adds `Stage.SUMMARIZE` (a topic at a time).
While a local model answers (`kit ask`), `Stage.PROMPT` counts the prompt tokens it has read and
`Stage.WRITE` the tokens it has written so far (no total: a reply ends when the model ends it).
The terminal and notebook bar is tqdm's (`tqdm.auto` draws a widget in Jupyter); the caller
closes it on error, so an error never leaves a half-drawn bar, and it ends with one summary line
named after the command. This module does no work of its own.
"""

from __future__ import annotations

import sys
import time
from enum import StrEnum
from typing import Any, Protocol

from kit.terminal import safe
from kit.text import plural


class Stage(StrEnum):
    READ = "read"  # files read, cleaned, chunked and compared with the store
    EMBED = "embed"  # new chunks embedded and written
    FETCH = "fetch"  # stored chunks and their vectors read for topics
    CLUSTER = "cluster"  # documents (long ones in parts) grouped into topics, in one step
    LABEL = "label"  # topics labelled (shared phrases, headlines, an LLM label when configured)
    SUMMARIZE = "summarize"  # a summary written per topic
    PROMPT = "prompt"  # a model reading its prompt (tokens; the cached prefix counted as read)
    WRITE = "write"  # a model writing its reply (tokens so far; the total is not known)


class Progress(Protocol):
    """What ingest, topics and summarize call while they work."""

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


_UNITS = {Stage.READ: ("reading files", "file"), Stage.EMBED: ("embedding chunks", "chunk"),
          Stage.FETCH: ("reading vectors", "chunk"), Stage.CLUSTER: ("clustering", "part"),
          Stage.LABEL: ("labelling topics", "topic"), Stage.SUMMARIZE: ("summarizing topics", "topic"),
          Stage.PROMPT: ("reading the prompt", "token"), Stage.WRITE: ("writing the reply", "token")}


class Bar:
    """A tqdm bar per stage (rate and ETA from tqdm), and a last line saying what was done."""

    def __init__(self, file: Any = None, command: str = "ingest") -> None:
        self.file = file or sys.stderr
        self.command = command
        self.bar: Any = None
        self.stage: Stage | None = None
        self.started = time.perf_counter()

    def start(self, stage: Stage, total: int) -> None:
        from tqdm.auto import tqdm

        self._close()
        self.stage = stage
        if total <= 0 and stage is not Stage.WRITE:
            return
        desc, unit = _UNITS[stage]
        self.bar = tqdm(total=total if total > 0 else None, desc=desc, unit=unit, file=self.file, leave=False,
                        dynamic_ncols=True, smoothing=0.1)

    def advance(self, n: int, item: str = "") -> None:
        if self.bar is not None:
            if item:
                # A path's end names the file; a topic title's start names the topic.
                shown = item[:40] if self.stage in (Stage.LABEL, Stage.SUMMARIZE) else item[-40:]
                self.bar.set_postfix_str(safe(shown), refresh=False)
            self.bar.update(n)

    def finish(self, summary: str) -> None:
        self._close()
        if summary:
            print(safe(f"{self.command}: {summary}"), file=self.file, flush=True)

    def _close(self) -> None:
        if self.bar is not None:
            self.bar.close()
            self.bar = None


def progress_for(progress: bool | Progress, command: str) -> Progress:
    """The progress a library call was asked for: True a bar on stderr, False none, or the caller's own."""
    if progress is True:
        return Bar(command=command)
    return progress or Silent()


def rate_line(files: int, embedded: int, seconds: float) -> str:
    """The summary a bar leaves: files read, chunks embedded, how fast."""
    if embedded:
        return (f"read {plural(files, 'file')}, embedded {plural(embedded, 'chunk')} in {seconds:.1f} s "
                f"({embedded / max(seconds, 1e-9):.1f} chunks/s)")
    return f"read {plural(files, 'file')} in {seconds:.1f} s, nothing new to embed"
