"""SQuAD 2.0 dev half as a kit corpus: one .txt file per paragraph, plus QA items.

Gold source of a question = the file of its paragraph. Used by the retrieval benchmark,
the abstention calibration and `kit evaluate` runs on SQuAD.
"""

from __future__ import annotations

import json
import random
import re
from collections.abc import Iterable
from pathlib import Path

import kit
from kit.config import Settings
from kit.evaluate import QAItem
from kit.types import IngestReport

SQUAD = Path(__file__).resolve().parents[2] / "shared" / "data" / "squad2_dev_half" / "dev-v2.0.json"
WORK = Path("/tmp/kit-bench-squad")  # corpus, stores and feature caches, reused between runs


def slug(title: str) -> str:
    return re.sub(r"[^A-Za-z0-9]+", "_", title).strip("_")[:40]


def write_corpus(folder: Path, squad: Path = SQUAD) -> list[tuple[str, QAItem]]:
    """Write paragraphs under `folder`; return (article, item) for every question."""
    data = json.loads(squad.read_text(encoding="utf-8"))["data"]
    out: list[tuple[str, QAItem]] = []
    for article in data:
        name = slug(article["title"])
        (folder / name).mkdir(parents=True, exist_ok=True)
        for n, para in enumerate(article["paragraphs"]):
            rel = f"{name}/{n:03d}.txt"
            path = folder / rel
            if not path.exists():
                path.write_text(para["context"], encoding="utf-8")
            for qa in para["qas"]:
                answers = tuple(sorted({re.escape(a["text"]) for a in qa["answers"]}))
                out.append((name, QAItem(qa["question"], (rel,), answers, not qa["is_impossible"])))
    return out


def sample(items: list[tuple[str, QAItem]], n: int, seed: int = 0) -> list[tuple[str, QAItem]]:
    rng = random.Random(seed)
    return rng.sample(items, min(n, len(items)))


def write_jsonl(items: list[QAItem], path: Path) -> None:
    rows = [{"question": i.question, "gold_sources": list(i.gold_sources), "answers": list(i.answers),
             "answerable": i.answerable} for i in items]
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")


def squad_kit() -> tuple[kit.Kit, list[tuple[str, QAItem]], IngestReport]:
    """The corpus written under WORK and ingested into a store kept per embedder (settings from KIT_*)."""
    items = write_corpus(WORK / "corpus")
    # The store sits in the corpus folder, so stored names are `<article>/<nnn>.txt` like the gold ones.
    k = kit.open(store_dir=str(WORK / "corpus" / f".kit-{Settings.load().embedder}"))
    return k, items, k.ingest(WORK / "corpus")


def training_articles(articles: Iterable[str]) -> set[str]:
    """Every other article by title: the abstention calibration fits on these, and is judged on the rest."""
    return set(sorted(set(articles))[::2])
