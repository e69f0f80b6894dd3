"""Fit the extractive answerer's support model on SQuAD 2.0 (answerable vs unanswerable).

Articles are split in two: weights and threshold are fitted on one half and reported on the
other, so the numbers say how the calibration generalises to unseen documents. Only sentences
the answerer may use are scored (statements holding the kind of answer asked for, in passages
naming the question's key terms); a question with none is an abstention before any score.
Writes kit/calibration/abstention.json (weights, threshold, provenance) and
bench/results/abstention.json.

    python -m bench.calibrate_abstention [--questions 2000]
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

import numpy as np

import kit
from bench.squad_corpus import WORK, sample, squad_kit, training_articles
from kit import calibration
from kit.answer.answerers import CALIBRATION, SupportModel, answerable, candidates, sentence_features

FEATURES = [f for f in SupportModel.FEATURES if f != "bias"]


def collect(k: kit.Kit, items: list, top_k: int) -> list[tuple[np.ndarray, bool, str]]:
    """Per question: the feature matrix of its eligible candidate sentences (maybe none), label, article."""
    idf = k.context().idf
    rows = []
    for n, (article, item) in enumerate(items, 1):
        hits = k.search(item.question, k=top_k)
        cands = answerable(item.question, candidates(hits), idf)
        vecs = k.embedder.embed([item.question] + [c.text for c in cands])
        feats = [sentence_features(item.question, c, float(v @ vecs[0]), idf)
                 for c, v in zip(cands, vecs[1:], strict=True)]
        matrix = np.array([[f[name] for name in FEATURES] for f in feats]).reshape(len(feats), len(FEATURES))
        rows.append((matrix, item.answerable, article))
        if n % 200 == 0:
            print(f"  {n}/{len(items)} questions", file=sys.stderr)
    return rows


def fit(rows: list[tuple[np.ndarray, bool, str]], rounds: int = 4) -> tuple[np.ndarray, float]:
    """Logistic regression on each question's best sentence, re-selected under the new weights."""
    from sklearn.linear_model import LogisticRegression

    w, b = np.array([4.0, 3.0, 1.0, -2.0, 0.5, 1.0]), -3.5
    rows = [r for r in rows if len(r[0])]  # no eligible sentence: abstained whatever the weights
    for _ in range(rounds):
        x = np.array([m[np.argmax(m @ w + b)] for m, _, _ in rows])
        y = np.array([label for _, label, _ in rows])
        lr = LogisticRegression(C=1.0, max_iter=1000).fit(x, y)
        w, b = lr.coef_[0], float(lr.intercept_[0])
    return w, b


def support(rows: list, w: np.ndarray, b: float) -> tuple[np.ndarray, np.ndarray]:
    z = np.array([np.max(m @ w + b) if len(m) else -np.inf for m, _, _ in rows])
    return 1 / (1 + np.exp(-z)), np.array([label for _, label, _ in rows])


def balanced_threshold(s: np.ndarray, y: np.ndarray) -> float:
    """Threshold maximising the smaller of abstain-on-unanswerable and answer-on-answerable."""
    grid = np.linspace(0.05, 0.95, 181)
    return float(max(grid, key=lambda t: (min(np.mean(s[~y] < t), np.mean(s[y] >= t)), -abs(t - 0.5))))


def answer_first_threshold(s: np.ndarray, y: np.ndarray, answer_rate: float = 0.8) -> float:
    """The highest threshold that still answers `answer_rate` of answerable questions: SQuAD's
    unanswerable questions are adversarial (same paragraph, plausible answer), so refusing more
    of them costs far more answerable ones than it does for questions the corpus never covers."""
    # Questions with no eligible sentence score 0 and count as abstentions on answerable ones.
    return float(np.quantile(s[y], 1 - answer_rate))


def rates(s: np.ndarray, y: np.ndarray, t: float) -> dict[str, float]:
    return {"abstain_on_unanswerable": round(float(np.mean(s[~y] < t)), 4),
            "answer_on_answerable": round(float(np.mean(s[y] >= t)), 4), "n": len(y)}


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--questions", type=int, default=2000)
    args = ap.parse_args()
    started = time.perf_counter()
    k, items, ingested = squad_kit()
    print(ingested.chunks, "chunks", file=sys.stderr)
    # Features depend on the embedder and on retrieval: a cache for other settings is not reused.
    fused = f"rrf{k.settings.rrf_k}-mmr{k.settings.mmr_lambda}-k{k.settings.top_k}"
    cache = WORK / f"features-gated-counts-{args.questions}-{k.embedder.name}-{fused}.npz"
    if cache.exists():
        saved = np.load(cache, allow_pickle=True)
        rows = list(zip(saved["matrices"], saved["labels"], saved["articles"], strict=True))
    else:
        rows = collect(k, sample(items, args.questions), k.settings.top_k)
        np.savez(cache, matrices=np.array([r[0] for r in rows], dtype=object),
                 labels=np.array([r[1] for r in rows]), articles=np.array([r[2] for r in rows]))
    articles = {a for _, _, a in rows}
    train_articles = training_articles(articles)
    train = [r for r in rows if r[2] in train_articles]
    test = [r for r in rows if r[2] not in train_articles]
    w, b = fit(train)
    threshold = answer_first_threshold(*support(train, w, b))
    balanced = balanced_threshold(*support(train, w, b))
    result = {
        "weights": {**dict(zip(FEATURES, map(float, w), strict=True)), "bias": b}, "threshold": threshold,
        "provenance": {"data": "SQuAD 2.0 dev half", "questions": len(rows),
                       "train_articles": len(train_articles), "test_articles": len(articles) - len(train_articles),
                       "rule": "answer at least 80% of answerable training questions, abstain as much as possible",
                       "train": rates(*support(train, w, b), threshold), "test": rates(*support(test, w, b), threshold),
                       "balanced_threshold": balanced,
                       "balanced_test": rates(*support(test, w, b), balanced),
                       "embedder": k.embedder.name, "top_k": k.settings.top_k,
                       "seconds": round(time.perf_counter() - started, 1)},
    }
    calibration.write(CALIBRATION, result)
    Path(__file__).with_name("results").joinpath("abstention.json").write_text(json.dumps(result, indent=2) + "\n")
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
