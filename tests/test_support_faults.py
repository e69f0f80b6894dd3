"""The support-check fault set on the real public data: quotes are verbatim, faults really change
what they say they change, splits never share a topic or article, and a seed gives the same bytes.

Skipped when ../shared/data is absent (SUPPORT_FAULTS_DATA may point elsewhere).
"""

from __future__ import annotations

import json
import os
import re
from collections import Counter
from dataclasses import asdict
from pathlib import Path

import pytest

from bench import support_faults as sf

DATA = Path(os.environ.get("SUPPORT_FAULTS_DATA", sf.DEFAULT_DATA))
pytestmark = pytest.mark.skipif(not (DATA / "multiling2011_en").is_dir() or not (DATA / "squad2_dev_half").is_dir(),
                                reason=f"public dev sets not found at {DATA}")


@pytest.fixture(scope="module")
def pairs() -> list[sf.Pair]:
    return sf.build(DATA)


@pytest.fixture(scope="module")
def docs() -> dict[str, sf.Doc]:
    multiling, _ = sf.load_multiling(DATA)
    squad, _ = sf.load_squad(DATA)
    return {d.doc_id: d for d in multiling + squad}


@pytest.fixture(scope="module")
def genuine(pairs: list[sf.Pair]) -> dict[str, sf.Pair]:
    return {p.base_id: p for p in pairs if p.kind == "genuine"}


def word(name: str) -> re.Pattern[str]:
    return re.compile(rf"(?<![\w-]){re.escape(name)}(?![\w-])")


def number_tokens(text: str) -> list[str]:
    spans = [m.span() for m in [*sf.NUMBER.finditer(text), *sf.NUMBER_WORD.finditer(text)]]
    return [text[a:b] for a, b in sorted(spans)]


def without_numbers(text: str) -> str:
    return sf.NUMBER_WORD.sub("#", sf.NUMBER.sub("#", text))


def of_kind(pairs: list[sf.Pair], kind: str) -> list[sf.Pair]:
    found = [p for p in pairs if p.kind == kind]
    assert found, kind
    return found


def test_quotes_are_verbatim_and_passages_come_from_their_document(pairs: list[sf.Pair],
                                                                   docs: dict[str, sf.Doc]) -> None:
    for p in pairs:
        assert p.passage in docs[p.doc_id].text, p
        if p.kind.startswith("bare_marker"):
            assert p.quote is None
        else:
            assert p.quote and p.quote in p.passage, p
        if p.source == "multiling":
            assert len(p.passage) <= sf.PASSAGE_MAX or p.passage == p.quote, p


def test_faults_differ_from_their_genuine_pair(pairs: list[sf.Pair], genuine: dict[str, sf.Pair]) -> None:
    for p in pairs:
        g = genuine[p.base_id]
        assert (p.split, p.source) == (g.split, g.source)
        if p.kind in ("number", "name", "negation", "unrelated", "half_true", "bare_marker"):
            assert p.claim != g.claim, p
        elif p.kind == "wrong_sentence":
            assert p.claim == g.claim and p.quote != g.quote and g.quote not in p.passage, p
        elif p.kind == "bare_marker_genuine":
            assert (p.claim, p.passage) == (g.claim, g.passage), p


def test_number_faults_change_a_number_to_one_not_in_the_passage(pairs: list[sf.Pair],
                                                                 genuine: dict[str, sf.Pair]) -> None:
    for p in of_kind(pairs, "number"):
        old, new = p.detail.split(" -> ")
        assert sf.numbers(old) and sf.numbers(new) and sf.numbers(old) != sf.numbers(new), p
        g = genuine[p.base_id].claim
        changed = [(a, b) for a, b in zip(number_tokens(g), number_tokens(p.claim), strict=True) if a != b]
        assert changed == [(old, new)] and without_numbers(g) == without_numbers(p.claim), p
        assert not sf.numbers(new) & sf.numbers(p.passage), p


def test_name_faults_bring_a_name_absent_from_the_passage(pairs: list[sf.Pair], genuine: dict[str, sf.Pair]) -> None:
    for p in of_kind(pairs, "name"):
        old, new = p.detail.split(" -> ")
        assert word(old).search(genuine[p.base_id].claim) and not word(old).search(p.claim), p
        assert word(new).search(p.claim) and new not in p.passage, p
        assert p.claim.replace(new, old) == genuine[p.base_id].claim, p


def test_negation_faults_add_or_remove_one_negation(pairs: list[sf.Pair], genuine: dict[str, sf.Pair]) -> None:
    for p in of_kind(pairs, "negation"):
        before = len(sf.NEGATION.findall(genuine[p.base_id].claim))
        after = len(sf.NEGATION.findall(p.claim))
        assert abs(after - before) == 1, p


def test_borrowed_claims_come_from_another_topic_or_article_of_the_same_split(pairs: list[sf.Pair],
                                                                              genuine: dict[str, sf.Pair],
                                                                              docs: dict[str, sf.Doc]) -> None:
    for kind in ("unrelated", "half_true", "bare_marker"):
        for p in of_kind(pairs, kind):
            other = genuine[re.search(r"of (\S+?)(?:,|$)", p.detail).group(1)]
            assert other.split == p.split and other.source == p.source, p
            assert docs[other.doc_id].group != docs[p.doc_id].group, p
            assert other.claim.rstrip(".")[1:] in p.claim, p
            if kind == "half_true":
                assert p.claim.startswith(genuine[p.base_id].claim.rstrip(".")), p


def test_splits_never_share_a_topic_or_article(pairs: list[sf.Pair], docs: dict[str, sf.Doc]) -> None:
    split_of: dict[str, set[str]] = {}
    for p in pairs:
        split_of.setdefault(docs[p.doc_id].group, set()).add(p.split)
    assert all(len(s) == 1 for s in split_of.values()), split_of
    dev = {g for g, s in split_of.items() if s == {"dev"}}
    assert {g for g in dev if g.startswith("M")} == {f"M00{i}" for i in range(5)}
    assert len(dev) == 5 + 8


def test_same_seed_same_bytes_other_seed_other_sample(pairs: list[sf.Pair], tmp_path: Path) -> None:
    first, again = tmp_path / "a.jsonl", tmp_path / "b.jsonl"
    sf.write_jsonl(pairs, first)
    sf.write_jsonl(sf.build(DATA, seed=13), again)
    assert first.read_bytes() == again.read_bytes()
    other = sf.build(DATA, seed=14)
    assert [asdict(p) for p in other] != [json.loads(line) for line in first.read_text().splitlines()]


def test_every_kind_has_a_reasonable_count_on_each_split(pairs: list[sf.Pair]) -> None:
    counts = sf.counts(pairs)
    for split in sf.SPLITS:
        for source in sf.SOURCES:
            n = counts[(split, source, "genuine")]
            assert 30 <= n <= sf.GENUINE_CAP, (split, source, n)
            for kind in sf.KINDS:
                assert counts[(split, source, kind)] >= 10, (split, source, kind)
        for kind in sf.KINDS:
            assert sum(counts[(split, s, kind)] for s in sf.SOURCES) >= 100, (split, kind)


def test_a_minority_of_genuine_claims_copy_the_quote(pairs: list[sf.Pair]) -> None:
    shares = Counter(p.claim == p.quote for p in pairs if p.kind == "genuine")
    assert 0.10 <= shares[True] / sum(shares.values()) <= 0.25, shares


def test_cli_writes_json_lines_and_counts(pairs: list[sf.Pair], tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                          capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setattr(sf, "build", lambda data, seed, notes: pairs)  # built once by the fixture
    out = tmp_path / "faults.jsonl"
    assert sf.main(["--out", str(out), "--data", str(DATA)]) == 0
    rows = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert rows and set(rows[0]) == {"kind", "claim", "quote", "passage", "source", "doc_id", "split", "base_id",
                                     "detail"}
    printed = capsys.readouterr().out
    assert "genuine" in printed and "dev/squad" in printed
