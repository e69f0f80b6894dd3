"""`kit topics` on 2,000 short documents at the default settings: wall time of a cold process.

    python -m bench.topics_many          # writes bench/results/topics_many.json

Issue 23 asks for `kit topics` on 2,000 news articles in under 30 s cold. The text at hand has
fewer documents than that, so they are cut the way a news corpus of short pieces would read: each
SQuAD 2.0 dev-half paragraph in two (its title as the first line), each MultiLing article in
quarters of its paragraphs, beside the virtualenv's package descriptions (about 2,050 files,
10,000 chunks at the default chunk size). Built once under /tmp and reused. Timed three times, each
a fresh `kit topics --json` process with the topic cache deleted first; reported with each run's
wall and CPU seconds and the machine's load, the topics and themes of the last run, and how its
topics hold the 26 stories (16 SQuAD articles, 10 MultiLing stories; `stories`).
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


def build_corpus(folder: Path) -> dict[str, str]:
    """Write the files once; returns each file's source: its SQuAD article, its MultiLing story
    ("M003") or "package"."""
    folder.mkdir(parents=True, exist_ok=True)
    gold: dict[str, str] = {}
    for article in json.loads(ts.SQUAD.read_text(encoding="utf-8"))["data"]:
        for para in article["paragraphs"]:
            sents = _SENTENCE_END.split(para["context"])
            half = max(1, len(sents) // 2)
            for part in (sents[:half], sents[half:]):
                if part:
                    name = f"squad_{len(gold):05d}.txt"
                    _write(folder / name, article["title"].replace("_", " ") + "\n\n" + " ".join(part))
                    gold[name] = article["title"]
    docs, _ = ev.load_data()
    for doc in docs:
        paras = [p for p in doc["text"].split("\n") if p.strip()]
        step = max(1, len(paras) // 4)
        for start in range(0, len(paras), step):
            name = f"news_{len(gold):05d}.txt"
            _write(folder / name, "\n".join(paras[start:start + step]))
            gold[name] = doc["doc_id"][:4]
    for meta in sorted(ts.PACKAGES.glob("*.dist-info/METADATA")):
        name = f"package_{len(gold):05d}.md"
        _write(folder / name, meta.read_text(encoding="utf-8", errors="replace"))
        gold[name] = "package"
    return gold


def stories(topics: list[dict[str, Any]], gold: dict[str, str]) -> dict[str, Any]:
    """How the SQuAD articles and MultiLing stories (not the packages) fall into topics: NMI and
    ARI of their files' topics against their sources, and the stories recovered, a topic holding
    at least 80% of the story's files and made at least 80% of them."""
    from sklearn.metrics import adjusted_rand_score, normalized_mutual_info_score

    topic_of = {Path(d).name: t["number"] for t in topics for d in t["documents"]}
    files = sorted(f for f, g in gold.items() if g != "package" and f in topic_of)
    truth, found = [gold[f] for f in files], [topic_of[f] for f in files]
    recovered = []
    for story in sorted(set(truth)):
        mine = [t for t, g in zip(found, truth, strict=True) if g == story]
        best = max(set(mine), key=mine.count)
        inside = [g for t, g in zip(found, truth, strict=True) if t == best]
        if mine.count(best) >= 0.8 * len(mine) and inside.count(story) >= 0.8 * len(inside):
            recovered.append(story)
    return {"nmi": round(float(normalized_mutual_info_score(truth, found)), 3),
            "ari": round(float(adjusted_rand_score(truth, found)), 3),
            "stories": len(set(truth)), "recovered": len(recovered),
            "package_topics": sum(1 for t in topics
                                  if sum(gold.get(Path(d).name) == "package" for d in t["documents"]) * 2
                                  > len(t["documents"]))}


def _write(path: Path, text: str) -> None:
    if not path.exists():
        path.write_text(text, encoding="utf-8")


def main() -> None:
    corpus, store = WORK / "corpus", WORK / "store"
    gold = build_corpus(corpus)
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
    result = {"files": len(gold), "chunks": report.chunks, "runs": runs, "stories": stories(topics, gold),
              "median_wall": float(np.median([r["wall"] for r in runs])),
              "topics": [(t["title"], len(t["documents"])) for t in topics], "themes": themes,
              "date": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())}
    RESULTS.write_text(json.dumps(result, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    print(json.dumps({k: v for k, v in result.items() if k != "topics"}, indent=2, ensure_ascii=False))


if __name__ == "__main__":
    main()
