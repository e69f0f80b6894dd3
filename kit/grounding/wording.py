"""A text's words as the support check compares them (`kit.grounding.support`): tokens with
inflections, number values, unit spellings and demonyms ("Russian" mentions Russia); whether a
claim word or name is among them; and which capitalised words of a claim name something.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from itertools import pairwise

from kit.grounding.spelling import fold
from kit.grounding.units import SIGNS, spellings
from kit.numbers import numbers, same_value, values
from kit.text import STOPWORDS, match_stem

# A figure with thousands separators is one token ("500,000,000"), so it is matched by value.
TOKEN = re.compile(r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|[^\W_]+(?:['’.-][^\W_]+)*\.?", re.UNICODE)
# Titles and honorifics are capitalised but say nothing the quote must repeat ("President Putin"
# is supported by "Putin").
TITLES = frozenset("""mr mrs ms dr prof president prime minister secretary general gen col colonel chancellor
king queen prince princess pope sir lord lady senator sen governor gov mayor chairman chief commander lieutenant
lt sergeant sgt captain capt admiral professor judge justice rev saint st deputy foreign defence defense""".split())
_DEMONYM_SUFFIXES = ("n", "an", "ian", "ese", "ish", "i", "ic", "ns", "ans", "ians")

@dataclass(frozen=True)
class Words:
    """A text's tokens as the check compares them: inflections, number values and demonyms
    ("Russian" mentions Russia) match."""

    stems: frozenset[str]
    lower: tuple[str, ...]  # every token lower-cased, in order
    numbers: frozenset[float]
    paraphrased: frozenset[str] = frozenset()  # claim words this text says in other words (kit.grounding.paraphrase)

    def has_name(self, name: str) -> bool:
        return has_name(name, self)


def words_of(text: str) -> Words:
    text = fold(text)
    tokens = [t.rstrip(".") for t in TOKEN.findall(text)]
    lower = tuple(_split_contraction(t.lower()) for t in tokens)
    parts = [p for t in lower if "-" in t for p in t.split("-") if p]  # "el-Zour" also mentions "Zour"
    joined = [a + b for a, b in pairwise(lower) if a.isalpha() and b.isalpha()]  # "back packs" is "backpacks"
    # "$500 million" says "500 million dollars", "70%" says "70 percent", "10,000 hp" "horsepower"
    units = [u for t in lower for u in spellings(t)] + [u for sign in SIGNS if sign in text for u in spellings(sign)]
    stems = frozenset(match_stem(t) for t in [*lower, *parts, *joined, *units]) | frozenset(
        t.replace(".", "") for t in lower)
    return Words(stems, lower, frozenset(values(text)))


def _split_contraction(token: str) -> str:
    return "n't" if token.endswith(("n't", "n’t")) else token


# A run of capitalised words ("Islamic State", "Islamic State of Iraq and the Levant").
_NAME_RUN = re.compile(r"\b[A-Z][a-z]+(?:\s+(?:(?:of|and|the)\s+)*[A-Z][a-z]+)+")


def abbreviated(claim: str, text: str) -> set[str]:
    """The words of the claim's multi-word names that `text` writes as initials: "Islamic State" as
    "IS" (or "ISIS", "ISIL": the initials and at most two letters more), "United States" as "US"."""
    acronyms = set(re.findall(r"\b[A-Z]{2,6}\b", text.replace(".", "")))
    out: set[str] = set()
    for run in _NAME_RUN.finditer(claim):
        words = run.group().split()
        words = words[1:] if words[0] == "The" else words
        initials = "".join(w[0] for w in words if w[0].isupper())
        if any(a.startswith(initials) and len(a) - len(initials) <= 2 for a in acronyms):
            out |= {w.lower() for w in words if w[0].isupper()}
    return out


def bare(word: str) -> str:
    """A content word as the parse spells it: no final full stop, no possessive."""
    w = fold(word.rstrip(".").lower()).replace("’", "'")
    return w[:-2] if w.endswith("'s") else w


def has_word(word: str, found: Words) -> bool:
    if word in found.paraphrased or bare(word) in found.paraphrased:
        return True
    w = fold(word.rstrip(".").lower())
    if "-" in w.strip("-") and all(has_word(p, found) for p in w.split("-") if p):
        return True  # "submarine-launched": "launched from submarines"
    if any(ch.isdigit() for ch in w):  # numbers are judged by value, not spelling
        vals = values(w)
        return not vals or any(same_value(v, f) for v in vals for f in found.numbers) or w in found.stems
    if match_stem(w) in found.stems or w.replace(".", "") in found.stems:
        return True
    return (b := bare(w)).isalpha() and len(b) >= 4 and has_name(b, found)  # "Iranians" / "Iran"


# Words that join or order statements and state no fact of their own ("Although X, Y" restates "X,
# but Y"); what they can change (cause, time order) is the structural check's to judge.
CONNECTIVES = frozenset("""although though whereas however furthermore moreover meanwhile consequently therefore
hence thus since indeed finally later earlier overall""".split())
# Words that open a sentence as a link or a setting, never as a name ("Although Kurdish drones...").
_OPENERS = CONNECTIVES | frozenset("""despite additionally nevertheless nonetheless following amid unlike notably
currently recently previously initially eventually instead besides likewise similarly""".split())


def claim_names(claim: str, first_name: bool = False) -> list[str]:
    """Capitalised words of the claim that name something, in order. A capitalised first word
    counts only when the next word is capitalised too ("Vladimir Putin said") or the parser tags
    it a proper noun (`first_name`: "Mensah was given the prize"): otherwise it is as likely an
    ordinary word starting the sentence, and coverage judges it instead."""
    tokens = [(m.start(), m.group().rstrip(".")) for m in TOKEN.finditer(claim)]
    out = []
    for i, (at, tok) in enumerate(tokens):
        if not tok[:1].isupper() or tok.lower() in TITLES or tok.lower() in STOPWORDS or tok.isdigit():
            continue
        first = i == 0 or re.search(r"[.!?:]\s*[\"'“‘(]?\s*$", claim[:at]) is not None
        next_cap = (i + 1 < len(tokens) and tokens[i + 1][1][:1].isupper()
                    and not claim[at + len(tok):tokens[i + 1][0]].strip())  # "Previously, Astana": no
        if first and (tok.lower() in _OPENERS or (not next_cap and not (first_name and i == 0))):
            continue
        out.append(tok)
    return list(dict.fromkeys(out))


def name_runs(claim: str, names: Sequence[str]) -> list[str]:
    """`names` (words of `claim`), those standing next to each other in the claim joined as one,
    as the claim writes them: "United States" of ["United", "States"] in "The United States..."."""
    runs: list[tuple[int, int, tuple[str, ...]]] = []  # start, end and words of each run
    for m in TOKEN.finditer(claim):
        word = m.group().rstrip(".")
        if word not in names:
            continue
        prev = runs[-1] if runs else None
        # Joined across spaces only, and not past a full stop ("U.S. Army" is one, "York. New" two).
        if prev and not claim[prev[1]:m.start()].strip() and (not claim[:prev[1]].endswith(".") or "." in prev[2][-1]):
            runs[-1] = (prev[0], m.end(), (*prev[2], word))
        else:
            runs.append((m.start(), m.end(), (word,)))
    keys = list(dict.fromkeys(words for _, _, words in runs))
    shown = {words: claim[a:b].rstrip(".") for a, b, words in reversed(runs)}
    return [shown[k] for k in keys if not any(k != o and _inside(k, o) for o in keys)]


def _inside(part: tuple[str, ...], whole: tuple[str, ...]) -> bool:
    return any(whole[i:i + len(part)] == part for i in range(len(whole) - len(part) + 1))


def has_name(name: str, found: Words) -> bool:
    if name.lower() in found.paraphrased:
        return True
    key = fold(name.lower()).replace("’", "'")
    key = key[:-2] if key.endswith("'s") else key
    compact = key.replace(".", "")
    if compact in found.stems or match_stem(key) in found.stems:
        return True
    if _nation_in(compact, found):
        return True
    if not compact.isalpha() or len(compact) < 4:
        return is_initials(compact, found)
    return any(demonym_match(compact, other) for other in found.stems if other[:3] == compact[:3])


# Countries whose names, people and adjectives are not one word plus a suffix ("Britain",
# "British", "Britons", "the UK"). "US" stays out: as a word it is also "us"; so does France, named
# by "Tour de France" and "Air France" as often as by the French.
_NATIONS = tuple(frozenset(g.split(",")) for g in (
    "britain,british,briton,britons,uk,united kingdom,great britain", "netherlands,dutch,holland",
"switzerland,swiss", "spain,spanish,spaniard,spaniards",
    "greece,greek,greeks", "denmark,danish,dane,danes", "sweden,swedish,swede,swedes",
    "finland,finnish,finn,finns", "poland,polish,pole,poles", "ireland,irish", "wales,welsh",
    "scotland,scottish,scot,scots", "norway,norwegian,norwegians", "philippines,filipino,filipinos",
    "thailand,thai,thais", "afghanistan,afghan,afghans", "kazakhstan,kazakh,kazakhs", "germany,german,germans",
    "england,english", "iceland,icelandic,icelander,icelanders", "new zealand,new zealander,new zealanders"))


def same_nation(a: str, b: str) -> bool:
    """"Britain" and "British" (or "UK", "Britons"), "France" and "French": one country."""
    return a != b and any(a in g and b in g for g in _NATIONS)


def _nation_in(name: str, found: Words) -> bool:
    """The quote names the claim's country another way ("Britain" / "the UK", "British")."""
    group = next((g for g in _NATIONS if name in g), None)
    if group is None:
        return False
    return bool(group & _said_phrases(found))


def _said_phrases(found: Words) -> set[str]:
    """The quote's lower-cased words and pairs of neighbouring words ("united kingdom")."""
    return set(found.lower) | {" ".join(p) for p in pairwise(found.lower)}


_COMPASS = frozenset("north south east west".split())


def demonym_match(a: str, b: str) -> bool:
    """"russia"/"russian", "iran"/"iranian", "china"/"chinese", "kurd"/"kurdish": one is the
    other (or the other less its last vowel) plus a demonym suffix; or one country's other name
    (`same_nation`); or a point of the compass and its adjective ("south"/"southern")."""
    if same_nation(a, b):
        return True
    short, long_ = sorted((a, b), key=len)
    if short in _COMPASS and long_ == short + "ern":  # "Southern Asia" is "South Asia"
        return True
    stems = (short, short[:-1]) if short[-1] in "aeiouy" else (short,)
    return any(long_ == s + suffix for s in stems for suffix in _DEMONYM_SUFFIXES)


def is_initials(acronym: str, found: Words) -> bool:
    """"US" in a claim is backed by "United States" in the quote."""
    if not (2 <= len(acronym) <= 5):
        return False
    words = [w for w in found.lower if w not in STOPWORDS or w in ("of", "for")]
    letters = acronym.lower()
    for i in range(len(words)):
        seq = [w for w in words[i:i + len(letters) + 2] if w not in ("of", "for", "the", "and")]
        if "".join(w[0] for w in seq[:len(letters)]) == letters:
            return True
    return False


# Capitals that name their country's government ("Washington restated its opposition"), each with
# the ways a quote names the country.
_CAPITALS = {
    "washington": ("us", "u.s", "u.s.", "united states", "america", "american", "americans"),
    "london": ("uk", "britain", "british", "united kingdom"),
    "moscow": ("russia", "russian", "russians", "kremlin"),
    "beijing": ("china", "chinese"),
    "tehran": ("iran", "iranian", "iranians"),
    "paris": ("france", "french"),
    "berlin": ("germany", "german"),
    "tokyo": ("japan", "japanese"),
    "damascus": ("syria", "syrian"),
    "ankara": ("turkey", "turkish"),
    "kyiv": ("ukraine", "ukrainian"),
    "kiev": ("ukraine", "ukrainian"),
    "baghdad": ("iraq", "iraqi"),
    "brussels": ("eu", "european union"),
}
_PLACE_BEFORE = re.compile(r"\b(?:in|at|near|from|to|into|outside|around|across|inside|of)\s+(?:central\s+)?$",
                           re.IGNORECASE)


def capital_of(capital: str, nation: str) -> bool:
    """Whether `capital` stands for the government of `nation` ("tehran" / "iran" or "iranian")."""
    return nation in _CAPITALS.get(capital, ())


def capital_for_country(name: str, claim: str, found: Words) -> bool:
    """Whether the claim's `name` is a capital standing for its country's government ("Washington
    said", "London maintains") and the quote names that country. A capital after a preposition of
    place ("protests in London") is the city, which the country does not say."""
    key = name.lower().removesuffix("'s").removesuffix("’s")
    if key not in _CAPITALS:
        return False
    return bool(_said_phrases(found) & set(_CAPITALS[key])) and not any(
        _PLACE_BEFORE.search(claim[:m.start()]) for m in re.finditer(rf"\b{re.escape(key)}", claim, re.IGNORECASE))


_CLAUSE_BREAK = re.compile(r"[;:()\[\]—–]|,\s|\s(?:and|but|while|whereas|although|though|because|which|so)\s",
                           re.IGNORECASE)


def clause_parts(claim: str) -> list[str]:
    """The claim cut at punctuation and joining words, never inside a number ("one and a half million")."""
    inside = [(n.start, n.end) for n in numbers(claim)]
    parts, at = [], 0
    for m in _CLAUSE_BREAK.finditer(claim):
        if not any(a <= m.start() and m.end() <= b for a, b in inside):
            parts.append(claim[at:m.start()])
            at = m.end()
    return [*parts, claim[at:]]
