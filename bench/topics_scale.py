"""`kit topics` on a store of 15,000+ chunks: wall time of a cold process, and of a rerun.

    python -m bench.topics_scale          # writes bench/results/topics_scale.json

The store mixes three kinds of text: the SQuAD 2.0 dev half (646 paragraph files, 16 Wikipedia
articles), the 100 MultiLing news articles, and the package descriptions of this virtualenv
(every `*.dist-info/METADATA`, ~3 MB of software documentation: the "file, option, name" kind of
corpus), ingested with the default MiniLM embedder at chunk_size 200 and chunk_overlap 20 to pass
15,000 chunks with the text at hand (at the default 800 characters that many chunks is a ~12 MB
corpus). Built once under /tmp and reused. (Copies of files cannot pad it: ingest skips exact
and near duplicates.)

Timed, each in a fresh `kit topics --json` process with the offline defaults, 3 times:
- cold: the topic cache file deleted first, so everything is clustered and labelled;
- rerun: the cache of the previous run in place and nothing changed (every topic unchanged).
Reported: median and each run's wall time, the CPU time of the child, and the machine's load.
Also: topics found and NMI of documents against their sources (16 SQuAD articles, MultiLing,
packages), a sanity check that large corpora still give sensible topics.
"""

from __future__ import annotations

import json
import os
import resource
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import numpy as np

import kit
from bench import eval_topics as ev
from bench.squad_corpus import slug
from kit.topics.cache import FILE

WORK = Path("/tmp/kit-scale")
SQUAD = ev._SHARED / "data" / "squad2_dev_half" / "dev-v2.0.json"
RESULTS = ev.ROOT / "bench" / "results" / "topics_scale.json"
SETTINGS = {"chunk_size": 200, "chunk_overlap": 20}
PACKAGES = Path(sys.prefix) / "lib" / f"python{sys.version_info.major}.{sys.version_info.minor}" / "site-packages"


def build_corpus(folder: Path) -> dict[str, str]:
    """SQuAD paragraphs and MultiLing articles as files; returns file -> source (article or 'multiling')."""
    gold: dict[str, str] = {}
    for article in json.loads(SQUAD.read_text(encoding="utf-8"))["data"]:
        name = slug(article["title"])
        (folder / "squad" / name).mkdir(parents=True, exist_ok=True)
        for n, para in enumerate(article["paragraphs"]):
            rel = f"squad/{name}/{n:03d}.txt"
            if not (folder / rel).exists():
                (folder / rel).write_text(para["context"], encoding="utf-8")
            gold[rel] = name
    docs, _ = ev.load_data()
    ev.write_corpus(docs, folder / "multiling")
    gold.update({f"multiling/{d['doc_id']}.txt": "multiling" for d in docs})
    (folder / "packages").mkdir(exist_ok=True)
    for meta in sorted(PACKAGES.glob("*.dist-info/METADATA")):
        rel = f"packages/{meta.parent.name.split('-')[0]}.md"
        if not (folder / rel).exists():
            (folder / rel).write_text(meta.read_text(encoding="utf-8", errors="replace"), encoding="utf-8")
        gold[rel] = "packages"
    return gold


def env() -> dict[str, str]:
    out = {k: v for k, v in os.environ.items() if not k.startswith("KIT_")}
    out.update({f"KIT_{k.upper()}": str(v) for k, v in SETTINGS.items()})
    return out


def timed_topics(store: Path, environ: dict[str, str] | None = None) -> tuple[float, float, list[dict[str, Any]]]:
    """Wall and CPU seconds of a fresh `kit topics --json` process (with `environ`, else this
    bench's settings), and its topics."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    done = subprocess.run([*ev.kit_cli(), "topics", "--store", str(store), "--json"], check=True,
                          capture_output=True, text=True, env=env() if environ is None else environ, cwd=ev.ROOT)
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime + after.ru_stime) - (before.ru_utime + before.ru_stime)
    return wall, cpu, json.loads(done.stdout)


def nmi(topics: list[dict[str, Any]], gold: dict[str, str]) -> float:
    from sklearn.metrics import normalized_mutual_info_score

    # kit names a file by its path from the folder ingested, "corpus/squad/...": gold's keys start inside it.
    assigned = {d.removeprefix("corpus/"): t["number"] for t in topics for d in t["documents"]}
    paths = sorted(gold)
    return float(normalized_mutual_info_score([gold[p] for p in paths], [assigned.get(p, -1) for p in paths]))


def main() -> None:
    corpus, store = WORK / "corpus", WORK / "store"
    gold = build_corpus(corpus)
    k = kit.open(store_dir=str(store), llm="extractive", **SETTINGS)
    started = time.perf_counter()
    report = k.ingest(corpus, progress=True)
    ev.log(f"ingest: {report.chunks} chunks, {report.embedded} embedded ({time.perf_counter() - started:.0f} s)")
    runs: dict[str, list[dict[str, Any]]] = {"cold": [], "rerun": []}
    topics: list[dict[str, Any]] = []
    for _ in range(3):
        (store / FILE).unlink(missing_ok=True)
        for name in ("cold", "rerun"):
            load = os.getloadavg()[0]
            wall, cpu, topics = timed_topics(store)
            runs[name].append({"wall": round(wall, 2), "cpu": round(cpu, 2), "load_avg_1min": round(load, 2)})
            ev.log(f"kit topics ({name}): {wall:.1f} s wall, {cpu:.1f} s CPU, {len(topics)} topics, load {load:.1f}")
    result = {"chunks": report.chunks, "files": report.files, "settings": SETTINGS, "runs": runs,
              "median_wall": {n: float(np.median([r["wall"] for r in rs])) for n, rs in runs.items()},
              "topics": len(topics), "nmi_vs_sources": round(nmi(topics, gold), 4),
              "changes_on_rerun": sorted({t["change"] for t in topics}),
              "labels": [t["title"] for t in topics]}
    print(json.dumps({k: v for k, v in result.items() if k != "labels"}, indent=2))
    RESULTS.write_text(json.dumps(result, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    ev.log(f"wrote {RESULTS}")


if __name__ == "__main__":
    main()
