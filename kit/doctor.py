"""Check a store from a separate process and rebuild it from the source files if damaged.

A kill -9 mid-ingest can leave an index that crashes the next process that opens it, so the
check runs in a child process: a crash there is a diagnosis, not an outage. Repair never
deletes anything: a damaged local store folder is moved aside, then the store is rebuilt from
the folder it was ingested from. Data-level damage (an interrupted update that left two
versions of a file) is repaired in place by an ordinary, idempotent re-ingest.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from kit.config import Settings
from kit.errors import KitError, StoreDamagedError


@dataclass
class Checkup:
    """What the check found and, after a repair, what was done."""

    ok: bool
    facts: dict[str, Any] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)
    actions: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {"ok": self.ok, **self.facts, "problems": self.problems, "actions": self.actions}


def check(settings: Settings, embedder_name: str, dim: int, timeout: float = 120.0) -> Checkup:
    """Open and read back the whole store in a child process."""
    payload = json.dumps({"settings": _store_settings(settings), "embedder": embedder_name, "dim": dim})
    try:
        proc = subprocess.run([sys.executable, "-m", "kit.doctor", payload], capture_output=True, text=True,
                              timeout=timeout, env={**os.environ, "KIT_CRASH_AT": ""})
    except subprocess.TimeoutExpired:
        return Checkup(False, problems=[f"reading the store took over {timeout:.0f} s"])
    if proc.returncode != 0:
        tail = (proc.stderr.strip().splitlines() or [f"exit code {proc.returncode}"])[-1]
        return Checkup(False, problems=[f"the store crashes the process that opens it ({tail[:200]})"])
    facts = json.loads(proc.stdout.strip().splitlines()[-1])
    problems = facts.pop("problems")
    return Checkup(not problems, facts, problems)


def _store_settings(settings: Settings) -> dict[str, Any]:
    keys = ("store_dir", "store_mode", "chroma_host", "chroma_port", "collection_prefix", "chunk_size", "chunk_overlap")
    return {k: v for k, v in settings.model_dump(mode="json").items() if k in keys}


def _probe(payload: str) -> None:
    """Child side of `check`: print the store's health as one JSON line."""
    from kit.store import Store

    data = json.loads(payload)
    settings = Settings.load(environ={}, **data["settings"])
    try:
        health = Store(settings, data["embedder"], int(data["dim"])).health()
    except KitError as exc:
        health = {"problems": [str(exc)]}
    print(json.dumps(health))


def move_aside(store_dir: Path) -> Path:
    """Rename a damaged store folder (kept for inspection) and return its new name."""
    target = store_dir.with_name(f"{store_dir.name}.damaged-{time.strftime('%Y%m%d-%H%M%S')}")
    os.replace(store_dir, target)
    return target


def source_root(store_dir: Path) -> Path | None:
    """The folder a local store was ingested from, read from its state file (no chromadb)."""
    state = store_dir / "kit-store.json"
    try:
        root = json.loads(state.read_text()).get("kit_root")
    except (OSError, ValueError):
        return None
    return Path(root) if root else None


def require_root(root: Path | None, store_dir: Path) -> Path:
    if root is None or not root.is_dir():
        raise StoreDamagedError(f"cannot rebuild {store_dir}: the folder it was ingested from is unknown or gone; "
                                "run `kit ingest FOLDER --rebuild`")
    return root


if __name__ == "__main__":
    _probe(sys.argv[1])
