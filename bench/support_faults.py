"""Dev fault set for kit's support check: genuine (claim, quote) pairs and faults planted in them.

    python -m bench.support_faults --out faults.jsonl [--data ../shared/data] [--seed 13]

`build(data_dir, seed)` reads the public dev sets at run time (nothing is copied into the repo) and
returns `Pair` records; the same seed gives byte-identical output. Splits go by topic or article,
never by pair: MultiLing topics M000-M004 and the first 8 SQuAD articles are "dev", the rest "test".
Every claim, quote and name a pair borrows comes from its own split. No kit judge code is used.

Genuine pairs (expected verdict: supported)
- MultiLing: a human summary sentence and the one source sentence of its topic that covers it
  (see MIN_COVERAGE below for the rule and the share kept). The claim is the human's sentence.
- SQuAD: for an answerable question, the sentence holding the answer span is the quote and the
  claim is the clause of it that holds the answer (cut at ";", ", which", ", and" + clause, ...;
  at least 6 words, with a verb), minus bracketed asides; a leading phrase such as "However," or
  "During the war," is dropped only when it holds no number or name. One question per sentence.
- 15% of the genuine claims (seeded) are replaced by their quote: a model copying.
Faults (one per kind and genuine pair where it can be formed; `detail` says what changed)
- number: one number changed (same format: digits keep their separators, years move 1-5, number
  words stay words); the new value is not in the passage.
- name: a capitalised name (not the claim's first word) swapped for a name seen twice in another
  topic/article of the split, of the same shape (person, place, demonym, acronym, plural, or the
  word pattern with its kind word: "Treaty of Rome" -> "Treaty of ..."), none of whose words is in
  the passage.
- negation: the first negation removed, or "not" inserted at the first auxiliary ("was not",
  "cannot", "does not have"), else at the first past-tense verb ("did not announce").
- unrelated: a genuine claim of another topic/article with this pair's quote and passage.
- half_true: this claim + ", and " + a short genuine claim of another topic/article.
- embellished: this claim with a detail appended with no comma to mark it: a prepositional
  phrase (3-6 words, two content words or more) from a genuine claim of another topic/article
  ("... won the Tour de France *after the Bali climate talks*."), none of whose content words
  is in the passage: the unsupported detail a model adds, which no clause boundary betrays.
- wrong_sentence: this claim citing another sentence of the same document (SQuAD: of another
  paragraph of the same article), sharing under half of its content words with the aligned
  sentence and under 40% of the claim's, in a passage that holds neither the aligned sentence nor
  any sentence covering 60% of the claim.
- bare_marker: an unrelated claim, quote None, this pair's passage (no sentence should support it).
- bare_marker_genuine: this claim, quote None, its passage (the supporting sentence is in it).

Not handled / known weaknesses
- Names come from capitalisation and word statistics, not a tagger: about half the swaps change
  the kind of thing named ("Great Depression" -> "Protestant Reformation" is fine, "Australia"
  -> "Lefevre" is not), and a few "names" are capitalised common words.
- Negation lands in a subordinate or relative clause when its auxiliary comes first ("When coal is
  not used, ..."); removing "did not" leaves an emphatic "did go". Present-tense verbs other than
  auxiliaries ("includes") are not negated: such claims get no negation fault.
- MultiLing genuine claims are human paraphrases: a few still drop a detail or soften a word of
  the quote ("immediately" for "very soon"); the alignment rule keeps such slips rare, not absent.
- A quote is one sentence of kit.text.sentences; sentences it merges or splits wrongly are
  skipped when detected (MERGED), verbatim claims keep whatever the source text holds.

Examples (dev split)
  genuine      C: A court in the United Kingdom has been shown footage of the bombers that attacked London.
               Q: A court in the United Kingdom has been shown footage of the bombers that attacked London
                  on July 7, 2005.
  genuine      C: In 1638, the college became home for North America's first known printing press.
               Q: In 1638, the college became home for North America's first known printing press, carried
                  by the ship John of London.
  number       C: Some of the fertiliser bomb conspirators had met with six of the London subway bombers.
               Q: It was also revealed that some of the fertiliser bomb conspirators had met with two of the
                  London subway bombers.                                                   [two -> six]
  number       C: A method to lessen the magnitude of this heating and cooling was invented in 1808 by British
                  engineer Arthur Woolf.                                                  [1804 -> 1808]
  name         C: The Canadian government claims that the confessions were extracted under duress.
               Q: The British government claims that the confessions were extracted under duress.
  name         C: According to the Iranian Foreign Minister, Tessa Jowell, the female sailor will "be released
                  very soon," ...                              [Manouchehr Mottaki -> Tessa Jowell]
  negation     C: Astana cycling team did not announce that Vinokourov failed a blood test following his
                  victory in time trial.                         [announced -> did not announce]
  negation     C: Packet mode communication may not be implemented with or without intermediate forwarding
                  nodes.                                                           [may -> may not]
  unrelated    C: In cycling team, Discovery Channel won.
               Q: This includes setting, for industrialized nations, targets for reductions of greenhouse gas
                  (GHG) emissions.
  unrelated    C: Early versions were in use by 1851.
               Q: Later the American makers introduced their domestic replacements (Ford Ranger, ...), ending
                  their captive import policy.
  half_true    C: Alberto Contador was the winner of the Tour de France, and the Bush administration has
                  pledged $350 million.
               Q: Alberto Contador of Spain has won the 2007 Tour de France general classification.
  half_true    C: Injectors became popular in the 1850s, and early ties were already visible in the
                  "Apologie" of William the Silent.
  wrong_sent.  C: Mauricio Soler won the King of the Mountains classification.
               Q: He won by 23 seconds over Cadel Evans of Australia.
  wrong_sent.  C: Datanet 1 was the public switched data network operated by the Dutch PTT Telecom.
               Q: Telenet was the first FCC-licensed public data network in the United States.
  bare_marker  C: Astana cycling team announced that Vinokourov failed a blood test following his victory
                  in time trial.    P: The Roadmap establishes the target year of 2009 and ...
  bare_marker  C: Chrysler ended production of their full-sized luxury sedans at the end of the 1981 model
                  year.             P: Internet2 is a not-for-profit United States computer networking ...
  bare_m._gen. C: The Basque ETA claimed responsibility for placing the devices on the route.
                                    P: Authorities in Spain say that at least two explosive devices ...
  bare_m._gen. C: Its substance was very similar to the proposed constitutional treaty.
                                    P: Following the Nice Treaty, there was an attempt to reform ...
"""

from __future__ import annotations

import argparse
import json
import random
import re
import sys
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import asdict, dataclass, replace
from functools import cache
from pathlib import Path

from nltk.stem.porter import PorterStemmer

from kit.text import STOPWORDS, Sentence, keywords, sentences

DEFAULT_DATA = Path(__file__).resolve().parents[1].parent / "shared" / "data"
KINDS = ("genuine", "number", "name", "negation", "unrelated", "half_true", "embellished", "wrong_sentence",
         "bare_marker", "bare_marker_genuine")
SOURCES = ("multiling", "squad")
SPLITS = ("dev", "test")
GENUINE_CAP = 400  # genuine pairs per source and split (seeded sample)
VERBATIM_SHARE = 0.15  # genuine claims replaced by their quote: a model copying
PASSAGE_MIN, PASSAGE_MAX = 600, 1000  # characters of a MultiLing passage window

# A human summary sentence is a genuine single-quote pair only when one source sentence covers
# nearly all of it: at least 80% of its content stems (Porter) with at most 2 missing, every number
# and name it holds also in the quote, and no hedge of the quote ("may", "reportedly") dropped.
# Looser alignments mostly add facts from elsewhere or firm up a hedge (a judge would rightly call
# them "partial"), and a sentence that a second source sentence completes is a fusion of several
# sentences: both are dropped. 90 of the 402 summary sentences (22%) are kept; 106 are fusions,
# 170 have no single close sentence, 36 fail the number, name, hedge or length checks.
MIN_COVERAGE = 0.8
MAX_MISSING = 2
MIN_CLAIM_STEMS = 4
HEDGES = frozenset("may might could possibly reportedly allegedly claiming claimed estimated estimate likely".split())
# A wrong sentence must not support the claim: little content in common with the aligned
# sentence (overlap coefficient) or with the claim (share of the claim's stems).
WRONG_MAX_OVERLAP = 0.5
WRONG_MAX_COVERAGE = 0.4
WRONG_MAX_PASSAGE_COVERAGE = 0.6  # nor may any other sentence of its passage come close to supporting it
UNRELATED_MAX_COVERAGE = 0.3  # an unrelated claim shares at most this share of stems with the passage


@dataclass(frozen=True)
class Pair:
    """One (claim, quote) pair with its expected verdict given by `kind` ("genuine" = supported)."""

    kind: str
    claim: str
    quote: str | None
    passage: str
    source: str
    doc_id: str
    split: str
    base_id: str
    detail: str


# ---------------------------------------------------------------------------------------------
# Words: stems, numbers, names, verbs


_PORTER = PorterStemmer()


@cache
def _porter(word: str) -> str:
    return _PORTER.stem(word)


@cache
def stems(text: str) -> frozenset[str]:
    """Porter stems of the content words of `text` (kit's stopword list)."""
    return frozenset(_porter(w) for w in keywords(text))


def coverage(claim: frozenset[str], other: frozenset[str]) -> float:
    """Share of the claim's stems found in `other`."""
    return len(claim & other) / len(claim) if claim else 0.0


def overlap(a: frozenset[str], b: frozenset[str]) -> float:
    """Overlap coefficient: shared stems over the smaller set."""
    return len(a & b) / min(len(a), len(b)) if a and b else 0.0


WORD = re.compile(r"[A-Za-z][A-Za-z'’-]*")
NUMBER = re.compile(r"(?<![\w.,/-])\d+(?:[.,]\d+)*(?:st|nd|rd|th)?(?![\w-])")
NUMBER_WORDS = ("two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven", "twelve")
TENS = ("twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety")
NUMBER_WORD = re.compile(r"\b(?:" + "|".join(NUMBER_WORDS + TENS) + r")\b", re.IGNORECASE)
_WORD_VALUE = {w: i for i, w in enumerate(("one", *NUMBER_WORDS), 1)} | {w: 20 + 10 * i for i, w in enumerate(TENS)}


def numbers(text: str) -> set[str]:
    """Numbers of `text` as plain digit strings ("28.500" and "28,500" -> "28500"; "four" -> "4")."""
    out = {re.sub(r"\D", "", m.group()) for m in NUMBER.finditer(text)}
    out |= {str(_WORD_VALUE[m.group().lower()]) for m in NUMBER_WORD.finditer(text)}
    return out


_U, _L = "A-ZÀ-ÖØ-Þ", "a-zß-öø-ÿ"
_CAP = rf"(?:[{_U}][{_L}]+(?:[{_U}][{_L}]+)?(?:-[{_U}]?[{_L}]+)*|[{_U}]{{2,6}}|(?:[{_U}]\.){{2,}})"
_CONNECT = r"(?:of|de|da|del|van|von|al|bin|du|la|le|y)"
NAME = re.compile(rf"(?<![\w.'’-]){_CAP}(?:\s(?:{_CONNECT}\s){{0,2}}{_CAP})*(?![\w-])")
MONTHS_DAYS = frozenset("""January February March April May June July August September October November
December Monday Tuesday Wednesday Thursday Friday Saturday Sunday I""".split())
# A word that tells a multi-word name's kind: its last word ("Harvard University") or the word before
# "of" ("Treaty of Rome"). A swap keeps it: "Treaty of Rome" -> "Treaty of Lisbon", never -> "John Smith".
KIND_WORDS = frozenset("""University College School Institute Academy Museum Church Cathedral River Lake Sea
Ocean Island Islands Mountains Valley Bay Street Road Square Park Palace Castle Bridge Airport Station
Party Council Committee Commission Parliament Assembly Senate House Court Ministry Department Office
Agency Organization Organisation Association Union Nations Company Corporation Airlines Bank Group
Army Navy Force Forces Guard Police Society Foundation Republic Kingdom Empire Dynasty War Games Cup
Prize Award Act Treaty Convention Conference Declaration Times Post News Province State States City
Directive Regulation Edict Revolt Revolution Crisis Line Network Team Channel Agreement Charter Code
Law Bill Report Project Program Programme Service Services System Center Centre Hospital Stadium Hall
King Queen Prince Princess Duke Duchess Earl Count Lord Bishop Archbishop Pope Emperor President
Minister Secretary General Governor Mayor Chancellor Professor Director Peninsula Tour
Ltd Inc Co KG AG GmbH plc""".split())
TITLES = frozenset("""King Queen Prince Princess Duke Duchess Earl Count Lord Bishop Archbishop Pope Emperor
President Minister Governor Mayor Chancellor Professor Mr Mrs Ms Dr Sir Saint St General""".split())
# First words of place names, not of a person's name ("Southern Asia", "New York").
PLACE_FIRST = frozenset("""North South East West Northern Southern Eastern Western Central New Old Great Upper
Lower United Greater Saint St San Santa Los Las Port Mount Lake Cape""".split())
DEMONYM = re.compile(r"(?:[a-z]ian|ese|ish|[a-z]ean|ican|ench|utch|eek|eli|aqi|stani|German|Korean|Thai)$")

BE = frozenset({"is", "are", "was", "were"})
HAVE = frozenset({"has", "have", "had"})
MODAL = frozenset({"will", "would", "can", "could", "may", "might", "must", "should", "shall"})
DO = frozenset({"does", "did", "do"})
AUXILIARIES = BE | HAVE | MODAL | DO
IRREGULAR_PAST = {
    "began": "begin", "became": "become", "won": "win", "took": "take", "made": "make", "gave": "give",
    "led": "lead", "held": "hold", "built": "build", "wrote": "write", "found": "find", "came": "come",
    "went": "go", "saw": "see", "grew": "grow", "fell": "fall", "rose": "rise", "left": "leave",
    "lost": "lose", "brought": "bring", "fought": "fight", "sold": "sell", "told": "tell", "kept": "keep",
    "met": "meet", "spent": "spend", "ran": "run", "paid": "pay", "said": "say", "thought": "think",
    "stood": "stand", "knew": "know", "chose": "choose", "spoke": "speak", "broke": "break",
    "sent": "send", "bought": "buy", "taught": "teach", "struck": "strike", "drew": "draw", "flew": "fly",
    "got": "get", "sought": "seek", "sank": "sink", "shook": "shake", "swept": "sweep", "wore": "wear",
}
PARTICIPLES = frozenset("""been done made given taken seen known shown grown begun become won led held built
written found come gone fallen risen left lost brought fought sold told kept met spent paid said thought
stood chosen spoken broken sent bought taught struck drawn flown got gotten sought born""".split())
PRESENT_VERBS = frozenset("""includes contains consists remains means refers uses describes represents occurs
becomes makes takes gives lies holds provides requires allows covers serves operates produces says shows
stands leads exists depends lives receives involves applies belongs comprises offers supports reaches""".split())
SUBORDINATORS = frozenset("""when if while although though because as since unless whereas before after until
once whether where""".split())
NOT_SUBJECT_END = frozenset("""the a an of in on at by to for with from into as and or but that which who
whom whose this these those its his her their our my your than be been being very most more so such
not no""".split())
CLAUSE_START = frozenset({"the", "a", "an"})
PREPOSITIONS = frozenset("in on at by to for with from into as under over through between during after".split())
NEGATION = re.compile(r"\b(?P<aux>is|are|was|were|has|have|had|will|would|could|may|might|must|should|"
                      r"does|did|do)\s+not\b|\b(?P<nt>is|are|was|were|has|have|had|would|could|should|"
                      r"does|did|do)n['’]t\b|\bcannot\b|\bcan['’]t\b|\bwon['’]t\b|\bnever\s+")


@dataclass(frozen=True)
class Lexicon:
    """Word statistics of one source: lower-case words anywhere, capitalised words inside sentences."""

    lower: Counter[str]
    upper: Counter[str]

    @classmethod
    def of(cls, texts: Iterable[str]) -> Lexicon:
        lower: Counter[str] = Counter()
        upper: Counter[str] = Counter()
        for text in texts:
            for sent in sentences(text):
                for k, m in enumerate(WORD.finditer(sent.text)):
                    w = m.group()
                    if w.islower():
                        lower[w] += 1
                    elif k:
                        upper[w] += 1
        return cls(lower, upper)

    def name_like(self, word: str) -> bool:
        """An acronym, or a word capitalised inside sentences at least as often as written lower-case."""
        if word in MONTHS_DAYS or not word[:1].isupper():
            return False
        if word.isupper() or "." in word:
            return len(word) > 1
        return self.upper[word] >= max(1, self.lower[word.lower()])

    def past_base(self, word: str) -> str | None:
        """Base form of a regular past tense, checked against the vocabulary ("created" -> "create")."""
        if len(word) <= 4 or not word.endswith("ed"):
            return None
        options = [word[:-1], word[:-2]]
        if len(word) > 5 and word[-3] == word[-4]:
            options.append(word[:-3])  # "stopped" -> "stop"
        if word.endswith("ied"):
            options.insert(0, word[:-3] + "y")
        return next((o for o in options if self.lower[o]), None)

    def is_verb(self, word: str, strong: bool = True) -> bool:
        """A finite verb: an auxiliary or a past tense (`strong`), or also a common present-tense verb."""
        if word in AUXILIARIES or word in IRREGULAR_PAST or self.past_base(word):
            return True
        return not strong and word in PRESENT_VERBS

    def is_participle(self, word: str) -> bool:
        """Starts a participle phrase (", allowing ...", ", patented in ...")."""
        if word in PARTICIPLES or self.past_base(word):
            return True
        return len(word) >= 6 and word.endswith("ing") and any(
            self.lower[b] for b in (word[:-3], word[:-3] + "e", word[:-4]))

    def verb_cue(self, text: str, strong: bool = False) -> bool:
        return any(self.is_verb(w, strong) for w in re.findall(r"[a-z]+", text))


def names(text: str, lex: Lexicon, strict: bool = False) -> list[tuple[int, int, str]]:
    """Capitalised runs of `text` that look like names and do not start it: (start, end, name).

    A run counts when one of its words is name-like (`strict`: all of them), so "United Nations" stays whole.
    """
    out = []
    for m in NAME.finditer(text):
        toks = [(t.start() + m.start(), t.end() + m.start(), t.group()) for t in re.finditer(r"\S+", m.group())]
        while toks and (toks[0][2].lower() in STOPWORDS or re.fullmatch(_CONNECT, toks[0][2])):
            toks.pop(0)
        while toks and re.fullmatch(_CONNECT, toks[-1][2]):
            toks.pop()
        words = [t[2] for t in toks if not re.fullmatch(_CONNECT, t[2])]
        if not words or all(w in MONTHS_DAYS for w in words):
            continue
        like = [lex.name_like(w) for w in words]
        if not (all(like) if strict else any(like)):
            continue
        a, b = toks[0][0], toks[-1][1]
        if text[:a].strip(" \"“'‘(["):
            out.append((a, b, text[a:b]))
    return out


@cache
def word_count(text: str) -> int:
    return len(re.findall(r"\w+(?:['’.,-]\w+)*", text))


def end_with_period(text: str) -> str:
    text = text.rstrip(" ,;:–—-")
    return text if text.endswith((".", "!", "?", '."', ".”")) else text + "."


def strip_end(text: str) -> str:
    """`text` without its final sentence punctuation (None-safe callers check quotes at the end)."""
    return re.sub(r"[.!?]+$", "", text.rstrip())


# ---------------------------------------------------------------------------------------------
# Sources


@dataclass(frozen=True)
class Doc:
    """A source text: a MultiLing article or a SQuAD paragraph; `group` is its topic or article."""

    doc_id: str
    group: str
    source: str
    split: str
    text: str
    sents: tuple[Sentence, ...]


@dataclass(frozen=True)
class Base:
    """A genuine pair and where its quote sits, for the faults derived from it."""

    pair: Pair
    doc: Doc
    index: int  # of the quote in doc.sents
    group: str


@dataclass(frozen=True)
class Context:
    """Everything the faults of one source draw from."""

    lex: Lexicon
    docs: list[Doc]
    bases: list[Base]
    names: NamePool


ABBREVIATIONS = frozenset("""Mr Mrs Ms Dr St Mt Jr Sr Col Gen Lt Sgt Capt Gov Sen Rep Rev Prof Maj Adm Cmdr
Dept Corp Inc Ltd Co Jan Feb Mar Apr Jun Jul Aug Sep Sept Oct Nov Dec No Vol Fig Ave""".split())
# Two sentences the splitter kept together: "... the Six-Day War. His successor ...", "...[citation needed] In",
# "... hard for C. This means ...", "... in C.) Thus ...".
MERGED = re.compile(r"\b([A-Z][a-z]{1,3})\.\s+[A-Z]|[.!?]\[[^\]]*\]\s+[A-Z]|[.!?]\)\s+[A-Z]"
                    r"|\b[A-Z]\.\s+(?:" + "|".join(w.capitalize() for w in sorted(STOPWORDS)) + r")\b")
MAX_QUOTE_WORDS = 80  # a longer "sentence" is a list or a splitter slip, not something a model cites


@cache
def is_prose(sent: Sentence) -> bool:
    """A body sentence: one line, at least 6 words, ending like a sentence (not a headline or date line)."""
    t = sent.text
    return "\n" not in t and 6 <= word_count(t) <= MAX_QUOTE_WORDS and bool(re.search(r"[.!?][\"'”’)]*$", t)) \
        and not any(m.group(1) not in ABBREVIATIONS for m in MERGED.finditer(t))


def load_multiling(data_dir: Path) -> tuple[list[Doc], list[dict]]:
    folder = data_dir / "multiling2011_en"
    rows = [json.loads(line) for line in (folder / "docs.jsonl").read_text(encoding="utf-8").splitlines() if line]
    topics = [json.loads(line) for line in (folder / "topics.jsonl").read_text(encoding="utf-8").splitlines() if line]
    docs = [Doc(r["doc_id"], r["topic_id"], "multiling", multiling_split(r["topic_id"]), r["text"],
                tuple(sentences(r["text"]))) for r in rows]
    return sorted(docs, key=lambda d: d.doc_id), sorted(topics, key=lambda t: t["topic_id"])


def multiling_split(topic_id: str) -> str:
    return "dev" if int(topic_id[1:]) <= 4 else "test"


def load_squad(data_dir: Path) -> tuple[list[Doc], list[tuple[Doc, dict]]]:
    """Paragraphs as docs ("Title/007"), and each answerable question with its paragraph."""
    data = json.loads((data_dir / "squad2_dev_half" / "dev-v2.0.json").read_text(encoding="utf-8"))["data"]
    docs: list[Doc] = []
    questions: list[tuple[Doc, dict]] = []
    for a, article in enumerate(data):
        split = "dev" if a < len(data) // 2 else "test"
        for n, para in enumerate(article["paragraphs"]):
            text = para["context"]
            doc = Doc(f"{article['title']}/{n:03d}", article["title"], "squad", split, text, tuple(sentences(text)))
            docs.append(doc)
            questions += [(doc, qa) for qa in para["qas"] if not qa["is_impossible"] and qa["answers"]]
    return docs, questions


def window(doc: Doc, index: int, avoid: int | None = None) -> str:
    """About 600-1000 characters of `doc` around sentence `index`, cut at sentence boundaries.

    The window never reaches sentence `avoid` (the aligned sentence, for a wrong-sentence passage).
    """
    if doc.source == "squad":
        return doc.text
    sents = doc.sents
    lo = hi = index
    while sents[hi].end - sents[lo].start < PASSAGE_MIN:
        grown = False
        for lo2, hi2 in ((lo, hi + 1), (lo - 1, hi)):
            if lo2 >= 0 and hi2 < len(sents) and avoid not in (lo2, hi2) \
                    and sents[hi2].end - sents[lo2].start <= PASSAGE_MAX:
                lo, hi, grown = lo2, hi2, True
                break
        if not grown:
            break
    return doc.text[sents[lo].start:sents[hi].end]


# ---------------------------------------------------------------------------------------------
# Genuine pairs


@dataclass(frozen=True)
class Alignment:
    claim: str
    doc: Doc
    index: int
    coverage: float
    f1: float


def align_summaries(docs: list[Doc], topics: list[dict], lex: Lexicon,
                    notes: Counter[str]) -> list[tuple[str, Alignment]]:
    """(base_id, alignment) for each human summary sentence with one confident source sentence."""
    by_id = {d.doc_id: d for d in docs}
    out = []
    for topic in topics:
        source = [(by_id[d], i, s, stems(s.text)) for d in topic["doc_ids"]
                  for i, s in enumerate(by_id[d].sents) if is_prose(s)]
        seen: set[str] = set()
        for summary in sorted(topic["reference_summaries"], key=lambda s: s["annotator"]):
            for k, sent in enumerate(sentences(summary["summary"])):
                claim = re.sub(r"\s+", " ", sent.text)
                base_id = f"ml-{topic['topic_id']}-{summary['annotator']}-{k:02d}"
                verdict = align_one(claim, source, lex)
                notes[f"multiling summary sentences: {verdict if isinstance(verdict, str) else 'kept'}"] += 1
                if isinstance(verdict, Alignment) and claim.lower() not in seen:
                    seen.add(claim.lower())
                    out.append((base_id, verdict))
    return out


def align_one(claim: str, source: Sequence[tuple[Doc, int, Sentence, frozenset[str]]], lex: Lexicon) -> Alignment | str:
    """The confident alignment of one summary sentence, or why there is none."""
    c = stems(claim)
    if len(c) < MIN_CLAIM_STEMS or word_count(claim) < 6:
        return "too short"
    scored = []
    for doc, i, sent, q in source:
        shared = len(c & q)
        if shared:
            p, r = shared / len(q), shared / len(c)
            scored.append((r, 2 * p * r / (p + r), doc.doc_id, i, doc, sent, q))
    if not scored:
        return "no match"
    scored.sort(key=lambda x: (-x[0], -x[1], x[2], x[3]))
    cov, f1, _, i, doc, sent, q = scored[0]
    if cov < MIN_COVERAGE or len(c - q) > MAX_MISSING:
        fused = any(coverage(c, q | other[6]) >= MIN_COVERAGE for other in scored[1:30])
        return "fusion of several source sentences" if fused else "no confident single sentence"
    if not numbers(claim) <= numbers(sent.text):
        return "number not in the best sentence"
    quote_words = {w.lower() for w in WORD.findall(sent.text)}
    if any(w.lower() not in quote_words for _, _, n in names(claim, lex) for w in n.split()):
        return "name not in the best sentence"
    claim_words = {w.lower() for w in WORD.findall(claim)}
    if (quote_words & HEDGES) - claim_words:
        return "hedge of the best sentence dropped"  # "may write off" summarised as "wrote off"
    return Alignment(end_with_period(claim), doc, i, cov, f1)


# SQuAD claims: the clause of the answer sentence that holds the answer.
SEPARATOR = re.compile(r"\s*;\s+|,\s+(?:(?:and|but|while|whereas|which|who)\s+)?|\s+(?:and|but|while|whereas)\s+")
LEAD_WORDS = frozenset("""However Meanwhile Also Additionally Furthermore Moreover Thus Therefore Consequently
Later Eventually Subsequently Nevertheless Indeed In On At During After Before By Since Throughout
Following Upon""".split())


def separators(text: str, answer: tuple[int, int]) -> list[re.Match[str]]:
    """Clause separators of a sentence outside brackets and quotes and outside the answer."""
    out = []
    for m in SEPARATOR.finditer(text):
        before = text[:m.start()]
        inside = before.count("(") > before.count(")") or before.count('"') % 2 == 1 \
            or before.count("“") > before.count("”")
        if not inside and (m.end() <= answer[0] or m.start() >= answer[1]):
            out.append(m)
    return out


def clause_end(text: str, seps: list[re.Match[str]], answer_end: int, lex: Lexicon) -> int:
    """End of the answer's clause: the first later separator that opens a clause or a participle phrase.

    Cuts that would drop the rest of a list or of a restrictive clause ("the only king who ...") are not
    made, and neither is one that leaves the claim ending in a subordinate clause ("..., but when X").
    """
    after = [m for m in seps if m.start() >= answer_end]
    for k, m in enumerate(after):
        tail = text[m.end():after[k + 1].start() if k + 1 < len(after) else len(text)]
        first, second = ([*re.findall(r"[A-Za-z]+", tail), "", ""])[:2]
        before = (re.findall(r"[A-Za-z]+", text[:m.start()]) or [""])[-1].lower()
        sep = m.group().strip()
        opens = (sep in (";", ", which", ", who", ", but", ", while", ", whereas")
                 or (sep == ", and" and lex.verb_cue(tail, strong=True))
                 or (sep in ("and", "but", "while", "whereas") and lex.is_verb(first))
                 or (sep == "," and lex.is_participle(first) and not before.endswith(("ed", "ing", "ly"))
                     and (first.endswith("ing") or second in PREPOSITIONS)))
        if opens and not dangling(text, seps, m.start()) and not open_clause(text[:m.start()], lex) \
                and not continued(text, after[k:], lex):
            return m.start()
    return len(text)


def continued(text: str, seps: list[re.Match[str]], lex: Lexicon) -> bool:
    """Does the sentence go on with the predicate of the part before the cut `seps[0]`?

    True when a later plain-comma segment starts with a finite verb ("The resulting Report, published in
    1945, was one of ...") or, right after a relative clause, with a preposition ("considered the Dutch
    Republic, which led the opposition, as the most attractive country").
    """
    relative = seps[0].group().strip() in (", which", ", who")
    for k, m in enumerate(seps[1:]):
        if m.group().strip() != ",":
            continue
        words = [w for w in re.findall(r"[A-Za-z]+", text[m.end():])[:3] if not w.endswith("ly")
                 and w not in ("also", "then", "still", "later", "soon", "now", "often", "thus")]
        if words and lex.is_verb(words[0]) and (words[1:2] or [""])[0] not in PREPOSITIONS:
            return True
        if k == 0 and relative and words and words[0] in PREPOSITIONS | {"as"}:
            return True
    return False


OPENERS = frozenset("who which whom when where while although though because if whereas unless whether".split())


def open_clause(head: str, lex: Lexicon) -> bool:
    """Is a relative or subordinate clause of `head` left without its verb ("... Norway who, under Rollo")?"""
    words = re.findall(r"[A-Za-z]+", head)
    for i in range(1, len(words)):
        if words[i].lower() in OPENERS:
            opened = sum(w.lower() in OPENERS for w in words[i:])
            if sum(lex.is_verb(w) for w in words[i + 1:]) < opened:
                return True
    return False


def dangling(text: str, seps: list[re.Match[str]], end: int) -> bool:
    """Would text[:end] end in a subordinate clause ("..., but when resources are bounded")?"""
    start = max((m.end() for m in seps if m.end() <= end), default=0)
    words = re.findall(r"[A-Za-z]+", text[start:end].lower())[:2]
    if words and words[0] in ("and", "but"):
        words = words[1:]
    return bool(words) and words[0] in SUBORDINATORS


def clause_start(text: str, seps: list[re.Match[str]], answer_start: int, lex: Lexicon) -> int:
    """Start of the claim: after an independent earlier clause, or after a leading phrase with no number or name."""
    best = 0
    for k, m in enumerate(seps):
        if m.end() > answer_start:
            break
        sep = m.group().strip()
        head = text[:m.start()]
        rest = text[m.end():]
        first = rest.split(" ", 1)[0]
        subject = first.lower() in CLAUSE_START or lex.name_like(first)
        if k == 0 and sep == "," and head.split(" ", 1)[0] in LEAD_WORDS and word_count(head) <= 6 \
                and not re.search(r"\d", head) and not names(head, lex) and subject:
            best = m.end()  # "However, ..." / "During the war, ..."
        elif (sep == ";" or sep in (", and", ", but", ", while", ", whereas")) and subject \
                and lex.verb_cue(rest.split(",", 1)[0], strong=True) \
                and lex.verb_cue(text[seps[k - 1].end() if k else 0:m.start()], strong=True):
            best = m.end()  # two clauses, not a list: "A, and B" supports "B"
    return best


def squad_claim(sentence: str, answer: tuple[int, int], lex: Lexicon) -> str | None:
    """The shortened restatement of a SQuAD sentence that keeps the answer, or None."""
    seps = separators(sentence, answer)
    end = clause_end(sentence, seps, answer[1], lex)
    start = clause_start(sentence, seps, answer[0], lex)
    claim = drop_asides(sentence[start:end], answer[0] - start, answer[1] - start)
    if word_count(claim) < 6 and start > 0:  # the claim grows back when a cut leaves fewer than 6 words
        claim = drop_asides(sentence[:end], answer[0], answer[1])
    claim = claim[:1].upper() + claim[1:]
    first = (re.findall(r"[A-Za-z]+", claim.lower()) or [""])[0]
    if word_count(claim) < 6 or not lex.verb_cue(claim) or (first in SUBORDINATORS and "," not in claim):
        return None
    return end_with_period(claim)


def drop_asides(text: str, a: int, b: int) -> str:
    """`text` without bracketed asides (" (RPM)", "[citation needed]") that do not hold the answer (at a:b)."""
    out, last = [], 0
    for m in re.finditer(r"\s+\([^()]*\)|\s*\[[^\[\]]*\]", text):
        if m.end() <= a or m.start() >= b:
            out.append(text[last:m.start()])
            last = m.end()
    out.append(text[last:])
    return re.sub(r"\s+([,;.])", r"\1", re.sub(r"\s{2,}", " ", "".join(out))).strip()


def squad_genuine(questions: list[tuple[Doc, dict]], lex: Lexicon, seed: int,
                  notes: Counter[str]) -> list[tuple[str, Doc, int, str]]:
    """(base_id, paragraph, sentence index, claim): one question per answer sentence (seeded)."""
    by_sentence: dict[tuple[str, int], list[tuple[str, str]]] = defaultdict(list)
    for doc, qa in questions:
        ans = qa["answers"][0]
        a, b = ans["answer_start"], ans["answer_start"] + len(ans["text"])
        index = next((i for i, s in enumerate(doc.sents) if s.start <= a and b <= s.end), None)
        if index is None or not is_prose(doc.sents[index]):
            notes["squad questions: answer not inside one prose sentence"] += 1
            continue
        sent = doc.sents[index]
        claim = squad_claim(sent.text, (a - sent.start, b - sent.start), lex)
        if claim is None or strip_end(claim) == strip_end(sent.text):
            notes["squad questions: no shorter clause of 6+ words with a verb"] += 1
            continue
        notes["squad questions: kept"] += 1
        by_sentence[(doc.doc_id, index)].append((f"sq-{qa['id']}", claim))
    docs = {d.doc_id: d for d, _ in questions}
    out = []
    for (doc_id, index), options in sorted(by_sentence.items()):
        base_id, claim = random.Random(f"{seed}:question:{doc_id}:{index}").choice(sorted(options))
        out.append((base_id, docs[doc_id], index, claim))
    return out


def make_genuine(rows: list[tuple[str, Doc, int, str, str]], seed: int) -> list[Base]:
    """Cap per source and split (seeded sample), and turn a share of claims into verbatim copies."""
    bases = []
    groups: dict[tuple[str, str], list[tuple[str, Doc, int, str, str]]] = defaultdict(list)
    for row in rows:
        groups[(row[1].source, row[1].split)].append(row)
    for (source, split), group in sorted(groups.items()):
        rng = random.Random(f"{seed}:cap:{source}:{split}")
        group = sorted(rng.sample(sorted(group), min(GENUINE_CAP, len(group))))
        verbatim = set(random.Random(f"{seed}:verbatim:{source}:{split}").sample(
            range(len(group)), round(VERBATIM_SHARE * len(group))))
        for k, (base_id, doc, index, claim, detail) in enumerate(group):
            quote = doc.sents[index].text
            if k in verbatim:
                claim, detail = quote, "verbatim copy of the quote"
            pair = Pair("genuine", claim, quote, window(doc, index), source, doc.doc_id, split, base_id, detail)
            bases.append(Base(pair, doc, index, doc.group))
    return bases


# ---------------------------------------------------------------------------------------------
# Faults: each returns a Pair derived from a genuine one, or None when it cannot be formed


def fault(base: Base, kind: str, claim: str, detail: str, quote: str | None = "",
          passage: str | None = None, doc_id: str | None = None) -> Pair:
    """The genuine pair with `kind` and the given changes ("" keeps the genuine quote)."""
    g = base.pair
    return replace(g, kind=kind, claim=claim, quote=g.quote if quote == "" else quote,
                   passage=g.passage if passage is None else passage,
                   doc_id=g.doc_id if doc_id is None else doc_id, detail=detail)


def number_fault(base: Base, ctx: Context, rng: random.Random) -> Pair | None:
    """One number of the claim changed to another value of similar size, same format."""
    claim = base.pair.claim
    spots = [(m.start(), m.end()) for m in NUMBER.finditer(claim)]
    spots += [(m.start(), m.end()) for m in NUMBER_WORD.finditer(claim)]
    rng.shuffle(spots)
    passage_numbers = numbers(base.pair.passage)
    for a, b in spots:
        old = claim[a:b]
        for new in changed_numbers(old, rng):
            if new != old and numbers(new) and not numbers(new) & passage_numbers:
                return fault(base, "number", claim[:a] + new + claim[b:], f"{old} -> {new}")
    return None


def changed_numbers(old: str, rng: random.Random) -> list[str]:
    """Candidate replacements for a number, in seeded order."""
    if old.isalpha():
        pool = NUMBER_WORDS if old.lower() in NUMBER_WORDS else TENS
        words = [w for w in pool if w != old.lower()]
        rng.shuffle(words)
        return [w.capitalize() if old[0].isupper() else w for w in words]
    m = re.fullmatch(r"(\d+)(st|nd|rd|th)", old)
    if m:
        value = int(m.group(1))
        steps = [d for d in (-3, -2, -1, 1, 2, 3) if value + d > 1]
        rng.shuffle(steps)
        return [ordinal(value + d) for d in steps]
    digits = re.sub(r"\D", "", old)
    if re.fullmatch(r"1[0-9]{3}|20[0-9]{2}", old):  # a year: +-1..5
        steps = [d for d in range(-5, 6) if d]
        rng.shuffle(steps)
        return [str(int(old) + d) for d in steps]
    if len(digits) == 1:
        if digits in "01":
            return []  # "1 man" -> "3 man" would not read; "0" has no similar value
        options = [str(d) for d in range(2, 10) if str(d) != digits]
        rng.shuffle(options)
        return [old.replace(digits, d) for d in options]
    lead = int(digits[:2])
    values = [v for v in range(10, 100) if 0.15 * lead <= abs(v - lead) <= 0.6 * lead]
    rng.shuffle(values)
    return [with_lead_digits(old, f"{v:02d}") for v in values]


def ordinal(n: int) -> str:
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def with_lead_digits(number: str, lead: str) -> str:
    """`number` with its first two digits replaced, separators kept ("28.500", "71" -> "71.500")."""
    out, k = [], 0
    for ch in number:
        if ch.isdigit() and k < len(lead):
            out.append(lead[k])
            k += 1
        else:
            out.append(ch)
    return "".join(out)


def name_fault(base: Base, ctx: Context, rng: random.Random) -> Pair | None:
    """A name inside the claim swapped for one of the same shape from another topic or article of the split."""
    claim = base.pair.claim
    found = names(claim, ctx.lex)
    rng.shuffle(found)
    for a, _, old in found:
        after_preposition = bool(re.search(r"\b(?:in|at|from|to|across|near)\s+$", claim[:a]))
        options = ctx.names.swaps(old, base.pair.split, base.group, base.pair.passage, after_preposition)
        if options:
            new = rng.choice(options)
            return fault(base, "name", re.sub(rf"(?<![\w-]){re.escape(old)}(?![\w-])", new, claim), f"{old} -> {new}")
    return None


Shape = tuple[str, ...]


@dataclass(frozen=True)
class NamePool:
    """Names seen at least twice in each topic or article, and the surnames that tell a person's name."""

    by_group: dict[str, list[str]]
    split_of: dict[str, str]
    surnames: frozenset[str]
    places: frozenset[str]
    lex: Lexicon

    @classmethod
    def of(cls, docs: list[Doc], lex: Lexicon) -> NamePool:
        counts: dict[str, Counter[str]] = defaultdict(Counter)
        after_preposition: Counter[str] = Counter()
        split_of = {}
        for doc in docs:
            split_of[doc.group] = doc.split
            for sent in filter(is_prose, doc.sents):
                found = [n for _, _, n in names(sent.text, lex, strict=True) if usable_name(n, lex)]
                counts[doc.group].update(found)
                after_preposition.update(re.findall(r"\b(?:in|at|from|to|across|near) (\w+)", sent.text))
        # A place: a one-word name that follows "in", "at", "from" or "to" at least 30% of the time.
        total = sum(counts.values(), Counter())
        places = {n for n, k in total.items() if " " not in n and after_preposition[n] >= max(2, 0.3 * k)}
        # A surname: the last word of a two- or three-word name that the same topic or article also uses
        # alone, but not its first word ("Donald Davies", not "Protestant Reformation"), when no word looks
        # like a place's, a people's or a kind's ("Central Europe").
        surnames = {n.split()[-1] for c in counts.values() for n in c
                    if 2 <= len(n.split()) <= 3 and n.split()[-1] in c and n.split()[0] not in c
                    and n.split()[0] not in PLACE_FIRST
                    and not any(w in KIND_WORDS or DEMONYM.search(w) for w in n.split())}
        by_group = {g: sorted(n for n, k in c.items() if k >= 2) for g, c in counts.items()}
        return cls(by_group, split_of, frozenset(surnames - places), frozenset(places), lex)

    def shape(self, name: str, after_preposition: bool = False) -> Shape:
        """What a swap keeps: acronym, demonym, plural, place, person, or the word pattern with its kind word.

        A one-word name right after "in", "at", "from" or "to" in the claim counts as a place.
        """
        words = name.split()
        if len(words) == 1:
            if re.fullmatch(r"[A-Z]{2,6}|(?:[A-Z]\.){2,}", name):
                return ("acronym",)
            if DEMONYM.search(name):
                return ("demonym",)
            if re.search(r"(?:ist|ism|ists)$", name):
                return ("creed",)
            if name.endswith("s") and not name.endswith(("ss", "us", "is")):
                return ("plural",)
            if name in self.places or after_preposition:
                return ("place",)
            if name in self.surnames:
                return ("person",)
            return ("name",)
        pattern = tuple(w if re.fullmatch(_CONNECT, w) else "C" for w in words)
        connectors = [i for i, w in enumerate(words) if re.fullmatch(_CONNECT, w)]
        kind = words[0] if words[0] in TITLES else words[connectors[0] - 1] if connectors else words[-1]
        if kind in KIND_WORDS:
            return (*pattern, kind)
        if not connectors and words[-1] in self.surnames and words[0] not in PLACE_FIRST:
            return ("person", str(len(words)))
        return (*pattern, "")

    def swaps(self, old: str, split: str, group: str, passage: str, after_preposition: bool = False) -> list[str]:
        """Names of the same shape from the other groups of `split`, sharing no distinctive word with `old`
        or the passage."""
        if not usable_name(old, self.lex):
            return []
        shape = self.shape(old, after_preposition)
        taken = {w.lower() for w in WORD.findall(passage)} | distinctive(old)
        return sorted({n for g, pool in self.by_group.items() if g != group and self.split_of[g] == split
                       for n in pool if self.shape(n) == shape and distinctive(n) and not distinctive(n) & taken
                       and n.lower() not in passage.lower()})


def usable_name(name: str, lex: Lexicon) -> bool:
    """Not a one-word common noun written with a capital ("Council", "Regulations", "Reformed")."""
    if " " in name or name.isupper():
        return True
    return name not in KIND_WORDS and name.rstrip("s") not in KIND_WORDS and not lex.lower[name.lower()]


def distinctive(name: str) -> set[str]:
    """Lower-cased words of a name but its connectors and kind words."""
    return {w.lower() for w in name.split() if not re.fullmatch(_CONNECT, w) and w not in KIND_WORDS}


def negation_fault(base: Base, ctx: Context, rng: random.Random) -> Pair | None:
    """Negation removed from the claim when it has one, else inserted at its first auxiliary or past verb."""
    claim = base.pair.claim
    m = NEGATION.search(claim)
    if m:
        text = m.group()
        if m.group("aux"):
            new = m.group("aux")
        elif m.group("nt"):
            new = m.group("nt")
        elif text.lower().startswith("never"):
            new = ""
        else:
            new = {"cannot": "can", "can't": "can", "can’t": "can", "won't": "will", "won’t": "will"}[text.lower()]
        return fault(base, "negation", claim[:m.start()] + new + claim[m.end():], f"removed '{text.strip()}'")
    spot = negation_spot(claim, ctx.lex)
    if spot is None:
        return None
    a, b, new = spot
    return fault(base, "negation", claim[:a] + new + claim[b:], f"{claim[a:b]} -> {new}")


def negation_spot(claim: str, lex: Lexicon) -> tuple[int, int, str] | None:
    """(start, end, replacement) of the first auxiliary, else the first past-tense verb, negated."""
    toks = [(m.start(), m.end(), m.group()) for m in re.finditer(r"[A-Za-z]+", claim)]
    for k in range(1, len(toks)):
        a, b, w = toks[k]
        prev = toks[k - 1][2].lower()
        nxt = toks[k + 1][2].lower() if k + 1 < len(toks) else ""
        if prev == "to" or prev in NOT_SUBJECT_END - {"that", "which", "who", "not"}:
            continue
        if w in BE or w in DO or (w in MODAL and w != "can"):
            return a, b, f"{w} not"
        if w == "can":
            return a, b, "cannot"
        if w in HAVE:
            if nxt in PARTICIPLES or (len(nxt) > 3 and nxt.endswith(("ed", "en"))):
                return a, b, f"{w} not"
            return a, b, {"has": "does not have", "have": "do not have", "had": "did not have"}[w]
    for k in range(1, len(toks)):
        a, b, w = toks[k]
        prev = toks[k - 1][2].lower()
        nxt = toks[k + 1][2].lower() if k + 1 < len(toks) else ""
        if prev in NOT_SUBJECT_END or nxt == "by" or not w.islower() or claim[a - 2:a].strip() == ",":
            continue
        base_form = IRREGULAR_PAST.get(w) or lex.past_base(w)
        if base_form:
            return a, b, f"did not {base_form}"
    return None


def other_claim(base: Base, ctx: Context, rng: random.Random, max_words: int = 40) -> Base | None:
    """A genuine pair of another topic or article of the same split whose claim the passage does not support."""
    passage = stems(base.pair.passage)
    options = [o for o in ctx.bases if o.pair.split == base.pair.split and o.group != base.group
               and word_count(o.pair.claim) <= max_words
               and coverage(stems(o.pair.claim), passage) <= UNRELATED_MAX_COVERAGE]
    return rng.choice(options) if options else None


def unrelated_fault(base: Base, ctx: Context, rng: random.Random) -> Pair | None:
    other = other_claim(base, ctx, rng)
    return None if other is None else fault(base, "unrelated", other.pair.claim, f"claim of {other.pair.base_id}")


def half_true_fault(base: Base, ctx: Context, rng: random.Random) -> Pair | None:
    """The genuine claim joined by ", and" with a clause from another topic or article."""
    claim = base.pair.claim
    if not claim.endswith("."):
        return None
    other = other_claim(base, ctx, rng, max_words=20)
    if other is None or not other.pair.claim.endswith("."):
        return None
    clause = strip_end(other.pair.claim)
    first = clause.split(" ", 1)[0]
    if not ctx.lex.name_like(first.strip("\"“(")):
        clause = clause[:1].lower() + clause[1:]
    return fault(base, "half_true", f"{strip_end(claim)}, and {clause}.", f"added a clause of {other.pair.base_id}")


_PHRASE = re.compile(r"\b(?:in|on|at|from|near|with|after|during|before|under|against|across|outside|over|"
                     r"by|for|into)\s+(?:the\s+|a\s+|an\s+|its\s+|their\s+)?(?:[A-Za-z][\w'-]*\s+){1,4}?"
                     r"[A-Za-z][\w'-]*(?=[,.;:]|$)")


def embellished_fault(base: Base, ctx: Context, rng: random.Random) -> Pair | None:
    """The genuine claim with a detail from another topic or article appended, no comma before it."""
    claim = base.pair.claim
    if not claim.endswith("."):
        return None
    passage = stems(base.pair.passage)
    for _ in range(6):
        other = other_claim(base, ctx, rng)
        if other is None:
            return None
        phrases = [m.group() for m in _PHRASE.finditer(other.pair.claim)
                   if 3 <= word_count(m.group()) <= 6 and len(stems(m.group())) >= 2 and not stems(m.group()) & passage]
        if phrases:
            phrase = rng.choice(phrases)
            return fault(base, "embellished", f"{strip_end(claim)} {phrase}.", f"appended '{phrase}' "
                         f"from {other.pair.base_id}")
    return None


def wrong_sentence_fault(base: Base, ctx: Context, rng: random.Random) -> Pair | None:
    """The genuine claim citing another sentence of the same document (SQuAD: another paragraph of the article)."""
    aligned = stems(base.pair.quote or "")
    claim = stems(base.pair.claim)
    if base.doc.source == "squad":
        places = [(d, i) for d in ctx.docs if d.group == base.group and d.doc_id != base.doc.doc_id
                  for i in range(len(d.sents))]
    else:
        places = [(base.doc, i) for i in range(len(base.doc.sents)) if i != base.index]
    scored = []
    for doc, i in places:
        sent = doc.sents[i]
        s = stems(sent.text)
        if is_prose(sent) and sent.text != base.pair.quote and overlap(s, aligned) < WRONG_MAX_OVERLAP \
                and coverage(claim, s) < WRONG_MAX_COVERAGE:
            scored.append((coverage(claim, s), doc.doc_id, i, doc))
    if not scored:
        return None
    # Among the sentences that do not support the claim, cite one of the closest in topic: a realistic slip.
    scored.sort(key=lambda x: (-x[0], x[1], x[2]))
    top = scored[:3]
    rng.shuffle(top)
    for _, _, i, doc in [*top, *scored[3:10]]:
        passage = window(doc, i, avoid=base.index if doc is base.doc else None)
        if (base.pair.quote and base.pair.quote in passage) \
                or any(coverage(claim, stems(s.text)) >= WRONG_MAX_PASSAGE_COVERAGE for s in sentences(passage)):
            continue
        return fault(base, "wrong_sentence", base.pair.claim, f"cites sentence {i} of {doc.doc_id} instead of "
                     f"sentence {base.index} of {base.doc.doc_id}", quote=doc.sents[i].text, passage=passage,
                     doc_id=doc.doc_id)
    return None


def bare_marker_fault(base: Base, ctx: Context, rng: random.Random) -> Pair | None:
    other = other_claim(base, ctx, rng)
    if other is None:
        return None
    return fault(base, "bare_marker", other.pair.claim, f"claim of {other.pair.base_id}, no quote", quote=None)


def bare_marker_genuine_fault(base: Base, ctx: Context, rng: random.Random) -> Pair | None:
    return fault(base, "bare_marker_genuine", base.pair.claim, "genuine claim, no quote", quote=None)


FAULTS = {
    "number": number_fault, "name": name_fault, "negation": negation_fault, "unrelated": unrelated_fault,
    "half_true": half_true_fault, "embellished": embellished_fault, "wrong_sentence": wrong_sentence_fault,
    "bare_marker": bare_marker_fault,
    "bare_marker_genuine": bare_marker_genuine_fault,
}


# ---------------------------------------------------------------------------------------------
# Build


def build(data_dir: Path = DEFAULT_DATA, seed: int = 13, notes: Counter[str] | None = None) -> list[Pair]:
    """All pairs, genuine and faults, sorted by split, source, base_id and kind. `notes` counts what was dropped."""
    notes = Counter() if notes is None else notes
    pairs: list[Pair] = []
    for ctx in (multiling_context(data_dir, seed, notes), squad_context(data_dir, seed, notes)):
        for base in ctx.bases:
            pairs.append(base.pair)
            for kind, make in FAULTS.items():
                made = make(base, ctx, random.Random(f"{seed}:{kind}:{base.pair.base_id}"))
                if made is None:
                    notes[f"{base.pair.source} {kind}: cannot be formed"] += 1
                else:
                    pairs.append(made)
    order = {k: i for i, k in enumerate(KINDS)}
    return sorted(pairs, key=lambda p: (SPLITS.index(p.split), SOURCES.index(p.source), p.base_id, order[p.kind]))


def multiling_context(data_dir: Path, seed: int, notes: Counter[str]) -> Context:
    docs, topics = load_multiling(data_dir)
    lex = Lexicon.of(d.text for d in docs)
    aligned = align_summaries(docs, topics, lex, notes)
    rows = [(base_id, a.doc, a.index, a.claim, f"summary sentence aligned: coverage {a.coverage:.2f}, F1 {a.f1:.2f}")
            for base_id, a in aligned]
    return Context(lex, docs, make_genuine(rows, seed), NamePool.of(docs, lex))


def squad_context(data_dir: Path, seed: int, notes: Counter[str]) -> Context:
    docs, questions = load_squad(data_dir)
    lex = Lexicon.of(d.text for d in docs)
    rows = [(b, d, i, c, "answer clause of the quote") for b, d, i, c in squad_genuine(questions, lex, seed, notes)]
    return Context(lex, docs, make_genuine(rows, seed), NamePool.of(docs, lex))


def counts(pairs: Sequence[Pair]) -> Counter[tuple[str, str, str]]:
    return Counter((p.split, p.source, p.kind) for p in pairs)


def write_jsonl(pairs: Iterable[Pair], path: Path) -> None:
    path.write_text("".join(json.dumps(asdict(p), ensure_ascii=False) + "\n" for p in pairs), encoding="utf-8")


def table(pairs: Sequence[Pair]) -> Iterator[str]:
    c = counts(pairs)
    cols = [(s, src) for s in SPLITS for src in SOURCES]
    yield "kind".ljust(20) + "".join(f"{s}/{src}".rjust(16) for s, src in cols)
    for kind in KINDS:
        yield kind.ljust(20) + "".join(str(c[(s, src, kind)]).rjust(16) for s, src in cols)
    yield "total".ljust(20) + "".join(str(sum(c[(s, src, k)] for k in KINDS)).rjust(16) for s, src in cols)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--out", type=Path, required=True, help="JSON lines file to write")
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA, help="folder of the public dev sets")
    parser.add_argument("--seed", type=int, default=13)
    args = parser.parse_args(argv)
    notes: Counter[str] = Counter()
    pairs = build(args.data, args.seed, notes)
    write_jsonl(pairs, args.out)
    print(f"{len(pairs)} pairs -> {args.out}")
    print("\n".join(table(pairs)))
    print("\n".join(f"  {k}: {v}" for k, v in sorted(notes.items())))
    return 0


if __name__ == "__main__":
    sys.exit(main())
