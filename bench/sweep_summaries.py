"""Variants of kit's extractive summarizer on the MultiLing topics, each against the better peer.

    python -m bench.sweep_summaries                    # the fit topics (even-numbered)
    python -m bench.sweep_summaries --split "held out" # after the fact only: never to choose

What `bench/eval_topics.py` measures for the shipped summarizer, this measures for variants that
change one thing of its sentence selection, to show how far each moves ROUGE and how far any
sentence selection could go on this data:
- oracle: each bigram weighted by the true share of the topic's reference summaries stating it
  (the best these candidates and this integer program can do; an upper bound, not a system);
- single words as concepts too, weighted by a logistic model of their own fitted on the fit
  topics, at 0.2 and 1.0 times their probability;
- a per-sentence bonus added to the objective: position in its article (1 / (1 + rank)), MiniLM
  cosine to the topic's centroid, MEAD's centroid score, LexRank's score (each scaled to 1 at its
  best in the topic);
- submodular coverage instead of the integer program: Lin & Bilmes (2011), greedy on concept
  weight plus lambda x the saturated MiniLM coverage of the topic, gain per word^0.5;
- other sentence length floors than kit's 8 words.
Figures are recall ratios, variant / better of LexRank and centroid on the same topics (the
issue's target is 1.05). Citations are not re-checked here (selection only); eval_topics does
that for what ships. Writes bench/results/summary_sweep_<split>.json.
"""

from __future__ import annotations

import argparse
import json
from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import Any

import numpy as np

from bench import eval_topics as ev
from bench import fit_salience as fs
from bench import peers
from kit.topics.salience import Candidate, ConceptModel, candidates, centrality, concept_features, concepts, headlines
from kit.topics.selection import Selection, near_copies, select


@dataclass
class Case:
    """One topic, ready for selection."""

    cands: list[Candidate]
    vectors: np.ndarray
    central: np.ndarray
    features: dict[str, np.ndarray]
    refs: list[str]
    docs: list[str]
    redundant: frozenset[tuple[int, int]]


Variant = Callable[[Case, int], list[int]]


def case(chunks: Any, row: dict[str, Any], texts: dict[str, str], embedder: ev.CachedEmbedder,
         min_words: int = 8) -> Case:
    cands = candidates(chunks, min_words=min_words)
    vectors = embedder.embed([c.text for c in cands])
    central = centrality(vectors)
    return Case(cands, vectors, central, concept_features(cands, central, list(headlines(chunks).values())),
                [r["summary"] for r in row["reference_summaries"]], [texts[d] for d in row["doc_ids"]],
                near_copies(cands, vectors))


def ilp(weights: Callable[[Case], dict[str, float]], bonus: Callable[[Case], np.ndarray] | None = None
        ) -> Variant:
    """The integer program over concept weights; a sentence bonus enters as a concept only that
    sentence holds."""
    def run(c: Case, budget: int) -> list[int]:
        w, cands = weights(c), c.cands
        if bonus is not None:
            extra = bonus(c)
            cands = [replace(s, concepts=s.concepts | {f"#{i}"}) for i, s in enumerate(cands)]
            w = {**w, **{f"#{i}": float(v) for i, v in enumerate(extra)}}
        return select(Selection(cands, w, budget, 100, c.redundant))
    return run


def bigrams(model: ConceptModel) -> Callable[[Case], dict[str, float]]:
    return lambda c: model.bigram_weights(c.features)


def with_words(model: ConceptModel, words: ConceptModel, share: float) -> Callable[[Case], dict[str, float]]:
    return lambda c: bigrams(model)(c) | {x: share * v for x, v in words.weigh(c.features).items() if " " not in x}


def oracle(c: Case) -> dict[str, float]:
    refs = [concepts(r) for r in c.refs]
    return {x: fs.reference_share(x, refs) for s in c.cands for x in s.concepts if " " in x}


def doc_frequency(floor: int) -> Callable[[Case], dict[str, float]]:
    """Gillick & Favre's own weights: the number of documents stating a bigram, from `floor` on."""
    def run(c: Case) -> dict[str, float]:
        n = len({s.path for s in c.cands})
        out = {}
        for x, f in c.features.items():
            df = round(float(f[2]) * n)
            if " " in x and df >= floor:
                out[x] = float(df)
        return out
    return run


def scaled(values: np.ndarray) -> np.ndarray:
    return values / values.max() if len(values) and values.max() > 0 else values


def submodular(model: ConceptModel, lam: float) -> Variant:
    """Lin & Bilmes (2011): greedy on concept weight + lam x sum_i min(C_i(S), 0.1 C_i(V)) / n."""
    def run(c: Case, budget: int) -> list[int]:
        w, n = bigrams(model)(c), len(c.cands)
        sim = np.clip(c.vectors @ c.vectors.T, 0, None)
        cap = 0.1 * sim.sum(axis=1)
        cover, covered, picked, used = np.zeros(n), set[str](), list[int](), 0

        def gain(j: int) -> float:
            fresh = sum(w.get(x, 0.0) for x in c.cands[j].concepts - covered)
            return fresh + lam * float((np.minimum(cover + sim[:, j], cap) - np.minimum(cover, cap)).sum()) / n

        while True:
            left = [j for j in range(n) if j not in picked and used + c.cands[j].words <= budget
                    and not any((min(j, p), max(j, p)) in c.redundant for p in picked)]
            if not left:
                return picked
            best = max(left, key=lambda j: gain(j) / c.cands[j].words ** 0.5)
            if gain(best) <= 0:
                return picked
            picked.append(best)
            covered |= c.cands[best].concepts
            cover += sim[:, best]
            used += c.cands[best].words
    return run


def word_model(cases: list[Case]) -> ConceptModel:
    """A logistic model of single words, fitted like the shipped one (bench/fit_salience.py)."""
    xs, ys = [], []
    for c in cases:
        refs = [concepts(r) for r in c.refs]
        for x, f in c.features.items():
            if " " not in x:
                xs.append(f)
                ys.append(fs.reference_share(x, refs))
    return ConceptModel(tuple(float(v) for v in fs.fit(np.array(xs), np.array(ys))))


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--split", choices=("fit", "held out"), default="fit")
    args = ap.parse_args()
    k, _, docs, rows = ev.open_multiling(ev.WORK)
    texts = {d["doc_id"]: d["text"] for d in docs}
    parity = 0 if args.split == "fit" else 1
    chosen = [r for n, r in enumerate(rows) if n % 2 == parity]
    topics = ev.gold_topics(k, chosen)
    embedder = ev.CachedEmbedder(k.embedder)
    cases = {m: [case(t.chunks, r, texts, embedder, m) for t, r in zip(topics, chosen, strict=True)]
             for m in (8, 6, 10, 12)}
    fit_rows = [r for n, r in enumerate(rows) if n % 2 == 0]
    fit_cases = cases[8] if parity == 0 else [case(t.chunks, r, texts, embedder) for t, r in zip(
        ev.gold_topics(k, fit_rows), fit_rows, strict=True)]
    model, words = ConceptModel.load(), word_model(fit_cases)
    idf = peers.corpus_idf(list(texts.values()))
    mead = {id(c): scaled(peers.centroid_values(c.cands, idf, c.docs)) for c in cases[8]}
    lex = {id(c): scaled(peers.lexrank_values(c.cands, idf)[0]) for c in cases[8]}
    variants: list[tuple[str, int, Variant]] = [
        ("shipped", 8, ilp(bigrams(model))),
        ("oracle bigram weights (upper bound)", 8, ilp(oracle)),
        ("document frequency, 2+ documents", 8, ilp(doc_frequency(2))),
        ("document frequency, 3+ documents", 8, ilp(doc_frequency(3))),
        ("document frequency, 3+, sentences of 10+ words", 10, ilp(doc_frequency(3))),
        ("+ single words x0.2", 8, ilp(with_words(model, words, 0.2))),
        ("+ single words x1.0", 8, ilp(with_words(model, words, 1.0))),
        ("+ position bonus 0.3", 8, ilp(bigrams(model), lambda c: 0.3 / (1 + np.array([s.rank for s in c.cands])))),
        ("+ position bonus 1.0", 8, ilp(bigrams(model), lambda c: 1.0 / (1 + np.array([s.rank for s in c.cands])))),
        ("+ MiniLM centrality bonus 1.0", 8, ilp(bigrams(model), lambda c: scaled(c.central))),
        ("+ MEAD centroid bonus 1.0", 8, ilp(bigrams(model), lambda c: mead[id(c)])),
        ("+ LexRank bonus 1.0", 8, ilp(bigrams(model), lambda c: lex[id(c)])),
        ("submodular coverage, lambda 3", 8, submodular(model, 3.0)),
        ("submodular coverage, lambda 10", 8, submodular(model, 10.0)),
        ("sentences of 6+ words", 6, ilp(bigrams(model))),
        ("sentences of 12+ words", 12, ilp(bigrams(model))),
    ]
    peer_best = {b: _peer_best(cases[8], idf, b) for b in ev.BUDGETS}
    results = []
    for name, floor, run in variants:
        row: dict[str, Any] = {"variant": name}
        for b in ev.BUDGETS:
            scores = [ev.rouge(" ".join(c.cands[i].text for i in sorted(run(c, b))), c.refs) for c in cases[floor]]
            for m in ev.METRICS:
                mean = float(np.mean([s[m]["recall"] for s in scores]))
                row[f"{m}@{b}"] = round(mean / peer_best[b][m], 3)
        results.append(row)
        ev.log(f"  {name}: " + " ".join(f"{key} {v}" for key, v in row.items() if key != "variant"))
    keys = [f"{m}@{b}" for b in ev.BUDGETS for m in ev.METRICS]
    print(f"Ratio to the better peer, {args.split} topics ({len(chosen)}), recall\n")
    print("| variant | " + " | ".join(k.replace("rouge", "R-").replace("@", " @ ") for k in keys) + " |")
    print("|---|" + "---|" * len(keys))
    for row in results:
        print(f"| {row['variant']} | " + " | ".join(f"{row[k]:.3f}" for k in keys) + " |")
    out = ev.ROOT / "bench" / "results" / f"summary_sweep_{args.split.replace(' ', '_')}.json"
    out.write_text(json.dumps({"split": args.split, "topics": [r["topic_id"] for r in chosen],
                               "peer_best_recall": peer_best, "variants": results}, indent=2) + "\n")


def _peer_best(cases: list[Case], idf: peers.Idf, budget: int) -> dict[str, float]:
    """Per metric, the better of LexRank's and the centroid summarizer's mean recall."""
    picks = {"lexrank": lambda c: peers.lexrank(c.cands, idf, budget),
             "centroid": lambda c: peers.centroid(c.cands, idf, budget, c.docs)}
    means = {name: [ev.rouge(" ".join(c.cands[i].text for i in sorted(pick(c))), c.refs) for c in cases]
             for name, pick in picks.items()}
    return {m: max(float(np.mean([s[m]["recall"] for s in scores])) for scores in means.values())
            for m in ev.METRICS}


if __name__ == "__main__":
    main()
