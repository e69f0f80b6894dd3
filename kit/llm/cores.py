"""How many threads a local model should run on now: the cores that others leave free.

llama.cpp's threads meet at every step of every token. On a 2-core machine where other processes
held the cores, two threads waited for each other and Qwen2.5-Coder-1.5B wrote 0.2 tokens/s,
where one thread wrote 4.2 (docs/benchmarks.md). So unless `llm_threads` fixes the count, the gguf
backend asks before a call how many of the cores this process may run on were idle over a short
sample of /proc/stat (its own work counted as idle), and runs on that many (at least one). A core
counts as free when it was idle three quarters of the sample. The choice is kept for a few
seconds, so a run of short calls (the one-token checks of `judge`) samples once. This module runs no model.
"""

from __future__ import annotations

import os
import time
from pathlib import Path

SAMPLE_SECONDS = 0.2
KEEP_SECONDS = 10.0
FREE_SHARE = 0.75  # idle share of a sample at which a core counts as free
STAT = Path("/proc/stat")


def allowed_cores() -> set[int]:
    """The CPUs this process may run on."""
    return set(os.sched_getaffinity(0))


def _idle_and_total(cores: set[int]) -> tuple[int, int] | None:
    """Idle (idle + iowait) and total jiffies so far over `cores`, from /proc/stat."""
    idle = total = 0
    try:
        for line in STAT.read_text().splitlines():
            name, *fields = line.split()
            if name.startswith("cpu") and name[3:].isdigit() and int(name[3:]) in cores:
                ticks = [int(f) for f in fields[:8]]
                idle += ticks[3] + ticks[4]
                total += sum(ticks)
    except (OSError, ValueError, IndexError):
        return None
    return (idle, total) if total else None


def _own_ticks() -> int:
    """CPU time this process has used so far (all its threads, user and system), in the same
    clock ticks as /proc/stat; 0 if unknown."""
    try:
        fields = Path("/proc/self/stat").read_text().rsplit(")", 1)[1].split()
        return int(fields[11]) + int(fields[12])  # utime, stime: fields 14 and 15 of the line
    except (OSError, ValueError, IndexError):
        return 0


def idle_cores(cores: set[int], sample: float = SAMPLE_SECONDS) -> float | None:
    """How many of `cores` other processes left idle over the next `sample` seconds (e.g. 1.6 of
    2); None if unknown. This process's own work counts as idle: threads of a search that just
    ended (embedding, the vector index) wind down within the sample and leave the cores to the model."""
    before, own_before = _idle_and_total(cores), _own_ticks()
    time.sleep(sample)
    after, own_after = _idle_and_total(cores), _own_ticks()
    if before is None or after is None or after[1] <= before[1]:
        return None
    free = after[0] - before[0] + max(0, own_after - own_before)
    return min(float(len(cores)), len(cores) * free / (after[1] - before[1]))


def threads_for(idle: float | None, cores: int) -> int:
    """Threads for a call: the free cores (idle ≥ FREE_SHARE each), at least 1; all when unknown."""
    if idle is None:
        return cores
    return max(1, min(cores, int(idle + 1 - FREE_SHARE)))


class ThreadChoice:
    """`llm_threads` when set; else the free cores now, sampled at most every KEEP_SECONDS."""

    def __init__(self, fixed: int) -> None:
        self.fixed = fixed
        self.threads = 0
        self.chosen_at = float("-inf")

    def now(self) -> int:
        if self.fixed:
            return self.fixed
        if time.monotonic() - self.chosen_at >= KEEP_SECONDS:
            cores = allowed_cores()
            self.threads = threads_for(idle_cores(cores), len(cores))
            self.chosen_at = time.monotonic()
        return self.threads
