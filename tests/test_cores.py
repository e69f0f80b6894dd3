"""Threads for a local model from the cores free now (kit.llm.cores), measured on this machine."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator

import pytest

from kit.llm import cores
from kit.llm.cores import ThreadChoice, allowed_cores, idle_cores, threads_for

SPIN = "import os, sys\nos.sched_setaffinity(0, {int(sys.argv[1])})\nwhile True:\n    pass\n"


@pytest.fixture
def every_core_busy() -> Iterator[None]:
    """One spinning process pinned to each core this process may use."""
    spinners = [subprocess.Popen([sys.executable, "-c", SPIN, str(c)]) for c in sorted(allowed_cores())]
    try:
        yield
    finally:
        for p in spinners:
            p.kill()
            p.wait()


def test_threads_follow_the_free_cores() -> None:
    assert threads_for(None, 2) == 2  # unknown: every core, as before
    assert threads_for(2.0, 2) == threads_for(1.8, 2) == 2
    assert threads_for(1.6, 2) == threads_for(1.0, 2) == 1  # a core busy 40% of the time is not free
    assert threads_for(0.0, 2) == 1  # never none
    assert threads_for(5.9, 8) == 6 and threads_for(12.0, 8) == 8


@pytest.mark.timeout(60)
def test_a_machine_whose_cores_are_all_busy_gives_one_thread(every_core_busy: None) -> None:
    idle = idle_cores(allowed_cores(), sample=1.0)
    assert idle is not None and idle < 0.5 * len(allowed_cores())
    assert threads_for(idle, len(allowed_cores())) == 1


def test_the_idle_share_is_read_from_this_machine() -> None:
    idle = idle_cores(allowed_cores(), sample=0.3)
    assert idle is not None and 0.0 <= idle <= len(allowed_cores()) + 0.05


def test_a_fixed_count_is_kept_and_a_chosen_one_is_sampled_once_per_interval(monkeypatch: pytest.MonkeyPatch) -> None:
    assert ThreadChoice(3).now() == 3
    samples: list[int] = []
    monkeypatch.setattr(cores, "idle_cores", lambda c: samples.append(1) or float(len(c)))
    choice = ThreadChoice(0)
    assert choice.now() == choice.now() == len(os.sched_getaffinity(0)) and len(samples) == 1
    choice.chosen_at -= cores.KEEP_SECONDS
    choice.now()
    assert len(samples) == 2
