"""The LLM check (kit.llm.judge) on labelled claims, beside the offline judge, in one run.

    python -m bench.run_llm_judge --model PATH.gguf [--sets ...] [--split test] [--batch 8]

For every pair of the split (bench/data/claims) that the offline judge shows (supported or
partial, quote mode as bench.run_claims computes it), the chat model gets the claim and its quotes
through kit's own `second_opinion` and the gguf backend (llama.cpp in process), `--batch` claims
per `second_opinion` call. The gguf backend gives log-probabilities, so each claim is one Yes/No
question (`prompts/entail.yaml`); a backend without them would get one generated verdict per
batch. The model can only withdraw support, so the run reports what it withdrew: faults caught
(fewer false accepts) and faithful claims lost (more false rejects), per set and kind, with
seconds per call. Writes bench/results/llm_judge.json.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import time
from collections import Counter
from pathlib import Path

from bench.claims_data import SETS, Library, load
from bench.run_claims import ROOT, judge_for, judge_quote
from kit.config import Settings
from kit.embeddings import get_embedder
from kit.llm.backends import get_chat_backend
from kit.llm.judge import second_opinion
from kit.types import Citation, Claim, Support

OUT = ROOT / "bench" / "results" / "llm_judge.json"


def as_claim(text: str, quotes: list[str]) -> Claim:
    cites = tuple(Citation(n, "doc", 0, len(q), "article", q, support=Support.SUPPORTED)
                  for n, q in enumerate(quotes, 1))
    return Claim(text, cites, Support.SUPPORTED)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--model", required=True, type=Path)
    ap.add_argument("--sets", nargs="*", default=list(SETS))
    ap.add_argument("--split", default="test")
    ap.add_argument("--batch", type=int, default=8)
    ap.add_argument("--threads", type=int, default=1)
    ap.add_argument("--out", type=Path, default=OUT)
    args = ap.parse_args()
    library = Library()
    pairs = load(args.sets, exclude={"fragment", "echo"}, library=library)
    embedder = get_embedder(Settings.load())
    judges = {name: judge_for([p for p in pairs if p.set == name], library, embedder) for name in args.sets}
    chosen = [p for p in pairs if p.split == args.split]
    offline = {p.id: judge_quote(judges[p.set], p) for p in chosen}
    shown = [p for p in chosen if offline[p.id].shown]
    settings = Settings.load(llm="gguf", gguf_model=args.model, llm_threads=args.threads,
                             llm_max_tokens=40 + 16 * args.batch)
    backend = get_chat_backend(settings)
    assert backend is not None
    withdrawn: set[str] = set()
    seconds, notes = [], []
    for i in range(0, len(shown), args.batch):
        batch = shown[i:i + args.batch]
        claims = [as_claim(p.claim, [e.quote for e in p.evidence if e.quote.strip()]) for p in batch]
        started = time.perf_counter()
        opinion = second_opinion(claims, backend, timeout=600)
        seconds.append(time.perf_counter() - started)
        notes += opinion.notes
        withdrawn |= {p.id for p, c in zip(batch, opinion.claims, strict=True) if c.support is Support.UNSUPPORTED}
        print(f"  batch {i // args.batch + 1}: {seconds[-1]:.1f} s, withdrawn so far {len(withdrawn)}", flush=True)
    result = report(chosen, {p.id for p in shown}, withdrawn)
    result["provenance"] = {"model": args.model.name, "batch": args.batch, "threads": args.threads,
                            "calls": len(seconds), "median_seconds_per_call": round(statistics.median(seconds), 1)
                            if seconds else None, "failed_calls": notes, "load_average": os.getloadavg()}
    args.out.write_text(json.dumps(result, indent=1) + "\n")
    print(json.dumps({k: v for k, v in result.items() if k != "by_kind"}, indent=1))


def report(pairs: list, shown: set[str], withdrawn: set[str]) -> dict:
    def rates(select: list) -> dict:
        faithful = [p for p in select if p.label]
        faults = [p for p in select if not p.label]
        off_fa = sum(p.id in shown for p in faults)
        llm_fa = sum(p.id in shown and p.id not in withdrawn for p in faults)
        off_fr = sum(p.id not in shown for p in faithful)
        llm_fr = sum(p.id not in shown or p.id in withdrawn for p in faithful)
        return {"faithful": len(faithful), "faults": len(faults),
                "false_accepts": {"offline": off_fa, "with_llm_check": llm_fa},
                "false_rejects": {"offline": off_fr, "with_llm_check": llm_fr}}
    kinds = Counter((p.label, p.kind) for p in pairs)
    return {"overall": rates(pairs), "by_set": {s: rates([p for p in pairs if p.set == s])
                                                 for s in dict.fromkeys(p.set for p in pairs)},
            "by_kind": {f"{'supported' if lab else 'unsupported'}/{kind}": rates(
                [p for p in pairs if (p.label, p.kind) == (lab, kind)]) for lab, kind in kinds}}


if __name__ == "__main__":
    main()
