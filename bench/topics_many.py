"""`kit topics` on 2,000 short documents at the default settings: wall time of a cold process.

    python -m bench.topics_many          # writes bench/results/topics_many.json

Issue 23 asks for `kit topics` on 2,000 news articles in under 30 s cold. The text at hand has
fewer documents than that, so they are cut the way a news corpus of short pieces would read: each
SQuAD 2.0 dev-half paragraph in two (its title as the first line), each MultiLing article in
quarters of its paragraphs, beside the virtualenv's package descriptions (about 2,050 files,
10,000 chunks at the default chunk size). Built once under /tmp and reused. Timed three times, each
a fresh `kit topics --json` process with the topic cache deleted first; reported with each run's
wall and CPU seconds and the machine's load, and the topics and themes of the last run.
"""

from __future__ import annotations

import json
import os
import re
import time
from pathlib import Path
from typing import Any

import numpy as np

import kit
from bench import eval_topics as ev
from bench import topics_scale as ts
from kit.topics.cache import FILE

WORK = Path("/tmp/kit-many")
RESULTS = ev.ROOT / "bench" / "results" / "topics_many.json"
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+")


def build_corpus(folder: Path) -> int:
    """Write the files once; returns how many there are."""
    folder.mkdir(parents=True, exist_ok=True)
    n = 0
    for article in json.loads(ts.SQUAD.read_text(encoding="utf-8"))["data"]:
        for para in article["paragraphs"]:
            sents = _SENTENCE_END.split(para["context"])
            half = max(1, len(sents) // 2)
            for part in (sents[:half], sents[half:]):
                if part:
                    _write(folder / f"squad_{n:05d}.txt", article["title"].replace("_", " ") + "\n\n" + " ".join(part))
                    n += 1
    docs, _ = ev.load_data()
    for doc in docs:
        paras = [p for p in doc["text"].split("\n") if p.strip()]
        step = max(1, len(paras) // 4)
        for start in range(0, len(paras), step):
            _write(folder / f"news_{n:05d}.txt", "\n".join(paras[start:start + step]))
            n += 1
    for meta in sorted(ts.PACKAGES.glob("*.dist-info/METADATA")):
        _write(folder / f"package_{n:05d}.md", meta.read_text(encoding="utf-8", errors="replace"))
        n += 1
    return n


def _write(path: Path, text: str) -> None:
    if not path.exists():
        path.write_text(text, encoding="utf-8")


def main() -> None:
    corpus, store = WORK / "corpus", WORK / "store"
    files = build_corpus(corpus)
    report = kit.open(store_dir=str(store), llm="extractive").ingest(corpus)
    runs: list[dict[str, float]] = []
    topics: list[dict[str, Any]] = []
    for _ in range(3):
        (store / FILE).unlink(missing_ok=True)
        load = os.getloadavg()[0]
        offline = {k: v for k, v in os.environ.items() if not k.startswith("KIT_")}  # the defaults
        wall, cpu, topics = ts.timed_topics(store, offline)
        runs.append({"wall": round(wall, 2), "cpu": round(cpu, 2), "load_avg_1min": round(load, 2)})
        ev.log(f"kit topics (cold): {wall:.1f} s wall, {cpu:.1f} s CPU, {len(topics)} topics, load {load:.1f}")
    themes = sorted({(t["theme"]["number"], t["theme"]["label"], len(t["theme"]["stories"])) for t in topics
                     if t.get("theme")})
    result = {"files": files, "chunks": report.chunks, "runs": runs,
              "median_wall": float(np.median([r["wall"] for r in runs])),
              "topics": [(t["title"], len(t["documents"])) for t in topics], "themes": themes,
              "date": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())}
    RESULTS.write_text(json.dumps(result, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    print(json.dumps({k: v for k, v in result.items() if k != "topics"}, indent=2, ensure_ascii=False))


if __name__ == "__main__":
    main()
