"""Markdown tables: each row is a sentence, read with its table's header, and can answer a question
quoted verbatim at its span (issue 22)."""

from __future__ import annotations

from pathlib import Path

import pytest

import kit
from kit.corpus.cleaning import clean
from kit.text import sentences, table_header
from tests.helpers import open_hash

PRICES = """# Ferry fares 2026

| Route | Adult fare | Child fare |
|-------|-----------:|-----------:|
| Velden – Skarholm | 12.50 euros | 6.00 euros |
| Velden – Ostby | 8.00 euros | 4.00 euros |

Fares rise on 1 March.
"""
HEADER = "| Route | Adult fare | Child fare |"
OSTBY = "| Velden – Ostby | 8.00 euros | 4.00 euros |"


def test_each_row_is_one_sentence_and_the_separator_none() -> None:
    found = [s.text for s in sentences(PRICES)]
    assert found == ["# Ferry fares 2026", HEADER, "| Velden – Skarholm | 12.50 euros | 6.00 euros |", OSTBY,
                     "Fares rise on 1 March."]
    assert all(PRICES[s.start:s.end] == s.text for s in sentences(PRICES))


def test_a_row_stays_whole_and_ends_at_its_line() -> None:
    text = "Prices below.\n| Item | Price |\n|---|---|\n| Tea, approx. 2 cups | 3.00 |\nnote the tax.\n"
    assert [s.text for s in sentences(text)] == [
        "Prices below.", "| Item | Price |", "| Tea, approx. 2 cups | 3.00 |", "note the tax."]


def test_a_data_row_has_its_header_the_header_and_prose_none() -> None:
    at = {s.text: s.start for s in sentences(PRICES)}
    assert table_header(PRICES, at[OSTBY]) == HEADER
    assert table_header(PRICES, at[HEADER]) == ""
    assert table_header(PRICES, at["Fares rise on 1 March."]) == ""
    headless = PRICES[PRICES.index("| Velden – Skarholm"):]  # a chunk that begins inside the table
    assert table_header(headless, headless.index(OSTBY)) == ""


def test_cleaning_keeps_a_table_whole() -> None:
    kept = clean(PRICES).clean_text
    assert "|-------|-----------:|-----------:|" in kept
    assert clean("| Year | Rate |\n|---|---|\n| 2024 | 1.5 |\n").clean_text.count("\n") == 2


@pytest.fixture
def fares(tmp_path: Path) -> tuple[Path, Path]:
    folder = tmp_path / "docs"
    folder.mkdir()
    (folder / "prices.md").write_text(PRICES, encoding="utf-8")
    return folder, tmp_path / "store"


# The hashing embedder answers the first; "how much" leaves "much" unmatched in any passage, which
# only the real model's similarity outweighs (as it would for a prose sentence).
@pytest.mark.parametrize(("embedder", "question"), [
    ("hash", "What is the child fare from Velden to Ostby?"),
    ("minilm-int8", "What is the child fare from Velden to Ostby?"),
    ("minilm-int8", "How much is the child fare from Velden to Ostby?"),
])
def test_a_row_answers_quoted_verbatim_at_its_span(fares: tuple[Path, Path], embedder: str, question: str) -> None:
    folder, store = fares
    k = kit.open(store_dir=store, embedder=embedder)
    k.ingest(folder)
    answer = k.ask(question)
    assert not answer.abstained
    cited = [c for claim in answer.shown for c in claim.citations]
    assert [c.quote for c in cited] == [OSTBY]  # the Skarholm row shares the header, not the route
    raw = (folder / "prices.md").read_text(encoding="utf-8")
    assert raw[cited[0].start:cited[0].end] == OSTBY


@pytest.mark.parametrize("question", ["What is the child fare from Velden to Norrby?",
                                      "What is the price of a bicycle ticket?"])
def test_a_question_the_table_does_not_answer_abstains(fares: tuple[Path, Path], question: str) -> None:
    folder, store = fares
    k = open_hash(store)
    k.ingest(folder)
    assert k.ask(question).abstained
