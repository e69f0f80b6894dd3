"""The LLM half through real models (GGUF, llama.cpp in process) beside the extractive default, on the seeds.

    python -m bench.run_llm [--model FILE.gguf ...] [--threads 1] [--limit N] [--repeats 5] [--out FILE]
                            [--squad 20,10] [--seeds/--no-seeds] [--busy N] [--summary] [--no-answers]

The extractive default answers every question of the seeds dev set (tests/data/seeds_qa.jsonl,
8 of 28 unanswerable) first; then each model, in the same run: load time, prompt and generation
speed in tokens/s (llama.cpp's own timings, median of `--repeats` runs), and the same questions
through `kit ask` with the gguf backend. Per backend: answerable questions answered correctly (a
gold pattern in the shown text and every shown claim supported), claims that survive kit's checks
(quote at its span and supported by it), abstention on the unanswerable ones, median and p95
seconds per answer. Without --model the bundled SmolLM2-135M runs, which proves the plumbing, not
answer quality. With --squad A,U a second set runs the same way: A answerable and U unanswerable
SQuAD 2.0 dev questions spread evenly over the two shortest articles of
../shared/data/squad2_dev_half (each article ingested as one text file; a gold answer is any of
its answer texts, case aside): questions and documents no prompt or rule was written against.
With --summary, each model also writes the summary of one named topic per set (`kit summarize
--topics`, map-reduce through the model): its claims and how many the support check passes.
With --untrimmed, each model also answers every question from whole passages (llm_trim off), just
before the trimmed run, and the table shows both.
With --busy N, N processes spin on N cores while the models run (another user's job on a shared
machine), so the thread choice (`--threads 0`, the free cores before each call) can be compared
with a fixed count on the same load.
Writes FILE (default bench/results/llm.json) after each model and prints a table.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import kit
from kit.config import Settings
from kit.evaluate import QAItem, load_qa
from kit.llm.gguf import GGUFChat
from kit.llm.gguf_file import model_path
from kit.results import Answer
from kit.types import support_counts

ROOT = Path(__file__).resolve().parents[1]
QA = ROOT / "tests/data/seeds_qa.jsonl"
SQUAD = ROOT.parent / "shared/data/squad2_dev_half/dev-v2.0.json"
SQUAD_ARTICLES = 2
SPIN = "import os, sys\nos.sched_setaffinity(0, {int(sys.argv[1])})\nwhile True:\n    pass\n"  # --busy
ROWS_LOG: list[Path] = []  # --rows-log: each row is also appended here as it is made (a long run keeps them)


def squad_sample(folder: Path, answerable: int, unanswerable: int, path: Path = SQUAD) -> list[QAItem]:
    """Write the shortest SQuAD articles into `folder` (one file each) and return `answerable` +
    `unanswerable` of their questions, spread evenly in file order (no choosing by hand)."""
    articles = sorted(json.loads(path.read_text(encoding="utf-8"))["data"],
                      key=lambda a: sum(len(p["context"]) for p in a["paragraphs"]))[:SQUAD_ARTICLES]
    folder.mkdir(parents=True, exist_ok=True)
    kinds: dict[bool, list[QAItem]] = {True: [], False: []}
    for article in articles:
        (folder / f"{article['title']}.txt").write_text(
            "\n\n".join(p["context"].strip() for p in article["paragraphs"]) + "\n", encoding="utf-8")
        for p in article["paragraphs"]:
            for q in p["qas"]:
                gold = tuple(dict.fromkeys(re.escape(a["text"]) for a in q["answers"]))
                kinds[not q["is_impossible"]].append(QAItem(q["question"], (article["title"],), gold,
                                                            not q["is_impossible"]))
    return spread(kinds[True], answerable) + spread(kinds[False], unanswerable)


def spread(items: list[QAItem], n: int) -> list[QAItem]:
    """`n` items at even steps through `items`."""
    if n <= 0 or not items:
        return []
    step = len(items) / min(n, len(items))
    return [items[int(i * step)] for i in range(min(n, len(items)))]


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


def answers(store: Path, folder: Path, items: list[QAItem], **options: Any) -> dict[str, Any]:
    """Every question through `kit ask` over `folder` with these settings. A question counts as
    answered correctly when the answer is not withheld, one of its gold patterns is in the shown
    text, and every shown claim is supported (as `kit evaluate` scores answers, plus the support
    rule)."""
    k = kit.open(store_dir=str(store), **options)
    k.ingest(folder)
    replies: list[str] = []  # the model's raw replies, kept in the rows for reading
    backend = k.chat_backend
    if backend is not None:
        complete = backend.complete

        def recorded(*args: Any, **kwargs: Any) -> Any:
            result = complete(*args, **kwargs)
            replies.append(result.text)
            return result
        backend.complete = recorded  # type: ignore[method-assign]  # a benchmark's tap, not kit's
    rows = []
    for item in items:
        started = time.perf_counter()
        replies.clear()
        answer = k.ask(item.question)
        seconds = time.perf_counter() - started
        kept, offered = claims_that_survive(answer)
        trace = answer.traces[0] if answer.traces else {}
        found = any(re.search(p, answer.text, re.IGNORECASE) for p in item.answers)
        rows.append({"question": item.question, "answerable": item.answerable, "seconds": round(seconds, 2),
                     "abstained": answer.abstained, "supported_claims": kept, "claims": offered,
                     "correct": bool(item.answerable and not answer.abstained and found and kept == offered),
                     "text": answer.text, "claims_judged": [
                         {"text": c.text, "support": c.support.value, "reasons": list(c.reasons),
                          "quotes": [x.quote for x in c.citations]} for c in answer.claims],
                     "prompt_tokens": trace.get("prompt_tokens"),
                     "completion_tokens": trace.get("completion_tokens"),
                     "counted_prompt_tokens": trace.get("counted_prompt_tokens"), "notes": answer.notes,
                     "threads": getattr(getattr(backend, "model", None), "threads", None),
                     "replies": list(replies)})
        for log in ROWS_LOG:
            with log.open("a", encoding="utf-8") as f:
                f.write(json.dumps({"backend": answer.backend, **rows[-1]}) + "\n")
        print(f"  {seconds:6.1f} s  {'ok ' if rows[-1]['correct'] else '-- '} {item.question[:70]}", file=sys.stderr,
              flush=True)
    return summarise(rows)


def summarise(rows: list[dict[str, Any]]) -> dict[str, Any]:
    answerable = [r for r in rows if r["answerable"]]
    unanswerable = [r for r in rows if not r["answerable"]]
    kept, offered = sum(r["supported_claims"] for r in rows), sum(r["claims"] for r in rows)
    latencies = sorted(r["seconds"] for r in rows)
    return {
        "questions": len(rows), "unanswerable": len(unanswerable),
        "seconds_per_answer_median": round(statistics.median(latencies), 2),
        "seconds_per_answer_p95": latencies[max(0, math.ceil(0.95 * len(latencies)) - 1)],  # nearest rank
        "claims_supported": f"{kept}/{offered}",
        "claim_survival_rate": round(kept / offered, 3) if offered else None,
        "answered_correctly": sum(r["correct"] for r in answerable),
        "answerable_with_a_supported_claim": sum(not r["abstained"] for r in answerable),
        "answerable": len(answerable),
        "abstained_on_unanswerable": sum(r["abstained"] for r in unanswerable),
        "prompt_tokens_median": statistics.median(r["prompt_tokens"] or 0 for r in rows),
        "count_vs_server_prompt_tokens_median": statistics.median(
            (r["counted_prompt_tokens"] or 0) - (r["prompt_tokens"] or 0) for r in rows),
        "rows": rows,
    }


# One named topic per corpus for --summary: a story of the seeds, the SQuAD sample's first article.
SUMMARY_TOPICS = {"seeds": "Russian cruise missile strikes in Syria", "squad": "the 1973 oil crisis"}


def topic_summary(store: Path, folder: Path, topic: str, **options: Any) -> dict[str, Any]:
    """`kit summarize --topics TOPIC` over `folder` with these settings: how many of the summary's
    claims the support check passes, and how long it took."""
    k = kit.open(store_dir=str(store), **options)
    k.ingest(folder)
    started = time.perf_counter()
    summary = k.summarize([topic])[0]
    counts = support_counts(summary.claims)
    return {"topic": topic, "seconds": round(time.perf_counter() - started, 1), "mode": summary.mode.value,
            "claims": len(summary.claims), **counts, "found": summary.found, "notes": summary.notes,
            "sentences": [{"text": c.text, "support": c.support.value} for c in summary.claims]}


def model_run(path: Path | None, args: argparse.Namespace) -> dict[str, Any]:
    """Speed and answers of one GGUF model (None: the default model)."""
    settings = Settings.load(environ={}, llm="gguf", gguf_model=path, llm_threads=args.threads)
    started = time.perf_counter()
    chat = GGUFChat(settings)
    result: dict[str, Any] = {"model": model_path(settings).name, "context": chat.context_window,
                              "threads": chat.model.threads, "load_s": round(time.perf_counter() - started, 2)}
    if args.repeats:
        result.update(speeds(chat, args.repeats))
    del chat
    options = {"llm": "gguf", "gguf_model": path, "llm_threads": args.threads, "llm_timeout": args.timeout}
    for name, (folder, items) in args.sets.items():
        for trim in ([False] if args.untrimmed else []) + [True] if args.answers else []:
            with tempfile.TemporaryDirectory() as tmp:
                key = name if trim else f"{name}_untrimmed"
                result[key] = answers(Path(tmp) / "store", folder, items, llm_trim=trim, **options)
        if args.summary:
            with tempfile.TemporaryDirectory() as tmp:
                result[f"{name}_summary"] = topic_summary(Path(tmp) / "store", folder, SUMMARY_TOPICS[name], **options)
    return result


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--model", type=Path, action="append", default=None,
                    help="GGUF file (repeatable); default: the gguf backend's default model")
    ap.add_argument("--limit", type=int, default=None)
    ap.add_argument("--pick", default="", help="only these question numbers of each set (0-based, comma-separated)")
    ap.add_argument("--repeats", type=int, default=5, help="speed rounds per model (0: skip)")
    ap.add_argument("--threads", type=int, default=0, help="llm_threads (0: the cores free before each call)")
    ap.add_argument("--busy", type=int, default=0, help="this many processes spin on as many cores meanwhile")
    ap.add_argument("--timeout", type=float, default=600.0)
    ap.add_argument("--out", default=str(ROOT / "bench/results/llm.json"))
    ap.add_argument("--squad", default="", help="A,U: also A answerable and U unanswerable SQuAD 2.0 questions")
    ap.add_argument("--no-seeds", dest="seeds", action="store_false", help="skip the seeds dev set")
    ap.add_argument("--rows-log", type=Path, default=None, help="append each answer's row to this JSON-lines file")
    ap.add_argument("--summary", action="store_true", help="also an LLM summary of one named topic per set")
    ap.add_argument("--no-answers", dest="answers", action="store_false", help="skip the questions")
    ap.add_argument("--untrimmed", action="store_true",
                    help="also ask each model every question with llm_trim off (whole passages), first")
    args = ap.parse_args()
    ROWS_LOG.extend([args.rows_log] if args.rows_log else [])
    load_before = os.getloadavg()  # others' work on this shared machine shows here, not in our timings
    squad_dir = Path(tempfile.mkdtemp(prefix="kit-squad-"))
    args.sets = {}
    if args.seeds:
        args.sets["seeds"] = (ROOT / "seeds", load_qa(QA)[:args.limit])
    if args.squad:
        a, u = (int(x) for x in args.squad.split(","))
        args.sets["squad"] = (squad_dir, squad_sample(squad_dir, a, u)[:args.limit])
    if args.pick:  # a subset to iterate on; a measurement runs every question
        wanted = [int(x) for x in args.pick.split(",")]
        args.sets = {name: (folder, [items[i] for i in wanted if i < len(items)])
                     for name, (folder, items) in args.sets.items()}
    results: dict[str, Any] = {"questions": {"seeds": str(QA.relative_to(ROOT)), "squad": f"{SQUAD.name}, "
                                             f"{args.squad or 'not run'} (answerable,unanswerable)"}}
    results["extractive"] = {}
    for name, (folder, items) in args.sets.items() if args.answers else ():
        with tempfile.TemporaryDirectory() as tmp:
            results["extractive"][name] = answers(Path(tmp) / "store", folder, items, llm="extractive")
    results["models"] = []
    results["busy_cores"] = args.busy
    spinners = [subprocess.Popen([sys.executable, "-c", SPIN, str(core)])
                for core in sorted(os.sched_getaffinity(0))[:args.busy]]
    try:
        for path in args.model or [None]:  # written after each model: a long run keeps what it finished
            results["models"].append(model_run(path, args))
            results["load_average_before_after"] = [round(load_before[0], 2), round(os.getloadavg()[0], 2)]
            Path(args.out).write_text(json.dumps(results, indent=2) + "\n")
    finally:
        for spinner in spinners:
            spinner.kill()
    for name in args.sets if args.answers else ():
        runs = [("extractive", results["extractive"][name])] + [
            (f"{m['model']}{label}", m[key]) for m in results["models"]
            for key, label in ((f"{name}_untrimmed", " whole"), (name, "")) if key in m]
        print(f"\n{name}\n| measure | " + " | ".join(n for n, _ in runs) + " |\n|---|" + "---|" * len(runs))
        for key in ("answered_correctly", "answerable", "abstained_on_unanswerable", "unanswerable",
                    "claims_supported", "seconds_per_answer_median", "seconds_per_answer_p95",
                    "prompt_tokens_median"):
            print(f"| {key} | " + " | ".join(str(run[key]) for _, run in runs) + " |")
    print(f"load average before/after: {results['load_average_before_after']}", file=sys.stderr)


if __name__ == "__main__":
    main()
