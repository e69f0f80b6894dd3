"""A verdict's score: the calibrated probability that the quotes support the claim.

A logistic model over the judge's signals (similarity, word coverage of the claim and of its
weakest clause, in the quote and in the passage, the claim's length) and its typed hard reasons
(a number, name or negation the quote lacks; roles, attribution, polarity, modality, quantifier,
causal or time faults the parse finds). It is fitted on the dev half of claims written by models
and people (`python -m bench.fit_judge`, kit/calibration/judge.json), so 0.8 means that about 8
in 10 such pairs were supported. The score sits beside the verdict; it does not decide it.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from kit import calibration

CALIBRATION = "judge"  # kit/calibration/judge.json
MEASURES = ("similarity", "coverage", "clause", "passage_coverage", "passage_clause")
KINDS = ("number", "name", "negation", "roles", "attribution", "polarity", "modality", "quantifier", "causal",
         "time")
FEATURES = (*MEASURES, "log_words", *KINDS, "soft", "bias")


def features(measures: Mapping[str, float], kinds: Sequence[str], soft: int) -> dict[str, float]:
    """The model's inputs: the signals' measures, the claim's length and a count per hard-reason kind."""
    row = {name: float(measures.get(name, 0.0)) for name in MEASURES}
    row["similarity"] = max(row["similarity"], 0.0)  # -1 means no embedder: no evidence either way
    row["log_words"] = math.log1p(measures.get("content_words", 0.0))
    row |= {kind: float(sum(k == kind for k in kinds)) for kind in KINDS}
    row["soft"], row["bias"] = float(soft), 1.0
    return row


@dataclass(frozen=True)
class ScoreModel:
    """Logistic weights over FEATURES."""

    weights: Mapping[str, float]

    @classmethod
    def load(cls, name: str = CALIBRATION) -> ScoreModel:
        return cls({k: float(v) for k, v in calibration.load(name)["weights"].items()})

    def score(self, measures: Mapping[str, float], kinds: Sequence[str], soft: int) -> float:
        row = features(measures, kinds, soft)
        z = sum(self.weights.get(name, 0.0) * value for name, value in row.items())
        return 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, z))))
