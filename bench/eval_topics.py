"""Topics and summaries: kit against LexRank, centroid and lead on MultiLing 2011 (English),
topic discovery NMI/ARI, the seeds' stories, and `kit summarize` wall time.

    python -m bench.eval_topics                    # every part; writes bench/results/topics.json
    python -m bench.eval_topics --parts summaries  # one part (clustering, summaries, seeds, cli, llm)

1. Summaries on the 10 gold topics, each a `Topic` of its documents' chunks: kit's extractive
   summary and the peers of `bench/peers.py` (LexRank, MEAD centroid, lead) over the same
   candidate sentences, at 100 and 250 words by the same rule (whole sentences, none past the
   budget). ROUGE-1 and ROUGE-2 recall and F1 (rouge_score, Porter stemming, no stopword
   removal) against every reference summary of the topic, averaged over references, then
   topics. Beside them, a diagnostic that is no target: ROUGE-1 recall over content words only
   (scikit-learn's English stopword list removed before stemming, as ROUGE-1.5.5's -s option
   does), which says whether a ROUGE-1 difference is in what the summary says or in its
   function words. kit's salience weights were chosen on the even-numbered topics ("fit") and are also
   reported on the odd-numbered ones ("held out"). Every kit summary sentence is re-checked
   here: its citation's quote must be the raw file's text at the span and the claim supported.
2. Clustering: the 100 articles in one folder, `Kit.topics()` (k chosen, then k=10 forced);
   each document goes to the topic listing it; NMI and ARI against the 10 gold topics. Then
   100 random small corpora (5-20 of the documents, from 2-5 stories) clustered the same way.
3. Seeds: the topics of the five seed pages, their labels and documents; whether any sentence of
   the default summaries comes from a sidebar or comments.
4. Wall time of a fresh `kit summarize --out x.md` process on the seeds.
5. With an LLM configured (KIT_LLM=openai and KIT_LLM_BASE_URL), kit's map-reduce summaries and
   the LangChain map-reduce recipe; otherwise skipped with the reason recorded.

Markdown tables go to stdout, progress to stderr, numbers to the JSON file.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import numpy as np

import kit
from bench import peers
from kit.api import Kit
from kit.config import Settings
from kit.results import Topic, TopicSummary
from kit.topics.coherence import refers_back
from kit.topics.salience import Candidate, candidates
from kit.topics.summarize import extractive_summary
from kit.types import Chunk, Support

ROOT = Path(__file__).resolve().parents[1]
# ../shared beside the checkout (a git worktree one level deeper finds it one level up).
_SHARED = next((p / "shared" for p in (ROOT.parent, ROOT.parent.parent) if (p / "shared").is_dir()), ROOT.parent)
DATA = _SHARED / "data" / "multiling2011_en"
WORK = Path("/tmp/kit-ml")  # corpus + minilm store, reused between runs (ingest is then a no-op)
BUDGETS = (100, 250)  # words: the short budget and the length of the MultiLing references
METRICS = ("rouge1", "rouge2")
CONTENT = "rouge1_content"  # diagnostic: ROUGE-1 recall with stopwords removed
SYSTEMS = ("kit", "lexrank", "centroid", "lead")
RESULTS = ROOT / "bench" / "results" / "topics.json"


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


# -- data -----------------------------------------------------------------------------------

def load_data() -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    docs = [json.loads(line) for line in (DATA / "docs.jsonl").open(encoding="utf-8")]
    topics = [json.loads(line) for line in (DATA / "topics.jsonl").open(encoding="utf-8")]
    return docs, topics


def write_corpus(docs: list[dict[str, Any]], folder: Path) -> None:
    """One file per article; files already holding the same text are left alone (no re-embed)."""
    folder.mkdir(parents=True, exist_ok=True)
    for d in docs:
        path = folder / f"{d['doc_id']}.txt"
        if not path.exists() or path.read_text(encoding="utf-8") != d["text"]:
            path.write_text(d["text"], encoding="utf-8")


class CachedEmbedder:
    """The kit's embedder with a memo: parameter sweeps embed each sentence once."""

    def __init__(self, inner: Any) -> None:
        self.inner, self.name, self.dim = inner, inner.name, inner.dim
        self.memo: dict[str, np.ndarray] = {}

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        todo = [t for t in dict.fromkeys(texts) if t not in self.memo]
        if todo:
            self.memo.update(zip(todo, self.inner.embed(todo), strict=True))
        return np.stack([self.memo[t] for t in texts]) if texts else np.zeros((0, self.dim), np.float32)


# -- 1. summaries ---------------------------------------------------------------------------

def gold_topics(k: Kit, topic_rows: list[dict[str, Any]]) -> list[Topic]:
    """One Topic per gold topic, from its documents' stored chunks, in document order."""
    chunks, _ = k.store.all_vectors()
    by_path: dict[str, list[Chunk]] = {}
    for c in chunks:
        by_path.setdefault(c.path, []).append(c)
    out = []
    for n, row in enumerate(topic_rows, 1):
        members = tuple(c for d in row["doc_ids"] for c in by_path.get(f"{d}.txt", []))
        out.append(Topic(n, row["topic_id"], (), members))
    return out


def rouge(summary: str, references: list[str]) -> dict[str, dict[str, float]]:
    """ROUGE-1/2 recall and F1 of one summary, averaged over the references, and content-word
    ROUGE-1 recall."""
    from rouge_score import rouge_scorer

    scorer = rouge_scorer.RougeScorer(list(METRICS), use_stemmer=True)
    scores = [scorer.score(ref, summary) for ref in references]
    content = rouge_scorer.RougeScorer(["rouge1"], tokenizer=_ContentTokenizer())
    return {**{m: {"recall": float(np.mean([s[m].recall for s in scores])),
                   "f1": float(np.mean([s[m].fmeasure for s in scores]))} for m in METRICS},
            CONTENT: {"recall": float(np.mean([content.score(ref, summary)["rouge1"].recall for ref in references]))}}


class _ContentTokenizer:
    """rouge_score's tokenization (lower case, alphanumeric runs, Porter stems of words over 3
    letters) with scikit-learn's English stopwords dropped before stemming."""

    def tokenize(self, text: str) -> list[str]:
        from rouge_score import tokenize
        from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS

        kept = " ".join(w for w in tokenize.tokenize(text, None) if w not in ENGLISH_STOP_WORDS)
        return list(tokenize.tokenize(kept, peers.porter_stemmer()))


def checked_sentences(summary: TopicSummary, corpus: Path) -> tuple[int, int]:
    """(shown sentences cited, at their span in the raw file and supported, shown sentences)."""
    files = {c.path: (corpus / c.path).read_text(encoding="utf-8") for c in summary.citations}
    ok = 0
    for claim in summary.shown:
        good = claim.support is Support.SUPPORTED and any(
            c.verified and files[c.path][c.start:c.end] == c.quote for c in claim.citations)
        ok += good
    return ok, len(summary.shown)


def dangling_sentences(summary: TopicSummary, corpus: Path) -> int:
    """Shown sentences whose opening refers back ("He added...") without the sentence before
    them in their file just before them in the summary."""
    out = 0
    for n, claim in enumerate(summary.shown):
        c = claim.citations[0]
        if not refers_back(claim.text):
            continue
        before = (corpus / c.path).read_text(encoding="utf-8")[:c.start].rstrip()
        prev = summary.shown[n - 1].citations[0] if n else None
        out += prev is None or prev.path != c.path or prev.end != len(before)
    return out


def peer_texts(cands: list[Candidate], idf: peers.Idf, docs: list[str], first: str, budget: int) -> dict[str, str]:
    picks = {"lexrank": peers.lexrank(cands, idf, budget), "centroid": peers.centroid(cands, idf, budget, docs),
             "lead": peers.lead(cands, budget, first)}
    return {name: " ".join(cands[i].text for i in sorted(p)) for name, p in picks.items()}


def run_summaries(k: Kit, topics: list[Topic], rows: list[dict[str, Any]], texts: dict[str, str], corpus: Path
                  ) -> dict[str, Any]:
    idf = peers.corpus_idf(list(texts.values()))
    evidence = k.context()
    embedder = CachedEmbedder(k.embedder)
    per_topic: list[dict[str, Any]] = []
    checked = shown = dangling = 0
    for n, (topic, row) in enumerate(zip(topics, rows, strict=True)):
        refs = [r["summary"] for r in row["reference_summaries"]]
        cands = candidates(topic.chunks)
        docs = [texts[d] for d in row["doc_ids"]]
        entry: dict[str, Any] = {"topic": row["topic_id"], "split": "fit" if n % 2 == 0 else "held out"}
        for budget in BUDGETS:
            summary = extractive_summary(topic, embedder, evidence, max_sentences=100, max_words=budget)
            ok, total = checked_sentences(summary, corpus)
            checked, shown = checked + ok, shown + total
            dangling += dangling_sentences(summary, corpus)
            outputs = {"kit": " ".join(c.text for c in summary.shown),
                       **peer_texts(cands, idf, docs, f"{row['doc_ids'][0]}.txt", budget)}
            entry[str(budget)] = {name: {**rouge(text, refs), "words": len(text.split())}
                                  for name, text in outputs.items()}
        per_topic.append(entry)
        log(f"  {row['topic_id']}: " + "  ".join(
            f"{b}w R2 kit {entry[str(b)]['kit']['rouge2']['recall']:.3f} lexrank "
            f"{entry[str(b)]['lexrank']['rouge2']['recall']:.3f} centroid "
            f"{entry[str(b)]['centroid']['rouge2']['recall']:.3f}" for b in BUDGETS))
    return {"per_topic": per_topic, "means": {split: means(per_topic, split) for split in ("all", "fit", "held out")},
            "sentences_shown": shown, "sentences_cited_and_supported": checked, "sentences_dangling": dangling,
            "cited_and_supported_fraction": round(checked / shown, 4) if shown else None}


def means(rows: list[dict[str, Any]], split: str) -> dict[str, Any]:
    chosen = [r for r in rows if split == "all" or r["split"] == split]
    def mean(b: int, s: str, m: str, v: str) -> float:
        return round(float(np.mean([r[str(b)][s][m][v] for r in chosen])), 4)

    return {str(b): {s: {m: {v: mean(b, s, m, v) for v in ("recall", "f1")} for m in METRICS}
                     | {CONTENT: {"recall": mean(b, s, CONTENT, "recall")},
                        "words": round(float(np.mean([r[str(b)][s]["words"] for r in chosen])), 1)}
                     for s in SYSTEMS} for b in BUDGETS}


def summary_targets(s: dict[str, Any], split: str = "all") -> list[tuple[str, str, bool]]:
    """kit's recall at least 5% above the better peer (LexRank, centroid), per metric and budget."""
    out = []
    for b in BUDGETS:
        m = s["means"][split][str(b)]
        for metric in METRICS:
            best = max(m[p][metric]["recall"] for p in ("lexrank", "centroid"))
            mine = m["kit"][metric]["recall"]
            ratio = mine / best if best else float("inf")
            out.append((f"{metric.upper()} recall, {b} words, {split}: kit ≥ 1.05 × better peer",
                        f"{mine:.4f} vs {best:.4f} ({ratio:.3f}x)", ratio >= 1.05))
    return out


def summary_tables(s: dict[str, Any]) -> list[str]:
    lines = []
    for split in ("all", "fit", "held out"):
        lines += ["", f"#### {split} topics ({sum(split in ('all', r['split']) for r in s['per_topic'])})", "",
                  "| words | system | R-1 recall | R-2 recall | R-1 F1 | R-2 F1 | R-1 content recall | mean words |",
                  "|---|---|---|---|---|---|---|---|"]
        for b in BUDGETS:
            for name in SYSTEMS:
                m = s["means"][split][str(b)][name]
                lines.append(f"| {b} | {name} | {m['rouge1']['recall']} | {m['rouge2']['recall']} | "
                             f"{m['rouge1']['f1']} | {m['rouge2']['f1']} | {m[CONTENT]['recall']} | {m['words']} |")
    return lines


# -- 2. clustering --------------------------------------------------------------------------

def doc_assignment(topics: list[Topic]) -> dict[str, int]:
    """Each document's topic: the one holding most of its chunks (ties: the lower number)."""
    votes: dict[str, Counter[int]] = {}
    for t in topics:
        for c in t.chunks:
            votes.setdefault(c.path, Counter())[t.number] += 1
    return {path: min(v.items(), key=lambda kv: (-kv[1], kv[0]))[0] for path, v in votes.items()}


def label_identifies(topics: list[Topic], embedder: Any, label: Callable[[Topic], str]) -> float:
    """Share of topics whose label's embedding is nearer their own centroid than any other's."""
    if len(topics) < 2:
        return 1.0
    centroids = []
    for t in topics:
        v = embedder.embed([c.text for c in t.chunks[:50]]).mean(axis=0)
        centroids.append(v / np.linalg.norm(v))
    labels = embedder.embed([label(t) for t in topics])
    nearest = np.argmax(labels @ np.stack(centroids).T, axis=1)
    return float(np.mean(nearest == np.arange(len(topics))))


def clustering_scores(topics: list[Topic], gold: dict[str, str], embedder: Any) -> dict[str, Any]:
    from sklearn.metrics import adjusted_rand_score, normalized_mutual_info_score

    assigned = doc_assignment(topics)
    paths = sorted(gold)
    # A document no topic holds (all its chunks too short) counts as its own wrong cluster.
    predicted = [assigned.get(p, -1 - i) for i, p in enumerate(paths)]
    truth = [gold[p] for p in paths]
    return {"k": len(topics), "nmi": round(float(normalized_mutual_info_score(truth, predicted)), 4),
            "ari": round(float(adjusted_rand_score(truth, predicted)), 4),
            "unassigned_docs": sum(p not in assigned for p in paths),
            "label_identifies_topic": round(label_identifies(topics, embedder, lambda t: t.label), 3),
            "keyword_label_identifies_topic": round(
                label_identifies(topics, embedder, lambda t: ", ".join(t.keywords[:3])), 3),
            "topics": [{"topic": t.number, "label": t.label, "keywords": list(t.keywords[:3]), "chunks": len(t.chunks),
                        "gold": dict(Counter(gold[p] for p, n in assigned.items() if n == t.number))}
                       for t in topics]}


def run_clustering(k: Kit, gold: dict[str, str]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for name, n in (("auto", None), ("k10", 10)):
        started = time.perf_counter()
        topics = k.topics(k=n)
        seconds = time.perf_counter() - started
        out[name] = {**clustering_scores(topics, gold, k.embedder), "seconds": round(seconds, 2)}
        log(f"clustering {name}: k={out[name]['k']} NMI {out[name]['nmi']} ARI {out[name]['ari']} ({seconds:.1f} s)")
    out["small"] = small_corpora(k, gold)
    return out


def small_corpora(k: Kit, gold: dict[str, str], draws: int = 100, seed: int = 0) -> dict[str, Any]:
    """Topic discovery on random small corpora: 5 to 20 MultiLing documents from 2 to 5 stories,
    clustered by `kit.topics.cluster.cluster` on the stored vectors (what `kit topics` does on them)."""
    import random

    from sklearn.metrics import normalized_mutual_info_score

    from kit.topics.cluster import cluster, units

    chunks, vectors = k.store.all_vectors()
    by_path = {chunks[u.chunks[0]].path: u.vector for u in units(chunks, vectors)}
    rng = random.Random(seed)
    stories = sorted(set(gold.values()))
    scores, right_k, off = [], [], []
    for _ in range(draws):
        chosen = set(rng.sample(stories, rng.randint(2, 5)))
        pool = sorted(p for p in by_path if gold[p] in chosen)
        picked = rng.sample(pool, min(rng.randint(5, 20), len(pool)))
        truth = [gold[p] for p in picked]
        if len(set(truth)) < 2:
            continue
        labels = cluster(np.stack([by_path[p] for p in picked]))
        scores.append(normalized_mutual_info_score(truth, labels))
        right_k.append(len(set(labels)) == len(set(truth)))
        off.append(len(set(labels)) - len(set(truth)))
    return {"draws": len(scores), "mean_nmi": round(float(np.mean(scores)), 4),
            "right_k_share": round(float(np.mean(right_k)), 3), "mean_k_minus_gold": round(float(np.mean(off)), 3)}


def clustering_table(c: dict[str, Any]) -> list[str]:
    return ["### Topic discovery (MultiLing 2011 en, 100 documents, 10 gold topics)", "",
            "| run | k | NMI | ARI | label names its topic | keyword triple names its topic | seconds |",
            "|---|---|---|---|---|---|---|",
            *[f"| {name} | {c[name]['k']} | {c[name]['nmi']} | {c[name]['ari']} | {c[name]['label_identifies_topic']} "
              f"| {c[name]['keyword_label_identifies_topic']} | {c[name]['seconds']} |" for name in ("auto", "k10")],
            "", "Labels (auto): " + "; ".join(f"\"{t['label']}\"" for t in c["auto"]["topics"]),
            "", f"Small corpora ({c['small']['draws']} random draws of 5-20 documents from 2-5 stories): mean NMI "
            f"{c['small']['mean_nmi']}, right number of topics {c['small']['right_k_share']:.0%}, "
            f"topics minus stories {c['small']['mean_k_minus_gold']:+} on average."]


# -- 3. seeds --------------------------------------------------------------------------------

SEED_STORIES = {"Kalibr strikes on convoys leaving Raqqa for Palmyra": {"000"},
                "18 cruise missiles from the Caspian and the Mediterranean": {"001", "002"},
                "the coalition letting ISIS move from Raqqa to Deir ez-Zor": {"003", "004"}}


def run_seeds(store: Path) -> dict[str, Any]:
    """The seeds' topics against the three stories, and the sections their summaries quote."""
    k = kit.open(store_dir=str(store), llm="extractive")
    k.ingest(ROOT / "seeds")
    (store / "topics-cache.json").unlink(missing_ok=True)
    topics = k.topics()
    found = [{Path(d).name[:3] for d in t.documents} for t in topics]
    matched = sorted(found, key=sorted) == sorted(SEED_STORIES.values(), key=sorted)
    summaries = k.summarize(topics)
    quoted = Counter(c.section for s in summaries for c in s.citations)
    chunks, _ = k.store.all_vectors()
    return {"topics": [{"label": t.label, "documents": [Path(d).name for d in t.documents],
                        "keywords": list(t.keywords[:3]),
                        "sections": sorted({c.section for c in t.chunks})} for t in topics],
            "three_stories": matched, "summary_citations_by_section": dict(quoted),
            "store_chunks_by_section": dict(Counter(c.section for c in chunks)),
            "summaries": [{"topic": s.topic.label, "text": s.text} for s in summaries]}


def seeds_table(r: dict[str, Any]) -> list[str]:
    lines = ["### Seeds: topics and summaries", "", "| topic label | documents | keywords (c-TF-IDF) |",
             "|---|---|---|"]
    lines += [f"| {t['label']} | {', '.join(Path(d).name[:3] for d in t['documents'])} | {', '.join(t['keywords'])} |"
              for t in r["topics"]]
    lines += ["", f"Three stories found: {'yes' if r['three_stories'] else 'NO'}; summary citations by section: "
              f"{r['summary_citations_by_section']} (store chunks by section: {r['store_chunks_by_section']})."]
    return lines


# -- 4. cold-start wall time of `kit summarize` on the seeds ---------------------------------

def kit_cli() -> list[str]:
    script = Path(sys.executable).parent / "kit"
    return [str(script)] if script.exists() else [sys.executable, "-m", "kit.cli"]


def time_cli_summarize(repeats: int = 3) -> dict[str, Any]:
    """A fresh `kit summarize --out report.md` process on the seeds, the topic cache removed first."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("KIT_")}  # the offline defaults
    runs: list[float] = []
    with tempfile.TemporaryDirectory() as tmp:
        store, out = Path(tmp) / "store", Path(tmp) / "report.md"
        subprocess.run([*kit_cli(), "ingest", str(ROOT / "seeds"), "--store", str(store), "--no-progress"],
                       check=True, capture_output=True, env=env, cwd=ROOT)
        for _ in range(repeats):
            (store / "topics-cache.json").unlink(missing_ok=True)
            started = time.perf_counter()
            done = subprocess.run([*kit_cli(), "summarize", "--store", str(store), "--out", str(out)],
                                  check=True, capture_output=True, text=True, env=env, cwd=ROOT)
            runs.append(round(time.perf_counter() - started, 2))
            log(f"kit summarize (fresh process): {runs[-1]} s [{done.stdout.strip()}]")
        started = time.perf_counter()
        again = subprocess.run([*kit_cli(), "summarize", "--store", str(store), "--out", str(out)],
                               check=True, capture_output=True, text=True, env=env, cwd=ROOT)
        rerun = round(time.perf_counter() - started, 2)
    return {"seconds": runs, "median": float(np.median(runs)), "rerun_unchanged": rerun,
            "rerun_stdout": again.stdout.strip(), "load_avg_1min": round(os.getloadavg()[0], 2)}


# -- 5. LLM comparison (only against a configured, real server) ------------------------------

def llm_configured() -> tuple[bool, str]:
    if os.environ.get("KIT_LLM") != "openai":
        return False, "KIT_LLM is not 'openai' (no LLM configured; this machine is offline)"
    if not os.environ.get("KIT_LLM_BASE_URL"):
        return False, "KIT_LLM_BASE_URL is not set (an OpenAI-compatible server is needed)"
    return True, ""


def run_llm(k: Kit, topics: list[Topic], rows: list[dict[str, Any]], corpus: Path) -> dict[str, Any]:
    """kit's map-reduce summaries, cut to 250 words by the same rule, scored like the rest."""
    from kit.llm.backends import get_chat_backend
    from kit.topics.summarize import llm_summary

    backend = get_chat_backend(Settings.load())
    assert backend is not None
    evidence = k.context()
    rows_out = []
    for topic, row in zip(topics, rows, strict=True):
        summary = llm_summary(topic, backend, k.embedder, evidence)
        ok, n = checked_sentences(summary, corpus)
        text, total = [], 0
        for claim in summary.shown:
            if total + len(claim.text.split()) <= BUDGETS[-1]:
                text.append(claim.text)
                total += len(claim.text.split())
        rows_out.append({"topic": row["topic_id"], "rouge": rouge(" ".join(text), [r["summary"] for r in
                                                                                   row["reference_summaries"]]),
                         "sentences": n, "checked": ok})
    return {"model": backend.name, "per_topic": rows_out}


# -- main -----------------------------------------------------------------------------------

def open_multiling(work: Path) -> tuple[Kit, Path, list[dict[str, Any]], list[dict[str, Any]]]:
    docs, rows = load_data()
    # The store sits in the corpus folder, so stored names are relative to it, as the gold ones are.
    corpus = work / "corpus"
    store = corpus / f".kit-{Settings.load().embedder}"
    write_corpus(docs, corpus)
    k = kit.open(store_dir=str(store), llm="extractive")
    started = time.perf_counter()
    report = k.ingest(corpus).to_dict()
    log(f"ingest: {report['chunks']} chunks, {report['embedded']} embedded ({time.perf_counter() - started:.1f} s)")
    return k, corpus, docs, rows


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--parts", default="summaries,clustering,seeds,cli,llm")
    ap.add_argument("--out", type=Path, default=None, help=f"results JSON (default {RESULTS} for a full run)")
    ap.add_argument("--work", type=Path, default=WORK, help="corpus and store folder, reused between runs")
    args = ap.parse_args()
    parts = args.parts.split(",")
    out = args.out or (RESULTS if len(parts) == 5 else None)
    k, corpus, docs, rows = open_multiling(args.work)
    texts = {d["doc_id"]: d["text"] for d in docs}
    results: dict[str, Any] = {"docs": len(docs)}
    lines: list[str] = []
    if "summaries" in parts:
        log("summaries on the gold topics:")
        results["summaries"] = run_summaries(k, gold_topics(k, rows), rows, texts, corpus)
        lines += ["### Summaries on the 10 MultiLing gold topics", *summary_tables(results["summaries"])]
        targets = summary_targets(results["summaries"]) + summary_targets(results["summaries"], "held out")
        share = results["summaries"]["cited_and_supported_fraction"]
        targets.append(("summary sentences cited (quote at its span) and supported = 100%",
                        f"{100 * (share or 0):.1f}% of {results['summaries']['sentences_shown']}", share == 1.0))
        hanging = results["summaries"]["sentences_dangling"]
        targets.append(("summary sentences whose opening refers back without its antecedent just before = 0",
                        str(hanging), hanging == 0))
        lines += ["", "| target | measured | met |", "|---|---|---|",
                  *[f"| {name} | {value} | {'yes' if ok else 'NO'} |" for name, value, ok in targets]]
    if "seeds" in parts:
        with tempfile.TemporaryDirectory() as tmp:
            results["seeds"] = run_seeds(Path(tmp) / "store")
        lines += ["", *seeds_table(results["seeds"])]
    if "cli" in parts:
        results["cli_summarize_seeds"] = time_cli_summarize()
        t = results["cli_summarize_seeds"]
        lines += ["", f"Cold `kit summarize --out report.md` on the seeds: median {t['median']} s "
                  f"(runs {t['seconds']}); rerun with nothing changed: {t['rerun_unchanged']} s."]
    if "llm" in parts:
        ok, why = llm_configured()
        results["llm"] = run_llm(k, gold_topics(k, rows), rows, corpus) if ok else {"skipped": why}
        lines += ["", f"LLM comparison: {results['llm'].get('skipped', 'see JSON')}."]
    if "clustering" in parts:
        gold = {f"{d['doc_id']}.txt": d["topic_id"] for d in docs}
        results["clustering"] = run_clustering(k, gold)
        lines += ["", *clustering_table(results["clustering"])]
    results["environment"] = {"python": platform.python_version(), "cpus": os.cpu_count(),
                              "kit": kit.__version__, "git": _git_head()}
    print("\n".join(lines))
    if out is not None:
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
        log(f"wrote {out}")


def _git_head() -> str:
    try:
        head = subprocess.run(["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True, cwd=ROOT)
        dirty = subprocess.run(["git", "status", "--porcelain", "kit"], capture_output=True, text=True, cwd=ROOT)
        return head.stdout.strip() + (" (kit/ has uncommitted changes)" if dirty.stdout.strip() else "")
    except OSError:
        return "unknown"


if __name__ == "__main__":
    main()
