"""Cold start: how long a new `kit` process takes, and whether it grows with the store.

Measured in one run, rounds interleaved in a shuffled order so load from other processes hits
every command alike: `kit --help`, `kit --version`, `kit files` and a cold `kit search` (a new
process: imports, model load, store open, query embedding, dense + keyword search) on the seeds
store and on a store of 12,000 chunks (texts and int8 MiniLM vectors from bench/pool.py, same
settings and embedder as the seeds store, so the same query runs on both). Also: the time
`import chromadb` spends with and without jsonschema's IRI grammar (see kit/chroma.py). "Cold"
means a new process; the OS file cache is warm (dropping it would slow every other process on
this shared machine). Writes bench/results/coldstart.json.

    python -m bench.run_coldstart [--rounds 7] [--big 12000]
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench import pool
from kit.config import Settings

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "bench" / "results"
KIT = [str(Path(sys.executable).parent / "kit")]
QUERY = "How many cruise missiles did Russia launch from the Caspian Sea?"
TARGETS = {"help_s": 0.3, "seeds_search_s": 2.0, "big_minus_seeds_s": 0.3}


def env() -> dict[str, str]:
    return {**{k: v for k, v in os.environ.items() if not k.startswith("KIT_")},
            "PYTHONPATH": str(ROOT)}


def timed(argv: list[str], cwd: Path) -> float:
    started = time.perf_counter()
    done = subprocess.run(argv, cwd=cwd, env=env(), capture_output=True, text=True, timeout=300)
    elapsed = time.perf_counter() - started
    if done.returncode != 0:
        raise SystemExit(f"{' '.join(argv)} failed: {done.stderr[-500:]}")
    return elapsed


def import_chromadb_s(hide_iri: bool) -> float:
    code = ("import sys, time\n"
            f"if {hide_iri}: sys.modules['rfc3987_syntax'] = None\n"
            "t = time.perf_counter(); import chromadb; print(time.perf_counter() - t)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env(), timeout=120)
    return float(out.stdout.strip())


def others_load() -> float:
    return float(Path("/proc/loadavg").read_text().split()[0])


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=7)
    parser.add_argument("--big", type=int, default=12000)
    parser.add_argument("--out", default=str(RESULTS / "coldstart.json"))
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="kit-coldstart-"))
    try:
        subprocess.run([*KIT, "prepare"], env=env(), check=True, capture_output=True, timeout=900)
        seeds = work / "seeds-project"
        shutil.copytree(ROOT / "seeds", seeds / "seeds")
        subprocess.run([*KIT, "ingest", "seeds", "--no-progress"], cwd=seeds, env=env(), check=True,
                       capture_output=True, timeout=900)
        big = work / "big-project"
        loaded = pool.load_store(Settings.load(environ={}, store_dir=big / ".kit"), args.big)
        print(f"12k store loaded in {loaded['load_s']:.1f} s", file=sys.stderr)
        commands = {
            "kit --help": ([*KIT, "--help"], seeds), "kit --version": ([*KIT, "--version"], seeds),
            "kit files (seeds)": ([*KIT, "files"], seeds),
            "kit search (seeds, 36 chunks)": ([*KIT, "search", QUERY, "-k", "5"], seeds),
            f"kit search ({args.big:,} chunks)": ([*KIT, "search", QUERY, "-k", "5"], big),
        }
        for argv, cwd in commands.values():
            timed(argv, cwd)  # warm the OS file cache once
        times: dict[str, list[float]] = {name: [] for name in commands}
        loads = []
        rng = random.Random(3)
        for r in range(args.rounds):
            order = list(commands)
            rng.shuffle(order)
            for name in order:
                times[name].append(timed(*commands[name]))
            loads.append(others_load())
            print(f"round {r + 1}/{args.rounds}: load {loads[-1]:.2f}", file=sys.stderr)
        iri = {"hidden": [import_chromadb_s(True) for _ in range(3)],
               "plain": [import_chromadb_s(False) for _ in range(3)]}
    finally:
        shutil.rmtree(work, ignore_errors=True)
    report(times, iri, loads, loaded, args)


def report(times: dict[str, list[float]], iri: dict[str, list[float]], loads: list[float],
           loaded: dict[str, float], args: argparse.Namespace) -> None:
    medians = {name: statistics.median(v) for name, v in times.items()}
    names = list(times)
    seeds_s, big_s = medians[names[3]], medians[names[4]]
    diffs = [b - s for s, b in zip(times[names[3]], times[names[4]], strict=True)]
    result = {
        "rounds": args.rounds, "big_chunks": args.big, "load_average_per_round": loads,
        "seconds": {name: {"median": round(medians[name], 3), "min": round(min(v), 3), "max": round(max(v), 3),
                           "all": [round(x, 3) for x in v]} for name, v in times.items()},
        "big_minus_seeds_s": {"median_of_paired_differences": round(statistics.median(diffs), 3),
                              "difference_of_medians": round(big_s - seeds_s, 3)},
        "import_chromadb_s": {k: round(statistics.median(v), 3) for k, v in iri.items()},
        "big_store_load": loaded,
        "targets": {"kit --help < 0.3 s": medians[names[0]] < TARGETS["help_s"],
                    "cold search on seeds < 2 s": seeds_s < TARGETS["seeds_search_s"],
                    "12k store at most 0.3 s slower": statistics.median(diffs) <= TARGETS["big_minus_seeds_s"]},
        "machine": {"python": platform.python_version(), "cpus": os.cpu_count()},
        "git": subprocess.run(["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True,
                              cwd=ROOT).stdout.strip(),
    }
    Path(args.out).parent.mkdir(parents=True, exist_ok=True)
    Path(args.out).write_text(json.dumps(result, indent=2) + "\n")
    print("| command | median s | min s | max s |\n|---|---|---|---|")
    for name, v in times.items():
        print(f"| {name} | {medians[name]:.3f} | {min(v):.3f} | {max(v):.3f} |")
    print(f"\n12k minus seeds, median of paired rounds: {statistics.median(diffs):+.3f} s; "
          f"import chromadb: {result['import_chromadb_s']}; load average {min(loads):.2f}-{max(loads):.2f}")


if __name__ == "__main__":
    main()
