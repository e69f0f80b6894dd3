"""The answer reply format (prompts/answer.yaml) through the real HTTP protocol. Version 3: the
prompt numbers each passage's sentences, a claim names its passage and sentence, and the quote is
kit's copy of that sentence; a sentence number the passage lacks is no quote. Version 2's free
quotes are still read: a quote with a copying slip is repaired and the repair is said, a quote
found in another passage is cited there, a cut-off reply keeps only its complete claims, and a
model that copies the prompt's example gets nothing shown."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest

import kit
from kit.answer.replies import ANSWER_SCHEMA
from kit.answer.trim import near_terms
from kit.llm.prompts import load_prompt
from kit.report import answer_text
from kit.types import CitationProblem, Support
from tests.llm_server import FakeOpenAI

FIRMS = ("Officials said the two firms had “colluded” to fix prices for years. The regulator fined them "
         "40 million euros on Tuesday. The companies said they would not appeal the decision.\n")
HARBOUR = "The harbour reopened to shipping on Monday after a week of storms. Port workers cleared the main quay.\n"
QUESTION = "What did officials say the two firms had done to prices?"
CLAIM = "Officials said the two firms had colluded to fix prices for years."
EXACT = "Officials said the two firms had “colluded” to fix prices for years."


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("docs")
    (folder / "firms.txt").write_text(FIRMS, encoding="utf-8")
    (folder / "harbour.txt").write_text(HARBOUR, encoding="utf-8")
    store_dir = tmp_path_factory.mktemp("store")
    kit.open(store_dir=str(store_dir), embedder="hash").ingest(folder)
    return store_dir


def passages(request: dict[str, Any]) -> dict[int, str]:
    user = request["messages"][-1]["content"].split("(data, not instructions)")[-1]  # after the worked example
    return {int(k): body for k, body in re.findall(r'<passage key="(\d+)"[^>]*>(.*?)</passage>', user, re.S)}


def key_of(request: dict[str, Any], word: str, holds: bool = True) -> int:
    """The key of the first passage that holds `word` (or, with holds=False, that does not)."""
    return next(k for k, body in passages(request).items() if (word in body) == holds)


def claims_reply(*claims: tuple[str, str, str], holds: bool = True) -> Any:
    """A model writing claims (text, quote, a word of the passage it names) in the version 2 format."""
    def reply(request: dict[str, Any]) -> str:
        return json.dumps({"claims": [{"text": text, "passage": key_of(request, word, holds), "quote": quote}
                                      for text, quote, word in claims], "not_in_documents": False})
    return reply


def ask(store: Path, reply: Any, question: str = QUESTION, finish_reason: str = "stop"
        ) -> tuple[kit.Answer, FakeOpenAI]:
    with FakeOpenAI(reply) as server:
        server.finish_reason = finish_reason
        k = kit.open(store_dir=str(store), embedder="hash", llm="openai", llm_base_url=server.base_url,
                     api_key="sk-test", llm_model="test-model", llm_timeout=5.0, judge="offline")
        return k.ask(question), server


def test_a_claim_takes_its_marker_from_its_passage_under_one_schema(store: Path) -> None:
    answer, server = ask(store, claims_reply((CLAIM, EXACT, "colluded")))
    assert [c.support for c in answer.claims] == [Support.SUPPORTED] and answer.claims[0].keys == [1]
    cite = answer.citations[0]
    assert cite.path.endswith("firms.txt") and cite.quote == EXACT
    assert not any("repaired" in r for r in answer.claims[0].reasons)
    request = server.requests[0]
    assert request["response_format"]["json_schema"] == ANSWER_SCHEMA
    assert list(ANSWER_SCHEMA["schema"]["properties"]) == ["claims", "not_in_documents"]  # claims first
    assert answer.traces[0]["prompt_version"] == 4


def numbered(request: dict[str, Any], key: int) -> dict[int, str]:
    """The sentences of passage `key` as the prompt numbered them."""
    return {int(n): text for n, text in re.findall(r"^\((\d+)\) (.*)$", passages(request)[key], re.M)}


def sentence_reply(text: str, word: str, pick: Any) -> Any:
    """A version 3 model: names the passage holding `word` and the sentence `pick(sentences)` gives."""
    def reply(request: dict[str, Any]) -> str:
        key = key_of(request, word)
        return json.dumps({"claims": [{"passage": key, "sentence": pick(numbered(request, key)), "text": text}],
                           "not_in_documents": False})
    return reply


def test_a_claim_naming_a_sentence_quotes_kits_copy_of_it_at_its_span(store: Path) -> None:
    fined = "The regulator fined them 40 million euros."
    def fined_sentence(sents: dict[int, str]) -> int:
        return next(n for n, t in sents.items() if "fined" in t)

    answer, server = ask(store, sentence_reply(fined, "colluded", fined_sentence), "How much were the firms fined?")
    sents = numbered(server.requests[0], key_of(server.requests[0], "colluded"))
    assert list(sents) == [1, 2, 3] and sents[1] == EXACT  # one sentence a line, numbered from 1
    (claim,) = answer.claims
    cite = answer.citations[0]
    assert claim.support is Support.SUPPORTED and not answer.abstained, claim.reasons
    assert cite.quote == "The regulator fined them 40 million euros on Tuesday." == FIRMS[cite.start:cite.end]
    assert cite.verified and not answer.failed


def test_a_claim_naming_the_wrong_sentence_is_cited_where_its_words_are_and_that_is_said(store: Path) -> None:
    fined = "The regulator fined them 40 million euros."
    answer, _ = ask(store, sentence_reply(fined, "colluded", lambda s: 3), "How much were the firms fined?")
    (claim,) = answer.claims
    assert claim.support is Support.SUPPORTED and not answer.abstained, claim.reasons
    assert answer.citations[0].quote == "The regulator fined them 40 million euros on Tuesday."
    assert any("named a sentence of passage" in r and "that passage" in r for r in claim.reasons), claim.reasons


def test_a_claim_whose_words_are_in_another_passage_is_cited_there(store: Path) -> None:
    reopened = "The harbour reopened to shipping on Monday."
    answer, _ = ask(store, sentence_reply(reopened, "colluded", lambda s: 1), "When did the harbour reopen?")
    (claim,) = answer.claims
    assert claim.support is Support.SUPPORTED and answer.citations[0].path.endswith("harbour.txt"), claim.reasons
    assert any("the sentence of passage" in r for r in claim.reasons), claim.reasons


def test_a_sentence_number_the_passage_lacks_is_no_quote(store: Path) -> None:
    """Sentence 9 of a three-sentence passage: kit quotes nothing the model did not name; the bare
    passage marker may take the passage sentence that supports the claim, and only that."""
    answer, _ = ask(store, sentence_reply("The harbour was closed for a century.", "colluded", lambda s: 9))
    (claim,) = answer.claims
    assert claim.support is Support.UNSUPPORTED and answer.abstained


REPAIRS = [
    ("single for double quotation marks", "Officials said the two firms had ‘colluded’ to fix prices for years.",
     "quotation marks"),
    ("a closing quotation mark left out", "Officials said the two firms had “colluded to fix prices for years.",
     "quotation marks"),
    ("letter case and spacing", "officials said the two  firms had \"colluded\" to fix\nprices for years.",
     "letter case"),
    ("one word left out", "Officials said the two firms “colluded” to fix prices for years.", "('had')"),
]


@pytest.mark.parametrize("case,quote,said", REPAIRS, ids=[r[0] for r in REPAIRS])
def test_a_quote_with_a_copying_slip_is_repaired_and_the_repair_is_said(store: Path, case: str, quote: str,
                                                                       said: str) -> None:
    answer, _ = ask(store, claims_reply((CLAIM, quote, "colluded")))
    (claim,) = answer.claims
    assert claim.support is Support.SUPPORTED and not answer.abstained, (case, claim.reasons)
    repaired = [r for r in claim.reasons if r.startswith("its quote was repaired")]
    assert repaired and said in repaired[0], claim.reasons
    cite = answer.citations[0]  # the citation quotes the file as it stands, not the model's copy
    raw = FIRMS if cite.path.endswith("firms.txt") else ""
    assert raw[cite.start:cite.end] == cite.quote and "colluded" in cite.quote and cite.verified


def test_a_quote_in_another_passage_than_the_one_named_is_cited_where_it_is(store: Path) -> None:
    answer, server = ask(store, claims_reply((CLAIM, EXACT, "colluded"), holds=False))
    named = key_of(server.requests[0], "colluded", holds=False)
    found = key_of(server.requests[0], "colluded")
    (claim,) = answer.claims
    assert claim.support is Support.SUPPORTED and answer.citations[0].path.endswith("firms.txt")
    assert f"the model named passage {named} of its prompt, but its quote is in passage {found}" in claim.reasons
    assert not answer.failed


def test_a_dropped_negation_is_never_repaired(store: Path) -> None:
    """"would appeal" for "would not appeal" is a different statement, not a copying slip."""
    claim = "The companies said they would appeal the decision."
    answer, _ = ask(store, claims_reply((claim, claim, "appeal")), "Will the companies appeal the decision?")
    (got,) = answer.claims
    assert got.support is Support.UNSUPPORTED and got.citations == () and answer.abstained
    assert [(c.problem, c.quote) for c in answer.failed] == [(CitationProblem.NOT_IN_PASSAGE, claim)]


def test_a_quote_found_nowhere_stays_failed_and_kit_picks_no_sentence_of_its_own(store: Path) -> None:
    answer, _ = ask(store, claims_reply((CLAIM, "Regulators confirmed the cartel in a statement.", "colluded")))
    (claim,) = answer.claims
    assert claim.support is Support.UNSUPPORTED and claim.citations == () and answer.abstained
    assert claim.reasons == (f"its quote is not in passage [{answer.failed[0].key}]",)


def test_a_cut_off_reply_keeps_only_its_complete_claims(store: Path) -> None:
    def reply(request: dict[str, Any]) -> str:
        key = key_of(request, "colluded")
        whole = json.dumps({"claims": [{"text": CLAIM, "passage": key, "quote": EXACT}] * 3 +
                                      [{"text": "The regulator fined them 40 million euros.", "passage": key,
                                        "quote": "The regulator fined them 40 million euros on Tuesday."}],
                            "not_in_documents": False})
        return whole[:whole.rfind("40 million euros on")]  # cut inside the last claim's quote

    answer, _ = ask(store, reply, finish_reason="length")
    assert [c.text for c in answer.claims] == [CLAIM]  # repeats dropped, the unfinished claim dropped
    assert answer.claims[0].support is Support.SUPPORTED
    assert any("cut off; its 1 complete claim(s) were kept" in n for n in answer.notes), answer.notes


def test_a_cut_off_reply_without_a_complete_claim_is_dropped_never_read_as_prose(store: Path) -> None:
    def reply(request: dict[str, Any]) -> str:
        return '{"claims": [{"text": "Officials said the two firms had colluded. The regulator fined them [1].'

    answer, _ = ask(store, reply, finish_reason="length")
    assert answer.claims == [] and answer.abstained
    assert any("holds no complete claim" in n for n in answer.notes), answer.notes


def example_reply() -> dict[str, Any]:
    """The reply the prompt shows as its example (the one JSON object in its template)."""
    template = load_prompt("answer").template
    start = template.index('{"claims"')
    return dict(json.JSONDecoder().raw_decode(template, start)[0])


def test_the_prompt_holds_no_placeholder_a_model_could_echo() -> None:
    """Version 1 showed {"answer": "sentences with [n] markers", ... "quote": "verbatim text"}: a
    grammar-bound model copied those values as its answer. Every string value the prompt shows for
    a field of the schema must now be the worked example's own, about a made-up lighthouse, and
    the example names a sentence its own passage has."""
    prompt = load_prompt("answer")
    text = " ".join((prompt.system + prompt.template).split())
    fields = set(ANSWER_SCHEMA["schema"]["properties"]["claims"]["items"]["properties"])
    shown = re.findall(r'"(\w+)": "([^"]*)"', text)
    assert {name for name, _ in shown} == {"text"} <= fields
    for _, value in shown:
        assert "Harwick Point" in value, value
    for placeholder in ("verbatim", "[n]", "marker", "your answer", "sentence here"):
        assert placeholder not in text.lower(), placeholder
    (claim,) = example_reply()["claims"]
    sentence = re.search(rf"\({claim['sentence']}\) ([^\n]*)", prompt.template)
    assert sentence and set(claim["text"].rstrip(".").split()) <= set(sentence.group(1).rstrip(".").split())


def test_a_model_that_echoes_the_example_gets_nothing_shown(store: Path) -> None:
    answer, _ = ask(store, lambda request: json.dumps(example_reply()))
    assert answer.abstained and answer.claims and all(c.support is Support.UNSUPPORTED for c in answer.claims)


def test_true_claims_off_the_question_are_listed_apart_with_why(store: Path) -> None:
    reopened = "The harbour reopened to shipping on Monday after a week of storms."
    cleared = "Port workers cleared the main quay."
    answer, _ = ask(store, claims_reply(("The harbour reopened on Monday.", reopened, "harbour"),
                                        (cleared, cleared, "harbour")), "When did the harbour reopen to shipping?")
    assert [c.text for c in answer.shown] == ["The harbour reopened on Monday."]
    (aside,) = answer.off_question
    assert aside.text == cleared and aside.support is Support.SUPPORTED  # true, and still not an answer
    assert "not an answer to the question: it gives no date the question does not already state" in aside.reasons
    assert any("1 of the model's 2 claims is supported but does not answer the question" in n for n in answer.notes)
    shown_text = answer_text(answer)
    assert "Supported, but not an answer to the question (1):" in shown_text and cleared in shown_text
    assert answer.to_dict()["off_question"][0]["text"] == cleared


def test_a_number_that_counts_something_else_does_not_answer_how_many(store: Path) -> None:
    fined = "The regulator fined them 40 million euros on Tuesday."
    answer, _ = ask(store, claims_reply((fined, fined, "regulator")), "How many firms colluded to fix prices?")
    assert answer.abstained and not answer.shown and [c.text for c in answer.off_question] == [fined]
    assert answer.off_question[0].reasons == (
        "not an answer to the question: no number in it counts what was asked ('how many firms colluded')",)


def test_a_claim_copied_from_the_escaped_passage_says_what_the_file_says(tmp_path: Path) -> None:
    """The prompt shows "&" as "&amp;" (a document cannot close its passage block); a model that
    copies the sentence as shown writes "&amp;", and kit reads it back as the file's "&"
    (Qwen2.5-Coder-1.5B on the seeds: "Civil Council &amp; Arab tribal elders..." was hidden)."""
    folder = tmp_path / "docs"
    folder.mkdir()
    sentence = "Harris & Sons built the ferry in 1998 for 3 <4 million> euros."
    (folder / "yard.txt").write_text(sentence + "\n", encoding="utf-8")
    kit.open(store_dir=str(tmp_path / "store"), embedder="hash").ingest(folder)

    def copying(request: dict[str, Any]) -> str:
        key = key_of(request, "ferry")
        shown = numbered(request, key)[1]
        assert "Harris &amp; Sons" in shown and "&lt;4 million&gt;" in shown  # what the model sees
        return json.dumps({"claims": [{"passage": key, "sentence": 1, "text": shown}], "not_in_documents": False})

    answer, _ = ask(tmp_path / "store", copying, "Who built the ferry?")
    (claim,) = answer.claims
    assert claim.text == sentence
    assert claim.support is Support.SUPPORTED and not answer.abstained, claim.reasons


def test_a_question_about_a_measure_asks_for_a_number(store: Path) -> None:
    """"What is the population of ...?" asks for a number, like "how many": a true sentence of the
    right passage without one is listed apart (Qwen2.5-Coder-1.5B answered "What is the population
    of Palmyra?" with "The statement continued, 'The Russian Aerospace Forces hit the detected targets.'")."""
    appeal = "The companies said they would not appeal the decision."
    fined = "The regulator fined them 40 million euros on Tuesday."
    answer, _ = ask(store, claims_reply((appeal, appeal, "regulator"), (fined, fined, "regulator")),
                    "What was the size of the fine the regulator gave the firms?")
    assert [c.text for c in answer.shown] == [fined] and [c.text for c in answer.off_question] == [appeal]
    assert answer.off_question[0].reasons == (
        "not an answer to the question: it gives no number the question does not already state",)


def test_a_passage_is_trimmed_around_the_sentences_naming_the_question_terms() -> None:
    text = ("The harbour opened in 1890. Ships came from the north. Its lighthouse was built in 1871. "
            "Fishing boats still use it. The town grew. A school opened.")
    idf = lambda _term: 1.0  # noqa: E731
    assert near_terms("When was the lighthouse built?", text, idf) == frozenset({2, 3, 4})
    assert near_terms("Who painted the mural?", text, idf) is None  # no sentence names a term: kept whole
    assert near_terms("When did the harbour, the boats and the school open?", text, idf) is None  # all kept
