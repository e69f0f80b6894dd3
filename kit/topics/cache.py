"""Incremental topics: remember the last run, recompute only the topics that changed.

The last run's topics (their documents with sha256, chunk ids, centroid, label, keywords,
representative documents) and extractive summaries are kept in one JSON file in the store
folder. On the next run, documents whose chunks are unchanged keep their topic; documents that
are new or edited join the nearest topic (centred cosine, as in `kit.topics.cluster`), or start a new
one when no topic is more alike than the corpus average; removed documents leave theirs. Only
the topics that gained, lost or changed a document are labelled and summarised again; each topic
says whether it is new, changed or unchanged since the last run of the same command (`kit topics`
and `kit summarize` each keep their own, so neither consumes the other's report). When more than a quarter of the
documents changed, or the settings that shape topics differ, everything is clustered afresh
(topics are still matched to the last run's by their documents, to say what changed).

A model's label is kept for an unchanged topic like any other label; summaries are kept only
when extractive (a model's summary is never reused), and a kept summary's quotes are checked
against the files again before it is shown. This module does not cluster or summarise.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import tempfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import numpy as np

from kit.corpus.sources import SourceReader
from kit.errors import DamagedFileError
from kit.findings import Agreement, Difference, TopicChange
from kit.grounding.citations import verify
from kit.location import TOPICS_CACHE
from kit.results import Topic, TopicSummary
from kit.store.integrity import load_sealed, sealed
from kit.types import Chunk, Citation, Claim, Mode, Support
from kit.version import __version__

# 2: per-command change baselines; summaries chosen without dangling openings. 3: the file carries
# the sha256 of its content; a file that fails it is dropped. 4: labels are phrases the documents
# share and keywords written words; a version-3 file holds headlines and stems, so it is not reused.
# 5: extractive summaries never quote a sentence telling its reader what to say; a version-4 file
# may hold one planted for a model, so its summaries are made again. 6: a model's label is kept
# only when it checks out against its topic; a version-5 file is read with its model labels dropped.
# 7: an agreement on a figure carries the figure, shown with each source's own sentence; a file of
# version 5 or 6 keeps its topics and change baselines, and its summaries are made again.
VERSION = 7
FILE = TOPICS_CACHE
RECLUSTER_SHARE = 0.25  # past this share of changed documents, incremental assignment drifts: cluster afresh

Grouping = list[list[int]]  # unit indexes per topic


@dataclass
class Previous:
    """The last run as read from the cache file."""

    key: str
    mean: np.ndarray
    topics: list[dict[str, Any]]
    summaries: dict[str, dict[str, Any]]
    # What each command (topics, summarize) last showed: per topic, its documents' sha256 by path.
    # Changes are reported against the asking command's own last run, so one command never
    # consumes the change another has yet to report.
    seen: dict[str, list[dict[str, str]]]


class TopicCache:
    """The cache file of one store folder."""

    def __init__(self, store_dir: Path, key: str, command: str = "topics") -> None:
        self.path = Path(store_dir) / FILE
        self.key = key
        self.command = command
        self.previous = self._read()

    def _read(self) -> Previous | None:
        try:
            # A cache edited or damaged on disk is dropped whole: a claim whose text changed after
            # it was judged must never be shown with the verdict the old text earned.
            data = load_sealed(self.path, legacy_ok=False)
            if data.get("version") not in (VERSION, 6, 5):
                return None
            if data["version"] == 5:  # its model labels were never checked
                data["topics"] = [{**t, "llm_label": None} for t in data["topics"]]
            # Summaries another kit version chose are dropped (topics and change baselines stay):
            # after an upgrade an unchanged topic gets the new summarizer's summary, not the old one.
            summaries = data.get("summaries", {}) if data.get("kit") == __version__ and data["version"] == VERSION \
                else {}
            return Previous(data["key"], np.asarray(data["mean"], dtype=np.float32), data["topics"],
                            summaries, dict(data.get("seen", {})))
        except (OSError, ValueError, KeyError, TypeError, DamagedFileError):
            return None  # no cache yet, or unreadable: the run clusters afresh and writes a new one

    @property
    def usable(self) -> bool:
        return self.previous is not None and self.previous.key == self.key and bool(self.previous.topics)

    # -- topics -----------------------------------------------------------------------------
    def plan(self, unit_docs: Sequence[tuple[str, str, tuple[str, ...]]], vectors: np.ndarray
             ) -> tuple[Grouping, list[int], list[bool]] | None:
        """For units given as (path, sha256, chunk ids) with their vectors: the groups (cached
        topics first, in their order, then new ones), each group's cached topic index (-1 for a
        new group) and whether it must be recomputed; None when clustering afresh is better."""
        if not self.usable or self.previous is None:
            return None
        known = {(u["path"], tuple(u["chunks"])): t for t, topic in enumerate(self.previous.topics)
                 for u in topic["units"]}
        fresh = [i for i, (path, _, ids) in enumerate(unit_docs) if (path, ids) not in known]
        gone = len(known) - (len(unit_docs) - len(fresh))
        if fresh and len(fresh) + gone > RECLUSTER_SHARE * max(len(unit_docs), len(known)):
            return None
        groups: Grouping = [[] for _ in self.previous.topics]
        for i, (path, _, ids) in enumerate(unit_docs):
            if (path, ids) in known:
                groups[known[(path, ids)]].append(i)
        touched = [len(g) != len(t["units"]) for g, t in zip(groups, self.previous.topics, strict=True)]
        origin = list(range(len(groups)))
        for i in fresh:
            t = self._nearest(vectors[i])
            if t is None:
                groups.append([i])
                origin.append(-1)
                touched.append(True)
            else:
                groups[t].append(i)
                touched[t] = True
        keep = [n for n, g in enumerate(groups) if g]
        return [groups[n] for n in keep], [origin[n] for n in keep], [touched[n] for n in keep]

    def _nearest(self, vector: np.ndarray) -> int | None:
        """The cached topic whose centred centroid is nearest, if more alike than average."""
        assert self.previous is not None
        mean = self.previous.mean
        centroids = np.array([t["centroid"] for t in self.previous.topics], dtype=np.float32) - mean
        centroids /= np.maximum(np.linalg.norm(centroids, axis=1, keepdims=True), 1e-12)
        x = vector - mean
        x = x / (float(np.linalg.norm(x)) or 1.0)
        sims = centroids @ x
        best = int(np.argmax(sims))
        return best if sims[best] > 0 else None

    def restore(self, topic: Topic, origin: int) -> Topic:
        """An untouched topic with the label, keywords and documents it had last time."""
        assert self.previous is not None
        old = self.previous.topics[origin]
        return replace(topic, number=old["number"], label=old["label"], keywords=tuple(old["keywords"]),
                       llm_label=old.get("llm_label"), documents=tuple(old["documents"]),
                       change=TopicChange.UNCHANGED)

    def number_for(self, origin: int, taken: set[int]) -> int:
        if origin >= 0 and self.previous is not None:
            return int(self.previous.topics[origin]["number"])
        return max(taken | {0}) + 1

    def changes(self, topics: Sequence[Topic]) -> list[Topic]:
        """Each topic new, changed or unchanged against the topic of this command's last run
        sharing most of its documents (same documents with the same content: unchanged); no
        mark at all when this command has not run on the store before."""
        before = self.previous.seen.get(self.command) if self.previous is not None else None
        if before is None:
            return [replace(t, change=None) for t in topics]
        out = []
        for t in topics:
            docs = _doc_shas(t.chunks)
            best = max(before, key=lambda o: _overlap(docs, o), default=None)
            if best is None or _overlap(docs, best) < 0.5:
                out.append(replace(t, change=TopicChange.NEW))
            else:
                out.append(replace(t, change=TopicChange.UNCHANGED if docs == best else TopicChange.CHANGED))
        return out

    def save(self, topics: Sequence[Topic], units_of: Callable[[Topic], list[dict[str, Any]]],
             centroid_of: Callable[[Topic], np.ndarray], mean: np.ndarray) -> None:
        """Write this run's topics; summaries of topics that still exist are kept."""
        rows = [{"number": t.number, "label": t.label, "llm_label": t.llm_label, "keywords": list(t.keywords),
                 "documents": list(t.documents), "units": units_of(t), "fingerprint": fingerprint(t),
                 "centroid": np.round(centroid_of(t), 5).tolist()} for t in topics]
        alive = {r["fingerprint"] for r in rows}
        summaries = {k: v for k, v in (self.previous.summaries if self.previous else {}).items()
                     if k.split("|")[0] in alive}
        seen = {**(self.previous.seen if self.previous else {}), self.command: [_doc_shas(t.chunks) for t in topics]}
        self._write({"version": VERSION, "kit": __version__, "key": self.key, "mean": np.round(mean, 5).tolist(),
                     "topics": rows, "summaries": summaries, "seen": seen})
        self.previous = Previous(self.key, mean, rows, summaries, seen)

    # -- summaries --------------------------------------------------------------------------
    def summary(self, topic: Topic, params: str, reader: SourceReader) -> TopicSummary | None:
        """The extractive summary kept for this topic and these parameters, if its quotes still
        stand at their spans in the files."""
        if self.previous is None:
            return None
        data = self.previous.summaries.get(f"{fingerprint(topic)}|{params}")
        if data is None:
            return None
        summary = summary_from_dict(data, topic)
        if not all(verify(c, reader).verified for c in summary.citations):
            return None
        return summary

    def remember(self, topic: Topic, params: str, summary: TopicSummary) -> None:
        if self.previous is None or summary.mode is not Mode.EXTRACTIVE:
            return
        self.previous.summaries[f"{fingerprint(topic)}|{params}"] = summary.to_dict()
        with contextlib.suppress(OSError, DamagedFileError):
            data = load_sealed(self.path, legacy_ok=False)
            data["summaries"] = self.previous.summaries
            self._write(data)

    def _write(self, data: dict[str, Any]) -> None:
        """Atomically (a reader never sees half a file); a store folder that cannot be written
        only means the next run recomputes everything."""
        tmp = ""
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(dir=self.path.parent, prefix=".topics-", suffix=".tmp")
            with os.fdopen(fd, "w", encoding="utf-8") as f:
                json.dump(sealed(data), f)
            os.replace(tmp, self.path)
        except OSError:
            if tmp:
                with contextlib.suppress(OSError):
                    os.unlink(tmp)


def fingerprint(topic: Topic) -> str:
    """What a topic's summary depends on: its chunks (ids hash path, span and text)."""
    return hashlib.sha256("\n".join(sorted(c.id for c in topic.chunks)).encode()).hexdigest()[:24]


def _doc_shas(chunks: Sequence[Chunk]) -> dict[str, str]:
    return {c.path: c.doc_sha256 for c in chunks}


def _overlap(docs: dict[str, str], old: dict[str, str]) -> float:
    return len(set(old) & set(docs)) / max(1, len(set(old) | set(docs)))


def summary_from_dict(data: dict[str, Any], topic: Topic) -> TopicSummary:
    """A TopicSummary back from its `to_dict()` form, on the topic it summarises."""
    cites = {int(c["key"]): Citation.from_dict(c) for c in data["citations"]}
    claims = [Claim(c["text"], tuple(cites[k] for k in c["citations"]), Support(c["support"]), tuple(c["reasons"]))
              for c in data["claims"]]
    agreements = [Agreement(a["statement"], tuple(Citation.from_dict(c) for c in a["citations"]), a.get("fact"))
                  for a in data["agreements"]]
    differences = [Difference(d["subject"], tuple((v["says"], Citation.from_dict(v["citation"]))
                                                  for v in d["versions"])) for d in data["differences"]]
    return TopicSummary(topic, claims, Mode(data["mode"]), data["backend"], agreements, differences,
                        list(data["notes"]), list(data["traces"]), bool(data["found"]))
