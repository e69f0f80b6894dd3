"""Fit the concept model of `kit.topics.salience` on the MultiLing "fit" topics; write its calibration.

    python -m bench.fit_salience            # writes kit/calibration/salience.json

For each fit topic (the even-numbered ones; the odd-numbered ones are held out and never read
here), every concept (stemmed bigram) of the topic's candidate sentences is an example: its
features (`kit.topics.salience.concept_features`) and, as target, the share of the topic's reference
summaries that contain it. A logistic regression (L2, C = 1) is fitted with each example counted
as that share positive and the rest negative. Its weights are all kit reads at run time.
"""

from __future__ import annotations

import json

import numpy as np

from bench import eval_topics as ev
from kit import calibration
from kit.topics.salience import CALIBRATION, FEATURES, candidates, centrality, concept_features, concepts, headlines


def examples(k: object, topics: list, rows: list, embedder: ev.CachedEmbedder) -> tuple[np.ndarray, np.ndarray]:
    xs, ys = [], []
    for topic, row in zip(topics, rows, strict=True):
        cands = candidates(topic.chunks)
        vectors = embedder.embed([c.text for c in cands])
        feats = concept_features(cands, centrality(vectors), list(headlines(topic.chunks).values()))
        refs = [concepts(r["summary"]) for r in row["reference_summaries"]]
        for x, f in feats.items():
            xs.append(f)
            ys.append(reference_share(x, refs))
    return np.array(xs), np.array(ys)


def reference_share(concept: str, references: list[frozenset[str]]) -> float:
    """The share of a topic's reference summaries (as concept sets) that state `concept`."""
    return sum(concept in r for r in references) / len(references)


def fit(x: np.ndarray, y: np.ndarray) -> np.ndarray:
    from sklearn.linear_model import LogisticRegression

    both = np.vstack([x, x])
    labels = np.r_[np.ones(len(x)), np.zeros(len(x))]
    weights = np.r_[y, 1 - y]
    keep = weights > 0
    model = LogisticRegression(C=1.0, fit_intercept=False, max_iter=2000)
    model.fit(both[keep], labels[keep], sample_weight=weights[keep])
    return np.asarray(model.coef_[0])


def main() -> None:
    k, _, _, rows = ev.open_multiling(ev.WORK)
    fit_rows = [r for n, r in enumerate(rows) if n % 2 == 0]
    topics = ev.gold_topics(k, fit_rows)
    x, y = examples(k, topics, fit_rows, ev.CachedEmbedder(k.embedder))
    coef = fit(x, y)
    data = {"weights": {name: round(float(w), 4) for name, w in zip(FEATURES, coef, strict=True)},
            "provenance": {"data": "MultiLing 2011 English, fit topics " + ", ".join(r["topic_id"] for r in fit_rows),
                           "examples": len(y), "positive_share": round(float(y.mean()), 4),
                           "script": "bench/fit_salience.py"}}
    calibration.write(CALIBRATION, data)
    print(json.dumps(data, indent=2))


if __name__ == "__main__":
    main()
