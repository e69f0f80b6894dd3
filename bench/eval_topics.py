"""Topic discovery and cited summaries on MultiLing 2011 (English), plus `kit summarize` wall time.

    python bench/eval_topics.py            # full run; writes bench/results/topics.json
    python bench/eval_topics.py --quick    # 3 gold topics, one timing run; writes nothing unless --out

1. Clustering: the 100 news articles go into one folder (`<doc_id>.txt`), are ingested with the
   default embedder, and `Kit.topics()` clusters them (k chosen automatically, then k=10 forced).
   Each document goes to the topic holding most of its chunks; NMI and ARI against the 10 gold
   topics.
2. Summaries, judged apart from clustering: for each GOLD topic a `Topic` of its documents' chunks,
   summarised extractively with a 250-word budget. Baseline lead-3: the first 3 sentences of each
   document, in document order, cut at the same budget by the same rule (whole sentences; stop at
   the first one that does not fit). ROUGE-1/2/L F1 (rouge_score, stemming) against each of the 3
   references, averaged over references, then topics. Every summary citation is re-checked against
   the raw file independently of kit.
3. Wall time of a fresh `kit summarize --out x.md` process on the seeds after `kit ingest seeds`.
4. With an LLM configured (KIT_LLM=openai and KIT_LLM_BASE_URL), kit's map-reduce `llm_summary` and
   the LangChain map-reduce recipe on the same gold topics; otherwise the comparison is skipped and
   the reason recorded. Nothing is simulated.

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
from kit.api import Kit
from kit.config import Settings
from kit.text import sentences
from kit.types import Chunk, Topic, TopicSummary

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT.parent / "shared" / "data" / "multiling2011_en"
WORK = Path("/tmp/kit-ml")  # corpus + minilm store, reused between runs (ingest is then a no-op)
BUDGET = 250  # words: the length of the MultiLing reference summaries
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


# -- 1. clustering --------------------------------------------------------------------------

def doc_assignment(topics: list[Topic]) -> dict[str, int]:
    """Each document's topic: the one holding most of its chunks (ties: the larger topic)."""
    votes: dict[str, Counter[int]] = {}
    for t in topics:
        for c in t.chunks:
            votes.setdefault(c.path, Counter())[t.number] += 1
    return {path: min(v.items(), key=lambda kv: (-kv[1], kv[0]))[0] for path, v in votes.items()}


def clustering_scores(topics: list[Topic], gold: dict[str, str]) -> dict[str, Any]:
    from sklearn.metrics import adjusted_rand_score, normalized_mutual_info_score

    assigned = doc_assignment(topics)
    paths = sorted(gold)
    # A document none of whose chunks was clustered (all too short) counts as its own wrong cluster.
    predicted = [assigned.get(p, -1 - i) for i, p in enumerate(paths)]
    truth = [gold[p] for p in paths]
    return {"k": len(topics), "nmi": round(float(normalized_mutual_info_score(truth, predicted)), 4),
            "ari": round(float(adjusted_rand_score(truth, predicted)), 4),
            "unassigned_docs": sum(p not in assigned for p in paths),
            "topics": [{"topic": t.number, "label": t.label, "chunks": len(t.chunks),
                        "gold": dict(Counter(gold[p] for p, n in assigned.items() if n == t.number))}
                       for t in topics]}


def run_clustering(k: Kit, gold: dict[str, str]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for name, n in (("auto", None), ("k10", 10)):
        started = time.perf_counter()
        topics = k.topics(k=n)
        seconds = time.perf_counter() - started
        out[name] = {**clustering_scores(topics, gold), "seconds": round(seconds, 2)}
        log(f"clustering {name}: k={out[name]['k']} NMI {out[name]['nmi']} ARI {out[name]['ari']} ({seconds:.1f} s)")
    return out


# -- 2. summaries ---------------------------------------------------------------------------

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


def cut(texts: Sequence[str], budget: int = BUDGET) -> list[str]:
    """Whole sentences in order until the next one would pass the word budget (kit's rule: a
    sentence longer than the whole budget is skipped)."""
    out: list[str] = []
    total = 0
    for t in texts:
        words = len(t.split())
        if total + words > budget:
            if out:
                break
            continue
        out.append(t)
        total += words
    return out


def lead3(row: dict[str, Any], texts: dict[str, str], body_only: bool = False) -> list[str]:
    """First 3 sentences of each document in order; `body_only` skips headline and dateline
    fragments (a diagnostic: the fragments kit's own sentence filter skips)."""
    firsts = []
    for d in row["doc_ids"]:
        found = [s.text for s in sentences(texts[d]) if not body_only or _is_claim(s.text)]
        firsts += found[:3]
    return cut([" ".join(s.split()) for s in firsts])


def _is_claim(text: str) -> bool:
    from kit.summarize import _CLAIM_END, MIN_WORDS

    return len(text.split()) >= MIN_WORDS and bool(_CLAIM_END.search(text))


def rouge(summary: str, references: list[str]) -> dict[str, float]:
    """ROUGE-1/2/L F1 of one summary, averaged over the references."""
    from rouge_score import rouge_scorer

    scorer = rouge_scorer.RougeScorer(["rouge1", "rouge2", "rougeL"], use_stemmer=True)
    scores = [scorer.score(ref, summary) for ref in references]
    return {m: float(np.mean([s[m].fmeasure for s in scores])) for m in ("rouge1", "rouge2", "rougeL")}


def independent_check(summary: TopicSummary, corpus: Path) -> tuple[int, int]:
    """(sentences with ≥1 citation whose quote is the raw file text at its span, sentences)."""
    raw: dict[str, str] = {}
    ok = 0
    for s in summary.sentences:
        good = False
        for c in s.citations:
            text = raw.setdefault(c.path, (corpus / c.path).read_text(encoding="utf-8"))
            good = good or (c.verified and text[c.start:c.end] == c.quote)
        ok += good
    return ok, len(summary.sentences)


def run_summaries(k: Kit, topics: list[Topic], rows: list[dict[str, Any]], texts: dict[str, str],
                  corpus: Path) -> dict[str, Any]:
    reader = k.sources()
    per_topic = []
    verified = total = 0
    seconds = 0.0
    from kit.summarize import extractive_summary

    for topic, row in zip(topics, rows, strict=True):
        refs = [r["summary"] for r in row["reference_summaries"]]
        started = time.perf_counter()
        summary = extractive_summary(topic, k.embedder, reader, max_sentences=20, max_words=BUDGET)
        seconds += time.perf_counter() - started
        ok, n = independent_check(summary, corpus)
        verified, total = verified + ok, total + n
        kit_text = " ".join(s.text for s in summary.sentences)
        lead_text = " ".join(lead3(row, texts))
        body_text = " ".join(lead3(row, texts, body_only=True))
        per_topic.append({"topic": row["topic_id"], "kit": rouge(kit_text, refs), "lead3": rouge(lead_text, refs),
                          "lead3_body": rouge(body_text, refs),
                          "kit_words": len(kit_text.split()), "lead3_words": len(lead_text.split()),
                          "kit_sentences": n, "kit_verified_sentences": ok, "notes": summary.notes})
        log(f"  {row['topic_id']}: kit R2 {per_topic[-1]['kit']['rouge2']:.4f}  "
            f"lead-3 R2 {per_topic[-1]['lead3']['rouge2']:.4f}")
    return {"per_topic": per_topic, "kit": mean_scores(per_topic, "kit"), "lead3": mean_scores(per_topic, "lead3"),
            "lead3_body": mean_scores(per_topic, "lead3_body"),
            "kit_words_mean": round(float(np.mean([p["kit_words"] for p in per_topic])), 1),
            "lead3_words_mean": round(float(np.mean([p["lead3_words"] for p in per_topic])), 1),
            "verified_sentence_fraction": round(verified / total, 4) if total else None,
            "summary_sentences": total, "kit_seconds_total": round(seconds, 2)}


def mean_scores(rows: list[dict[str, Any]], system: str) -> dict[str, float]:
    return {m: round(float(np.mean([r[system][m] for r in rows])), 4) for m in ("rouge1", "rouge2", "rougeL")}


# -- 3. cold-start wall time of `kit summarize` on the seeds ---------------------------------

def kit_cli() -> list[str]:
    script = Path(sys.executable).parent / "kit"
    return [str(script)] if script.exists() else [sys.executable, "-m", "kit.cli"]


def time_cli_summarize(repeats: int) -> dict[str, Any]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("KIT_")}  # the offline defaults
    runs: list[float] = []
    cpu: list[float] = []
    with tempfile.TemporaryDirectory() as tmp:
        store, out = Path(tmp) / "store", Path(tmp) / "report.md"
        subprocess.run([*kit_cli(), "ingest", str(ROOT / "seeds"), "--store", str(store), "--no-progress"],
                       check=True, capture_output=True, env=env, cwd=ROOT)
        load = os.getloadavg()[0]
        for _ in range(repeats):
            before = _children_cpu()
            started = time.perf_counter()
            done = subprocess.run([*kit_cli(), "summarize", "--store", str(store), "--out", str(out)],
                                  check=True, capture_output=True, text=True, env=env, cwd=ROOT)
            runs.append(round(time.perf_counter() - started, 2))
            cpu.append(round(_children_cpu() - before, 2))
            log(f"kit summarize (fresh process): {runs[-1]} s wall, {cpu[-1]} s CPU  [{done.stdout.strip()}]")
        report = out.read_text(encoding="utf-8")
        phases = phase_breakdown(store, env)
        log("where the time goes: " + ", ".join(f"{p['phase']} {p['wall']} s ({p['cpu']} CPU)" for p in phases))
    # CPU seconds are what the process itself needs; wall time also counts waiting for cores that
    # other jobs hold (the load average says how busy the 2 cores were).
    return {"seconds": runs, "best": min(runs), "median": float(np.median(runs)), "cpu_seconds": cpu,
            "stdout": done.stdout.strip(), "report_chars": len(report), "load_avg_1min_before": round(load, 2),
            "cpus": os.cpu_count(), "phases": phases}


# Run in a fresh interpreter: where a cold `kit summarize` spends its time, phase by phase.
_PHASES = """
import json, resource, sys, time
def cpu():
    r = resource.getrusage(resource.RUSAGE_SELF)
    return r.ru_utime + r.ru_stime
marks, t0 = [], time.perf_counter()
def mark(name):
    marks.append((name, time.perf_counter() - t0, cpu()))
import kit.cli; mark("import kit (chromadb, onnxruntime, ...)")
from kit.api import Kit
k = Kit(store_dir=sys.argv[1]); k.store.all_vectors(); mark("load model, open store, read vectors")
import sklearn.cluster, sklearn.metrics; mark("import sklearn")
topics = k.topics(); mark("cluster and label topics")
from kit.summarize import extractive_summary
reader = k.sources()
for t in topics:
    extractive_summary(t, k.embedder, reader)
mark("summaries (sentence embeddings, ranking, checks)")
rows, prev = [], (0.0, 0.0)
for name, wall, used in marks:
    rows.append({"phase": name, "wall": round(wall - prev[0], 2), "cpu": round(used - prev[1], 2)})
    prev = (wall, used)
print(json.dumps(rows))
"""


def phase_breakdown(store: Path, env: dict[str, str]) -> list[dict[str, Any]]:
    done = subprocess.run([sys.executable, "-c", _PHASES, str(store)], check=True, capture_output=True, text=True,
                          env=env, cwd=ROOT)
    rows: list[dict[str, Any]] = json.loads(done.stdout.strip().splitlines()[-1])
    return rows


def _children_cpu() -> float:
    import resource

    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


# -- 4. LLM comparison (only against a configured, real server) ------------------------------

def llm_configured() -> tuple[bool, str]:
    if os.environ.get("KIT_LLM") != "openai":
        return False, "KIT_LLM is not 'openai' (no LLM configured; this machine is offline)"
    if not os.environ.get("KIT_LLM_BASE_URL"):
        return False, "KIT_LLM_BASE_URL is not set (an OpenAI-compatible server is needed)"
    return True, ""


def run_llm(k: Kit, topics: list[Topic], rows: list[dict[str, Any]], corpus: Path,
            texts: dict[str, str]) -> dict[str, Any]:
    from kit.config import Settings
    from kit.llm import get_chat_backend
    from kit.summarize import llm_summary

    settings = Settings.load()
    backend = get_chat_backend(settings)
    assert backend is not None
    reader = k.sources()
    kit_rows, lc_rows = [], []
    verified = total = 0
    chain = langchain_map_reduce(settings)
    for topic, row in zip(topics, rows, strict=True):
        refs = [r["summary"] for r in row["reference_summaries"]]
        started = time.perf_counter()
        summary = llm_summary(topic, backend, k.embedder, reader)
        kit_seconds = time.perf_counter() - started
        ok, n = independent_check(summary, corpus)
        verified, total = verified + ok, total + n
        text = " ".join(cut([s.text for s in summary.sentences]))
        kit_rows.append({"topic": row["topic_id"], "llm": rouge(text, refs), "seconds": round(kit_seconds, 2),
                         "words_full": sum(len(s.text.split()) for s in summary.sentences),
                         "calls": len(summary.traces), "sentences": n, "verified_sentences": ok,
                         "notes": summary.notes})
        docs = [texts[d] for d in row["doc_ids"]]
        started = time.perf_counter()
        lc_text, calls = chain(docs)
        lc_rows.append({"topic": row["topic_id"], "llm": rouge(" ".join(cut(_split(lc_text))), refs),
                        "seconds": round(time.perf_counter() - started, 2), "words_full": len(lc_text.split()),
                        "calls": calls})
        log(f"  {row['topic_id']}: kit-llm R2 {kit_rows[-1]['llm']['rouge2']:.4f}  "
            f"langchain R2 {lc_rows[-1]['llm']['rouge2']:.4f}")
    return {"model": backend.name, "kit_llm": {"per_topic": kit_rows, "mean": mean_scores(kit_rows, "llm"),
                                               "verified_sentence_fraction": round(verified / total, 4)
                                               if total else None},
            "langchain_map_reduce": {"per_topic": lc_rows, "mean": mean_scores(lc_rows, "llm"),
                                     "verified_sentence_fraction": None}}


def _split(text: str) -> list[str]:
    return [s.text for s in sentences(text)]


def langchain_map_reduce(settings: Any) -> Callable[[list[str]], tuple[str, int]]:
    """The LangChain summarization recipe: summarise each split, then reduce (collapsing if long)."""
    from langchain_core.output_parsers import StrOutputParser
    from langchain_core.prompts import ChatPromptTemplate
    from langchain_openai import ChatOpenAI
    from langchain_text_splitters import RecursiveCharacterTextSplitter
    from pydantic import SecretStr

    llm = ChatOpenAI(model=settings.llm_model, base_url=settings.llm_base_url, temperature=0,
                     api_key=SecretStr(settings.resolved_api_key() or "not-needed"), timeout=settings.llm_timeout)
    map_chain = ChatPromptTemplate.from_messages(
        [("system", "Write a concise summary of the following:\n\n{context}")]) | llm | StrOutputParser()
    reduce_chain = ChatPromptTemplate.from_messages([("human", (
        "The following is a set of summaries:\n{docs}\nTake these and distill it into a final, "
        "consolidated summary of the main themes."))]) | llm | StrOutputParser()
    # The recipe splits at 1000 tokens; ≈4 chars per token (tiktoken's files cannot be fetched offline).
    splitter = RecursiveCharacterTextSplitter(chunk_size=4000, chunk_overlap=0)
    token_max_chars = 4 * 1000

    def run(docs: list[str]) -> tuple[str, int]:
        splits = [s for d in docs for s in splitter.split_text(d)]
        summaries = map_chain.batch([{"context": s} for s in splits], config={"max_concurrency": 2})
        calls = len(splits)
        while sum(len(s) for s in summaries) > token_max_chars and len(summaries) > 1:
            groups = _group(summaries, token_max_chars)
            summaries = reduce_chain.batch([{"docs": "\n\n".join(g)} for g in groups], config={"max_concurrency": 2})
            calls += len(groups)
        return reduce_chain.invoke({"docs": "\n\n".join(summaries)}), calls + 1

    return run


def _group(texts: list[str], budget: int) -> list[list[str]]:
    out: list[list[str]] = [[]]
    size = 0
    for t in texts:
        if out[-1] and size + len(t) > budget:
            out.append([])
            size = 0
        out[-1].append(t)
        size += len(t)
    return out


# -- report -----------------------------------------------------------------------------------

def markdown(results: dict[str, Any]) -> str:
    c, s, t = results["clustering"], results["summaries"], results["cli_summarize_seeds"]
    r2_kit, r2_lead = s["kit"]["rouge2"], s["lead3"]["rouge2"]
    lines = [
        f"### Topic discovery (MultiLing 2011 en, {results['docs']} documents, 10 gold topics)", "",
        "| run | k | NMI | ARI | unassigned docs | seconds |", "|---|---|---|---|---|---|",
        *[f"| {name} | {c[name]['k']} | {c[name]['nmi']} | {c[name]['ari']} | {c[name]['unassigned_docs']} "
          f"| {c[name]['seconds']} |" for name in ("auto", "k10") if name in c],
        "", f"### Summaries on the gold topics ({len(s['per_topic'])} topics, {BUDGET}-word budget, ROUGE F1)", "",
        "| system | ROUGE-1 | ROUGE-2 | ROUGE-L | mean words |", "|---|---|---|---|---|",
        f"| kit extractive | {s['kit']['rouge1']} | {r2_kit} | {s['kit']['rougeL']} | {s['kit_words_mean']} |",
        f"| lead-3 | {s['lead3']['rouge1']} | {r2_lead} | {s['lead3']['rougeL']} | {s['lead3_words_mean']} |",
        f"| lead-3, body sentences only (diagnostic) | {s['lead3_body']['rouge1']} | {s['lead3_body']['rouge2']} "
        f"| {s['lead3_body']['rougeL']} | ≤{BUDGET} |",
    ]
    llm = results["llm"]
    if llm.get("skipped"):
        lines += ["", f"LLM comparison skipped: {llm['skipped']}."]
    else:
        for name in ("kit_llm", "langchain_map_reduce"):
            m = llm[name]["mean"]
            lines.append(f"| {name} ({llm['model']}) | {m['rouge1']} | {m['rouge2']} | {m['rougeL']} | ≤{BUDGET} |")
        share = llm["kit_llm"]["verified_sentence_fraction"]
        lines += ["", f"kit LLM summaries: {100 * (share or 0):.1f}% of sentences with a verified citation; "
                  "the LangChain recipe gives no citations."]
    targets = [
        ("kit ROUGE-2 > lead-3 ROUGE-2", f"{r2_kit} vs {r2_lead} ({r2_kit - r2_lead:+.4f})", r2_kit > r2_lead),
        ("summary sentences with ≥1 verified citation = 100%",
         f"{100 * (s['verified_sentence_fraction'] or 0):.1f}% of {s['summary_sentences']}",
         s["verified_sentence_fraction"] == 1.0),
        ("`kit summarize` on the seeds, cold process < 10 s",
         f"{t['best']} s wall (runs: {t['seconds']}; CPU {t['cpu_seconds']} s; load avg {t['load_avg_1min_before']} "
         f"on {t['cpus']} cores)", t["best"] < 10),
    ]
    lines += ["", "### Targets", "", "| target | measured | met |", "|---|---|---|",
              *[f"| {name} | {value} | {'yes' if ok else 'NO'} |" for name, value, ok in targets]]
    lines += ["", "Cold `kit summarize` on the seeds, phase by phase (one fresh process):", "",
              "| phase | wall s | CPU s |", "|---|---|---|",
              *[f"| {p['phase']} | {p['wall']} | {p['cpu']} |" for p in t.get("phases", [])]]
    return "\n".join(lines)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--quick", action="store_true", help="3 gold topics, one timing run, no JSON unless --out")
    ap.add_argument("--out", type=Path, default=None, help=f"results JSON (default {RESULTS} for a full run)")
    ap.add_argument("--work", type=Path, default=WORK, help="corpus and store folder, reused between runs")
    args = ap.parse_args()
    out = args.out or (None if args.quick else RESULTS)
    docs, rows = load_data()
    # The store sits in the corpus folder, so stored names are relative to it, as the gold ones are.
    corpus = args.work / "corpus"
    store = corpus / f".kit-{Settings.load().embedder}"
    write_corpus(docs, corpus)
    k = kit.open(store_dir=str(store), llm="extractive")
    started = time.perf_counter()
    ingest = k.ingest(corpus).to_dict()
    log(f"ingest: {ingest['chunks']} chunks, {ingest['embedded']} embedded ({time.perf_counter() - started:.1f} s)")
    gold = {f"{d['doc_id']}.txt": d["topic_id"] for d in docs}
    texts = {d["doc_id"]: d["text"] for d in docs}
    results: dict[str, Any] = {"docs": len(docs), "quick": args.quick, "ingest": ingest,
                               "clustering": run_clustering(k, gold)}
    chosen = rows[:3] if args.quick else rows
    topics = gold_topics(k, chosen)
    log("summaries on the gold topics:")
    results["summaries"] = run_summaries(k, topics, chosen, texts, corpus)
    results["cli_summarize_seeds"] = time_cli_summarize(1 if args.quick else 3)
    ok, why = llm_configured()
    if ok:
        log("LLM comparison:")
        results["llm"] = run_llm(k, topics, chosen, corpus, texts)
    else:
        results["llm"] = {"skipped": why}
        log(f"LLM comparison skipped: {why}")
    results["environment"] = {"python": platform.python_version(), "cpus": os.cpu_count(),
                              "kit": kit.__version__, "git": _git_head()}
    table = markdown(results)
    print(table)
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
