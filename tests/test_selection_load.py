"""The same selection problem gives the same sentences on a quiet and on a loaded machine: the
solver is bounded by the problem's size (candidates, concepts, search nodes), never by the
wall clock. The problem is random but seeded, large enough that a time-limited solve stopped
early: concept coverage of 300 sentences, 250 words, as a large topic gives."""

from __future__ import annotations

import random
import subprocess
import sys
from collections.abc import Iterator
from typing import Any

import pytest

from kit.topics import selection
from kit.topics.salience import Candidate
from kit.topics.selection import Selection, coverage, greedy, select
from kit.types import Chunk


def problem(seed: int, n: int = 300) -> Selection:
    rng = random.Random(seed)
    vocab = [f"c{i}" for i in range(900)]
    chunk = Chunk("x", "a.txt", 0, 1, "article", "x", "0")
    cands = [Candidate(chunk, 0, 1, " ".join(["w"] * rng.randint(12, 40)), i,
                       frozenset(rng.sample(vocab, rng.randint(10, 30)))) for i in range(n)]
    return Selection(cands, {v: rng.random() ** 3 for v in vocab}, 250, 12)


@pytest.fixture
def busy() -> Iterator[None]:
    """Two processes spinning on the CPU (the machine has two cores) for the test's length."""
    procs = [subprocess.Popen([sys.executable, "-c", "while True: pass"]) for _ in range(2)]
    try:
        yield
    finally:
        for p in procs:
            p.kill()
            p.wait()


def test_the_solver_is_not_given_a_time_limit(monkeypatch: pytest.MonkeyPatch) -> None:
    import scipy.optimize

    seen: list[dict[str, Any]] = []
    real = scipy.optimize.milp

    def recording(*args: Any, **kwargs: Any) -> Any:
        seen.append(dict(kwargs.get("options") or {}))
        return real(*args, **kwargs)

    monkeypatch.setattr(scipy.optimize, "milp", recording)
    select(problem(1, n=40))
    assert seen and all("time_limit" not in o for o in seen)
    assert all(o.get("node_limit") == selection.NODE_LIMIT for o in seen)


def test_a_loaded_machine_gives_the_same_selection_as_a_quiet_one(busy: None) -> None:
    loaded = [select(problem(seed)) for seed in (0, 1)]
    assert loaded == QUIET


QUIET: list[list[int]] = []


@pytest.fixture(autouse=True, scope="module")
def quiet_run() -> None:
    """The quiet answers, computed before any busy process starts."""
    QUIET[:] = [select(problem(seed)) for seed in (0, 1)]


def test_the_bounded_solve_is_never_worse_than_greedy() -> None:
    for seed, picked in zip((0, 1), QUIET, strict=True):
        p = problem(seed)
        assert len(picked) <= 12 and sum(p.cands[i].words for i in picked) <= 250
        assert coverage(p, picked) >= coverage(p, greedy(p, list(range(len(p.cands)))))
