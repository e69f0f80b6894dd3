"""Incremental topics: after an ingest that changes a file, only the topic holding it is
labelled and summarised again, each topic says what changed since the last run, and a damaged
or outdated cache only means clustering afresh.

The real default embedder keeps the three subjects apart; a recording wrapper around it and a
scripted chat double count what gets recomputed (plumbing). The quality of topics is measured
by bench/eval_topics.py.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pytest

import kit
from kit.api import Kit
from kit.embeddings import Embedder
from kit.findings import TopicChange
from kit.llm.testing import ScriptedChat
from kit.store.integrity import KEY, load_sealed, sealed
from kit.topics.cache import FILE
from tests.test_topics import SUBJECTS, write_subjects


class Recording:
    """The kit's own embedder, recording every text it is asked to embed."""

    def __init__(self, inner: Embedder) -> None:
        self.inner, self.name, self.dim = inner, inner.name, inner.dim
        self.texts: list[str] = []

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        self.texts += list(texts)
        return self.inner.embed(texts)


def open_kit(tmp_path: Path) -> Kit:
    k = kit.open(store_dir=str(tmp_path / "store"), llm="extractive")
    k._embedder = Recording(k.embedder)
    return k


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    folder = tmp_path / "docs"
    write_subjects(folder)
    return folder


def test_first_run_compares_with_nothing_and_an_unchanged_corpus_recomputes_nothing(
        tmp_path: Path, corpus: Path) -> None:
    k = open_kit(tmp_path)
    k.ingest(corpus)
    first = k.topics(k=3)
    assert len(first) == 3 and all(t.change is None for t in first)
    assert (tmp_path / "store" / FILE).exists()
    k.chat_backend = ScriptedChat([])  # any label request would fail: there is no reply to give
    k = open_kit(tmp_path)
    again = k.topics(k=3)
    assert [t.change for t in again] == [TopicChange.UNCHANGED] * 3
    assert [(t.number, t.label, t.documents) for t in again] == [(t.number, t.label, t.documents) for t in first]


def test_an_edited_file_recomputes_only_its_topic(tmp_path: Path, corpus: Path) -> None:
    k = open_kit(tmp_path)
    k.ingest(corpus)
    labels = ScriptedChat(["Bread", "Volcanoes", "Chess"])
    k.chat_backend = labels
    first = {t.documents[0].split("/")[-1].split("_")[0]: t.llm_label for t in k.topics(k=3)}
    assert sorted(first) == ["bread", "chess", "volcano"]
    edited = corpus / "volcano_1.txt"
    edited.write_text(edited.read_text(encoding="utf-8") + "The crater lake boiled away as the magma rose.\n",
                      encoding="utf-8")
    k.ingest(corpus)
    k.chat_backend = ScriptedChat(["Volcanic eruptions"])  # one reply: only one topic may ask for a label
    after = k.topics(k=3)
    changes = {t.documents[0].split("/")[-1].split("_")[0]: t.change for t in after}
    assert changes == {"volcano": TopicChange.CHANGED, "bread": TopicChange.UNCHANGED,
                       "chess": TopicChange.UNCHANGED}
    labels_after = {t.documents[0].split("/")[-1].split("_")[0]: t.llm_label for t in after}
    assert labels_after == {**first, "volcano": "Volcanic eruptions"}


def test_unchanged_topics_keep_their_extractive_summary(tmp_path: Path, corpus: Path) -> None:
    k = open_kit(tmp_path)
    k.ingest(corpus)
    first = {s.topic.documents[0].split("/")[-1].split("_")[0]: s for s in k.summarize(k.topics(k=3))}
    edited = corpus / "chess_2.txt"
    edited.write_text(SUBJECTS["chess"][2].replace("rapid playoff", "blitz playoff") + "\n", encoding="utf-8")
    k.ingest(corpus)
    k = open_kit(tmp_path)
    second = {s.topic.documents[0].split("/")[-1].split("_")[0]: s for s in k.summarize(k.topics(k=3))}
    embedded = " ".join(k._embedder.texts)  # type: ignore[union-attr]
    assert "blitz playoff" in embedded  # the chess summary was made again...
    assert "sourdough" not in embedded and "lava" not in embedded.lower()  # ...the others were not
    for subject in ("bread", "volcano"):
        assert second[subject].text == first[subject].text and second[subject].topic.change is TopicChange.UNCHANGED
        assert all(c.verified for c in second[subject].citations)
    assert any("blitz" in c.quote for c in second["chess"].citations) or second["chess"].text != first["chess"].text


def summarized_afresh(k: Kit) -> bool:
    """Whether, with the cached topics still counted unchanged, their summaries are made again
    (their sentences embedded anew) rather than read from the cache."""
    topics = k.topics(k=3)
    assert all(t.change is TopicChange.UNCHANGED for t in topics)  # the cached topics still count
    embedded_before = len(k._embedder.texts)  # type: ignore[union-attr]
    k.summarize(topics)
    return len(k._embedder.texts) > embedded_before  # type: ignore[union-attr]


def test_summaries_another_kit_version_chose_are_made_again(tmp_path: Path, corpus: Path,
                                                           monkeypatch: pytest.MonkeyPatch) -> None:
    """After an upgrade an unchanged topic gets the summarizer of the running kit; its topics and
    change report are kept."""
    k = open_kit(tmp_path)
    k.ingest(corpus)
    k.summarize(k.topics(k=3))
    monkeypatch.setattr("kit.topics.cache.__version__", "99.0.0")
    assert summarized_afresh(open_kit(tmp_path))
    monkeypatch.undo()
    k = open_kit(tmp_path)
    topics = k.topics(k=3)
    embedded_before = len(k._embedder.texts)  # type: ignore[union-attr]
    k.summarize(topics)
    assert len(k._embedder.texts) > embedded_before  # type: ignore[union-attr]  # 99.0.0's are not ours either


def test_summaries_an_older_cache_version_holds_are_made_again(tmp_path: Path, corpus: Path) -> None:
    """A version-6 file's agreements lack the figure the sources share (they would be shown as
    one source's sentence "stated by" both): its summaries are made again, its topics kept."""
    k = open_kit(tmp_path)
    k.ingest(corpus)
    k.summarize(k.topics(k=3))
    path = tmp_path / "store" / FILE
    data = load_sealed(path)
    data.pop(KEY)
    data["version"] = 6
    path.write_text(json.dumps(sealed(data)), encoding="utf-8")
    assert summarized_afresh(open_kit(tmp_path))


def test_a_model_label_an_older_kit_cached_unchecked_is_dropped(tmp_path: Path, corpus: Path) -> None:
    k = open_kit(tmp_path)
    k.ingest(corpus)
    k.topics(k=3)
    path = tmp_path / "store" / FILE
    data = load_sealed(path)
    data.pop(KEY)
    data["version"] = 5  # as the kit before model labels were checked wrote it
    data["topics"] = [{**t, "llm_label": "bread, dough, flour, loaf, yeast"} for t in data["topics"]]
    path.write_text(json.dumps(sealed(data)), encoding="utf-8")
    topics = open_kit(tmp_path).topics(k=3)
    assert all(t.change is TopicChange.UNCHANGED for t in topics)  # the cached topics still count
    assert all(t.llm_label is None and t.title == t.label for t in topics)


def test_a_new_subject_becomes_a_new_topic(tmp_path: Path, corpus: Path) -> None:
    k = open_kit(tmp_path)
    k.ingest(corpus)
    k.topics()
    (corpus / "tax_0.txt").write_text(
        "The income tax return is due in April, and late filers pay a penalty on the unpaid tax. Deductions for "
        "charitable donations lower the taxable income reported on the return.\n", encoding="utf-8")
    k.ingest(corpus)
    after = k.topics()
    new = [t for t in after if t.change is TopicChange.NEW]
    assert [t.documents for t in new] == [("docs/tax_0.txt",)]
    assert all(t.change is TopicChange.UNCHANGED for t in after if t not in new)


def test_many_changes_cluster_afresh_and_still_say_what_changed(tmp_path: Path, corpus: Path) -> None:
    k = open_kit(tmp_path)
    k.ingest(corpus)
    k.topics(k=3)
    for n in range(4):
        path = corpus / f"bread_{n}.txt"
        path.write_text(path.read_text(encoding="utf-8") + f"Note {n}: rye bread needs a longer proof.\n",
                        encoding="utf-8")
    k.ingest(corpus)
    after = {t.documents[0].split("/")[-1].split("_")[0]: t.change for t in k.topics(k=3)}
    assert after == {"bread": TopicChange.CHANGED, "volcano": TopicChange.UNCHANGED, "chess": TopicChange.UNCHANGED}


def test_a_damaged_cache_or_other_settings_mean_clustering_afresh(tmp_path: Path, corpus: Path) -> None:
    k = open_kit(tmp_path)
    k.ingest(corpus)
    k.topics(k=3)
    (tmp_path / "store" / FILE).write_text("{not json", encoding="utf-8")
    assert [t.change for t in k.topics(k=3)] == [None] * 3  # nothing to compare with
    assert len(k.topics(k=2)) == 2  # another k is another key: clustered afresh, not the cached three


def test_a_cache_that_cannot_be_written_only_means_recomputing(tmp_path: Path, corpus: Path) -> None:
    k = open_kit(tmp_path)
    k.ingest(corpus)
    (tmp_path / "store" / FILE).mkdir()  # neither readable nor replaceable as a file
    assert len(k.topics(k=3)) == 3 and len(k.topics(k=3)) == 3
    assert not list((tmp_path / "store").glob(".topics-*.tmp"))  # no temporary file left behind


def test_each_command_reports_the_changes_since_its_own_last_run(tmp_path: Path, corpus: Path) -> None:
    """`kit topics` showing a change must not consume it: the next `kit summarize` reports it too,
    and each reports it once (its own next run finds the topic unchanged)."""
    k = open_kit(tmp_path)
    k.ingest(corpus)
    k.topics()
    k.summarize()
    edited = corpus / "volcano_1.txt"
    edited.write_text(edited.read_text(encoding="utf-8") + "The crater lake boiled away as the magma rose.\n",
                      encoding="utf-8")
    k.ingest(corpus)

    def volcano(topics: Sequence[object]) -> object:
        return next(t.change for t in topics if "volcano" in " ".join(t.documents))  # type: ignore[attr-defined]

    assert volcano(k.topics()) is TopicChange.CHANGED
    assert volcano([s.topic for s in k.summarize()]) is TopicChange.CHANGED
    assert volcano(k.topics()) is TopicChange.UNCHANGED
    assert volcano([s.topic for s in k.summarize()]) is TopicChange.UNCHANGED


def test_the_cli_commands_do_not_consume_each_others_change_report(tmp_path: Path, corpus: Path) -> None:
    """As a user runs them: `kit topics` shows a change, the next `kit summarize --out` still says
    which topic changed."""
    from tests.helpers import run_kit

    store = ["--store", str(tmp_path / "store")]
    assert run_kit(["ingest", str(corpus), *store, "--embedder", "hash"]).returncode == 0
    assert run_kit(["topics", *store]).returncode == 0
    assert run_kit(["summarize", *store, "--out", str(tmp_path / "r.md")]).returncode == 0
    edited = corpus / "volcano_1.txt"
    edited.write_text(edited.read_text(encoding="utf-8") + "The crater lake boiled away as the magma rose.\n",
                      encoding="utf-8")
    assert run_kit(["ingest", str(corpus), *store]).returncode == 0
    topics = run_kit(["topics", *store]).stdout
    assert "(changed since the last run)" in topics
    done = run_kit(["summarize", *store, "--out", str(tmp_path / "r.md")])
    assert "changed since the last run: none" not in done.stdout and "changed since the last run: " in done.stdout
