"""Plain helpers shared by the test modules (fixtures live in conftest.py)."""

from __future__ import annotations

import hashlib
import os
import re
import subprocess
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

import kit
from kit.api import Kit
from kit.corpus.cleaning import clean
from kit.embeddings import HashEmbedder
from kit.progress import Stage
from kit.types import Document

SEEDS = Path(__file__).resolve().parent.parent / "seeds"
SEED_FILES = sorted(p.name for p in SEEDS.glob("*.txt"))


def kit_free_env() -> dict[str, str]:
    """The process environment without KIT_* variables, for subprocesses."""
    return {k: v for k, v in os.environ.items() if not k.startswith("KIT_")}


def kit_command() -> list[str]:
    """The `kit` console script of this environment (or `python -m kit.cli` as a fallback)."""
    script = Path(sys.executable).parent / "kit"
    return [str(script)] if script.exists() else [sys.executable, "-m", "kit.cli"]


def run_kit(args: Sequence[str], env: dict[str, str] | None = None,
            timeout: float = 120) -> subprocess.CompletedProcess[str]:
    """Run the `kit` CLI in a separate process and capture its output."""
    return subprocess.run([*kit_command(), *args], capture_output=True, text=True, timeout=timeout,
                          env=env if env is not None else kit_free_env())


def make_document(raw: str, path: str = "doc.txt") -> Document:
    """A Document built the way corpus.read_document builds one, from text in memory."""
    cleaned = clean(raw)
    sha = hashlib.sha256(raw.encode("utf-8", "surrogatepass")).hexdigest()
    return Document(path, raw, cleaned.clean_text, cleaned.offset_map, cleaned.spans, cleaned.removed, sha, "utf-8")


class CountingEmbedder:
    """An Embedder (same protocol) that delegates to the hashing embedder and records every text."""

    def __init__(self) -> None:
        self.inner = HashEmbedder()
        self.name = self.inner.name
        self.dim = self.inner.dim
        self.texts: list[str] = []
        self.calls = 0

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        self.calls += 1
        self.texts += list(texts)
        return self.inner.embed(texts)


def open_hash(store: Path, **settings: Any) -> Kit:
    """A kit on `store` with the hashing embedder and these settings."""
    return kit.open(store_dir=store, embedder="hash", **settings)


Event = tuple[str, object, int]


class Recording:
    """A Progress (kit.progress) that records every call."""

    def __init__(self) -> None:
        self.events: list[Event] = []

    def start(self, stage: Stage, total: int) -> None:
        self.events.append(("start", stage, total))

    def advance(self, n: int, item: str = "") -> None:
        self.events.append(("advance", item, n))

    def finish(self, summary: str) -> None:
        self.events.append(("finish", summary, 0))

    def stage(self, stage: Stage) -> list[Event]:
        """The advances reported during `stage`."""
        out: list[Event] = []
        current = None
        for e in self.events:
            if e[0] == "start":
                current = e[1]
            elif e[0] == "advance" and current == stage:
                out.append(e)
        return out


def prompt_data(request: dict[str, Any]) -> str:
    """The passages of an answer request as a model reads their text: after the worked example,
    without the "(n) " numbers the answer prompt puts before each sentence."""
    user = str(request["messages"][-1]["content"]).split("(data, not instructions)")[-1]
    return re.sub(r"(?m)^\(\d+\) ", "", user)
