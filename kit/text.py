"""Small text tools shared by retrieval, answers, summaries and reports: keyword tokens, sentences, counts.

Plain regular expressions, no downloads (NLTK's punkt data cannot be fetched here).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

STOPWORDS = frozenset("""
a about above after again against all also am an and any are as at be because been before
being below between both but by can could did do does doing down during each few for from
further had has have having he her here hers herself him himself his how i if in into is it
its itself just me more most my myself no nor not now of off on once only or other our ours
ourselves out over own same she should so some such than that the their theirs them themselves
then there these they this those through to too under until up very was we were what when
where which while who whom why will with would you your yours yourself yourselves said says
say according one two
""".split())

# A year as dates write it: four figures, 1000 to 2099 ("landed in 1066", "in 2015").
YEAR = r"(?:1\d|20)\d\d"


def is_year(text: str) -> bool:
    """Whether `text` is a year as dates write it (`YEAR`)."""
    return re.fullmatch(YEAR, text) is not None


# The months in order, as dates write them in full (lower case), and their abbreviations.
MONTH_NAMES = ("january", "february", "march", "april", "may", "june", "july", "august", "september", "october",
               "november", "december")
MONTH_ABBREVIATIONS = (*(m[:3] for m in MONTH_NAMES if len(m) > 3), "sept")

_WORD = re.compile(r"[^\W_]+(?:['’][^\W_]+)*", re.UNICODE)
# A sentence ends at . ! ? (optionally followed by closing quotes/brackets) and whitespace,
# unless the word before the period is an initial ("U.S.", "J.") or an abbreviation of a title,
# month, company or US state ("Col.", "Sept.", "Inc.", "Calif."); a short word is no abbreviation
# for its length ("in the Middle East. Saudi Arabia ..." is two sentences).
_SENT_END = re.compile(r"[.!?]+[\"'”’)\]]*(?=\s)|\n\s*\n|\n(?=[A-Z“\"•\-])")
_ABBREVIATIONS = (
    "Mr|Mrs|Ms|Mme|Mlle|Messrs|Dr|Prof|Sr|Jr|St|Mt|Ft|Gen|Col|Lt|Lieut|Maj|Sgt|Capt|Cpt|Cmdr|Cdr|Adm|Brig|Cpl|Pte"
    "|Pvt|Pfc|Spc|Spec|Msgr"
    "|Gov|Sen|Rep|Rev|Hon|Pres|Supt|Insp|Det|Atty|Amb|Fr|Sec|Inc|Ltd|Co|Corp|Bros|Dept|Univ|Assn|Ave|Blvd|Rd"
    f"|{'|'.join(m.capitalize() for m in MONTH_ABBREVIATIONS)}|Mon|Tue|Tues|Wed|Thu|Thur|Thurs|Fri|Sat|Sun"
    "|Ala|Ariz|Ark|Calif|Colo|Conn|Del|Fla|Ga|Ill|Ind|Kan|Ky|La|Md|Mass|Mich|Minn|Miss|Mo|Mont|Neb|Nev|Okla"
    "|Ore|Pa|Penn|Tenn|Tex|Va|Vt|Wash|Wis|Wyo"
    "|No|Nos|Fig|Figs|Vol|Vols|Ch|Art|Pt|Pp|Ed|Eds|Op|Cf|vs|etc|approx|al|cf|ca|viz")
_ABBREV = re.compile(rf"(?:\b[A-Z]|\b(?:[A-Za-z]\.)+[A-Za-z]?|\b(?:{_ABBREVIATIONS}))\.$")
# An ellipsis in brackets marks words an editor left out ("The [...] conference must agree"), and one
# before a lower-case word ("he said ... it would") a pause: neither ends the sentence.
_OMISSION = re.compile(r"[\[(]\.{3}[\])]")
_LOWER_NEXT = re.compile(r"\s+[a-z]")
# A Markdown table row ("| Velden – Ostby | 8.00 euros | 4.00 euros |") is a sentence of its own: a line that
# starts with a pipe and holds another. Its separator row ("|---|--:|") has no letters, so it is no sentence.
_TABLE_ROW = re.compile(r"^[ \t]*\|.*\|.*$", re.MULTILINE)
_TABLE_SEPARATOR = re.compile(r"[ \t]*\|[ \t|:-]*-[ \t|:-]*")


def escaped(text: str) -> str:
    """Text as a prompt shows a passage: "&", "<" and ">" escaped, so that a document cannot close
    its passage block and pose as instructions."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def copied(text: str) -> str:
    """Text a model copied out of a prompt's passages (`escaped`), with the escapes undone: the prompt
    says "&amp;" where the file says "&". The exact inverse of `escaped`: no other entity is decoded."""
    return text.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")


def stem(word: str) -> str:
    """A very light English stemmer: plural and possessive endings only."""
    if word.endswith(("'s", "’s")):
        word = word[:-2]
    if len(word) > 4 and word.endswith("ies"):
        return word[:-3] + "y"
    if len(word) > 3 and word.endswith("s") and not word.endswith(("ss", "us", "is")):
        return word[:-1]
    return word


_KEYS: dict[str, str] = {}  # word as written -> its keyword ("" for a stop word)
_KEYS_MAX = 500_000  # a million-chunk corpus has a few hundred thousand spellings; about 60 MB at most


def keywords(text: str) -> list[str]:
    """Lower-cased, stemmed content words of `text`."""
    out = []
    for word in _WORD.findall(text):
        key = _KEYS.get(word)
        if key is None:
            # Lower-case each match, not the text: lowering first can split a word ("İ" -> "i" + U+0307).
            lowered = word.lower()
            key = "" if lowered in STOPWORDS else stem(lowered)
            if len(_KEYS) >= _KEYS_MAX:
                _KEYS.clear()
            _KEYS[word] = key
        if key:
            out.append(key)
    return out


_POSSESSIVE = re.compile(r"['’]s$")


def spellings(text: str) -> dict[str, str]:
    """Each keyword of `text` (as `keywords` gives it, stemmed) and the word it stands for: its
    most common spelling in `text`, so a reader sees "Yukos", not the stem "yuko"."""
    counts: dict[str, dict[str, int]] = {}
    for word in _WORD.findall(text):
        word = _POSSESSIVE.sub("", word)
        key = keywords(word)
        if key:
            forms = counts.setdefault(key[0], {})
            forms[word] = forms.get(word, 0) + 1
    return {key: max(forms, key=lambda w: (forms[w], w.islower())) for key, forms in counts.items()}


@dataclass(frozen=True)
class Sentence:
    """A sentence with offsets relative to the text it came from."""

    start: int
    end: int
    text: str


def sentences(text: str) -> list[Sentence]:
    """Split `text` into sentences; each `text[start:end]` is the sentence, stripped."""
    out: list[Sentence] = []
    begin = 0
    for row in _TABLE_ROW.finditer(text) if "|" in text else ():
        _prose(out, text, begin, row.start())
        _append(out, text, row.start(), row.end())  # a row is whole, even with "approx. 5" in a cell
        begin = row.end()
    _prose(out, text, begin, len(text))
    return out


def _prose(out: list[Sentence], text: str, start: int, end: int) -> None:
    begin = start
    for m in _SENT_END.finditer(text, start, end):
        if text[m.start()] == "." and _ABBREV.search(text[max(0, m.start() - 12):m.start() + 1]):
            continue
        if _OMISSION.match(text, m.start() - 1) or (m.group().startswith("...") and _LOWER_NEXT.match(text, m.end())):
            continue  # "The [...] conference", "said ... that it": words left out, the sentence goes on
        _append(out, text, begin, m.end())
        begin = m.end()
    _append(out, text, begin, end)


def table_header(text: str, start: int) -> str:
    """The header row of the Markdown table whose data row begins at `start` in `text`, or "" when
    that line is no data row (prose, the header itself) or its header is not in `text` (a chunk
    that begins inside a table). The header is what a row's cells mean: "4.00 euros" answers a
    question about a child fare only under "| Route | Adult fare | Child fare |"."""
    above: list[str] = []  # the table's lines above the row, nearest first
    line_end = text.find("\n", start)
    if not _TABLE_ROW.fullmatch(text[start:len(text) if line_end < 0 else line_end]):
        return ""
    end = text.rfind("\n", 0, start)
    while end >= 0:
        begin = text.rfind("\n", 0, end) + 1
        line = text[begin:end]
        if not _TABLE_ROW.fullmatch(line):
            break
        above.append(line)
        end = begin - 1
    if len(above) >= 2 and _TABLE_SEPARATOR.fullmatch(above[-2]) and not _TABLE_SEPARATOR.fullmatch(above[-1]):
        return above[-1].strip()
    return ""


def _append(out: list[Sentence], text: str, start: int, end: int) -> None:
    piece = text[start:end]
    stripped = piece.strip()
    if sum(ch.isalnum() for ch in stripped) >= 2:
        lead = len(piece) - len(piece.lstrip())
        out.append(Sentence(start + lead, start + lead + len(stripped), stripped))


_VOWELS = set("aeiouy")


def match_stem(word: str) -> str:
    """A word reduced for matching inflections: "launched", "launches", "launching" -> "launch",
    "states", "stated" -> "stat". Stronger than `stem` (which keeps BM25's vocabulary as it was);
    used to compare a claim's words with a quote's. Suffix rules only, no dictionary."""
    w = word.lower().replace("’", "'")
    if w.endswith("'s"):
        w = w[:-2]
    if len(w) <= 3:
        return w
    w = _strip_inflection(w)
    return w[:-1] if len(w) > 3 and w.endswith("e") else w


def _strip_inflection(w: str) -> str:
    if w.endswith("ies") and len(w) > 4:
        return w[:-3] + "y"
    if w.endswith("sses"):
        return w[:-2]
    for suffix in ("ing", "ed"):
        base = w[: -len(suffix)]
        if w.endswith(suffix) and len(base) >= 3 and _VOWELS & set(base):
            # "running" -> "run", "stopped" -> "stop"; but "falling" keeps its double l ("fall").
            if len(base) > 3 and base[-1] == base[-2] and base[-1] not in "lsz":
                return base[:-1]
            return base
    if w.endswith("ly") and len(w) > 5:
        return w[:-2]
    if w.endswith("s") and not w.endswith(("ss", "us", "is")):
        return w[:-1]
    return w


_TERMINAL = re.compile(r"[.!?…][\"'”’)\]]*$")
_DEFINITION = re.compile(r"^(?:-{1,2}[A-Za-z0-9][\w-]*\b|[\w .()/-]{1,40}(?::\s|\s+[-–—]\s|\t|\s{2,}))")
_BYLINE = re.compile(
    r"^(?:by|posted|written|published|updated|photo|photos|image|images|picture|pictured|credit|caption|source|"
    r"via|file photo|click to|watch|read more|see also|related|share|follow)\b", re.IGNORECASE)
_MENU = re.compile(r"\s[|»•·>]\s.*\s[|»•·>]\s")
# A photo caption names its year or credit at the end: "... in the Caspian Sea, 2013",
# "... (Photo: Reuters)", "... Image credit: AFP".
_CAPTION_END = re.compile(r"(?:,\s*(?:\w+\s+)?(?:1[89]|20)\d\d|\((?:photo|image|file|credit|reuters|ap|afp|getty|"
                          r"screenshot|video)[^)]*\)|\b(?:photo|image|credit|source)\s*:[^.]*)$", re.IGNORECASE)


def is_statement(sentence: str) -> bool:
    """True for a sentence that states something: prose ending like a sentence, or a definition
    line ("-h, --human-readable  print sizes in human readable format"). Headlines, bylines,
    captions, menus and fragments ("du [OPTION]... [FILE]...") are not statements."""
    text = " ".join(sentence.split())
    words = [w for w in _WORD.findall(text) if any(ch.isalpha() for ch in w)]
    lower = [w for w in words if w[0].islower() and len(w) > 1]
    if len(words) < 4 or len(lower) < 2 or _MENU.search(text):
        return False
    if _BYLINE.match(text) and len(words) < 15:
        return False
    long_words = [w for w in words if len(w) > 3]
    if len(long_words) >= 4 and sum(w[0].isupper() for w in long_words) / len(long_words) > 0.6:
        return False  # Title Case Headline
    if _TERMINAL.search(text):
        return True
    if _CAPTION_END.search(text):
        return False
    # No full stop (scraped pages often drop it after a quotation or in a standfirst): a line of
    # 12+ words that keeps its function words (headlines drop them: "Russia cuts off escape route
    # of ISIS fighters", 2 in 11) still states something. Shorter lines qualify only as a
    # definition whose description reads as words.
    function_words = sum(w.lower() in STOPWORDS for w in lower)
    if len(words) >= 12 and function_words >= 0.2 * len(words):
        return True
    return bool(_DEFINITION.match(text)) and len(lower) >= 3 and function_words >= 1


def key_term_coverage(question: str, context: str, idf: Callable[[str], float]) -> float:
    """Idf-weighted share of the question's content words present in `context`."""
    terms = set(keywords(question))
    if not terms:
        return 1.0
    present = {match_stem(w) for w in re.findall(r"[^\W_]+", context)}
    weights = {t: idf(t) for t in terms}
    total = sum(weights.values()) or 1.0
    return sum(w for t, w in weights.items() if match_stem(t) in present) / total


# Plurals that are not the word plus "s"; the counted nouns kit prints need no more.
_PLURALS = {"summary": "summaries", "story": "stories", "query": "queries", "entry": "entries", "match": "matches"}


def plural(n: int, word: str, many: str | None = None) -> str:
    """A count with its noun in the number it takes: plural(1, "chunk") -> "1 chunk", plural(0, "chunk") ->
    "0 chunks", plural(2, "topic summary") -> "2 topic summaries" (the last word takes the plural); `many`
    names a plural the table does not know."""
    if n == 1:
        return f"{n} {word}"
    head, space, last = word.rpartition(" ")
    return f"{n} {many or head + space + _PLURALS.get(last, last + 's')}"
