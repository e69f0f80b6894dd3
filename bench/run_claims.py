"""The support judge on claims written by models and people (bench/data/claims), against two baselines.

    python -m bench.run_claims [--sets seeds-llm qwen-seeds] [--exclude fragment echo] [--out FILE]

For every labelled pair, in one run:
- judge, quote: kit's judge on the pair's quote (and any further quote a merged claim relies
  on), with the paragraphs around each quote (at most ~1,500 characters) as its passage;
- judge, search: the judge finds its own evidence: the document cut into ~1,000-character
  passages, `candidate_signals` over each, and the span `Kit.check` would cite
  (`kit.grounding.check.best_of`); shown when that span is judged supported or partial,
  strength its score;
- cosine: MiniLM cosine between the claim and the quote (quote mode), or the document's best
  sentence (search mode);
- token F1: lower-cased word tokens of the claim against the quote, or the best sentence.
The judge counts a claim as shown when its verdict is supported or partial; its strength is the
judgement's `score` when it has one, else similarity x coverage (0 with a hard reason). A
baseline shows a claim when its strength reaches a threshold chosen on the dev split (pairs that
share no source sentence with a test pair) for the best balanced accuracy. Word weights (idf)
come from the paragraphs of each set's collection, as kit counts them over its chunks.

Writes bench/results/claims.json and prints Markdown tables (test split first). The synthetic
fault set (planted numbers, names, negations...) is measured by bench/run_support.py, in
bench/results/support.json.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import numpy as np

from bench.claims_data import DEFAULT_EXCLUDE, SETS, SPLITS, ClaimPair, Library, load, locate, tuning
from bench.claims_metrics import best_threshold, summary
from kit.config import Settings
from kit.embeddings import Embedder, get_embedder
from kit.grounding.check import best_span
from kit.grounding.support import Judge, Judgement, Signals, Thresholds
from kit.text import keywords, sentences
from kit.types import Chunk, Hit, Support

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "bench" / "results" / "claims.json"
FAULT_SET = "bench/results/support.json (python -m bench.run_support: planted faults in MultiLing and SQuAD pairs)"
METHODS = {"judge_quote": "judge, quote", "judge_search": "judge, search", "cosine_quote": "cosine, quote",
           "cosine_search": "cosine, search", "f1_quote": "token F1, quote", "f1_search": "token F1, search"}
SHOWN = (Support.SUPPORTED, Support.PARTIAL)
CONTEXT_CHARS = 1500
PASSAGE_CHARS = 1000


@dataclass(frozen=True)
class Scored:
    """One method's view of one pair: a strength, and (for the judge) whether it is shown."""

    strength: float
    shown: bool | None = None  # None: a baseline, decided by its threshold
    detail: str = ""
    from_score: bool = False  # the strength is the judgement's own score


# -- documents -----------------------------------------------------------------------------------
def paragraph_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) of each blank-line separated paragraph holding some text."""
    bounds = [0, *(x for m in re.finditer(r"\n\s*\n", text) for x in (m.start(), m.end())), len(text)]
    return [(a, b) for a, b in zip(bounds[::2], bounds[1::2], strict=True) if text[a:b].strip()]


def around(document: str, quote: str, limit: int = CONTEXT_CHARS) -> str:
    """The paragraphs holding `quote`, widened by neighbouring paragraphs while under `limit`
    characters; a block still longer is cut to `limit` characters around the quote."""
    span = locate(document, quote)
    if span is None:
        return quote
    paras = paragraph_spans(document)
    first = next((i for i, (_, b) in enumerate(paras) if b > span[0]), 0)
    last = next((i for i, (_, b) in enumerate(paras) if b >= span[1]), len(paras) - 1)
    grown = True
    while grown:
        grown = False
        if first > 0 and paras[last][1] - paras[first - 1][0] <= limit:
            first, grown = first - 1, True
        if last + 1 < len(paras) and paras[last + 1][1] - paras[first][0] <= limit:
            last, grown = last + 1, True
    lo, hi = paras[first][0], paras[last][1]
    if hi - lo > limit:
        lo = max(lo, span[0] - max(0, limit - (span[1] - span[0])) // 2)
        hi = min(hi, max(span[1], lo + limit))
    return document[lo:hi].strip()


def passages(document: str, size: int = PASSAGE_CHARS) -> list[str]:
    """The document cut into passages of about `size` characters: whole paragraphs packed
    together, a longer paragraph packed sentence by sentence."""
    pieces = []
    for a, b in paragraph_spans(document):
        text = document[a:b].strip()
        pieces += [text] if len(text) <= size else [s.text for s in sentences(text)]
    out: list[str] = []
    for piece in pieces:
        if out and len(out[-1]) + len(piece) + 2 <= size:
            out[-1] += "\n\n" + piece
        else:
            out.append(piece)
    return out


# -- the judge -----------------------------------------------------------------------------------
def strength(judgement: Judgement, signals: Signals) -> float:
    """The judgement's own score when it has one, else similarity x coverage (0 with a hard reason)."""
    score = getattr(judgement, "score", None)
    if score is not None:
        return float(score)
    return 0.0 if signals.hard else max(signals.similarity, 0.0) * signals.coverage


def has_score(judgement: Judgement) -> bool:
    return getattr(judgement, "score", None) is not None


def judge_for(pairs: Sequence[ClaimPair], library: Library, embedder: Embedder) -> Judge:
    """A judge weighing words by document frequency over the paragraphs of the pairs' collection,
    as `Kit.context` builds one from its keyword index."""
    docs = {e.doc for p in pairs for e in p.evidence}
    corpus = library.corpus(sorted(docs))
    df: Counter[str] = Counter()
    for paragraph in corpus:
        df.update(set(keywords(paragraph)))
    return Judge.from_counts(embedder, dict(df), len(corpus))


def judge_quote(judge: Judge, p: ClaimPair) -> Scored:
    evidence = [e for e in p.evidence if e.quote.strip()]
    quotes, contexts = [e.quote for e in evidence], [around(e.document, e.quote) for e in evidence]
    judgement = judge.judge(p.claim, quotes, contexts)
    value = strength(judgement, judge.signals(p.claim, quotes, contexts))
    return Scored(value, judgement.support in SHOWN, "; ".join([judgement.support.value, *judgement.reasons]),
                  has_score(judgement))


def judge_search(judge: Judge, p: ClaimPair) -> Scored:
    """The evidence `Kit.check` would cite (`kit.grounding.check.best_span` over the document's
    passages, each a chunk of one file in its order): shown when its verdict is, strength its
    score; detail its spans."""
    at, hits = 0, []
    for n, passage in enumerate(passages(p.document)):
        hits.append(Hit(Chunk(str(n), p.doc, at, at + len(passage), "article", passage, ""), 0.0))
        at += len(passage) + 2
    chosen = best_span(p.claim, hits, judge)
    if chosen is None:
        return Scored(0.0, False, "no candidate")
    judgement, quotes = chosen.judgement, [s.text for s in chosen.spans]
    value = judgement.score if judgement.score is not None else strength(
        judgement, judge.signals(p.claim, quotes, [s.chunk.text for s in chosen.spans]))
    return Scored(value, judgement.support in SHOWN,
                  f"{judgement.support.value}: {' … '.join(quotes)}"[:100], has_score(judgement))


# -- baselines -----------------------------------------------------------------------------------
class Vectors:
    """Unit vectors of texts, each embedded once."""

    def __init__(self, embedder: Embedder) -> None:
        self.embedder = embedder
        self.cache: dict[str, np.ndarray] = {}

    def __call__(self, texts: Sequence[str]) -> np.ndarray:
        todo = [t for t in dict.fromkeys(texts) if t not in self.cache]
        for i in range(0, len(todo), 64):
            batch = todo[i:i + 64]
            self.cache.update(zip(batch, np.asarray(self.embedder.embed(batch), dtype=np.float32), strict=True))
        return np.stack([self.cache[t] for t in texts])


def tokens(text: str) -> Counter[str]:
    return Counter(re.findall(r"\w+", text.lower()))


def token_f1(claim: str, other: str) -> float:
    a, b = tokens(claim), tokens(other)
    common = sum((a & b).values())
    return 0.0 if not common else 2 * common / (sum(a.values()) + sum(b.values()))


def quote_text(p: ClaimPair) -> str:
    return " ".join(e.quote.strip() for e in p.evidence if e.quote.strip())


def doc_sentences(p: ClaimPair) -> list[str]:
    return [s.text for s in sentences(p.document)] or [p.document]


def cosine_quote(vectors: Vectors, p: ClaimPair) -> Scored:
    quote = quote_text(p)
    return Scored(float(vectors([quote])[0] @ vectors([p.claim])[0]) if quote else 0.0)


def cosine_search(vectors: Vectors, p: ClaimPair) -> Scored:
    sims = vectors(doc_sentences(p)) @ vectors([p.claim])[0]
    return Scored(float(sims.max()), None, doc_sentences(p)[int(sims.argmax())][:100])


def f1_quote(p: ClaimPair) -> Scored:
    return Scored(token_f1(p.claim, quote_text(p)))


def f1_search(p: ClaimPair) -> Scored:
    return Scored(max(token_f1(p.claim, s) for s in doc_sentences(p)))


# -- the run -------------------------------------------------------------------------------------
def score_all(pairs: Sequence[ClaimPair], library: Library, embedder: Embedder) -> dict[str, list[Scored]]:
    """Every method on every pair, in the order of `pairs`."""
    judges = {name: judge_for([p for p in pairs if p.set == name], library, embedder)
              for name in dict.fromkeys(p.set for p in pairs)}
    vectors = Vectors(embedder)
    per_pair: dict[str, Callable[[ClaimPair], Scored]] = {
        "judge_quote": lambda p: judge_quote(judges[p.set], p),
        "judge_search": lambda p: judge_search(judges[p.set], p),
        "cosine_quote": lambda p: cosine_quote(vectors, p), "cosine_search": lambda p: cosine_search(vectors, p),
        "f1_quote": f1_quote, "f1_search": f1_search}
    out: dict[str, list[Scored]] = {m: [] for m in METHODS}
    for n, p in enumerate(pairs, 1):
        for method, fn in per_pair.items():
            out[method].append(fn(p))
        if n % 50 == 0:
            print(f"  {n}/{len(pairs)} pairs", file=sys.stderr)
    return out


def decisions(pairs: Sequence[ClaimPair], scored: dict[str, list[Scored]]
              ) -> tuple[dict[str, np.ndarray], dict[str, np.ndarray], dict[str, float]]:
    """(strengths, shown, thresholds) per method; baselines' thresholds fitted on dev only."""
    fit = {p.id for p in tuning(pairs)}
    mask = np.array([p.id in fit for p in pairs])
    labels = np.array([p.label for p in pairs])
    strengths = {m: np.array([s.strength for s in scored[m]]) for m in METHODS}
    thresholds = {m: best_threshold(labels[mask], strengths[m][mask]) for m in METHODS if scored[m][0].shown is None}
    shown = {m: strengths[m] >= thresholds[m] if m in thresholds else np.array([bool(s.shown) for s in scored[m]])
             for m in METHODS}
    return strengths, shown, thresholds


def report(pairs: Sequence[ClaimPair], strengths: dict[str, np.ndarray], shown: dict[str, np.ndarray]
           ) -> dict[str, Any]:
    """Metrics per split, per set and split, and the share shown per kind and split."""
    labels = np.array([p.label for p in pairs])

    def block(select: np.ndarray) -> dict[str, Any]:
        return {m: summary(labels[select], strengths[m][select], shown[m][select]) for m in METHODS}

    splits = {s: np.array([p.split == s for p in pairs]) for s in SPLITS}
    sets = {name: np.array([p.set == name for p in pairs]) for name in dict.fromkeys(p.set for p in pairs)}
    for name in [n for n in sets if any(p.set == n and p.borderline for p in pairs)]:
        sets[f"{name}, not borderline"] = np.array([p.set == name and not p.borderline for p in pairs])
    kinds = sorted({(p.label, p.kind) for p in pairs}, key=lambda k: (not k[0], k[1]))
    by_kind: dict[str, dict[str, Any]] = {}
    for split, in_split in splits.items():
        by_kind[split] = {}
        for label, kind in kinds:
            select = in_split & np.array([p.label == label and p.kind == kind for p in pairs])
            if select.any():
                by_kind[split][f"{'supported' if label else 'unsupported'}/{kind}"] = {
                    "n": int(select.sum()), "shown": {m: round(float(shown[m][select].mean()), 4) for m in METHODS}}
    return {"overall": {s: block(sel) for s, sel in splits.items()},
            "by_set": {name: {s: block(sel & splits[s]) for s in SPLITS} for name, sel in sets.items()},
            "by_kind": by_kind}


def pair_rows(pairs: Sequence[ClaimPair], scored: dict[str, list[Scored]], shown: dict[str, np.ndarray]
              ) -> list[dict[str, Any]]:
    """Per pair (by id; label, kind and split are in the data): each method's strength and decision
    (in the order of "methods"), the judge's verdict and reasons, and the span its search chose.
    No claim text: the reasons' quotes of a claim read at run time (human summaries) are blanked."""
    return [{"id": p.id, "strength": [round(scored[m][i].strength, 3) for m in METHODS],
             "shown": [int(shown[m][i]) for m in METHODS],
             "quote": redact(scored["judge_quote"][i].detail, p.referenced),
             "search": scored["judge_search"][i].detail[:60]}
            for i, p in enumerate(pairs)]


def redact(detail: str, referenced: bool) -> str:
    """For a claim not stored, reasons with the claim's words they quote ("a part of the claim
    ... ('...')") blanked."""
    if not referenced:
        return detail
    return re.sub(r"\('[^;]*?'\)", "('…')", re.sub(r"says '[^']*'", "says '…'", detail))


def provenance(embedder: Embedder, load_before: tuple[float, ...], started: float) -> dict[str, Any]:
    commit = subprocess.run(["git", "rev-parse", "HEAD"], cwd=ROOT, capture_output=True, text=True).stdout.strip()
    return {"date": datetime.now(UTC).replace(microsecond=0).isoformat(), "commit": commit,
            "load_average": {"before": [round(x, 2) for x in load_before],
                             "after": [round(x, 2) for x in os.getloadavg()]},
            "seconds": round(time.perf_counter() - started, 1), "embedder": embedder.name,
            "judge_thresholds": Thresholds.load().to_dict()}


# -- output --------------------------------------------------------------------------------------
def dump(result: dict[str, Any], rows: list[dict[str, Any]]) -> str:
    """The results as indented JSON, with one line per pair under "per_pair"."""
    head = json.dumps(result, indent=1, ensure_ascii=False)[:-2]
    lines = ",\n".join("  " + json.dumps(r, ensure_ascii=False) for r in rows)
    return f'{head},\n "per_pair": [\n{lines}\n ]\n}}\n'


def _pct(x: float | None) -> str:
    return "–" if x is None else f"{x:.0%}"


def _num(x: float | None) -> str:
    return "–" if x is None else f"{x:.2f}"


def overall_table(block: dict[str, dict[str, Any]]) -> list[str]:
    lines = ["| method | AUC | balanced accuracy | false accepts | false rejects |", "|---|---|---|---|---|"]
    for m, label in METHODS.items():
        r = block[m]
        lines.append(f"| {label} | {_num(r['auc'])} | {_num(r['balanced_accuracy'])} | "
                     f"{r['false_accepts']}/{r['unsupported']} ({_pct(r['false_accept_rate'])}) | "
                     f"{r['false_rejects']}/{r['supported']} ({_pct(r['false_reject_rate'])}) |")
    return lines


def set_table(by_set: dict[str, dict[str, Any]], split: str) -> list[str]:
    lines = ["| set | pairs (sup/uns) | " + " | ".join(METHODS.values()) + " |", "|---" * (len(METHODS) + 2) + "|"]
    for name, splits in by_set.items():
        r = splits[split]
        n = next(iter(r.values()))
        cells = [f"{n['n']} ({n['supported']}/{n['unsupported']})",
                 *(f"{_num(r[m]['auc'])} / {_num(r[m]['balanced_accuracy'])}" for m in METHODS)]
        lines.append(f"| {name} | " + " | ".join(cells) + " |")
    return lines


def kind_table(by_kind: dict[str, Any]) -> list[str]:
    lines = ["| kind | n | " + " | ".join(METHODS.values()) + " |", "|---" * (len(METHODS) + 2) + "|"]
    for kind, r in by_kind.items():
        lines.append(f"| {kind} | {r['n']} | " + " | ".join(_pct(r["shown"][m]) for m in METHODS) + " |")
    return lines


def render(result: dict[str, Any]) -> str:
    t = result["thresholds"]
    out = ["## Test split", *overall_table(result["overall"]["test"]),
           "", "Per set (test): AUC / balanced accuracy", *set_table(result["by_set"], "test"),
           "", "## Dev split", *overall_table(result["overall"]["dev"]),
           "", "Per set (dev): AUC / balanced accuracy", *set_table(result["by_set"], "dev"),
           "", "## Share shown per kind (test; for unsupported kinds, lower is better)",
           *kind_table(result["by_kind"]["test"]),
           "", "Baseline thresholds (fitted on dev): " + ", ".join(f"{METHODS[m]} {v:.3f}" for m, v in t.items()),
           f"Synthetic fault set: {FAULT_SET}."]
    return "\n".join(out)


def main(argv: Sequence[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    ap.add_argument("--sets", nargs="+", choices=SETS, default=list(SETS))
    ap.add_argument("--exclude", nargs="*", default=sorted(DEFAULT_EXCLUDE), help="leave out rows with these flags")
    ap.add_argument("--out", type=Path, default=OUT)
    args = ap.parse_args(argv)
    started, load_before = time.perf_counter(), os.getloadavg()
    library = Library()
    pairs = load(args.sets, args.exclude, library)
    embedder = get_embedder(Settings.load(environ={}))
    scored = score_all(pairs, library, embedder)
    strengths, shown, thresholds = decisions(pairs, scored)
    result = {"methods": list(METHODS), "sets": args.sets, "excluded_flags": args.exclude, "pairs": len(pairs),
              "counts": dict(Counter(f"{p.set}/{p.split}/{'supported' if p.label else 'unsupported'}" for p in pairs)),
              "tuning_pairs": len(tuning(pairs)), "thresholds": thresholds,
              "judge_strength": "the judgement's score" if all(s.from_score for s in scored["judge_quote"])
              else "similarity x coverage (0 with a hard reason)",
              **report(pairs, strengths, shown), "fault_set": FAULT_SET}
    result["provenance"] = provenance(embedder, load_before, started)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(dump(result, pair_rows(pairs, scored, shown)), encoding="utf-8")
    print(render(result))


if __name__ == "__main__":
    main()
