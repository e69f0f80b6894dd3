"""Fit the support judge's score (kit/calibration/judge.json) on the dev half of the labelled claims.

    python -m bench.fit_judge

For every dev pair that shares no source sentence with a test pair (bench.claims_data.tuning),
the judge's signals on the pair's quotes (as `bench.run_claims` computes them in quote mode) become
the features of kit.grounding.score; a logistic regression (L2, C=1, classes balanced: the dev
half is 55% supported, other corpora are not) fits their weights. The test half is never read.
"""

from __future__ import annotations

import argparse
from collections.abc import Sequence
from datetime import UTC, datetime

import numpy as np
from sklearn.linear_model import LogisticRegression

from bench.claims_data import ClaimPair, Library, load, tuning
from bench.run_claims import around, judge_for
from kit import calibration
from kit.config import Settings
from kit.embeddings import get_embedder
from kit.grounding.score import CALIBRATION, FEATURES, KINDS, features
from kit.grounding.support import Judge


def rows(judge: Judge, pairs: Sequence[ClaimPair]) -> np.ndarray:
    out = []
    for p in pairs:
        evidence = [e for e in p.evidence if e.quote.strip()]
        quotes, contexts = [e.quote for e in evidence], [around(e.document, e.quote) for e in evidence]
        s = judge.signals(p.claim, quotes, contexts)
        row = features(s.to_dict(), s.hard_kinds, len(s.soft))
        out.append([row[name] for name in FEATURES])
    return np.asarray(out, dtype=float)


def fit(x: np.ndarray, y: np.ndarray) -> dict[str, float]:
    """Logistic weights; a hard-reason kind may only lower the score: one whose fitted weight comes
    out positive (a handful of dev pairs) is dropped and the rest refitted."""
    use = list(FEATURES)
    while True:
        cols = [FEATURES.index(name) for name in use]
        # FEATURES ends in "bias", a constant column: the model's own intercept is switched off.
        model = LogisticRegression(C=1.0, class_weight="balanced", fit_intercept=False, max_iter=5000)
        coef = dict(zip(use, model.fit(x[:, cols], y).coef_[0], strict=True))
        wrong = [name for name in KINDS if coef.get(name, 0.0) > 0]
        if not wrong:
            return {name: round(float(coef.get(name, 0.0)), 6) for name in FEATURES}
        use = [name for name in use if name not in wrong]


def main() -> None:
    argparse.ArgumentParser(description=__doc__.split("\n")[0]).parse_args()
    library = Library()
    pairs = load(library=library)
    dev = tuning(pairs)
    judge = judge_for(pairs, library, get_embedder(Settings.load()))
    x, y = rows(judge, dev), np.array([p.label for p in dev])
    weights = fit(x, y)
    file = calibration.write(CALIBRATION, {"weights": weights, "provenance": {
        "data": "bench/data/claims, dev split, pairs sharing no source sentence with the test split",
        "pairs": len(dev), "supported": int(y.sum()), "model": "logistic regression, L2, C=1, balanced classes",
        "script": "python -m bench.fit_judge", "date": datetime.now(UTC).isoformat(timespec="seconds")}})
    print(f"wrote {file}: {len(dev)} dev pairs, {int(y.sum())} supported")
    for name, w in sorted(weights.items(), key=lambda kv: -abs(kv[1])):
        print(f"  {name:18s} {w:+.3f}")


if __name__ == "__main__":
    main()
