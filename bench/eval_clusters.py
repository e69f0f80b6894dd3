"""Summaries on 36 more clusters, each with three reference summaries of about 100 words written
for this benchmark: kit against LexRank, centroid and lead, as `bench/eval_topics.py` scores them.

    python -m bench.eval_clusters                 # the dev clusters; writes bench/results/clusters_dev.json
    python -m bench.eval_clusters --split test    # after the fact only: never to choose

The clusters (`bench/data/summaries/clusters.jsonl`, provenance in `bench/data/README.md`):
- news: each MultiLing 2011 story in two halves of five articles, in the data set's order (20);
- wiki: each of the 16 SQuAD dev-half Wikipedia articles, cut into files of four paragraphs (16).
Dev and test: the halves of the even-numbered MultiLing stories and every other article by title
are dev; the rest is test. Summaries are 100 words by the rule of eval_topics (whole sentences,
none past the budget), ROUGE-1 and ROUGE-2 recall (rouge_score, Porter stemming) averaged over
the three references, then clusters. Every kit sentence is re-checked: quote at its span in the
raw file, claim supported. The idf of the peers is each set's own documents.
"""

from __future__ import annotations

import argparse
import json
import re
import time
from pathlib import Path
from typing import Any

import numpy as np

import kit
from bench import eval_topics as ev
from bench import peers
from kit.api import Kit
from kit.config import Settings
from kit.topics.salience import candidates
from kit.topics.summarize import extractive_summary

CLUSTERS = ev.ROOT / "bench" / "data" / "summaries" / "clusters.jsonl"
SQUAD = ev._SHARED / "data" / "squad2_dev_half" / "dev-v2.0.json"
WORK = Path("/tmp/kit-clusters")
BUDGET = 100
PARAGRAPHS = 4  # a wiki file: four consecutive paragraphs of its article
SYSTEMS = ("kit", "lexrank", "centroid", "lead")


def load_clusters(split: str) -> list[dict[str, Any]]:
    rows = [json.loads(line) for line in CLUSTERS.open(encoding="utf-8")]
    return [r for r in rows if split == "all" or r["split"] == split]


def news_texts() -> dict[str, str]:
    docs, _ = ev.load_data()
    return {d["doc_id"]: d["text"] for d in docs}


def wiki_texts() -> dict[str, str]:
    """`<Article>/<nn>`: four consecutive paragraphs of a SQuAD article, blank-line separated."""
    out = {}
    for article in json.loads(SQUAD.read_text(encoding="utf-8"))["data"]:
        name = re.sub(r"[^A-Za-z0-9]+", "_", article["title"]).strip("_")
        paras = [p["context"] for p in article["paragraphs"]]
        for n in range(0, len(paras), PARAGRAPHS):
            out[f"{name}/{n // PARAGRAPHS:02d}"] = "\n\n".join(paras[n:n + PARAGRAPHS]) + "\n"
    return out


def open_set(name: str) -> tuple[Kit, Path, dict[str, str]]:
    """The set's documents as files (one per document id) in a store reused between runs."""
    if name == "news":
        k, corpus, docs, _ = ev.open_multiling(ev.WORK)
        return k, corpus, {d["doc_id"]: d["text"] for d in docs}
    texts = wiki_texts()
    corpus = WORK / name / "corpus"
    for doc_id, text in texts.items():
        path = corpus / f"{doc_id}.txt"
        path.parent.mkdir(parents=True, exist_ok=True)
        if not path.exists() or path.read_text(encoding="utf-8") != text:
            path.write_text(text, encoding="utf-8")
    k = kit.open(store_dir=str(corpus / f".kit-{Settings.load().embedder}"), llm="extractive")
    report = k.ingest(corpus).to_dict()
    ev.log(f"{name} ingest: {report['chunks']} chunks, {report['embedded']} embedded")
    return k, corpus, texts


def score_set(name: str, rows: list[dict[str, Any]]) -> dict[str, Any]:
    k, corpus, texts = open_set(name)
    topics = ev.gold_topics(k, [{"topic_id": r["cluster"], "doc_ids": r["doc_ids"]} for r in rows])
    idf = peers.corpus_idf(list(texts.values()))
    evidence, embedder = k.context(), ev.CachedEmbedder(k.embedder)
    per: list[dict[str, Any]] = []
    checked = shown = 0
    for topic, row in zip(topics, rows, strict=True):
        refs = [r["summary"] for r in row["references"]]
        cands = candidates(topic.chunks)
        summary = extractive_summary(topic, embedder, evidence, max_sentences=100, max_words=BUDGET)
        ok, total = ev.checked_sentences(summary, corpus)
        checked, shown = checked + ok, shown + total
        outputs = {"kit": " ".join(c.text for c in summary.shown),
                   **ev.peer_texts(cands, idf, [texts[d] for d in row["doc_ids"]], f"{row['doc_ids'][0]}.txt", BUDGET)}
        scores = {s: ev.rouge(t, refs) for s, t in outputs.items()}
        per.append({"cluster": row["cluster"], **{s: {m: round(v[m]["recall"], 4) for m in ev.METRICS}
                                                  for s, v in scores.items()},
                    "kit_sentences": [c.text for c in summary.shown]})
        ev.log(f"  {row['cluster']}: " + "  ".join(f"{s} {per[-1][s]['rouge1']:.3f}/{per[-1][s]['rouge2']:.3f}"
                                                  for s in SYSTEMS))
    means = {s: {m: round(float(np.mean([p[s][m] for p in per])), 4) for m in ev.METRICS} for s in SYSTEMS}
    return {"clusters": len(per), "means": means, "ratio_to_better_peer": ratios(means),
            "kit_sentences_cited_and_supported": f"{checked} of {shown}", "per_cluster": per}


def ratios(means: dict[str, dict[str, float]]) -> dict[str, float]:
    return {m: round(means["kit"][m] / max(means["lexrank"][m], means["centroid"][m]), 3) for m in ev.METRICS}


def table(results: dict[str, Any]) -> list[str]:
    lines = ["| set | clusters | system | R-1 recall | R-2 recall |", "|---|---|---|---|---|"]
    for name, r in results["sets"].items():
        for s in SYSTEMS:
            lines.append(f"| {name} | {r['clusters']} | {s} | {r['means'][s]['rouge1']} | {r['means'][s]['rouge2']} |")
        lines.append(f"| {name} | | kit ÷ better peer | {r['ratio_to_better_peer']['rouge1']} | "
                     f"{r['ratio_to_better_peer']['rouge2']} |")
    return lines


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--split", choices=("dev", "test", "all"), default="dev")
    ap.add_argument("--out", type=Path, default=None)
    args = ap.parse_args()
    rows = load_clusters(args.split)
    started = time.perf_counter()
    results: dict[str, Any] = {"split": args.split, "budget_words": BUDGET, "sets": {}}
    for name in ("news", "wiki"):
        chosen = [r for r in rows if r["set"] == name]
        if chosen:
            results["sets"][name] = score_set(name, chosen)
    results["seconds"] = round(time.perf_counter() - started, 1)
    print("\n".join(table(results)))
    out = args.out or ev.ROOT / "bench" / "results" / f"clusters_{args.split}.json"
    out.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
