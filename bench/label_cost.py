"""What labels from shared phrases cost: the phrase pass against the keyword pass kit already ran.

    python -m bench.label_cost [--store PATH]   # writes bench/results/label_cost.json

Texts: the `bench.topics_scale` corpus (SQuAD dev-half paragraphs, the MultiLing articles, this
virtualenv's package descriptions; about a thousand files), read from disk, no model needed.
Timed in the same run, interleaved, 5 times each, medians of wall and CPU time:
- phrases: `document_phrases` over every file (what labelling adds);
- keywords: `ctfidf_labels` over the same files in 30 groups (the keyword pass every run has).
With --store (a store of the MultiLing articles), also the whole of `discover` on it with and
without shared-phrase labels.
"""

from __future__ import annotations

import argparse
import json
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from bench import eval_topics as ev
from bench.topics_scale import build_corpus

RESULTS = ev.ROOT / "bench" / "results" / "label_cost.json"
RUNS = 5


def timed(runs: dict[str, Callable[[], object]]) -> dict[str, dict[str, float]]:
    """Each function run RUNS times, interleaved; median wall and CPU seconds."""
    wall: dict[str, list[float]] = {k: [] for k in runs}
    cpu: dict[str, list[float]] = {k: [] for k in runs}
    for _ in range(RUNS):
        for name, run in runs.items():
            w, c = time.perf_counter(), time.process_time()
            run()
            wall[name].append(time.perf_counter() - w)
            cpu[name].append(time.process_time() - c)
    return {k: {"wall_median": round(statistics.median(wall[k]), 3), "cpu_median": round(statistics.median(cpu[k]), 3)}
            for k in runs}


def scale_texts() -> dict[str, str]:
    folder = Path(tempfile.mkdtemp(prefix="kit-labels-"))
    build_corpus(folder)
    return {str(p): p.read_text(encoding="utf-8") for p in sorted(folder.rglob("*.*")) if p.is_file()}


def store_runs(store: str) -> dict[str, Callable[[], object]]:
    import kit.topics.cluster as cluster
    from kit.api import Kit

    k = Kit(store_dir=store)
    chunks, vectors = k.store.all_vectors()
    keep = [i for i, c in enumerate(chunks) if c.section in k.settings.summary_sections]
    chunks, vectors = [chunks[i] for i in keep], vectors[keep]
    shared = cluster.shared_label

    def without() -> object:
        cluster.shared_label = lambda *a: None  # the headline labels of before
        try:
            return cluster.discover(chunks, vectors, None, None, k.embedder)
        finally:
            cluster.shared_label = shared

    return {"discover": lambda: cluster.discover(chunks, vectors, None, None, k.embedder),
            "discover_headlines_only": without}


def main() -> None:
    from kit.topics.cluster import ctfidf_labels
    from kit.topics.phrases import document_phrases

    parser = argparse.ArgumentParser()
    parser.add_argument("--store", help="a store of the MultiLing articles")
    args = parser.parse_args()
    texts = scale_texts()
    groups = [list(texts.values())[i::30] for i in range(30)]
    out: dict[str, Any] = {"files": len(texts), "chars": sum(map(len, texts.values())),
                           "scale": timed({"phrases": lambda: document_phrases(texts),
                                           "keywords": lambda: ctfidf_labels(groups)})}
    if args.store:
        out["multiling_store"] = timed(store_runs(args.store))
    RESULTS.write_text(json.dumps(out, indent=2) + "\n", encoding="utf-8")
    print(json.dumps(out, indent=2))


if __name__ == "__main__":
    main()
