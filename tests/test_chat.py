"""Follow-up questions: `Kit.chat()` and `kit chat`. Offline, a follow-up carries the previous
question's key terms into retrieval and reaches the passages its standalone form reaches; with a
chat backend (a real HTTP server speaking the OpenAI protocol) the model's standalone rewrite is
shown and used, and a failed rewrite falls back to the offline rule. Every turn is cited, judged
and recorded with its session. The REPL is driven through stdin of a real process."""

from __future__ import annotations

import html
import json
import re
import shutil
import signal
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import jsonschema
import pytest

import kit
from kit.answer.followup import carried_terms, needs_context
from kit.api import Kit
from kit.errors import InputError
from kit.types import Support
from tests.helpers import SEEDS, kit_command, kit_free_env, prompt_data, run_kit
from tests.llm_server import FakeOpenAI

FIRST = "What did the Russian Defence Ministry say about the convoy from Raqqa to Palmyra?"
FOLLOW_UP = "How many fuel trucks did they lose?"
STANDALONE = "How many fuel trucks did the convoy from Raqqa to Palmyra lose?"
REWRITE_SYSTEM = "You rewrite follow-up questions"
SCHEMA = json.loads((Path(__file__).resolve().parents[1] / "kit" / "schema.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    root = tmp_path_factory.mktemp("chat")
    shutil.copytree(SEEDS, root / "seeds")
    kit.open(store_dir=root / ".kit", embedder="hash").ingest(root / "seeds")
    yield root / ".kit"


def ids(hits: list[kit.Hit]) -> list[str]:
    return [h.chunk.id for h in hits]


def test_an_offline_follow_up_reaches_the_passages_of_its_standalone_question(store: Path) -> None:
    k = kit.open(store_dir=store, embedder="hash")
    standalone, plain = ids(k.search(STANDALONE)), ids(k.search(FOLLOW_UP))
    assert standalone[0] not in plain  # on its own, the follow-up misses the convoy passage
    chat = k.chat()
    chat.ask(FIRST)
    answer = chat.ask(FOLLOW_UP)
    assert standalone[0] in ids(answer.hits) and len(set(standalone) & set(ids(answer.hits))) >= 3
    assert answer.question == FOLLOW_UP  # the carried terms go into retrieval, not into the question shown
    assert answer.follow_up is not None and not answer.follow_up["rewritten"]
    assert {"Palmyra", "Raqqa", "convoy"} <= set(answer.follow_up["carried"])  # type: ignore[arg-type]
    assert "searched with the previous question's terms too: Russian, Defence" in str(answer)
    assert [a.question for a in chat.turns] == [FIRST, FOLLOW_UP]
    runs = k.history.runs(2)
    assert [r.input for r in runs] == [FOLLOW_UP, FIRST] and {r.session for r in runs} == {chat.session}
    assert k.history.run(runs[0].id).result["follow_up"]["carried"] == answer.follow_up["carried"]


def test_a_question_that_stands_alone_carries_nothing(store: Path) -> None:
    k = kit.open(store_dir=store, embedder="hash", history=False)
    chat = k.chat()
    chat.ask(FIRST)
    question = "How many targets did the Russian cruise missiles destroy on Friday?"
    answer, alone = chat.ask(question), k.ask(question)
    assert answer.follow_up is None and not answer.abstained and "seven" in answer.text
    assert (answer.text, ids(answer.hits)) == (alone.text, ids(alone.hits))  # the turn is answered like `ask`


def test_over_long_and_empty_questions_are_refused_and_record_nothing(store: Path) -> None:
    k = kit.open(store_dir=store, embedder="hash")
    chat = k.chat()
    before = len(k.history.runs(None))
    with pytest.raises(InputError, match="10,000 characters; ask in at most 2,000") as info:
        chat.ask("x" * 10_000)
    assert "\n" not in str(info.value)
    with pytest.raises(InputError, match="the question is empty"):
        chat.ask("   ")
    assert chat.turns == [] and len(k.history.runs(None)) == before


def answer_or_rewrite(request: dict[str, Any]) -> str:
    """The model: rewrites a follow-up into STANDALONE; answers by quoting the passage sentence
    about fuel trucks (or says the passages do not answer)."""
    if str(request["messages"][0]["content"]).startswith(REWRITE_SYSTEM):
        return STANDALONE
    user = prompt_data(request)
    for key, body in re.findall(r'<passage key="(\d+)"[^>]*>(.*?)</passage>', user, re.S):
        for sentence in re.split(r"(?<=[.!?”])\s+", html.unescape(body)):
            if "fuel trucks" in sentence:
                return json.dumps({"claims": [{"text": sentence.strip(), "passage": int(key),
                                               "quote": sentence.strip()}], "not_in_documents": False})
    return json.dumps({"claims": [], "not_in_documents": True})


def model_kit(store: Path, server: FakeOpenAI, **options: Any) -> Kit:
    return kit.open(store_dir=store, embedder="hash", llm="openai", llm_base_url=server.base_url,
                    api_key="sk-test-0123456789", llm_model="test-model", judge="offline", llm_timeout=10.0,
                    **options)


def test_the_models_rewrite_is_shown_and_used(store: Path) -> None:
    with FakeOpenAI(answer_or_rewrite) as server:
        k = model_kit(store, server)
        chat = k.chat()
        chat.ask(FIRST)
        assert not any(r["messages"][0]["content"].startswith(REWRITE_SYSTEM) for r in server.requests)
        answer = chat.ask(FOLLOW_UP)
        rewrite, asked = server.requests[-2:]
    assert rewrite["messages"][0]["content"].startswith(REWRITE_SYSTEM)
    assert f"Q: {FIRST}" in rewrite["messages"][-1]["content"] and FOLLOW_UP in rewrite["messages"][-1]["content"]
    assert f"Question: {STANDALONE}" in asked["messages"][-1]["content"]  # the answer is asked for the rewrite
    assert ids(answer.hits) == ids(kit.open(store_dir=store, embedder="hash").search(STANDALONE))  # and retrieved
    assert answer.question == STANDALONE and answer.follow_up == {
        "asked": FOLLOW_UP, "question": STANDALONE, "carried": [], "rewritten": True}
    assert f'follow-up "{FOLLOW_UP}" read as: "{STANDALONE}"' in str(answer)
    assert answer.mode == "llm" and answer.citations and all(c.verified for c in answer.citations)
    assert [c.support for c in answer.claims] == [Support.SUPPORTED] and "eight fuel trucks" in answer.text
    assert answer.traces[0]["prompt"] == "followup" and answer.traces[1]["prompt"] == "answer"


@pytest.mark.parametrize("fault, why", [
    ({"kind": "status", "status": 500, "content": "overloaded"}, "the model could not rewrite the follow-up"),
    ({"kind": "reply", "content": '{"claims": [], "not_in_documents": true}'}, "the model's rewrite of the follow-up"),
    ({"kind": "reply", "content": "  \n"}, "the model's rewrite of the follow-up was empty"),
])
def test_a_failed_rewrite_falls_back_to_carrying_the_terms(store: Path, fault: dict[str, Any], why: str) -> None:
    with FakeOpenAI(answer_or_rewrite) as server:
        chat = model_kit(store, server, llm_max_retries=0, history=False).chat()
        chat.ask(FIRST)
        server.push(**fault)  # what the rewrite call gets
        answer = chat.ask(FOLLOW_UP)
    assert answer.question == FOLLOW_UP and answer.follow_up is not None and not answer.follow_up["rewritten"]
    assert "Palmyra" in answer.follow_up["carried"]  # type: ignore[operator]
    assert any(n.startswith(why) for n in answer.notes), answer.notes


def chat_args(store: Path) -> list[str]:
    return [*kit_command(), "chat", "--store", str(store), "--embedder", "hash"]


def test_the_repl_answers_each_line_and_refuses_bad_ones_in_one_line(store: Path) -> None:
    lines = [FIRST, "", FOLLOW_UP, "y" * 10_000, "exit", "never asked"]
    done = subprocess.run([*chat_args(store), "--json"], input="\n".join(lines) + "\n", capture_output=True,
                          text=True, timeout=120, env=kit_free_env())
    assert done.returncode == 0 and "Traceback" not in done.stderr
    answers = [json.loads(line) for line in done.stdout.splitlines()]
    assert [a["question"] for a in answers] == [FIRST, FOLLOW_UP]
    assert "Palmyra" in answers[1]["follow_up"]["carried"]
    for answer in answers:
        jsonschema.validate(answer, {**SCHEMA, "$ref": "#/$defs/Answer"})
    err = done.stderr.strip().splitlines()
    assert len(err) == 4, err  # the greeting, one line each for the empty and the long line, the goodbye
    assert "empty line ignored" in err[1] and err[2].startswith("kit: error: the question is 10,000 characters")
    session = re.search(r"session (\w+)", err[0])
    assert session and f"2 turns, recorded in the history as session {session.group(1)}" in err[3]
    listed = run_kit(["history", "--json", "-n", "2", "--store", str(store), "--embedder", "hash"])
    assert [(r["input"], r["session"]) for r in json.loads(listed.stdout)] == [
        (FOLLOW_UP, session.group(1)), (FIRST, session.group(1))]


def test_the_repl_ends_cleanly_on_ctrl_d_and_ctrl_c(store: Path) -> None:
    done = subprocess.run(chat_args(store), input=FIRST + "\n", capture_output=True, text=True, timeout=120,
                          env=kit_free_env())  # input ends without `exit`: Ctrl-D
    assert done.returncode == 0 and "(Extractive answer" in done.stdout and "1 turn," in done.stderr
    with subprocess.Popen(chat_args(store), stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                          text=True, env=kit_free_env()) as proc:
        assert proc.stderr is not None
        assert "kit chat (session" in proc.stderr.readline()  # waiting for the first question
        proc.send_signal(signal.SIGINT)
        _, err = proc.communicate(timeout=60)
    assert proc.returncode == 0 and "Traceback" not in err and "0 turns" in err


@pytest.mark.parametrize("question, follows", [
    ("What did Microsoft do about it?", True),  # points back
    ("And how many died?", True),  # names one thing only
    ("Why there?", True),
    ("Who fired the missiles?", False),
    ("How many cruise missiles did Russia launch on Friday?", False),
    ("What is the population that Palmyra had in 2010?", False),  # a relative "that" points nowhere
])
def test_what_counts_as_a_follow_up(question: str, follows: bool) -> None:
    assert needs_context(question) is follows


def test_carried_terms_are_the_previous_key_terms_the_follow_up_lacks() -> None:
    assert carried_terms("Who fired the cruise missiles at Palmyra?", "How many missiles hit it?") == (
        "fired", "cruise", "Palmyra")
