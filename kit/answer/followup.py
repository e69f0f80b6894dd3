"""Follow-up questions: what a turn of a conversation asks, read in the light of the turns before it.

A follow-up ("And how many died?", "What did Microsoft do about it?") leaves out what the
conversation already named. With a chat backend the model rewrites it into a standalone
question (prompts/followup.yaml); the answer shows that question, and retrieval and the checks
read it. Offline, or when the rewrite fails, a question that holds a pronoun or fewer than two
content words carries the previous turn's key terms into retrieval and the checks, not into the
question shown; the answer says which terms it carried. `Chat` holds one conversation; each
turn is answered, cited, judged and recorded like `Kit.ask` by the callable it is given.
This module does not retrieve, answer or record.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from kit.errors import InputError, LLMError
from kit.llm.base import ChatBackend, Message, Trace, traced_call
from kit.llm.prompts import load_prompt
from kit.results import Answer
from kit.text import STOPWORDS, match_stem, plural

# A question longer than this (≈ 450 tokens) is a pasted text, not a question: `kit check` reads those.
MAX_QUESTION = 2000
# Words that point back at something named earlier. "that" and "then" are left out: they open
# relative clauses and sequences in questions that stand on their own.
_POINTERS = frozenset("it its it's they them their theirs this these those he him his she her hers there".split())
# Words of asking that name nothing ("how many", "tell me more"): not content.
_ASKING = frozenset("many much also else more happen happened happens tell know and".split())
_WORD = re.compile(r"[^\W_]+(?:['’][^\W_]+)*")
_CARRIED_MAX = 6  # "How many cruise missiles did Russia launch from the Caspian Sea on Friday" holds six
_CONVERSATION_TURNS = 3  # turns the rewrite prompt shows: enough for a chain of follow-ups
_ANSWER_CHARS = 400  # of each earlier answer in that prompt


@dataclass
class Turn:
    """One question of a conversation: what was typed, the question the answer shows, and what
    retrieval and the checks read (the shown question, or it with the previous terms carried)."""

    asked: str
    question: str = ""
    query: str = ""
    carried: tuple[str, ...] = ()
    rewritten: bool = False
    notes: list[str] = field(default_factory=list)
    traces: list[dict[str, object]] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.question = self.question or self.asked
        self.query = self.query or self.question

    def shown(self, answer: Answer) -> Answer:
        """`answer` (to `query`) as the answer to this turn: its question, follow-up and notes."""
        answer.question = self.question
        answer.traces[:0] = self.traces
        if self.rewritten:
            self.notes.insert(0, f'follow-up "{self.asked}" read as: "{self.question}"')
        elif self.carried:
            terms = ", ".join(self.carried)
            self.notes.insert(0, f"follow-up: searched with the previous question's terms too: {terms}")
        if self.rewritten or self.carried:
            answer.follow_up = {"asked": self.asked, "question": self.question, "carried": list(self.carried),
                                "rewritten": self.rewritten}
        answer.notes[:0] = self.notes
        return answer


def content_words(text: str) -> list[str]:
    """The words of `text` that name something (not stop words, not words of asking), as written."""
    return [w for w in _WORD.findall(text) if w.lower() not in STOPWORDS and w.lower() not in _ASKING]


def needs_context(question: str) -> bool:
    """A follow-up that cannot stand alone: it points back ("it", "they") or names too little."""
    return any(w.lower() in _POINTERS for w in _WORD.findall(question)) or len(content_words(question)) < 2


def carried_terms(previous: str, question: str) -> tuple[str, ...]:
    """The key terms of `previous` that `question` does not already hold, in order, at most six."""
    have = {match_stem(w.lower()) for w in _WORD.findall(question)}
    out: dict[str, str] = {}
    for word in content_words(previous):
        key = match_stem(word.lower())
        if key not in have and key not in out:
            out[key] = word
    return tuple(out.values())[:_CARRIED_MAX]


def rewrite(backend: ChatBackend, earlier: Sequence[Answer], question: str) -> tuple[str | None, Trace | None, str]:
    """The model's standalone form of `question` after the `earlier` answers, with the call's
    trace; (None, trace or None, why) when the call fails or its reply is no question."""
    prompt = load_prompt("followup")
    conversation = "\n".join(f"Q: {a.question}\nA: {' '.join(a.text.split())[:_ANSWER_CHARS]}" for a in earlier)
    system, user = prompt.render(conversation=conversation, question=question)
    trace = Trace(prompt.name, prompt.version, backend.name, [])
    try:
        reply = traced_call(backend, [Message("system", system), Message("user", user)], trace).text
    except LLMError as exc:
        return None, None, f"the model could not rewrite the follow-up ({exc})"
    lines = [line.strip() for line in reply.strip().splitlines() if line.strip()]
    found = lines[0].removeprefix("Standalone question:").strip().strip('"“”\'') if lines else ""
    if not found or len(found) > MAX_QUESTION or found[0] in "{[<":  # empty, runaway, or JSON/markup: no question
        return None, trace, "the model's rewrite of the follow-up was empty or not a question"
    return found, trace, ""


class Chat:
    """A conversation over a kit (`Kit.chat()`): `ask` answers each question like `Kit.ask`,
    follow-ups read with the turns before them; `turns` holds the answers so far."""

    def __init__(self, answer: Callable[[Turn, str], Answer], backend: ChatBackend | None, session: str) -> None:
        self.turns: list[Answer] = []
        self.session = session  # recorded with every turn in the history
        self._answer = answer
        self._backend = backend
        self._query = ""  # what the previous turn's retrieval read: a chain of follow-ups keeps its subject

    def ask(self, question: str) -> Answer:
        """A cited answer to `question` as this conversation's next turn."""
        if len(question) > MAX_QUESTION:
            raise InputError(f"the question is {len(question):,} characters; ask in at most {MAX_QUESTION:,} "
                             "(to check a long text against the documents, use kit check --from FILE)")
        turn = self.read(question.strip())
        answer = self._answer(turn, self.session)
        self.turns.append(answer)
        self._query = turn.query
        return answer

    def read(self, question: str) -> Turn:
        """How this conversation reads `question`: as asked, rewritten by the model, or with the
        previous turn's terms carried."""
        if not self.turns or not question:
            return Turn(question)
        why, traces = "", []
        if self._backend is not None:
            found, trace, why = rewrite(self._backend, self.turns[-_CONVERSATION_TURNS:], question)
            traces = [trace.to_dict()] if trace else []
            if found:
                return Turn(question, found, rewritten=found != question, traces=traces)
        carried = carried_terms(self._query, question) if needs_context(question) else ()
        query = f"{question} {' '.join(carried)}" if carried else question
        return Turn(question, query=query, carried=carried, notes=[why] if why else [], traces=traces)

    def __repr__(self) -> str:
        return f"Chat(session {self.session}: {plural(len(self.turns), 'turn')})"
