"""Scale: kit stores of 100k to 1M chunks, local and on a `chroma run` server on 127.0.0.1.

For every size and mode, in its own process (so peak memory is that step's alone):
- load: chunks from bench/pool.py (real texts, real int8 MiniLM vectors computed once; repeats of a
  text get a slightly perturbed vector) written through kit's own writer: upsert batches, then the
  commit (keyword index, file list, state). No embedding in the timed part. Load rate = chunks / s.
- keyword index: the time to build and save it from the saved token rows (what a commit does after
  an update), and its size.
- search: a new process opens the store and runs 200 SQuAD questions through `Kit.search` (query
  embedding, Chroma query, keyword index, fusion, MMR); p50/p95 over the questions after the
  first, which is reported apart (it opens Chroma's index and maps the keyword index).
- size on disk (store folder, and the server's data folder) and peak RSS of each process (and
  of the server, from /proc).

    python -m bench.run_scale [--sizes 100000 1000000] [--modes local http] [--out PATH]
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path
from typing import Any

from bench import pool

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "bench" / "results"
TARGETS = {"p50_ms_100k": 50.0, "p50_ms_1m_http": 150.0, "peak_rss_gb": 4.0}


# -- one step, in a child process ----------------------------------------------------------------
def settings_for(mode: str, store: Path, port: int) -> Any:
    from kit.config import Settings

    extra = {"store_mode": "http", "chroma_port": port, "collection_prefix": f"scale{store.name}"} if mode == "http" \
        else {}
    return Settings.load(environ={}, store_dir=store / ".kit", **extra)


def step_load(mode: str, store: Path, port: int, n: int) -> dict[str, Any]:
    timings = pool.load_store(settings_for(mode, store, port), n, batch=5000, log=True)
    return {**timings, "rate_chunks_per_s": n / timings["load_s"]}


def step_keyword(mode: str, store: Path, port: int) -> dict[str, Any]:
    """Build and save the keyword index again from the saved token rows (what a commit does)."""
    from kit.embeddings import identity
    from kit.store.keyword import KeywordIndex, save
    from kit.store.store import Store

    settings = settings_for(mode, store, port)
    kit_store = Store(settings, *identity(settings))
    folder = kit_store.keyword_dir(kit_store.generation())
    rows = KeywordIndex(folder).rows()
    started = time.perf_counter()
    save(rows, folder.with_name("rebuilt"))
    seconds = time.perf_counter() - started
    size = sum(p.stat().st_size for p in folder.rglob("*") if p.is_file())
    shutil.rmtree(folder.with_name("rebuilt"))
    return {"build_s": seconds, "rows": len(rows), "terms": len(rows.vocab), "index_mb": size / 2**20}


def step_search(mode: str, store: Path, port: int, questions: list[str]) -> dict[str, Any]:
    import kit

    k = kit.open(**{k: v for k, v in settings_for(mode, store, port).model_dump().items()
                    if k in ("store_dir", "store_mode", "chroma_port", "collection_prefix")})
    k.embedder.embed(["warm up the model"])  # model load is not search
    started = time.perf_counter()
    k.search(questions[0], k=5)
    first = time.perf_counter() - started
    times = []
    for q in questions[1:]:
        t = time.perf_counter()
        k.search(q, k=5)
        times.append((time.perf_counter() - t) * 1000)
    times.sort()
    return {"first_search_s": first, "p50_ms": statistics.median(times),
            "p95_ms": times[int(0.95 * (len(times) - 1))], "queries": len(times)}


def run_step(argv: list[str]) -> None:
    kind, mode, store, port = argv[0], argv[1], Path(argv[2]), int(argv[3])
    if kind == "load":
        out = step_load(mode, store, port, int(argv[4]))
    elif kind == "keyword":
        out = step_keyword(mode, store, port)
    else:
        out = step_search(mode, store, port, json.loads(Path(argv[4]).read_text()))
    out["peak_rss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print("RESULT " + json.dumps(out), flush=True)


def child(*args: str) -> dict[str, Any]:
    env = {**{k: v for k, v in os.environ.items() if not k.startswith("KIT_")}, "PYTHONPATH": str(ROOT)}
    done = subprocess.run([sys.executable, __file__, "--step", *args], capture_output=True, text=True, env=env,
                          timeout=6 * 3600)
    lines = [line for line in done.stdout.splitlines() if line.startswith("RESULT ")]
    if done.returncode != 0 or not lines:
        raise SystemExit(f"step {args} failed: {done.stderr[-3000:]}")
    return dict(json.loads(lines[-1][len("RESULT "):]))


# -- a server ----------------------------------------------------------------------------------------
class Server:
    def __init__(self, data: Path) -> None:
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            self.port = int(s.getsockname()[1])
        self.data = data
        chroma = Path(sys.executable).parent / "chroma"
        self.proc = subprocess.Popen([str(chroma), "run", "--path", str(data), "--host", "127.0.0.1", "--port",
                                      str(self.port)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            try:
                opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
                with opener.open(f"http://127.0.0.1:{self.port}/api/v2/heartbeat", timeout=1):
                    return
            except OSError:
                time.sleep(0.5)
        raise SystemExit("chroma run did not start")

    def peak_rss_mb(self) -> float:
        for line in Path(f"/proc/{self.proc.pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
        return 0.0

    def stop(self) -> None:
        self.proc.terminate()
        self.proc.wait(timeout=60)


def du_mb(path: Path) -> float:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file()) / 2**20


def questions(n: int = 201) -> list[str]:
    data = json.loads(pool.SQUAD.read_text(encoding="utf-8"))["data"]
    qs = [qa["question"] for a in data for p in a["paragraphs"] for qa in p["qas"] if not qa["is_impossible"]]
    return qs[:: max(1, len(qs) // n)][:n]


def measure(mode: str, n: int, work: Path, qfile: Path) -> dict[str, Any]:
    store = work / f"{mode}-{n}"
    store.mkdir(parents=True)
    server = Server(work / f"server-{mode}-{n}") if mode == "http" else None
    port = server.port if server else 0
    try:
        print(f"{mode} {n:,}: load", file=sys.stderr, flush=True)
        load = child("load", mode, str(store), str(port), str(n))
        print(f"  {load['rate_chunks_per_s']:.0f} chunks/s; keyword index", file=sys.stderr, flush=True)
        keyword = child("keyword", mode, str(store), str(port))
        print(f"  {keyword['build_s']:.1f} s; search", file=sys.stderr, flush=True)
        search = child("search", mode, str(store), str(port), str(qfile))
        print(f"  p50 {search['p50_ms']:.1f} ms", file=sys.stderr, flush=True)
        disk = {"store_mb": du_mb(store)}
        if server:
            disk["server_mb"] = du_mb(server.data)
        result = {"mode": mode, "chunks": n, "load": load, "keyword_index": keyword, "search": search, "disk": disk}
        if server:
            result["server_peak_rss_mb"] = server.peak_rss_mb()
        return result
    finally:
        if server:
            server.stop()
        shutil.rmtree(store, ignore_errors=True)
        if server:
            shutil.rmtree(server.data, ignore_errors=True)


def main() -> None:
    if len(sys.argv) > 1 and sys.argv[1] == "--step":
        run_step(sys.argv[2:])
        return
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", type=int, nargs="+", default=[100_000, 1_000_000])
    parser.add_argument("--modes", nargs="+", default=["local", "http"])
    parser.add_argument("--out", default=str(RESULTS / "scale.json"))
    args = parser.parse_args()
    pool.pool()  # vectors computed (or loaded) before any timing
    work = Path(tempfile.mkdtemp(prefix="kit-scale-", dir=os.environ.get("KIT_SCALE_DIR")))
    qfile = work / "questions.json"
    qfile.write_text(json.dumps(questions()))
    runs = []
    out = Path(args.out)
    try:
        for n in args.sizes:
            for mode in args.modes:
                load_before = Path("/proc/loadavg").read_text().split()[:3]
                runs.append({**measure(mode, n, work, qfile), "load_average_before": load_before})
                write_results(out, runs)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    print_table(runs)


def write_results(out: Path, runs: list[dict[str, Any]]) -> None:
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps({
        "runs": runs, "targets": TARGETS, "pool": "bench/pool.py",
        "machine": {"python": platform.python_version(), "cpus": os.cpu_count()},
        "git": subprocess.run(["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True,
                              cwd=ROOT).stdout.strip(),
    }, indent=2) + "\n")


def print_table(runs: list[dict[str, Any]]) -> None:
    print("| mode | chunks | load chunks/s | keyword index build s | search p50 / p95 ms | first search s "
          "| store MB | peak RSS MB (load / search / server) |")
    print("|---|---|---|---|---|---|---|---|")
    for r in runs:
        disk = r["disk"]["store_mb"] + r["disk"].get("server_mb", 0)
        rss = f"{r['load']['peak_rss_mb']:.0f} / {r['search']['peak_rss_mb']:.0f}"
        rss += f" / {r['server_peak_rss_mb']:.0f}" if "server_peak_rss_mb" in r else ""
        print(f"| {r['mode']} | {r['chunks']:,} | {r['load']['rate_chunks_per_s']:.0f} | "
              f"{r['keyword_index']['build_s']:.1f} | {r['search']['p50_ms']:.1f} / {r['search']['p95_ms']:.1f} | "
              f"{r['search']['first_search_s']:.2f} | {disk:.0f} | {rss} |")


if __name__ == "__main__":
    main()
