"""The labelled claims through the real `Kit.check`, one claim at a time restricted to its document.

    python -m bench.run_check_claims [--split test] [--sets SET ...] [--model FILE.gguf] [--out FILE]

`bench/run_claims.py` measures the judge on the pairs directly; this runs them the way a user
checks a draft: every document of bench/data/claims is a file in one store (MiniLM, the
default), and each claim is `Kit.check(claim, files=[its document])`: kit searches the file,
picks its best sentence or pair, verifies the quote at its span and judges it. A claim that
splits into several sentences is shown when every sentence is, its score the lowest. With
--model, the same run is repeated with that GGUF model as the chat backend and `judge=llm`
(one Yes/No question per shown sentence; it can only withdraw support), beside the offline
figures of the same run. Writes FILE (default bench/results/check_claims.json).
"""

from __future__ import annotations

import argparse
import json
import os
import re
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import numpy as np

import kit
from bench.claims_data import DEFAULT_EXCLUDE, SETS, SPLITS, ClaimPair, load
from bench.claims_metrics import summary
from kit.results import CheckResult
from kit.types import Support

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "bench" / "results" / "check_claims.json"
SHOWN = (Support.SUPPORTED, Support.PARTIAL)


def file_names(pairs: list[ClaimPair]) -> dict[str, str]:
    """A file name per document key, unique and readable."""
    names: dict[str, str] = {}
    for p in pairs:
        names.setdefault(p.doc, re.sub(r"[^A-Za-z0-9]+", "_", p.doc)[:80] + f"_{len(names)}.txt")
    return names


def row(p: ClaimPair, result: CheckResult) -> dict[str, Any]:
    claims = result.claims
    return {"id": p.id, "set": p.set, "split": p.split, "label": p.label,
            "shown": bool(claims) and all(c.support in SHOWN for c in claims),
            "score": min((c.score for c in claims), default=0.0), "model_calls": len(result.traces),
            "supports": [c.support.value for c in claims]}


def run(k: kit.Kit, pairs: list[ClaimPair], names: dict[str, str]) -> tuple[list[dict[str, Any]], float]:
    started = time.perf_counter()
    rows = [row(p, k.check(p.claim, files=[f"docs/{names[p.doc]}"])) for p in pairs]
    return rows, time.perf_counter() - started


def figures(rows: list[dict[str, Any]]) -> dict[str, Any]:
    labels = np.array([r["label"] for r in rows])
    return summary(labels, np.array([r["score"] for r in rows]), np.array([r["shown"] for r in rows]))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--split", choices=[*SPLITS, "both"], default="both")
    ap.add_argument("--sets", nargs="+", choices=SETS, default=list(SETS), help="only these sets' claims")
    ap.add_argument("--model", type=Path, default=None, help="a GGUF chat model: also run with judge=llm")
    ap.add_argument("--out", type=Path, default=OUT)
    args = ap.parse_args()
    everything = load(exclude=DEFAULT_EXCLUDE)
    pairs = [p for p in everything if args.split in ("both", p.split) and p.set in args.sets]
    names = file_names(everything)
    load_before = os.getloadavg()
    with tempfile.TemporaryDirectory() as tmp:
        docs = Path(tmp) / "docs"
        docs.mkdir()
        for p in everything:
            (docs / names[p.doc]).write_text(p.document, encoding="utf-8")
        store = str(Path(tmp) / ".kit")
        kit.open(store_dir=store).ingest(docs)
        methods = {"offline": run(kit.open(store_dir=store, judge="offline"), pairs, names)}
        if args.model:
            k = kit.open(store_dir=store, llm="gguf", gguf_model=str(args.model), judge="llm",
                         judge_timeout=600, llm_timeout=600)
            methods[f"judge=llm ({args.model.stem})"] = run(k, pairs, names)
    result: dict[str, Any] = {"provenance": {
        "date": datetime.now(UTC).isoformat(timespec="seconds"), "load_average": [load_before[0], os.getloadavg()[0]],
        "pairs": len(pairs), "split": args.split}, "methods": {}}
    for name, (rows, seconds) in methods.items():
        calls = sum(r["model_calls"] for r in rows)
        result["methods"][name] = {"seconds": round(seconds, 1), "model_calls": calls,
                                   **{s: figures([r for r in rows if r["split"] == s]) for s in SPLITS
                                      if any(r["split"] == s for r in rows)}, "rows": rows}
        print(f"{name}: {seconds:.0f} s, {calls} model calls")
        for s in SPLITS:
            if s in result["methods"][name]:
                print(f"  {s}: " + ", ".join(f"{k} {v}" for k, v in result["methods"][name][s].items()))
    args.out.write_text(json.dumps(result, indent=1) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
