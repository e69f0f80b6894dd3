"""Shared fixtures: the seed corpus, throwaway stores on the hashing embedder, one real MiniLM kit.

Unit tests use `embedder="hash"` (deterministic, no model) so the suite stays fast; the few
end-to-end tests share one session-scoped kit on the real default model ("minilm-int8").
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

import kit
from kit.api import Kit
from kit.config import Settings
from tests.helpers import SEEDS


@pytest.fixture(autouse=True)
def _no_kit_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    """KIT_* variables of the developer's shell must not change what the tests see."""
    for name in [n for n in os.environ if n.startswith("KIT_")]:
        monkeypatch.delenv(name)


@pytest.fixture(scope="session")
def seeds_dir() -> Path:
    return SEEDS


@pytest.fixture
def store_dir(tmp_path: Path) -> Path:
    return tmp_path / "store"


@pytest.fixture
def settings(store_dir: Path) -> Settings:
    """Settings for a throwaway store on the hashing embedder."""
    return Settings.load(environ={}, store_dir=store_dir, embedder="hash")


@pytest.fixture
def make_kit(store_dir: Path) -> Callable[..., Kit]:
    """Open a kit on the test's store with the hashing embedder; keywords override settings."""

    def _open(**overrides: Any) -> Kit:
        options: dict[str, Any] = {"store_dir": store_dir, "embedder": "hash", **overrides}
        return kit.open(**options)

    return _open


@pytest.fixture
def copy_seeds(tmp_path: Path) -> Callable[..., Path]:
    """Copy the seed files into tmp_path/<name> and return that folder."""

    def _copy(name: str = "docs") -> Path:
        return Path(shutil.copytree(SEEDS, tmp_path / name))

    return _copy


@pytest.fixture(scope="session")
def hash_seeds(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A store of the seeds on the hashing embedder, shared by the tests that only read it."""
    store = tmp_path_factory.mktemp("hash-seeds") / "store"
    kit.open(store_dir=store, embedder="hash").ingest(SEEDS)
    return store


@pytest.fixture(scope="session")
def minilm_kit(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Kit]:
    """One kit on the real default model with the seeds ingested, shared by end-to-end tests.
    Laid out like the project (`seeds/` beside `.kit`), so stored names are `seeds/<file>` as in
    tests/data/seeds_qa.jsonl."""
    project = tmp_path_factory.mktemp("minilm")
    shutil.copytree(SEEDS, project / "seeds")
    settings = Settings.load(environ={}, store_dir=project / ".kit")
    k = Kit(settings)
    report = k.ingest(project / "seeds")
    assert report.chunks > 0 and not report.issues
    yield k
