"""Does a quote say what its claim says? An offline, deterministic support check.

For a claim and the quotes cited for it (plus the passages they come from), `Judge.judge`
returns a verdict with reasons a person can read:
- supported: every number and name of the claim is in the quotes, the negation matches, each
  clause of the claim is covered by the quotes' words, and claim and quotes mean much the same
  (embedding similarity);
- partial: what the quotes lack is in the cited passages (a name, or the wording of a clause);
- unsupported: a number, a name, a negation or a clause is in neither, or the quotes share no
  content with the claim.
Signals: numbers (digits, number words, scales), names (capitalised words, demonyms matched to
their country), negation near the words claim and quote share, idf-weighted content-word
coverage of the whole claim and of each clause, and MiniLM cosine similarity. The thresholds
are fitted on a dev set of genuine and planted-fault pairs (bench/run_support.py) and ship in
`kit/calibration/support.json`. No reading or entailment model is involved (none is available
offline), so paraphrase with no shared words and antonyms ("denied" / "confirmed") are beyond it.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import asdict, dataclass, field, replace

import numpy as np

from kit import calibration
from kit.embeddings import Embedder
from kit.grounding.excuses import count_faults, described_faults
from kit.grounding.negation import NEGATIONS, negation_reasons
from kit.grounding.quantities import figure_words, number_reasons, years_in_words
from kit.grounding.reworded import least_similarity, loaded
from kit.grounding.score import ScoreModel
from kit.grounding.spelling import accents_apart, joined_initials, near_name, unaccented
from kit.grounding.voice import unframed
from kit.grounding.wording import (
    CONNECTIVES,
    TOKEN,
    Words,
    abbreviated,
    bare,
    capital_for_country,
    claim_names,
    clause_parts,
    has_name,
    has_word,
    is_initials,
    name_runs,
    words_of,
)
from kit.numbers import same_value, spelled_out_as_digits, values
from kit.text import STOPWORDS, sentences, stem
from kit.types import Support

CALIBRATION = "support"  # kit/calibration/support.json

# Connectives and vague adverbs carry no fact a quote must repeat; what connectives can change
# (cause, time order, hedges) is the structural check's to judge.
_LIGHT = CONNECTIVES | frozenset("""also actually still already usually generally even around toward towards along
several various different entire""".split())
# Clauses are split at punctuation and at words that join statements.

@dataclass(frozen=True)
class Thresholds:
    """Where the soft signals flip a verdict; fitted on the dev fault set."""

    coverage: float = 0.75  # idf-weighted share of the claim's content words found in the quotes
    paraphrase_coverage: float = 0.5  # a lower coverage passes when similarity is high...
    paraphrase_similarity: float = 0.8  # ...at least this (cosine, MiniLM)
    clause: float = 0.5  # every clause of the claim needs this coverage
    min_similarity: float = 0.35  # below this the quote is about something else
    # A claim word this close (cosine, MiniLM) to a quote word is said by it; chosen on the dev half of
    # bench/data/claims (0.6 showed more faults, 0.8 recovered fewer true claims).
    word_similarity: float = 0.7
    # A clause that lacks one word (no figure) and has this share of its words in the quote passes
    # when the claim as a whole is at least `close_similarity` close to it: a reworded short clause
    # ("which covers 209 acres" for "its 209-acre campus") misses one word in three. Chosen on the dev
    # half of bench/data/claims.
    close_clause: float = 0.5
    close_similarity: float = 0.9
    # A clause short of words passes when it is this close (cosine) to a sentence or clause of the quotes
    # ("is not intended to yield" for "is not meant to produce"). Chosen on the dev half of
    # bench/data/claims: 0.8 showed 4 more faults there for 7 more true claims; 0.85, none for 3.
    clause_paraphrase: float = 0.85

    @classmethod
    def load(cls, name: str = CALIBRATION) -> Thresholds:
        data = calibration.load(name)
        return cls(**{k: float(v) for k, v in data["thresholds"].items() if k in cls.__dataclass_fields__})

    def to_dict(self) -> dict[str, float]:
        return asdict(self)


@dataclass(frozen=True)
class Judgement:
    """The support check's answer for one claim and its evidence."""

    support: Support
    reasons: tuple[str, ...]
    signals: dict[str, float] = field(default_factory=dict)
    score: float | None = None  # calibrated probability that the quotes support the claim (kit.grounding.score)


@dataclass(frozen=True)
class Signals:
    """Everything the verdict is decided from, computed once per (claim, quotes, passages).

    `hard` and `soft` are reasons that need no threshold: a number or name missing, a negation
    mismatch (hard), a name only in the passage (soft). The rest are measurements that the
    calibrated `Thresholds` turn into reasons (`decide`)."""

    hard: tuple[str, ...]
    soft: tuple[str, ...]
    coverage: float  # idf-weighted share of the claim's content words in the quotes
    passage_coverage: float  # ... in the passages
    clause: float  # the least-covered clause's share in the quotes
    passage_clause: float  # ... in the passages
    similarity: float  # cosine claim / closest quote sentence; -1 without an embedder
    content_words: int
    weakest_clause: str
    hard_kinds: tuple[str, ...] = ()  # what each hard reason is about: number, name, negation, roles, modality...
    one_word_short: bool = False  # the weakest clause lacks one word of the quote's, and no figure
    short_clause_similarity: float = 1.0  # the least cosine of a clause short of words to the quotes' parts

    def to_dict(self) -> dict[str, float]:
        return {"coverage": self.coverage, "passage_coverage": self.passage_coverage, "clause": self.clause,
                "passage_clause": self.passage_clause, "similarity": self.similarity,
                "content_words": float(self.content_words)}


NO_QUOTE = Signals(("no quote",), (), 0.0, 0.0, 0.0, 0.0, -1.0, 0, "")


def decide(s: Signals, t: Thresholds) -> Judgement:
    """The verdict from signals and thresholds: any hard reason makes the claim unsupported;
    otherwise what coverage and similarity lack makes it partial (the passage says it) or
    unsupported (nothing cited says it)."""
    hard, soft = list(s.hard), list(s.soft)
    if s.content_words and s.coverage == 0:
        hard.append("no content words shared with the quote")
    elif s.content_words:
        covered = s.coverage >= t.coverage or (
            s.coverage >= t.paraphrase_coverage and s.similarity >= t.paraphrase_similarity)
        clause_short = s.clause < t.clause and not (
            s.one_word_short and s.clause >= t.close_clause and s.similarity >= t.close_similarity
        ) and (s.short_clause_similarity < t.clause_paraphrase or bool(s.soft))  # a name unsaid: not reworded
        if not covered or clause_short:
            why = [f"only {s.coverage:.0%} of the claim's content is in the quote"] if not covered else []
            if clause_short:
                why.append(f"a part of the claim is not in the quote ('{s.weakest_clause}')")
            in_passage = s.passage_coverage >= t.coverage and s.passage_clause >= t.clause
            (soft if in_passage else hard).extend([f"{w}; the passage says it" for w in why] if in_passage else why)
        elif 0 <= s.similarity < t.min_similarity:
            hard.append(f"the quote is about something else (similarity {s.similarity:.2f})")
    if hard:
        return Judgement(Support.UNSUPPORTED, tuple(hard + soft), s.to_dict())
    if soft:
        return Judgement(Support.PARTIAL, tuple(soft), s.to_dict())
    return Judgement(Support.SUPPORTED, (), s.to_dict())


class Judge:
    """Judges claims against quotes. `embedder` gives the similarity signal (without one it is
    skipped); `idf` weighs content words (rare words count more; uniform without it)."""

    def __init__(self, embedder: Embedder | None = None, idf: Callable[[str], float] | None = None,
                 thresholds: Thresholds | None = None, structure: bool = True) -> None:
        self.embedder = embedder
        self.structure = structure  # read claim and quote through a dependency parse (see kit.grounding.structure)
        self.idf = idf or (lambda _term: 1.0)
        self.thresholds = thresholds or Thresholds.load()
        self.scorer = ScoreModel.load()
        self._vectors: dict[str, np.ndarray] = {}

    @classmethod
    def from_counts(cls, embedder: Embedder | None, df: Mapping[str, int], n_docs: int,
                    thresholds: Thresholds | None = None) -> Judge:
        """A judge weighing words by their inverse document frequency among `n_docs` chunks."""
        def idf(term: str) -> float:
            d = df.get(term, 0)
            return math.log(1 + (n_docs - d + 0.5) / (d + 0.5))

        return cls(embedder, idf if n_docs else None, thresholds)

    def judge(self, claim: str, quotes: Sequence[str], passages: Sequence[str] = ()) -> Judgement:
        """How far `quotes` (cited for `claim`) support it; `passages` hold the quotes' context."""
        return self.verdict(self.signals(claim, quotes, passages))

    def verdict(self, signals: Signals) -> Judgement:
        """The verdict on `signals`, with its score."""
        score = self.scorer.score(signals.to_dict(), signals.hard_kinds, len(signals.soft))
        return replace(decide(signals, self.thresholds), score=score)

    def supporting_sentence(self, claim: str, passage: str) -> tuple[int, int] | None:
        """Span in `passage` of the sentence (or neighbouring pair) supporting `claim`, best first; else None."""
        return next((span for span, s in self.candidate_signals(claim, passage)
                     if decide(s, self.thresholds).support is Support.SUPPORTED), None)

    def candidate_signals(self, claim: str, passage: str) -> list[tuple[tuple[int, int], Signals]]:
        """Signals of `claim` against each sentence of `passage` and each pair of neighbours,
        those sharing most of the claim's words (per character) first."""
        sents = sentences(passage)
        words = self._content_words(claim)
        covers = [frozenset(w for w in words if has_word(w, words_of(x.text))) for x in sents]

        def shared(span: tuple[int, int]) -> float:
            found = words_of(passage[span[0]:span[1]])
            return sum(self._weight(w) for w in words if has_word(w, found)) / (span[1] - span[0] + 200)

        # A pair only when each sentence brings a claim word the other lacks: else the better one
        # alone is the evidence (a heading such as "Finances" before it only dilutes it).
        spans = [(x.start, x.end) for x in sents] + [
            (sents[i].start, sents[i + 1].end) for i in range(len(sents) - 1)
            if covers[i] - covers[i + 1] and covers[i + 1] - covers[i]]
        ranked = sorted(spans, key=lambda sp: -shared(sp))[:6]  # the rest share too little to support it
        return [(sp, self.signals(claim, [passage[sp[0]:sp[1]]], [passage])) for sp in ranked]

    def clauses_apart(self, claim: str, quotes: Sequence[str]) -> bool:
        """Whether each clause of `claim` is said by one of `quotes` on its own: at least the
        coverage threshold of its content words (read with their paraphrases), and every name and
        figure of it. A claim that merges what several sentences say, not one that fills a clause of
        one with a word of another ("declared Israel" where one sentence has "declared Japan" and
        another names Israel)."""
        found = [self._paraphrased(claim, self._content_words(claim), words_of(q), q) for q in quotes]
        clauses = [(p, cws) for p in clause_parts(claim) if (cws := self._content_words(p))]
        return (len(clauses) > 1 and all(any(self._says(p, cws, f) for f in found) for p, cws in clauses)
                and not self._name_from_elsewhere(claim, quotes, found))

    def _name_from_elsewhere(self, claim: str, quotes: Sequence[str], found: Sequence[Words]) -> bool:
        """Whether a claim name one quote lacks stands where that quote has another name: the name
        came from the other sentence ("the duke of Antioch, Alexius Komnenos" from "the duke of
        Antioch, Isaac Komnenos" and "the general Alexius Komnenos"), even when the claim's
        clauses split at the name."""
        return any(self._swapped(claim, q)(name) is not None for q, f in zip(quotes, found, strict=True)
                   for name in claim_names(claim) if not has_name(name, f))

    def _says(self, clause: str, words: list[str], found: Words) -> bool:
        return (self._coverage(words, found) >= self.thresholds.coverage
                and all(has_name(n, found) for n in claim_names(clause)) and words_of(clause).numbers <= found.numbers)

    # -- signals ---------------------------------------------------------------------------
    def signals(self, claim: str, quotes: Sequence[str], passages: Sequence[str] = ()) -> Signals:
        quote = " … ".join(q for q in quotes if q.strip())
        if not quote:
            return NO_QUOTE
        claim = unframed(claim)  # "The article says X" asserts X
        claim, quote, passages = joined_initials(claim), joined_initials(quote), [joined_initials(p) for p in passages]
        if accents_apart(claim, [*quotes, *passages]):  # "Erdogan" for "Erdoğan" names the same man
            claim, quote, passages = unaccented(claim), unaccented(quote), [unaccented(p) for p in passages]
        # A claim that is its quote (an extractive answer or summary sentence) says nothing the quote
        # does not: its passage, which only excuses what the quote lacks, is not read (nor parsed).
        verbatim = " ".join(claim.split()) == " ".join(quote.split())
        passage = quote if verbatim else self._stated(" … ".join(p for p in passages if p.strip())) or quote
        cw, qw, pw = words_of(claim), words_of(quote), words_of(passage)
        words = self._content_words(claim)
        opposites = self._opposites(claim, [w for w in words if not has_word(w, qw)], quote)
        qw = self._paraphrased(claim, words, qw, quote)  # not the passage: its many words would excuse too much
        names_hard, names_soft, names_faulted = _name_reasons(claim, qw, pw, self._swapped(claim, quote),
                                                              not verbatim and self._first_is_name(claim))
        negation = negation_reasons(cw.lower, qw.lower)
        numbers_ = number_reasons(claim, quote, qw.numbers)
        faults = self._structure_faults(claim, quote, negation, passage)
        if self.structure and not verbatim and cw.numbers:  # figures recombined (~5 ms a passage)
            faults += count_faults(claim, passage)
        if self.structure and not verbatim and passage != quote:  # what "the passage says it" would excuse
            faults += [f for f in described_faults(claim, passage) if f not in faults]
        hard = numbers_ + names_hard + negation + opposites + [reason for _, reason in faults]
        kinds = (["number"] * len(numbers_) + ["name"] * names_faulted + ["negation"] * len(negation)
                 + ["polarity"] * len(opposites))
        clauses = [(p.strip(), cws) for p in clause_parts(claim) if len(cws := self._content_words(p)) >= 2]
        by_clause = [(self._coverage(cws, qw), c, cws) for c, cws in clauses]
        weakest = min(by_clause, default=(1.0, claim, words), key=lambda x: x[0])
        unsaid = [w for w in weakest[2] if not has_word(w, qw)]
        return Signals(
            tuple(hard), tuple(names_soft), self._coverage(words, qw), self._coverage(words, pw),
            weakest[0], min((self._coverage(cws, pw) for _, cws in clauses), default=1.0),
            self._similarity(claim, quotes), len(words), weakest[1][:60],
            tuple(kinds + [kind for kind, _ in faults]),
            len(unsaid) == 1 and not any(ch.isdigit() for ch in unsaid[0]),
            self._reworded([(c, cws) for cover, c, cws in by_clause if cover < self.thresholds.clause], quotes, qw, cw))

    def _structure_faults(self, claim: str, quote: str, negation: list[str],
                          passage: str = "") -> list[tuple[str, str]]:
        """(kind, reason) of what the claim asserts that the quote's structure does not state (roles, polarity,
        modality, quantifiers, causal links, time); none when the claim is the quote itself. A quote opening
        with "It"/"He" is read with the name the passage's sentence before gives it; a negation named once."""
        if not self.structure or " ".join(claim.split()) == " ".join(quote.split()):
            return []
        from kit.grounding.structure.antecedents import resolved
        from kit.grounding.structure.compare import compare

        return [(f.kind, f.reason) for f in compare(claim, resolved(claim, quote, passage), passage or quote)
                if not (negation and f.kind == "polarity" and "negation" in f.reason)]

    def _first_is_name(self, claim: str) -> bool:
        """Whether the parser (structure check on) tags the claim's first word a proper noun."""
        if not self.structure:
            return False
        from kit.grounding.structure.parser import parse

        doc = parse(claim)
        return len(doc) > 0 and doc[0].pos_ == "PROPN"

    def _stated(self, passage: str) -> str:
        """The passage less any sentence that asks for something to be said (structure check on)."""
        if not self.structure or not passage:
            return passage
        from kit.grounding.structure.instructions import stated_part

        return stated_part(passage)

    def _paraphrased(self, claim: str, words: list[str], found: Words, text: str) -> Words:
        """`found` knowing which of the claim's `words` `text` says in other words: a lemma, a derivation or a
        synonym (read through the parse, with the structural check on), a name one letter apart ("Aleppo" /
        "Alepo") or cut short, or a capital for its country ("Washington said" / "the US said")."""
        missing = [w for w in words if not has_word(w, found)]
        if not missing:
            return found
        near = {n.lower() for n in claim_names(claim) if not has_name(n, found) and near_name(n, found.stems)}
        near |= {w for w in missing if capital_for_country(w, claim, found)}
        near |= abbreviated(claim, text)
        near |= {a.lower() for a in re.findall(r"\b[A-Z]{2,5}\b", claim) if is_initials(a.lower(), found)}  # "EU"
        if spans := years_in_words(text):  # "ten years" for "a decade"
            near |= {w for w in missing if bare(w) in ("year", "years")
                     or any(same_value(v, span) for v in values(w) for span in spans)}
        same = set()
        if self.structure:
            from kit.grounding.paraphrase import equivalents, lemmas_by_word, naming_words

            by_word, said, naming = lemmas_by_word(claim), equivalents(text), naming_words(claim)
            same = {w for w in missing if said.covers(by_word.get(bare(w), ())) or (
                bare(w) in naming and all(has_word(n, found) for n in naming[bare(w)]))}
            same |= self._close_words([w for w in missing if w not in same and w not in near], claim, said.plain)
        return replace(found, paraphrased=frozenset(near | same))

    def _opposites(self, claim: str, missing: list[str], quote: str) -> list[str]:
        """A claim word the quote does not say, nor a synonym of it, whose opposite the quote says
        ("in daylight" / "under the cover of darkness"): the claim says the opposite."""
        if not self.structure or not missing:
            return []
        from kit.grounding.paraphrase import TURNING, equivalents, lemmas_by_word, said_opposite
        from kit.grounding.structure.parser import parse

        turned = {t.lower_ for t in parse(claim) if t.i > 0 and t.doc[t.i - 1].lower_ in TURNING}  # "not cheap"
        by_word, said = lemmas_by_word(claim), equivalents(quote)
        out = []
        for w in (w for w in missing if bare(w) not in turned):
            lemmas = by_word.get(bare(w).rsplit("-", 1)[-1], frozenset())  # "resource-rich": rich
            if not said.covers(lemmas) and (other := said_opposite(lemmas, said)) is not None:
                out.append(f'the quote says "{other}", the claim "{bare(w)}"')
        return out

    def _close_words(self, missing: list[str], claim: str, quote_words: frozenset[str]) -> set[str]:
        """Which of the `missing` claim words mean much what a word of the quote means: their MiniLM
        vectors at least `Thresholds.word_similarity` apart ("cheaper" / "costly", "vanished" /
        "disappeared"). Names, figures and ordinals never: they are checked as they are written.
        Nothing without an embedder."""
        from kit.grounding.paraphrase import common_words

        todo = [w for w in missing if w in common_words(claim)]
        if self.embedder is None or not todo or not quote_words:
            return set()
        quote = sorted(quote_words)
        vectors = self._embed([*todo, *quote])
        closest = (vectors[:len(todo)] @ vectors[len(todo):].T).max(axis=1)
        return {w for w, sim in zip(todo, closest, strict=True) if sim >= self.thresholds.word_similarity}

    def _swapped(self, claim: str, quote: str) -> Callable[[str], str | None]:
        """The quote's other name in the place of a claim name (kit.grounding.structure.names)."""
        if not self.structure:
            return lambda _name: None
        from kit.grounding.structure.names import swapped_name

        return lambda name: swapped_name(claim, quote, name)

    def _content_words(self, text: str) -> list[str]:
        for start, end in reversed(figure_words(text)):  # "two-thirds", "nearly": checked by number_reasons
            text = text[:start] + " " + text[end:]
        text = spelled_out_as_digits(text)  # "ten thousand" is one word, 10000, matched by value
        return [t for t in dict.fromkeys(t.lower() for t in TOKEN.findall(text))
                if t.rstrip(".") not in STOPWORDS and t not in NEGATIONS and t.rstrip(".") not in _LIGHT
                and any(ch.isalnum() for ch in t)]

    def _weight(self, word: str) -> float:
        return self.idf(stem(word.rstrip(".")))

    def _coverage(self, words: list[str], found: Words) -> float:
        total = sum(self._weight(w) for w in words)
        return sum(self._weight(w) for w in words if has_word(w, found)) / total if total else 1.0

    def _similarity(self, claim: str, quotes: Sequence[str]) -> float:
        """Cosine of the claim to the closest quote sentence (or whole quote); -1 without an embedder."""
        if self.embedder is None:
            return -1.0
        parts = list(dict.fromkeys([q for q in quotes if q.strip()] +
                                   [s.text for q in quotes for s in sentences(q)]))
        vectors = self._embed([claim, *parts])
        return float(max(vectors[1:] @ vectors[0]))

    def _reworded(self, clauses: list[tuple[str, list[str]]], quotes: Sequence[str], found: Words, said: Words
                  ) -> float:
        """How close the clauses short of words are to the quotes' (kit.grounding.reworded); -1 unread."""
        if not clauses:
            return 1.0
        if self.embedder is None or not self.structure or any(loaded(c, found) for c, _ in clauses):
            return -1.0
        parts = list(dict.fromkeys([s.text for q in quotes for s in sentences(q)] + [
            p.strip() for q in quotes for p in clause_parts(q) if len(self._content_words(p)) >= 2]))
        return least_similarity([c for c, _ in clauses], parts, self._embed,
                                lambda part: any(not has_word(w, said) for w in self._content_words(part)))

    def _embed(self, texts: list[str]) -> np.ndarray:
        todo = [t for t in dict.fromkeys(texts) if t not in self._vectors]
        if todo and self.embedder is not None:
            for text, vec in zip(todo, self.embedder.embed(todo), strict=True):
                self._vectors[text] = np.asarray(vec, dtype=np.float32)
        if len(self._vectors) > 20000:  # a long-lived judge (notebooks, benchmarks) keeps memory bounded
            self._vectors = {t: self._vectors[t] for t in texts}
        return np.stack([self._vectors[t] for t in texts])


def _name_reasons(claim: str, qw: Words, pw: Words, swapped: Callable[[str], str | None], first_name: bool = False
                  ) -> tuple[list[str], list[str], int]:
    """Hard and soft reasons about the claim's names, and how many names the hard ones fault (the
    score counts names; the reasons join a name of several words the passage lacks: "name United
    States not in the passage")."""
    absent, hard, soft = [], [], []
    plain = set(claim_names(claim))
    for name in claim_names(claim, first_name):
        # A first word only the tagger calls a name ("Zebras migrate") is checked only when the
        # passage holds it: the name swapped in from the sentence beside the quote ("Mensah").
        if has_name(name, qw) or (name not in plain and not has_name(name, pw)):
            continue
        if not has_name(name, pw):
            absent.append(name)
        elif (other := swapped(name)) is not None:  # not the quote's way of saying it: another name
            hard.append(f"name {name} is in the passage, but the quote has {other} in its place")
        else:
            soft.append(f"name {name} is in the passage but not in the quote")
    return [f"name {run} not in the passage" for run in name_runs(claim, absent)] + hard, soft, len(absent) + len(hard)


