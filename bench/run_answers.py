"""Question answering on the seeds dev set and on SQuAD 2.0 held-out articles, plus latency.

    python -m bench.run_answers [--squad-questions 600]

Offline extractive backend (the default). SQuAD questions come only from the articles that
bench/calibrate_abstention.py did NOT fit on, so abstention numbers are out-of-sample.
Writes bench/results/answers.json and prints a Markdown table.
"""

from __future__ import annotations

import argparse
import json
import shutil
import statistics
import tempfile
import time
from pathlib import Path

import kit
from bench.squad_corpus import WORK, sample, squad_kit, training_articles, write_jsonl
from kit import calibration
from kit.answer.answerers import CALIBRATION

ROOT = Path(__file__).resolve().parents[1]


def seeds_run(store: Path) -> dict[str, object]:
    """`store` is a throwaway project folder: seeds/ beside .kit, so stored names are `seeds/<file>`,
    as tests/data/seeds_qa.jsonl names its gold sources."""
    shutil.copytree(ROOT / "seeds", store / "seeds")
    k = kit.open(store_dir=str(store / ".kit"))
    k.ingest(store / "seeds")
    questions = [json.loads(line)["question"] for line in (ROOT / "tests/data/seeds_qa.jsonl").open()]
    k.ask(questions[0])  # warm: model loaded, keyword index built
    latencies = []
    for q in questions * 3:
        started = time.perf_counter()
        k.ask(q)
        latencies.append((time.perf_counter() - started) * 1000)
    report = k.evaluate(ROOT / "tests/data/seeds_qa.jsonl").to_dict()
    ordered = sorted(latencies)
    report["ask_ms_p50"] = round(statistics.median(ordered), 1)
    report["ask_ms_p95"] = round(ordered[int(0.95 * (len(ordered) - 1))], 1)
    return report


def squad_run(n: int) -> dict[str, object]:
    k, items, _ = squad_kit()
    trained_on = training_articles(a for a, _ in items)
    chosen = [i for a, i in sample([(a, i) for a, i in items if a not in trained_on], n, seed=1)]
    qa = WORK / "heldout_qa.jsonl"
    write_jsonl(chosen, qa)
    report = k.evaluate(qa).to_dict()
    report["questions"] = len(chosen)
    report["unanswerable"] = sum(not i.answerable for i in chosen)
    return report


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--squad-questions", type=int, default=600)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        seeds = seeds_run(Path(tmp) / "store")
    squad = squad_run(args.squad_questions)
    results = {"seeds_dev_set": seeds, "squad_heldout": squad,
               "calibration": calibration.load(CALIBRATION)["provenance"]}
    out = ROOT / "bench/results/answers.json"
    out.write_text(json.dumps(results, indent=2) + "\n")
    keys = ["recall_at", "mrr", "answered_rate", "gold_cited", "answer_accuracy", "citation_precision",
            "quote_verification_rate", "abstention_recall", "abstention_precision", "seconds_per_question"]
    print("| metric | seeds dev set | SQuAD 2.0 held-out |\n|---|---|---|")
    for key in keys:
        print(f"| {key} | {seeds.get(key)} | {squad.get(key)} |")
    print(f"\nask latency on the seeds (warm, extractive): p50 {seeds['ask_ms_p50']} ms, p95 {seeds['ask_ms_p95']} ms")


if __name__ == "__main__":
    main()
