"""Who watches a model while it works: the progress a caller set for the calls made on its behalf.

`Kit.ask(progress=True)` and `kit ask` in a terminal set a `Progress` with `watching` for the
length of one answer; a backend that streams (gguf) reports to `watcher()` the prompt tokens read
(`Stage.PROMPT`, as llama.cpp reports them, a batch at a time) and each token written
(`Stage.WRITE`). A backend that does not stream reports nothing, and nothing is drawn. The
setting lives in a context variable, so threads and notebooks that run other calls meanwhile are
not affected. This module draws nothing itself.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from kit.progress import Progress, Silent

_WATCHER: ContextVar[Progress | None] = ContextVar("kit_llm_watcher", default=None)


@contextmanager
def watching(progress: Progress) -> Iterator[Progress]:
    """Model calls made inside this block report their tokens to `progress`, which is finished
    (a bar closed, a notebook widget too) when the block ends, on an error as well."""
    token = _WATCHER.set(progress)
    try:
        yield progress
    finally:
        _WATCHER.reset(token)
        progress.finish("")


def watcher() -> Progress:
    """The progress set by the innermost `watching`, or one that shows nothing."""
    return _WATCHER.get() or Silent()
