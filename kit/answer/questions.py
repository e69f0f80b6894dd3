"""What a question asks for, and whether a passage or sentence can answer it.

The kind of answer (a number for "how many", a date for "when", a name for "who"/"where", a
command-line option for "what does -h do"), whether a sentence holds one the question does
not already state, and whether a passage mentions the question's key terms (its names, and
enough of its words weighted by rarity). Used to gate extractive answers, as features of the
calibrated support model, and to tell whether a named topic is in the documents at all.
Rules over words only; no parser or model. This module does not score or answer.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from enum import StrEnum

from kit.grounding.wording import words_of
from kit.numbers import numbers
from kit.text import STOPWORDS, key_term_coverage, match_stem
from kit.types import Chunk

# Share of the question's words (idf-weighted) its passage must hold. On the seeds dev set the
# answerable questions' best passages hold 0.54-1.0 of it, the unanswerable ones' 0.10-0.58;
# 0.4 leaves room for paraphrase ("fired" for "launched") and lets the calibrated score decide.
KEY_TERM_COVERAGE = 0.4


class AnswerKind(StrEnum):
    NUMBER = "number"
    DATE = "date"
    NAME = "name"  # a person, place or organisation
    OPTION = "option"  # a command-line option such as -h or --human-readable
    ANY = "any"


_OPTION = re.compile(r"(?<![\w-])--?[A-Za-z][\w-]*")
_KIND_PATTERNS = (
    (AnswerKind.NUMBER, re.compile(
        r"\bhow (many|much|long|far|old|big|large|tall|high|often|fast|deep|wide|heavy)\b|"
        r"\bwhat (percentage|percent|proportion|number|amount|share|fraction)\b|"
        # a measure: "What is the population of Palmyra?" asks for a number
        r"\bwhat(?:'s|\s+is|\s+was|\s+are|\s+were|\s+will\s+be)\s+(?:the\s+|its\s+|their\s+)?(?:total\s+|estimated\s+|"
        r"current\s+|approximate\s+)?(?:population|cost|price|size|area|length|height|width|depth|weight|distance|"
        r"budget|salary|revenue|income|rate|speed|age)(?=\s+(?:of|for|in|at|on)\b|\s*[?.,]|\s*$)", re.IGNORECASE)),
    (AnswerKind.DATE, re.compile(r"\bwhen\b|\b(what|which) (year|date|day|month|decade|century)\b", re.IGNORECASE)),
    (AnswerKind.NAME, re.compile(r"\b(who|whom|whose|where)\b", re.IGNORECASE)),
)
_DATE = re.compile(
    r"\b(january|february|march|april|may|june|july|august|september|october|november|december|jan|feb|mar|apr|"
    r"jun|jul|aug|sep|sept|oct|nov|dec|monday|tuesday|wednesday|thursday|friday|saturday|sunday|yesterday|today|"
    r"tomorrow|ago|tonight|century|centuries|decade|\d{1,2}(?:st|nd|rd|th)|1\d{3}s?|20\d{2}s?)\b", re.IGNORECASE)
_CAPITALISED = re.compile(r"\b[A-Z][\w'’.-]*[A-Za-z]")


def asked_for(question: str) -> AnswerKind:
    """The kind of answer a question asks for."""
    if _OPTION.search(question):
        return AnswerKind.OPTION
    return next((kind for kind, rx in _KIND_PATTERNS if rx.search(question)), AnswerKind.ANY)


def holds_kind(kind: AnswerKind, question: str, sentence: str) -> bool:
    """Whether `sentence` holds an answer of `kind` that the question does not already state."""
    if kind is AnswerKind.NUMBER:
        asked = {n.value for n in numbers(question)}
        return any(n.value not in asked for n in numbers(sentence))
    if kind is AnswerKind.DATE:
        asked = {m.lower() for m in _DATE.findall(question)}
        return any(m.lower() not in asked for m in _DATE.findall(sentence))
    if kind is AnswerKind.NAME:
        return bool(_new_names(question, sentence))
    if kind is AnswerKind.OPTION:
        return all(opt in sentence for opt in _OPTION.findall(question))
    return True


def _new_names(question: str, sentence: str) -> set[str]:
    asked = {match_stem(w) for w in re.findall(r"[\w'’.-]+", question)}
    found = set()
    for m in _CAPITALISED.finditer(sentence):
        word = m.group()
        if match_stem(word) in asked or word.lower() in STOPWORDS:
            continue
        found.add(word)
    return found


def question_names(question: str) -> list[str]:
    """The capitalised names a question asks about (not its first word, the question word)."""
    return [m.group() for m in _CAPITALISED.finditer(question) if m.start() > 0 and m.group().lower() not in STOPWORDS]


# What a page's sections are, in words a question uses: a comment section holds readers' words.
_SECTION_WORDS = {"comments": " readers reader commenters comments", "sidebar": "", "article": ""}


def covers_key_terms(question: str, chunk: Chunk, idf: Callable[[str], float]) -> bool:
    """The passage names every name the question asks about and holds a good share of the
    question's words, weighted by rarity: "What is the population of Palmyra?" is not
    answered by a passage that only mentions Palmyra."""
    text = chunk.text + _SECTION_WORDS[chunk.section]
    found = words_of(text)
    return (all(found.has_name(n) for n in question_names(question))
            and key_term_coverage(question, text, idf) >= KEY_TERM_COVERAGE)


_HOW_MANY = re.compile(r"\bhow many\s+((?:[\w-]+\s+){0,2}?[\w-]+?)(?:\s+(?:did|do|does|were|was|are|is|have|"
                       r"has|had|will|would|could|can|in|of|on|at|from|for|to|by)\b|[?,.]|$)", re.IGNORECASE)


def counts_asked(question: str, sentence: str) -> float:
    """1 when a "how many X" question meets a sentence where a number counts X ("eight fuel
    trucks" for "How many fuel trucks..."), else 0."""
    m = _HOW_MANY.search(question)
    if not m:
        return 0.0
    noun = match_stem(m.group(1).split()[-1])
    for n in numbers(sentence):
        following = re.findall(r"[A-Za-z][\w-]*", sentence[n.end:n.end + 40])[:3]
        if any(match_stem(w) == noun for w in following):
            return 1.0
    return 0.0


def off_question(question: str, claim: str, quotes: str, passages: list[Chunk], idf: Callable[[str], float]
                 ) -> str | None:
    """Why a model's (true) claim does not answer `question`, or None when it does. The checks of
    extractive answers: the claim holds the kind of answer asked for (and a "how many X" number
    counts X, in the claim or its quote), and a passage it cites holds the question's key terms."""
    kind = asked_for(question)
    if not holds_kind(kind, question, claim):
        return f"it gives no {kind.value} the question does not already state"
    m = _HOW_MANY.search(question)
    if m and not counts_what_asked(m.group(1), f"{claim} {quotes}"):
        return f"no number in it counts what was asked ('how many {m.group(1)}')"
    if not any(covers_key_terms(question, p, idf) for p in passages):
        return "the passages it cites do not hold the question's key terms"
    return None


def counts_what_asked(asked: str, text: str) -> bool:
    """Whether a number in `text` counts a word of `asked` (the words after "how many", up to the
    verb: "firms colluded", "Russian warships"): "ten warships" does, "18 cruise missiles" does
    not. Any of those words will do, so "30 people" answers "how many people died"."""
    wanted = {match_stem(w) for w in asked.split() if w.lower() not in STOPWORDS}
    for n in numbers(text):
        following = re.findall(r"[A-Za-z][\w-]*", text[n.end:n.end + 40])[:3]
        if any(match_stem(w) in wanted for w in following):
            return True
    return False


def type_match(question: str, sentence: str) -> float:
    """1 when the sentence holds the kind of thing the question asks for (a feature of the
    calibrated support model: keep it as calibrated; `holds_kind` is the stricter gate)."""
    q = question.lower()
    new_caps = set(_CAPITALISED.findall(sentence)) - set(_CAPITALISED.findall(question))
    if re.search(r"\b(how many|how much|what year|when|how long|how old|what percentage)\b", q):
        return 1.0 if re.search(r"\d", sentence) else 0.0
    if re.search(r"\b(who|whom|whose|where|which)\b", q):
        return 1.0 if new_caps else 0.0
    return 0.5
