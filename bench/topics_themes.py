"""Themes above stories: do the themes kit finds match the grouping a reader makes, and what do
they cost?

    python -m bench.topics_themes                 # writes bench/results/topics_themes.json
    python -m bench.topics_themes --parts grouping

The reader's grouping below was written down before kit had a theme level, so before any theme
output existed; nothing in kit was chosen by looking at these figures.

**MultiLing 2011** (100 WikiNews articles, 10 stories). A reader asked to put the ten stories
under a handful of headings would write:

- natural disasters: M000 tsunami aid 2004, M005 Chile earthquake, M006 Haiti earthquake;
- terrorism, war and detention: M001 London 7/7 bombings, M002 Royal Navy sailors held by Iran,
  M007 Abu Ghraib;
- sport: M003 Tour de France, M009 Beijing Olympics;
- standing alone: M004 Bali climate conference (politics of the environment), M008 Air France
  447 (an air accident, not a natural disaster).

A second reading a reader could also defend puts M008 with the disasters ("disasters"); both are
scored, the first is the one reported first. Agreement is NMI and ARI between the themes kit gives
the documents (a story that stands alone is its own theme) and the reader's headings (a story
standing alone is its own heading), on the 100 documents.

**Mixed corpus** (the store of `bench/topics_scale.py`: SQuAD 2.0 dev half paragraphs, the
MultiLing articles, the virtualenv's package descriptions; 979 files). Used for the time of the
theme step. A reader's headings there, written down the same way: the MultiLing stories as above;
the software package descriptions as one heading; of the 16 Wikipedia articles, history (Normans,
Huguenot, Yuan dynasty, French and Indian War, Imperialism), science and technology
(Computational complexity theory, Packet switching, Steam engine, Force, Immune system),
government and law (European Union law, Scottish Parliament, Islamism), and alone 1973 oil crisis,
Harvard University, Warsaw.

Timing (`--parts timing`): a fresh `kit topics --json` process with no topic cache on that store,
the code of the commit before themes ("before", unpacked from git) and this checkout ("after")
interleaved, 3 times each, wall and CPU seconds and the machine's load; then the theme step alone
(grouping, labels, keywords) in one process, median of 3.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import tarfile
import time
from io import BytesIO
from pathlib import Path
from typing import Any, cast

import numpy as np

import kit
from bench import eval_topics as ev
from bench import topics_scale as ts
from kit.topics.cache import FILE

RESULTS = ev.ROOT / "bench" / "results" / "topics_themes.json"
WORK = Path("/tmp/kit-themes-bench")
SCALE = Path("/tmp/kit-themes-scale")  # the mixed store, built once (ingest of 1,006 files: ~4 min)
BASE = "5724d5b"  # the commit before themes: the "before" of the timing
READER = {"M000": "disasters", "M005": "disasters", "M006": "disasters",
          "M001": "conflict", "M002": "conflict", "M007": "conflict",
          "M003": "sport", "M009": "sport", "M004": "climate", "M008": "air-france"}
READER_ALT = {**READER, "M008": "disasters"}
SQUAD_READER = {"Normans": "history", "Huguenot": "history", "Yuan_dynasty": "history",
                "French_and_Indian_War": "history", "Imperialism": "history",
                "Computational_complexity_theory": "science", "Packet_switching": "science",
                "Steam_engine": "science", "Force": "science", "Immune_system": "science",
                "European_Union_law": "government", "Scottish_Parliament": "government", "Islamism": "government"}


def heading(topics: list[dict[str, Any]]) -> dict[str, str]:
    """Each document's top-level heading: its theme, or its story when the story stands alone."""
    return {d: f"theme {t['theme']['number']}" if t.get("theme") else f"story {t['number']}"
            for t in topics for d in t["documents"]}


def agreement(assigned: dict[str, str], gold: dict[str, str]) -> dict[str, float]:
    from sklearn.metrics import adjusted_rand_score, normalized_mutual_info_score

    paths = sorted(gold)
    a, g = [assigned.get(p, "none") for p in paths], [gold[p] for p in paths]
    return {"nmi": round(float(normalized_mutual_info_score(g, a)), 4),
            "ari": round(float(adjusted_rand_score(g, a)), 4)}


def grouping() -> dict[str, Any]:
    docs, _ = ev.load_data()
    folder, store = WORK / "multiling", WORK / "multiling-store"
    ev.write_corpus(docs, folder)
    k = kit.open(store_dir=str(store), llm="extractive")
    k.ingest(folder)
    (store / FILE).unlink(missing_ok=True)
    topics = cast(list[dict[str, Any]], k.topics().to_dict())
    name = {f"{d['doc_id']}.txt": d["topic_id"] for d in docs}
    tops = {Path(p).name: h for p, h in heading(topics).items()}
    stories = {Path(p).name: str(t["number"]) for t in topics for p in t["documents"]}
    themes = {t["theme"]["number"]: t["theme"] for t in topics if t.get("theme")}
    out = {"stories": len(topics), "themes": len(themes),
           "story_vs_gold": agreement(stories, name),
           "themes_vs_reader": agreement(tops, {p: READER[g] for p, g in name.items()}),
           "themes_vs_reader_alt": agreement(tops, {p: READER_ALT[g] for p, g in name.items()}),
           "tree": [{"theme": th["label"], "keywords": th["keywords"], "documents": th["documents"],
                     "stories": [(t["title"], sorted({name[Path(p).name] for p in t["documents"]}))
                                 for n in th["stories"] for t in topics if t["number"] == n]}
                    for th in themes.values()],
           "alone": [(t["title"], sorted({name[Path(p).name] for p in t["documents"]})) for t in topics
                     if not t.get("theme")]}
    seeds = kit.open(store_dir=str(WORK / "seeds-store"), llm="extractive")
    seeds.ingest(ev.ROOT / "seeds")
    found = cast(list[dict[str, Any]], seeds.topics().to_dict())
    out["seeds"] = {"stories": len(found), "themes": len({t["theme"]["number"] for t in found if t.get("theme")})}
    return out


def base_code() -> Path:
    """The code of commit BASE, unpacked once: the "before" side of the timing."""
    target = WORK / f"base-{BASE}"
    if not (target / "kit").is_dir():
        data = subprocess.run(["git", "archive", BASE, "kit"], check=True, capture_output=True, cwd=ev.ROOT).stdout
        with tarfile.open(fileobj=BytesIO(data)) as tar:
            tar.extractall(target, filter="data")
    return target


def cold(store: Path, code: Path) -> tuple[float, float, list[dict[str, Any]]]:
    """Wall and CPU seconds of a fresh `kit topics --json` process with no topic cache, and its topics."""
    (store / FILE).unlink(missing_ok=True)
    env = {**ts.env(), "PYTHONPATH": str(code)}
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    done = subprocess.run([*ev.kit_cli(), "topics", "--store", str(store), "--json"], check=True,
                          capture_output=True, text=True, env=env, cwd=WORK)  # one folder for both sides
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime + after.ru_stime) - (before.ru_utime + before.ru_stime)
    return wall, cpu, json.loads(done.stdout)


def timing(repeats: int = 3) -> dict[str, Any]:
    corpus, store = SCALE / "corpus", SCALE / "store"
    gold = ts.build_corpus(corpus)
    report = kit.open(store_dir=str(store), llm="extractive", **ts.SETTINGS).ingest(corpus)
    sides = {"before": base_code(), "after": ev.ROOT}
    runs: dict[str, list[dict[str, float]]] = {s: [] for s in sides}
    topics: list[dict[str, Any]] = []
    for _ in range(repeats):
        for side, code in sides.items():  # interleaved, so both sides see the same load
            load = os.getloadavg()[0]
            wall, cpu, found = cold(store, code)
            runs[side].append({"wall": round(wall, 2), "cpu": round(cpu, 2), "load_avg_1min": round(load, 2)})
            ev.log(f"kit topics cold ({side}): {wall:.1f} s wall, {cpu:.1f} s CPU, load {load:.1f}")
            topics = found if side == "after" else topics
    med = {s: float(np.median([r["wall"] for r in rs])) for s, rs in runs.items()}
    cpus = {s: float(np.median([r["cpu"] for r in rs])) for s, rs in runs.items()}
    reader = {p: SQUAD_READER.get(src, src) for p, src in gold.items()}
    return {"files": report.files, "chunks": report.chunks, "runs": runs, "median_wall": med,
            "added_s": round(med["after"] - med["before"], 2), "ratio": round(med["after"] / med["before"], 3),
            "median_cpu": cpus, "added_cpu_s": round(cpus["after"] - cpus["before"], 2),
            "theme_step_s": theme_step(store, repeats), "stories": len(topics),
            "themes": sorted({(t["theme"]["number"], t["theme"]["label"], len(t["theme"]["stories"]),
                               t["theme"]["documents"]) for t in topics if t.get("theme")}),
            "themes_vs_reader": agreement({p.split("/", 1)[1]: h for p, h in heading(topics).items()}, reader)}


def theme_step(store: Path, repeats: int) -> float:
    """Median seconds of the theme step alone (grouping, labels, keywords) in one process."""
    from kit.topics import cluster as c
    from kit.topics.theme_labels import with_themes

    k = kit.open(store_dir=str(store), llm="extractive", **ts.SETTINGS)
    chunks, vectors = k.store.all_vectors()
    parts = c.units(chunks, vectors)
    matrix = np.stack([u.vector for u in parts])
    labels = c.cluster(matrix)
    groups = [[int(i) for i in np.flatnonzero(labels == t)] for t in sorted(set(labels.tolist()))]
    reading = c.read_corpus(chunks, [[i for u in g for i in parts[u].chunks] for g in groups])
    topics = c.build_topics(chunks, vectors, [[parts[u] for u in g] for g in groups], None, None, reading=reading)
    times = []
    for _ in range(repeats):
        started = time.perf_counter()
        with_themes(topics, groups, c.centred(matrix), reading)
        times.append(time.perf_counter() - started)
    return round(float(np.median(times)), 3)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--parts", nargs="+", default=["grouping", "timing"], choices=["grouping", "timing"])
    args = parser.parse_args()
    WORK.mkdir(parents=True, exist_ok=True)
    result: dict[str, Any] = json.loads(RESULTS.read_text(encoding="utf-8")) if RESULTS.exists() else {}
    if "grouping" in args.parts:
        result["grouping"] = grouping()
    if "timing" in args.parts:
        result["timing"] = timing()
    result["machine_load_end"] = round(os.getloadavg()[0], 2)
    RESULTS.write_text(json.dumps(result, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    print(json.dumps(result, indent=2, ensure_ascii=False))


if __name__ == "__main__":
    main()
