"""Scores for a method that calls claims supported or not: ROC AUC of its strength, balanced
accuracy of its decision, false accepts and false rejects; numpy only."""

from __future__ import annotations

import numpy as np


def average_ranks(x: np.ndarray) -> np.ndarray:
    """1-based ranks of `x`, tied values sharing the mean of their ranks."""
    _, inverse, counts = np.unique(x, return_inverse=True, return_counts=True)
    last = np.cumsum(counts)
    return (last - (counts - 1) / 2)[inverse]


def auc(labels: np.ndarray, scores: np.ndarray) -> float | None:
    """ROC AUC: the chance that a supported pair scores above an unsupported one (ties count
    half). None when one class is missing."""
    labels = labels.astype(bool)
    pos, neg = int(labels.sum()), int((~labels).sum())
    if not pos or not neg:
        return None
    ranks = average_ranks(np.asarray(scores, dtype=float))
    return float((ranks[labels].sum() - pos * (pos + 1) / 2) / (pos * neg))


def balanced_accuracy(labels: np.ndarray, shown: np.ndarray) -> float | None:
    """Mean of the share of supported pairs shown and the share of unsupported pairs held back."""
    labels, shown = labels.astype(bool), shown.astype(bool)
    if labels.all() or not labels.any():
        return None
    return float((shown[labels].mean() + (~shown[~labels]).mean()) / 2)


def best_threshold(labels: np.ndarray, scores: np.ndarray) -> float:
    """The threshold t (shown: score >= t) with the highest balanced accuracy; among equals, the
    highest t (fewer false accepts)."""
    best_t, best = float("inf"), -1.0
    for t in np.unique(scores):
        value = balanced_accuracy(labels, scores >= t) or 0.0
        if value >= best:
            best_t, best = float(t), value
    return best_t


def summary(labels: np.ndarray, scores: np.ndarray, shown: np.ndarray) -> dict[str, float | int | None]:
    """AUC, balanced accuracy, false accepts (unsupported shown) and false rejects (supported
    not shown), with the counts they are shares of."""
    labels, shown = labels.astype(bool), shown.astype(bool)
    supported, unsupported = int(labels.sum()), int((~labels).sum())
    false_accepts, false_rejects = int((shown & ~labels).sum()), int((~shown & labels).sum())
    return {"n": len(labels), "supported": supported, "unsupported": unsupported,
            "auc": _round(auc(labels, scores)), "balanced_accuracy": _round(balanced_accuracy(labels, shown)),
            "false_accepts": false_accepts, "false_rejects": false_rejects,
            "false_accept_rate": _round(false_accepts / unsupported if unsupported else None),
            "false_reject_rate": _round(false_rejects / supported if supported else None)}


def _round(x: float | None) -> float | None:
    return None if x is None else round(x, 4)
