"""The LLM half through a real model: SmolLM2-135M-Instruct (GGUF, llama.cpp in process) on the seeds.

    python -m bench.run_llm [--limit N] [--repeats 5] [--out bench/results/llm.json]

Measures, on this machine's CPU: model load time; prompt and generation speed in tokens/s
(llama.cpp's own timings, median of `--repeats` runs); then every question of the seeds dev
set (tests/data/seeds_qa.jsonl, 8 of 28 unanswerable) through `kit ask` with the gguf backend:
latency per answer, the share of the model's claims that survive kit's checks (quote at its
span and supported by it), how many answerable questions keep a supported claim, and abstention
on the unanswerable ones. A 135M model proves the plumbing (budgets, grammar-constrained JSON, citation checks),
not answer quality. Writes bench/results/llm.json and prints a Markdown table.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import kit
from kit.config import Settings
from kit.evaluate import load_qa
from kit.llm.gguf import GGUFChat
from kit.llm.gguf_file import model_path
from kit.results import Answer
from kit.types import support_counts

ROOT = Path(__file__).resolve().parents[1]
QA = ROOT / "tests/data/seeds_qa.jsonl"


def claims_that_survive(answer: Answer) -> tuple[int, int]:
    """(supported, written) claims of one answer: a claim survives when its quotes are at their
    spans in the files and the support check finds they say what it says."""
    return support_counts(answer.claims)["supported"], len(answer.claims)


def speeds(chat: GGUFChat, repeats: int) -> dict[str, float]:
    """Median prompt and generation tokens/s from llama.cpp's timings (non-streamed calls)."""
    passage = (ROOT / "seeds").glob("*.txt").__next__().read_text(encoding="utf-8")[:4000]
    prompt, generate = [], []
    for i in range(repeats):
        # A distinct first word each round, so no prompt is served from llama.cpp's cache.
        read = chat.model.server.handle_chat_completions({
            "messages": [{"role": "user", "content": f"Round {i}. {passage}"}], "max_tokens": 1})
        prompt.append(read["timings"]["prompt_per_second"])
        write = chat.model.server.handle_chat_completions({
            "messages": [{"role": "user", "content": f"Round {i}: count from 1 to 200."}],
            "max_tokens": 128, "temperature": 0.0, "ignore_eos": True})
        generate.append(write["timings"]["predicted_per_second"])
    return {"prompt_tokens_per_s": round(statistics.median(prompt), 1),
            "generation_tokens_per_s": round(statistics.median(generate), 1),
            "prompt_tokens_per_s_runs": [round(x, 1) for x in prompt],
            "generation_tokens_per_s_runs": [round(x, 1) for x in generate]}


def answers(store: Path, limit: int | None) -> dict[str, Any]:
    k = kit.open(store_dir=str(store), llm="gguf", llm_timeout=600)
    k.ingest(ROOT / "seeds")
    items = load_qa(QA)[:limit]
    rows = []
    for item in items:
        started = time.perf_counter()
        answer = k.ask(item.question)
        seconds = time.perf_counter() - started
        kept, offered = claims_that_survive(answer)
        trace = answer.traces[0] if answer.traces else {}
        rows.append({"question": item.question, "answerable": item.answerable, "seconds": round(seconds, 2),
                     "abstained": answer.abstained, "supported_claims": kept, "claims": offered,
                     "prompt_tokens": trace.get("prompt_tokens"), "completion_tokens": trace.get("completion_tokens"),
                     "counted_prompt_tokens": trace.get("counted_prompt_tokens"), "notes": answer.notes})
    return summarise(rows)


def summarise(rows: list[dict[str, Any]]) -> dict[str, Any]:
    answerable = [r for r in rows if r["answerable"]]
    unanswerable = [r for r in rows if not r["answerable"]]
    kept, offered = sum(r["supported_claims"] for r in rows), sum(r["claims"] for r in rows)
    latencies = sorted(r["seconds"] for r in rows)
    return {
        "questions": len(rows), "unanswerable": len(unanswerable),
        "seconds_per_answer_median": round(statistics.median(latencies), 2),
        "seconds_per_answer_p90": latencies[int(0.9 * (len(latencies) - 1))],
        "claims_supported": f"{kept}/{offered}",
        "claim_survival_rate": round(kept / offered, 3) if offered else None,
        "answerable_with_a_supported_claim": sum(not r["abstained"] for r in answerable),
        "answerable": len(answerable),
        "abstained_on_unanswerable": sum(r["abstained"] for r in unanswerable),
        "prompt_tokens_median": statistics.median(r["prompt_tokens"] or 0 for r in rows),
        "count_vs_server_prompt_tokens_median": statistics.median(
            (r["counted_prompt_tokens"] or 0) - (r["prompt_tokens"] or 0) for r in rows),
        "rows": rows,
    }


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--limit", type=int, default=None)
    ap.add_argument("--repeats", type=int, default=5)
    ap.add_argument("--out", default=str(ROOT / "bench/results/llm.json"))
    args = ap.parse_args()
    settings = Settings.load(environ={}, llm="gguf")
    load_before = os.getloadavg()  # others' work on this shared machine shows here, not in our timings
    started = time.perf_counter()
    chat = GGUFChat(settings)
    results: dict[str, Any] = {"model": model_path(settings).name, "context": chat.context_window,
                               "threads": chat.model.threads, "load_s": round(time.perf_counter() - started, 2)}
    results.update(speeds(chat, args.repeats))
    with tempfile.TemporaryDirectory() as tmp:
        results["seeds"] = answers(Path(tmp) / "store", args.limit)
    results["load_average_before_after"] = [round(load_before[0], 2), round(os.getloadavg()[0], 2)]
    Path(args.out).write_text(json.dumps(results, indent=2) + "\n")
    s = results["seeds"]
    print("| measure | SmolLM2-135M-Instruct Q4_1, gguf backend |\n|---|---|")
    for key in ("load_s", "prompt_tokens_per_s", "generation_tokens_per_s", "load_average_before_after"):
        print(f"| {key} | {results[key]} |")
    for key in ("seconds_per_answer_median", "seconds_per_answer_p90", "claims_supported",
                "answerable_with_a_supported_claim", "answerable", "abstained_on_unanswerable", "unanswerable"):
        print(f"| {key} | {s[key]} |")
    print(file=sys.stderr)


if __name__ == "__main__":
    main()
