"""Fault injection for the crash tests: `KIT_CRASH_AT=name:n` kills the process with SIGKILL the
n-th time it reaches the point `name`. Unset (always, outside tests) it does nothing."""

from __future__ import annotations

import os
import signal

_counts: dict[str, int] = {}


def crash_point(name: str) -> None:
    spec = os.environ.get("KIT_CRASH_AT")
    if not spec or not spec.startswith(name + ":"):
        return
    _counts[name] = _counts.get(name, 0) + 1
    if _counts[name] == int(spec.split(":")[1]):
        os.kill(os.getpid(), signal.SIGKILL)
